// Built-in settings of the language: the integration methods a model may name and the default time step.
// In: nothing; out: the constants the checker (validation) and the IR builder (lowering) both read.

/** Integration methods, as written after `method`. */
export const METHODS = ["exact", "exponential_euler", "rk4", "euler"] as const;

export type Method = (typeof METHODS)[number];

export function isMethod(name: string): name is Method {
  return (METHODS as readonly string[]).includes(name);
}

/** The time step when a network sets none (seconds). */
export const DEFAULT_DT = 1e-4;
