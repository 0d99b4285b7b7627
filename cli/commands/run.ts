// `glia run FILE [--target T] [--duration D] [--seed N] [--out DIR] [--json] [--hw SPEC] [--compare T] [--verify]`:
// compile and simulate through the driver (targets/driver; with --compare: a second target on the same IR and the
// fidelity report). In: a file and options; out: a summary (text or one JSON object) on stdout, result files in DIR.

import { reportDiagnostics } from "../report-diagnostics.js";
import { makeProgress } from "../progress.js";
import { EXIT, badOutput, jsonError, type CliIo } from "../io.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { watchInterrupt, type Interrupt } from "../interrupt.js";
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
  /** `--weight-bits 16`: RunOptions.weightBits. */
  weightBits?: 16;
  /** Run the IR verifier after build and every pass (`--verify`; a failure is E0701). */
  verify?: boolean;
  /** `--window FROM:TO` in seconds: rates over that window as well. */
  window?: [number, number];
  /** `--numeric-guard`: RunOptions.numericGuard (error: true, warn: "warn", off: false). */
  numericGuard?: boolean | "warn";
}

export async function runCommand(file: string, flags: RunFlags, io: CliIo): Promise<number> {
  // Ctrl-C from here on ends the simulation at its next 1% and still writes what was recorded (only in the real
  // process: an embedding io, like the tests' in-process CLI, keeps the host's signal handling)
  const interrupt = io.interruptible ? watchInterrupt() : undefined;
  await interrupt?.ready;
  try {
    return await runAndReport(file, flags, io, interrupt);
  } finally {
    interrupt?.dispose();
  }
}

async function runAndReport(file: string, flags: RunFlags, io: CliIo, interrupt?: Interrupt): Promise<number> {
  // a bad --out is found now, not after the simulation
  // --json: every diagnostic is also kept for the error object printed on failure
  const seen: Diagnostic[] = [];
  const failed = (): number => {
    if (flags.json) io.out(jsonError({ diagnostics: seen }) + "\n");
    return EXIT.diagnostics;
  };
  if (flags.out !== undefined && badOutput(io, flags.out, "dir", [], (d) => seen.push(d))) return failed();
  const { runTarget } = await import("../../targets/driver/driver.js");
  const showProgress = io.isTTY && !flags.json;
  const progress = makeProgress(showProgress, flags.target);
  const onProgress = showProgress ? (f: number): void => progress.update(f) : undefined;
  const report = (d: Parameters<typeof reportDiagnostics>[0], s: ReadonlyMap<string, string>): boolean => {
    seen.push(...d);
    return reportDiagnostics(d, s, io);
  };
  const ran = await runTarget(
    flags.target,
    file,
    io.host,
    {
      duration: flags.duration,
      seed: flags.seed,
      hw: flags.hw,
      threads: flags.threads,
      weightBits: flags.weightBits,
      onProgress,
      numericGuard: flags.numericGuard,
      shouldStop: interrupt ? () => interrupt.requested() : undefined,
    },
    report,
    { verify: flags.verify },
  );
  progress.stop();
  if (!ran.result || !ran.ir) return failed();
  const result = ran.result;
  let fidelity: FidelityReport | undefined;
  if (flags.compare && !result.interrupted) {
    const cmp = await compareRun(
      ran.ir,
      result,
      flags.compare,
      { duration: flags.duration, seed: flags.seed, hw: flags.hw },
      { vpQPerMs: flags.vpQPerMs, vrTauMs: flags.vrTauMs },
    );
    if (report(cmp.diagnostics, ran.sources) || !cmp.report) return failed();
    fidelity = cmp.report;
  }

  const summary = runSummary(result, ran.compileWallS, file, ran.ir, flags.window ?? ran.ir.window);
  const written = flags.out ? writeRunOutputs(flags.out, result, summary, io, ran.ir) : [];
  if (flags.json) io.out(JSON.stringify(fidelity ? { ...summary, fidelity } : summary, null, 2) + "\n");
  else {
    io.out(`${file}: ${result.steps} steps of ${result.dt * 1e3} ms on ${result.target}\n`);
    for (const [name, p] of Object.entries(result.populations)) {
      io.out(
        `  ${name.padEnd(12)} n=${String(p.n).padStart(6)}  spikes=${String(p.spikes).padStart(8)}  rate=${p.rate_hz.toFixed(2)} Hz\n`,
      );
    }
    io.out(`  mean rate ${summary.mean_rate_hz.toFixed(2)} Hz (neurons only)\n`);
    const w = summary.window;
    if (w) {
      io.out(`  window ${w.start_s * 1e3} ms to ${w.end_s * 1e3} ms (steps ${w.first_step} to ${w.end_step}):\n`);
      for (const [name, p] of Object.entries(w.populations))
        io.out(`    ${name.padEnd(10)} spikes=${String(p.spikes).padStart(8)}  rate=${p.rate_hz.toFixed(2)} Hz\n`);
      if (Object.keys(w.populations).length === 0) io.out("    (no spike monitors: record spikes of POP)\n");
    }
    io.out(`  synapses ${result.synapses}, synaptic events ${result.synapticEvents}\n`);
    io.out(
      `  compile ${ran.compileWallS.toFixed(3)} s, setup ${result.setupWallS.toFixed(3)} s, simulation ${result.simWallS.toFixed(3)} s\n`,
    );
    if (flags.out) io.out(`  wrote ${flags.out}/${written.join(", ")}\n`);
    if (fidelity) io.out(fidelityText(fidelity));
  }
  if (result.interrupted) {
    const where = flags.out ? `; what was recorded so far is in ${flags.out}` : "";
    io.err(
      `glia: interrupted at step ${result.steps} of ${result.interrupted.of} (t = ${+(result.steps * result.dt).toPrecision(6)} s)${where}\n`,
    );
    return EXIT.interrupted;
  }
  return EXIT.ok;
}
