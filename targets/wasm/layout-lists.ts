// Per-thread spike lists of the wasm layout. In: the allocator, a population's padded size, the thread count
// (and, for a poisson_count source, its room per step); out: the list and count-slot addresses of every
// thread's shard, threaded counts each on a cache line of its own, and 1, 2 or 4 copies of it all (step k uses
// copy k mod copies: lower-step.ts).

import type { Alloc, PopLayout } from "./layout.js";

/** Bytes of a cache line: per-thread words that change every step sit this far apart. */
export const CACHE_LINE = 64;
/** Bytes between the threads' synaptic-event counters. */
export const EVENT_STRIDE = CACHE_LINE;

/**
 * Spike lists of a population padded to `pad`, one shard per thread (a source: threads = 1). One list and
 * count slot when single-threaded (as always); threaded, shard t appends at buf + 4 lo with its count on a
 * cache line of its own, and `copies` > 1 keeps that many copies of all of it, parityBytes apart.
 */
export function spikeLists(
  A: Alloc,
  pad: number,
  threads: number,
  copies: number,
): Pick<PopLayout, "buf" | "nAddr" | "shards" | "parityBytes" | "listCopies"> {
  if (threads === 1 && copies === 1) {
    const buf = A.take(pad * 4 + 16);
    const nAddr = A.take(4, 8);
    return { buf, nAddr, shards: [{ lo: 0, hi: pad, buf, n: nAddr }], parityBytes: 0, listCopies: 1 };
  }
  const listBytes = Math.ceil((pad * 4 + 16) / CACHE_LINE) * CACHE_LINE;
  const copy = listBytes + threads * CACHE_LINE;
  const buf = A.take(copies * copy, CACHE_LINE);
  const shards = shardRanges(pad, threads).map((r, t) => ({
    ...r,
    buf: buf + 4 * r.lo,
    n: buf + listBytes + t * CACHE_LINE,
  }));
  return { buf, nAddr: shards[0]!.n, shards, parityBytes: copies > 1 ? copy : 0, listCopies: copies };
}

/**
 * Spike lists of a poisson_count source drawn by `threads` threads: shard t draws elements lo..hi-1 (as a
 * group's shard) and appends its events to a list of its own with room for the whole step's events
 * (`room` entries), its count on a cache line of its own; `copies` as in spikeLists.
 */
export function countLists(
  A: Alloc,
  pad: number,
  room: number,
  threads: number,
  copies: number,
): Pick<PopLayout, "buf" | "nAddr" | "shards" | "parityBytes" | "listCopies"> {
  const listBytes = Math.ceil((room * 4 + 16) / CACHE_LINE) * CACHE_LINE;
  const copy = threads * (listBytes + CACHE_LINE);
  const buf = A.take(copies * copy, CACHE_LINE);
  const shards = shardRanges(pad, threads).map((r, t) => ({
    ...r,
    buf: buf + t * listBytes,
    n: buf + threads * listBytes + t * CACHE_LINE,
  }));
  return { buf, nAddr: shards[0]!.n, shards, parityBytes: copies > 1 ? copy : 0, listCopies: copies };
}

/** Element ranges (multiples of 4 lanes) of `threads` shards of a population padded to `pad`. */
export function shardRanges(pad: number, threads: number): { lo: number; hi: number }[] {
  const blocks = pad / 4;
  return Array.from({ length: threads }, (_, t) => ({
    lo: 4 * Math.floor((blocks * t) / threads),
    hi: 4 * Math.floor((blocks * (t + 1)) / threads),
  }));
}
