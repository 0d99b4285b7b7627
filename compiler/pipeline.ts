// The glia pipeline in one place. In: an entry .glia file (through a SourceHost); out: every stage on
// request — AST, checked program, continuous IR, the IR after each pass, the discrete IR, and every
// stage's diagnostics (passes report through the pass manager, compiler/passes/manager.ts).
//
//   source ─ load+parse ─▶ Program (AST) ─ check ─▶ diagnostics
//          ─ build ─▶ IR (continuous) ─ PASSES, in order ─▶ IR (discrete) ─▶ targets
//
// Every stage is a pure function; diagnostics are collected, never thrown.

import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { hasErrors } from "./diagnostics/diagnostic.js";
import type { Program } from "./syntax/ast.js";
import type { Span } from "./diagnostics/span.js";
import { loadProgram, type SourceHost } from "./syntax/load.js";
import { checkProgram } from "./check/check.js";
import type { IRProgram } from "./ir/nodes.js";
import { buildIR } from "./ir/build.js";
import { runPasses, type Pass } from "./passes/manager.js";
import { inlineAliases } from "./passes/inline-aliases.js";
import { foldConstants } from "./passes/fold.js";
import { eliminateDeadState } from "./passes/dead-state.js";
import { solveOdes } from "./passes/solve-odes.js";
import { eventDrivenTraces } from "./passes/event-driven.js";
import { eliminateCommonSubexpressions } from "./passes/cse.js";

export type { Pass } from "./passes/manager.js";

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
  /** Stop after this pass (name from PASSES, or "build"; "check": build nothing); undefined runs them all. */
  stopAfter?: string;
  /** Run the IR verifier after build and every pass (tests and `--verify` do); a failure is an E0701 error. */
  verify?: boolean;
  /** Keep the IR after build and after each pass in `stages` (for `--emit ir-after=all`). */
  keepStages?: boolean;
}

export interface CompileResult {
  program?: Program;
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
  /** Continuous IR as built, before any pass. */
  built?: IRProgram;
  /** IR after the last pass run. */
  ir?: IRProgram;
  /** With `keepStages`: the IR after build and after each pass run, in order. */
  stages?: { name: string; ir: IRProgram }[];
}

/** Source to discrete IR. Stops at the first stage that reports errors. */
export function compile(entry: string, host: SourceHost, options: CompileOptions = {}): CompileResult {
  const loaded = loadProgram(entry, host);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const result: CompileResult = { program: loaded.program, sources: loaded.sources, diagnostics };
  if (hasErrors(diagnostics)) return result;

  const checked = checkProgram(loaded.program, loaded.data);
  diagnostics.push(...checked.diagnostics);
  if (hasErrors(diagnostics) || options.stopAfter === "check") return result;

  if (!loaded.program.files.some((f) => f.networks.length > 0)) {
    const entryFile = loaded.program.files[0];
    if (entryFile) {
      diagnostics.push(noNetwork(entryFile.span));
      return result;
    }
  }

  const built = buildIR(loaded.program, loaded.data);
  result.built = built;
  const stages: { name: string; ir: IRProgram }[] = [];
  const onStage = options.keepStages ? (name: string, ir: IRProgram) => void stages.push({ name, ir }) : undefined;
  const ran = runPasses(built, PASSES, { stopAfter: options.stopAfter, verify: options.verify, onStage });
  diagnostics.push(...ran.diagnostics);
  if (options.keepStages) result.stages = stages;
  if (!hasErrors(ran.diagnostics)) result.ir = ran.ir;
  return result;
}

/** Names accepted by `--emit ir-after=NAME`. */
export function passNames(): string[] {
  return ["build", ...PASSES.map((p) => p.name)];
}

/** E0515: the program (entry file and its imports) declares models only; there is nothing to build or run. */
function noNetwork(file: Span): Diagnostic {
  const span: Span = { ...file, end: file.start, endLine: file.line, endCol: file.col };
  return {
    code: "E0515",
    severity: "error",
    message: `${file.file} declares no network, so there is nothing to compile or run`,
    span,
    related: [],
    hint: "add `network NAME { population ... run 1 s }`, or import this file from a file that has one",
  };
}
