// Float64 evaluation of IR operators and of constant IR expressions.
// In: an operator with numeric/boolean operands, or an IRExpr plus a lookup for refs;
// out: the value (IEEE semantics), or undefined when something is not constant.

import type { BinOp, BuiltinFn, IRExpr, Ref } from "./nodes.js";

export type Value = number | boolean;

/** Built-in functions over float64. heaviside(0) = 0; sigmoid(x) = 1 / (1 + exp(-x)). */
export function evalBuiltin(fn: BuiltinFn, a: readonly number[]): number {
  const x = a[0]!;
  switch (fn) {
    case "exp":
      return Math.exp(x);
    case "log":
      return Math.log(x);
    case "sqrt":
      return Math.sqrt(x);
    case "abs":
      return Math.abs(x);
    case "min":
      return Math.min(x, a[1]!);
    case "max":
      return Math.max(x, a[1]!);
    case "clip":
      return Math.min(Math.max(x, a[1]!), a[2]!);
    case "tanh":
      return Math.tanh(x);
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "pow":
      return Math.pow(x, a[1]!);
    case "floor":
      return Math.floor(x);
    case "heaviside":
      return x > 0 ? 1 : 0;
    case "sin":
      return Math.sin(x);
    case "cos":
      return Math.cos(x);
  }
}

export function evalBin(op: BinOp, a: Value, b: Value): Value {
  switch (op) {
    case "+":
      return (a as number) + (b as number);
    case "-":
      return (a as number) - (b as number);
    case "*":
      return (a as number) * (b as number);
    case "/":
      return (a as number) / (b as number);
    case "pow":
      return Math.pow(a as number, b as number);
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
