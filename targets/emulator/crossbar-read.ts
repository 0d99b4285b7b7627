// Timing of one crossbar tile read with shared ADCs. In: the tile's used columns, how many rows the
// step activates, the number of input pulses (DAC bits for bit-serial inputs, else 1) and the read/ADC
// timing; out: cycles, ADC conversions, DAC conversions and cell reads.
//
// Model: all activated rows are driven at once for each input pulse (one read of `readCycles`); then each
// ADC converts the column pairs it serves one after another (`adcCycles` each: the pair's two currents are
// subtracted before conversion); pair p (columns 2p, 2p+1) is served by ADC floor(2p / columnsPerAdc).
// Pulses are serialized. A tile with no activated row is not read.
// Functionally the emulator reads tiles with the shared read model (targets/crossbar/read-model.ts: column
// sums, read noise, ADC quantization and clipping), the same one the descriptor runner applies.

import type { Descriptor, SynapseTable } from "../descriptor/types.js";
import type { Lfsr32 } from "../fixed/lfsr.js";
import { accumulate, CrossbarReads } from "../crossbar/read-model.js";
import {
  compileSynapse,
  synapseWords,
  DatapathError,
  type Overflows,
  type SynapseKernels,
  type SynapseRun,
  type Words,
} from "./datapath.js";

export interface CrossbarTiming {
  readCycles: number;
  adcCycles: number;
  columnsPerAdc: number;
}

export interface TileRead {
  cycles: number;
  adcConversions: number;
  dacConversions: number;
  /** Cells read: activated rows x used columns x pulses. */
  cellReads: number;
  /** Row activations: activated rows x pulses. */
  rowReads: number;
}

/** Conversions the busiest ADC makes per pulse for a tile whose used columns are `usedCols` (ascending or not). */
export function busiestAdc(usedCols: ArrayLike<number>, columnsPerAdc: number): number {
  const per = new Map<number, number>();
  let most = 0;
  for (let i = 0; i < usedCols.length; i++) {
    const a = Math.floor(usedCols[i]! / columnsPerAdc);
    const n = (per.get(a) ?? 0) + 1;
    per.set(a, n);
    if (n > most) most = n;
  }
  return most;
}

/** One tile read, given the conversions per pulse (one per column pair: the pair's currents are subtracted
 *  before the ADC, as the read model quantizes the difference) and the busiest ADC's share of them
 *  (precomputed with busiestAdc over the pairs' first columns). */
export function tileRead(
  activeRows: number,
  usedColumns: number,
  conversions: number,
  busiest: number,
  pulses: number,
  t: CrossbarTiming,
): TileRead {
  if (activeRows <= 0 || usedColumns <= 0)
    return { cycles: 0, adcConversions: 0, dacConversions: 0, cellReads: 0, rowReads: 0 };
  return {
    cycles: pulses * (t.readCycles + busiest * t.adcCycles),
    adcConversions: pulses * conversions,
    dacConversions: pulses * activeRows,
    cellReads: pulses * activeRows * usedColumns,
    rowReads: pulses * activeRows,
  };
}

/** The read model on the emulator's datapath: `wrap` routes a projection's on-pre events into the model and
 *  makes the handler that applies a converted pair's word (signed accumulation into the post input for a
 *  static synapse, else the table's on-pre program over pseudo synapses, one per (tile, pair)); `flush(k)`
 *  reads the step's tiles. Null for digital descriptors and when the model
 *  is the identity (the per-synapse path is then exact). */
export interface EmulatorReads {
  reads: CrossbarReads;
  wrap(
    j: number,
    t: SynapseTable,
    kern: SynapseKernels,
    pre: Words | null,
    post: Words,
    rng: Lfsr32,
    over: Overflows,
  ): SynapseKernels;
  flush(k: number): void;
}

export function emulatorReads(d: Descriptor): EmulatorReads | null {
  if (d.kind !== "crossbar") return null;
  const reads = new CrossbarReads(d);
  if (!reads.active) return null;
  const apply: (SynapseRun | null)[] = d.projections.map(() => null);
  return {
    reads,
    wrap(j, t, kern, pre, post, rng, over) {
      const perSyn = Object.keys(t.raw).filter((v) => v !== t.weightVar);
      if (perSyn.length)
        throw new DatapathError(
          `crossbar read: ${t.projection} stores per-synapse ${perSyn.join(", ")} besides its weight; a crossbar pair holds one weight`,
        );
      const ps = reads.pairs[j]!,
        acc = reads.acc[j];
      if (acc) {
        // static synapse: signed accumulation of the pair's word into the post input
        const x = post.arrays.get(acc.variable);
        if (!x) throw new DatapathError(`crossbar read: ${t.post.population} has no variable ${acc.variable}`);
        const key = `${t.projection}.${acc.variable}`;
        const cnt = over.get(key) ?? { count: 0 };
        over.set(key, cnt);
        apply[j] = (i) => accumulate(x, ps.postIdx[i]!, ps.weights[i]!, acc, cnt);
      } else {
        const pseudo: SynapseTable = { ...t, n: ps.n, preIndex: [], postIndex: [], delay: [], raw: {} };
        apply[j] = compileSynapse(
          pseudo,
          synapseWords(pseudo, ps.weights),
          pre,
          post,
          ps.preIdx,
          ps.postIdx,
          rng,
          over,
        ).onPre;
      }
      return { ...kern, onPre: (s: number) => reads.event(j, s) };
    },
    flush(k) {
      reads.flush(k, (j, i) => apply[j]?.(i, k));
    },
  };
}
