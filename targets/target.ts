// The interfaces targets implement: an execution target (`Target`: IR + run options in, RunResult out: spikes,
// traces, rates and timing) and an emit target (`Emitter`: its IR form + options in, text and files out).
// targets/driver/registry.ts lists them; the driver (targets/driver/driver.ts) calls them.

import type { IRProgram } from "../compiler/ir/nodes.js";
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import type { Code } from "../compiler/diagnostics/codes.js";
import type { Span } from "../compiler/diagnostics/span.js";
import type { HardwareSpec } from "./hw/spec.js";

export interface RunOptions {
  /** Overrides the program's run duration (s). */
  duration?: number;
  /** Overrides the program's seed. */
  seed?: number;
  /** Called now and then with the fraction done (0..1), for progress bars. */
  onProgress?: (fraction: number) => void;
  /** Asked at the same points as onProgress (about every 1% of the run): true ends the run there (Ctrl-C), and the
   *  result holds the steps done so far, with `interrupted` set. Reference and wasm (threaded too) honour it. */
  shouldStop?: () => boolean;
  /** Hardware spec for targets that model one (fixed): a preset name or a JSON spec file. */
  hw?: string;
  /** Threads for targets that shard the network (wasm); default: all cores for networks of >= 16k neurons. */
  threads?: number;
  /** The run-time numeric guard: infinite or NaN state on the float targets (E0806), the first overflow of a
   *  fixed-point format (E0811). true (default): an error, the run gives no result; "warn": a warning, the run
   *  goes on (float targets run again unguarded); false: no scan (the fixed-point range profiler, which stores
   *  such values on purpose and whose static analysis reports what they mean). */
  numericGuard?: boolean | "warn";
  /** wasm targets: 16 stores the per-synapse parameters (weights drawn per synapse; not state, not those of a
   *  monitored projection) as 16-bit codes of one scale per projection and parameter
   *  (targets/wasm/weight-codes.ts), with warning W1015 giving the errors; undefined: in the run's precision. */
  weightBits?: 16;
}

export interface PopulationSpikes {
  /** Step index k of each spike (spike time = k*dt), ascending. */
  steps: Int32Array;
  /** Element index of each spike within the population. */
  indices: Int32Array;
}

export interface StateTrace {
  population: string;
  variable: string;
  /** Element indices recorded. */
  indices: number[];
  /** Steps recorded (k: value at t = k*dt, the start of step k). */
  steps: number[];
  /** values[r][c]: row r = recorded step, column c = element. SI units. */
  values: Float64Array[];
}

export interface SynapseTrace {
  /** The projection (as named in the IR) and the synapse variable. */
  projection: string;
  variable: string;
  /** Synapse numbers recorded (construction order) and each one's pre and post element. */
  synapses: number[];
  pre: number[];
  post: number[];
  /** Steps recorded (k: value at t = k*dt, the start of step k). */
  steps: number[];
  /** values[r][c]: row r = recorded step, column c = synapse. SI units. */
  values: Float64Array[];
}

export interface RateTrace {
  population: string;
  steps: number[];
  /** Population rate (Hz) in each recorded step: spikes in the step / (size * dt). */
  hz: Float64Array;
}

export interface RunResult {
  target: string;
  dt: number;
  steps: number;
  seed: number;
  /** Every neuron/astrocyte group and source (input) population. */
  populations: Record<string, { n: number; spikes: number; rate_hz: number }>;
  /** Spikes of the populations named in spike monitors (all spikes of those populations). */
  spikes: Record<string, PopulationSpikes>;
  traces: StateTrace[];
  /** Synapse monitors (`record w of PROJ`); absent when the program has none. */
  synapseTraces?: SynapseTrace[];
  rates: RateTrace[];
  spikesTotal: number;
  synapses: number;
  synapticEvents: number;
  simWallS: number;
  setupWallS: number;
  /** Parts of setupWallS (targets that measure them): building the network (connectivity, initial
   *  values, memory layout) and turning the IR into an instantiated module (codegen, optimization,
   *  instantiation). */
  networkWallS?: number;
  kernelWallS?: number;
  /** Peak resident set size of the process during the run (targets that measure it). */
  peakRssBytes?: number;
  /** Synapse storage bytes / synapses, from the target's actual memory layout (targets that measure it). */
  bytesPerSynapse?: number;
  /** Threads the simulation ran on (targets that can use more than one). */
  threads?: number;
  /** Set when RunOptions.shouldStop ended the run early: `steps` steps of the `of` asked for were run. */
  interrupted?: { of: number };
  /** Fixed-point runs (fixed target, descriptor runner, emulator): the word format of each stored variable and
   *  the overflows counted, for the fidelity report (targets/fidelity). */
  fixedPoint?: FixedPointInfo;
}

/** A linear decay the coefficient grid moves: per update a in float and on the grid, and the time constants. */
export interface DecayShift {
  /** "POP.var". */
  variable: string;
  decay: number;
  grid_decay: number;
  coef_bits: number;
  /** -dt / ln(decay), dt the group's update period (s). */
  tau_s: number;
  grid_tau_s: number;
}

/** What a fixed-point run tells the fidelity report about its words. */
export interface FixedPointInfo {
  /** The spec's name, its state word width and what an overflow does. */
  spec: string;
  stateBits: number;
  overflow: "saturate" | "wrap";
  /** "OWNER.var" of every stored state variable: its format (Q notation), LSB (SI units) and fraction bits. */
  formats: Record<string, { format: string; ulp: number; intBits: number; fracBits: number; signed: boolean }>;
  /** Overflow events (saturations or wraps, per `overflow`) per "OWNER.var" during the run. */
  overflows: Record<string, number>;
  /** Linear decays the coefficient grid moved (targets/fixed/decay-consistent.ts decayShifts). */
  decays?: DecayShift[];
}

/** The `populations` block and `spikesTotal` of a RunResult from each population's spike count. */
export function populationCounts(
  counts: Iterable<{ name: string; size: number; spikes: number }>,
  steps: number,
  dt: number,
): { populations: RunResult["populations"]; spikesTotal: number } {
  const duration = steps * dt;
  const populations: RunResult["populations"] = {};
  let spikesTotal = 0;
  for (const c of counts) {
    populations[c.name] = {
      n: c.size,
      spikes: c.spikes,
      rate_hz: duration > 0 && c.size > 0 ? c.spikes / (c.size * duration) : 0,
    };
    spikesTotal += c.spikes;
  }
  return { populations, spikesTotal };
}

export interface Target {
  name: string;
  /** Runs a discrete IR program. Problems the target cannot handle are diagnostics, not exceptions. */
  run(program: IRProgram, options: RunOptions): { result?: RunResult; diagnostics: Diagnostic[] };
}

/** The options an emit target may declare (targets/driver/registry.ts OPTIONS), as given on the command line;
 *  the driver passes only those the target's registry entry declares, after checking them. */
export interface EmitOptions {
  /** The file being compiled (for messages and summaries). */
  file: string;
  /** --hw as written, and the spec it resolves to (targets/hw/resolve.ts). */
  hw?: string;
  spec?: HardwareSpec;
  /** -o FILE / --out DIR. */
  out?: string;
  /** --emit STAGE (targets that offer more than one output). */
  emit?: string;
  duration?: number;
  json?: boolean;
  check?: boolean;
  /** --neurons-per-core N: digital mapping with slices of exactly N neurons (targets/digital/partition.ts). */
  neuronsPerCore?: number;
  /** Map models outside the preset's native core dynamics as programmable-core approximations (warning W1014
   *  naming the borrowed costs) instead of refusing them (E0814). */
  allowApproximateCores?: boolean;
  /** Run the IR verifier after build and every pass (compile --verify). */
  verify?: boolean;
  /** Called now and then with the fraction done (0..1), for progress bars. */
  onProgress?: (fraction: number) => void;
  /** The emulator's run-time guard, as RunOptions.numericGuard (emulate --numeric-guard). */
  numericGuard?: boolean | "warn";
}

/** What an emit target produces: text for stdout and files to write (paths as given), or diagnostics; `failure`
 *  is a check that failed after the output was computed (reported as `glia: FAILURE`, exit 1). */
export interface EmitResult {
  stdout?: string;
  files?: { path: string; content: string | Uint8Array }[];
  failure?: string;
  diagnostics: Diagnostic[];
  /** Targets that simulate (the emulator): the run as a RunResult, for `--compare`. */
  run?: RunResult;
}

/** An emit target: `In` is the IR form its registry entry consumes (IRProgram for continuous and discrete,
 *  the quantization result for fixed). Problems are diagnostics, not exceptions. */
export interface Emitter<In = IRProgram> {
  name: string;
  emit(input: In, options: EmitOptions): EmitResult;
}

/** Raised for constructs a target cannot evaluate; targets turn it into diagnostic E0801. */
export class TargetError extends Error {
  /** A more specific code and span than the target's E0801 at the network's name, where the target knows them. */
  code?: Code;
  span?: Span;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "TargetError";
  }
}
