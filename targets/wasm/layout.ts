// Network construction (through targets/network, exactly as the reference builds it) and the linear-memory
// layout of the wasm simulation. In: a discrete IRProgram, seed, dt, steps, precision, heap base; out: a
// Layout with the byte address of every array (structure of arrays, populations padded to 4 lanes) and
// the initial contents to copy in. Synapses: CSR by pre element, rows split into delay segments (the order
// itself: synapse-order.ts; one projection: layout-projection.ts); monitors and currents: layout-records.ts; 16-bit
// synapse values: weight-codes.ts.

import type { IRGroup, IRProgram, IRProjection, IRSource } from "../../compiler/ir/nodes.js";
import { TargetError } from "../target.js";
import { initGroup, type Values } from "../network/init.js";
import {
  countCapacity,
  makeSource,
  poissonCountMeans,
  poissonProbabilities,
  poissonRates,
} from "../network/sources.js";
import { streams } from "../network/rng.js";
import type { Precision } from "./lanes.js";
import { needsEndBarrier } from "./step-sync.js";
import { mayPairSteps } from "./step-batch.js";
import { accumulations, type Accumulation } from "./accumulate.js";
import { countThresholds, countThresholdWords } from "./lower-count.js";
import { NEVER } from "../schedule/spikes.js";
import { currentLayout, monitorLayouts, type CurrentLayout, type MonitorLayout } from "./layout-records.js";
import type { Quantized, WeightBits, WeightCodes } from "./weight-codes.js";
import { inputRings } from "./layout-blocks.js";
import { CACHE_LINE, EVENT_STRIDE, countLists, spikeLists } from "./layout-lists.js";
import { projectionLayout } from "./layout-projection.js";

export type { CurrentLayout, MonitorLayout } from "./layout-records.js";
export { CACHE_LINE, EVENT_STRIDE, shardRanges } from "./layout-lists.js";

/** Initial memory contents: `data` written at `addr` as `kind`. */
export interface InitWrite {
  addr: number;
  kind: "f32" | "f64" | "i32" | "u16" | "u8";
  data: ArrayLike<number>;
  /** When given: element x written is data[perm[x]] (x < perm.length), a projection's values in storage order
   *  without a permuted copy of them in JS. */
  perm?: Int32Array | null;
  /** When given: writes the data.length elements itself into `view` (of the kind) from index `at` (Builder.direct:
   *  straight into the memory, no array of them in JS). */
  fill?: (view: KindArray, at: number) => void;
}

/** The typed array of a write's kind. */
export type KindArray = Float32Array | Float64Array | Int32Array | Uint16Array | Uint8Array;

const KIND_ARRAY = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u16: Uint16Array, u8: Uint8Array };

export interface PopLayout {
  name: string;
  size: number;
  /** size rounded up to a multiple of 4 (array lengths). */
  pad: number;
  group: IRGroup | null;
  source: IRSource | null;
  /** Group's own clock step (s) and network steps per group step. */
  dt: number;
  every: number;
  refractorySteps: number;
  values: Values | null;
  /** Scalar parameters (inlined as constants). */
  consts: Map<string, number>;
  /** state, inputs and per-element params -> byte address (elements of `bytes` each). */
  arrays: Map<string, number>;
  inputs: string[];
  /** last spike step per element (i32), 0 when the group has no refractory period. */
  ls: number;
  /** elements spiking in the current step (i32[size]). */
  buf: number;
  nAddr: number;
  prevAddr: number;
  totalAddr: number;
  poisson: { p: number; scratch: number; stream: number } | null;
  /** poisson_count: lambda = rate * dt and exp(-lambda) per element (f64), the word thresholds of one, two and
   *  three events per element and a lane table (u32, countThresholds in lower-count.ts), the draws' scratch, the list's room
   *  (capacity, events per step) and an i32 slot the kernel sets to step + 1 when a step drew more than that. */
  count: {
    lam: number;
    q0: number;
    thresholds: number;
    scratch: number;
    stream: number;
    capacity: number;
    overflow: number;
  } | null;
  /** The most entries of the step's spike list (size, or a poisson_count source's capacity). */
  capacity: number;
  list: { steps: number; elems: number; count: number; cursor: number } | null;
  /**
   * Spike sub-lists, in element order: one per thread for a group of a threaded layout (thread t owns
   * elements lo..hi-1, a multiple of 4 lanes, and appends its spikes at `buf` with the count at `n`),
   * else one list (buf = this.buf, n = this.nAddr). The lists of all shards together are the step's
   * spikes in ascending element order.
   */
  shards: Shard[];
  /** Threaded groups: i32 table [lo, hi, buf, n] per thread (read with the thread id), else 0. */
  shardTable: number;
  /**
   * Bytes from one copy of the spike lists and counts to the next (step k uses copy k mod listCopies), or
   * 0 for one copy. Threaded layouts without an end-of-step barrier keep two: a thread may start step k+1
   * while another still delivers step k's spikes; four when the steps may run in pairs (step-batch.ts).
   */
  parityBytes: number;
  listCopies: number;
}

export interface Shard {
  lo: number;
  hi: number;
  buf: number;
  n: number;
}

export interface ProjLayout {
  proj: IRProjection;
  pre: PopLayout;
  post: PopLayout;
  astro: PopLayout | null;
  n: number;
  nSeg: number;
  /** Delay (steps) shared by every synapse, or -1 when delays differ (then segAt exists). */
  uniformDelay: number;
  maxDelay: number;
  /** The smallest delay (steps) of a synapse (0 without synapses). */
  minDelay: number;
  postIdx: number;
  postIdxBytes: 2 | 4;
  /** Segment g covers synapses segStart[g] .. segStart[g+1]-1 (segments = rows when the delay is uniform). */
  segStart: number;
  /** Pre element of segment g (mixed delays only). */
  segRow: number;
  /** Mixed delays: i32 per (row, delay), row * (maxDelay + 1) + d: the row's segment of delay d, or -1. The delay
   *  ring then holds the rows that spiked in each of the last maxDelay + 1 steps (cap = pre size per slot), and
   *  delivery looks each row's segment up per delay (was: one ring entry per segment, cap = pre size x distinct
   *  delays per slot, which took ~7 GB for the full-scale microcircuit). */
  segAt: number;
  consts: Map<string, number>;
  arrays: Map<string, number>;
  /** last update step per synapse (i32), 0 when nothing is event-driven. */
  lu: number;
  postStart: number;
  postSyn: number;
  preIdx: number;
  astroOf: number;
  ring: { addr: number; cap: number; slots: number; counts: number } | null;
  astroEvents: { addr: number; cap: number; count: number } | null;
  /** Threaded layouts: i32 pairs [begin, end) per (thread, segment): the synapses of segment g onto the
   *  thread's post elements (contiguous, since posts ascend within a segment); 0 when single-threaded. */
  segBounds: number;
  /** Threaded layouts: each thread has its own delay ring, `ringStride` bytes apart (counts `countsStride`). */
  ringStride: number;
  countsStride: number;
  /** Bytes of synapse storage (indices, per-synapse values, row/segment pointers, post view). */
  bytes: number;
  /** Projections with a synapse monitor: each synapse's pre and post element (construction order) and where it
   *  is stored (null: storage order is construction order); the host reads the recorded values between steps. */
  synapseView?: { pre: Int32Array; post: Int32Array; storedAt: Int32Array | null };
  /** The synapse number (construction order) at each stored position, or null when storage order is construction
   *  order (uniform delays): the numeric guard names a synapse as the reference does. */
  synapseAt: Int32Array | null;
  /** Mixed delays delivered through an input ring (accumulate.ts), else null (then ring and segAt as above). */
  accum: AccumLayout | null;
  /** Per-synapse parameters stored as u16 codes (`weightBits` 16, weight-codes.ts): name -> decoding scale;
   *  their `arrays` entry then points at the codes. */
  codes: Map<string, Omit<WeightCodes, "codes">>;
}

/**
 * An accumulating projection's delivery: at a spike of row r, thread t delivers block b = r * threads + t
 * (synapseOrder.blockOrder: synapses blockSyn[b] .. blockSyn[b+1]-1 as runs of one delay, u16 words
 * blockSeg[b] .. blockSeg[b+1]-1 at `words`), adding each synapse's value into slot (k + delay) mod slots of
 * the input ring at `buf` (slots x post.pad values of the precision), or into X itself for delay 0. `apply`: this
 * projection's deliver adds slot k mod slots of the ring into X and zeroes it (the first projection sharing
 * the ring). evRing: per thread (evStride bytes apart), i32 events due per slot (k + delay) mod evSlots,
 * counted when they arrive (as the reference counts them).
 */
export interface AccumLayout extends Accumulation {
  /** 1 or 2: runs marked by flags in the stored post indices (synapse-order.ts runFlags; posts relative to
   *  the thread's first element), blockSeg then the blocks' first gap bytes at `gaps`; 0: run words. */
  flagBits: 0 | 1 | 2;
  gaps: number;
  /** Posts as byte deltas (post-deltas.ts: a byte per synapse at postIdx, the blocks' first extension words in
   *  blockSeg, the u16 extension words at `ext`); then flagBits is 0 and there are no run words. */
  deltas: boolean;
  ext: number;
  buf: number;
  slots: number;
  apply: boolean;
  blockSyn: number;
  blockSeg: number;
  words: number;
  evRing: number;
  evSlots: number;
  evStride: number;
}

export interface Layout {
  precision: Precision;
  bytes: 4 | 8;
  dt: number;
  seed: number;
  steps: number;
  pops: PopLayout[];
  groups: PopLayout[];
  sources: PopLayout[];
  projs: ProjLayout[];
  monitors: MonitorLayout[];
  currents: CurrentLayout[];
  /** f64 slot per modulator. */
  mods: Map<string, number>;
  modOrder: string[];
  events: number; // f64 slot per thread: synaptic events, EVENT_STRIDE bytes apart (one cache line each)
  /** Threads the kernels are laid out for (1: plain memory, no thread id). */
  threads: number;
  /** Threaded layouts: barrier words (i32 count, i32 generation). */
  barrier: number;
  /** Threaded layouts: whether threads meet at the end of every step (else spike lists are double-buffered). */
  endBarrier: boolean;
  end: number; // first free byte
  /** Initial contents to copy in (empty when buildLayout was given a sink: then they are written already). */
  writes: InitWrite[];
  synapses: number;
  synapseBytes: number;
  /** Parameters stored in 16 bits, with their errors (the target warns with W1015). */
  quantized: Quantized[];
}

export class Alloc {
  constructor(public next: number) {}
  take(bytes: number, align = 16): number {
    this.next = Math.ceil(this.next / align) * align;
    const at = this.next;
    this.next += Math.max(bytes, 0);
    return at;
  }
}

const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

/** What the layout steps share: the allocator, the initial writes, the run's constants, populations by name. */
export interface Builder {
  A: Alloc;
  /** Initial contents: kept for the Layout, or handed to the sink at once (no copy of all synapses waits). */
  writes: { push(...ws: InitWrite[]): void };
  /** n elements of `kind` at addr written by `fill` (into the memory itself when there is a sink, else into an
   *  array kept for the Layout), before direct returns. */
  direct: (addr: number, kind: InitWrite["kind"], n: number, fill: (view: KindArray, at: number) => void) => void;
  /** An 8-aligned slot of `b` bytes. */
  slot: (b?: number) => number;
  bytes: 4 | 8;
  fkind: Precision;
  seed: number;
  dt: number;
  steps: number;
  threads: number;
  /** Copies of the spike lists: 1, 2 (no end-of-step barrier) or 4 (steps may run in pairs, step-batch.ts). */
  listCopies: number;
  pops: Map<string, PopLayout>;
  weightBits: WeightBits | undefined;
  quantized: Quantized[];
}

export function buildLayout(
  program: IRProgram,
  seed: number,
  steps: number,
  precision: Precision,
  heapBase: number,
  threads = 1,
  sink?: (w: InitWrite) => void,
  weightBits?: WeightBits,
): Layout {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new TargetError(`invalid thread count ${threads}`);
  const dt = program.dt;
  const bytes: 4 | 8 = precision === "f32" ? 4 : 8;
  const A = new Alloc(Math.max(heapBase, 16));
  const endBarrier = threads > 1 && needsEndBarrier(program);
  const kept: InitWrite[] = [];
  const b: Builder = {
    A,
    writes: sink ? { push: (...ws: InitWrite[]): void => ws.forEach(sink) } : kept,
    direct: (addr, kind, n, fill): void => {
      if (sink) return sink({ addr, kind, data: { length: n }, fill });
      const data = new KIND_ARRAY[kind](n);
      fill(data, 0);
      kept.push({ addr, kind, data });
    },
    slot: (n = 8): number => A.take(n, 8),
    bytes,
    fkind: precision,
    seed,
    dt,
    steps,
    threads,
    listCopies: threads === 1 ? 1 : endBarrier ? 1 : mayPairSteps(program) ? 4 : 2,
    pops: new Map(),
    weightBits,
    quantized: [],
  };

  const groups: PopLayout[] = [];
  for (const g of program.groups) {
    const pl = groupLayout(b, g);
    b.pops.set(g.name, pl);
    groups.push(pl);
  }
  const sources: PopLayout[] = [];
  for (const s of program.sources) {
    const pl = sourceLayout(b, s);
    b.pops.set(s.name, pl);
    sources.push(pl);
  }

  // ---- modulators
  const mods = new Map<string, number>();
  for (const m of program.modulators) mods.set(m.name, b.slot(8));

  // ---- projections
  const projs: ProjLayout[] = [];
  let synapses = 0;
  let synapseBytes = 0;
  const monitoredProjs = new Set(program.monitors.filter((m) => m.k === "synapse").map((m) => m.target.population));
  const accums = accumulations(program);
  program.projections.forEach((p, k) => {
    // the next projection's weights are drawn ahead (a helper thread) while this one is laid out
    const pl = projectionLayout(b, p, monitoredProjs.has(p.name), accums.get(p.name), program.projections[k + 1]);
    projs.push(pl);
    synapses += pl.n;
    synapseBytes += pl.bytes;
  });
  inputRings(b, projs);

  const currents = program.currents.map((c) => currentLayout(b, c));
  const monitors = monitorLayouts(b, program.monitors);

  // words that threads write often get a cache line of their own (no false sharing between cores)
  const events = A.take(EVENT_STRIDE * threads, CACHE_LINE);
  const barrier = threads > 1 ? A.take(CACHE_LINE, CACHE_LINE) : 0;
  return {
    precision,
    bytes,
    dt,
    seed,
    steps,
    pops: [...b.pops.values()],
    groups,
    sources,
    projs,
    monitors,
    currents,
    mods,
    modOrder: program.modulators.map((m) => m.name),
    events,
    threads,
    barrier,
    endBarrier,
    end: A.take(0),
    writes: kept,
    synapses,
    synapseBytes,
    quantized: b.quantized,
  };
}

/** A neuron or astrocyte group: parameters, state and inputs (one array each, or a constant), spike lists. */
function groupLayout(b: Builder, g: IRGroup): PopLayout {
  const { A, writes, slot, bytes, fkind, seed, dt, threads } = b;
  if (!(Number.isInteger(g.stepEvery) && g.stepEvery >= 1))
    throw new TargetError(`${g.name}: stepEvery must be a positive integer`);
  if (g.odes.length)
    throw new TargetError(
      `${g.name} still has ODEs: run the solve-odes pass first`,
      "the wasm target runs the discrete IR",
    );
  if (b.pops.has(g.name)) throw new TargetError(`population name ${g.name} used twice`);
  const values = initGroup(g, seed, dt);
  const pad = pad4(g.size);
  const consts = new Map<string, number>();
  const arrays = new Map<string, number>();
  for (const [name, p] of values.params) {
    if (typeof p === "number") consts.set(name, p);
    else {
      const addr = A.take(pad * bytes);
      arrays.set(name, addr);
      writes.push({ addr, kind: fkind, data: p });
    }
  }
  for (const [name, s] of values.state) {
    const addr = A.take(pad * bytes);
    arrays.set(name, addr);
    writes.push({ addr, kind: fkind, data: s });
  }
  for (const name of values.inputs.keys()) arrays.set(name, A.take(pad * bytes));
  const refractorySteps = g.refractory ? Math.max(0, Math.round(g.refractory.steps)) : 0;
  let ls = 0;
  if (refractorySteps > 0) {
    ls = A.take(pad * 4);
    writes.push({ addr: ls, kind: "i32", data: new Int32Array(pad).fill(NEVER) });
  }
  const pl: PopLayout = {
    name: g.name,
    size: g.size,
    pad,
    group: g,
    source: null,
    dt: dt * g.stepEvery,
    every: g.stepEvery,
    refractorySteps,
    values,
    consts,
    arrays,
    inputs: [...values.inputs.keys()],
    ls,
    ...spikeLists(A, pad, threads, b.listCopies),
    prevAddr: slot(4),
    totalAddr: slot(8),
    poisson: null,
    count: null,
    capacity: g.size,
    list: null,
    shardTable: 0,
  };
  if (threads > 1) {
    pl.shardTable = A.take(threads * 16);
    writes.push({ addr: pl.shardTable, kind: "i32", data: pl.shards.flatMap((sh) => [sh.lo, sh.hi, sh.buf, sh.n]) });
  }
  return pl;
}

/** A spike source: Poisson rates per element, poisson_count means (with a spike list holding an element once per
 *  event, room for countCapacity events per step), or every (step, element) of a spike list. */
function sourceLayout(b: Builder, s: IRSource): PopLayout {
  const { A, writes, slot, seed, dt, steps } = b;
  if (b.pops.has(s.name)) throw new TargetError(`population name ${s.name} used twice`);
  const pad = pad4(s.size);
  const means = s.k === "poisson_count" ? poissonCountMeans(s.name, poissonRates(s, seed), dt) : null;
  const listPad = means ? countCapacity(means) : pad;
  const pl: PopLayout = {
    name: s.name,
    size: s.size,
    pad,
    group: null,
    source: s,
    dt,
    every: 1,
    refractorySteps: 0,
    values: null,
    consts: new Map(),
    arrays: new Map(),
    inputs: [],
    ls: 0,
    // poisson_count: every thread draws its shard (lower-count.ts); other sources run on thread 0
    ...(means && b.threads > 1
      ? countLists(A, pad, listPad, b.threads, b.listCopies)
      : spikeLists(A, listPad, 1, b.listCopies)),
    prevAddr: slot(4),
    totalAddr: slot(8),
    poisson: null,
    count: null,
    capacity: means ? listPad : s.size,
    list: null,
    shardTable: 0,
  };
  if (means && b.threads > 1) {
    pl.shardTable = A.take(b.threads * 16);
    writes.push({ addr: pl.shardTable, kind: "i32", data: pl.shards.flatMap((sh) => [sh.lo, sh.hi, sh.buf, sh.n]) });
  }
  if (means) {
    const lam = A.take(pad * 8);
    const q0 = A.take(pad * 8);
    const thresholds = A.take(4 * countThresholdWords(pad));
    const q0s = means.map((x) => Math.exp(-x));
    writes.push(
      { addr: lam, kind: "f64", data: means },
      { addr: q0, kind: "f64", data: q0s },
      { addr: thresholds, kind: "i32", data: countThresholds(means, q0s, pad) },
    );
    pl.count = {
      lam,
      q0,
      thresholds,
      scratch: A.take(pad * 16),
      stream: streams.poisson(s.name),
      capacity: listPad,
      overflow: slot(4),
    };
  } else if (s.k === "poisson" && !s.timed) {
    const rates = poissonRates(s, seed);
    const p = A.take(pad * 8);
    writes.push({ addr: p, kind: "f64", data: poissonProbabilities(s.name, rates, dt) });
    pl.poisson = { p, scratch: A.take(pad * 8), stream: streams.poisson(s.name) };
  } else {
    // every (step, element) of the list, in order, through the shared stepper
    const stepper = makeSource(s, seed, dt, steps);
    const ks: number[] = [];
    const es: number[] = [];
    const out = new Int32Array(s.size);
    const firstStep = new Set<number>();
    if (s.k === "spike_times" || s.k === "csv_spikes") {
      for (const t of s.times) {
        const k = Math.floor(t / dt + 0.5);
        if (k >= 0 && k < steps) firstStep.add(k);
      }
    } else for (let k = 0; k < steps; k++) firstStep.add(k); // periodic, timed Poisson rate: every step asked
    for (const k of [...firstStep].sort((a, b) => a - b)) {
      const m = stepper.step(k, out);
      for (let x = 0; x < m; x++) {
        ks.push(k);
        es.push(out[x]!);
      }
    }
    const stepsAddr = A.take(ks.length * 4 + 4);
    const elemsAddr = A.take(es.length * 4 + 4);
    writes.push({ addr: stepsAddr, kind: "i32", data: ks }, { addr: elemsAddr, kind: "i32", data: es });
    pl.list = { steps: stepsAddr, elems: elemsAddr, count: ks.length, cursor: slot(4) };
  }
  return pl;
}
