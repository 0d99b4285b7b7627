// Symbolic linearity: decides whether an expression is affine in a set of state variables and
// extracts the coefficients. In: an IRExpr and variable names; out: {coeffs, rest} with
// e == sum(coeffs[x] * x) + rest (coefficients and rest free of those variables), or null.
// Which operators keep an expression affine is compiler/builtins/affine.ts (shared with the checker).

import type { IRExpr } from "../ir/nodes.js";
import { add, div, mentions, mul, neg, num, sub } from "../ir/expr.js";
import { simplify } from "./rules.js";
import { binaryDegree, opaqueDegree, type Degree } from "../builtins/affine.js";

export interface Affine {
  coeffs: Map<string, IRExpr>;
  rest: IRExpr;
}

const ZERO = num(0);

function combine(a: Affine, b: Affine, op: "+" | "-"): Affine {
  const coeffs = new Map(a.coeffs);
  for (const [x, c] of b.coeffs) {
    const prev = coeffs.get(x);
    coeffs.set(x, prev ? (op === "+" ? add(prev, c) : sub(prev, c)) : op === "+" ? c : neg(c));
  }
  return { coeffs, rest: op === "+" ? add(a.rest, b.rest) : sub(a.rest, b.rest) };
}

function scale(a: Affine, f: (e: IRExpr) => IRExpr): Affine {
  const coeffs = new Map<string, IRExpr>();
  for (const [x, c] of a.coeffs) coeffs.set(x, f(c));
  return { coeffs, rest: f(a.rest) };
}

/** `e` as an affine function of the state variables in `vars`, or null if it is not affine. */
export function affine(e: IRExpr, vars: ReadonlySet<string>): Affine | null {
  const inVars = (x: IRExpr): boolean => mentions(x, (r) => r.space === "state" && vars.has(r.name));
  const degree = (x: IRExpr): Degree => (inVars(x) ? "linear" : "const");
  const opaque = (x: IRExpr, parts: readonly IRExpr[]): Affine | null =>
    opaqueDegree(parts.map(degree)) === "const" ? { coeffs: new Map(), rest: x } : null;
  const go = (x: IRExpr): Affine | null => {
    if (!inVars(x)) return { coeffs: new Map(), rest: x };
    switch (x.k) {
      case "ref":
        return { coeffs: new Map([[x.ref.name, num(1)]]), rest: ZERO };
      case "neg": {
        const a = go(x.a);
        return a && scale(a, neg);
      }
      case "bin": {
        // x mentions the variables, so an affine x is "linear": the operands decide how to build it
        if (binaryDegree(x.op, degree(x.a), degree(x.b)) !== "linear") return null;
        if (x.op === "+" || x.op === "-") {
          const a = go(x.a);
          const b = go(x.b);
          return a && b && combine(a, b, x.op);
        }
        if (x.op === "*") {
          if (!inVars(x.a)) {
            const b = go(x.b);
            return b && scale(b, (c) => mul(x.a, c));
          }
          const a = go(x.a);
          return a && scale(a, (c) => mul(c, x.b));
        }
        const a = go(x.a); // "/" by a constant
        return a && scale(a, (c) => div(c, x.b));
      }
      case "num":
      case "bool":
        return { coeffs: new Map(), rest: x };
      case "not":
        return opaque(x, [x.a]);
      case "sel":
        return opaque(x, [x.c, x.a, x.b]);
      case "call":
        return opaque(x, x.args); // functions of the variables: not affine
    }
  };
  const r = go(e);
  if (!r) return null;
  const coeffs = new Map<string, IRExpr>();
  for (const [x, c] of r.coeffs) {
    const s = simplify(c);
    if (!(s.k === "num" && s.v === 0)) coeffs.set(x, s);
  }
  return { coeffs, rest: simplify(r.rest) };
}
