// Profiled ranges of subexpressions, for the lowering's interval analysis. In: a discrete IR program (the
// profiling run's groups); out: the same groups with probe state variables that record, per element, the least
// and greatest value each probed subexpression of the update took, and (after the run) a map from each probed
// IR node to the hull of its values over every element and step.
//
// Probed: the nodes whose range decides a fixed-point form (range.ts Narrow): a non-constant divisor and its
// quotient, and the arguments of exp, log, sigmoid, tanh, sqrt and pow, in update statements.
// Values of a step in which the element spikes are left out: its reset overwrites what that step computed
// (AdEx's exp((v - V_T)/Delta_T) grows without bound within the spike's step), so a fixed-point table or
// divider sized for them would be sized for a value that is thrown away. Each probe keeps a candidate (this
// step's value, set before the statement that computes it) and the running least/greatest; the next update
// folds the candidate in, and a reset replaces it by a neutral value first.

import type { IRExpr, IRGroup, IRStmt, IRVar, Ref } from "../../compiler/ir/nodes.js";
import type { Interval } from "./range.js";

/** At most this many probed nodes per group (each costs four state variables in the profiling run). */
export const MAX_PROBES_PER_GROUP = 256;

export const NEUTRAL = 1e308;
export const PREFIX = "__sx_";
const NARROWED = new Set(["exp", "log", "sigmoid", "tanh", "sqrt", "pow"]);

/** The probed nodes of one expression, outermost first (see the header). */
export function probedNodes(e: IRExpr, out: IRExpr[]): void {
  const stack: IRExpr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    switch (x.k) {
      case "bin":
        if (x.op === "/" && x.b.k !== "num") out.push(x, x.b);
        stack.push(x.a, x.b);
        break;
      case "call":
        if (NARROWED.has(x.fn)) out.push(...x.args.filter((a) => a.k !== "num"));
        stack.push(...x.args);
        break;
      case "neg":
      case "not":
        stack.push(x.a);
        break;
      case "sel":
        stack.push(x.c, x.a, x.b);
        break;
      default:
        break;
    }
  }
}

const name = (g: string, i: number, what: "clo" | "chi" | "lo" | "hi"): string => `${PREFIX}${what}_${g}_${i}`;
const ref = (n: string): IRExpr => ({ k: "ref", ref: { space: "state", name: n } as Ref });
const num = (v: number): IRExpr => ({ k: "num", v });
const assign = (n: string, value: IRExpr): IRStmt => ({ k: "assign", target: { space: "state", name: n }, value });
/** `acc = c < acc ? c : acc` (or >): NaN candidates leave acc as it is. */
const fold = (acc: string, c: string, op: "<" | ">"): IRStmt =>
  assign(acc, { k: "sel", c: { k: "bin", op, a: ref(c), b: ref(acc) }, a: ref(c), b: ref(acc) });

/** The group with its subexpression probes, and the probed nodes by index. */
export function withSubexprProbes(g: IRGroup): { group: IRGroup; nodes: IRExpr[] } {
  const nodes: IRExpr[] = [];
  const index = new Map<IRExpr, number>();
  const probe = (stmts: readonly IRStmt[]): IRStmt[] => {
    const out: IRStmt[] = [];
    for (const s of stmts) {
      if (s.k === "if") {
        out.push({ ...s, then: probe(s.then), otherwise: probe(s.otherwise) });
        continue;
      }
      const found: IRExpr[] = [];
      probedNodes(s.value, found);
      for (const x of found) {
        if (index.has(x) || nodes.length >= MAX_PROBES_PER_GROUP) continue;
        const i = nodes.length;
        index.set(x, i);
        nodes.push(x);
        out.push(assign(name(g.name, i, "clo"), x), assign(name(g.name, i, "chi"), x));
      }
      out.push(s);
    }
    return out;
  };
  const update = probe(g.update);
  if (!nodes.length) return { group: g, nodes };
  const state: IRVar[] = [];
  const head: IRStmt[] = [];
  const reset: IRStmt[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (const [w, v] of [
      ["clo", NEUTRAL],
      ["chi", -NEUTRAL],
      ["lo", NEUTRAL],
      ["hi", -NEUTRAL],
    ] as const)
      state.push({ name: name(g.name, i, w), dim: "1", init: { k: "expr", e: num(v) }, perElement: false });
    head.push(fold(name(g.name, i, "lo"), name(g.name, i, "clo"), "<"));
    head.push(fold(name(g.name, i, "hi"), name(g.name, i, "chi"), ">"));
    reset.push(assign(name(g.name, i, "clo"), num(NEUTRAL)), assign(name(g.name, i, "chi"), num(-NEUTRAL)));
  }
  return {
    group: {
      ...g,
      state: [...g.state, ...state],
      update: [...head, ...update],
      reset: g.threshold ? [...g.reset, ...reset] : g.reset,
    },
    nodes,
  };
}

/** Whether a monitored variable is a subexpression probe (not a model variable). */
export const isSubexprProbe = (variable: string): boolean => variable.startsWith(PREFIX);

/** The profiled hull of each probed node, from the last recorded row of every probe's trace (by the probe's
 *  population and variable name). A node no element ever computed outside spike steps is left out. */
export function subexprRanges(
  probes: ReadonlyMap<string, IRExpr[]>,
  last: (population: string, variable: string) => Float64Array | undefined,
): Map<IRExpr, Interval> {
  const out = new Map<IRExpr, Interval>();
  for (const [g, nodes] of probes)
    nodes.forEach((node, i) => {
      let lo = Infinity,
        hi = -Infinity;
      for (const w of ["lo", "clo"] as const)
        for (const x of last(g, name(g, i, w)) ?? []) if (x < NEUTRAL) lo = Math.min(lo, x);
      for (const w of ["hi", "chi"] as const)
        for (const x of last(g, name(g, i, w)) ?? []) if (x > -NEUTRAL) hi = Math.max(hi, x);
      if (lo <= hi) {
        const seen = out.get(node);
        out.set(node, seen ? { lo: Math.min(seen.lo, lo), hi: Math.max(seen.hi, hi) } : { lo, hi });
      }
    });
  return out;
}

/** A profiled range with `bits` of headroom: its width times 2^bits about its centre (at least 2^-8 of its
 *  magnitude on each side, so a value that never moved in the profile still gets a margin); a range of one
 *  sign keeps it, its end nearest 0 moving at most to that end / 2^bits (a positive divisor stays positive). */
export function withHeadroom(r: Interval, bits: number): Interval {
  const c = (r.lo + r.hi) / 2;
  const half = Math.max((r.hi - r.lo) / 2, Math.abs(c) * 2 ** -8, Number.MIN_VALUE) * 2 ** bits;
  const lo = r.lo > 0 ? Math.max(c - half, r.lo / 2 ** bits) : c - half;
  const hi = r.hi < 0 ? Math.min(c + half, r.hi / 2 ** bits) : c + half;
  return { lo, hi };
}
