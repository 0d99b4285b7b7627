// Whole-entity traversals of the IR: every expression of a group, projection or program.
// In: an IRGroup / IRProjection / IRProgram and a function on expressions; out: a new entity with
// every expression mapped (inits, odes, aliases, statements, threshold, exposes), or a visit.

import type { IRExpr, IRGroup, IRInit, IRProgram, IRProjection, IRVar } from "./nodes.js";
import { forEachStmtExpr, mapStmtExprs } from "./expr.js";

export function mapInit(init: IRInit, f: (e: IRExpr) => IRExpr): IRInit {
  return init.k === "expr" ? { k: "expr", e: f(init.e) } : { ...init, args: init.args.map(f) };
}

const mapVars = (vs: readonly IRVar[], f: (e: IRExpr) => IRExpr): IRVar[] => vs.map((v) => ({ ...v, init: mapInit(v.init, f) }));

export function mapGroupExprs(g: IRGroup, f: (e: IRExpr) => IRExpr): IRGroup {
  return {
    ...g,
    params: mapVars(g.params, f),
    state: mapVars(g.state, f),
    inputs: mapVars(g.inputs, f),
    aliases: g.aliases.map((a) => ({ name: a.name, expr: f(a.expr) })),
    odes: g.odes.map((o) => ({ ...o, rhs: f(o.rhs) })),
    update: mapStmtExprs(g.update, f),
    threshold: g.threshold ? f(g.threshold) : null,
    reset: mapStmtExprs(g.reset, f),
    onSynapsePre: mapStmtExprs(g.onSynapsePre, f),
    onSynapsePost: mapStmtExprs(g.onSynapsePost, f),
    exposes: g.exposes.map((x) => ({ ...x, expr: f(x.expr) })),
  };
}

export function mapProjectionExprs(p: IRProjection, f: (e: IRExpr) => IRExpr): IRProjection {
  return {
    ...p,
    delay: mapInit(p.delay, f),
    params: mapVars(p.params, f),
    state: mapVars(p.state, f),
    odes: p.odes.map((o) => ({ ...o, rhs: f(o.rhs) })),
    onPre: mapStmtExprs(p.onPre, f),
    onPost: mapStmtExprs(p.onPost, f),
    continuous: mapStmtExprs(p.continuous, f),
  };
}

function visitInit(init: IRInit, f: (e: IRExpr) => void): void {
  if (init.k === "expr") f(init.e);
  else init.args.forEach(f);
}

export function forEachGroupExpr(g: IRGroup, f: (e: IRExpr) => void): void {
  for (const v of [...g.params, ...g.state, ...g.inputs]) visitInit(v.init, f);
  g.aliases.forEach((a) => f(a.expr));
  g.odes.forEach((o) => f(o.rhs));
  forEachStmtExpr(g.update, f);
  if (g.threshold) f(g.threshold);
  forEachStmtExpr(g.reset, f);
  forEachStmtExpr(g.onSynapsePre, f);
  forEachStmtExpr(g.onSynapsePost, f);
  g.exposes.forEach((x) => f(x.expr));
}

export function forEachProjectionExpr(p: IRProjection, f: (e: IRExpr) => void): void {
  visitInit(p.delay, f);
  for (const v of [...p.params, ...p.state]) visitInit(v.init, f);
  p.odes.forEach((o) => f(o.rhs));
  forEachStmtExpr(p.onPre, f);
  forEachStmtExpr(p.onPost, f);
  forEachStmtExpr(p.continuous, f);
}

/** Maps every expression of the program (groups, projections, sources' rates, modulators). */
export function mapProgramExprs(p: IRProgram, f: (e: IRExpr) => IRExpr): IRProgram {
  return {
    ...p,
    groups: p.groups.map((g) => mapGroupExprs(g, f)),
    projections: p.projections.map((pr) => mapProjectionExprs(pr, f)),
    sources: p.sources.map((s) => (s.k === "poisson" ? { ...s, rate: mapInit(s.rate, f) } : s)),
    modulators: p.modulators.map((m) => ({ ...m, expr: f(m.expr) })),
  };
}

/** Appends a pass name to the program's pass list (returns a new program). */
export function withPass(p: IRProgram, name: string): IRProgram {
  return { ...p, passes: [...p.passes, name] };
}
