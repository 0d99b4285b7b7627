// Built-in names of the language: constants, time, functions and distributions, with their arities.
// In: nothing; out: lookup tables the scope builder and the dimension checker consult.

/** Names every model expression can read; none of them may be declared (E0205). */
export const BUILTIN_VALUES = ["t", "dt", "pi", "e"] as const;

/** Math functions callable in any expression: name -> number of arguments. */
export const FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ["exp", 1],
  ["log", 1],
  ["sqrt", 1],
  ["abs", 1],
  ["min", 2],
  ["max", 2],
  ["clip", 3],
  ["tanh", 1],
  ["sigmoid", 1],
  ["pow", 2],
  ["floor", 1],
  ["heaviside", 1],
  ["sin", 1],
  ["cos", 1],
]);

/** Random distributions: allowed only in initial values, population/connect arguments and delays. */
export const DISTRIBUTIONS: ReadonlyMap<string, number> = new Map([
  ["uniform", 2],
  ["normal", 2],
  ["lognormal", 2],
]);

/** Functions of modulator expressions only: rate(POP) and mean(POP.var). */
export const MODULATOR_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ["rate", 1],
  ["mean", 1],
]);

export const METHODS = ["exact", "exponential_euler", "rk4", "euler"] as const;

/** Every function name, for did-you-mean hints. */
export function allFunctionNames(): string[] {
  return [...FUNCTIONS.keys(), ...DISTRIBUTIONS.keys(), ...MODULATOR_FUNCTIONS.keys()];
}
