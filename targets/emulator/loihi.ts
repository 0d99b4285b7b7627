// The `loihi` neuron mode in the emulator: the groups that `run --target fixed --hw loihi` steps as Lava's
// bit-accurate LIF compartments (targets/fixed/loihi-run.ts) are stepped the same way here, so `emulate --check`
// compares like with like. In: a digital descriptor whose fixed spec asks for neuronMode "loihi" and its IR;
// out: per loihi-mode group its compartment state (LoihiGroupRt: int32 u, v, a_in) with the emulator's neuron
// kernels over it, and for a projection into such a group its on-pre kernel (a_in += the synapse's input).
//
// The plan is the executor's (planLoihi over quantize's decay-consistent IR, which the descriptor runner builds
// again from the descriptor), the compartments start from the model's initial values as the executor's do, and
// each synapse's a_in increment is the executor's conversion of the model's weight (modelSynapseInputs).

import type { IRProgram, IRProjection } from "../../compiler/ir/nodes.js";
import type { DigitalDescriptor, SynapseTable } from "../descriptor/types.js";
import { decayConsistent } from "../fixed/decay-consistent.js";
import { LoihiGroupRt, modelSynapseInputs, planLoihi } from "../fixed/loihi-run.js";
import { initGroup, type Values } from "../network/init.js";
import type { PopulationFacts } from "../network/projection.js";
import type { NeuronKernels, SynapseRun } from "./datapath.js";
import { EmulatorError } from "./errors.js";

export interface LoihiMode {
  /** The compartments of each loihi-mode group, by population. */
  groups: Map<string, LoihiGroupRt>;
  /** The decay-consistent projections the plan was made on (a_in increments are computed from them). */
  projections: Map<string, IRProjection>;
  /** What the network construction knows of each population (initial values of the groups). */
  facts: (population: string) => PopulationFacts;
  seed: number;
  dt: number;
}

/** The loihi-mode groups of a digital descriptor (none unless its fixed spec's neuronMode is "loihi"). */
export function loihiMode(d: DigitalDescriptor, ir: IRProgram): LoihiMode {
  const seed = d.seed >>> 0;
  // quantize's rewrite, as the executor (and the descriptor runner through it) plans and initializes on it
  const dc = d.fixed.neuronMode === "loihi" ? decayConsistent(ir, d.fixed) : ir;
  const values = new Map<string, Values>();
  const facts = (name: string): PopulationFacts => {
    const g = dc.groups.find((x) => x.name === name);
    if (!g) return { size: dc.sources.find((x) => x.name === name)?.size ?? 0, kind: "source", values: undefined };
    let v = values.get(name);
    if (!v) values.set(name, (v = initGroup(g, seed, dc.dt)));
    return { size: g.size, kind: g.kind, values: v };
  };
  const out: LoihiMode = { groups: new Map(), projections: new Map(), facts, seed, dt: dc.dt };
  if (d.fixed.neuronMode !== "loihi") return out;
  const plan = planLoihi({ spec: d.fixed, groups: dc.groups.map((g) => ({ name: g.name, ir: g })), ir: dc }, seed);
  for (const g of dc.groups) {
    const m = plan.groups.get(g.name);
    if (m) out.groups.set(g.name, new LoihiGroupRt(g.size, m, facts(g.name).values!));
  }
  for (const p of dc.projections) out.projections.set(p.name, p);
  return out;
}

/** The emulator's neuron kernels over a compartment group: Lava's update (activity: input, or u or v changed),
 *  threshold (spiking compartments marked active), reset (v = 0, last spike stamped). No inputs to clear. */
export function loihiNeuronKernels(L: LoihiGroupRt, lastSpike: Int32Array): NeuronKernels {
  return {
    update: (_k, act) => L.update(act),
    threshold: (_k, buf, act) => {
      const n = L.threshold(buf);
      for (let x = 0; x < n; x++) act[buf[x]!] = 1;
      return n;
    },
    reset: (k, buf, n) => {
      L.reset(buf, n);
      for (let x = 0; x < n; x++) lastSpike[buf[x]!] = k;
    },
    clearInputs: () => {},
  };
}

/** On pre of a projection into a compartment group: a_in[post] += the synapse's input (int32, as Lava's Dense
 *  accumulates). The increments are the fixed target's, from the model's weights (modelSynapseInputs; the
 *  synapse memory's weight words are those weights rounded to the preset's weight width, which Lava's a_in
 *  does not see); a synapse table that is not the model's construction is an EmulatorError. */
export function loihiOnPre(
  mode: LoihiMode,
  t: SynapseTable,
  L: LoihiGroupRt,
  postIdx: Int32Array,
  rowStart: Int32Array,
): { onPre: SynapseRun; onPreRow: (e: number, k: number) => void } {
  const p = mode.projections.get(t.projection);
  if (!p) throw new EmulatorError(`loihi mode: no projection ${t.projection} in the descriptor's IR`);
  const inc = modelSynapseInputs(p, L.match, mode.facts, mode.seed, mode.dt, t.preIndex, t.postIndex);
  if (typeof inc === "string") throw new EmulatorError(`loihi mode: ${inc}`);
  const aIn = L.aIn;
  return {
    onPre: (s) => {
      aIn[postIdx[s]!] += inc[s]!;
    },
    // every synapse of pre element e in turn, in one loop (the schedule's row of a uniform delay)
    onPreRow: (e) => {
      for (let s = rowStart[e]!, end = rowStart[e + 1]!; s < end; s++) aIn[postIdx[s]!] += inc[s]!;
    },
  };
}
