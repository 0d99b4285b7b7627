// Post indices of an accumulating projection as byte deltas (one byte a synapse instead of two): within a block of
// blockOrder (row x thread, runs of one delay, posts ascending within a run) each synapse stores the step from the
// previous synapse's post (relative to the thread's first element) when it is below DELTA_NEXT, else DELTA_ESC and
// the step as a u16 "extension" word; a synapse that starts a new delay stores DELTA_NEXT (one step more) and its
// post as an extension word, or DELTA_RUN and two extension words, the delay step and its post. The block's extension words start at extStart[b]. Storage order, and so the order
// of every addition, is blockOrder's as with the other encodings. In: blockOrder's result (or a CSR to count
// over), posts in construction order, thread ranges; out: the bytes (into the memory), the extension words.

/** A byte of this value: the post step is the next extension word. */
export const DELTA_ESC = 255;
/** A byte of this value: a new delay (delay step = next extension word, post = the one after). */
export const DELTA_RUN = 254;
/** A byte of this value: a new delay one step above the previous (post = the next extension word). Steps below
 *  it are stored in the byte itself. */
export const DELTA_NEXT = 253;

/**
 * The extension words the delta encoding of a projection's rows takes (exactly what encodeDeltas writes over
 * all rows), or -1 when the posts of a block do not ascend in construction order (then no delta encoding). One
 * pass over the synapses, no sort: a run's posts are the block's posts of that delay, in construction order.
 * `maxDelay`: the largest delay when the caller knows it (else found here).
 */
export function deltaExtWords(
  rowStart: Int32Array,
  delays: Int32Array,
  post: Int32Array,
  rows: number,
  ranges: { lo: number; hi: number }[],
  maxDelay = -1,
): number {
  const threads = ranges.length;
  const n = rowStart[rows]!;
  let maxD = maxDelay;
  if (maxD < 0) {
    maxD = 0;
    for (let s = 0; s < n; s++) if (delays[s]! > maxD) maxD = delays[s]!;
  }
  const last = new Int32Array(maxD + 1).fill(-1);
  let ext = 0;
  let s = 0;
  for (let row = 0; row < rows; row++) {
    const end = rowStart[row + 1]!;
    for (let t = 0; t < threads; t++) {
      const s0 = s;
      const hi = t === threads - 1 ? Infinity : ranges[t]!.hi;
      const lo = ranges[t]!.lo;
      let dLo = maxD,
        dHi = 0;
      // the block: the row's synapses onto the thread's posts (posts ascend in a row)
      for (; s < end; s++) {
        const q = post[s]! - lo;
        if (q + lo >= hi) break;
        const d = delays[s]!;
        const prev = last[d]!;
        if (prev < 0) {
          if (d < dLo) dLo = d;
          if (d > dHi) dHi = d;
          if (d === 0 && q >= DELTA_NEXT) ext++; // the block starts at delay 0: a step from post 0
        } else if (q < prev) return -1;
        else if (q - prev >= DELTA_NEXT) ext++;
        last[d] = q;
      }
      // each new delay: its post, and the delay step unless it is one (every delay seen is reset for the next block)
      for (let d = dLo, prevD = 0; d <= dHi && s > s0; d++) {
        if (last[d]! < 0) continue;
        last[d] = -1;
        if (d === 0) continue;
        ext += d - prevD === 1 ? 1 : 2;
        prevD = d;
      }
    }
  }
  return ext;
}

/** Growable u16 words. */
export class Words {
  data = new Uint16Array(1024);
  length = 0;
  push(w: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint16Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = w;
  }
}

/**
 * The bytes of blockOrder's blocks (rows r0 .. of the part: blockSyn holds synapse numbers from `base` =
 * blockSyn[0], perm[x] the synapse stored at base + x) into into[at ..], their extension words appended to
 * `ext`; extStart[b] = the first extension word of block b (counted in `ext`, over all parts so far).
 */
export function encodeDeltas(
  blocks: { perm: Int32Array; blockSyn: Int32Array; blockSeg: Int32Array; words: Uint16Array },
  post: Int32Array,
  ranges: { lo: number; hi: number }[],
  into: Uint8Array,
  at: number,
  ext: Words,
): Int32Array {
  const threads = ranges.length;
  const { perm, blockSyn, blockSeg, words } = blocks;
  const nBlocks = blockSyn.length - 1;
  const base = blockSyn[0]!;
  const extStart = new Int32Array(nBlocks + 1);
  for (let b = 0; b < nBlocks; b++) {
    const lo = ranges[b % threads]!.lo;
    extStart[b] = ext.length;
    let s = blockSyn[b]!;
    let prevD = 0;
    let p = 0;
    for (let g = blockSeg[b]!; g < blockSeg[b + 1]!; g++) {
      const d = words[g]! & 255;
      const end = s + (words[g]! >> 8);
      if (d !== prevD) {
        p = post[perm[s - base]!]! - lo;
        if (d - prevD === 1) into[at + s - base] = DELTA_NEXT;
        else {
          into[at + s - base] = DELTA_RUN;
          ext.push(d - prevD);
        }
        ext.push(p);
        prevD = d;
        s++;
      }
      for (; s < end; s++) {
        const q = post[perm[s - base]!]! - lo;
        const step = q - p;
        if (step < 0) throw new Error("encodeDeltas: posts do not ascend within a run (deltaExtWords said -1)");
        if (step < DELTA_NEXT) into[at + s - base] = step;
        else {
          into[at + s - base] = DELTA_ESC;
          ext.push(step);
        }
        p = q;
      }
    }
  }
  extStart[nBlocks] = ext.length;
  return extStart;
}
