// One projection's part of the wasm layout (layout.ts calls it per projection). In: the layout Builder, the IR
// projection, whether a monitor reads its synapses, its accumulation plan (accumulate.ts); out: a ProjLayout with its
// synapses built through targets/network exactly as the reference builds them, stored as delay segments of CSR rows
// (synapse-order.ts), 16-bit codes (weight-codes.ts), byte-delta posts (post-deltas.ts) or blocks written in parts
// (layout-blocks.ts), with the post view, delay ring and per-thread segment bounds its kernels need.

import type { IRProjection, IRStmt } from "../../compiler/ir/nodes.js";
import { forEachStmtExpr, mentions } from "../../compiler/ir/expr.js";
import { buildProjection, type PopulationFacts } from "../network/projection.js";
import type { Accumulation } from "./accumulate.js";
import type { AccumLayout, Builder, InitWrite, PopLayout, ProjLayout } from "./layout.js";
import { popOf } from "./layout-records.js";
import { codeScale, quantize, type WeightCodes } from "./weight-codes.js";
import { writeBlocksInChunks, type ChunkedParam } from "./layout-blocks.js";
import { deltaExtWords } from "./post-deltas.js";
import { CACHE_LINE, shardRanges } from "./layout-lists.js";
import {
  blockOrder,
  delayStats,
  inversePerm,
  flagBitsFor,
  runFlags,
  segmentBounds,
  segmentTable,
  storageOrder,
  storedPostSyn,
} from "./synapse-order.js";

function usesElapsed(stmts: readonly IRStmt[]): boolean {
  let found = false;
  forEachStmtExpr(stmts, (e) => {
    if (mentions(e, (r) => r.space === "elapsed")) found = true;
  });
  return found;
}

/** A projection: its synapses built (targets/network), stored as delay segments of CSR rows, with the post
 *  view, delay ring and per-thread segment bounds its kernels need. `next`: the projection laid out after it
 *  (its weights may be drawn ahead meanwhile, buildProjection). */
export function projectionLayout(
  b: Builder,
  p: IRProjection,
  monitored: boolean,
  accumulation: Accumulation | undefined,
  next?: IRProjection,
): ProjLayout {
  const { A, writes, slot, bytes, fkind, seed, dt, threads } = b;
  const pre = popOf(b, p.pre.population, p.name);
  const post = popOf(b, p.post.population, p.name);
  const facts = (q: PopLayout): PopulationFacts => ({
    size: q.size,
    kind: q.group ? q.group.kind : "source",
    values: q.values ?? undefined,
  });
  const { csr, values, delays, astroOf } = buildProjection(p, (name) => facts(popOf(b, name, p.name)), seed, dt, next);
  const astro = p.ensheathedBy ? popOf(b, p.ensheathedBy.astrocytes, p.name) : null;
  const n = csr.n;
  const { maxDelay, minDelay, uniform } = delayStats(delays);
  // mixed delays into a state or input of the post group: an input ring (no row ring, no segment tables), the
  // synapses in blocks per (row, thread) sorted by delay (null: a delay above 255 steps, segments as below)
  const accumulates =
    accumulation !== undefined &&
    uniform < 0 &&
    astro === null &&
    (post.values?.state.has(accumulation.variable) || post.values?.inputs.has(accumulation.variable)) === true;
  const g = astro?.group;
  const needPostView = p.onPost.length > 0 || (g !== undefined && g !== null && g.onSynapsePost.length > 0);
  // only post indices and parameters to store: written a part of the rows at a time (layout-blocks.ts)
  const chunked =
    accumulates &&
    maxDelay <= 255 &&
    values.state.size === 0 &&
    !monitored &&
    !needPostView &&
    p.continuous.length === 0 &&
    astroOf === null;
  let blocks =
    accumulates && !chunked
      ? blockOrder(csr.rowStart, delays, csr.post, pre.size, shardRanges(post.pad, threads))
      : null;
  // storage order: within a row, synapses grouped by delay (stable), so one delay ring entry = one segment
  const order =
    blocks || chunked
      ? {
          perm: blocks?.perm ?? null,
          segStarts: new Int32Array(1),
          segDelays: new Int32Array(0),
          segRows: new Int32Array(0),
          nSeg: 0,
        }
      : storageOrder(csr.rowStart, delays, pre.size, uniform);
  const blocked = blocks !== null || chunked;
  const { perm, segStarts, segDelays, segRows, nSeg } = order;
  // what goes into memory as is, in storage order: written through perm (no permuted copy of every synapse)
  const write = (addr: number, kind: InitWrite["kind"], data: Int32Array | Float64Array): void =>
    writes.push(perm === null ? { addr, kind, data } : { addr, kind, data, perm });
  let projBytes = 0;
  const take = (nb: number, align = 16): number => {
    projBytes += nb;
    return A.take(nb, align);
  };

  const postIdxBytes: 2 | 4 = post.size <= 65536 ? 2 : 4;
  // stored in parts: the posts as byte deltas when those and their extension words take less than 2 bytes a synapse
  const extWords =
    chunked && postIdxBytes === 2
      ? deltaExtWords(csr.rowStart, delays, csr.post, pre.size, shardRanges(post.pad, threads), maxDelay)
      : -1;
  const deltas = extWords >= 0 && 2 * extWords < n;
  const postIdx = take(deltas ? n + 16 : n * postIdxBytes + 16);
  // an accumulating projection's runs as flags in its post indices (no run words) when the posts leave the bits
  let flags = null as ReturnType<typeof runFlags>; // set by the fill below
  const whole = blocks; // all rows' order at once (not chunked)
  if (whole && postIdxBytes === 2 && flagBitsFor(shardRanges(post.pad, threads)) > 0)
    b.direct(postIdx, "u16", n, (view, at) => {
      flags = runFlags(whole, csr.post, shardRanges(post.pad, threads), perm, view as Uint16Array, at);
    });
  else if (!chunked) write(postIdx, postIdxBytes === 2 ? "u16" : "i32", csr.post);
  const segStart = blocked ? 0 : take((nSeg + 1) * 4);
  if (!blocked) writes.push({ addr: segStart, kind: "i32", data: segStarts });
  let segRow = 0;
  // mixed delays: delivery finds segments by (row, delay) in segAt below; only an astrocyte's on synapse_pre,
  // which replays segments, needs each segment's row
  if (uniform < 0 && (astro?.group?.onSynapsePre.length ?? 0) > 0) {
    segRow = take(nSeg * 4);
    writes.push({ addr: segRow, kind: "i32", data: segRows });
  }
  const consts = new Map<string, number>();
  const arrays = new Map<string, number>();
  const codes = new Map<string, Omit<WeightCodes, "codes">>();
  // --weight-bits 16: per-synapse parameters (never written; read only through the synapse scope, which decodes
  // them) in u16; not those of a monitored projection (the host reads its arrays in the run's precision)
  const coded = b.weightBits === 16 && !monitored;
  const parts: ChunkedParam[] = [];
  let extArr: Uint16Array | null = null;
  for (const [name, v] of values.params) {
    if (typeof v === "number") consts.set(name, v);
    else if (chunked) {
      const scale = coded ? codeScale(v, fkind, p.name, name) : null;
      const addr = take(n * (scale ? 2 : bytes) + 16);
      arrays.set(name, addr);
      parts.push({ addr, values: v, scale });
      if (scale) {
        codes.set(name, { lo: scale.lo, lsb: scale.lsb });
        b.quantized.push(scale.report); // its errors filled in as the parts are encoded
      }
    } else if (coded) {
      const addr = take(n * 2 + 16);
      arrays.set(name, addr);
      b.direct(addr, "u16", n, (view, at) => {
        const q = quantize(v, fkind, p.name, name, perm, view as Uint16Array, at);
        codes.set(name, { lo: q.codes.lo, lsb: q.codes.lsb });
        b.quantized.push(q.report);
      });
    } else {
      const addr = take(n * bytes + 16);
      arrays.set(name, addr);
      write(addr, fkind, v);
    }
  }
  if (chunked) {
    const cb = writeBlocksInChunks(
      b,
      csr,
      delays,
      pre.size,
      shardRanges(post.pad, threads),
      postIdx,
      postIdxBytes,
      parts,
      deltas,
    );
    blocks = { perm: new Int32Array(0), blockSyn: cb.blockSyn, blockSeg: cb.blockSeg, words: cb.words };
    extArr = cb.ext;
    if (cb.flagBits !== 0)
      flags = { flagBits: cb.flagBits, post: new Uint16Array(0), gapStart: cb.blockSeg, gaps: cb.gaps };
  }
  for (const [name, v] of values.state) {
    const addr = take(n * bytes + 16);
    arrays.set(name, addr);
    write(addr, fkind, v);
  }
  const stamps = usesElapsed(p.onPre) || usesElapsed(p.onPost) || usesElapsed(p.continuous);
  const lu = stamps ? take(n * 4 + 16) : 0; // zero-filled: last update at step 0 (t = 0)
  let postStart = 0,
    postSyn = 0,
    preIdx = 0;
  if (needPostView) {
    postStart = take((post.size + 1) * 4);
    postSyn = take(n * 4 + 16);
    const synStored = storedPostSyn(csr.postSyn, perm);
    writes.push({ addr: postStart, kind: "i32", data: csr.postStart }, { addr: postSyn, kind: "i32", data: synStored });
  }
  if (needPostView || p.continuous.length > 0) {
    preIdx = take(n * 4 + 16);
    write(preIdx, "i32", csr.pre);
  }
  let synapseView: ProjLayout["synapseView"];
  if (monitored) synapseView = { pre: csr.pre, post: csr.post, storedAt: perm === null ? null : inversePerm(perm) };
  let astroAddr = 0;
  if (astroOf) {
    astroAddr = take(n * 4 + 16);
    write(astroAddr, "i32", astroOf);
  }
  const nDelays = uniform >= 0 ? 1 : new Set(segDelays).size;
  let accum: AccumLayout | null = null;
  if (blocks && accumulation) {
    const blockSyn = take(blocks.blockSyn.length * 4);
    const blockSeg = take(blocks.blockSeg.length * 4);
    const words = flags || extArr ? 0 : take(blocks.words.length * 2 + 16);
    const gaps = flags ? take(flags.gaps.length + 16) : 0;
    // the kernel reads the word after a block's last extension word too (then unused): 16 bytes beyond
    const ext = extArr ? take(extArr.length * 2 + 16) : 0;
    writes.push(
      { addr: blockSyn, kind: "i32", data: blocks.blockSyn },
      { addr: blockSeg, kind: "i32", data: flags ? flags.gapStart : blocks.blockSeg },
      flags
        ? { addr: gaps, kind: "u8", data: flags.gaps }
        : extArr
          ? { addr: ext, kind: "u16", data: extArr }
          : { addr: words, kind: "u16", data: blocks.words },
    );
    const evStride = Math.ceil(((maxDelay + 1) * 4) / CACHE_LINE) * CACHE_LINE;
    const evRing = A.take(evStride * threads, CACHE_LINE);
    const evSlots = maxDelay + 1;
    accum = {
      ...accumulation,
      flagBits: flags ? flags.flagBits : 0,
      gaps,
      deltas: extArr !== null,
      ext,
      buf: 0,
      slots: evSlots,
      apply: false,
      blockSyn,
      blockSeg,
      words,
      evRing,
      evSlots,
      evStride,
    };
  }
  // the ring holds rows (pre elements) per step: segments = rows when the delay is uniform, else looked up in segAt
  let segAt = 0;
  if (uniform < 0 && maxDelay > 0 && !accum) {
    const table = segmentTable(segRows, segDelays, nSeg, pre.size, maxDelay);
    segAt = take(table.length * 4 + 16);
    writes.push({ addr: segAt, kind: "i32", data: table });
  }
  const ringStride = maxDelay > 0 && !accum ? Math.ceil(((maxDelay + 1) * pre.size * 4 + 16) / 16) * 16 : 0;
  const countsStride = Math.ceil(((maxDelay + 1) * 4) / CACHE_LINE) * CACHE_LINE;
  const ring =
    maxDelay > 0 && !accum
      ? (() => {
          const slots = maxDelay + 1;
          const cap = pre.size;
          return { addr: A.take(ringStride * threads), cap, slots, counts: A.take(countsStride * threads) };
        })()
      : null;
  let segBounds = 0;
  if (threads > 1 && !blocked) {
    // per thread and segment: the synapses onto the thread's post elements (posts ascend in a segment)
    const bounds = segmentBounds(segStarts, nSeg, csr.post, shardRanges(post.pad, threads), perm);
    segBounds = take(bounds.length * 4 + 16);
    writes.push({ addr: segBounds, kind: "i32", data: bounds });
  }
  const astroEvents =
    g && g.onSynapsePre.length > 0
      ? { addr: A.take((pre.size * nDelays + pre.size) * 4 + 16), cap: pre.size * nDelays + pre.size, count: slot(4) }
      : null;
  return {
    proj: p,
    pre,
    post,
    astro,
    n,
    nSeg,
    uniformDelay: uniform,
    maxDelay,
    minDelay,
    postIdx,
    postIdxBytes,
    segStart,
    segRow,
    segAt,
    consts,
    arrays,
    lu,
    postStart,
    postSyn,
    preIdx,
    astroOf: astroAddr,
    ring,
    astroEvents,
    segBounds,
    ringStride,
    countsStride,
    bytes: projBytes,
    ...(synapseView ? { synapseView } : {}),
    synapseAt: values.state.size > 0 ? perm : null,
    accum,
    codes,
  };
}
