// The simplification rule table used by the fold pass, and the simplifier that applies it.
// In: an IRExpr; out: an equivalent IRExpr (equal results in float64, up to the sign of a zero and
// the rounding of constant subexpressions, which are evaluated exactly as a target would).

import type { IRExpr } from "../ir/nodes.js";
import { bool, call, children, exprEq, isNum, neg, num, rewrite, bin } from "../ir/expr.js";
import { evalBin, evalBuiltin } from "../ir/evaluate.js";
import { BUILTINS } from "../builtins/functions.js";

export interface Rule {
  name: string;
  /** The replacement for `e`, or undefined when the rule does not apply. */
  apply: (e: IRExpr) => IRExpr | undefined;
}

type Bin = Extract<IRExpr, { k: "bin" }>;
const isBin = (e: IRExpr, op: Bin["op"]): e is Bin => e.k === "bin" && e.op === op;
const isBool = (e: IRExpr, v: boolean): boolean => e.k === "bool" && e.v === v;

/** Whether `e` is finite whenever the values it reads are (no division, exp, log, pow, sqrt). */
export function finiteByConstruction(e: IRExpr): boolean {
  if (e.k === "num") return Number.isFinite(e.v);
  if (e.k === "bin" && (e.op === "/" || e.op === "pow")) return false;
  if (e.k === "call" && !BUILTINS[e.fn].finite) return false;
  return children(e).every(finiteByConstruction);
}

/** Rules, tried in order at every node after its children are simplified. */
export const RULES: readonly Rule[] = [
  // constant folding: one IEEE operation on constants, as a target would compute it
  { name: "fold-neg", apply: (e) => (e.k === "neg" && e.a.k === "num" ? num(-e.a.v) : undefined) },
  { name: "fold-not", apply: (e) => (e.k === "not" && e.a.k === "bool" ? bool(!e.a.v) : undefined) },
  {
    name: "fold-bin",
    apply: (e) => {
      if (e.k !== "bin" || (e.a.k !== "num" && e.a.k !== "bool") || (e.b.k !== "num" && e.b.k !== "bool"))
        return undefined;
      const v = evalBin(e.op, e.a.v, e.b.v);
      return typeof v === "number" ? num(v) : bool(v);
    },
  },
  {
    name: "fold-call",
    apply: (e) =>
      e.k === "call" && e.args.every((a) => a.k === "num")
        ? num(
            evalBuiltin(
              e.fn,
              e.args.map((a) => (a as { v: number }).v),
            ),
          )
        : undefined,
  },
  { name: "sel-const", apply: (e) => (e.k === "sel" && e.c.k === "bool" ? (e.c.v ? e.a : e.b) : undefined) },
  { name: "sel-same", apply: (e) => (e.k === "sel" && exprEq(e.a, e.b) ? e.a : undefined) },
  // canonical form: a ^ b is pow(a, b)
  { name: "binpow-to-call", apply: (e) => (isBin(e, "pow") ? call("pow", e.a, e.b) : undefined) },
  // identities (exact in IEEE arithmetic, except x + 0 which maps -0 to itself rather than +0)
  { name: "x*1", apply: (e) => (isBin(e, "*") && isNum(e.b, 1) ? e.a : undefined) },
  { name: "1*x", apply: (e) => (isBin(e, "*") && isNum(e.a, 1) ? e.b : undefined) },
  { name: "x*-1", apply: (e) => (isBin(e, "*") && isNum(e.b, -1) ? neg(e.a) : undefined) },
  { name: "-1*x", apply: (e) => (isBin(e, "*") && isNum(e.a, -1) ? neg(e.b) : undefined) },
  { name: "x/1", apply: (e) => (isBin(e, "/") && isNum(e.b, 1) ? e.a : undefined) },
  { name: "x+0", apply: (e) => (isBin(e, "+") && e.b.k === "num" && e.b.v === 0 ? e.a : undefined) },
  { name: "0+x", apply: (e) => (isBin(e, "+") && e.a.k === "num" && e.a.v === 0 ? e.b : undefined) },
  { name: "x-0", apply: (e) => (isBin(e, "-") && e.b.k === "num" && e.b.v === 0 ? e.a : undefined) },
  { name: "0-x", apply: (e) => (isBin(e, "-") && isNum(e.a, 0) && !Object.is(e.a.v, -0) ? neg(e.b) : undefined) },
  {
    name: "0*x",
    apply: (e) => {
      if (!isBin(e, "*")) return undefined;
      if (isNum(e.a, 0) && finiteByConstruction(e.b)) return num(0);
      if (isNum(e.b, 0) && finiteByConstruction(e.a)) return num(0);
      return undefined;
    },
  },
  {
    name: "0/x",
    apply: (e) =>
      isBin(e, "/") && isNum(e.a, 0) && e.b.k === "num" && e.b.v !== 0 && !Number.isNaN(e.b.v) ? num(0) : undefined,
  },
  { name: "--x", apply: (e) => (e.k === "neg" && e.a.k === "neg" ? e.a.a : undefined) },
  { name: "not-not", apply: (e) => (e.k === "not" && e.a.k === "not" ? e.a.a : undefined) },
  {
    name: "x+(-c)",
    apply: (e) => (isBin(e, "+") && e.b.k === "num" && e.b.v < 0 ? bin("-", e.a, num(-e.b.v)) : undefined),
  },
  { name: "x+-y", apply: (e) => (isBin(e, "+") && e.b.k === "neg" ? bin("-", e.a, e.b.a) : undefined) },
  { name: "x--y", apply: (e) => (isBin(e, "-") && e.b.k === "neg" ? bin("+", e.a, e.b.a) : undefined) },
  {
    name: "-x*-y",
    apply: (e) => (isBin(e, "*") && e.a.k === "neg" && e.b.k === "neg" ? bin("*", e.a.a, e.b.a) : undefined),
  },
  {
    name: "-x/-y",
    apply: (e) => (isBin(e, "/") && e.a.k === "neg" && e.b.k === "neg" ? bin("/", e.a.a, e.b.a) : undefined),
  },
  {
    name: "pow(x,1)",
    apply: (e) => (e.k === "call" && e.fn === "pow" && isNum(e.args[1]!, 1) ? e.args[0]! : undefined),
  },
  { name: "pow(x,0)", apply: (e) => (e.k === "call" && e.fn === "pow" && isNum(e.args[1]!, 0) ? num(1) : undefined) },
  {
    name: "pow(x,2)",
    apply: (e) =>
      e.k === "call" && e.fn === "pow" && isNum(e.args[1]!, 2) && size1(e.args[0]!)
        ? bin("*", e.args[0]!, e.args[0]!)
        : undefined,
  },
  {
    name: "x and true",
    apply: (e) => (isBin(e, "and") && isBool(e.b, true) ? e.a : isBin(e, "and") && isBool(e.a, true) ? e.b : undefined),
  },
  {
    name: "x or false",
    apply: (e) => (isBin(e, "or") && isBool(e.b, false) ? e.a : isBin(e, "or") && isBool(e.a, false) ? e.b : undefined),
  },
  {
    name: "x and false",
    apply: (e) => (isBin(e, "and") && (isBool(e.a, false) || isBool(e.b, false)) ? bool(false) : undefined),
  },
  {
    name: "x or true",
    apply: (e) => (isBin(e, "or") && (isBool(e.a, true) || isBool(e.b, true)) ? bool(true) : undefined),
  },
];

/** pow(x, 2) -> x*x only when x is a leaf, so no work is duplicated. */
function size1(e: IRExpr): boolean {
  return e.k === "ref" || e.k === "num";
}

/** Applies RULES bottom-up; at each node, rules are retried on the replacement until none fires.
 *  Rules only recombine already-simplified subtrees, so re-simplifying at the node is enough. */
export function simplify(e: IRExpr, rules: readonly Rule[] = RULES): IRExpr {
  return rewrite(e, (node) => {
    let cur = node;
    for (let guard = 0; guard < 64; guard++) {
      let next: IRExpr | undefined;
      for (const r of rules) {
        next = r.apply(cur);
        if (next !== undefined) break;
      }
      if (next === undefined) return cur;
      cur = next;
    }
    return cur;
  });
}
