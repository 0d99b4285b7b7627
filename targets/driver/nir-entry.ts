// A .nir file as the entry of run, compile and emulate: converted to glia source first (targets/nir/import.ts)
// and served from memory beside the .nir file. In: the path, the source host, NIR options; out: the entry path to
// compile (FILE.nir.glia, which exists only in the returned host) and that host, or diagnostics (E0601 when the
// file cannot be read). Any other path passes through unchanged.

import { posix } from "node:path";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { Diagnostics } from "../../compiler/diagnostics/diagnostic.js";
import type { SourceHost } from "../../compiler/syntax/load.js";
import type { ConventionName } from "../../compiler/nir/conventions.js";
import { fileSpan } from "../../compiler/nir/flatten.js";

export interface NirEntryOptions {
  convention?: ConventionName;
  /** s */
  dt?: number;
  /** s: the generated `run` (a --duration still overrides it) */
  duration?: number;
  /** csv_spikes file for the Input, as given on the command line */
  inputSpikes?: string;
}

export const isNirPath = (file: string): boolean => file.toLowerCase().endsWith(".nir");

export async function nirEntry(
  file: string,
  host: SourceHost,
  options: NirEntryOptions = {},
): Promise<{ entry: string; host: SourceHost; text?: string; diagnostics: Diagnostic[] }> {
  if (!isNirPath(file)) return { entry: file, host, diagnostics: [] };
  const bytes = host.readBytes?.(file);
  if (!bytes) {
    const d = new Diagnostics();
    const why = host.readError?.(file);
    d.error("E0601", fileSpan(file), `cannot read file '${file}'${why ? ` (${why})` : ""}`, {
      hint: "check the path and that the file exists and is readable",
    });
    return { entry: file, host, diagnostics: d.items };
  }
  const { importNir } = await import("../nir/import.js");
  const dir = posix.dirname(file);
  const inputSpikes = options.inputSpikes !== undefined ? posix.relative(dir, options.inputSpikes) : undefined;
  const imported = await importNir(bytes, file, { ...options, inputSpikes, dataDir: posix.basename(file) + ".data" });
  const entry = `${file}.glia`;
  if (imported.text === undefined) return { entry: file, host, diagnostics: imported.diagnostics };
  const memory = new Map<string, string>([[entry, imported.text]]);
  for (const [p, content] of imported.data) memory.set(posix.normalize(posix.join(dir, p)), content);
  const overlay: SourceHost = {
    ...host,
    readFile: (p) => memory.get(p) ?? host.readFile(p),
    realPath: (p) => (memory.has(p) ? undefined : host.realPath?.(p)),
  };
  return { entry, host: overlay, text: imported.text, diagnostics: imported.diagnostics };
}
