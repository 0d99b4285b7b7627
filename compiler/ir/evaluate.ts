// Float64 evaluation of IR operators and of constant IR expressions (folding, the builder's constants).
// In: an operator with numeric/boolean operands, or an IRExpr plus a lookup for refs;
// out: the value (IEEE semantics), or undefined when something is not constant. Built-in functions
// evaluate by their row of compiler/builtins/functions.ts.

import type { BinOp, IRExpr, Ref } from "./nodes.js";
import { evalBuiltin } from "../builtins/functions.js";
import { ARITHMETIC } from "../builtins/operators.js";

export { evalBuiltin };

export type Value = number | boolean;

export function evalBin(op: BinOp, a: Value, b: Value): Value {
  switch (op) {
    case "+":
    case "-":
    case "*":
    case "/":
    case "pow":
      return ARITHMETIC[op](a as number, b as number);
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "and":
      return Boolean(a) && Boolean(b);
    case "or":
      return Boolean(a) || Boolean(b);
  }
}

/** Evaluates `e`; refs go through `lookup` (undefined result: not constant). */
export function evalExpr(e: IRExpr, lookup: (r: Ref) => Value | undefined = () => undefined): Value | undefined {
  switch (e.k) {
    case "num":
    case "bool":
      return e.v;
    case "ref":
      return lookup(e.ref);
    case "neg": {
      const a = evalExpr(e.a, lookup);
      return a === undefined ? undefined : -(a as number);
    }
    case "not": {
      const a = evalExpr(e.a, lookup);
      return a === undefined ? undefined : !a;
    }
    case "bin": {
      const a = evalExpr(e.a, lookup);
      const b = evalExpr(e.b, lookup);
      return a === undefined || b === undefined ? undefined : evalBin(e.op, a, b);
    }
    case "sel": {
      const c = evalExpr(e.c, lookup);
      if (c === undefined) return undefined;
      return evalExpr(c ? e.a : e.b, lookup);
    }
    case "call": {
      const args: number[] = [];
      for (const x of e.args) {
        const v = evalExpr(x, lookup);
        if (v === undefined) return undefined;
        args.push(v as number);
      }
      return evalBuiltin(e.fn, args);
    }
  }
}

/** Numeric value of a constant expression, or undefined. */
export function evalNumber(e: IRExpr, lookup?: (r: Ref) => Value | undefined): number | undefined {
  const v = evalExpr(e, lookup);
  return typeof v === "number" ? v : undefined;
}
