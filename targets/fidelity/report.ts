// The fidelity report: how far one run (e.g. the fixed-point target) is from another of the same network
// (e.g. the float64 reference). In: two RunResults and the distance parameters; out: per-population spike
// counts, rates and their deviation, and Victor–Purpura / van Rossum distances averaged over the neurons of
// every spike-monitored population; plus a text rendering.

import type { PopulationSpikes, RunResult } from "../target.js";
import { vanRossum, victorPurpura } from "./distances.js";

/** Default Victor–Purpura cost: 0.1 per ms (a shift of more than 20 ms costs as much as delete + insert). */
export const DEFAULT_VP_Q_PER_MS = 0.1;
/** Default van Rossum time constant: 10 ms. */
export const DEFAULT_VR_TAU_MS = 10;

export interface PopulationFidelity {
  n: number;
  spikes: number;
  reference_spikes: number;
  rate_hz: number;
  reference_rate_hz: number;
  /** (rate - reference rate) / reference rate * 100 (null when the reference is silent). */
  rate_deviation_pct: number | null;
  /** Mean over the population's neurons (spike-monitored populations only). */
  victor_purpura?: number;
  van_rossum?: number;
}

export interface FidelityReport {
  target: string;
  reference: string;
  vp_q_per_ms: number;
  vr_tau_ms: number;
  populations: Record<string, PopulationFidelity>;
  /** Means over every neuron of every spike-monitored population. */
  victor_purpura: number | null;
  van_rossum: number | null;
  neurons_compared: number;
}

/** Spike times (s) of each neuron of a population. */
function trains(s: PopulationSpikes, n: number, dt: number): Float64Array[] {
  const counts = new Int32Array(n);
  for (let x = 0; x < s.indices.length; x++) counts[s.indices[x]!]!++;
  const out = Array.from(counts, (c) => new Float64Array(c));
  const fill = new Int32Array(n);
  for (let x = 0; x < s.indices.length; x++) {
    const e = s.indices[x]!;
    out[e]![fill[e]!++] = s.steps[x]! * dt; // steps ascend, so each train does too
  }
  return out;
}

export function fidelityReport(
  run: RunResult,
  ref: RunResult,
  opts: { vpQPerMs?: number; vrTauMs?: number } = {},
): FidelityReport {
  const qms = opts.vpQPerMs ?? DEFAULT_VP_Q_PER_MS,
    taums = opts.vrTauMs ?? DEFAULT_VR_TAU_MS;
  const q = qms * 1e3,
    tau = taums * 1e-3;
  const populations: Record<string, PopulationFidelity> = {};
  let vpSum = 0,
    vrSum = 0,
    count = 0;
  for (const [name, p] of Object.entries(run.populations)) {
    const r = ref.populations[name];
    if (!r) continue;
    const f: PopulationFidelity = {
      n: p.n,
      spikes: p.spikes,
      reference_spikes: r.spikes,
      rate_hz: p.rate_hz,
      reference_rate_hz: r.rate_hz,
      rate_deviation_pct: r.rate_hz > 0 ? ((p.rate_hz - r.rate_hz) / r.rate_hz) * 100 : null,
    };
    const sa = run.spikes[name],
      sb = ref.spikes[name];
    if (sa && sb && p.n > 0) {
      const ta = trains(sa, p.n, run.dt),
        tb = trains(sb, p.n, ref.dt);
      let vp = 0,
        vr = 0;
      for (let e = 0; e < p.n; e++) {
        vp += victorPurpura(ta[e]!, tb[e]!, q);
        vr += vanRossum(ta[e]!, tb[e]!, tau);
      }
      f.victor_purpura = vp / p.n;
      f.van_rossum = vr / p.n;
      vpSum += vp;
      vrSum += vr;
      count += p.n;
    }
    populations[name] = f;
  }
  return {
    target: run.target,
    reference: ref.target,
    vp_q_per_ms: qms,
    vr_tau_ms: taums,
    populations,
    victor_purpura: count ? vpSum / count : null,
    van_rossum: count ? vrSum / count : null,
    neurons_compared: count,
  };
}

const fmt = (x: number | null | undefined, d: number): string => (x === null || x === undefined ? "-" : x.toFixed(d));

export function fidelityText(f: FidelityReport): string {
  const out = [
    `fidelity: ${f.target} against ${f.reference} (Victor-Purpura q = ${f.vp_q_per_ms}/ms, van Rossum tau = ${f.vr_tau_ms} ms)`,
  ];
  for (const [name, p] of Object.entries(f.populations)) {
    out.push(
      `  ${name.padEnd(12)} spikes ${p.spikes} vs ${p.reference_spikes}  rate ${fmt(p.rate_hz, 3)} vs ${fmt(p.reference_rate_hz, 3)} Hz (${p.rate_deviation_pct === null ? "-" : `${p.rate_deviation_pct >= 0 ? "+" : ""}${p.rate_deviation_pct.toFixed(2)} %`})` +
        (p.victor_purpura !== undefined ? `  VP ${fmt(p.victor_purpura, 3)}  vR ${fmt(p.van_rossum, 3)}` : ""),
    );
  }
  out.push(
    `  mean over ${f.neurons_compared} recorded neurons: Victor-Purpura ${fmt(f.victor_purpura, 3)}, van Rossum ${fmt(f.van_rossum, 3)}`,
  );
  return out.join("\n") + "\n";
}
