// `glia export FILE --to ENGINE -o DIR`: hand a model to another simulator, through the driver (the registry's
// emit entries with `command: "export"`: brian2, nest, ...). In: a file, the engine and the output directory;
// out: the engine's script and glia's network files in DIR (E0808 for a construct the engine cannot express,
// E0607 when DIR is unusable), exit 0/1/2.

import { reportDiagnostics } from "../report-diagnostics.js";
import { printEmitted } from "../emit-output.js";
import { EXIT, badOutput, type CliIo } from "../io.js";

export interface ExportFlags {
  to: string;
  out: string;
}

export async function exportCommand(file: string, flags: ExportFlags, io: CliIo): Promise<number> {
  const driver = await import("../../targets/driver/driver.js");
  const entry = driver.findEmitTarget(flags.to, undefined, "export")!;
  if (badOutput(io, flags.out, "dir")) return EXIT.diagnostics;
  const sources = new Set<string>([file]);
  const report = (d: Parameters<typeof reportDiagnostics>[0], s: ReadonlyMap<string, string>): boolean => {
    for (const f of s.keys()) sources.add(f);
    return reportDiagnostics(d, s, io);
  };
  const r = await driver.emitTarget(entry, { file, out: flags.out }, io.host, report);
  const code = printEmitted(r, io, sources);
  if (code === EXIT.ok && r) io.out(`glia: exported to ${flags.to}: ${r.files?.length ?? 0} files in ${flags.out}\n`);
  return code;
}
