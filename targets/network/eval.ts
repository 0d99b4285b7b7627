// A small interpreter for IR expressions, used at network construction (initial values, rates,
// modulators). In: an IRExpr and a lookup for refs; out: its float64 value. Booleans are 1/0.
// Built-in functions and arithmetic operators evaluate by compiler/builtins (functions.ts, operators.ts), the
// float64 semantics every target's generated code must match.

import type { IRExpr, Ref } from "../../compiler/ir/nodes.js";
import { BUILTINS } from "../../compiler/builtins/functions.js";
import { TargetError } from "../target.js";
import { ARITHMETIC } from "../../compiler/builtins/operators.js";

export type RefLookup = (r: Ref) => number | undefined;

/** Evaluates `e`; `lookup` resolves refs (undefined -> TargetError naming the ref). */
export function evalExpr(e: IRExpr, lookup: RefLookup): number {
  switch (e.k) {
    case "num":
      return e.v;
    case "bool":
      return e.v ? 1 : 0;
    case "ref": {
      const v = lookup(e.ref);
      if (v === undefined) throw new TargetError(`cannot evaluate ${e.ref.space}.${e.ref.name} here`);
      return v;
    }
    case "neg":
      return -evalExpr(e.a, lookup);
    case "not":
      return evalExpr(e.a, lookup) ? 0 : 1;
    case "sel":
      return evalExpr(e.c, lookup) ? evalExpr(e.a, lookup) : evalExpr(e.b, lookup);
    case "call":
      return BUILTINS[e.fn].eval(...e.args.map((a) => evalExpr(a, lookup)));
    case "bin": {
      if (e.op === "and") return evalExpr(e.a, lookup) && evalExpr(e.b, lookup) ? 1 : 0;
      if (e.op === "or") return evalExpr(e.a, lookup) || evalExpr(e.b, lookup) ? 1 : 0;
      const a = evalExpr(e.a, lookup);
      const b = evalExpr(e.b, lookup);
      switch (e.op) {
        case "+":
        case "-":
        case "*":
        case "/":
        case "pow":
          return ARITHMETIC[e.op](a, b);
        case "<":
          return a < b ? 1 : 0;
        case "<=":
          return a <= b ? 1 : 0;
        case ">":
          return a > b ? 1 : 0;
        case ">=":
          return a >= b ? 1 : 0;
        case "==":
          return a === b ? 1 : 0;
        case "!=":
          return a !== b ? 1 : 0;
      }
    }
  }
}
