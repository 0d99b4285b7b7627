// `glia export FILE --to ENGINE -o OUT`: hand a model to another tool, through the driver (the registry's emit
// entries with `command: "export"`: brian2 and nest write a directory (the script, README.md, glia's network files),
// nir writes one .nir file, sanafe a directory (network.yaml, arch.yaml of --hw, run.py, README.md)). In: a file, the engine and the output path; out: the files written (E0808 for a
// construct the engine cannot express, E0607 when the output is unusable), exit 0/1/2.

import { reportDiagnostics } from "../report-diagnostics.js";
import { printEmitted } from "../emit-output.js";
import { EXIT, badOutput, type CliIo } from "../io.js";

export interface ExportFlags {
  to: string;
  out: string;
  /** --hw (sanafe: the preset its placement and architecture come from) and --duration (sanafe: the input
   *  spike trains' length); the registry refuses them for engines that do not take them. */
  hw?: string;
  duration?: number;
}

/** Engines whose -o names one file (the others write a directory). */
const SINGLE_FILE = new Set(["nir"]);

export async function exportCommand(file: string, flags: ExportFlags, io: CliIo): Promise<number> {
  const driver = await import("../../targets/driver/driver.js");
  const entry = driver.findEmitTarget(flags.to, undefined, "export")!;
  if (badOutput(io, flags.out, SINGLE_FILE.has(flags.to) ? "file" : "dir", [file])) return EXIT.diagnostics;
  const sources = new Set<string>([file]);
  const report = (d: Parameters<typeof reportDiagnostics>[0], s: ReadonlyMap<string, string>): boolean => {
    for (const f of s.keys()) sources.add(f);
    return reportDiagnostics(d, s, io);
  };
  const r = await driver.emitTarget(
    entry,
    { file, out: flags.out, hw: flags.hw, duration: flags.duration },
    io.host,
    report,
  );
  const code = printEmitted(r, io, sources);
  if (code === EXIT.ok && r && !SINGLE_FILE.has(flags.to))
    io.out(`glia: exported to ${flags.to}: ${r.files?.length ?? 0} files in ${flags.out}\n`);
  return code;
}
