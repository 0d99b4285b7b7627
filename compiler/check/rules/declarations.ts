// Rule: parameter/state/input declarations. Annotations use known units (E0211), values match their
// annotation (E0307), state variables have an initial value (E0411). In: a ModelEnv; out: diagnostics.

import type { ModelEnv } from "../model-env.js";
import { annotationDim, checkAgainstAnnotation } from "./annotate.js";

export function checkDeclarations(env: ModelEnv): void {
  const m = env.model;
  for (const [list, kind] of [
    [m.parameters, "parameter"],
    [m.state, "state"],
    [m.inputs, "input"],
  ] as const) {
    for (const d of list) {
      const declared = annotationDim(d.unit, env);
      if (d.value) {
        const ty = env.infer(d.value, { distributions: kind !== "input", modulator: false });
        checkAgainstAnnotation(d.name, declared, ty, d.value.span, env);
      } else if (kind === "state") {
        env.diags.error("E0411", d.nameSpan, `state variable \`${d.name}\` has no initial value`, {
          hint: d.unit ? `write \`${d.name}: ... = 0 ...\` with a value in its unit` : `write \`${d.name} = 0\``,
        });
      }
    }
  }
}
