// Prints diagnostics for the CLI. In: diagnostics + sources; out: formatted text on stderr (sorted, the
// first MAX_SHOWN in full, then one line counting the rest, then a closing count line) and whether any of
// them is an error.

import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import { hasErrors, sortDiagnostics } from "../compiler/diagnostics/diagnostic.js";
import { formatDiagnostic, MAX_SHOWN, notShownLine } from "../compiler/diagnostics/format.js";
import { displayPath } from "../compiler/syntax/load.js";
import type { CliIo } from "./io.js";

export function reportDiagnostics(
  list: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  io: CliIo,
): boolean {
  const sorted = sortDiagnostics(list);
  for (const d of sorted.slice(0, MAX_SHOWN)) io.err(formatDiagnostic(d, sources, displayPath) + "\n\n");
  const rest = notShownLine(sorted.slice(MAX_SHOWN));
  if (rest) io.err(rest + "\n");
  const errors = sorted.filter((d) => d.severity === "error").length;
  const warnings = sorted.filter((d) => d.severity === "warning").length;
  if (errors + warnings > 0)
    io.err(`${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`);
  return hasErrors(list);
}
