// The glia pipeline in one place. In: an entry .glia file (through a SourceHost); out: every stage on
// request — AST, checked program, continuous IR, the IR after each pass, the discrete IR.
//
//   source ─ load+parse ─▶ Program (AST) ─ check ─▶ diagnostics
//          ─ build ─▶ IR (continuous) ─ PASSES, in order ─▶ IR (discrete) ─▶ targets
//
// Every stage is a pure function; diagnostics are collected, never thrown.

import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { hasErrors } from "./diagnostics/diagnostic.js";
import type { Program } from "./syntax/ast.js";
import { loadProgram, type SourceHost } from "./syntax/load.js";
import { checkProgram } from "./check/check.js";
import type { IRProgram } from "./ir/nodes.js";
import { buildIR } from "./ir/build.js";
import { verifyIR } from "./ir/verify.js";
import { inlineAliases } from "./passes/inline-aliases.js";
import { foldConstants } from "./passes/fold.js";
import { eliminateDeadState } from "./passes/dead-state.js";
import { solveOdes } from "./passes/solve-odes.js";
import { eventDrivenTraces } from "./passes/event-driven.js";
import { eliminateCommonSubexpressions } from "./passes/cse.js";

export interface Pass {
  name: string;
  run: (p: IRProgram) => IRProgram;
}

/** The optimization and lowering passes, in order. `--emit ir-after=NAME` prints the IR after NAME. */
export const PASSES: readonly Pass[] = [
  { name: "inline-aliases", run: inlineAliases }, // substitute named subexpressions into their uses
  { name: "fold", run: foldConstants }, // bind scalar parameters, fold constant arithmetic, simplify by rule table
  { name: "dead-state", run: eliminateDeadState }, // drop state/params nothing observable depends on
  { name: "solve-odes", run: solveOdes }, // continuous ODEs -> per-step update (exact / exp. Euler / RK4 / Euler)
  { name: "event-driven", run: eventDrivenTraces }, // synapse ODEs -> lazy closed-form advance at events
  { name: "fold-discrete", run: foldConstants }, // fold the propagator coefficients introduced above
  { name: "cse", run: eliminateCommonSubexpressions }, // shared subexpressions -> locals
];

export interface CompileOptions {
  /** Stop after this pass (name from PASSES); undefined runs them all. */
  stopAfter?: string;
  /** Run the IR verifier after every pass (tests do). */
  verify?: boolean;
}

export interface CompileResult {
  program?: Program;
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
  /** Continuous IR as built, before any pass. */
  built?: IRProgram;
  /** IR after the last pass run. */
  ir?: IRProgram;
}

/** Source to discrete IR. Stops at the first stage that reports errors. */
export function compile(entry: string, host: SourceHost, options: CompileOptions = {}): CompileResult {
  const loaded = loadProgram(entry, host);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const result: CompileResult = { program: loaded.program, sources: loaded.sources, diagnostics };
  if (hasErrors(diagnostics)) return result;

  const checked = checkProgram(loaded.program, loaded.data);
  diagnostics.push(...checked.diagnostics);
  if (hasErrors(diagnostics)) return result;

  let ir = buildIR(loaded.program, loaded.data);
  result.built = ir;
  if (options.verify) verifyOrThrow(ir, "build");
  if (options.stopAfter === "build") return { ...result, ir };
  for (const pass of PASSES) {
    ir = pass.run(ir);
    if (options.verify) verifyOrThrow(ir, pass.name);
    if (pass.name === options.stopAfter) break;
  }
  result.ir = ir;
  return result;
}

/** Names accepted by `--emit ir-after=NAME`. */
export function passNames(): string[] {
  return ["build", ...PASSES.map((p) => p.name)];
}

function verifyOrThrow(ir: IRProgram, after: string): void {
  const problems = verifyIR(ir);
  // A verifier failure is a compiler bug, not a user error: tests run with verify on and fail loudly.
  if (problems.length > 0) throw new Error(`IR verification failed after ${after}:\n${problems.join("\n")}`);
}
