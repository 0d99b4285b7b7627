// glia's bench row: the config's variant of the example, compiled and simulated on an execution target
// (wasm by default). In: a BenchConfig and a BenchContext; out: an EngineRow with compile time (source
// to instantiated module, after one warm-up compile), simulation time, events/s, peak memory and (configs
// with a transient) per-population rates, from the median (by simulation time) of RUNS compile-and-run
// cycles; the fastest and slowest are in extra. A config with `runs: 1` gets one cycle and no warm-up.

import { posix } from "node:path";
import { compile } from "../../compiler/pipeline.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import type { SourceHost } from "../../compiler/syntax/load.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { findTarget } from "../../targets/driver/registry.js";
import { THREAD_MIN_NEURONS } from "../../targets/wasm/threads.js";
import type { PopulationSpikes, RunResult } from "../../targets/target.js";
import { configSource, MODEL_EXAMPLE, type BenchConfig } from "./configs.js";
import { perSecond, type BenchContext, type BenchEngine, type EngineOutcome } from "./engine.js";

/** Where the config's variant is mounted: beside the example, so relative imports resolve the same way. */
export function variantPath(root: string, config: BenchConfig): string {
  return posix.join(root, posix.dirname(MODEL_EXAMPLE[config.model]), `bench-${config.name}.glia`);
}

function overlay(path: string, text: string, under: SourceHost): SourceHost {
  return { readFile: (p: string) => (p === path ? text : under.readFile(p)) };
}

/** Peak resident set size of this process so far (bytes); Linux reports maxRSS in KiB. */
export function processPeakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Timed compile-and-run cycles per row (the runs are deterministic: only their times differ). */
export const RUNS = 3;

/** Rates (Hz) of the spike-monitored populations over steps [from, steps). */
export function windowRates(
  spikes: Record<string, PopulationSpikes>,
  populations: RunResult["populations"],
  from: number,
  steps: number,
  dt: number,
): Record<string, number> {
  const rates: Record<string, number> = {};
  const seconds = (steps - from) * dt;
  for (const [name, s] of Object.entries(spikes)) {
    let late = 0;
    for (const k of s.steps) if (k >= from) late++;
    const n = populations[name]?.n ?? 0;
    rates[name] = n > 0 && seconds > 0 ? late / (n * seconds) : 0;
  }
  return rates;
}

/**
 * The timed front end: only the discrete IR and the sources are kept, so the AST and the continuous IR are garbage
 * while the network is built and simulated (they are not part of the run's peak memory).
 */
function frontEnd(
  entry: string,
  host: SourceHost,
): { ir: IRProgram; sources: Map<string, string>; frontendS: number } | EngineOutcome {
  const t0 = performance.now();
  const compiled = compile(entry, host);
  const frontendS = (performance.now() - t0) / 1000;
  if (hasErrors(compiled.diagnostics) || !compiled.ir)
    return { kind: "diagnostics", diagnostics: compiled.diagnostics, sources: compiled.sources };
  return { ir: compiled.ir, sources: compiled.sources, frontendS };
}

interface Timed {
  frontendS: number;
  r: RunResult;
}

/**
 * glia on `targetName`. With `threads`, the run is forced to that many threads and the row is a "scaling"
 * row, measured only on configurations the default would run threaded (so the bench shows the speed-up
 * of the default over one thread in the same run).
 */
export function gliaEngine(targetName = "wasm", threads?: number): BenchEngine {
  return {
    name: threads === undefined ? `glia-${targetName}` : `glia-${targetName}-${threads}thread`,
    role: threads === undefined ? "glia" : "scaling",
    // cuba-sanafe benches the emulator (its glia row) beside SANA-FE; configs that fix their threads (the
    // microcircuit) have no single-thread row
    applies: (config) =>
      config.model !== "cuba-loihi" &&
      (threads === undefined || (config.threads === undefined && config.n >= THREAD_MIN_NEURONS)),
    async measure(config: BenchConfig, ctx: BenchContext): Promise<EngineOutcome> {
      const registered = findTarget("run", targetName);
      if (!registered) return { kind: "unavailable", reason: `no target '${targetName}'` };
      const target = await registered.load();
      const examplePath = posix.join(ctx.root, MODEL_EXAMPLE[config.model]);
      const example = ctx.host.readFile(examplePath);
      if (example === undefined) return { kind: "unavailable", reason: `cannot read ${examplePath}` };
      const variant = configSource(config, example);
      if ("problem" in variant) return { kind: "unavailable", reason: variant.problem };
      const entry = variantPath(ctx.root, config);
      const host = overlay(entry, variant.text, ctx.host);

      const runs = config.runs ?? RUNS;
      const runThreads = threads ?? config.threads;
      if (runs > 1) {
        // Warm-up: the whole path from source to an instantiated module once (0 steps), so the timed
        // compile below measures compiled code, not the JIT warming up on the compiler itself.
        const warm = compile(entry, host);
        if (hasErrors(warm.diagnostics) || !warm.ir)
          return { kind: "diagnostics", diagnostics: warm.diagnostics, sources: warm.sources };
        const warmRun = target.run(warm.ir, { duration: 0, threads: runThreads, weightBits: ctx.weightBits });
        if (!warmRun.result) return { kind: "diagnostics", diagnostics: warmRun.diagnostics, sources: warm.sources };
      }

      const timed: Timed[] = [];
      for (let k = 0; k < runs; k++) {
        const front = frontEnd(entry, host);
        if (!("ir" in front)) return front;
        const ran = target.run(front.ir, {
          duration: config.duration,
          threads: runThreads,
          weightBits: ctx.weightBits,
        });
        if (!ran.result) return { kind: "diagnostics", diagnostics: ran.diagnostics, sources: front.sources };
        timed.push({ frontendS: front.frontendS, r: ran.result });
      }
      timed.sort((a, b) => a.r.simWallS - b.r.simWallS);
      const { frontendS, r } = timed[Math.floor(runs / 2)]!;
      // compile = source to an instantiated module: the front end and passes, then kernel codegen,
      // binaryen -O3 and instantiation. Building the network (connectivity, initial values) is part of
      // setup, counted in total_s, and shown apart as network_s; a target that does not split its
      // setup counts all of it as compile.
      const compileS = frontendS + (r.kernelWallS ?? r.setupWallS);
      const spikes: Record<string, number> = {};
      for (const [name, p] of Object.entries(r.populations)) spikes[name] = p.spikes;
      const rates =
        config.transient === undefined
          ? undefined
          : windowRates(r.spikes, r.populations, Math.round(config.transient / r.dt), r.steps, r.dt);
      return {
        kind: "row",
        row: {
          engine: threads === undefined ? `glia-${r.target}` : `glia-${r.target}-${threads}thread`,
          compile_s: compileS,
          sim_s: r.simWallS,
          total_s: frontendS + r.setupWallS + r.simWallS,
          steps: r.steps,
          spikes,
          spikes_total: r.spikesTotal,
          synapses: r.synapses,
          synaptic_events: r.synapticEvents,
          events_per_s: perSecond(r.synapticEvents, r.simWallS),
          steps_per_s: perSecond(r.steps, r.simWallS),
          peak_rss_bytes: Math.max(processPeakRss(), r.peakRssBytes ?? 0),
          bytes_per_synapse: r.bytesPerSynapse ?? null,
          ...(rates ? { rates_hz: rates } : {}),
          threads: r.threads ?? 1,
          extra: {
            frontend_s: frontendS,
            // network construction, memory layout, kernel codegen + binaryen -O3, instantiation
            setup_s: r.setupWallS,
            network_s: r.networkWallS ?? null,
            kernel_s: r.kernelWallS ?? null,
            target_peak_rss_bytes: r.peakRssBytes ?? null,
            threads: r.threads ?? 1,
            runs,
            weight_bits: ctx.weightBits ?? null,
            sim_s_min: timed[0]!.r.simWallS,
            sim_s_max: timed[runs - 1]!.r.simWallS,
          },
        },
      };
    },
  };
}
