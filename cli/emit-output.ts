// Prints what an emit target produced (targets/driver). In: the EmitResult (undefined: a stage reported errors)
// and a CliIo; out: the files written (none when one of them is unusable or one of the program's `sources`: E0607),
// the text on stdout, a failed check on stderr, and the exit code.

import type { EmitResult } from "../targets/target.js";
import { EXIT, badOutput, type CliIo } from "./io.js";

export function printEmitted(r: EmitResult | undefined, io: CliIo, sources: Iterable<string> = []): number {
  if (!r) return EXIT.diagnostics;
  for (const f of r.files ?? []) if (badOutput(io, f.path, "file", sources)) return EXIT.diagnostics;
  for (const f of r.files ?? []) io.writeFile(f.path, f.content);
  if (r.stdout !== undefined) io.out(r.stdout);
  if (r.failure !== undefined) {
    io.err(`glia: ${r.failure}\n`);
    return EXIT.diagnostics;
  }
  return EXIT.ok;
}
