// Runs a discrete IR program on the wasm kernels, with no Node-only API (a browser runs this file as it is).
// In: IRProgram, RunOptions, precision and a WasmPlatform (runtime bytes, threads, memory probe); out: RunResult
// (the reference's shape plus peakRssBytes, bytesPerSynapse and threads). Builds the network (worker threads,
// when there are any, build part of its rows) and the kernel module, copies initial values into the one
// memory and calls the exported run(k0, k1): in 100 chunks when there is a progress callback, else once,
// returning early only to drain a monitor buffer; no JS runs per neuron or per synapse during the steps.
// At each return the state of populations and synapses is scanned for infinity or NaN (schedule/guard.ts); on a hit
// the run is repeated up to there one step per call to name the first step (NonFiniteError). Node: host-run.ts.

import { STOP_EVERY } from "../schedule/step.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { PopulationSpikes, RunOptions, RunResult, StateTrace } from "../target.js";
import { populationCounts } from "../target.js";
import { TargetError } from "../target.js";
import { compileWasm, loadRuntime, MemoryViews, type Runtime } from "../../runtime/host/load.js";
import type { Precision } from "./lanes.js";
import type { Quantized, WeightBits } from "./weight-codes.js";
import { buildLayout, EVENT_STRIDE, type InitWrite, type Layout } from "./layout.js";
import { useRowHelpers, type RowHelper } from "../network/draws.js";
import { buildKernelModule, memoryPages } from "./lower-step.js";
import { NonFiniteError, NumericGuard, type GuardedArray } from "../schedule/guard.js";
import { countOverflow } from "../network/sources.js";
import { WasmSynapseMonitors } from "./synapse-monitors.js";

interface Kernels {
  run(k0: number, k1: number): number;
}

function writeInit(v: MemoryViews, w: InitWrite): void {
  const view =
    w.kind === "f32" ? v.f32 : w.kind === "f64" ? v.f64 : w.kind === "i32" ? v.i32 : w.kind === "u16" ? v.u16 : v.u8;
  const at = w.addr / WRITE_BYTES[w.kind];
  if (w.fill) w.fill(view, at);
  else if (w.perm) writePermuted(view, at, w.data, w.perm);
  else view.set(w.data, at);
}

/** view[at + x] = data[perm[x]]: a projection's values written in storage order straight from construction order. */
function writePermuted(view: { [x: number]: number }, at: number, data: ArrayLike<number>, perm: Int32Array): void {
  const n = perm.length;
  for (let x = 0; x < n; x++) view[at + x] = data[perm[x]!]!;
}

const WRITE_BYTES: Record<InitWrite["kind"], number> = { f32: 4, f64: 8, i32: 4, u16: 2, u8: 1 };

/** Grows `memory` to hold `bytes` bytes; false when that is more than a wasm memory holds (4 GiB). */
function growTo(memory: WebAssembly.Memory, bytes: number): boolean {
  const need = Math.ceil(bytes / 65536);
  if (need > 65536) return false;
  const have = memory.buffer.byteLength / 65536;
  if (need > have) memory.grow(need - have);
  return true;
}

/** Compiles the kernels of `program` for `layout` to wasm bytes (validated and optimized). */
export function compileKernels(
  program: IRProgram,
  layout: Layout,
  optimize = true,
): { bytes: Uint8Array<ArrayBuffer>; fused: string[]; batch: 1 | 2 } {
  const { module, info } = buildKernelModule(program, layout);
  try {
    const problems = module.validate();
    if (problems.length > 0) throw new Error(`internal: the wasm kernels do not validate:\n${problems.join("\n")}`);
    if (optimize) module.optimize(3, 0);
    return { bytes: module.emitBinary(), fused: info.fused, batch: info.batch };
  } finally {
    module.dispose();
  }
}

export interface WasmRunInfo {
  fused: string[];
  kernelBytes: number;
  /** Threads the run used (1: single thread). */
  threads: number;
  /** Steps the threads run between two meetings (step-batch.ts): 1 or 2. */
  batch: 1 | 2;
  /** Parameters stored in 16 bits (RunOptions.weightBits) and their errors. */
  quantized: Quantized[];
}

/** The kernels' `runtime` imports on a shared memory: the runtime keeps its own memory, draws are copied over. */
function sharedRuntimeImports(rt: Runtime, shared: MemoryViews): WebAssembly.ModuleImports {
  const own = rt.views;
  const scratch = (rt.exports.heapBase() + 15) & ~15;
  return {
    ...(rt.exports as unknown as WebAssembly.ModuleImports),
    fillUniform01(ptr: number, n: number, seed: number, stream: number, lo: number, hi: number): void {
      const need = Math.ceil((scratch + n * 8) / 65536) - rt.memory.buffer.byteLength / 65536;
      if (need > 0) rt.memory.grow(need);
      rt.exports.fillUniform01(scratch, n, seed, stream, lo, hi);
      shared.f64.set(own.f64.subarray(scratch / 8, scratch / 8 + n), ptr / 8);
    },
  };
}

/** What the embedding provides: the runtime's bytes, the thread count (already checked with threadObstacle),
 *  a worker pool for more than one thread (started first, loaded with the kernels once built), a
 *  resident-memory probe. */
export interface WasmPlatform {
  runtimeBytes: Uint8Array;
  threads: number;
  startThreads?: (threads: number) => ThreadPoolLike;
  rssBytes?: () => number;
}

/** Threads 1..T-1 of a run (targets/wasm/threads.ts in Node). */
export interface ThreadPoolLike {
  load(module: WebAssembly.Module, memory: WebAssembly.Memory): void;
  /** Helpers for network construction until load() (optional). */
  rowHelpers?(): RowHelper[];
  ready(): string | null;
  start(k0: number, k1: number): void;
  join(): string | null;
  close(): void;
}

export function simulateOnWasm(
  program: IRProgram,
  options: RunOptions,
  precision: Precision,
  platform: WasmPlatform,
): { result: RunResult; info: WasmRunInfo } {
  try {
    return simulateSteps(program, options, precision, platform, false);
  } catch (err) {
    if (!(err instanceof NonFiniteError) || err.step < 0) throw err;
    // found at a return of run(): again up to there, one step per call, for the first step
    const exact = { ...options, duration: (err.step + 1) * program.dt, onProgress: undefined };
    simulateSteps(program, exact, precision, platform, true);
    throw err;
  }
}

function simulateSteps(
  program: IRProgram,
  options: RunOptions,
  precision: Precision,
  platform: WasmPlatform,
  stepByStep: boolean,
): { result: RunResult; info: WasmRunInfo } {
  const t0 = performance.now();
  const dt = program.dt;
  const seed = (options.seed ?? program.seed) >>> 0;
  const steps = options.duration !== undefined ? Math.round(options.duration / dt) : program.steps;
  if (!(dt > 0) || !Number.isInteger(steps) || steps < 0)
    throw new TargetError(`invalid dt (${dt}) or step count (${steps})`);

  const threads = platform.startThreads ? platform.threads : 1;
  // workers start now and instantiate the kernels once they exist (their start overlaps construction)
  const pool = threads > 1 ? platform.startThreads!(threads) : null;
  try {
    const prepared = prepare(program, precision, platform, pool, {
      t0,
      steps,
      seed,
      threads,
      weightBits: options.weightBits,
    });
    const problem = pool?.ready() ?? null;
    if (problem !== null) throw new TargetError(problem);
    return runKernels(program, options, precision, prepared, stepByStep);
  } finally {
    pool?.close();
  }
}

/** Runtime, network, memory and kernels of a run (threads > 1: the pool gets the kernels to instantiate). */
function prepare(
  program: IRProgram,
  precision: Precision,
  platform: WasmPlatform,
  pool: ThreadPoolLike | null,
  run: { t0: number; steps: number; seed: number; threads: number; weightBits: WeightBits | undefined },
): Prepared {
  const { steps, seed, threads } = run;
  const rtMemory = new WebAssembly.Memory({ initial: 1 });
  const loaded = loadRuntime(platform.runtimeBytes, rtMemory);
  if (!loaded.ok) throw new TargetError(loaded.problem);
  const rt = loaded.runtime;

  const tNetwork = performance.now();
  // the kernels' memory exists before the network: each array is written into it as it is built, so no copy
  // of every synapse waits in JS for the end of construction. Threaded: shared, up to the 4 GiB a wasm memory
  // holds (an address range reserved, not resident memory; the kernels declare the same maximum).
  const memory = threads > 1 ? new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }) : rtMemory;
  const views = threads > 1 ? new MemoryViews(memory) : rt.views;
  let beyond = false; // a write past 4 GiB: skipped, and reported below with the layout's numbers
  const sink = (w: InitWrite): void => {
    if (beyond || !growTo(memory, w.addr + (w.perm ?? w.data).length * WRITE_BYTES[w.kind])) beyond = true;
    else writeInit(views, w);
  };
  // worker threads build part of the connectivity rows meanwhile (before they get the kernels)
  useRowHelpers(pool?.rowHelpers?.() ?? []);
  let layout: Layout;
  try {
    layout = buildLayout(program, seed, steps, precision, rt.exports.heapBase(), threads, sink, run.weightBits);
  } finally {
    useRowHelpers([]);
  }
  const pages = memoryPages(layout);
  if (pages > 65536 || beyond) {
    // the network as laid out does not fit one wasm memory: say so with the numbers (was an internal error)
    const gib = (b: number): string => `${(b / 2 ** 30).toFixed(2)} GiB`;
    const err = new TargetError(
      `the network needs ${gib(pages * 65536)} of WebAssembly memory (${layout.synapses} synapses, ${gib(layout.synapseBytes)} of synapse storage); one wasm memory holds at most 4 GiB`,
      "run a smaller network (fewer neurons or synapses) or another target",
    );
    err.code = "E0807";
    throw err;
  }
  growTo(memory, pages * 65536);
  for (const w of layout.writes) writeInit(views, w);
  const networkWallS = (performance.now() - tNetwork) / 1000;
  const tKernels = performance.now();
  const { bytes, fused, batch } = compileKernels(program, layout);
  const module = compileWasm(bytes);
  const instance = new WebAssembly.Instance(module, {
    env: { memory },
    Math: { exp: Math.exp, log: Math.log, tanh: Math.tanh, sin: Math.sin, cos: Math.cos, pow: Math.pow },
    runtime: threads > 1 ? sharedRuntimeImports(rt, views) : (rt.exports as unknown as WebAssembly.ModuleImports),
    ...(threads > 1 ? { glia: { tid: 0 } } : {}),
  });
  const kernels = instance.exports as unknown as Kernels;
  pool?.load(module, memory);
  const kernelWallS = (performance.now() - tKernels) / 1000;
  return {
    layout,
    views,
    kernels,
    pool,
    t0: run.t0,
    steps,
    seed,
    fused,
    batch,
    kernelBytes: bytes.byteLength,
    networkWallS,
    kernelWallS,
    rss: platform.rssBytes ?? null,
  };
}

interface Prepared {
  layout: Layout;
  views: MemoryViews;
  kernels: Kernels;
  pool: ThreadPoolLike | null;
  t0: number;
  steps: number;
  seed: number;
  fused: string[];
  /** Steps between two meetings of the threads (step-batch.ts). */
  batch: 1 | 2;
  kernelBytes: number;
  networkWallS: number;
  kernelWallS: number;
  rss: (() => number) | null;
}

/** The populations' state variables in the kernels' memory (f32 or f64 per the layout). */
function stateArrays(layout: Layout, views: MemoryViews): GuardedArray[] {
  const out: GuardedArray[] = [];
  for (const pl of layout.pops) {
    for (const v of pl.group?.state ?? []) {
      const addr = pl.arrays.get(v.name);
      if (addr === undefined) continue;
      const values =
        layout.bytes === 4
          ? views.f32.subarray(addr / 4, addr / 4 + pl.size)
          : views.f64.subarray(addr / 8, addr / 8 + pl.size);
      out.push({ owner: pl.name, kind: "population", variable: v.name, values });
    }
  }
  // synapse state (plastic weights, per-synapse traces), named by synapse number as the reference does
  for (const pl of layout.projs) {
    for (const v of pl.proj.state) {
      const addr = pl.arrays.get(v.name);
      if (addr === undefined) continue;
      const values =
        layout.bytes === 4
          ? views.f32.subarray(addr / 4, addr / 4 + pl.n)
          : views.f64.subarray(addr / 8, addr / 8 + pl.n);
      out.push({
        owner: pl.proj.name,
        kind: "projection",
        variable: v.name,
        values,
        ...(pl.synapseAt ? { numbers: pl.synapseAt } : {}),
      });
    }
  }
  return out;
}

function runKernels(
  program: IRProgram,
  options: RunOptions,
  precision: Precision,
  p: Prepared,
  stepByStep: boolean,
): { result: RunResult; info: WasmRunInfo } {
  const { layout, views, kernels, pool, t0, steps, seed } = p;
  const dt = program.dt;
  const guarded = options.numericGuard !== false;
  if (guarded) new NumericGuard(stateArrays(layout, views), 1).initial();

  // ---- monitors' host-side accumulators
  const spikeAcc = new Map<string, Int32Array[]>();
  const stateAcc: StateTrace[] = [];
  const rateAcc: { population: string; steps: number[]; hz: number[] }[] = [];
  const accOf = layout.monitors.map((mon) => {
    if (mon.k === "spikes") {
      const acc: Int32Array[] = []; // (step, index) pairs as the monitor buffer holds them, one copy per drain
      spikeAcc.set(mon.pop.name, acc);
      return acc;
    }
    if (mon.k === "state") {
      const indices: number[] = [];
      for (let e = mon.start; e < mon.end; e++) indices.push(e);
      const tr: StateTrace = { population: mon.pop.name, variable: mon.variable, indices, steps: [], values: [] };
      stateAcc.push(tr);
      return tr;
    }
    const r = { population: mon.pop.name, steps: [] as number[], hz: [] as number[] };
    rateAcc.push(r);
    return r;
  });
  const drain = (): void => {
    const i32 = views.i32;
    const f64 = views.f64;
    layout.monitors.forEach((mon, m) => {
      const fill = i32[mon.fill / 4]!;
      if (fill === 0) return;
      if (mon.k === "spikes") {
        (accOf[m] as Int32Array[]).push(i32.slice(mon.buf / 4, mon.buf / 4 + 2 * fill));
      } else if (mon.k === "state") {
        const tr = accOf[m] as StateTrace;
        const cols = Math.max(1, mon.end - mon.start);
        for (let x = 0; x < fill; x++) {
          tr.steps.push(i32[mon.stepsBuf / 4 + x]!);
          tr.values.push(f64.slice(mon.buf / 8 + x * cols, mon.buf / 8 + x * cols + (mon.end - mon.start)));
        }
      } else {
        const r = accOf[m] as { steps: number[]; hz: number[] };
        for (let x = 0; x < fill; x++) {
          r.steps.push(i32[mon.stepsBuf / 4 + x]!);
          r.hz.push(f64[mon.buf / 8 + x]!);
        }
      }
      i32[mon.fill / 4] = 0;
    });
  };

  const synapseMons = new WasmSynapseMonitors(program, layout, views);

  const rss = p.rss ?? ((): number => 0);
  let peakRss = rss();
  const setupWallS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  // with a progress callback, 100 calls of run(); without, one (it still returns early whenever a monitor
  // buffer could overflow). Each return to the host costs tens of microseconds (CUBA 64k on 2 threads:
  // 0.215-0.240 s with 100 chunks, 0.208-0.213 s with one)
  const chunked = options.onProgress !== undefined || options.shouldStop !== undefined;
  const percent = Math.max(1, Math.floor(steps / 100));
  const stoppable = options.shouldStop !== undefined;
  let chunk = stepByStep ? 1 : stoppable ? Math.min(percent, STOP_EVERY) : chunked ? percent : Math.max(1, steps);
  // steps in pairs (step-batch.ts): a run that may stop stops after an odd step, where the pair is delivered
  // and recorded (ending a span after an even step is harmless otherwise: the next span delivers that pair)
  if (p.batch === 2 && stoppable && !stepByStep && chunk % 2 === 1) chunk += 1;
  let k = 0;
  let stoppedAt: number | undefined; // Ctrl-C (RunOptions.shouldStop)
  let reported = 0;
  // workers run every step at once (thread 0 returns to drain, they wait in barriers); when the run may stop early,
  // or the guard's re-run scans every step, one chunk at a time, joined at its end, so that every thread stops at the
  // step thread 0 stops at (free workers run up to a pair of steps ahead: the scan would see a later step's state)
  const span = stoppable || stepByStep ? chunk : steps;
  let spanEnd = 0;
  if (steps > 0) synapseMons.record(0);
  while (k < steps) {
    if (pool && k === spanEnd) {
      spanEnd = Math.min(steps, k + span);
      pool.start(k, spanEnd);
    }
    k = kernels.run(k, Math.min(steps, Math.ceil((k + 1) / chunk) * chunk));
    const problem = pool && k === spanEnd ? pool.join() : null;
    if (problem !== null) throw new TargetError(problem);
    drain();
    countOverflowAt(layout, views);
    if (k < steps) synapseMons.record(k);
    if (guarded) guardAt(layout, views, k);
    if (options.onProgress && (k === steps || k - reported >= percent)) {
      reported = k;
      options.onProgress(k / steps);
    }
    if (k % (chunk * 10) === 0) peakRss = Math.max(peakRss, rss());
    if (stoppable && k < steps && k % chunk === 0 && options.shouldStop!()) {
      stoppedAt = k;
      break;
    }
  }
  const simWallS = (performance.now() - t1) / 1000;
  peakRss = Math.max(peakRss, rss());

  const i32 = views.i32;
  let events = 0;
  for (let t = 0; t < layout.threads; t++) events += views.f64[(layout.events + t * EVENT_STRIDE) / 8]!;
  const { populations, spikesTotal } = populationCounts(
    layout.pops.map((pl) => ({ name: pl.name, size: pl.size, spikes: i32[pl.totalAddr / 4]! })),
    stoppedAt ?? steps,
    dt,
  );
  const spikes: Record<string, PopulationSpikes> = {};
  for (const [name, acc] of spikeAcc) spikes[name] = splitPairs(acc);
  const result: RunResult = {
    target: precision === "f32" ? "wasm" : "wasm-f64",
    dt,
    steps: stoppedAt ?? steps,
    seed,
    populations,
    spikes,
    traces: stateAcc,
    ...(synapseMons.empty ? {} : { synapseTraces: synapseMons.traces() }),
    rates: rateAcc.map((r) => ({ population: r.population, steps: r.steps, hz: Float64Array.from(r.hz) })),
    spikesTotal,
    synapses: layout.synapses,
    synapticEvents: events,
    simWallS,
    setupWallS,
    networkWallS: p.networkWallS,
    kernelWallS: p.kernelWallS,
    peakRssBytes: p.rss ? peakRss : undefined,
    bytesPerSynapse: layout.synapses > 0 ? layout.synapseBytes / layout.synapses : 0,
    threads: layout.threads,
    ...(stoppedAt !== undefined ? { interrupted: { of: steps } } : {}),
  };
  return {
    result,
    info: {
      fused: p.fused,
      kernelBytes: p.kernelBytes,
      threads: layout.threads,
      batch: p.batch,
      quantized: layout.quantized,
    },
  };
}

/** A poisson_count source that drew more events in a step than its list holds stops the run (never truncated). */
function countOverflowAt(layout: Layout, views: MemoryViews): void {
  for (const pl of layout.sources) {
    const at = pl.count ? views.i32[pl.count.overflow / 4]! : 0;
    if (at > 0) throw countOverflow(pl.name, at - 1, pl.count!.capacity);
  }
}

/** Scans the state after step k - 1 (run() returned at k; a throw ends the workers in simulateSteps). */
function guardAt(layout: Layout, views: MemoryViews, k: number): void {
  new NumericGuard(stateArrays(layout, views), 1).endStep(k - 1, k);
}

/** Spike steps and indices from the monitor's (step, index) pairs, drain after drain. */
function splitPairs(chunks: readonly Int32Array[]): PopulationSpikes {
  const n = chunks.reduce((sum, c) => sum + c.length / 2, 0);
  const steps = new Int32Array(n);
  const indices = new Int32Array(n);
  let at = 0;
  for (const c of chunks) {
    for (let x = 0; x < c.length; x += 2, at++) {
      steps[at] = c[x]!;
      indices[at] = c[x + 1]!;
    }
  }
  return { steps, indices };
}
