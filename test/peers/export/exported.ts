// Test helper for the export peer tests: export a model (through the registry's export entries) into a temporary
// directory, run glia's reference on the same IR, run exported scripts in one Python process, read spike files.
// In: a .glia path, the engine, seed and step overrides; out: directories, glia's RunResult, per-population spikes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile } from "../../../compiler/pipeline.js";
import type { Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import { findTarget } from "../../../targets/driver/registry.js";
import { referenceTarget } from "../../../targets/reference/index.js";
import type { RunResult } from "../../../targets/target.js";
import { dirHost, REPO_ROOT } from "../../helpers/dir-host.js";
import { runPeerScript } from "../../helpers/peers.js";

export interface Exported {
  dir: string;
  diagnostics: Diagnostic[];
  ok: boolean;
  steps: number;
  dt: number;
}

export const tmpRoot = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "glia-export-"));

/** Exports `file` to `engine` into `dir`, with the seed and the run length (steps) given. */
export async function exportModel(
  file: string,
  engine: string,
  dir: string,
  opts: { seed?: number; steps?: number } = {},
): Promise<Exported> {
  const compiled = compile(file, dirHost(REPO_ROOT));
  const built = compiled.built!;
  const ir = { ...built, seed: opts.seed ?? built.seed, steps: Math.min(opts.steps ?? built.steps, built.steps) };
  const entry = findTarget("emit", engine, "export")!;
  const emitter = (await entry.load()) as {
    emit: (
      i: typeof ir,
      o: { file: string; out: string },
    ) => { files?: { path: string; content: string }[]; diagnostics: Diagnostic[] };
  };
  const r = emitter.emit(ir, { file, out: dir });
  for (const f of r.files ?? []) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    fs.writeFileSync(f.path, f.content);
  }
  return {
    dir,
    diagnostics: r.diagnostics,
    ok: !r.diagnostics.some((d) => d.severity === "error"),
    steps: ir.steps,
    dt: ir.dt,
  };
}

/** glia's reference run of `file` with the seed and steps given. */
export function gliaRun(file: string, opts: { seed?: number; steps?: number } = {}): RunResult {
  const compiled = compile(file, dirHost(REPO_ROOT));
  const ir = compiled.ir!;
  const steps = Math.min(opts.steps ?? ir.steps, ir.steps);
  return referenceTarget.run(ir, { seed: opts.seed, duration: steps * ir.dt }).result!;
}

export interface Job {
  script: string;
  data: string;
  out: string;
  steps: number;
  seed: number;
  poisson?: "glia" | "brian2" | "nest";
  threads?: number;
  /** Brian2: numpy | cython | cpp_standalone */
  device?: string;
}
/** The job that runs the export written to DIR (its run.py, data/ and out/ there), with EXTRA options. */
export function jobIn(dir: string, steps: number, seed: number, extra: Omit<Partial<Job>, "steps" | "seed"> = {}): Job {
  return {
    script: path.join(dir, "run.py"),
    data: path.join(dir, "data"),
    out: path.join(dir, "out"),
    steps,
    seed,
    ...extra,
  };
}
/** Exports each model to NEST once per seed under ROOT (expecting no diagnostic) and runs every script in one batch:
 *  "file:seed" -> its directory, and the results in that order. */
export async function exportNestSeeds(
  root: string,
  cases: readonly (readonly [string, readonly number[]])[],
): Promise<{ dirs: Map<string, string>; results: JobResult[] }> {
  const dirs = new Map<string, string>();
  const jobs: Job[] = [];
  for (const [file, seeds] of cases)
    for (const seed of seeds) {
      const dir = path.join(root, `${path.basename(file, ".glia")}-${seed}`);
      const e = await exportModel(file, "nest", dir, { seed });
      if (e.diagnostics.length > 0) throw new Error(`${file}: ${e.diagnostics.map((d) => d.message).join("; ")}`);
      dirs.set(`${file}:${seed}`, dir);
      jobs.push(jobIn(dir, e.steps, seed));
    }
  return { dirs, results: runJobs(jobs, 1_500_000) };
}
export type JobResult =
  | { error: string }
  | { populations: Record<string, { n: number; spikes: number }>; sim_wall_s: number; setup_wall_s: number };

/** Runs every job in one Python process (test/peers/export/run_exported.py). */
export function runJobs(jobs: Job[], timeoutMs = 900_000): JobResult[] {
  const dir = tmpRoot();
  fs.writeFileSync(path.join(dir, "jobs.json"), JSON.stringify(jobs));
  runPeerScript(
    path.join(REPO_ROOT, "test/peers/export/run_exported.py"),
    [path.join(dir, "jobs.json"), path.join(dir, "results.json")],
    timeoutMs,
  );
  return JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8")) as JobResult[];
}

/** spikes.csv of a run (glia's --out format): population -> "step:index" strings in file order. */
export function readSpikes(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of fs.readFileSync(file, "utf8").trim().split("\n").slice(1)) {
    const [pop, index, step] = line.split(",");
    if (!out.has(pop!)) out.set(pop!, []);
    out.get(pop!)!.push(`${step}:${index}`);
  }
  return out;
}

/** glia's spikes of a RunResult in the same form. */
export function gliaSpikes(r: RunResult): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [pop, s] of Object.entries(r.spikes))
    out.set(
      pop,
      Array.from(s.steps, (k, x) => `${k}:${s.indices[x]}`),
    );
  return out;
}
