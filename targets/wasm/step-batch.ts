// Whether the threads of a threaded wasm run may run two steps between meetings. In: the IR program (before
// construction: how many copies of the spike lists to lay out) and the layout (after construction: the
// delays drawn); out: the batch, 1 (a barrier after every step's thresholds, lower-step.ts) or 2.
//
// An event emitted in step j with delay d is added into its input ring slot j + d, which is added into X in
// the delivery phase of step j + d and read by the update of step j + d + 1. When every projection that reads
// other threads' spikes delivers through an input ring (accumulate.ts) with delays of at least one step, the
// spikes of step j are first needed in the delivery phase of step j + 1. The threads therefore meet after
// every odd step (and after the last): each then delivers the spikes of both steps into its rings (step
// order, then projection order: the additions into every slot come in the order of a run with a barrier
// per step), thread 0 counts and records both steps' spikes, and then each thread adds its slot of the step
// into X. In an even step each thread adds its slot into X without meeting the others: that slot holds
// events of steps up to the previous odd one only. Every addition into a slot, into X and into the event
// counts happens in the same order as before, so the spikes are the same bit for bit.
//
// Needed besides: no end-of-step barrier (step-sync.ts: no phase 0, no handler reading pre state); no reset
// over spike lists (its barrier); every other projection delivers at delay 0 from this thread's own shard
// of the pre spikes (one_to_one between populations sharded alike, the microcircuit's Poisson background).
// A thread may be two steps ahead of another, so the spike lists keep four copies (step k: copy k mod 4).

import type { IRProgram } from "../../compiler/ir/nodes.js";
import { accumulations } from "./accumulate.js";
import type { Layout, ProjLayout } from "./layout.js";

/** Before construction: whether the steps might run in pairs (every projection an accumulation). */
export function mayPairSteps(program: IRProgram): boolean {
  const accums = accumulations(program);
  return program.projections.every((p) => accums.has(p.name));
}

/**
 * Whether thread t's synapses of `pj` all come from rows of shard t of the pre population: one_to_one between
 * two whole populations of one size, sharded alike (then each thread reads its own pre shard's spike list only).
 */
export function ownPreShard(threads: number, pj: ProjLayout): boolean {
  const p = pj.proj;
  const { pre, post } = pj;
  return (
    threads > 1 &&
    p.rule.k === "one_to_one" &&
    p.pre.start === 0 &&
    p.pre.end === pre.size &&
    p.post.start === 0 &&
    p.post.end === post.size &&
    pre.size === post.size &&
    pre.shardTable !== 0 &&
    post.shardTable !== 0 &&
    pre.shards.length === post.shards.length &&
    pre.shards.every((sh, t) => sh.lo === post.shards[t]!.lo && sh.hi === post.shards[t]!.hi)
  );
}

/** After construction: 2 when the steps run in pairs (see above), else 1. `listResets`: some group's reset
 *  runs over its spike list (lower-group.ts). */
export function stepBatch(layout: Layout, listResets: boolean): 1 | 2 {
  if (layout.threads === 1 || layout.endBarrier || listResets) return 1;
  if (layout.pops.some((pl) => pl.listCopies < 4)) return 1;
  for (const pj of layout.projs) {
    const p = pj.proj;
    if (p.onPost.length > 0 || p.continuous.length > 0 || pj.astroEvents) return 1;
    if (pj.accum) {
      if (pj.n > 0 && pj.minDelay < 1) return 1;
    } else if (!(pj.uniformDelay === 0 && ownPreShard(layout.threads, pj))) return 1;
  }
  return 2;
}
