// `glia emulate FILE|desc.json [--hw PRESET] [--duration D] [--json] [--out DIR] [--check] [--compare T] [--numeric-guard M]`: map a
// model (or load a descriptor, which runs on the spec it embeds) and run the cycle-accurate emulator, through the
// driver (the registry's `emulator` entry). In: a file and options; out: per-population spikes and rates, cycles,
// latency, energy (text or one JSON object), summary.json, spikes.csv, traces.csv and report.html in DIR; --check
// fails on the first spike that differs from the fixed-point executor on the same descriptor; --compare T runs
// the model on target T too and prints the fidelity report.

import type { EmitOptions } from "../../targets/target.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { makeProgress } from "../progress.js";
import { printEmitted } from "../emit-output.js";
import { EXIT, badOutput, type CliIo } from "../io.js";
import type { EmitResult } from "../../targets/target.js";

export interface EmulateFlags {
  hw?: string;
  duration?: number;
  json: boolean;
  out?: string;
  check: boolean;
  /** `--numeric-guard`: EmitOptions.numericGuard (error: true, warn: "warn", off: false). */
  numericGuard?: boolean | "warn";
  neuronsPerCore?: number;
  /** `--compare TARGET`: run the model on TARGET too and print the fidelity report (models only). */
  compare?: string;
  /** Map models outside the cores' native dynamics as approximations (W1014) instead of refusing them (E0814). */
  allowApproximateCores?: boolean;
}

export async function emulateCommand(file: string, flags: EmulateFlags, io: CliIo): Promise<number> {
  if (flags.compare !== undefined && file.endsWith(".json")) {
    io.err("glia: --compare needs the model (.glia), not a descriptor\n");
    return EXIT.usage;
  }
  if (flags.out !== undefined && badOutput(io, flags.out, "dir")) return EXIT.diagnostics;
  const driver = await import("../../targets/driver/driver.js");
  const sources = new Set<string>();
  const report = (d: Parameters<typeof reportDiagnostics>[0], s: ReadonlyMap<string, string>): boolean => {
    for (const f of s.keys()) sources.add(f);
    return reportDiagnostics(d, s, io);
  };
  const progress = makeProgress(io.isTTY && !flags.json, `emulate ${flags.hw ?? file}`);
  const options: EmitOptions = {
    file,
    hw: flags.hw,
    duration: flags.duration,
    json: flags.json,
    out: flags.out,
    check: flags.check,
    numericGuard: flags.numericGuard,
    neuronsPerCore: flags.neuronsPerCore,
    allowApproximateCores: flags.allowApproximateCores || undefined,
    onProgress: (f) => progress.update(f),
  };
  let r: EmitResult | undefined;
  if (file.endsWith(".json") && flags.neuronsPerCore !== undefined) {
    // a descriptor is already mapped: its cores are fixed, the option would be ignored
    const message = `--neurons-per-core applies when mapping a model; ${file} is a descriptor, already mapped onto its cores`;
    const hint = "give the model (.glia or .nir) to remap it, or leave the option out";
    const d = {
      code: "E0801" as const,
      severity: "error" as const,
      message,
      span: syntheticSpan(file),
      related: [],
      hint,
    };
    report([d], new Map());
    return EXIT.diagnostics;
  }
  try {
    r = file.endsWith(".json")
      ? driver.emulateDescriptorFile(options, io.host, report)
      : await driver.emitTarget(driver.findEmitTarget("emulator", undefined, "emulate")!, options, io.host, report);
  } finally {
    progress.stop();
  }
  if (r?.run && flags.compare && !r.failure) {
    const ran = await driver.runTarget(flags.compare, file, io.host, { duration: flags.duration }, report);
    if (!ran.result || !ran.ir) return EXIT.diagnostics;
    const { fidelityContext } = await import("../../targets/driver/fidelity.js");
    const { fidelityReport, fidelityText } = await import("../../targets/fidelity/report.js");
    const fidelity = fidelityReport(r.run, ran.result, {}, fidelityContext(ran.ir));
    r = {
      ...r,
      stdout: flags.json
        ? JSON.stringify({ ...JSON.parse(r.stdout ?? "{}"), fidelity }, null, 2) + "\n"
        : (r.stdout ?? "") + fidelityText(fidelity),
      failure: r.failure,
    };
  }
  return printEmitted(r, io, sources);
}
