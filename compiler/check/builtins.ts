// Built-in names of the language: constants, time, functions and distributions, with their arities.
// In: the built-in function table (compiler/builtins); out: lookup tables the scope builder and the
// dimension checker consult.

import { BUILTINS, DISTRIBUTIONS as DISTRIBUTION_TABLE } from "../builtins/functions.js";

/** Names every model expression can read; none of them may be declared (E0205). */
export const BUILTIN_VALUES = ["t", "dt", "pi", "e"] as const;

/** Math functions callable in any expression: name -> number of arguments (compiler/builtins/functions.ts). */
export const FUNCTIONS: ReadonlyMap<string, number> = new Map(
  Object.entries(BUILTINS).map(([name, b]) => [name, b.arity]),
);

/** Random distributions: allowed only in initial values, population/connect arguments and delays. */
export const DISTRIBUTIONS: ReadonlyMap<string, number> = new Map(
  Object.entries(DISTRIBUTION_TABLE).map(([name, d]) => [name, d.arity]),
);

/** Functions of modulator expressions only: rate(POP) and mean(POP.var). */
export const MODULATOR_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ["rate", 1],
  ["mean", 1],
]);

/** Every function name, for did-you-mean hints. */
export function allFunctionNames(): string[] {
  return [...FUNCTIONS.keys(), ...DISTRIBUTIONS.keys(), ...MODULATOR_FUNCTIONS.keys()];
}
