// `glia compile FILE [--emit STAGE] [--target NAME [--hw SPEC] [-o FILE]] [--verify]`: prints one stage of the
// pipeline (ir-after=all: the IR after build and after every pass, each under a `=== ir after NAME ===` header),
// or what an emit target makes of the program (targets/driver/registry.ts: fixed, wat, crossbar, fpga, ...).
// In: a file and the flags; out: the stage's deterministic text on stdout (or the target's files), exit 0/1/2.

import { compile, passNames } from "../../compiler/pipeline.js";
import { printProgramAst } from "../../compiler/syntax/print-ast.js";
import { printIR } from "../../compiler/ir/print.js";
import { irToJson } from "../../compiler/ir/json.js";
import { OPTIONS } from "../../targets/driver/registry.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { printEmitted } from "../emit-output.js";
import { EXIT, UsageError, badOutput, type CliIo } from "../io.js";

export interface CompileFlags {
  emit: string;
  /** False when --emit was left at its default (a target then picks its own output). */
  emitGiven: boolean;
  target?: string;
  hw?: string;
  neuronsPerCore?: number;
  out?: string;
  /** Run the IR verifier after build and every pass (E0701 on failure). */
  verify?: boolean;
  /** crossbar/fpga: map models outside the cores' native dynamics as approximations (W1014). */
  allowApproximateCores?: boolean;
}

export async function compileCommand(file: string, flags: CompileFlags, io: CliIo): Promise<number> {
  const driver = await import("../../targets/driver/driver.js");
  const entry = driver.findEmitTarget(flags.target, flags.emit);
  if (!entry) {
    for (const [name, value] of [
      ["hw", flags.hw],
      ["out", flags.out],
    ] as const) {
      if (value !== undefined)
        throw new UsageError(
          `${OPTIONS[name].usage.split(" ")[0]} needs --target ${driver.targetsTaking(name, "compile").join(" | ")}`,
        );
    }
    return emitStage(file, flags.emit, [...driver.emitStages()], io, flags.verify ?? false);
  }
  // -o is checked before compiling (not the entry file, not a directory), and again against every source
  if (flags.out !== undefined && badOutput(io, flags.out, "file", [file])) return EXIT.diagnostics;
  const sources = new Set<string>([file]);
  const report = (d: Parameters<typeof reportDiagnostics>[0], s: ReadonlyMap<string, string>): boolean => {
    for (const f of s.keys()) sources.add(f);
    return reportDiagnostics(d, s, io);
  };
  // --emit goes to the target only when it chose the target's output (not when it selected the target)
  const emit = flags.target !== undefined && flags.emitGiven ? flags.emit : undefined;
  return printEmitted(
    await driver.emitTarget(
      entry,
      {
        file,
        hw: flags.hw,
        out: flags.out,
        emit,
        verify: flags.verify,
        neuronsPerCore: flags.neuronsPerCore,
        allowApproximateCores: flags.allowApproximateCores || undefined,
      },
      io.host,
      report,
    ),
    io,
    sources,
  );
}

/** The front end's stages: ast, ir, ir-json, ir-after=PASS (`targetStages`: the --emit stages of emit targets,
 *  for the message). */
async function emitStage(
  file: string,
  emit: string,
  targetStages: string[],
  io: CliIo,
  verify: boolean,
): Promise<number> {
  let stopAfter: string | undefined;
  if (emit === "ir-after=all") {
    const all = compile(file, io.host, { verify, keepStages: true });
    if (reportDiagnostics(all.diagnostics, all.sources, io) || !all.stages) return EXIT.diagnostics;
    io.out(all.stages.map((s) => `=== ir after ${s.name} ===\n${printIR(s.ir)}`).join("\n"));
    return EXIT.ok;
  } else if (emit.startsWith("ir-after=")) {
    stopAfter = emit.slice("ir-after=".length);
    if (!passNames().includes(stopAfter))
      throw new UsageError(`--emit ir-after: unknown pass '${stopAfter}' (passes: ${passNames().join(", ")}, or all)`);
  } else if (!["ast", "ir", "ir-json"].includes(emit)) {
    throw new UsageError(
      `--emit: expected ${["ast", "ir", "ir-json", "ir-after=PASS", "ir-after=all"].join(", ")} or ${targetStages.join(", ")}, got '${emit}'`,
    );
  }
  // the AST needs no IR (a file of models only prints its AST without E0515)
  const r = compile(file, io.host, { stopAfter: emit === "ast" ? "check" : stopAfter, verify });
  if (emit === "ast") {
    if (reportDiagnostics(r.diagnostics, r.sources, io) && !r.program) return EXIT.diagnostics;
    if (r.program) io.out(printProgramAst(r.program));
    return r.diagnostics.some((d) => d.severity === "error") ? EXIT.diagnostics : EXIT.ok;
  }
  if (reportDiagnostics(r.diagnostics, r.sources, io) || !r.ir) return EXIT.diagnostics;
  io.out(emit === "ir-json" ? irToJson(r.ir) + "\n" : printIR(r.ir));
  return EXIT.ok;
}
