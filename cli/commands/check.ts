// `glia check FILE...`: parse and check each file. In: file paths; out: diagnostics, exit 0 or 1.

import { loadProgram } from "../../compiler/syntax/load.js";
import { checkProgram } from "../../compiler/check/check.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { EXIT, type CliIo } from "../io.js";

export function checkCommand(files: string[], io: CliIo): number {
  let failed = false;
  for (const file of files) {
    const loaded = loadProgram(file, io.host);
    const diags = [...loaded.diagnostics];
    if (!hasErrors(diags)) diags.push(...checkProgram(loaded.program, loaded.data).diagnostics);
    if (reportDiagnostics(diags, loaded.sources, io)) failed = true;
    else io.out(`${file}: ok\n`);
  }
  return failed ? EXIT.diagnostics : EXIT.ok;
}
