// Linearity test for ODE right-hand sides: is f affine in x, f = a*x + b, with a and b free of
// anything that varies (other state, pre./post., ...)? In: an expression, the variable, a classifier
// for names; out: "const" (free of x), "linear" (a*x + b), or "nonlinear" with the offending node.
// The rule per operator is compiler/builtins/affine.ts (shared with the IR's coefficient extraction).

import type { Expr } from "../syntax/ast.js";
import { binaryDegree, opaqueDegree, type Degree, type NotAffine } from "../builtins/affine.js";

export type NameClass = "var" | "const" | "varying" | { alias: Expr };
export type Linearity = { kind: "const" } | { kind: "linear" } | { kind: "nonlinear"; at: Expr; why: string };

const CONST: Linearity = { kind: "const" };
const LIN: Linearity = { kind: "linear" };
const bad = (at: Expr, why: string): Linearity => ({ kind: "nonlinear", at, why });

/**
 * Classifies `e` with respect to the variable named by `classify(name) === "var"`. Names classified
 * "varying" (other state, inputs, t) and every member access (pre./post./astro./mod.) make the
 * expression nonlinear in the decoupled sense; aliases are followed through their definitions.
 */
export function linearity(e: Expr, classify: (name: string) => NameClass, seen: Set<string> = new Set()): Linearity {
  switch (e.kind) {
    case "Number":
    case "Bool":
    case "String":
      return CONST;
    case "Name": {
      const c = classify(e.name);
      if (c === "var") return LIN;
      if (c === "const") return CONST;
      if (c === "varying") return bad(e, `\`${e.name}\` changes between events`);
      if (seen.has(e.name)) return bad(e, "cyclic alias");
      const inner = linearity(c.alias, classify, new Set([...seen, e.name]));
      return inner.kind === "nonlinear" ? bad(e, inner.why) : inner;
    }
    case "Member":
      return bad(
        e,
        `\`${typeof e.object === "object" ? e.object.population : e.object}.${e.name}\` changes between events`,
      );
    case "Unary":
      return e.op === "not" ? allConst(e, [e.operand], classify, seen) : linearity(e.operand, classify, seen);
    case "Binary": {
      const l = linearity(e.left, classify, seen);
      if (l.kind === "nonlinear") return l;
      const r = linearity(e.right, classify, seen);
      if (r.kind === "nonlinear") return r;
      return fromDegree(e, binaryDegree(e.op, l.kind, r.kind));
    }
    case "Conditional":
      return allConst(e, [e.cond, e.then, e.otherwise], classify, seen);
    case "Call":
      return allConst(
        e,
        e.args.map((a) => a.value),
        classify,
        seen,
      );
    case "List":
      return allConst(e, e.items, classify, seen);
  }
}

function allConst(e: Expr, parts: Expr[], classify: (name: string) => NameClass, seen: Set<string>): Linearity {
  for (const p of parts) {
    const c = linearity(p, classify, seen);
    if (c.kind === "nonlinear") return c;
    const d = opaqueDegree([c.kind]);
    if (d !== "const") return fromDegree(e, d);
  }
  return CONST;
}

function fromDegree(e: Expr, d: Degree | NotAffine): Linearity {
  return d === "const" ? CONST : d === "linear" ? LIN : bad(e, d.why);
}
