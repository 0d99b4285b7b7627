// `glia emulate FILE|desc.json --hw PRESET [--duration D] [--json] [--out DIR] [--check]`: map a model (or
// load a descriptor) and run the cycle-accurate emulator, through the driver (the registry's `emulator` entry).
// In: a file and options; out: cycles, latency, energy (text or one JSON object), report.html in DIR; --check
// fails on the first spike that differs from the fixed-point executor on the same descriptor.

import type { EmitOptions } from "../../targets/target.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { makeProgress } from "../progress.js";
import { printEmitted } from "../emit-output.js";
import { EXIT, badOutput, type CliIo } from "../io.js";
import type { EmitResult } from "../../targets/target.js";

export interface EmulateFlags {
  hw: string;
  duration?: number;
  json: boolean;
  out?: string;
  check: boolean;
  /** Map models outside the cores' native dynamics as approximations (W1014) instead of refusing them (E0814). */
  allowApproximateCores?: boolean;
}

export async function emulateCommand(file: string, flags: EmulateFlags, io: CliIo): Promise<number> {
  if (flags.out !== undefined && badOutput(io, flags.out, "dir")) return EXIT.diagnostics;
  const driver = await import("../../targets/driver/driver.js");
  const sources = new Set<string>();
  const report = (d: Parameters<typeof reportDiagnostics>[0], s: ReadonlyMap<string, string>): boolean => {
    for (const f of s.keys()) sources.add(f);
    return reportDiagnostics(d, s, io);
  };
  const progress = makeProgress(io.isTTY && !flags.json, `emulate ${flags.hw}`);
  const options: EmitOptions = {
    file,
    hw: flags.hw,
    duration: flags.duration,
    json: flags.json,
    out: flags.out,
    check: flags.check,
    allowApproximateCores: flags.allowApproximateCores || undefined,
    onProgress: (f) => progress.update(f),
  };
  let r: EmitResult | undefined;
  try {
    r = file.endsWith(".json")
      ? driver.emulateDescriptorFile(options, io.host, report)
      : await driver.emitTarget(driver.findEmitTarget("emulator", undefined, "emulate")!, options, io.host, report);
  } finally {
    progress.stop();
  }
  return printEmitted(r, io, sources);
}
