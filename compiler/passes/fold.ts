// Passes "fold" and "fold-discrete" (the same function, run before and after solve-odes): bind scalar
// parameters to their numbers, fold constant arithmetic and simplify by the rule table in rules.ts.
// In: an IRProgram (either form); out: a new IRProgram (the pass manager records the pass's name), and
// with a pass context, errors for constants that folded to infinity or NaN (finite.ts).

import type { IRExpr, IRGroup, IRProgram, IRVar, Ref } from "../ir/nodes.js";
import { num, substitute } from "../ir/expr.js";
import { evalNumber } from "../ir/evaluate.js";
import { mapGroupExprs, mapInit, mapProjectionExprs } from "../ir/walk.js";
import { simplify } from "./rules.js";
import { reportNonFinite } from "./finite.js";
import type { PassContext } from "./manager.js";

/** Values of the parameters that are one number for the whole instance (not per element, and
 *  computable from numbers and other such parameters). */
export function constantParams(params: readonly IRVar[]): Map<string, number> {
  const byName = new Map(params.map((v) => [v.name, v]));
  const out = new Map<string, number>();
  const visiting = new Set<string>();
  const value = (name: string): number | undefined => {
    if (out.has(name)) return out.get(name);
    const v = byName.get(name);
    if (!v || v.perElement || v.init.k !== "expr" || visiting.has(name)) return undefined;
    visiting.add(name);
    const x = evalNumber(v.init.e, (r) => (r.space === "param" ? value(r.name) : undefined));
    visiting.delete(name);
    if (x !== undefined && Number.isFinite(x)) out.set(name, x);
    return x;
  };
  for (const v of params) value(v.name);
  return out;
}

/** Substitutes `param` refs (and pre./post. refs to scalar params of the pre/post group). */
export function bindParams(
  e: IRExpr,
  own: ReadonlyMap<string, number>,
  pre?: ReadonlyMap<string, number>,
  post?: ReadonlyMap<string, number>,
): IRExpr {
  return substitute(e, (r: Ref) => {
    const table = r.space === "param" ? own : r.space === "pre" ? pre : r.space === "post" ? post : undefined;
    const v = table?.get(r.name);
    return v === undefined ? undefined : num(v);
  });
}

export function foldConstants(p: IRProgram, ctx?: PassContext): IRProgram {
  const envs = new Map<string, Map<string, number>>(p.groups.map((g: IRGroup) => [g.name, constantParams(g.params)]));
  const groups = p.groups.map((g) => {
    const env = envs.get(g.name)!;
    return mapGroupExprs(g, (e) => simplify(bindParams(e, env)));
  });
  const projections = p.projections.map((pr) => {
    const env = constantParams(pr.params);
    const pre = envs.get(pr.pre.population);
    const post = envs.get(pr.post.population);
    return mapProjectionExprs(pr, (e) => simplify(bindParams(e, env, pre, post)));
  });
  const folded: IRProgram = {
    ...p,
    groups,
    projections,
    sources: p.sources.map((s) => (s.k === "poisson" ? { ...s, rate: mapInit(s.rate, (e) => simplify(e)) } : s)),
    modulators: p.modulators.map((m) => ({ ...m, expr: simplify(m.expr) })),
  };
  if (ctx) reportNonFinite(folded, ctx.diagnostics);
  return folded;
}
