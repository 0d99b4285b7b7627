// The run-time numeric guard: after initialization, and at the end of every `every`-th step and of the
// last one, the state variables of every population and projection are scanned for the first infinity or
// NaN (no allocation; one subtraction per value), so a run that has gone numerically wrong stops with the
// variable, population, element and step instead of printing garbage with exit 0. A scan every step costs
// as much as a cheap model's update, so engines scan every GUARD_EVERY steps and, when a scan finds
// something, run again up to that step scanning every step (runs are deterministic) to name the first.
// In: named arrays; out: nothing, or a NonFiniteError, which a target turns into diagnostic E0806
// (nonFiniteDiagnostic).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { groupSpan, projectionSpan } from "../../compiler/ir/spans.js";

/** Steps between scans in a normal run. */
export const GUARD_EVERY = 32;

export interface GuardedArray {
  /** The owning population or projection. */
  owner: string;
  kind: "population" | "projection";
  variable: string;
  values: Float64Array | Float32Array;
  /** The element number at each position of `values` when they are stored in another order (wasm synapses in
   *  delay segments); the first element named is then the lowest number, as in construction order. */
  numbers?: Int32Array;
}

/** The first non-finite value found: where and when (step -1: in the initial values). */
export class NonFiniteError extends Error {
  constructor(
    readonly owner: string,
    readonly ownerKind: "population" | "projection",
    readonly variable: string,
    readonly index: number,
    readonly step: number,
    readonly value: number,
  ) {
    const what = Number.isNaN(value) ? "NaN" : value > 0 ? "infinity" : "-infinity";
    const elem = ownerKind === "population" ? `neuron ${index}` : `synapse ${index}`;
    const when = step < 0 ? "in its initial value" : `in step ${step}`;
    super(`${variable} of ${ownerKind} ${owner} became ${what} at ${elem} ${when}`);
    this.name = "NonFiniteError";
  }
}

/** Index of the first non-finite value of `a`, or -1 (x - x is 0 exactly when x is finite; four at a time,
 *  branch-free, then the element is looked for only when the sum says there is one). */
function firstNonFinite(a: Float64Array | Float32Array): number {
  const n = a.length;
  let acc = 0;
  let i = 0;
  for (; i + 3 < n; i += 4)
    acc += a[i]! - a[i]! + (a[i + 1]! - a[i + 1]!) + (a[i + 2]! - a[i + 2]!) + (a[i + 3]! - a[i + 3]!);
  for (; i < n; i++) acc += a[i]! - a[i]!;
  if (acc === 0) return -1;
  for (i = 0; i < n; i++) if (a[i]! - a[i]! !== 0) return i;
  return -1;
}

/** Of the non-finite values of `a` (the first at `from`), the position of the one with the lowest number. */
function lowestNumbered(a: Float64Array | Float32Array, numbers: Int32Array, from: number): number {
  let best = from;
  for (let i = from + 1; i < a.length; i++) if (a[i]! - a[i]! !== 0 && numbers[i]! < numbers[best]!) best = i;
  return best;
}

export class NumericGuard {
  constructor(
    private readonly arrays: readonly GuardedArray[],
    private readonly every: number,
  ) {}

  private scan(list: readonly GuardedArray[], step: number): void {
    for (const g of list) {
      let i = firstNonFinite(g.values);
      if (i < 0) continue;
      if (g.numbers) i = lowestNumbered(g.values, g.numbers, i);
      throw new NonFiniteError(g.owner, g.kind, g.variable, g.numbers ? g.numbers[i]! : i, step, g.values[i]!);
    }
  }

  /** The initial values (before step 0). */
  initial(): void {
    this.scan(this.arrays, -1);
  }

  /** The end of step k of `steps`. */
  endStep(k: number, steps: number): void {
    if ((k + 1) % this.every === 0 || k === steps - 1) this.scan(this.arrays, k);
  }
}

/** E0806 at the population (or connect) statement, with the variable's declaration as related span. */
export function nonFiniteDiagnostic(program: IRProgram, err: NonFiniteError, target: string): Diagnostic {
  const owner =
    err.ownerKind === "population"
      ? program.groups.find((g) => g.name === err.owner)
      : program.projections.find((p) => p.name === err.owner);
  const decl = owner?.state.find((v) => v.name === err.variable)?.span;
  const t = err.step < 0 ? "" : ` (t = ${+(err.step * program.dt).toPrecision(6)} s)`;
  return {
    code: "E0806",
    severity: "error",
    message: `${target} target: ${err.message}${t}`,
    span: err.ownerKind === "population" ? groupSpan(program, err.owner) : projectionSpan(program, err.owner),
    related: decl ? [{ span: decl, message: `${err.variable} is declared here` }] : [],
    hint: "a value overflowed or an operation had no defined result (0/0, log of a negative, ...); check the parameters and equations that write this variable, and dt",
  };
}
