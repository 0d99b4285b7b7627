// The float64 reference target: the semantic ground truth every other target is compared with.
// In: a discrete IRProgram + RunOptions; out: a RunResult, or diagnostic E0801 for what it cannot run and
// E0806 when a state variable becomes infinite or NaN during the run, E0807 (before anything is allocated) when
// the run exceeds the step, element or memory limits.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { networkSpan } from "../../compiler/ir/spans.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult, Target } from "../target.js";
import { TargetError } from "../target.js";
import { simulate } from "./engine.js";
import { NonFiniteError, nonFiniteDiagnostic } from "../schedule/guard.js";
import { resourceDiagnostics } from "../network/budget.js";

function run(program: IRProgram, options: RunOptions): { result?: RunResult; diagnostics: Diagnostic[] } {
  const tooBig = resourceDiagnostics(program, options);
  if (tooBig.length > 0) return { diagnostics: tooBig };
  try {
    return { result: simulate(program, options), diagnostics: [] };
  } catch (err) {
    if (err instanceof NonFiniteError) {
      const d = nonFiniteDiagnostic(program, err, "reference");
      if (options.numericGuard !== "warn") return { diagnostics: [d] };
      return {
        result: simulate(program, { ...options, numericGuard: false }),
        diagnostics: [{ ...d, severity: "warning" }],
      };
    }
    if (!(err instanceof TargetError)) throw err; // a bug in the target, not a user error
    const diagnostic: Diagnostic = {
      code: err.code ?? "E0801",
      severity: "error",
      message: `reference target: ${err.message}`,
      span: err.span ?? networkSpan(program),
      related: [],
      hint: err.hint,
    };
    return { diagnostics: [diagnostic] };
  }
}

export const referenceTarget: Target = { name: "reference", run };
