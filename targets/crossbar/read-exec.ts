// The crossbar read model on the fixed-point executor. In: a crossbar descriptor (run by the descriptor runner,
// targets/emulator/oracle.ts, on its synapse tables; older callers named splits "PROJ#i"); out: the executor's OnPreDelivery that hands every due on-pre event to
// the read model (read-model.ts) and, once per step, applies each converted pair's word through the
// projection's signed accumulation (static synapses) or its own on-pre program (the descriptor's FxStmts, with
// the word as the weight), or null when the
// model is the identity (no read noise, ADC step <= 1 word) and the per-synapse path is exact.

import type { CrossbarDescriptor } from "../descriptor/types.js";
import type { FxProjection } from "../fixed/ir.js";
import { projectionHandler, type RawVars, type SynapseHandler } from "../fixed/kernels.js";
import type { OnPreDelivery } from "../fixed/executor.js";
import { TargetError } from "../target.js";
import { accumulate, CrossbarReads } from "./read-model.js";

/** The split name "PROJ#i" back to its descriptor projection. */
const baseName = (split: string): string => {
  const h = split.lastIndexOf("#");
  return h < 0 ? split : split.slice(0, h);
};

export function crossbarDelivery(d: CrossbarDescriptor): { delivery: OnPreDelivery; reads: CrossbarReads } | null {
  const reads = new CrossbarReads(d);
  if (!reads.active) return null;
  const apply: (SynapseHandler | null)[] = d.projections.map(() => null);
  const delivery: OnPreDelivery = {
    projection(p: FxProjection, sides, rng, counterOf) {
      const j = reads.projectionIndex(baseName(p.name));
      if (j < 0) throw new TargetError(`crossbar read: ${p.name} is no projection of the descriptor`);
      const t = d.projections[j]!;
      const perSyn = Object.keys(t.raw).filter((v) => v !== t.weightVar);
      if (perSyn.length)
        throw new TargetError(
          `crossbar read: ${t.projection} stores per-synapse ${perSyn.join(", ")} besides its weight; a crossbar pair holds one weight`,
        );
      const acc = reads.acc[j];
      if (!apply[j] && acc) {
        // static synapse: signed accumulation of the pair's word into the post input
        const ps = reads.pairs[j]!,
          x = sides.post.raw?.arrays.get(acc.variable);
        if (!x) throw new TargetError(`crossbar read: ${t.post.population} has no variable ${acc.variable}`);
        const cnt = counterOf({ space: "post", name: acc.variable });
        apply[j] = (i) => accumulate(x, ps.postIdx[i]!, ps.weights[i]!, acc, cnt);
      }
      if (!apply[j]) {
        const ps = reads.pairs[j]!;
        const raw: RawVars = {
          arrays: new Map([[t.weightVar, ps.weights]]),
          scalars: new Map(Object.entries(t.scalars)),
          fmts: new Map(t.vars.map((v) => [v.name, v.fmt])),
        };
        apply[j] = projectionHandler(
          { ...p, name: t.projection, locals: t.locals },
          t.onPre,
          raw,
          { ...sides, preIdx: ps.preIdx, postIdx: ps.postIdx, astro: undefined },
          rng,
          counterOf,
        );
      }
      // the split's synapses (construction order) back to the descriptor's synapse indices by (pre, post)
      const key = new Map<number, number>();
      const postSize = t.post.end;
      for (let s = 0; s < t.n; s++) key.set(t.preIndex[s]! * postSize + t.postIndex[s]!, s);
      const local = new Int32Array(sides.preIdx.length);
      for (let s = 0; s < local.length; s++) {
        const g = key.get(sides.preIdx[s]! * postSize + sides.postIdx[s]!);
        if (g === undefined)
          throw new TargetError(
            `crossbar read: ${p.name} synapse ${sides.preIdx[s]} -> ${sides.postIdx[s]} is not in the table of ${t.projection}`,
          );
        local[s] = g;
      }
      return (s: number) => reads.event(j, local[s]!);
    },
    flush(k: number) {
      reads.flush(k, (j, i) => apply[j]?.(i, k));
    },
  };
  return { delivery, reads };
}
