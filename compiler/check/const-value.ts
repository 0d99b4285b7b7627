// The value of a constant AST expression, for the checker's rules (sizes, slices, probabilities, dt, delays).
// In: an expression and an optional lookup for named constants; out: its value in SI, or undefined
// when the expression is not a constant (names, distributions, unknown units, booleans). Built-in
// functions evaluate by their row of compiler/builtins/functions.ts.

import type { Expr } from "../syntax/ast.js";
import { evalUnit } from "../units/units.js";
import { BUILTINS, isBuiltin } from "../builtins/functions.js";
import { ARITHMETIC, arithmeticOf } from "../builtins/operators.js";

export type ConstLookup = (name: string) => number | undefined;

export function constValue(e: Expr, lookup: ConstLookup = () => undefined): number | undefined {
  switch (e.kind) {
    case "Number": {
      if (!e.unit) return e.value;
      const u = evalUnit(e.unit);
      return u.ok ? e.value * u.scale : undefined;
    }
    case "Name":
      if (e.name === "pi") return Math.PI;
      if (e.name === "e") return Math.E;
      return lookup(e.name);
    case "Unary": {
      const v = constValue(e.operand, lookup);
      if (v === undefined || e.op === "not") return undefined;
      return e.op === "-" ? -v : v;
    }
    case "Binary": {
      const a = constValue(e.left, lookup);
      const b = constValue(e.right, lookup);
      if (a === undefined || b === undefined) return undefined;
      const op = arithmeticOf(e.op);
      return op === undefined ? undefined : ARITHMETIC[op](a, b);
    }
    case "Call": {
      if (!isBuiltin(e.callee) || e.args.some((a) => a.name !== undefined)) return undefined;
      const f = BUILTINS[e.callee];
      const xs = e.args.map((a) => constValue(a.value, lookup));
      if (xs.some((x) => x === undefined) || xs.length !== f.arity) return undefined;
      return f.eval(...(xs as number[]));
    }
    default:
      return undefined;
  }
}

/** True when `x` is an integer up to the rounding of constant arithmetic (`0.1 * 30` is 3.0000000000000004): the
 *  slack is relative to the integer, so 0 must be exact (`seed = 1e-12` is no integer, it used to pass as 0) and
 *  1e6 + 1e-4 is no integer either. */
export function isIntegral(x: number): boolean {
  if (!Number.isFinite(x)) return false;
  const r = Math.round(x);
  return Math.abs(x - r) <= INTEGRAL_SLACK * Math.abs(r);
}

/** Relative slack of isIntegral: a few thousand ulps, far above the rounding of a short constant expression. */
const INTEGRAL_SLACK = 1e-12;
