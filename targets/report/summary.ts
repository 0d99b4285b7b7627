// The JSON summary of a run (what `glia run` prints and benchmarks compare). In: a RunResult and the
// network name (and which populations are neurons, and a time window); out: a plain object with counts, rates
// (the mean over neurons only; per population over a window) and timings (JSON-serializable, stable key order).

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
  /** Spikes per neuron and second over the neuron populations (input generators and astrocytes excluded, when
   *  the caller names the neuron populations; else over every population). */
  mean_rate_hz: number;
  /** Rates over a time window [start_s, end_s) (`--window`), from the spike monitors: only spike-monitored
   *  populations are listed (the others' spike times are not kept). */
  window?: WindowRates;
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

export interface WindowRates {
  start_s: number;
  end_s: number;
  /** The steps counted: [first_step, end_step), clipped to the run. */
  first_step: number;
  end_step: number;
  populations: Record<string, { n: number; spikes: number; rate_hz: number }>;
  /** Spikes per neuron and second over the listed populations. */
  mean_rate_hz: number;
}

/** Rates of the spike-monitored populations over [from, to) seconds: steps round(from/dt) .. round(to/dt),
 *  clipped to the run. */
export function windowRates(r: RunResult, from: number, to: number): WindowRates {
  const k0 = Math.min(r.steps, Math.max(0, Math.round(from / r.dt)));
  const k1 = Math.min(r.steps, Math.max(k0, Math.round(to / r.dt)));
  const seconds = (k1 - k0) * r.dt;
  const populations: WindowRates["populations"] = {};
  let spikes = 0,
    n = 0;
  for (const name of Object.keys(r.spikes).sort()) {
    const steps = r.spikes[name]!.steps;
    let c = 0;
    for (let x = 0; x < steps.length; x++) if (steps[x]! >= k0 && steps[x]! < k1) c++;
    const size = r.populations[name]?.n ?? 0;
    populations[name] = { n: size, spikes: c, rate_hz: size > 0 && seconds > 0 ? c / (size * seconds) : 0 };
    spikes += c;
    n += size;
  }
  return {
    start_s: from,
    end_s: to,
    first_step: k0,
    end_step: k1,
    populations,
    mean_rate_hz: n > 0 && seconds > 0 ? spikes / (n * seconds) : 0,
  };
}

/** `neurons`: the populations the mean rate is over (neuron groups; input generators and astrocytes are not
 *  neurons); absent: every population. `window`: rates over [from, to) seconds as well. */
export function runSummary(
  network: string,
  r: RunResult,
  options: { neurons?: Iterable<string>; window?: [number, number] } = {},
): RunSummary {
  const duration = r.steps * r.dt;
  const counted = options.neurons
    ? [...options.neurons].flatMap((name) => (r.populations[name] ? [r.populations[name]] : []))
    : Object.values(r.populations);
  const n = counted.reduce((a, p) => a + p.n, 0);
  const spikes = counted.reduce((a, p) => a + p.spikes, 0);
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
    mean_rate_hz: n > 0 && duration > 0 ? spikes / (n * duration) : 0,
    ...(options.window ? { window: windowRates(r, options.window[0], options.window[1]) } : {}),
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
