// `glia run FILE [--target T] [--duration D] [--seed N] [--out DIR] [--json] [--hw SPEC] [--compare T] [--verify]`: compile and
// simulate (with --compare: a second target on the same IR and the fidelity report).
// In: a file and options; out: a summary (text or one JSON object) on stdout, result files in DIR.

import { compile } from "../../compiler/pipeline.js";
import { TARGETS } from "../targets.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { makeProgress } from "../progress.js";
import { EXIT, UsageError, type CliIo } from "../io.js";
import { runSummary, writeRunOutputs } from "../run-output.js";
import { compareRun } from "./fidelity.js";
import { fidelityText, type FidelityReport } from "../../targets/fidelity/report.js";

export interface RunFlags {
  target: string;
  duration?: number;
  seed?: number;
  out?: string;
  json: boolean;
  /** Hardware spec for the fixed target (preset or .json). */
  hw?: string;
  /** Second target to run for the fidelity report, and its distance parameters. */
  compare?: string;
  vpQPerMs?: number;
  vrTauMs?: number;
  /** Worker threads for the wasm target (undefined: the target decides). */
  threads?: number;
  /** Run the IR verifier after build and every pass (`--verify`; a failure is E0701). */
  verify?: boolean;
}

export async function runCommand(file: string, flags: RunFlags, io: CliIo): Promise<number> {
  const load = TARGETS[flags.target];
  if (!load) throw new UsageError(`--target: unknown target '${flags.target}' (targets: ${Object.keys(TARGETS).join(", ")})`);
  const target = await load();
  const t0 = performance.now();
  const compiled = compile(file, io.host, { verify: flags.verify });
  const compileWallS = (performance.now() - t0) / 1000;
  if (reportDiagnostics(compiled.diagnostics, compiled.sources, io) || !compiled.ir) return EXIT.diagnostics;

  const showProgress = io.isTTY && !flags.json;
  const progress = makeProgress(showProgress, `${target.name}`);
  const onProgress = showProgress ? (f: number): void => progress.update(f) : undefined;
  const ran = target.run(compiled.ir, { duration: flags.duration, seed: flags.seed, hw: flags.hw, threads: flags.threads, onProgress });
  progress.stop();
  if (reportDiagnostics(ran.diagnostics, compiled.sources, io) || !ran.result) return EXIT.diagnostics;
  let fidelity: FidelityReport | undefined;
  if (flags.compare) {
    const cmp = await compareRun(compiled.ir, ran.result, flags.compare, { duration: flags.duration, seed: flags.seed }, { vpQPerMs: flags.vpQPerMs, vrTauMs: flags.vrTauMs });
    if (reportDiagnostics(cmp.diagnostics, compiled.sources, io) || !cmp.report) return EXIT.diagnostics;
    fidelity = cmp.report;
  }

  const summary = runSummary(ran.result, compileWallS, file, compiled.ir.network);
  if (flags.out) writeRunOutputs(flags.out, ran.result, summary, io);
  if (flags.json) io.out(JSON.stringify(fidelity ? { ...summary, fidelity } : summary, null, 2) + "\n");
  else {
    io.out(`${file}: ${ran.result.steps} steps of ${ran.result.dt * 1e3} ms on ${ran.result.target}\n`);
    for (const [name, p] of Object.entries(ran.result.populations)) {
      io.out(`  ${name.padEnd(12)} n=${String(p.n).padStart(6)}  spikes=${String(p.spikes).padStart(8)}  rate=${p.rate_hz.toFixed(2)} Hz\n`);
    }
    io.out(`  synapses ${ran.result.synapses}, synaptic events ${ran.result.synapticEvents}\n`);
    io.out(`  compile ${compileWallS.toFixed(3)} s, setup ${ran.result.setupWallS.toFixed(3)} s, simulation ${ran.result.simWallS.toFixed(3)} s\n`);
    if (flags.out) io.out(`  wrote ${flags.out}/summary.json, spikes.csv, raster.svg\n`);
    if (fidelity) io.out(fidelityText(fidelity));
  }
  return EXIT.ok;
}
