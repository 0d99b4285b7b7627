// A small interpreter for IR expressions, used at network construction (initial values, rates,
// modulators). In: an IRExpr and a lookup for refs; out: its float64 value. Booleans are 1/0.
// The built-in functions here are the semantics every target's generated code must match.

import type { BuiltinFn, IRExpr, Ref } from "../../compiler/ir/nodes.js";
import { TargetError } from "../target.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

/** Built-in functions on float64 (clip = min(max(x, lo), hi); sigmoid = 1/(1+exp(-x));
 *  heaviside(x) = x > 0 ? 1 : 0, as in compiler/check/consteval.ts). */
export const BUILTINS: Record<BuiltinFn, (...x: number[]) => number> = {
  exp: math.exp,
  log: math.log,
  sqrt: math.sqrt,
  abs: math.abs,
  min: math.min,
  max: math.max,
  clip: (x, lo, hi) => math.min(math.max(x!, lo!), hi!),
  tanh: math.tanh,
  sigmoid: (x) => 1 / (1 + math.exp(-x!)),
  pow: math.pow,
  floor: math.floor,
  heaviside: (x) => (x! > 0 ? 1 : 0),
  sin: math.sin,
  cos: math.cos,
};

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
      return BUILTINS[e.fn](...e.args.map((a) => evalExpr(a, lookup)));
    case "bin": {
      if (e.op === "and") return evalExpr(e.a, lookup) && evalExpr(e.b, lookup) ? 1 : 0;
      if (e.op === "or") return evalExpr(e.a, lookup) || evalExpr(e.b, lookup) ? 1 : 0;
      const a = evalExpr(e.a, lookup);
      const b = evalExpr(e.b, lookup);
      switch (e.op) {
        case "+": return a + b;
        case "-": return a - b;
        case "*": return a * b;
        case "/": return a / b;
        case "pow": return math.pow(a, b);
        case "<": return a < b ? 1 : 0;
        case "<=": return a <= b ? 1 : 0;
        case ">": return a > b ? 1 : 0;
        case ">=": return a >= b ? 1 : 0;
        case "==": return a === b ? 1 : 0;
        case "!=": return a !== b ? 1 : 0;
      }
    }
  }
}
