// The JSON summary of a run (what `glia run` prints and benchmarks compare). In: a RunResult and the
// network name; out: a plain object with counts, rates and timings (JSON-serializable, stable key order).

import type { RunResult } from "../target.js";

export interface RunSummary {
  network: string;
  target: string;
  dt_s: number;
  steps: number;
  duration_s: number;
  seed: number;
  populations: Record<string, { n: number; spikes: number; rate_hz: number }>;
  spikes_total: number;
  mean_rate_hz: number;
  synapses: number;
  synaptic_events: number;
  setup_wall_s: number;
  sim_wall_s: number;
  realtime_factor: number;
  synaptic_events_per_s: number;
  /** Targets that measure them (wasm): peak resident memory of the process, synapse storage per synapse,
   *  threads the simulation ran on. */
  peak_rss_bytes?: number;
  bytes_per_synapse?: number;
  threads?: number;
}

export function runSummary(network: string, r: RunResult): RunSummary {
  const duration = r.steps * r.dt;
  const n = Object.values(r.populations).reduce((a, p) => a + p.n, 0);
  const populations: RunSummary["populations"] = {};
  for (const name of Object.keys(r.populations).sort()) populations[name] = { ...r.populations[name]! };
  return {
    network,
    target: r.target,
    dt_s: r.dt,
    steps: r.steps,
    duration_s: duration,
    seed: r.seed,
    populations,
    spikes_total: r.spikesTotal,
    mean_rate_hz: n > 0 && duration > 0 ? r.spikesTotal / (n * duration) : 0,
    synapses: r.synapses,
    synaptic_events: r.synapticEvents,
    setup_wall_s: r.setupWallS,
    sim_wall_s: r.simWallS,
    realtime_factor: duration > 0 ? r.simWallS / duration : 0,
    synaptic_events_per_s: r.simWallS > 0 ? r.synapticEvents / r.simWallS : 0,
    ...(r.peakRssBytes !== undefined ? { peak_rss_bytes: r.peakRssBytes } : {}),
    ...(r.bytesPerSynapse !== undefined ? { bytes_per_synapse: r.bytesPerSynapse } : {}),
    ...(r.threads !== undefined ? { threads: r.threads } : {}),
  };
}
