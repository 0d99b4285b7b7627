// Profiled ranges of subexpressions in event handlers, for the lowering's interval analysis (as
// subexpr-profile.ts does for group updates). In: a discrete IR program's groups and projections (the profiling
// run's); out: the same with probe state variables that record the least and greatest value each probed
// subexpression (a non-constant divisor and its quotient, a transcendental's argument) of a synapse's on-pre,
// on-post and continuous statements and of an astrocyte's on synapse_pre / synapse_post statements took, and,
// after the run, the hull of each by key (handlerKey: the handler's owner and the node's structure as the
// lowering sees it, after astrocyte refs move to astro.X and exposes are inlined: node identity does not survive
// those rewrites).
//
// A synapse handler's probes live on its post group (two state variables per probed node, folded by
// `post.p = x < post.p ? x : post.p` before the statement that computes x, so NaN leaves them as they are); an
// astrocyte handler's on the astrocyte group. A projection whose post side is an input population gets none
// (its handlers keep the interval analysis alone). Every handler value counts: a handler runs once per event
// and what it computes is used (unlike a group's spike step, see subexpr-profile.ts).

import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt, IRVar, Ref } from "../../compiler/ir/nodes.js";
import { exprKey } from "../../compiler/ir/expr.js";
import { astroHandlerExpr, inlineExposes } from "./astro.js";
import type { Interval } from "./range.js";
import { MAX_PROBES_PER_GROUP, NEUTRAL, PREFIX, probedNodes } from "./subexpr-profile.js";

/** Two probe variables on `population` and the handler keys of the node they hold. */
export interface HandlerProbe {
  population: string;
  lo: string;
  hi: string;
  keys: string[];
}

/** The key of a node of a handler as lowered: owner (synapseOwner / astroOwner) and structure. */
export const handlerKey = (owner: string, e: IRExpr): string => `${owner}|${exprKey(e)}`;
export const synapseOwner = (p: IRProjection): string => p.name;
export const astroOwner = (astro: string, p: IRProjection): string => `${astro}@${p.name}`;

type Sides = { astro?: IRGroup; pre?: IRGroup; post?: IRGroup };

const sidesOf = (groups: readonly IRGroup[], p: IRProjection): Sides => ({
  astro: p.ensheathedBy ? groups.find((g) => g.name === p.ensheathedBy!.astrocytes) : undefined,
  pre: groups.find((g) => g.name === p.pre.population),
  post: groups.find((g) => g.name === p.post.population),
});

/** Inserts probes into `stmts` (in `space`, named after `tag`), each node's keys from `keysOf`. */
function probeStmts(
  stmts: readonly IRStmt[],
  space: "post" | "state",
  tag: string,
  population: string,
  keysOf: (x: IRExpr) => string[],
  probes: HandlerProbe[],
  added: IRVar[],
): IRStmt[] {
  const seen = new Map<string, HandlerProbe>();
  const ref = (n: string): IRExpr => ({ k: "ref", ref: { space, name: n } as Ref });
  const fold = (acc: string, x: IRExpr, op: "<" | ">"): IRStmt => ({
    k: "assign",
    target: { space, name: acc },
    value: { k: "sel", c: { k: "bin", op, a: x, b: ref(acc) }, a: x, b: ref(acc) },
  });
  const walk = (ss: readonly IRStmt[]): IRStmt[] => {
    const out: IRStmt[] = [];
    for (const s of ss) {
      if (s.k === "if") {
        out.push({ ...s, then: walk(s.then), otherwise: walk(s.otherwise) });
        continue;
      }
      const found: IRExpr[] = [];
      probedNodes(s.value, found);
      for (const x of found) {
        const key = exprKey(x);
        let pr = seen.get(key);
        if (!pr) {
          if (seen.size >= MAX_PROBES_PER_GROUP) continue;
          const i = seen.size;
          pr = { population, lo: `${PREFIX}hlo_${tag}_${i}`, hi: `${PREFIX}hhi_${tag}_${i}`, keys: keysOf(x) };
          seen.set(key, pr);
          probes.push(pr);
          for (const [n, v] of [
            [pr.lo, NEUTRAL],
            [pr.hi, -NEUTRAL],
          ] as const)
            added.push({ name: n, dim: "1", init: { k: "expr", e: { k: "num", v } }, perElement: false });
        }
        out.push(fold(pr.lo, x, "<"), fold(pr.hi, x, ">"));
      }
      out.push(s);
    }
    return out;
  };
  return walk(stmts);
}

/** The groups and projections with handler probes, and the probes (see the header). */
export function withHandlerProbes(
  ir: IRProgram,
  groups: IRGroup[],
  projections: IRProjection[],
): { groups: IRGroup[]; projections: IRProjection[]; probes: HandlerProbe[] } {
  const probes: HandlerProbe[] = [];
  const extra = new Map<string, IRVar[]>();
  const more = (g: string): IRVar[] => extra.get(g) ?? (extra.set(g, []), extra.get(g)!);
  const outProj = projections.map((p) => {
    if (!groups.some((g) => g.name === p.post.population)) return p;
    const sides = sidesOf(ir.groups, p);
    const keys = (x: IRExpr): string[] => [handlerKey(synapseOwner(p), inlineExposes(x, sides))];
    const added = more(p.post.population);
    const h = (stmts: IRStmt[], what: string): IRStmt[] =>
      probeStmts(stmts, "post", `${p.name}_${what}`, p.post.population, keys, probes, added);
    return { ...p, onPre: h(p.onPre, "pre"), onPost: h(p.onPost, "post"), continuous: h(p.continuous, "cont") };
  });
  const outGroups = groups.map((g) => {
    if (g.kind !== "astrocyte" || !(g.onSynapsePre.length || g.onSynapsePost.length)) return g;
    const ens = ir.projections.filter((p) => p.ensheathedBy?.astrocytes === g.name);
    if (!ens.length) return g;
    const keys = (x: IRExpr): string[] =>
      ens.map((p) => handlerKey(astroOwner(g.name, p), inlineExposes(astroHandlerExpr(x), sidesOf(ir.groups, p))));
    const added = more(g.name);
    const onSynapsePre = probeStmts(g.onSynapsePre, "state", `${g.name}_spre`, g.name, keys, probes, added);
    const onSynapsePost = probeStmts(g.onSynapsePost, "state", `${g.name}_spost`, g.name, keys, probes, added);
    return { ...g, onSynapsePre, onSynapsePost };
  });
  return {
    groups: outGroups.map((g) =>
      extra.get(g.name)?.length ? { ...g, state: [...g.state, ...extra.get(g.name)!] } : g,
    ),
    projections: outProj,
    probes,
  };
}

/** The profiled hull of each handler key, from the last recorded row of every probe's trace; a node no
 *  handler ever computed is left out. */
export function handlerRanges(
  probes: readonly HandlerProbe[],
  last: (population: string, variable: string) => Float64Array | undefined,
): Map<string, Interval> {
  const out = new Map<string, Interval>();
  for (const p of probes) {
    let lo = Infinity,
      hi = -Infinity;
    for (const x of last(p.population, p.lo) ?? []) if (x < NEUTRAL) lo = Math.min(lo, x);
    for (const x of last(p.population, p.hi) ?? []) if (x > -NEUTRAL) hi = Math.max(hi, x);
    if (!(lo <= hi)) continue;
    for (const k of p.keys) {
      const seen = out.get(k);
      out.set(k, seen ? { lo: Math.min(seen.lo, lo), hi: Math.max(seen.hi, hi) } : { lo, hi });
    }
  }
  return out;
}
