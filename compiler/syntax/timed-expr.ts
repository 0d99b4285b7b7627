// A timed array inside a larger expression (`rate = 2 * timed_array([...], 10 ms) + 5 Hz`): found and expanded
// the same way by the checker and the IR builder. In: a network-level expression; out: the one `timed_array`
// call it holds (or how many it holds), and the expression with that call replaced by one of its values, so
// value m of the result is the expression evaluated at value m (a timed array is constant between its steps).

import type { Arg, Expr } from "./ast.js";

export type CallExpr = Extract<Expr, { kind: "Call" }>;

/** Every `timed_array(...)` call in `e`, outermost first. */
export function timedArrayCalls(e: Expr): CallExpr[] {
  const out: CallExpr[] = [];
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case "Call":
        if (x.callee === "timed_array") out.push(x);
        x.args.forEach((a) => walk(a.value));
        return;
      case "Unary":
        return walk(x.operand);
      case "Binary":
        walk(x.left);
        return walk(x.right);
      case "Conditional":
        walk(x.cond);
        walk(x.then);
        return walk(x.otherwise);
      case "List":
        return x.items.forEach(walk);
      default:
        return;
    }
  };
  walk(e);
  return out;
}

/** `e` with the node `call` replaced by `by` (other nodes shared). */
export function replaceCall(e: Expr, call: CallExpr, by: Expr): Expr {
  if (e === call) return by;
  const r = (x: Expr) => replaceCall(x, call, by);
  switch (e.kind) {
    case "Call":
      return { ...e, args: e.args.map((a): Arg => ({ ...a, value: r(a.value) })) };
    case "Unary":
      return { ...e, operand: r(e.operand) };
    case "Binary":
      return { ...e, left: r(e.left), right: r(e.right) };
    case "Conditional":
      return { ...e, cond: r(e.cond), then: r(e.then), otherwise: r(e.otherwise) };
    case "List":
      return { ...e, items: e.items.map(r) };
    default:
      return e;
  }
}

/** The `values` argument of a timed_array call (named, or first positional). */
export function timedValues(call: CallExpr): Expr | undefined {
  return (
    call.args.find((a) => a.name === "values")?.value ??
    (call.args[0]?.name === undefined ? call.args[0]?.value : undefined)
  );
}
