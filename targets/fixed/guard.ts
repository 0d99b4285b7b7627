// The fixed-point run-time guard's diagnostic: the first overflow (a saturation or wrap of a word past its Q
// format) a run counted, which the model did not ask for (its formats were chosen to hold every value: a static
// bound, or a profiled range plus headroom), named by variable, owner, element and step. In: the discrete IR,
// the executor's first overflow, the target's name and whether RunOptions.numericGuard asked for a warning;
// out: diagnostic E0811 (an error unless "warn").

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { groupSpan, networkSpan, projectionSpan } from "../../compiler/ir/spans.js";
import type { FixedRunResult } from "./executor.js";

/** E0811 for the run's first overflow; `at` overrides the span (a descriptor's file). */
export function overflowDiagnostic(
  program: IRProgram,
  first: NonNullable<FixedRunResult["firstOverflow"]>,
  target: string,
  warn: boolean,
  at?: Span,
): Diagnostic {
  const dot = first.key.indexOf(".");
  // the descriptor runner splits a projection into NAME#k parts: the owner is NAME
  const owner = first.key.slice(0, dot).replace(/#\d+$/, "");
  const variable = first.key.slice(dot + 1);
  const group = program.groups.find((g) => g.name === owner);
  const projection = program.projections.find((p) => p.name === owner);
  const what =
    owner === "mod"
      ? `modulator ${variable}`
      : variable === "(intermediate)"
        ? `an intermediate result of ${group ? "population" : "projection"} ${owner}'s program`
        : `${variable} of ${group ? "population" : projection ? "projection" : ""} ${owner}`.replace("  ", " ");
  const elem = first.at < 0 ? "" : group ? ` at neuron ${first.at}` : ` at element ${first.at}`;
  const t = +(first.step * program.dt).toPrecision(6);
  const span =
    at ?? (group ? groupSpan(program, owner) : projection ? projectionSpan(program, owner) : networkSpan(program));
  return {
    code: "E0811",
    severity: warn ? "warning" : "error",
    message: `${target} target: ${what} overflowed its fixed-point format${elem} in step ${first.step} (t = ${t} s); ${first.count} overflow(s) of it in the run`,
    span,
    related: [],
    hint: warn
      ? "the run went on with the saturated (or wrapped) words"
      : "the format chosen for it does not hold the values this run produced (W1005 names formats from profiling only): give the variable a wider range, shorten dt, or pass --numeric-guard warn to run on with saturated words",
  };
}
