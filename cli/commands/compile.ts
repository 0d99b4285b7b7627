// `glia compile FILE --emit ast|ir|ir-after=PASS|ir-after=all|ir-json [--verify]`: prints one stage of the
// pipeline (ir-after=all: the IR after build and after every pass, each under a `=== ir after NAME ===` header).
// In: a file and an emit choice; out: the stage's deterministic text on stdout, exit 0/1/2.

import { compile, passNames } from "../../compiler/pipeline.js";
import { printProgramAst } from "../../compiler/syntax/print-ast.js";
import { printIR } from "../../compiler/ir/print.js";
import { irToJson } from "../../compiler/ir/json.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { EXIT, UsageError, type CliIo } from "../io.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";

export async function compileCommand(file: string, emit: string, io: CliIo, opts: { target?: string; hw?: string; out?: string; verify?: boolean } = {}): Promise<number> {
  if (opts.target === "crossbar" || opts.target === "fpga") return (await import("./map-hardware.js")).lowerCommand(file, opts.target, opts.hw, opts.out, io);
  if (opts.target !== undefined && opts.target !== "fixed") throw new UsageError(`--target: compile knows only 'fixed' (the fixed-point IR), got '${opts.target}'`);
  if (opts.hw !== undefined && opts.target !== "fixed") throw new UsageError("--hw needs --target fixed");
  let stopAfter: string | undefined;
  if (emit === "ir-after=all") {
    if (opts.target === "fixed") throw new UsageError("--target fixed: only --emit ir is available");
    const all = compile(file, io.host, { verify: opts.verify, keepStages: true });
    if (reportDiagnostics(all.diagnostics, all.sources, io) || !all.stages) return EXIT.diagnostics;
    io.out(all.stages.map((s) => `=== ir after ${s.name} ===\n${printIR(s.ir)}`).join("\n"));
    return EXIT.ok;
  } else if (emit.startsWith("ir-after=")) {
    stopAfter = emit.slice("ir-after=".length);
    if (!passNames().includes(stopAfter)) throw new UsageError(`--emit ir-after: unknown pass '${stopAfter}' (passes: ${passNames().join(", ")}, or all)`);
  } else if (!["ast", "ir", "ir-json", "wat"].includes(emit)) {
    throw new UsageError(`--emit: expected ast, ir, ir-json, ir-after=PASS, ir-after=all or wat, got '${emit}'`);
  }
  // the AST needs no IR (a file of models only prints its AST without E0515)
  const r = compile(file, io.host, { stopAfter: emit === "ast" ? "check" : stopAfter, verify: opts.verify });
  if (emit === "ast") {
    if (reportDiagnostics(r.diagnostics, r.sources, io) && !r.program) return EXIT.diagnostics;
    if (r.program) io.out(printProgramAst(r.program));
    return r.diagnostics.some((d) => d.severity === "error") ? EXIT.diagnostics : EXIT.ok;
  }
  if (reportDiagnostics(r.diagnostics, r.sources, io) || !r.ir) return EXIT.diagnostics;
  if (emit === "wat") {
    const { emitWat } = await import("../../targets/wasm/index.js");
    const problems: Diagnostic[] = [];
    const wat = emitWat(r.ir, problems);
    if (reportDiagnostics(problems, r.sources, io)) return EXIT.diagnostics;
    io.out(wat);
    return EXIT.ok;
  }
  if (opts.target === "fixed") {
    if (emit !== "ir") throw new UsageError("--target fixed: only --emit ir is available");
    const { fixedIrText } = await import("./compile-fixed.js");
    const fx = fixedIrText(r.ir, opts.hw);
    if (reportDiagnostics(fx.diagnostics, r.sources, io) && !fx.text) return EXIT.diagnostics;
    io.out(fx.text!);
    return EXIT.ok;
  }
  io.out(emit === "ir-json" ? irToJson(r.ir) + "\n" : printIR(r.ir));
  return EXIT.ok;
}
