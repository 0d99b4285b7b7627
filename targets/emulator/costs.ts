// The cost table the engine charges, read from a hardware spec's cited `emulator` section. In: a
// HardwareSpec; out: energies (J per operation, W for static power), latencies in whole cycles of the
// emulator clock, the barrier model, and the names of operations the preset gives no cost for (charged 0).
// Refinements a preset may give (OPTIONAL_COSTS: a spike's own cost, a message's send and receive time) are 0
// when absent and not reported as uncharged: their cost is then inside the operations the preset does give.

import type { HardwareSpec } from "../hw/spec.js";
import { EMULATOR_ENERGY, EMULATOR_LATENCY } from "../hw/schemas.js";
import type { BarrierTable } from "./barrier.js";
import { cyclesOf } from "./clock.js";

export interface CostModel {
  preset: string;
  /** Cycles per second of the emulator clock: the spec's clock, else its time quantum, else 1 GHz. */
  clockHz: number;
  e: {
    synapticOp: number;
    /** A synaptic op of a dense projection (every pre element to every post element, dense.ts): a core's dense
     *  synapse encoding; synapticOp when the preset gives none. */
    synapticOpDense: number;
    neuronActive: number;
    neuronInactive: number;
    /** Charged once per spike of a neuron, on top of its update (0 unless the preset gives it). */
    neuronSpike: number;
    learningUpdate: number;
    astrocyteUpdate: number;
    spikeLocal: number;
    hopX: number;
    hopY: number;
    /** A spike message crossing a chip boundary (multi-chip digital systems), on top of the on-chip hop. */
    interChipHop: number;
    cellRead: number;
    rowRead: number;
    adcConversion: number;
    dacConversion: number;
    staticPower: number;
  };
  c: {
    synapticOp: number;
    /** A dense projection's synaptic op (synapticOp's cycles when the preset gives none). */
    synapticOpDense: number;
    neuronActive: number;
    neuronInactive: number;
    /** Added to a spiking neuron's update (0 unless the preset gives it). */
    neuronSpike: number;
    learningUpdate: number;
    spikeLocal: number;
    /** The sending core's time per packet it sends, in sequence after the spiking neuron's update (0 unless
     *  the preset gives it). */
    messageOut: number;
    /** The receiving core's time per packet before its synaptic ops, packets one at a time (0 unless given). */
    messageIn: number;
    hopX: number;
    hopY: number;
    /** Cycles an inter-chip link adds to a hop and is busy per message. */
    interChipHop: number;
    crossbarRead: number;
    adcConversion: number;
    /** One astrocyte-stage operation (an astrocyte's clock update, or one event of an ensheathed synapse):
     *  no preset cites an astrocyte latency, so it takes an active neuron update's cycles (an astrocyte runs
     *  as a compartment, the note of Loihi's astrocyteUpdate energy). */
    astrocyteUpdate: number;
  };
  pipelineDepth: number;
  barrier: BarrierTable | null;
  /** Operations with no cited cost in the preset (energy or latency), as "energy.NAME" / "latency.NAME". */
  uncharged: string[];
  /** The energy costs the preset cites (what energy_j sums; an optional cost the preset leaves out is neither). */
  charged: string[];
}

/** Costs that refine others: 0 (not 1 cycle) when a preset gives none, and not listed as uncharged (the dense
 *  synaptic op: synapticOp's cost when a preset gives none). */
export const OPTIONAL_COSTS: ReadonlySet<string> = new Set([
  "energy.synapticOpDense",
  "latency.synapticOpDense",
  "energy.neuronSpike",
  "latency.neuronSpike",
  "latency.messageOut",
  "latency.messageIn",
]);

export function costModel(spec: HardwareSpec): CostModel {
  const em = spec.emulator ?? {};
  // inter-chip links cost only where a spec allows several chips: elsewhere they are never used
  const multiChip = spec.kind === "digital" && (spec.maxChips?.value ?? 1) > 1;
  const optional = (k: string): boolean => OPTIONAL_COSTS.has(k) || (!multiChip && k.endsWith(".interChipHop"));
  const clockHz = spec.clockHz?.value ?? em.timeQuantumHz?.value ?? 1e9;
  const uncharged: string[] = [];
  const charged: string[] = [];
  const e = {} as CostModel["e"];
  for (const k of EMULATOR_ENERGY) {
    let v = em.energy?.[k]?.value;
    // a digital spec's energyPerSynapticEvent is the synaptic op energy when the section gives none
    if (v === undefined && k === "synapticOp" && spec.kind === "digital") v = spec.energyPerSynapticEvent?.value;
    if (v === undefined && !optional(`energy.${k}`)) uncharged.push(`energy.${k}`);
    if (v !== undefined) charged.push(k);
    e[k] = v ?? 0;
  }
  const c = {} as CostModel["c"];
  for (const k of EMULATOR_LATENCY) {
    const v = em.latency?.[k]?.value;
    const opt = optional(`latency.${k}`);
    if (v === undefined && !opt) uncharged.push(`latency.${k}`);
    // an operation without a cited latency still takes one cycle: a unit cannot do two things in one cycle
    // (a refinement the preset does not give takes none: its time is inside the operation it refines)
    if (opt) c[k] = v === undefined ? 0 : cyclesOf(v, clockHz);
    else c[k] = v === undefined ? 1 : Math.max(1, cyclesOf(v, clockHz));
  }
  c.astrocyteUpdate = c.neuronActive;
  // a preset without a dense synapse encoding's cost charges a dense projection's ops as any other
  if (em.energy?.synapticOpDense === undefined) e.synapticOpDense = e.synapticOp;
  if (em.latency?.synapticOpDense === undefined) c.synapticOpDense = c.synapticOp;
  const depth = spec.kind === "digital" ? (spec.pipelineDepth?.value ?? 1) : 1;
  const barrier =
    em.barrier && em.barrier.length
      ? { points: em.barrier.map((b) => [b.tiles, b.value] as [number, number]).sort((a, b) => a[0] - b[0]) }
      : null;
  return { preset: spec.name, clockHz, e, c, pipelineDepth: depth, barrier, uncharged, charged };
}
