// Whether the threads of a threaded wasm run must meet at the end of every step. In: a discrete IR program
// (already found shardable by threads.ts); out: true when some step-k work of one thread can race with
// step k+1 work of another unless they meet, false when double-buffered spike lists are enough.
//
// Without the end barrier a thread may begin step k+1 (its group updates, thresholds and spike lists) while
// another still delivers step k's spikes. That is safe when
//   - the step has no phase 0 (state monitors, modulators, continuous couplings, currents run on thread 0
//     at the start of the step over every element and would see other threads mid-update), and
//   - no `on pre` / `on post` handler reads a pre-side variable that group updates write (state, inputs,
//     exposes): handlers read and write only their synapse and their post element, which belongs to the
//     delivering thread itself, so pre-side state is the only cross-thread read left;
// and the spike lists (with their counts) alternate between two copies by step parity: a thread can be at
// most one step ahead, because the barrier after the thresholds of step k+1 waits for everyone.

import type { IRProgram } from "../../compiler/ir/nodes.js";
import { forEachRef, forEachStmtExpr } from "../../compiler/ir/expr.js";

export function needsEndBarrier(program: IRProgram): boolean {
  if (program.modulators.length > 0 || program.currents.length > 0) return true;
  // synapse monitors: the host reads synapse values between steps, after every thread's delivery
  if (program.monitors.some((m) => m.k === "state" || m.k === "synapse")) return true;
  const groups = new Map(program.groups.map((g) => [g.name, g]));
  for (const p of program.projections) {
    if (p.continuous.length > 0) return true;
    const pre = groups.get(p.pre.population);
    const constant = new Set(pre?.params.map((v) => v.name) ?? []);
    let readsState = false;
    forEachStmtExpr([...p.onPre, ...p.onPost], (e) =>
      forEachRef(e, (r) => {
        if (r.space === "pre" && !constant.has(r.name)) readsState = true;
      }),
    );
    if (readsState) return true;
  }
  return false;
}
