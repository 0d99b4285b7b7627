// Whole-entity rewrites of the IR: every expression of a group or projection. In: an IRGroup / IRProjection
// and a function on expressions; out: a new entity with every expression mapped (inits, odes, aliases,
// statements, threshold, exposes). Also withPass: a program with one more pass name.

import type { IRExpr, IRGroup, IRInit, IRProgram, IRProjection, IRVar } from "./nodes.js";
import { mapStmtExprs } from "./expr.js";

export function mapInit(init: IRInit, f: (e: IRExpr) => IRExpr): IRInit {
  if (init.k === "table") return init;
  return init.k === "expr" ? { k: "expr", e: f(init.e) } : { ...init, args: init.args.map(f) };
}

const mapVars = (vs: readonly IRVar[], f: (e: IRExpr) => IRExpr): IRVar[] =>
  vs.map((v) => ({ ...v, init: mapInit(v.init, f) }));

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

/** Appends a pass name to the program's pass list (returns a new program). */
export function withPass(p: IRProgram, name: string): IRProgram {
  return { ...p, passes: [...p.passes, name] };
}
