// Element indices in per-step code. In: a freshly built group (neuron, astrocyte) or projection whose equations,
// spike condition, reset or handlers read `i` (the element index; a synapse's pre index) or `j` (a synapse's
// post index) as index refs. Out: the same object with each index read turned into a per-element parameter of
// that name, initialized from the index (`N`, a population's size, is a constant already). Every target then
// runs it as it runs any per-element parameter: one home for the rule, no target code.

import type { IRExpr, IRGroup, IRProjection, IRStmt, IRVar, Ref } from "./nodes.js";
import { forEachRef, mapStmtExprs, substitute } from "./expr.js";

type Seen = Set<string>;

const collect = (seen: Seen) => (e: IRExpr) =>
  forEachRef(e, (r) => {
    if (r.space === "index") seen.add(r.name);
  });

function collectStmts(stmts: readonly IRStmt[], seen: Seen): void {
  mapStmtExprs(stmts, (e) => {
    collect(seen)(e);
    return e;
  });
}

const asParam = (e: IRExpr): IRExpr =>
  substitute(e, (r: Ref) => (r.space === "index" ? { k: "ref", ref: { space: "param", name: r.name } } : undefined));
const stmtsAsParam = (ss: IRStmt[]): IRStmt[] => mapStmtExprs(ss, asParam);

function indexParams(seen: Seen): IRVar[] {
  return [...seen].sort().map((name) => ({
    name,
    dim: "1",
    init: { k: "expr", e: { k: "ref", ref: { space: "index", name } } },
    perElement: true,
  }));
}

/** A group whose per-step code reads `i`: `i` becomes a per-element parameter. */
export function groupIndexParams(g: IRGroup): IRGroup {
  const seen: Seen = new Set();
  const c = collect(seen);
  g.odes.forEach((o) => c(o.rhs));
  g.aliases.forEach((a) => c(a.expr));
  g.exposes.forEach((x) => c(x.expr));
  if (g.threshold) c(g.threshold);
  for (const ss of [g.reset, g.onSynapsePre, g.onSynapsePost]) collectStmts(ss, seen);
  if (seen.size === 0) return g;
  return {
    ...g,
    params: [...g.params, ...indexParams(seen)],
    odes: g.odes.map((o) => ({ ...o, rhs: asParam(o.rhs) })),
    aliases: g.aliases.map((a) => ({ ...a, expr: asParam(a.expr) })),
    exposes: g.exposes.map((x) => ({ ...x, expr: asParam(x.expr) })),
    threshold: g.threshold ? asParam(g.threshold) : null,
    reset: stmtsAsParam(g.reset),
    onSynapsePre: stmtsAsParam(g.onSynapsePre),
    onSynapsePost: stmtsAsParam(g.onSynapsePost),
  };
}

/** A projection whose equations or handlers read `i` or `j`: each becomes a per-synapse parameter. */
export function projectionIndexParams(p: IRProjection): IRProjection {
  const seen: Seen = new Set();
  p.odes.forEach((o) => collect(seen)(o.rhs));
  for (const ss of [p.onPre, p.onPost, p.continuous]) collectStmts(ss, seen);
  if (seen.size === 0) return p;
  return {
    ...p,
    params: [...p.params, ...indexParams(seen)],
    odes: p.odes.map((o) => ({ ...o, rhs: asParam(o.rhs) })),
    onPre: stmtsAsParam(p.onPre),
    onPost: stmtsAsParam(p.onPost),
    continuous: stmtsAsParam(p.continuous),
  };
}
