// The float64 reference target: the semantic ground truth every other target is compared with.
// In: a discrete IRProgram + RunOptions; out: a RunResult, or diagnostic E0801 for what it cannot run and
// E0806 when a state variable becomes infinite or NaN during the run.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { groupSpan, networkSpan, projectionSpan } from "../../compiler/ir/spans.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult, Target } from "../target.js";
import { TargetError } from "../target.js";
import { simulate } from "./engine.js";
import { NonFiniteError } from "../schedule/guard.js";

/** E0806 at the population (or connect) statement, with the variable's declaration as related span. */
export function nonFiniteDiagnostic(program: IRProgram, err: NonFiniteError, target: string): Diagnostic {
  const owner =
    err.ownerKind === "population"
      ? program.groups.find((g) => g.name === err.owner)
      : program.projections.find((p) => p.name === err.owner);
  const decl = owner?.state.find((v) => v.name === err.variable)?.span;
  const t = err.step < 0 ? "" : ` (t = ${+(err.step * program.dt).toPrecision(6)} s)`;
  return {
    code: "E0806",
    severity: "error",
    message: `${target} target: ${err.message}${t}`,
    span: err.ownerKind === "population" ? groupSpan(program, err.owner) : projectionSpan(program, err.owner),
    related: decl ? [{ span: decl, message: `${err.variable} is declared here` }] : [],
    hint: "a value overflowed or an operation had no defined result (0/0, log of a negative, ...); check the parameters and equations that write this variable, and dt",
  };
}

function run(program: IRProgram, options: RunOptions): { result?: RunResult; diagnostics: Diagnostic[] } {
  try {
    return { result: simulate(program, options), diagnostics: [] };
  } catch (err) {
    if (err instanceof NonFiniteError) return { diagnostics: [nonFiniteDiagnostic(program, err, "reference")] };
    if (!(err instanceof TargetError)) throw err; // a bug in the target, not a user error
    const diagnostic: Diagnostic = {
      code: "E0801",
      severity: "error",
      message: `reference target: ${err.message}`,
      span: networkSpan(program),
      related: [],
      hint: err.hint,
    };
    return { diagnostics: [diagnostic] };
  }
}

export const referenceTarget: Target = { name: "reference", run };
