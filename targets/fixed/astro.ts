// Astrocyte code in projection terms, for quantization. In: discrete IR (an astrocyte group, a projection it
// ensheathes, the groups at either end); out: IR statements where the astrocyte's own variables are refs of
// space "astro" (the ensheathing astrocyte of synapse s, astroOf[s]) and every read of an expose (astro.X,
// or pre.X / post.X of an astrocyte population) is replaced by its expression, so the fixed-point lowering
// and the executor only ever see stored variables.

import type { IRExpr, IRGroup, IRProgram, IRStmt, Ref, RefSpace } from "../../compiler/ir/nodes.js";
import { forEachTarget, mapStmtExprs, substitute } from "../../compiler/ir/expr.js";

const OWN = new Set<RefSpace>(["param", "state", "input"]);

/** `e` with the group's own refs (param/state/input) moved to space `to` (astro, pre or post). */
function moveOwn(e: IRExpr, to: RefSpace): IRExpr {
  return substitute(e, (r) => (OWN.has(r.space) ? { k: "ref", ref: { space: to, name: r.name } } : undefined));
}

/** Replaces reads of exposes: astro.X by the ensheathing astrocyte's expose X, pre.X / post.X of an
 *  astrocyte group by its expose X (when X is not a stored variable of that group). */
export function inlineExposes(e: IRExpr, sides: { astro?: IRGroup; pre?: IRGroup; post?: IRGroup }): IRExpr {
  const stored = (g: IRGroup, n: string): boolean => [...g.params, ...g.state, ...g.inputs].some((v) => v.name === n);
  return substitute(e, (r) => {
    const g =
      r.space === "astro" ? sides.astro : r.space === "pre" ? sides.pre : r.space === "post" ? sides.post : undefined;
    if (!g || (r.space !== "astro" && (g.kind !== "astrocyte" || stored(g, r.name)))) return undefined;
    const ex = g.exposes.find((x) => x.name === r.name);
    if (!ex) return undefined;
    return inlineExposes(moveOwn(ex.expr, r.space), {});
  });
}

/** An expression of an astrocyte handler with own refs as astro.NAME (as astroHandlerIR moves them). */
export const astroHandlerExpr = (e: IRExpr): IRExpr => moveOwn(e, "astro");

/** An astrocyte handler (on synapse_pre / synapse_post) with own refs as astro.NAME (targets included). */
export function astroHandlerIR(stmts: readonly IRStmt[]): IRStmt[] {
  const move = (ss: readonly IRStmt[]): IRStmt[] =>
    mapStmtExprs(ss, (e) => moveOwn(e, "astro")).map((s): IRStmt => {
      if (s.k === "assign" && OWN.has(s.target.space)) return { ...s, target: { space: "astro", name: s.target.name } };
      if (s.k === "if") return { ...s, then: move(s.then), otherwise: move(s.otherwise) };
      return s;
    });
  return move(stmts);
}

/** Statements of a projection with every expose read inlined. */
export function inlineExposeStmts(
  stmts: readonly IRStmt[],
  sides: { astro?: IRGroup; pre?: IRGroup; post?: IRGroup },
): IRStmt[] {
  return mapStmtExprs(stmts, (e) => inlineExposes(e, sides));
}

/** Variables of group `g` that astrocyte handlers write: its own (g an astrocyte ensheathing a projection)
 *  and pre./post. of the synapses' elements (g at an end of an ensheathed projection). */
export function astroWritten(p: IRProgram, g: IRGroup): Set<string> {
  const out = new Set<string>();
  for (const pr of p.projections) {
    if (!pr.ensheathedBy) continue;
    const a = p.groups.find((x) => x.name === pr.ensheathedBy!.astrocytes);
    if (!a) continue;
    const mark = (r: Ref): void => {
      if (a === g && OWN.has(r.space)) out.add(r.name);
      if (pr.pre.population === g.name && r.space === "pre") out.add(r.name);
      if (pr.post.population === g.name && r.space === "post") out.add(r.name);
    };
    forEachTarget(a.onSynapsePre, mark);
    forEachTarget(a.onSynapsePost, mark);
  }
  return out;
}
