// The microcircuit's peer rows: NEST (test/bench/nest/microcircuit_nest.py) and Brian2 cpp_standalone with OpenMP
// (test/bench/brian2/microcircuit_brian2.py) on the same model, scale, duration, seed and threads as glia's row.
// In: a microcircuit BenchConfig and a BenchContext; out: an EngineRow (build s = total - sim, sim s, peak RSS,
// per-population rates after the transient), or "unavailable" with the reason (peer missing, driver failed, a run
// of another configuration) - never invented numbers. Both drivers print one JSON line in the same form.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { posix } from "node:path";
import type { BenchConfig } from "./configs.js";
import { type BenchContext, type BenchEngine, type EngineOutcome, type EngineRow } from "./engine.js";

export const NEST_MICROCIRCUIT_DRIVER = "test/bench/nest/microcircuit_nest.py";
export const BRIAN2_MICROCIRCUIT_DRIVER = "test/bench/brian2/microcircuit_brian2.py";
/** The peers' pinned environment (Brian2 2.9.0, NEST 3.10.0), relative to the repository root. */
export const PEERS_PYTHON = ".venv-peers/bin/python";
/** Full scale takes many minutes per engine on 2 busy cores. */
const DRIVER_TIMEOUT_MS = 3 * 60 * 60 * 1000;

/** What both drivers print (their headers document the fields). */
export interface MicrocircuitDriverOutput {
  simulator: string;
  version: string;
  scale: number;
  threads: number;
  seed: number;
  duration_s: number;
  transient_s: number;
  dt_s: number;
  neurons: number;
  import_s: number;
  build_s: number;
  sim_s: number;
  peak_rss_bytes: number;
  synapses: number;
  spikes: Record<string, number>;
  rates_hz: Record<string, number>;
  python_peak_rss_bytes?: number;
  timing?: Record<string, number>;
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}

const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** The driver's last stdout line as a row; a problem when it is not the JSON of this configuration's run. */
export function microcircuitRow(
  stdout: string,
  config: BenchConfig,
  engine: string,
): { row: EngineRow } | { problem: string } {
  let d: MicrocircuitDriverOutput;
  try {
    d = JSON.parse(lastLine(stdout)) as MicrocircuitDriverOutput;
  } catch {
    return { problem: `the ${engine} driver printed no JSON: ${lastLine(stdout).slice(0, 200)}` };
  }
  for (const f of ["build_s", "sim_s", "peak_rss_bytes", "synapses", "duration_s", "scale"] as const) {
    if (typeof d[f] !== "number") return { problem: `the ${engine} driver's JSON lacks ${f}` };
  }
  if (typeof d.rates_hz !== "object" || typeof d.spikes !== "object")
    return { problem: `the ${engine} driver's JSON lacks rates_hz or spikes` };
  const want = { scale: config.scale ?? 1, duration: config.duration, threads: config.threads, seed: config.seed };
  if (
    !near(d.scale, want.scale) ||
    !near(d.duration_s, want.duration) ||
    d.seed !== want.seed ||
    (want.threads !== undefined && d.threads !== want.threads)
  ) {
    return {
      problem:
        `the ${engine} driver ran scale ${d.scale}, ${d.duration_s} s, seed ${d.seed}, ${d.threads} threads, ` +
        `not the requested scale ${want.scale}, ${want.duration} s, seed ${want.seed}, ${want.threads ?? "default"} threads`,
    };
  }
  const steps = Math.round(d.duration_s / d.dt_s);
  const spikesTotal = Object.values(d.spikes).reduce((a, b) => a + b, 0);
  return {
    row: {
      engine,
      // neither peer has a "ready to simulate" point apart from its build
      compile_s: null,
      sim_s: d.sim_s,
      total_s: d.build_s + d.sim_s,
      steps,
      spikes: d.spikes,
      spikes_total: spikesTotal,
      synapses: d.synapses,
      synaptic_events: null,
      events_per_s: null,
      steps_per_s: d.sim_s > 0 ? steps / d.sim_s : null,
      peak_rss_bytes: d.peak_rss_bytes,
      bytes_per_synapse: null,
      rates_hz: d.rates_hz,
      threads: d.threads,
      extra: {
        version: d.version,
        build_s: d.build_s,
        import_s: d.import_s,
        neurons: d.neurons,
        python_peak_rss_bytes: d.python_peak_rss_bytes ?? null,
        ...Object.fromEntries(Object.entries(d.timing ?? {}).map(([k, v]) => [k, v])),
      },
    },
  };
}

/** The peers' interpreter: the repository's .venv-peers when present, else --python. */
export function peersPython(ctx: BenchContext): string {
  const venv = posix.join(ctx.root, PEERS_PYTHON);
  return fs.existsSync(venv) ? venv : ctx.python;
}

function driverEngine(name: string, module: string, driver: string): BenchEngine {
  return {
    name,
    role: "peer",
    applies: (config) => config.model === "microcircuit",
    async measure(config: BenchConfig, ctx: BenchContext): Promise<EngineOutcome> {
      const python = peersPython(ctx);
      const probe = spawnSync(python, ["-W", "ignore", "-c", `import ${module}`], {
        encoding: "utf8",
        timeout: 120_000,
      });
      if (probe.error) return { kind: "unavailable", reason: `${python}: ${probe.error.message}` };
      if (probe.status !== 0)
        return { kind: "unavailable", reason: `${python} cannot import ${module}: ${lastLine(probe.stderr)}` };
      const ms = (s: number): string => String(Math.round(s * 1e6) / 1e3);
      const args = [
        posix.join(ctx.root, driver),
        String(config.scale ?? 1),
        ms(config.duration),
        String(config.threads ?? 1),
        String(config.seed),
        ms(config.transient ?? 0),
      ];
      const r = spawnSync(python, args, { encoding: "utf8", timeout: DRIVER_TIMEOUT_MS, maxBuffer: 64 << 20 });
      if (r.error) return { kind: "unavailable", reason: `${name} driver: ${r.error.message}` };
      if (r.status !== 0)
        return {
          kind: "unavailable",
          reason: `${name} driver failed (exit ${r.status ?? r.signal}): ${lastLine(r.stderr).slice(0, 300)}`,
        };
      const parsed = microcircuitRow(r.stdout, config, name);
      if ("problem" in parsed) return { kind: "unavailable", reason: parsed.problem };
      return { kind: "row", row: parsed.row };
    },
  };
}

export function nestMicrocircuitEngine(): BenchEngine {
  return driverEngine("nest", "nest", NEST_MICROCIRCUIT_DRIVER);
}

export function brian2MicrocircuitEngine(): BenchEngine {
  return driverEngine("brian2-cpp_standalone", "brian2", BRIAN2_MICROCIRCUIT_DRIVER);
}
