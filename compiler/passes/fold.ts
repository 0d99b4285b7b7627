// Passes "fold" and "fold-discrete" (the same function, run before and after solve-odes): bind scalar
// parameters to their numbers, fold constant arithmetic and simplify by the rule table in rules.ts.
// In: an IRProgram (either form); out: a new IRProgram (the pass manager records the pass's name), and
// with a pass context, errors for constants that folded to infinity or NaN (finite.ts).

import type { IRExpr, IRGroup, IRProgram, IRVar, Ref } from "../ir/nodes.js";
import { forEachRef, num, substitute } from "../ir/expr.js";
import { evalNumber } from "../ir/evaluate.js";
import { mapGroupExprs, mapInit, mapProjectionExprs } from "../ir/walk.js";
import { simplify } from "./rules.js";
import { reportNonFinite } from "./finite.js";
import type { PassContext } from "./manager.js";

/** Values of the parameters that are one number for the whole instance (not per element, and
 *  computable from numbers and other such parameters). Each is computed after the parameters it names, with
 *  an explicit stack: a chain `p0 = p1`, `p1 = p2`, ... of 10,000 parameters used to overflow the call stack.
 *  A parameter on a cycle is no constant. */
export function constantParams(params: readonly IRVar[]): Map<string, number> {
  const byName = new Map(params.map((v) => [v.name, v]));
  const out = new Map<string, number>();
  const done = new Set<string>();
  const scalar = (name: string): IRExpr | undefined => {
    const v = byName.get(name);
    return v && !v.perElement && v.init.k === "expr" ? v.init.e : undefined;
  };
  const deps = (name: string): string[] => {
    const names: string[] = [];
    forEachRef(scalar(name)!, (r) => {
      if (r.space === "param" && scalar(r.name)) names.push(r.name);
    });
    return names;
  };
  for (const v of params) {
    if (done.has(v.name) || !scalar(v.name)) continue;
    const stack = [{ name: v.name, deps: deps(v.name) }];
    const onStack = new Set([v.name]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top.deps.pop();
      if (next !== undefined) {
        if (!done.has(next) && !onStack.has(next)) {
          stack.push({ name: next, deps: deps(next) });
          onStack.add(next);
        }
        continue;
      }
      const x = evalNumber(scalar(top.name)!, (r) => (r.space === "param" ? out.get(r.name) : undefined));
      if (x !== undefined && Number.isFinite(x)) out.set(top.name, x);
      done.add(top.name);
      onStack.delete(top.name);
      stack.pop();
    }
  }
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
    sources: p.sources.map((s) =>
      s.k === "poisson" || s.k === "poisson_count" ? { ...s, rate: mapInit(s.rate, (e) => simplify(e)) } : s,
    ),
    modulators: p.modulators.map((m) => ({ ...m, expr: simplify(m.expr) })),
  };
  if (ctx) reportNonFinite(folded, ctx.diagnostics);
  return folded;
}
