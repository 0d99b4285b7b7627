// The built-in functions of the language, one row each: arity, dimension rule, float64 evaluation and the
// form the fixed-point lowering gives it; and the random distributions (arity and dimension rule).
// In: nothing; out: the tables the checker, both constant evaluators, the IR verifier, network evaluation
// and every target read, and the BuiltinFn type their switches are exhaustive over.

/** How the checker types a call (compiler/check/dims.ts) and the IR builder infers its dimension. */
export type DimRule =
  /** every argument dimensionless; the result dimensionless (exp, log, tanh, ...) */
  | "dimensionless"
  /** any argument; the result dimensionless (heaviside) */
  | "to-dimensionless"
  /** every argument of one dimension; the result of that dimension (abs, min, clip, ...) */
  | "same"
  /** the result has half the argument's dimension */
  | "sqrt"
  /** the base's dimension raised to the exponent, which must then be a constant */
  | "power";

/** How the fixed-point lowering (targets/fixed) realizes a call; it maps every kind exhaustively. */
export type FixedForm =
  /** comparisons in the result's format (min, max, clip) */
  | "compare"
  /** absolute value with the overflow policy */
  | "abs"
  /** a selection between the constants 0 and 1 */
  | "step"
  /** a piecewise-linear table over the argument's range (exp also: a decay table of elapsed time) */
  | "table"
  /** leading-zero count plus exponent and mantissa tables */
  | "log"
  /** a constant exponent: repeated products, a quotient, or exp(n log x) */
  | "power"
  /** no fixed-point form: the lowering reports it */
  | "none";

export interface BuiltinSpec {
  readonly arity: number;
  readonly dims: DimRule;
  /** The float64 semantics every target must match (bit for bit on the f64 targets). */
  readonly eval: (...x: number[]) => number;
  readonly fixed: FixedForm;
  /** False when finite arguments can give an infinity or NaN (exp overflows, log 0, sqrt of a negative, pow):
   *  the simplifier then keeps rewrites that would hide such a value (compiler/passes/rules.ts). */
  readonly finite: boolean;
}

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

const TABLE = {
  exp: { arity: 1, dims: "dimensionless", eval: (x) => math.exp(x!), fixed: "table", finite: false },
  log: { arity: 1, dims: "dimensionless", eval: (x) => math.log(x!), fixed: "log", finite: false },
  sqrt: { arity: 1, dims: "sqrt", eval: (x) => math.sqrt(x!), fixed: "power", finite: false },
  abs: { arity: 1, dims: "same", eval: (x) => math.abs(x!), fixed: "abs", finite: true },
  min: { arity: 2, dims: "same", eval: (x, y) => math.min(x!, y!), fixed: "compare", finite: true },
  max: { arity: 2, dims: "same", eval: (x, y) => math.max(x!, y!), fixed: "compare", finite: true },
  clip: {
    arity: 3,
    dims: "same",
    eval: (x, lo, hi) => math.min(math.max(x!, lo!), hi!),
    fixed: "compare",
    finite: true,
  },
  tanh: { arity: 1, dims: "dimensionless", eval: (x) => math.tanh(x!), fixed: "table", finite: true },
  sigmoid: { arity: 1, dims: "dimensionless", eval: (x) => 1 / (1 + math.exp(-x!)), fixed: "table", finite: true },
  pow: { arity: 2, dims: "power", eval: (x, y) => math.pow(x!, y!), fixed: "power", finite: false },
  floor: { arity: 1, dims: "same", eval: (x) => math.floor(x!), fixed: "none", finite: true },
  ceil: { arity: 1, dims: "same", eval: (x) => math.ceil(x!), fixed: "none", finite: true },
  /** toward zero (int(-2.5) = -2), as Brian2's int() */
  int: { arity: 1, dims: "same", eval: (x) => math.trunc(x!), fixed: "none", finite: true },
  heaviside: { arity: 1, dims: "to-dimensionless", eval: (x) => (x! > 0 ? 1 : 0), fixed: "step", finite: true },
  sin: { arity: 1, dims: "dimensionless", eval: (x) => math.sin(x!), fixed: "none", finite: true },
  cos: { arity: 1, dims: "dimensionless", eval: (x) => math.cos(x!), fixed: "none", finite: true },
} as const satisfies Record<string, BuiltinSpec>;

export type BuiltinFn = keyof typeof TABLE;

/** Every built-in function. heaviside(0) = 0; sigmoid(x) = 1 / (1 + exp(-x)); clip(x, lo, hi) = min(max(x, lo), hi).
 *  The literal dimension rule and fixed form of each row stay in the type (see BuiltinWithFixed). */
export const BUILTINS: { readonly [K in BuiltinFn]: Omit<(typeof TABLE)[K], "eval"> & Pick<BuiltinSpec, "eval"> } =
  TABLE;

/** The built-in functions whose fixed-point form is `form` (e.g. the table-approximated ones). */
export type BuiltinWithFixed<F extends FixedForm> = {
  [K in BuiltinFn]: (typeof TABLE)[K]["fixed"] extends F ? K : never;
}[BuiltinFn];

export const BUILTIN_NAMES = Object.keys(BUILTINS) as BuiltinFn[];

export function isBuiltin(name: string): name is BuiltinFn {
  return Object.prototype.hasOwnProperty.call(BUILTINS, name);
}

/** True when `fn`'s fixed-point form is `form` (narrows `fn`). */
export function hasFixedForm<F extends FixedForm>(fn: BuiltinFn, form: F): fn is BuiltinWithFixed<F> {
  return BUILTINS[fn].fixed === form;
}

/** The float64 value of `fn` applied to `args` (arity as in the table). */
export function evalBuiltin(fn: BuiltinFn, args: readonly number[]): number {
  return BUILTINS[fn].eval(...args);
}

/** Random distributions: allowed only in initial values, population/connect arguments and delays. */
export const DISTRIBUTIONS = {
  uniform: { arity: 2, dims: "same" },
  normal: { arity: 2, dims: "same" },
  lognormal: { arity: 2, dims: "dimensionless" },
  /** normal(mean, sd) redrawn until it lies in [lo, hi] (NEST 2's normal_clipped; targets/network/rng.ts) */
  truncated_normal: { arity: 4, dims: "same" },
} as const satisfies Record<string, { arity: number; dims: DimRule }>;

export type DistributionFn = keyof typeof DISTRIBUTIONS;

export function isDistribution(name: string): name is DistributionFn {
  return Object.prototype.hasOwnProperty.call(DISTRIBUTIONS, name);
}

/** Reaching this is a type error: a switch over a closed set missed a member. */
export function unreachable(x: never): never {
  throw new Error(`unhandled case ${String(x)}`);
}
