// What one simulator ("engine") measures on one benchmark configuration. In: nothing (types and small
// helpers); out: the BenchEngine interface every bench row implements (glia's wasm target, Brian2, NEST, the
// emulator, SANA-FE) and the EngineRow each returns.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { SourceHost } from "../../compiler/syntax/load.js";
import type { BenchConfig } from "./configs.js";

/** One engine's figures on one configuration. Times are wall-clock seconds; null = not measured. */
export interface EngineRow {
  engine: string;
  /** Source to something ready to simulate (glia: front end + network + kernels + instantiation). */
  compile_s: number | null;
  /** The simulation loop alone. */
  sim_s: number;
  /** End to end: compile_s + sim_s for glia; Brian2's setup + codegen + make + whole binary. */
  total_s: number;
  steps: number;
  spikes: Record<string, number>;
  spikes_total: number;
  synapses: number;
  /** null where the engine does not count them (the microcircuit's NEST and Brian2 rows). */
  synaptic_events: number | null;
  /** synaptic_events / sim_s */
  events_per_s: number | null;
  /** steps / sim_s */
  steps_per_s: number | null;
  peak_rss_bytes: number | null;
  bytes_per_synapse: number | null;
  /** Per-population rates (Hz) over [config.transient, duration), on configs that set a transient. */
  rates_hz?: Record<string, number>;
  /** Threads the engine simulated on. */
  threads?: number;
  /** Engine-specific figures (breakdowns, emulated cycles, versions). */
  extra: Record<string, number | string | null>;
}

export type EngineOutcome =
  | { kind: "row"; row: EngineRow }
  /** The engine is not installed / does not apply: said so in the output, no numbers. */
  | { kind: "unavailable"; reason: string }
  /** The benchmark's model did not compile (an edited example): reported like `glia run` would. */
  | { kind: "diagnostics"; diagnostics: Diagnostic[]; sources: Map<string, string> };

export interface BenchContext {
  /** Reads .glia sources (the config's variant of the example is overlaid by the glia engine). */
  host: SourceHost;
  /** Repository root (examples/ and test/bench/brian2/ live there). */
  root: string;
  /** Interpreter that can import brian2 (Debian's /usr/bin/python3 by default). */
  python: string;
  /** `glia bench --weight-bits 16`: glia's runs store per-synapse weights in 16 bits. */
  weightBits?: 16;
}

export interface BenchEngine {
  name: string;
  /** "glia" rows are compared against the "peer" row of the same configuration; a "scaling" row is glia
   *  forced to one thread, for the default's thread speed-up. */
  role: "glia" | "peer" | "emulator" | "scaling";
  applies(config: BenchConfig): boolean;
  measure(config: BenchConfig, ctx: BenchContext): Promise<EngineOutcome>;
}

export function perSecond(count: number | null, seconds: number): number | null {
  return count !== null && seconds > 0 ? count / seconds : null;
}
