// The dimension rules of a model, run once per model and again per instantiation (population or
// connect) so generic parameters and pre./post./astro. take concrete dimensions. In: a ModelEnv.

import type { ModelEnv } from "../model-env.js";
import { checkDeclarations } from "./declarations.js";
import { checkInitialValues } from "./initial-values.js";
import { checkEquations } from "./equations.js";
import { checkHandlers } from "./handlers.js";
import { checkSpikeAndRefractory } from "./spike-refractory.js";
import { checkExposes } from "./exposes.js";

export function runDimensionRules(env: ModelEnv): void {
  checkDeclarations(env);
  checkInitialValues(env);
  checkEquations(env);
  checkHandlers(env);
  checkSpikeAndRefractory(env);
  checkExposes(env);
}
