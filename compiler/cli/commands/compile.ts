// `glia compile FILE --emit ast|ir|ir-after=PASS|ir-json`: prints one stage of the pipeline.
// In: a file and an emit choice; out: the stage's deterministic text on stdout, exit 0/1/2.

import { compile, passNames } from "../../pipeline.js";
import { printProgramAst } from "../../syntax/print-ast.js";
import { printIR } from "../../ir/print.js";
import { irToJson } from "../../ir/json.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { EXIT, UsageError, type CliIo } from "../io.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";

export async function compileCommand(file: string, emit: string, io: CliIo): Promise<number> {
  let stopAfter: string | undefined;
  if (emit.startsWith("ir-after=")) {
    stopAfter = emit.slice("ir-after=".length);
    if (!passNames().includes(stopAfter)) throw new UsageError(`--emit ir-after: unknown pass '${stopAfter}' (passes: ${passNames().join(", ")})`);
  } else if (!["ast", "ir", "ir-json", "wat"].includes(emit)) {
    throw new UsageError(`--emit: expected ast, ir, ir-json, ir-after=PASS or wat, got '${emit}'`);
  }
  const r = compile(file, io.host, { stopAfter });
  if (emit === "ast") {
    if (reportDiagnostics(r.diagnostics, r.sources, io) && !r.program) return EXIT.diagnostics;
    if (r.program) io.out(printProgramAst(r.program));
    return r.diagnostics.some((d) => d.severity === "error") ? EXIT.diagnostics : EXIT.ok;
  }
  if (reportDiagnostics(r.diagnostics, r.sources, io) || !r.ir) return EXIT.diagnostics;
  if (emit === "wat") {
    const { emitWat } = await import("../../../targets/wasm/index.js");
    const problems: Diagnostic[] = [];
    const wat = emitWat(r.ir, problems);
    if (reportDiagnostics(problems, r.sources, io)) return EXIT.diagnostics;
    io.out(wat);
    return EXIT.ok;
  }
  io.out(emit === "ir-json" ? irToJson(r.ir) + "\n" : printIR(r.ir));
  return EXIT.ok;
}
