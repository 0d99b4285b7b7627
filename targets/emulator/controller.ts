// The emulator's controller stage: network modulators (mod.NAME). In: the descriptor's modulator words paired
// with the embedded IR's definitions (targets/descriptor/modulators.ts) and, each step, what the network did in
// the previous step; out: the broadcast register file the datapath kernels read (ModWords) and, per step, the
// broadcast packets (one per modulator and reading unit) the engine routes over the mesh.
//
// Function: at the start of step k the controller (Loihi's embedded management cores, an FPGA's soft core)
// evaluates every modulator with targets/fixed/modulators.ts stepModulators, the function the fixed-point
// executor uses, from the same inputs: spikes of each population in step k-1, and means of group words read
// with meanOfWords. Timing: the controller sits at mesh tile 0; its words leave at the step's start and the
// reading units start the step when their last word is in (a stage before the neuron phase). The float64
// evaluation itself and the reads of spike counts / state words for rate() and mean() are uncharged: no preset
// cites a controller figure.

import type { IRProgram } from "../../compiler/ir/nodes.js";
import { descriptorModulators, modulatorReads } from "../descriptor/modulators.js";
import type { Descriptor } from "../descriptor/types.js";
import type { ModWords } from "../fixed/kernels.js";
import { meanOfWords, stepModulators, type FxModulator, type ModulatorInputs } from "../fixed/modulators.js";
import type { OverflowCounter, QFormat } from "../fixed/qformat.js";
import type { Words } from "./datapath.js";

/** What the controller reads from a population: its size, its spikes of the last step, its words. */
export interface ControllerPop {
  size: number;
  /** Spikes of the last completed step (read at the start of the next one, before the neuron phase). */
  n: number;
  words: Words | null;
  fmts: ReadonlyMap<string, QFormat> | null;
}

/** Operations the controller performs whose cost no preset cites (listed with the cost model's uncharged). */
export const CONTROLLER_UNCHARGED = ["controller.modulatorEvaluation", "controller.rateAndMeanReads"];

export class Controller {
  readonly mods: FxModulator[];
  /** The broadcast register file every datapath kernel reads mod.NAME from. */
  readonly words: ModWords;
  private readonly counters: OverflowCounter[];
  private readonly inputs: ModulatorInputs;

  constructor(
    d: Descriptor,
    ir: IRProgram,
    pop: (name: string) => ControllerPop | undefined,
    counter: (key: string) => OverflowCounter,
  ) {
    if (ir.modulators.length && !d.modulators)
      throw new Error(
        `the descriptor holds no modulator words for ${ir.modulators.map((m) => m.name).join(", ")} (regenerate it)`,
      );
    const r = descriptorModulators(d, ir);
    if (r.error) throw new Error(r.error);
    this.mods = r.mods;
    this.words = { words: new Float64Array(r.mods.length), index: new Map(r.mods.map((m, i) => [m.name, i] as const)) };
    this.counters = r.mods.map((m) => counter(`mod.${m.name}`));
    this.inputs = {
      spikesLastStep: (name) => pop(name)?.n,
      size: (name) => pop(name)?.size,
      mean: (key) => {
        const dot = key.lastIndexOf(".");
        const p = pop(key.slice(0, dot)),
          v = key.slice(dot + 1);
        const fmt = p?.fmts?.get(v);
        if (!p || !p.words || !fmt || p.size === 0) return undefined;
        return meanOfWords(p.words.arrays.get(v), p.words.scalars.get(v) ?? 0, fmt, p.size);
      },
    };
  }

  /** Computes step k's words into the register file (before anything of step k runs). */
  step(k: number, dt: number): void {
    if (this.mods.length) stepModulators(this.mods, k, dt, this.words.words, this.inputs, this.counters);
  }
}

/** Per modulator (index in the controller's list), the units that read it: a neuron program's reads go to every
 *  unit running that population, a synapse table's reads to every unit holding its synapses. */
export function modulatorReaders(
  d: Descriptor,
  index: ReadonlyMap<string, number>,
  unitsOfPopulation: (p: string) => number[],
  unitsOfProjection: (p: string) => number[],
): number[][] {
  const out: Set<number>[] = Array.from({ length: index.size }, () => new Set());
  const add = (names: Set<string>, units: number[]): void => {
    for (const n of names) {
      const i = index.get(n);
      if (i !== undefined) for (const u of units) out[i]!.add(u);
    }
  };
  for (const g of d.neurons) add(modulatorReads(g.update, g.threshold, g.reset), unitsOfPopulation(g.population));
  for (const t of d.projections)
    add(modulatorReads(t.onPre, t.onPost, t.continuous, t.astro), unitsOfProjection(t.projection));
  return out.map((s) => [...s].sort((a, b) => a - b));
}
