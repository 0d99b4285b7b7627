// Synapse storage order of a projection: the delay statistics, the order of synapses in memory (rows by pre
// element, each row split into one segment per delay), the per-thread bounds of each segment, and the
// permutation helpers between construction order and storage order. In: a projection's CSR row starts,
// delays, post indices and thread shard ranges; out: plain typed arrays that targets/wasm/layout.ts places.

/** Largest delay, and the delay every synapse shares (-1 when they differ; 0 without synapses). A function
 *  of its own so that the loop over millions of synapses is optimized, not run inside projectionLayout's body. */
export function delayStats(delays: Int32Array): { maxDelay: number; minDelay: number; uniform: number } {
  const n = delays.length;
  let maxDelay = 0;
  let minDelay = n > 0 ? delays[0]! : 0;
  let uniform = n > 0 ? delays[0]! : 0;
  for (let s = 0; s < n; s++) {
    const d = delays[s]!;
    if (d > maxDelay) maxDelay = d;
    if (d < minDelay) minDelay = d;
    if (d !== uniform) uniform = -1;
  }
  return { maxDelay, minDelay, uniform };
}

/**
 * Per thread t and segment g: [begin, end) of the synapses of g onto the thread's post elements, as i32
 * pairs at (t * nSeg + g) * 2. Posts ascend within a segment, so each bound is a binary search for the first
 * synapse whose post is at or above the thread's upper element. `post` in construction order, stored at x
 * as post[perm[x]] (perm null: as is).
 */
export function segmentBounds(
  segStarts: Int32Array,
  nSeg: number,
  post: Int32Array,
  ranges: { lo: number; hi: number }[],
  perm: Int32Array | null = null,
): Int32Array {
  const threads = ranges.length;
  const bounds = new Int32Array(threads * nSeg * 2);
  for (let g = 0; g < nSeg; g++) {
    let s = segStarts[g]!;
    const end = segStarts[g + 1]!;
    for (let t = 0; t < threads; t++) {
      const b = s;
      const hi = ranges[t]!.hi;
      let top = end;
      while (s < top) {
        const mid = (s + top) >>> 1;
        if (post[perm === null ? mid : perm[mid]!]! < hi) s = mid + 1;
        else top = mid;
      }
      bounds[(t * nSeg + g) * 2] = b;
      bounds[(t * nSeg + g) * 2 + 1] = s;
    }
  }
  return bounds;
}

/**
 * Storage order of a projection's synapses: rows by pre element; within a row, synapses grouped by delay
 * (ascending, stable), one segment per (row, delay). Uniform delay (`uniform` >= 0): construction order
 * (perm null), one segment per row. perm[x] = construction number of the synapse stored at x.
 */
export function storageOrder(
  rowStart: Int32Array,
  delays: Int32Array,
  rows: number,
  uniform: number,
): {
  perm: Int32Array | null;
  segStarts: Int32Array;
  segDelays: Int32Array;
  segRows: Int32Array;
  nSeg: number;
} {
  const n = rowStart[rows]!;
  if (uniform >= 0) {
    const segRows = new Int32Array(rows);
    for (let r = 0; r < rows; r++) segRows[r] = r;
    return {
      perm: null,
      segStarts: rowStart,
      segDelays: new Int32Array(rows).fill(uniform),
      segRows,
      nSeg: rows,
    };
  }
  const perm = new Int32Array(n);
  const segStarts = new Int32Array(n + 1); // a segment holds at least one synapse: at most n of them
  const segDelays = new Int32Array(n);
  const segRows = new Int32Array(n);
  let nSeg = 0;
  let at = 0;
  // a stable counting sort of each row by delay (delays ascending, construction order within a delay)
  let maxD = 0;
  for (let s = 0; s < n; s++) if (delays[s]! > maxD) maxD = delays[s]!;
  const count = new Int32Array(maxD + 2);
  for (let row = 0; row < rows; row++) {
    const s0 = rowStart[row]!,
      s1 = rowStart[row + 1]!;
    let lo = maxD,
      hi = 0;
    for (let s = s0; s < s1; s++) {
      const d = delays[s]!;
      count[d]!++;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
    for (let d = lo; d <= hi; d++) {
      const c = count[d]!;
      if (c === 0) continue;
      segStarts[nSeg] = at;
      segDelays[nSeg] = d;
      segRows[nSeg++] = row;
      count[d] = at; // from here on: the next free place of delay d
      at += c;
    }
    for (let s = s0; s < s1; s++) perm[count[delays[s]!]!++] = s;
    for (let d = lo; d <= hi; d++) count[d] = 0;
  }
  segStarts[nSeg] = n;
  return {
    perm,
    segStarts: segStarts.slice(0, nSeg + 1),
    segDelays: segDelays.slice(0, nSeg),
    segRows: segRows.slice(0, nSeg),
    nSeg,
  };
}

/** Mixed delays: table[row * (maxDelay + 1) + delay] = the segment of (row, delay), -1 where none. */
export function segmentTable(
  segRows: Int32Array,
  segDelays: Int32Array,
  nSeg: number,
  rows: number,
  maxDelay: number,
): Int32Array {
  const slots = maxDelay + 1;
  const table = new Int32Array(rows * slots).fill(-1);
  for (let s = 0; s < nSeg; s++) table[segRows[s]! * slots + segDelays[s]!] = s;
  return table;
}

/** arr in storage order (arr itself when storage order is construction order, perm null). */
export function inStorageOrder<T extends Int32Array | Float64Array>(arr: T, perm: Int32Array | null): T {
  if (perm === null) return arr;
  const n = perm.length;
  const out = new (arr.constructor as { new (n: number): T })(n);
  for (let x = 0; x < n; x++) out[x] = arr[perm[x]!]!;
  return out;
}

/** The inverse of perm: storedAt[c] = where the synapse of construction number c is stored. */
export function inversePerm(perm: Int32Array): Int32Array {
  const n = perm.length;
  const inv = new Int32Array(n);
  for (let x = 0; x < n; x++) inv[perm[x]!] = x;
  return inv;
}

/** The post view's synapse list (construction numbers) as storage places; itself when perm is null. */
export function storedPostSyn(postSyn: Int32Array, perm: Int32Array | null): Int32Array {
  if (perm === null) return postSyn;
  const inv = inversePerm(perm);
  const n = perm.length;
  const out = new Int32Array(n);
  for (let x = 0; x < n; x++) out[x] = inv[postSyn[x]!]!;
  return out;
}

/**
 * Storage order of an accumulating projection (accumulate.ts): rows by pre element; within a row, one block
 * per thread (the synapses onto the thread's post elements, `ranges`; posts ascend in a row, so a block is a
 * run); within a block, synapses by delay (ascending, stable). Block b = row * threads + t covers synapses
 * blockSyn[b] .. blockSyn[b+1]-1 and the u16 words blockSeg[b] .. blockSeg[b+1]-1: each word is a run of
 * (word >> 8) synapses (1..255) of delay (word & 255); longer runs take several words. Null when a delay
 * exceeds 255 steps (then the projection keeps segments with 32-bit bounds). perm as storageOrder's.
 * Rows r0 .. r1-1 only (default: all): then block b covers the blocks of rows r0 + .., blockSyn holds synapse
 * numbers, blockSeg word numbers of this part, and perm[x] is the synapse stored at rowStart[r0] + x.
 */
export function blockOrder(
  rowStart: Int32Array,
  delays: Int32Array,
  post: Int32Array,
  rows: number,
  ranges: { lo: number; hi: number }[],
  r0 = 0,
  r1 = rows,
): { perm: Int32Array; blockSyn: Int32Array; blockSeg: Int32Array; words: Uint16Array } | null {
  const base = rowStart[r0]!;
  const n = rowStart[r1]! - base;
  let maxD = 0;
  for (let s = base; s < base + n; s++) if (delays[s]! > maxD) maxD = delays[s]!;
  if (maxD > 255) return null;
  const threads = ranges.length;
  const perm = new Int32Array(n);
  const blockSyn = new Int32Array((r1 - r0) * threads + 1);
  const blockSeg = new Int32Array((r1 - r0) * threads + 1);
  let words = new Uint16Array(Math.max(16, n >> 2));
  let nWords = 0;
  const count = new Int32Array(maxD + 1);
  let s = base;
  for (let row = r0; row < r1; row++) {
    const end = rowStart[row + 1]!;
    for (let t = 0; t < threads; t++) {
      const b = (row - r0) * threads + t;
      const s0 = s;
      const hi = t === threads - 1 ? Infinity : ranges[t]!.hi;
      blockSyn[b] = s0;
      blockSeg[b] = nWords;
      let lo = maxD,
        top = 0;
      // the block: the row's synapses onto the thread's posts (posts ascend in a row), counted by delay
      for (; s < end && post[s]! < hi; s++) {
        const d = delays[s]!;
        count[d]!++;
        if (d < lo) lo = d;
        if (d > top) top = d;
      }
      let at = s0;
      for (let d = lo; d <= top && s > s0; d++) {
        let c = count[d]!;
        if (c === 0) continue;
        count[d] = at; // from here on: the next free place of delay d
        at += c;
        for (; c > 0; c -= 255) {
          if (nWords === words.length) {
            const grown = new Uint16Array(words.length * 2);
            grown.set(words);
            words = grown;
          }
          words[nWords++] = (Math.min(c, 255) << 8) | d;
        }
      }
      for (let x = s0; x < s; x++) perm[count[delays[x]!]!++ - base] = x;
      for (let d = lo; d <= top; d++) count[d] = 0;
    }
  }
  blockSyn[(r1 - r0) * threads] = base + n;
  blockSeg[(r1 - r0) * threads] = nWords;
  return { perm, blockSyn, blockSeg, words: words.slice(0, nWords) };
}

/** runFlags' flag bits for these thread ranges: 2 when every range spans at most 2^14 posts, 1 at most 2^15,
 *  else 0. */
export function flagBitsFor(ranges: { lo: number; hi: number }[]): 0 | 1 | 2 {
  const span = Math.max(...ranges.map((r) => r.hi - r.lo));
  return span <= 1 << 14 ? 2 : span <= 1 << 15 ? 1 : 0;
}

/**
 * The runs of blockOrder as flags in the stored post indices (no run words): post p of block b = row * threads + t
 * is stored as p - ranges[t].lo in the low 16 - flagBits bits; the first synapse of each run of a new delay
 * carries a flag: flagBits 2: 0x4000 = one step more than the previous run (the block starts at delay 0),
 * 0x8000 = as many steps more as the block's next gap byte says; flagBits 1: 0x8000 = the next gap byte. The
 * gap bytes of block b are gaps[gapStart[b] .. gapStart[b+1]-1]. flagBits: 2 when every thread's post range
 * is below 2^14, 1 below 2^15, else 0 (null: the run words stay). `post` in storage order, or in construction
 * order with `perm` (storage place x holds post[perm[x]]). The stored indices go to into[at ..] when given
 * (the wasm memory; `post` of the result is a view of them).
 */
export function runFlags(
  blocks: { blockSyn: Int32Array; blockSeg: Int32Array; words: Uint16Array },
  postIn: Int32Array,
  ranges: { lo: number; hi: number }[],
  perm: Int32Array | null = null,
  into?: Uint16Array,
  at = 0,
): { flagBits: 1 | 2; post: Uint16Array; gapStart: Int32Array; gaps: Uint8Array } | null {
  const threads = ranges.length;
  const flagBits = flagBitsFor(ranges);
  if (flagBits === 0) return null;
  const { blockSyn, blockSeg, words } = blocks;
  const nBlocks = blockSyn.length - 1;
  const n = perm === null ? postIn.length - blocks.blockSyn[0]! : perm.length;
  // the stored indices at into[at ..] (the memory) or in an array of their own; blocks of blockOrder's rows r0 ..
  // start at synapse `base` (then perm and the stored indices count from there)
  const base = blocks.blockSyn[0]!;
  const post = into ? into.subarray(at, at + n) : new Uint16Array(n);
  const gapStart = new Int32Array(nBlocks + 1);
  let gaps = new Uint8Array(Math.max(16, nBlocks * 2));
  let nGaps = 0;
  for (let b = 0; b < nBlocks; b++) {
    const lo = ranges[b % threads]!.lo;
    if (perm === null) for (let s = blockSyn[b]!; s < blockSyn[b + 1]!; s++) post[s - base] = postIn[s]! - lo;
    else for (let s = blockSyn[b]!; s < blockSyn[b + 1]!; s++) post[s - base] = postIn[perm[s - base]!]! - lo;
    gapStart[b] = nGaps;
    let s = blockSyn[b]!;
    let prev = 0;
    for (let g = blockSeg[b]!; g < blockSeg[b + 1]!; g++) {
      const d = words[g]! & 255;
      if (d !== prev) {
        if (flagBits === 2 && d - prev === 1) post[s - base]! |= 0x4000;
        else {
          post[s - base]! |= 0x8000;
          if (nGaps === gaps.length) {
            const grown = new Uint8Array(gaps.length * 2);
            grown.set(gaps);
            gaps = grown;
          }
          gaps[nGaps++] = d - prev;
        }
        prev = d;
      }
      s += words[g]! >> 8;
    }
  }
  gapStart[nBlocks] = nGaps;
  return { flagBits, post, gapStart, gaps: gaps.slice(0, nGaps) };
}
