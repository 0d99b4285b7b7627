// Batched draws for network construction: the uniform01 / normal values of n consecutive indices of one
// (seed, stream). In: seed, stream, first index, a Float64Array; out: the array filled, bit-identical to
// rng.ts's uniform01/normal per index (the runtime's SIMD Philox when it is built, else the JS generator);
// large fills shared with helper threads when there are any (parts of the same runtime code, FillJob), or drawn
// ahead on one (prefetchDraws / takeDraws) while this thread does other work.
// The runtime is read from disk under Node; other hosts (a browser page) hand its bytes to provideDrawRuntime.

import { loadRuntime, type Runtime } from "../../runtime/host/load.js";
import { readRuntimeBytesIfNode } from "../../runtime/host/runtime-file.js";
import { normal, uniform01 } from "./rng.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;
const TWO32 = 4294967296;
/** Draws per runtime call (scratch of CHUNK f64 in the runtime's own memory). */
const CHUNK = 1 << 16;

interface Filler {
  rt: Runtime;
  scratch: number;
  /** CHUNK f64 at scratch (re-created when the memory grows) */
  view: Float64Array;
}

let filler: Filler | null | undefined;
let allowRuntime = true;
let provided: Uint8Array | null = null;

/** The runtime's bytes for hosts where it cannot be read from disk (before the first construction). */
export function provideDrawRuntime(bytes: Uint8Array): void {
  if (filler === null || filler === undefined) {
    provided = bytes;
    filler = undefined;
  }
}

/** Tests: false forces the JS generator (the two must agree bit for bit), true restores the default. */
export function useRuntimeDraws(on: boolean): void {
  allowRuntime = on;
}

/** The runtime instance used for fills (own memory, loaded once), or null when it is not built. */
function runtimeFiller(): Filler | null {
  if (!allowRuntime) return null;
  if (filler !== undefined) return filler;
  filler = null;
  const bytes = provided ?? readRuntimeBytesIfNode();
  if (bytes === null) return null;
  const loaded = loadRuntime(bytes, new WebAssembly.Memory({ initial: 1 }));
  if (!loaded.ok) return null;
  const rt = loaded.runtime;
  const scratch = (rt.exports.heapBase() + 15) & ~15;
  const pages = math.ceil((scratch + CHUNK * 8) / 65536);
  const have = rt.memory.buffer.byteLength / 65536;
  if (pages > have) rt.memory.grow(pages - have);
  filler = { rt, scratch, view: new Float64Array(rt.memory.buffer, scratch, CHUNK) };
  return filler;
}

export type DrawKind = "uniform01" | "normal";

/**
 * out[k] = uniform01(seed, stream, first + k) (or normal(...)) for k = 0 .. n-1; `first + n` <= 2^53.
 * n defaults to out.length.
 */
export function fillDraws(
  kind: DrawKind,
  seed: number,
  stream: number,
  first: number,
  out: Float64Array,
  n = out.length,
): void {
  const f = runtimeFiller();
  if (f === null) {
    const one = kind === "uniform01" ? uniform01 : normal;
    for (let k = 0; k < n; k++) out[k] = one(seed, stream, first + k);
    return;
  }
  if (n >= PARALLEL_FILL && idle().some((h) => h.fill)) sharedFill(f, kind, seed, stream, first, out, n);
  else localFill(f, kind, seed, stream, first, out, 0, n);
}

/** out[at + k] = the draw of index first + k, k < n, by this thread's runtime (CHUNK draws a call). */
function localFill(
  f: Filler,
  kind: DrawKind,
  seed: number,
  stream: number,
  first: number,
  out: Float64Array,
  at: number,
  n: number,
): void {
  const fill = kind === "uniform01" ? f.rt.exports.fillUniform01 : f.rt.exports.fillNormal;
  for (let done = 0; done < n; done += CHUNK) {
    const m = math.min(CHUNK, n - done);
    const index = first + done;
    fill(f.scratch, m, seed >>> 0, stream >>> 0, index % TWO32, math.floor(index / TWO32));
    out.set(m === CHUNK ? f.view : f.view.subarray(0, m), at + done);
  }
}

/** Fills of at least this many draws are shared with the helpers. */
const PARALLEL_FILL = 1 << 18;
/** Draws per part (this thread's and each helper's) of a shared fill; helpers write theirs into a buffer of
 *  this many f64 each, which this thread copies into place. */
const FILL_PART = 1 << 21;
let fillBuffers: SharedArrayBuffer[] = [];

/** fillDraws' runtime branch with the helpers: parts of consecutive indices, this thread's first, each
 *  helper's next (the same runtime functions: the same values), until all n are drawn. */
function sharedFill(
  f: Filler,
  kind: DrawKind,
  seed: number,
  stream: number,
  first: number,
  out: Float64Array,
  n: number,
): void {
  const hs = idle().filter((h) => h.fill);
  const part = math.min(FILL_PART, math.ceil(n / (hs.length + 1)));
  if (fillBuffers.length < hs.length || fillBuffers[0]!.byteLength < part * 8)
    fillBuffers = hs.map(() => new SharedArrayBuffer(part * 8));
  for (let done = 0; done < n;) {
    const mine = math.min(part, n - done);
    let at = done + mine;
    const theirs: { wait: () => void; at: number; m: number; buf: SharedArrayBuffer }[] = [];
    for (let i = 0; i < hs.length && at < n; i++) {
      const m = math.min(part, n - at);
      const buf = fillBuffers[i]!;
      theirs.push({
        wait: hs[i]!.fill!({ draw: kind, seed: seed >>> 0, stream: stream >>> 0, first: first + at, n: m, out: buf }),
        at,
        m,
        buf,
      });
      at += m;
    }
    localFill(f, kind, seed, stream, first + done, out, done, mine);
    for (const t of theirs) {
      t.wait();
      out.set(new Float64Array(t.buf, 0, t.m), t.at);
    }
    done = at;
  }
}

/** Most draws drawsView() returns at once. */
export const MAX_VIEW = CHUNK;
let jsScratch = new Float64Array(0);

/**
 * The n (<= MAX_VIEW) draws of indices first .. first+n-1 as a view that stays valid only until the next
 * drawsView/fillDraws call (no copy: for hot loops that consume a short batch at a time).
 */
export function drawsView(kind: DrawKind, seed: number, stream: number, first: number, n: number): Float64Array {
  if (n > CHUNK) throw new RangeError(`drawsView: ${n} draws at once (at most ${CHUNK})`);
  const f = runtimeFiller();
  if (f === null) {
    if (jsScratch.length < n) jsScratch = new Float64Array(math.max(n, 64));
    fillDraws(kind, seed, stream, first, jsScratch, n);
    return jsScratch;
  }
  const fill = kind === "uniform01" ? f.rt.exports.fillUniform01 : f.rt.exports.fillNormal;
  fill(f.scratch, n, seed >>> 0, stream >>> 0, first % TWO32, math.floor(first / TWO32));
  return f.view;
}

let rowScratch = { ptr: 0, bytes: 0 };

type GeometricRows = (
  outPtr: number,
  capacity: number,
  countsPtr: number,
  nRows: number,
  nPost: number,
  seed: number,
  stream: number,
  firstRow: number,
  rowStride: number,
  lq: number,
) => number;
/** Positions and row counts per geometricRows call (the runtime's memory grows to hold them). */
const BATCH_POSITIONS = 1 << 18;
const BATCH_ROWS = 1 << 14;

/**
 * Rows of one fixed_probability projection shared with helpers (other threads): chunks of `chunkRows` rows,
 * claimed through the word `claim` (front chunk index in the low 16 bits, one past the back in the high
 * 16): this thread takes chunks from the front, helpers from the back, so the work balances itself
 * (a helper still starting claims nothing) and this thread's chunks form a prefix it consumes at once.
 */
export interface RowJob {
  seed: number;
  stream: number;
  firstRow: number;
  nRows: number;
  rowStride: number;
  nPost: number;
  lq: number;
  chunkRows: number;
  claim: Int32Array;
}

/** A helper's chunks: chunk `index` holds rows firstRow + index * chunkRows ... */
export interface RowChunk {
  index: number;
  xs: Int32Array;
  counts: Int32Array;
}

/** n draws of indices first .. first+n-1 written as f64 at the start of `out` (fillDraws' values). */
export interface FillJob {
  draw: DrawKind;
  seed: number;
  stream: number;
  first: number;
  n: number;
  out: SharedArrayBuffer;
}

/** A FillJob whose `out` is an ArrayBuffer of at least 8n bytes handed over to the helper (transferred: no copy,
 *  and no reference to it stays behind) and handed back filled. */
export interface FillIntoJob extends Omit<FillJob, "out"> {
  out: ArrayBuffer;
}

/** Something that builds chunks of a RowJob elsewhere: `start` returns the wait for the chunks it took; `fill`
 *  (when it can) draws a FillJob and returns the wait for it; `fillInto` draws a FillIntoJob and returns the wait
 *  for its buffer and whether that wait would return at once (the job is done). */
export interface RowHelper {
  start(job: RowJob): () => RowChunk[];
  fill?: (job: FillJob) => () => void;
  fillInto?: (job: FillIntoJob) => { wait: () => ArrayBuffer; done: () => boolean };
}

let helpers: readonly RowHelper[] = [];
/** Draws helpers are computing ahead of their use (prefetchDraws), in the order they were started, until
 *  takeDraws or dropDraws; `drawn` once the helper handed them back (a helper replies in that order). */
interface Ahead {
  helper: RowHelper;
  key: string;
  wait: () => ArrayBuffer;
  done: () => boolean;
  drawn: ArrayBuffer | null;
}
let ahead: Ahead[] = [];

/** Takes the buffers of the draws ahead that are done (`all`: waits for every one), in the order started. */
function settle(all: boolean): void {
  for (const a of ahead) {
    if (a.drawn !== null) continue;
    if (!all && !a.done()) return;
    a.drawn = a.wait();
  }
}

/** The helpers free for shared work (not drawing ahead; one that has finished its draws ahead is free again). */
function idle(): readonly RowHelper[] {
  if (ahead.length === 0) return helpers;
  settle(false);
  return helpers.filter((h) => !ahead.some((a) => a.helper === h && a.drawn === null));
}

const aheadKey = (kind: DrawKind, seed: number, stream: number, first: number, n: number): string =>
  `${kind} ${seed >>> 0} ${stream >>> 0} ${first} ${n}`;

/**
 * Starts fillDraws' n draws of (kind, seed, stream) from index `first` on a helper, into a buffer of their own,
 * while this thread goes on with other work (the threaded wasm target draws a projection's weights and delays while
 * this thread draws its connectivity); takeDraws with the same arguments gets them. Nothing happens without a
 * helper with fillInto or below PARALLEL_FILL draws; nothing new when the same draws are started already. Meanwhile
 * that helper takes no shared work (fillDraws, rowBatches).
 */
export function prefetchDraws(kind: DrawKind, seed: number, stream: number, first: number, n: number): void {
  const key = aheadKey(kind, seed, stream, first, n);
  if (ahead.some((a) => a.key === key)) return; // started already
  const helper = helpers.find((h) => h.fillInto);
  if (!helper || n < PARALLEL_FILL || runtimeFiller() === null) return;
  const job: FillIntoJob = {
    draw: kind,
    seed: seed >>> 0,
    stream: stream >>> 0,
    first,
    n,
    out: new ArrayBuffer(8 * n),
  };
  const { wait, done } = helper.fillInto!(job);
  ahead.push({ helper, key, wait, done, drawn: null });
}

/** The draws prefetchDraws started with these arguments (waiting for them if need be), or null when there are
 *  none; the array then belongs to the caller. */
export function takeDraws(kind: DrawKind, seed: number, stream: number, first: number, n: number): Float64Array | null {
  const key = aheadKey(kind, seed, stream, first, n);
  const at = ahead.findIndex((a) => a.key === key);
  if (at < 0) return null;
  // replies come in the order the draws were started: the earlier ones first
  for (let k = 0; k <= at; k++) ahead[k]!.drawn ??= ahead[k]!.wait();
  const [a] = ahead.splice(at, 1);
  return new Float64Array(a!.drawn!, 0, n);
}

/** Waits for draws started ahead and not taken, and discards them (the helpers are free again). */
export function dropDraws(): void {
  settle(true);
  ahead = [];
}
const CHUNK_ROWS = 4096;

/**
 * Helpers that build part of every large projection's rows while this thread builds the rest (the
 * threaded wasm target passes its worker threads for the time of network construction; [] to stop).
 */
export function useRowHelpers(list: readonly RowHelper[]): void {
  dropDraws();
  helpers = list;
}

/** Whether helpers are building rows (the threaded wasm target's network construction). */
export function rowHelpersInUse(): boolean {
  return helpers.length > 0;
}

/** The next chunk from the front of a RowJob's claim word, or -1 when none is left. */
function claimFront(claim: Int32Array): number {
  for (;;) {
    const v = Atomics.load(claim, 0);
    const front = v & 0xffff,
      back = v >>> 16;
    if (front >= back) return -1;
    if (Atomics.compareExchange(claim, 0, v, (back << 16) | (front + 1)) === v) return front;
  }
}

/**
 * The rows firstRow .. firstRow+nRows-1 of a fixed_probability projection (row i draws from index
 * i * rowStride: x = -1 + sum of (1 + floor(ln(1 - u_m) / lq)), u_m = uniform01(seed, stream, i * rowStride + m),
 * every x < nPost kept) computed in the runtime a batch of rows per call: `take(xs, counts, row)`
 * gets the positions of rows row, row+1, ... one after another and each row's count, as views valid during
 * the call, in ascending row order. With helpers (useRowHelpers), they build chunks of the rows at the
 * same time (RowJob). False (and nothing taken) when the runtime or its geometricRows is absent.
 */
export function rowBatches(
  seed: number,
  stream: number,
  firstRow: number,
  nRows: number,
  rowStride: number,
  nPost: number,
  lq: number,
  take: (xs: Int32Array, counts: Int32Array, row: number) => void,
): boolean {
  const f = runtimeFiller();
  const rows = f?.rt.instance.exports["geometricRows"] as GeometricRows | undefined;
  if (!f || typeof rows !== "function") return false;
  const chunks = math.ceil(nRows / CHUNK_ROWS);
  const free = idle();
  if (free.length === 0 || chunks < 2 || chunks > 0xffff) {
    localRows(f, rows, seed, stream, firstRow, nRows, rowStride, nPost, lq, take);
    return true;
  }
  const claim = new Int32Array(new SharedArrayBuffer(4));
  claim[0] = chunks << 16;
  const job: RowJob = {
    seed: seed >>> 0,
    stream: stream >>> 0,
    firstRow,
    nRows,
    rowStride,
    nPost,
    lq,
    chunkRows: CHUNK_ROWS,
    claim,
  };
  const waits = free.map((h) => h.start(job));
  for (let c = claimFront(claim); c >= 0; c = claimFront(claim)) {
    const first = firstRow + c * CHUNK_ROWS;
    localRows(f, rows, seed, stream, first, math.min(CHUNK_ROWS, firstRow + nRows - first), rowStride, nPost, lq, take);
  }
  const theirs = waits.flatMap((wait) => wait()).sort((a, b) => a.index - b.index);
  for (const ch of theirs) take(ch.xs, ch.counts, firstRow + ch.index * CHUNK_ROWS);
  return true;
}

function localRows(
  f: Filler,
  rows: GeometricRows,
  seed: number,
  stream: number,
  firstRow: number,
  nRows: number,
  rowStride: number,
  nPost: number,
  lq: number,
  take: (xs: Int32Array, counts: Int32Array, row: number) => void,
): void {
  const capacity = math.max(nPost, BATCH_POSITIONS);
  const bytes = capacity * 4 + BATCH_ROWS * 4 + 16;
  if (rowScratch.bytes < bytes) {
    const ptr = f.scratch + CHUNK * 8;
    const pages = math.ceil((ptr + bytes) / 65536);
    const have = f.rt.memory.buffer.byteLength / 65536;
    if (pages > have) f.rt.memory.grow(pages - have);
    rowScratch = { ptr, bytes };
    f.view = new Float64Array(f.rt.memory.buffer, f.scratch, CHUNK);
  }
  const countsPtr = rowScratch.ptr + capacity * 4;
  for (let row = firstRow; row < firstRow + nRows;) {
    const want = math.min(BATCH_ROWS, firstRow + nRows - row);
    const got = rows(rowScratch.ptr, capacity, countsPtr, want, nPost, seed >>> 0, stream >>> 0, row, rowStride, lq);
    const counts = new Int32Array(f.rt.memory.buffer, countsPtr, got);
    let total = 0;
    for (let r = 0; r < got; r++) total += counts[r]!;
    take(new Int32Array(f.rt.memory.buffer, rowScratch.ptr, total), counts, row);
    row += got;
  }
}
