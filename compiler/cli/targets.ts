// Registry of execution targets selectable with `--target`. In: a name; out: the Target.

import type { Target } from "../../targets/target.js";
import { referenceTarget } from "../../targets/reference/index.js";

export const TARGETS: Record<string, Target> = {
  reference: referenceTarget,
};

export const DEFAULT_TARGET = "reference";
