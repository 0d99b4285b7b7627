// Rule: astrocyte `expose NAME [: unit] = expr` values match their annotation (E0307, E0211).
// In: a ModelEnv; out: diagnostics.

import type { ModelEnv } from "../model-env.js";
import { annotationDim, checkAgainstAnnotation } from "./annotate.js";

export function checkExposes(env: ModelEnv): void {
  for (const x of env.model.exposes) {
    const declared = annotationDim(x.unit, env);
    checkAgainstAnnotation(x.name, declared, env.infer(x.value), x.value.span, env);
  }
}
