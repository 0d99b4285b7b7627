// Connectivity of one projection from its rule, as CSR. In: an IRProjection, population sizes, seed;
// out: synapses ordered by pre element (ascending) then post element (ascending), with a post-indexed view.
// All element indices are population indices (a slice a[10:20] contributes elements 10..19).

import type { IRProjection } from "../../compiler/ir/nodes.js";
import { TargetError } from "../target.js";
import { drawsView, fillDraws, MAX_VIEW, rowBatches, rowHelpersInUse } from "./draws.js";
import { streams, uniform01 } from "./rng.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

/** Draw index stride per element: element e's m-th draw uses index e * 2^21 + m. */
export const ROW_STRIDE = 2 ** 21;

export interface Csr {
  /** Number of synapses; synapse s is the s-th in construction (CSR) order. */
  readonly n: number;
  readonly pre: Int32Array; // pre element of synapse s
  readonly post: Int32Array; // post element of synapse s
  /** Synapses of pre element p are rowStart[p] .. rowStart[p+1]-1 (length = pre population size + 1). */
  readonly rowStart: Int32Array;
  /** Incoming synapses of post element q are postSyn[postStart[q] .. postStart[q+1]-1], ascending. */
  readonly postStart: Int32Array;
  readonly postSyn: Int32Array;
  /** from_list only: the list row (position in rule.pre/post) of synapse s, for per-row weights and delays. */
  readonly listRow?: Int32Array;
}

/** Growable (pre, post) pair lists in typed arrays (no number[] boxing for millions of synapses). */
class Pairs {
  n = 0;
  /** Row pointers when the rule produced them directly (else toCsr counts them). */
  rowStart: Int32Array | null = null;
  pre: Int32Array;
  post: Int32Array;
  constructor(capacity: number) {
    const c = math.max(16, math.min(math.ceil(capacity), 1 << 30));
    this.pre = new Int32Array(c);
    this.post = new Int32Array(c);
  }
  push(i: number, j: number): void {
    if (this.n === this.pre.length) this.grow();
    this.pre[this.n] = i;
    this.post[this.n++] = j;
  }
  grow(): void {
    const c = this.pre.length * 2;
    const pre = new Int32Array(c);
    const post = new Int32Array(c);
    pre.set(this.pre);
    post.set(this.post);
    this.pre = pre;
    this.post = post;
  }
}

/**
 * Builds the synapses of `proj`. `prePopSize`/`postPopSize` are the sizes of the whole populations.
 * Self-connections (pre and post are the same population and the same element) are dropped for
 * all_to_all, fixed_probability, fixed_indegree and fixed_outdegree unless `allowSelf`; one_to_one
 * and from_list keep what they name.
 */
export function buildConnectivity(proj: IRProjection, prePopSize: number, postPopSize: number, seed: number): Csr {
  // from_list names its synapses: nothing is drawn, and its lists would make long keys; with row helpers (the
  // threaded wasm target's worker threads) the draw is shared out as before, and not kept
  if (proj.rule.k === "from_list" || rowHelpersInUse()) return drawConnectivity(proj, prePopSize, postPopSize, seed);
  const { pre, post } = proj;
  const key = JSON.stringify([
    proj.name,
    [pre.population, pre.start, pre.end],
    [post.population, post.start, post.end],
    proj.allowSelf,
    canonical(proj.rule),
    prePopSize,
    postPopSize,
    seed,
  ]);
  const hit = drawn.get(key);
  if (hit) return hit;
  const csr = drawConnectivity(proj, prePopSize, postPopSize, seed);
  remember(key, csr);
  return csr;
}

/** The networks drawn last, by every input of the draw (the projection's name, which names its stream, its slices,
 *  allow_self and rule, the population sizes and the seed): one compile's quantizer, profiling run, descriptor and
 *  emulator draw the same projections, so each is drawn once. Callers only read a Csr. At most CACHED_SYNAPSES
 *  synapses are kept (the oldest go first; a larger projection is not kept), so large networks keep no copy. */
const drawn = new Map<string, Csr>();
let drawnSynapses = 0;
export const CACHED_SYNAPSES = 4_000_000;

/** `v` with every object's keys in sorted order (an IR read back from JSON lists them in another order). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  return Object.keys(o)
    .sort()
    .map((k) => [k, canonical(o[k])]);
}

function remember(key: string, csr: Csr): void {
  if (csr.n > CACHED_SYNAPSES) return;
  for (const [k, c] of drawn) {
    if (drawnSynapses + csr.n <= CACHED_SYNAPSES) break;
    drawn.delete(k);
    drawnSynapses -= c.n;
  }
  drawn.set(key, csr);
  drawnSynapses += csr.n;
}

function drawConnectivity(proj: IRProjection, prePopSize: number, postPopSize: number, seed: number): Csr {
  const { pre, post, rule } = proj;
  const same = pre.population === post.population;
  const noSelf = same && !proj.allowSelf;
  const stream = streams.conn(proj.name);
  const nPre = pre.end - pre.start;
  const nPost = post.end - post.start;
  let out: Pairs;
  switch (rule.k) {
    case "all_to_all":
      out = new Pairs(nPre * nPost);
      for (let i = pre.start; i < pre.end; i++)
        for (let j = post.start; j < post.end; j++) if (!(noSelf && i === j)) out.push(i, j);
      break;
    case "one_to_one":
      if (nPre !== nPost) throw new TargetError(`one_to_one needs equal sizes (${nPre} vs ${nPost}) in ${proj.name}`);
      out = new Pairs(nPre);
      for (let r = 0; r < nPre; r++) out.push(pre.start + r, post.start + r);
      break;
    case "fixed_probability":
      if (nPost >= ROW_STRIDE) throw new TargetError(`fixed_probability: post population of ${proj.name} too large`);
      out = fixedProbability(rule.p, pre.start, pre.end, post.start, nPost, noSelf, seed, stream, prePopSize);
      break;
    case "fixed_outdegree":
      out = new Pairs(nPre * rule.n);
      for (let i = pre.start; i < pre.end; i++) {
        const chosen = choose(rule.n, post.start, nPost, noSelf ? i : -1, seed, stream, i, proj.name);
        chosen.sort((a, b) => a - b);
        for (const j of chosen) out.push(i, j);
      }
      break;
    case "fixed_indegree": {
      // rows by pre ascending; within a row, post ascending (posts are visited in ascending order):
      // a counting sort of the chosen pres, post by post
      const byPost: number[][] = [];
      const count = new Int32Array(prePopSize + 1);
      for (let j = post.start; j < post.end; j++) {
        const pres = choose(rule.n, pre.start, nPre, noSelf ? j : -1, seed, stream, j, proj.name);
        for (const i of pres) count[i + 1]!++;
        byPost.push(pres);
      }
      for (let i = 0; i < prePopSize; i++) count[i + 1]! += count[i]!;
      const total = count[prePopSize]!;
      out = new Pairs(total);
      byPost.forEach((pres, r) => {
        for (const i of pres) {
          const at = count[i]!++;
          out.pre[at] = i;
          out.post[at] = post.start + r;
        }
      });
      out.n = total;
      break;
    }
    case "fixed_total_number":
      out = fixedTotalNumber(rule.n, pre.start, nPre, post.start, nPost, noSelf, seed, stream, prePopSize, proj.name);
      break;
    case "from_list": {
      if (rule.pre.length !== rule.post.length)
        throw new TargetError(`from_list of ${proj.name}: pre and post lists differ in length`);
      const order = rule.pre.map((_, k) => k);
      for (let k = 0; k < rule.pre.length; k++) {
        const i = rule.pre[k]!,
          j = rule.post[k]!;
        if (
          !(i >= pre.start && i < pre.end && j >= post.start && j < post.end) ||
          !Number.isInteger(i) ||
          !Number.isInteger(j)
        )
          throw new TargetError(`from_list of ${proj.name}: pair (${i}, ${j}) is outside the connected populations`);
      }
      order.sort((a, b) => rule.pre[a]! - rule.pre[b]! || rule.post[a]! - rule.post[b]! || a - b);
      out = new Pairs(order.length);
      for (const k of order) out.push(rule.pre[k]!, rule.post[k]!);
      return toCsr(out, prePopSize, postPopSize, Int32Array.from(order));
    }
  }
  return toCsr(out, prePopSize, postPopSize);
}

/**
 * fixed_probability(p): row i (pre element, ascending) visits positions j = postStart + x,
 * x = -1 + sum of (1 + gap_m) with gap_m = floor(ln(1 - u_m) / ln(1 - p)),
 * u_m = uniform01(seed, conn:PROJ, i * 2^21 + m), m = 0, 1, ... until x >= nPost.
 * p <= 0: no synapse; p >= 1: every position. The u_m of a row come in batches (drawsView) of about
 * the expected count plus a margin; a row that needs more takes the next batch at the next index.
 */
function fixedProbability(
  p: number,
  preStart: number,
  preEnd: number,
  postStart: number,
  nPost: number,
  noSelf: boolean,
  seed: number,
  stream: number,
  prePopSize: number,
): Pairs {
  const nPre = preEnd - preStart;
  if (p <= 0) return new Pairs(0);
  if (p >= 1) {
    const out = new Pairs(nPre * nPost);
    for (let i = preStart; i < preEnd; i++)
      for (let x = 0; x < nPost; x++) if (!(noSelf && i === postStart + x)) out.push(i, postStart + x);
    return out;
  }
  // below 2^-53, 1 - p rounds to 1 and log(1 - p) to 0, which made every gap -Infinity (an endless row written
  // out of bounds): -p is log(1 - p) to double precision there, and its gaps end the row
  const lq = math.log(1 - p) || -p;
  const expected = nPost * p + 1; // draws per row on average
  const batch = math.min(MAX_VIEW, 4 * math.ceil((expected + 2 * math.sqrt(expected) + 4) / 4));
  const total = nPre * nPost * p; // expected synapses: their count has standard deviation below sqrt(total)
  const out = new Pairs(total + 4 * math.sqrt(total) + 64);
  const rowStart = new Int32Array(prePopSize + 1);
  let post = out.post;
  let n = 0;
  // the runtime computes the rows, a batch at a time (same draws, same f64 operations); j = postStart + x
  const inRuntime = rowBatches(seed, stream, preStart, nPre, ROW_STRIDE, nPost, lq, (xs, counts, row) => {
    while (n + xs.length > post.length) {
      out.n = n;
      out.grow();
      post = out.post;
    }
    const pre = out.pre;
    const selfFree = !noSelf || preEnd <= postStart || preStart >= postStart + nPost;
    if (postStart === 0 && selfFree) {
      post.set(xs, n);
      for (let r = 0; r < counts.length; r++) {
        const end = n + counts[r]!;
        for (let s = n; s < end; s++) pre[s] = row + r;
        n = end;
        rowStart[row + r + 1] = n;
      }
      return;
    }
    let at = 0;
    for (let r = 0; r < counts.length; r++) {
      const i = row + r;
      const self = noSelf ? i - postStart : -1;
      const rowBegin = n;
      for (const end = at + counts[r]!; at < end; at++) if (xs[at] !== self) post[n++] = postStart + xs[at]!;
      for (let s = rowBegin; s < n; s++) pre[s] = i;
      rowStart[i + 1] = n;
    }
  });
  for (let i = inRuntime ? preEnd : preStart; i < preEnd; i++) {
    const rowBegin = n;
    const base = i * ROW_STRIDE;
    let u = drawsView("uniform01", seed, stream, base, batch);
    let k = 0;
    let m = 0;
    let x = -1;
    for (;;) {
      if (k === batch) {
        u = drawsView("uniform01", seed, stream, base + m, batch);
        k = 0;
      }
      x += 1 + math.floor(math.log(1 - u[k++]!) / lq);
      m++;
      if (x >= nPost) break;
      const j = postStart + x;
      if (noSelf && i === j) continue;
      if (n === post.length) {
        out.n = n;
        out.grow();
        post = out.post;
      }
      post[n++] = j;
    }
    out.pre.fill(i, rowBegin, n);
    rowStart[i + 1] = n;
  }
  rowStart.fill(n, preEnd + 1);
  out.n = n;
  out.rowStart = rowStart;
  return out;
}

/**
 * fixed_total_number(n), as NEST's rule of that name (multapses allowed): synapse m (m = 0 .. n-1) connects
 * pre element preStart + floor(u_2m * nPre) to post element postStart + floor(u_2m+1 * nPost), with
 * u_x = uniform01(seed, conn:PROJ, x). When self-connections are excluded and the pair is one, it is drawn
 * again from indices a * 2^32 + 2m and a * 2^32 + 2m + 1, a = 1, 2, ... Then the pairs are ordered as every
 * rule's (pre ascending, post ascending; equal pairs in draw order): a counting sort by pre, each row sorted.
 * When every pre and post index is below 2^16, one pass over the draws counts each row and keeps the pairs in
 * draw order packed in 32 bits, from which each post goes to its row's place (8 bytes a synapse while both are
 * held); else two passes over the same draws (batches of MAX_VIEW), the first counting each row, the second
 * putting each post in its row's place (4 bytes a synapse). Only the posts in row order are kept (the pres follow
 * from the row starts); each row is then sorted (sortRows).
 */
function fixedTotalNumber(
  n: number,
  preStart: number,
  nPre: number,
  postStart: number,
  nPost: number,
  noSelf: boolean,
  seed: number,
  stream: number,
  prePopSize: number,
  proj: string,
): Pairs {
  if (n > 0 && (nPre === 0 || nPost === 0))
    throw new TargetError(`fixed_total_number of ${proj}: ${n} synapses between empty populations`);
  if (noSelf && nPre === 1 && nPost === 1 && preStart === postStart)
    throw new TargetError(`fixed_total_number of ${proj}: the only pair is a self-connection`);
  const rowStart = new Int32Array(prePopSize + 1);
  const packed = preStart + nPre <= 0x10000 && postStart + nPost <= 0x10000;
  // pass 1: row counts (at rowStart[pre + 1]), and the pairs when they pack
  const pairs = packed ? new Uint32Array(n) : null;
  let m = 0;
  totalNumberPairs(n, preStart, nPre, postStart, nPost, noSelf, seed, stream, proj, (i, j) => {
    rowStart[i + 1]!++;
    if (pairs) pairs[m++] = (i << 16) | j;
  });
  for (let p = 0; p < prePopSize; p++) rowStart[p + 1]! += rowStart[p]!;
  // pass 2: each post at its row's next place (draw order within a row), then each row sorted
  const post = new Int32Array(n);
  const fill = rowStart.slice(0, prePopSize);
  if (pairs) placePairs(pairs, fill, post);
  else
    totalNumberPairs(n, preStart, nPre, postStart, nPost, noSelf, seed, stream, proj, (i, j) => {
      post[fill[i]!++] = j;
    });
  sortRows(post, rowStart, prePopSize, postStart + nPost);
  const out = new Pairs(0);
  out.pre = new Int32Array(0); // not held: toCsr's Csr derives each synapse's pre from rowStart
  out.post = post;
  out.n = n;
  out.rowStart = rowStart;
  return out;
}

/** post[fill[pre]++] = post for each pair (pre << 16 | post) in order. */
function placePairs(pairs: Uint32Array, fill: Int32Array, post: Int32Array): void {
  const n = pairs.length;
  for (let m = 0; m < n; m++) {
    const v = pairs[m]!;
    post[fill[v >>> 16]!++] = v & 0xffff;
  }
}

/** Rows this long or shorter are sorted by insertion (sortRows), longer ones by radix. */
const SHORT_ROW = 24;

/**
 * Sorts each row post[rowStart[p] .. rowStart[p+1]-1] (p < rows) ascending, posts below `postEnd`: an LSD radix
 * sort by bytes (two passes when posts need two bytes) through a scratch array, insertion for short rows, the
 * engine's sort when posts need more than 16 bits. The same result as sorting each row any other way (integers),
 * about 3x faster than TypedArray sort on rows of hundreds to thousands of posts.
 */
function sortRows(post: Int32Array, rowStart: Int32Array, rows: number, postEnd: number): void {
  if (postEnd > 0x10000) {
    for (let p = 0; p < rows; p++)
      if (rowStart[p + 1]! - rowStart[p]! > 1) post.subarray(rowStart[p], rowStart[p + 1]).sort();
    return;
  }
  const wide = postEnd > 0x100;
  const lowAt = new Int32Array(256);
  const highAt = new Int32Array(256);
  let tmp = new Int32Array(1024);
  for (let p = 0; p < rows; p++) {
    const a = rowStart[p]!,
      b = rowStart[p + 1]!,
      len = b - a;
    if (len <= SHORT_ROW) {
      for (let s = a + 1; s < b; s++) {
        const v = post[s]!;
        let t = s - 1;
        for (; t >= a && post[t]! > v; t--) post[t + 1] = post[t]!;
        post[t + 1] = v;
      }
      continue;
    }
    if (tmp.length < len) tmp = new Int32Array(math.max(len, 2 * tmp.length));
    lowAt.fill(0);
    highAt.fill(0);
    for (let s = a; s < b; s++) {
      const v = post[s]!;
      lowAt[v & 255]!++;
      highAt[v >>> 8]!++;
    }
    for (let k = 0, lo = 0, hi = 0; k < 256; k++) {
      const cl = lowAt[k]!,
        ch = highAt[k]!;
      lowAt[k] = lo;
      highAt[k] = hi;
      lo += cl;
      hi += ch;
    }
    for (let s = a; s < b; s++) {
      const v = post[s]!;
      tmp[lowAt[v & 255]!++] = v;
    }
    if (wide)
      for (let s = 0; s < len; s++) {
        const v = tmp[s]!;
        post[a + highAt[v >>> 8]!++] = v;
      }
    else post.set(tmp.subarray(0, len), a);
  }
}

/** Pairs per batch of draws of a large fixed_total_number projection (2 uniform01 draws each). */
const PAIR_BATCH = 1 << 19;
let pairBuffer = new Float64Array(0);
/** A reused array of n f64 (the batch of draws; one projection is drawn at a time). */
function pairDraws(n: number): Float64Array {
  if (pairBuffer.length < n) pairBuffer = new Float64Array(n);
  return pairBuffer;
}

/** The pairs (pre, post) of fixedTotalNumber's rule in draw order (m = 0 .. n-1), each handed to `take`. */
function totalNumberPairs(
  n: number,
  preStart: number,
  nPre: number,
  postStart: number,
  nPost: number,
  noSelf: boolean,
  seed: number,
  stream: number,
  proj: string,
  take: (pre: number, post: number) => void,
): void {
  // batches of PAIR_BATCH pairs (fillDraws shares a batch with helper threads when there are any)
  const half = n > MAX_VIEW ? PAIR_BATCH : MAX_VIEW >> 1;
  const batch = n > MAX_VIEW ? pairDraws(2 * half) : null;
  for (let m0 = 0; m0 < n; m0 += half) {
    const count = math.min(half, n - m0);
    const u = batch ?? drawsView("uniform01", seed, stream, 2 * m0, 2 * count);
    if (batch) fillDraws("uniform01", seed, stream, 2 * m0, batch, 2 * count);
    for (let k = 0; k < count; k++) {
      let i = preStart + math.floor(u[2 * k]! * nPre);
      let j = postStart + math.floor(u[2 * k + 1]! * nPost);
      if (noSelf && i === j) {
        const m = m0 + k;
        for (let a = 1; i === j; a++) {
          if (a >= 2 ** 20) throw new TargetError(`fixed_total_number of ${proj}: no pair after ${a} draws`);
          i = preStart + math.floor(uniform01(seed, stream, a * 2 ** 32 + 2 * m) * nPre);
          j = postStart + math.floor(uniform01(seed, stream, a * 2 ** 32 + 2 * m + 1) * nPost);
        }
      }
      take(i, j);
    }
  }
}

/**
 * `n` distinct elements out of the candidate list L (L = start, start+1, ..., start+count-1 in
 * ascending order, with `exclude` removed when it is in range), by a partial Fisher–Yates shuffle:
 * for m = 0 .. n-1: r = m + floor(u_m * (|L| - m)), swap L[m] and L[r]; result L[0 .. n-1] (in that
 * order). u_m = uniform01(seed, stream, element * 2^21 + m).
 */
export function choose(
  n: number,
  start: number,
  count: number,
  exclude: number,
  seed: number,
  stream: number,
  element: number,
  proj: string,
): number[] {
  const skip = exclude >= start && exclude < start + count;
  const len = count - (skip ? 1 : 0);
  if (!Number.isInteger(n) || n < 0 || n > len)
    throw new TargetError(`${proj}: cannot choose ${n} distinct partners out of ${len}`);
  const base = (pos: number): number => start + pos + (skip && start + pos >= exclude ? 1 : 0);
  const swapped = new Map<number, number>();
  const at = (pos: number): number => swapped.get(pos) ?? base(pos);
  const out: number[] = [];
  const first = element * ROW_STRIDE;
  let u: Float64Array = new Float64Array(0);
  for (let m = 0; m < n; m++) {
    const k = m % MAX_VIEW;
    if (k === 0) u = drawsView("uniform01", seed, stream, first + m, math.min(MAX_VIEW, n - m));
    const r = m + math.floor(u[k]! * (len - m));
    const vm = at(m),
      vr = at(r);
    swapped.set(m, vr);
    swapped.set(r, vm);
    out.push(vr);
  }
  return out;
}

/**
 * Pairs already in (pre, post) order -> CSR. The post-indexed view (postStart, postSyn) is built on first
 * read: most runs never read it (the wasm target only for post-driven rules), and it is a scatter over
 * every synapse. A rule that gave row starts and no pres (fixed_total_number) has each synapse's pre
 * derived from the row starts on first read as well (the wasm target reads it only for post-driven and
 * continuous synapses).
 */
function toCsr(pairs: Pairs, prePopSize: number, postPopSize: number, listRow?: Int32Array): Csr {
  const n = pairs.n;
  // a spare tail of a quarter or less stays (no copy); more is trimmed
  const trim = (a: Int32Array): Int32Array =>
    a.length === n ? a : a.length - n <= n >> 2 ? a.subarray(0, n) : a.slice(0, n);
  const post = trim(pairs.post);
  let rowStart = pairs.rowStart;
  const derived = rowStart !== null && pairs.pre.length < n;
  const pre = derived ? null : trim(pairs.pre);
  if (rowStart === null) {
    rowStart = new Int32Array(prePopSize + 1);
    for (let s = 0; s < n; s++) rowStart[pre![s]! + 1]!++;
    for (let p = 0; p < prePopSize; p++) rowStart[p + 1]! += rowStart[p]!;
  }
  return new LazyPostCsr(n, pre, post, rowStart, postPopSize, listRow);
}

class LazyPostCsr implements Csr {
  private view: { postStart: Int32Array; postSyn: Int32Array } | null = null;
  constructor(
    readonly n: number,
    private preOf: Int32Array | null,
    readonly post: Int32Array,
    readonly rowStart: Int32Array,
    private readonly postPopSize: number,
    readonly listRow?: Int32Array,
  ) {}
  get pre(): Int32Array {
    return (this.preOf ??= preFromRows(this.rowStart, this.n));
  }
  get postStart(): Int32Array {
    return (this.view ??= postView(this.post, this.n, this.postPopSize)).postStart;
  }
  get postSyn(): Int32Array {
    return (this.view ??= postView(this.post, this.n, this.postPopSize)).postSyn;
  }
}

/** The pre element of each synapse from the row starts. */
function preFromRows(rowStart: Int32Array, n: number): Int32Array {
  const pre = new Int32Array(n);
  for (let p = 0; p + 1 < rowStart.length; p++) pre.fill(p, rowStart[p]!, rowStart[p + 1]!);
  return pre;
}

/** Incoming synapses by post element: postStart (counts, prefix-summed) and postSyn (ascending per post). */
function postView(post: Int32Array, n: number, postPopSize: number): { postStart: Int32Array; postSyn: Int32Array } {
  const postStart = new Int32Array(postPopSize + 1);
  for (let s = 0; s < n; s++) postStart[post[s]! + 1]!++;
  for (let q = 0; q < postPopSize; q++) postStart[q + 1]! += postStart[q]!;
  const fill = postStart.slice(0, postPopSize);
  const postSyn = new Int32Array(n);
  for (let s = 0; s < n; s++) postSyn[fill[post[s]!]!++] = s;
  return { postStart, postSyn };
}
