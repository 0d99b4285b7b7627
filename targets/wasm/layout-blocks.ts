// Accumulating projections (accumulate.ts): their synapses stored a part of the rows at a time (rows of at most
// CHUNK synapses), and their input rings. Per part: blockOrder, the post indices (with runFlags' flags, or
// plain) and per-synapse parameters (16-bit codes or values in the run's precision) written through the part's
// permutation into the memory, so no permutation, flagged index or code array of every synapse exists in JS.
// In: the Builder, the projection's CSR, delays, parameter values and their addresses; out: the block tables
// (blockSyn, blockSeg), the run words or gap bytes, which layout.ts places (same contents as blockOrder and
// runFlags over all rows at once). inputRings: one ring per key of the projections laid out.

import type { Csr } from "../network/connectivity.js";
import { CACHE_LINE, type Builder, type ProjLayout } from "./layout.js";
import { blockOrder, flagBitsFor, runFlags } from "./synapse-order.js";
import { encodeCodes, type codeScale } from "./weight-codes.js";
import { encodeDeltas, Words } from "./post-deltas.js";

/** Synapses per part (at least one row). */
const CHUNK = 1 << 20;

/** A per-synapse parameter: its address, values (construction order) and, when coded, its scale. */
export interface ChunkedParam {
  addr: number;
  values: Float64Array;
  scale: ReturnType<typeof codeScale> | null;
}

export interface ChunkedBlocks {
  blockSyn: Int32Array;
  /** deltas: the blocks' first extension words; flagBits > 0: their first gap bytes (gapStart), else their
   *  first run words */
  blockSeg: Int32Array;
  flagBits: 0 | 1 | 2;
  gaps: Uint8Array;
  words: Uint16Array;
  /** deltas: the extension words (post-deltas.ts), else null */
  ext: Uint16Array | null;
}

/** The caller checked: the largest delay is at most 255 steps (blockOrder returns its order); with `deltas`, the
 *  posts as byte deltas (post-deltas.ts: deltaExtWords was not -1, postIdx has a byte per synapse). */
export function writeBlocksInChunks(
  b: Builder,
  csr: Csr,
  delays: Int32Array,
  rows: number,
  ranges: { lo: number; hi: number }[],
  postIdx: number,
  postIdxBytes: 2 | 4,
  params: ChunkedParam[],
  deltas = false,
): ChunkedBlocks {
  const threads = ranges.length;
  const flagBits = postIdxBytes === 2 && !deltas ? flagBitsFor(ranges) : 0;
  const ext = deltas ? new Words() : null;
  const rowStart = csr.rowStart;
  const blockSyn = new Int32Array(rows * threads + 1);
  const blockSeg = new Int32Array(rows * threads + 1);
  const gapParts: Uint8Array[] = [];
  const wordParts: Uint16Array[] = [];
  let segSoFar = 0;
  for (let r0 = 0; r0 < rows;) {
    let r1 = r0 + 1;
    while (r1 < rows && rowStart[r1 + 1]! - rowStart[r0]! <= CHUNK) r1++;
    const o = blockOrder(rowStart, delays, csr.post, rows, ranges, r0, r1)!;
    const s0 = rowStart[r0]!;
    const m = o.perm.length;
    const nb = (r1 - r0) * threads;
    blockSyn.set(o.blockSyn.subarray(0, nb), r0 * threads);
    let segs = o.blockSeg;
    if (ext) {
      let starts = null as Int32Array | null; // set by the fill
      b.direct(postIdx + s0, "u8", m, (view, at) => {
        starts = encodeDeltas(o, csr.post, ranges, view as Uint8Array, at, ext);
      });
      // extStart counts over all parts already: as offsets from this part's first
      segs = starts!.map((x) => x - starts![0]!);
    } else if (flagBits > 0) {
      let f = null as ReturnType<typeof runFlags>; // set by the fill
      b.direct(postIdx + 2 * s0, "u16", m, (view, at) => {
        f = runFlags(o, csr.post, ranges, o.perm, view as Uint16Array, at);
      });
      segs = f!.gapStart;
      gapParts.push(f!.gaps);
    } else {
      b.writes.push({
        addr: postIdx + postIdxBytes * s0,
        kind: postIdxBytes === 2 ? "u16" : "i32",
        data: csr.post,
        perm: o.perm,
      });
      wordParts.push(o.words);
    }
    for (let k = 0; k < nb; k++) blockSeg[r0 * threads + k] = segs[k]! + segSoFar;
    segSoFar += segs[nb]!;
    for (const pa of params) {
      const scale = pa.scale;
      if (scale)
        b.direct(pa.addr + 2 * s0, "u16", m, (view, at) =>
          encodeCodes(pa.values, b.fkind, o.perm, scale, view as Uint16Array, at),
        );
      else b.writes.push({ addr: pa.addr + b.bytes * s0, kind: b.fkind, data: pa.values, perm: o.perm });
    }
    r0 = r1;
  }
  blockSyn[rows * threads] = rowStart[rows]!;
  blockSeg[rows * threads] = segSoFar;
  return {
    blockSyn,
    blockSeg,
    flagBits,
    gaps: concat(gapParts, Uint8Array),
    words: concat(wordParts, Uint16Array),
    ext: ext ? ext.data.subarray(0, ext.length) : null,
  };
}

function concat<T extends Uint8Array | Uint16Array>(parts: T[], Ctor: { new (n: number): T }): T {
  const out = new Ctor(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One input ring per key (accumulate.ts) of the accumulating projections, slots for the largest delay among
 *  them; the first projection of a key (program order = delivery order) adds it into the variable. */
export function inputRings(b: Builder, projs: ProjLayout[]): void {
  const byKey = new Map<string, ProjLayout[]>();
  for (const pj of projs) if (pj.accum) byKey.set(pj.accum.key, [...(byKey.get(pj.accum.key) ?? []), pj]);
  for (const members of byKey.values()) {
    const slots = Math.max(...members.map((pj) => pj.accum!.slots));
    const pad = members[0]!.post.pad;
    const buf = b.A.take(slots * pad * b.bytes, CACHE_LINE);
    members.forEach((pj, i) => {
      pj.accum = { ...pj.accum!, buf, slots, apply: i === 0 };
    });
  }
}
