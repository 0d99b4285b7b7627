// `glia import FILE.nir [-o model.glia] [--nir-convention C] [--nir-dt T] [--duration T] [--nir-input F]`: a NIR
// model as readable glia source. In: the .nir file and options; out: the glia text on stdout, or written to -o
// with the data files it names beside it (connection lists too long to inline), exit 0/1/2.

import * as path from "node:path";
import type { NirEntryOptions } from "../../targets/driver/nir-entry.js";
import { EXIT, badOutput, type CliIo } from "../io.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { fileSpan } from "../../compiler/nir/flatten.js";

export async function importCommand(
  file: string,
  flags: NirEntryOptions & { out?: string },
  io: CliIo,
): Promise<number> {
  if (flags.out !== undefined && badOutput(io, flags.out, "file", [file])) return EXIT.diagnostics;
  const bytes = io.host.readBytes?.(file);
  if (!bytes) {
    const why = io.host.readError?.(file);
    const d = {
      code: "E0601" as const,
      severity: "error" as const,
      message: `cannot read file '${file}'${why ? ` (${why})` : ""}`,
      span: fileSpan(file),
      related: [],
      hint: "check the path and that the file exists and is readable",
    };
    reportDiagnostics([d], new Map(), io);
    return EXIT.diagnostics;
  }
  const { importNir } = await import("../../targets/nir/import.js");
  const outDir = flags.out !== undefined ? path.dirname(flags.out) : ".";
  const stem = flags.out !== undefined ? path.basename(flags.out).replace(/\.glia$/, "") : "model";
  const inputSpikes = flags.inputSpikes !== undefined ? path.relative(outDir, flags.inputSpikes) : undefined;
  const r = await importNir(bytes, file, { ...flags, inputSpikes, dataDir: `${stem}.data` });
  if (reportDiagnostics(r.diagnostics, new Map(), io) || r.text === undefined) return EXIT.diagnostics;
  if (flags.out === undefined) {
    io.out(r.text);
    if (r.data.size > 0) io.err(`glia: ${r.data.size} data files not written (give -o FILE.glia to write them)\n`);
    return EXIT.ok;
  }
  for (const p of r.data.keys()) if (badOutput(io, path.join(outDir, p), "file")) return EXIT.diagnostics;
  io.writeFile(flags.out, r.text);
  for (const [p, content] of r.data) io.writeFile(path.join(outDir, p), content);
  io.err(`glia: wrote ${flags.out}${r.data.size ? ` and ${r.data.size} data files in ${outDir}/${stem}.data` : ""}\n`);
  return EXIT.ok;
}
