// Shared helper of the declaration rules: a unit annotation against the dimension of a value.
// In: an optional annotation, a value type and spans; out: E0211 for unknown units, E0307 on mismatch.

import type { UnitExpr } from "../../syntax/ast.js";
import type { Span } from "../../diagnostics/span.js";
import { dimEq, evalUnit, formatDim, type Dim } from "../../units/units.js";
import { reportUnknownUnit, type Ty, type ExprEnv, asNumber } from "../dims.js";

/** Dimension of an annotation, reporting unknown unit symbols; undefined when absent or invalid. */
export function annotationDim(unit: UnitExpr | undefined, env: ExprEnv): Dim | undefined {
  if (!unit) return undefined;
  const u = evalUnit(unit);
  if (!u.ok) {
    reportUnknownUnit(env.diags, u.unknown.name, u.unknown.span);
    return undefined;
  }
  return u.dim;
}

/** E0307 when a value's dimension differs from the declared unit of `name`. */
export function checkAgainstAnnotation(
  name: string,
  declared: Dim | undefined,
  ty: Ty,
  valueSpan: Span,
  env: ExprEnv,
): void {
  const n = asNumber(ty, valueSpan, env);
  if (n.t !== "num" || !n.dim || !declared) return;
  if (!dimEq(n.dim, declared)) {
    env.diags.error(
      "E0307",
      valueSpan,
      `\`${name}\` is declared in ${formatDim(declared)} but its value is ${formatDim(n.dim)}`,
      {
        related: env.related,
        hint: "write the unit after the number, e.g. `20 ms`, or fix the annotation",
      },
    );
  }
}
