// Brian2's bench row: runs the project's driver (test/bench/brian2/brian2_bench.py) in C++ standalone
// mode on the same configuration. In: a BenchConfig and a BenchContext (python path); out: an EngineRow,
// or "unavailable" with the reason when the interpreter or brian2 is missing (never invented numbers).

import { spawnSync } from "node:child_process";
import { posix } from "node:path";
import { perSecond, type BenchContext, type BenchEngine, type EngineOutcome, type EngineRow } from "./engine.js";
import type { BenchConfig } from "./configs.js";

export const BRIAN2_DRIVER = "test/bench/brian2/brian2_bench.py";
/** Debian's interpreter sees the python3-brian package; a pyenv python3 first on PATH does not. */
export const DEFAULT_PYTHON = "/usr/bin/python3";
/** A generous limit: make alone took ~60 s on a loaded 2-core machine. */
const DRIVER_TIMEOUT_MS = 30 * 60 * 1000;

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}

/** Can `python` import brian2? ok with its version, or the reason it cannot. */
export function brian2Available(python: string): { ok: true; version: string } | { ok: false; reason: string } {
  const r = spawnSync(python, ["-W", "ignore", "-c", "import brian2; print(brian2.__version__)"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  if (r.error) return { ok: false, reason: `${python}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `${python} cannot import brian2: ${lastLine(r.stderr)}` };
  return { ok: true, version: r.stdout.trim() };
}

/** Field names of the driver's JSON this row reads (the driver documents the rest). */
interface DriverOutput {
  brian2_version: string;
  device: string;
  sim_run_s: number;
  total_s: number;
  timing: Record<string, number>;
  spikes: Record<string, number>;
  spikes_total: number;
  synapses: number;
  synaptic_events: number;
  binary_peak_rss_bytes: number | null;
  params: { N: number; p: number; duration_s: number; seed: number; dt_s: number };
}

/** Turns the driver's stdout into a row; a problem string when it is not the expected JSON. */
export function brian2Row(stdout: string, config: BenchConfig): { row: EngineRow } | { problem: string } {
  let d: DriverOutput;
  try {
    d = JSON.parse(lastLine(stdout)) as DriverOutput;
  } catch {
    return { problem: `the Brian2 driver printed no JSON: ${lastLine(stdout).slice(0, 200)}` };
  }
  if (typeof d.sim_run_s !== "number" || typeof d.total_s !== "number" || typeof d.synaptic_events !== "number") {
    return { problem: "the Brian2 driver's JSON lacks sim_run_s, total_s or synaptic_events" };
  }
  if (d.params.N !== config.n || d.params.p !== config.p || d.params.duration_s !== config.duration) {
    return {
      problem: `the Brian2 driver ran N=${d.params.N} p=${d.params.p} T=${d.params.duration_s}, not the requested configuration`,
    };
  }
  const steps = Math.round(d.params.duration_s / d.params.dt_s);
  const codegen = d.timing["codegen_make_s"];
  return {
    row: {
      engine: `brian2-${d.device}`,
      // Brian2 has no separate "ready to run" point: its binary builds the synapses and then simulates
      compile_s: null,
      sim_s: d.sim_run_s,
      total_s: d.total_s,
      steps,
      spikes: d.spikes,
      spikes_total: d.spikes_total,
      synapses: d.synapses,
      synaptic_events: d.synaptic_events,
      events_per_s: perSecond(d.synaptic_events, d.sim_run_s),
      steps_per_s: perSecond(steps, d.sim_run_s),
      peak_rss_bytes: d.binary_peak_rss_bytes,
      bytes_per_synapse: null,
      extra: {
        brian2_version: d.brian2_version,
        setup_s: d.timing["setup_s"] ?? null,
        codegen_make_s: codegen ?? null,
        binary_s: d.timing["binary_s"] ?? null,
      },
    },
  };
}

export function brian2Engine(device = "cpp_standalone"): BenchEngine {
  return {
    name: `brian2-${device}`,
    role: "peer",
    // cuba-sanafe: the emulator beside SANA-FE; the microcircuit has its own driver (microcircuit-peers.ts)
    applies: (config) => config.model === "cuba" || config.model === "coba",
    async measure(config: BenchConfig, ctx: BenchContext): Promise<EngineOutcome> {
      const available = brian2Available(ctx.python);
      if (!available.ok) return { kind: "unavailable", reason: `Brian2 was not found (${available.reason})` };
      const args = [
        posix.join(ctx.root, BRIAN2_DRIVER),
        "--model",
        config.model,
        "--n",
        String(config.n),
        "--p",
        String(config.p),
        "--duration",
        String(config.duration),
        "--seed",
        String(config.seed),
        "--device",
        device,
      ];
      const r = spawnSync(ctx.python, args, { encoding: "utf8", timeout: DRIVER_TIMEOUT_MS, maxBuffer: 64 << 20 });
      if (r.error) return { kind: "unavailable", reason: `Brian2 driver: ${r.error.message}` };
      if (r.status !== 0)
        return {
          kind: "unavailable",
          reason: `Brian2 driver failed (exit ${r.status}): ${lastLine(r.stderr).slice(0, 300)}`,
        };
      const parsed = brian2Row(r.stdout, config);
      if ("problem" in parsed) return { kind: "unavailable", reason: parsed.problem };
      return { kind: "row", row: parsed.row };
    },
  };
}
