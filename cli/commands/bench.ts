// `glia bench [NAME|all] [--vs brian2|none] [--json] [--results DIR]`: benchmark configurations on the
// wasm target and (when installed) Brian2 cpp_standalone. In: a config name and flags; out: tables and
// glia/Brian2 ratios on stdout, or one JSON object per config; with --results, DIR/<date>.md.

import { cpus, loadavg } from "node:os";
import { posix } from "node:path";
import { reportDiagnostics } from "../report-diagnostics.js";
import { EXIT, UsageError, badOutput, type CliIo } from "../io.js";
import { allConfigs, BENCH_CONFIGS, findConfig, type BenchConfig } from "../bench/configs.js";
import { benchEngines, PEERS, REPO_ROOT } from "../bench/engines.js";
import type { BenchContext } from "../bench/engine.js";
import { runConfig, runIsolated } from "../bench/run-bench.js";
import { formatMarkdown, formatText, type ConfigResult } from "../bench/report.js";

export interface BenchFlags {
  vs: string;
  json: boolean;
  python: string;
  /** Overrides of the named configuration (quick runs). */
  n?: number;
  p?: number;
  duration?: number;
  /** Write <results>/<YYYY-MM-DD>.md. */
  results?: string;
  /** Run each config of `all` in its own process (peak memory per config). */
  isolate: boolean;
  /** Repository root (examples/, the Brian2 driver); the installed tree by default. */
  root?: string;
  /** `--weight-bits 16`: glia's runs store per-synapse weights in 16 bits (RunOptions.weightBits). */
  weightBits?: 16;
}

export const BENCH_NAMES: string[] = [...BENCH_CONFIGS.map((c) => c.name), "all"];

/** --n (a whole number of neurons, at least 10 so both populations exist) or --p (a probability). */
export function parseBenchNumber(text: string, option: string, integer: boolean): number {
  const x = Number(text);
  if (integer ? !(Number.isInteger(x) && x >= 10) : !(x > 0 && x <= 1)) {
    throw new UsageError(
      `${option}: expected ${integer ? "a whole number of neurons (at least 10)" : "a probability in (0, 1]"}, got '${text}'`,
    );
  }
  return x;
}

function withOverrides(c: BenchConfig, f: BenchFlags): BenchConfig {
  if (f.n === undefined && f.p === undefined && f.duration === undefined) return c;
  if (c.model === "microcircuit") {
    if (f.n !== undefined || f.p !== undefined)
      throw new UsageError(`bench ${c.name}: --n and --p do not apply (its size is the scale; --duration does)`);
    const duration = f.duration!;
    if (!(duration > (c.transient ?? 0)))
      throw new UsageError(`--duration: ${c.name} drops its first ${(c.transient ?? 0) * 1e3} ms, run longer`);
    return {
      ...c,
      duration,
      description: `${c.description.replace(/, [0-9.]+ s \(rates.*$/, "")}, ${duration} s (overridden)`,
    };
  }
  const n = f.n ?? c.n;
  const p = f.p ?? c.p;
  const duration = f.duration ?? c.duration;
  return { ...c, n, p, duration, description: `${c.model.toUpperCase()} N=${n} p=${p}, ${duration} s (overridden)` };
}

/** The command line that runs one config in a fresh glia process, when this process is the glia CLI. */
function selfCommand(): { command: string; prefix: string[] } | undefined {
  const entry = process.argv[1];
  if (!entry || !/(^|\/)(glia|glia\.js|main\.js)$/.test(entry)) return undefined;
  return { command: process.execPath, prefix: [...process.execArgv, entry] };
}

function childArgs(name: string, f: BenchFlags): string[] {
  const args = ["bench", name, "--json", "--vs", f.vs, "--python", f.python];
  if (f.n !== undefined) args.push("--n", String(f.n));
  if (f.p !== undefined) args.push("--p", String(f.p));
  if (f.duration !== undefined) args.push("--duration", `${f.duration}s`);
  if (f.weightBits !== undefined) args.push("--weight-bits", String(f.weightBits));
  return args;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function resultsMarkdown(
  results: ConfigResult[],
  invocation: string,
  loadBefore: number[],
  loadAfter: number[],
): string {
  const cpu = cpus();
  return [
    `# glia bench, ${new Date().toISOString()}`,
    "",
    `Command: \`${invocation}\``,
    "",
    `Host: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} logical CPUs, Node ${process.version}. ` +
      `Load average (1, 5, 15 min) before: ${loadBefore.map((x) => x.toFixed(2)).join(", ")}; after: ${loadAfter.map((x) => x.toFixed(2)).join(", ")}.`,
    "",
    "glia: wasm target (f32x4 SIMD). compile s = front end + kernel codegen/-O3 + instantiation (source to instantiated module), " +
      "timed after one warm-up compile of the same configuration; sim s = the simulation loop; total s = front end + setup (network construction, memory layout, kernels) + sim; " +
      "each glia row is the median (by sim s) of 3 compile-and-run cycles in one process (extra.sim_s_min / sim_s_max: the others). " +
      "Brian2: cpp_standalone via test/bench/brian2/brian2_bench.py; sim s = Brian's own run timer; total s = setup + codegen + make + binary " +
      "(Python start-up and import excluded). Peak MiB: glia = the bench process's max RSS; Brian2 = the compiled binary's max RSS. " +
      "Ratios are glia / Brian2 (below 1: glia faster). Threads: the wasm target's default (one thread below 16384 neurons, all cores from there); Brian2 single-threaded; " +
      "where the default is threaded, a glia-wasm-1thread row gives the speed-up vs 1 thread (its sim s / the default's). " +
      "Emulator rows: the cycle-accurate emulator (targets/emulator) on the first 0.1 s of CUBA N=4000 mapped to the hardware preset; " +
      "sim s = the emulator's wall time, compile s = front end + mapping; cycles are emulated hardware cycles. " +
      "Microcircuit configs (examples/microcircuit.glia at the config's scale, 1.1 s, seed 55): every engine on 2 threads, one run each; " +
      "glia = compile + network construction + simulation in this process; NEST 3.10 = test/bench/nest/microcircuit_nest.py (build = Create + Connect + Prepare, peak = that process); " +
      "Brian2 2.9 cpp_standalone with OpenMP = test/bench/brian2/microcircuit_brian2.py (build = Python description + codegen + make + the binary's set-up, peak = the binary); " +
      "rates over [0.1 s, 1.1 s). The full-scale `microcircuit` is not part of `all` (run it by name: several GiB and many minutes per engine).",
    "",
    formatMarkdown(results),
    "Raw results (one JSON object per configuration):",
    "",
    "```json",
    ...results.map((r) => JSON.stringify(r)),
    "```",
    "",
  ].join("\n");
}

export async function benchCommand(name: string, flags: BenchFlags, io: CliIo): Promise<number> {
  if (!BENCH_NAMES.includes(name))
    throw new UsageError(`bench: unknown configuration '${name}' (choose from ${BENCH_NAMES.join(", ")})`);
  if (flags.vs !== "none" && !PEERS[flags.vs])
    throw new UsageError(`--vs: expected ${[...Object.keys(PEERS), "none"].join(" or ")}, got '${flags.vs}'`);
  // a bad --results is found before minutes of benchmarking
  if (flags.results !== undefined && badOutput(io, flags.results, "dir")) return EXIT.diagnostics;
  const configs = (name === "all" ? allConfigs() : [findConfig(name)!]).map((c) => withOverrides(c, flags));
  const ctx: BenchContext = {
    host: io.host,
    root: flags.root ?? REPO_ROOT,
    python: flags.python,
    ...(flags.weightBits !== undefined ? { weightBits: flags.weightBits } : {}),
  };
  const engines = benchEngines(flags.vs);
  const log = (line: string): void => io.err(`${line}\n`);
  const loadBefore = loadavg();

  const results: ConfigResult[] = [];
  const self = name === "all" && flags.isolate ? selfCommand() : undefined;
  for (const config of configs) {
    if (self) {
      const r = await runIsolated(self.command, [...self.prefix, ...childArgs(config.name, flags)], log);
      if ("problem" in r) {
        io.err(`glia bench: ${config.name} failed: ${r.problem}\n`);
        return EXIT.diagnostics;
      }
      results.push(r.result);
    } else {
      const r = await runConfig(config, engines, ctx, log);
      if ("failure" in r) {
        reportDiagnostics(r.failure.diagnostics, r.failure.sources, io);
        return EXIT.diagnostics;
      }
      results.push(r.result);
    }
    if (flags.json)
      io.out(
        configs.length === 1
          ? JSON.stringify(results[0], null, 2) + "\n"
          : JSON.stringify(results[results.length - 1]) + "\n",
      );
  }
  if (results.some((r) => r.glia_sim_s === null)) {
    for (const r of results) for (const n of r.notes) io.err(`glia bench: ${r.config}: ${n}\n`);
    return EXIT.diagnostics;
  }
  if (!flags.json) {
    io.out(formatText(results));
    if (flags.vs === "none") io.out("note: no peer simulator run (--vs none)\n");
  }
  if (flags.results) {
    const file = posix.join(flags.results, `${today()}.md`);
    io.writeFile(
      file,
      resultsMarkdown(
        results,
        `glia bench ${name}${flags.vs !== "brian2" ? ` --vs ${flags.vs}` : ""}`,
        loadBefore,
        loadavg(),
      ),
    );
    io.err(`glia bench: wrote ${file}\n`);
  }
  return EXIT.ok;
}
