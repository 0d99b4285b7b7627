// Which projections deliver through an input ring instead of a ring of spiking rows. In: the IR program;
// out: per projection, the post variable it accumulates into, the sum it adds per synapse, and the key of the
// input ring it shares.
//
// A projection qualifies when its only handler is `on pre { post.X += E }` (or -=) with E reading synapse parameters,
// constants and dt alone (no post, pre, state, time or modulator), it is not ensheathed, and it has no on post
// or continuous block. Its synapses then add E into a ring of X inputs, slot (k + delay) mod slots, at the
// step of the spike, and the slot of step k is added into X where the projection's deliver runs (layout.ts
// places the ring, lower-accumulate.ts the code). The sums are the same, in the same order of emission; only
// floating-point association differs (X + (w1 + w2) instead of (X + w1) + w2).
//
// Projections onto the same post population and variable share one ring (added where the first of them
// delivers) when every handler of every projection that touches that post variable is such an accumulation:
// then nothing reads X in between, and moving an addition earlier or later changes only rounding. Otherwise
// each projection keeps a ring of its own, added where it delivers, as its events were before.

import type { IRExpr, IRProgram, IRProjection, IRStmt } from "../../compiler/ir/nodes.js";
import { forEachStmtExpr, forEachTarget, mentions } from "../../compiler/ir/expr.js";

export interface Accumulation {
  /** The post variable X of `post.X += E`. */
  variable: string;
  /** E, the value each synapse adds. */
  add: IRExpr;
  /** Projections with equal keys share one input ring. */
  key: string;
}

/** `post.X += E` (X = X + E, E + X, or X - E as X + (-E)) with E free of everything but synapse parameters, numbers and dt. */
function accumulationOf(p: IRProjection): { variable: string; add: IRExpr } | null {
  if (p.onPre.length !== 1 || p.onPost.length > 0 || p.continuous.length > 0 || p.ensheathedBy) return null;
  const s = p.onPre[0]!;
  if (s.k !== "assign" || s.target.space !== "post") return null;
  const x = s.target.name;
  const v = s.value;
  if (v.k !== "bin" || (v.op !== "+" && v.op !== "-")) return null;
  const isX = (e: IRExpr): boolean => e.k === "ref" && e.ref.space === "post" && e.ref.name === x;
  // X - E is X + (-E) exactly (IEEE subtraction adds the negation)
  const add =
    v.op === "-" ? (isX(v.a) ? ({ k: "neg", a: v.b } as const) : null) : isX(v.a) ? v.b : isX(v.b) ? v.a : null;
  if (add === null) return null;
  if (mentions(add, (r) => r.space !== "param" && r.space !== "dt")) return null;
  return { variable: x, add };
}

function touchesPost(stmts: readonly IRStmt[], x: string): boolean {
  let found = false;
  forEachStmtExpr(stmts, (e) => {
    if (mentions(e, (r) => r.space === "post" && r.name === x)) found = true;
  });
  forEachTarget(stmts, (r) => {
    if (r.space === "post" && r.name === x) found = true;
  });
  return found;
}

/** The accumulating projections of `program` by name (the others are absent). */
export function accumulations(program: IRProgram): Map<string, Accumulation> {
  const out = new Map<string, Accumulation>();
  const astroHandlers = (p: IRProjection): readonly IRStmt[] => {
    const g = p.ensheathedBy ? program.groups.find((q) => q.name === p.ensheathedBy!.astrocytes) : undefined;
    return g ? [...g.onSynapsePre, ...g.onSynapsePost] : [];
  };
  for (const p of program.projections) {
    const acc = accumulationOf(p);
    if (!acc) continue;
    const pop = p.post.population;
    // shared only if every handler that touches pop.X belongs to an accumulation (of any delay)
    const shared = program.projections.every(
      (q) =>
        q.post.population !== pop ||
        accumulationOf(q) !== null ||
        ![q.onPre, q.onPost, q.continuous, astroHandlers(q)].some((h) => touchesPost(h, acc.variable)),
    );
    out.set(p.name, { ...acc, key: shared ? `${pop}.${acc.variable}` : `projection ${p.name}` });
  }
  return out;
}
