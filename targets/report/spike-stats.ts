// Irregularity and synchrony of the spike-monitored populations, the two measures Potjans & Diesmann (2014,
// Fig. 6) report beside the rates. In: a RunResult and a step window [k0, k1); out: per population
//   cv_isi: the coefficient of variation (sd / mean, population sd) of a neuron's inter-spike intervals,
//     averaged over the neurons with at least 3 spikes in the window (`cv_neurons` of them; null when none);
//   synchrony: variance / mean of the population's spike counts in consecutive bins of `bin_s` (3 ms, as the
//     paper), over the whole bins inside the window (null when there is no spike or fewer than 2 bins).
//     1 for independent Poisson trains; larger when neurons fire together.
// Generic: any population a `record spikes` names, any model.

import type { RunResult } from "../target.js";

export interface SpikeStats {
  cv_isi: number | null;
  cv_neurons: number;
  synchrony: number | null;
  bins: number;
}

export interface SpikeStatistics {
  /** The window the statistics cover, in seconds ([start_s, end_s)), and the synchrony bin. */
  start_s: number;
  end_s: number;
  bin_s: number;
  populations: Record<string, SpikeStats>;
}

/** The bin of the synchrony measure (Potjans & Diesmann 2014: 3 ms). */
export const SYNCHRONY_BIN_S = 0.003;

export function spikeStatistics(r: RunResult, k0: number, k1: number, binS = SYNCHRONY_BIN_S): SpikeStatistics {
  const binSteps = Math.max(1, Math.round(binS / r.dt));
  const bins = Math.floor((k1 - k0) / binSteps);
  const populations: Record<string, SpikeStats> = {};
  for (const name of Object.keys(r.spikes).sort()) {
    const { steps, indices } = r.spikes[name]!;
    const size = r.populations[name]?.n ?? 0;
    populations[name] = { ...cvIsi(steps, indices, size, k0, k1), ...synchrony(steps, k0, binSteps, bins) };
  }
  return { start_s: k0 * r.dt, end_s: k1 * r.dt, bin_s: binSteps * r.dt, populations };
}

/** Mean CV of the ISIs of neurons with >= 3 spikes in [k0, k1): per neuron, running sums of its intervals. */
function cvIsi(
  steps: Int32Array,
  indices: Int32Array,
  size: number,
  k0: number,
  k1: number,
): { cv_isi: number | null; cv_neurons: number } {
  const last = new Float64Array(size).fill(-1);
  const n = new Float64Array(size);
  const s1 = new Float64Array(size);
  const s2 = new Float64Array(size);
  for (let x = 0; x < steps.length; x++) {
    const k = steps[x]!;
    if (k < k0 || k >= k1) continue;
    const e = indices[x]!;
    if (e < 0 || e >= size) continue;
    if (last[e]! >= 0) {
      const isi = k - last[e]!;
      n[e]!++;
      s1[e]! += isi;
      s2[e]! += isi * isi;
    }
    last[e] = k;
  }
  let sum = 0,
    count = 0;
  for (let e = 0; e < size; e++) {
    if (n[e]! < 2) continue;
    const mean = s1[e]! / n[e]!;
    const variance = Math.max(0, s2[e]! / n[e]! - mean * mean);
    sum += Math.sqrt(variance) / mean;
    count++;
  }
  return { cv_isi: count > 0 ? sum / count : null, cv_neurons: count };
}

/** Variance / mean of the population's counts in `bins` bins of binSteps steps from k0. */
function synchrony(
  steps: Int32Array,
  k0: number,
  binSteps: number,
  bins: number,
): { synchrony: number | null; bins: number } {
  if (bins < 2) return { synchrony: null, bins };
  const counts = new Float64Array(bins);
  for (let x = 0; x < steps.length; x++) {
    const b = Math.floor((steps[x]! - k0) / binSteps);
    if (b >= 0 && b < bins) counts[b]!++;
  }
  let mean = 0;
  for (let b = 0; b < bins; b++) mean += counts[b]!;
  mean /= bins;
  if (mean === 0) return { synchrony: null, bins };
  let v = 0;
  for (let b = 0; b < bins; b++) v += (counts[b]! - mean) ** 2;
  return { synchrony: v / bins / mean, bins };
}
