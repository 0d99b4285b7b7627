// Pass "dead-state": removes state variables and parameters that nothing observable depends on.
// Observable: thresholds, resets, handlers, continuous blocks, exposes, monitors, modulators, reads
// from other entities (pre./post./astro.), and the ODEs of live variables, to a fixed point.
// In: an IRProgram; out: a new IRProgram (the pass manager appends "dead-state" to `passes`).

import type { IRExpr, IRInit, IRProgram, IROde, IRStmt, IRVar, Ref } from "../ir/nodes.js";
import { forEachRef, forEachStmtExpr, forEachTarget } from "../ir/expr.js";

/** Live names of one entity (params and state share a namespace within a model). */
type Live = Set<string>;

function initExprs(init: IRInit): IRExpr[] {
  return init.k === "expr" ? [init.e] : init.k === "dist" ? init.args : [];
}

interface Entity {
  params: IRVar[];
  state: IRVar[];
  odes: IROde[];
  /** Expressions and statements that are observable on their own. */
  roots: IRExpr[];
  stmts: IRStmt[][];
}

export function eliminateDeadState(p: IRProgram): IRProgram {
  const groupLive = new Map<string, Live>(p.groups.map((g) => [g.name, new Set<string>()]));
  const projLive = new Map<string, Live>(p.projections.map((pr) => [pr.name, new Set<string>()]));
  const projsOfAstro = new Map<string, { pre: string; post: string }[]>();
  for (const pr of p.projections) {
    if (!pr.ensheathedBy) continue;
    const list = projsOfAstro.get(pr.ensheathedBy.astrocytes) ?? [];
    list.push({ pre: pr.pre.population, post: pr.post.population });
    projsOfAstro.set(pr.ensheathedBy.astrocytes, list);
  }

  const markIn = (group: string | undefined, name: string): void => {
    if (group !== undefined) groupLive.get(group)?.add(name);
  };
  // refs seen from an entity: own names go to `own`; pre./post. go to the partner groups
  const reader = (own: Live, pres: string[], posts: string[]) => (r: Ref) => {
    if (r.space === "param" || r.space === "state") own.add(r.name);
    else if (r.space === "pre") pres.forEach((g) => markIn(g, r.name));
    else if (r.space === "post") posts.forEach((g) => markIn(g, r.name));
  };

  // network-level observers
  for (const m of p.monitors) {
    if (m.k === "state" && m.variable) markIn(m.target.population, m.variable);
    if (m.k === "synapse" && m.variable) projLive.get(m.target.population)?.add(m.variable);
  }
  for (const m of p.modulators)
    forEachRef(m.expr, (r) => {
      if (r.space === "popmean") {
        const dot = r.name.indexOf(".");
        markIn(r.name.slice(0, dot), r.name.slice(dot + 1));
      }
    });

  const entities: { live: Live; e: Entity; read: (r: Ref) => void }[] = [];
  for (const g of p.groups) {
    const live = groupLive.get(g.name)!;
    const ens = projsOfAstro.get(g.name) ?? [];
    entities.push({
      live,
      read: reader(
        live,
        ens.map((x) => x.pre),
        ens.map((x) => x.post),
      ),
      e: {
        params: g.params,
        state: g.state,
        odes: g.odes,
        roots: [
          ...(g.threshold ? [g.threshold] : []),
          ...g.exposes.map((x) => x.expr),
          ...g.aliases.map((a) => a.expr),
        ],
        stmts: [g.reset, g.onSynapsePre, g.onSynapsePost, g.update],
      },
    });
    // a refractory clamp does not make a variable live by itself
  }
  for (const pr of p.projections) {
    const live = projLive.get(pr.name)!;
    entities.push({
      live,
      read: reader(live, [pr.pre.population], [pr.post.population]),
      e: {
        params: pr.params,
        state: pr.state,
        odes: pr.odes,
        roots: initExprs(pr.delay),
        stmts: [pr.onPre, pr.onPost, pr.continuous],
      },
    });
  }

  // roots: everything observable reads (and every assignment target stays)
  for (const { e, read } of entities) {
    e.roots.forEach((x) => forEachRef(x, read));
    for (const list of e.stmts) {
      forEachStmtExpr(list, (x) => forEachRef(x, read));
      forEachTarget(list, read);
    }
  }

  // fixed point: live state pulls in its ODE and init; live params pull in their init (reads may
  // also grow other entities' live sets, so count over all of them)
  const total = (): number => [...groupLive.values(), ...projLive.values()].reduce((n, s) => n + s.size, 0);
  for (let before = -1; before !== total();) {
    before = total();
    for (const { live, e, read } of entities) {
      for (const o of e.odes) if (live.has(o.name)) forEachRef(o.rhs, read);
      for (const v of [...e.params, ...e.state])
        if (live.has(v.name)) initExprs(v.init).forEach((x) => forEachRef(x, read));
    }
  }

  const keepVars = (vs: IRVar[], live: Live) => vs.filter((v) => live.has(v.name));
  const keepOdes = (os: IROde[], live: Live) => os.filter((o) => live.has(o.name));
  const groups = p.groups.map((g) => {
    const live = groupLive.get(g.name)!;
    return {
      ...g,
      params: keepVars(g.params, live),
      state: keepVars(g.state, live),
      odes: keepOdes(g.odes, live),
      refractory: g.refractory ? { ...g.refractory, clamp: g.refractory.clamp.filter((n) => live.has(n)) } : null,
    };
  });
  const projections = p.projections.map((pr) => {
    const live = projLive.get(pr.name)!;
    return { ...pr, params: keepVars(pr.params, live), state: keepVars(pr.state, live), odes: keepOdes(pr.odes, live) };
  });
  return { ...p, groups, projections };
}
