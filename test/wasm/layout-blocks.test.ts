// targets/wasm/layout-blocks.ts: an accumulating projection of more synapses than one part (2^20) stored part by
// part holds exactly what blockOrder, encodeDeltas (dense rows) or runFlags (sparse rows) and quantize give over
// all its rows at once (post indices as byte deltas and their extension words, or with their run flags and gap
// bytes; block tables, 16-bit codes and the W1015 numbers), on 1 and 2 threads.
import { describe, expect, test } from "@jest/globals";
import { buildLayout, shardRanges, type InitWrite, type Layout } from "../../targets/wasm/layout.js";
import { buildProjection } from "../../targets/network/projection.js";
import { blockOrder, runFlags } from "../../targets/wasm/synapse-order.js";
import { quantize } from "../../targets/wasm/weight-codes.js";
import { encodeDeltas, Words } from "../../targets/wasm/post-deltas.js";
import { ftnNetwork } from "../helpers/ftn-network.js";

/** The kept writes covering [addr, addr + n elements) in address order, joined (as f64). */
function written(layout: Layout, addr: number, n: number, bytes: number): Float64Array {
  const parts = layout.writes
    .filter((w: InitWrite) => w.addr >= addr && w.addr < addr + n * bytes)
    .sort((x, y) => x.addr - y.addr);
  const out = new Float64Array(n);
  let at = 0;
  for (const w of parts) {
    expect(w.addr).toBe(addr + at * bytes);
    const len = (w.perm ?? w.data).length;
    for (let x = 0; x < len; x++) out[at++] = w.perm ? w.data[w.perm[x]!]! : w.data[x]!;
  }
  expect(at).toBe(n);
  return out;
}

/** The first index where a and b differ, -1 when they are equal (toEqual on millions of elements is slow). */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe("an accumulating projection stored in parts", () => {
  // dense rows (1857 synapses over 900 posts): byte deltas; sparse rows (650 over 30,000): run flags
  const cases = [
    { name: "dense rows", ir: ftnNetwork(700, 900, 1300000, 11), deltas: true },
    { name: "sparse rows", ir: ftnNetwork(2000, 30000, 1300000, 11), deltas: false },
  ];
  for (const { name, ir, deltas } of cases)
    for (const threads of [1, 2]) {
      test(`${name}, ${threads} thread(s): the same storage as one order over all rows`, () => {
        const layout = buildLayout(ir, 11, 10, "f32", 1024, threads, undefined, 16);
        const pj = layout.projs[0]!;
        const acc = pj.accum!;
        expect(pj.n).toBe(1300000);
        const facts = (name: string) => {
          const pop = layout.pops.find((q) => q.name === name)!;
          return { size: pop.size, kind: "neuron" as const, values: pop.values ?? undefined };
        };
        const { csr, values, delays } = buildProjection(pj.proj, facts, 11, ir.dt);
        const ranges = shardRanges(pj.post.pad, threads);
        const whole = blockOrder(csr.rowStart, delays, csr.post, pj.pre.size, ranges)!;
        const w = values.params.get("w") as Float64Array;
        const q = quantize(w, "f32", pj.proj.name, "w", whole.perm);

        expect(acc.deltas).toBe(deltas);
        expect(layout.writes.filter((x) => x.addr >= pj.postIdx && x.addr < acc.blockSyn).length).toBeGreaterThan(2);
        if (deltas) {
          const bytes = new Uint8Array(pj.n);
          const ext = new Words();
          const extStart = encodeDeltas(whole, csr.post, ranges, bytes, 0, ext);
          expect(acc.flagBits).toBe(0);
          expect(firstDiff(written(layout, pj.postIdx, pj.n, 1), bytes)).toBe(-1);
          expect(firstDiff(written(layout, acc.blockSeg, extStart.length, 4), extStart)).toBe(-1);
          expect(firstDiff(written(layout, acc.ext, ext.length, 2), ext.data.subarray(0, ext.length))).toBe(-1);
        } else {
          const flags = runFlags(whole, csr.post, ranges, whole.perm)!;
          expect(acc.flagBits).toBe(flags.flagBits);
          expect(acc.flagBits).toBe(threads === 1 ? 1 : 2);
          expect(firstDiff(written(layout, pj.postIdx, pj.n, 2), flags.post)).toBe(-1);
          expect(firstDiff(written(layout, acc.blockSeg, flags.gapStart.length, 4), flags.gapStart)).toBe(-1);
          expect(firstDiff(written(layout, acc.gaps, flags.gaps.length, 1), flags.gaps)).toBe(-1);
        }
        expect(firstDiff(written(layout, pj.arrays.get("w")!, pj.n, 2), q.codes.codes)).toBe(-1);
        expect(firstDiff(written(layout, acc.blockSyn, whole.blockSyn.length, 4), whole.blockSyn)).toBe(-1);
        expect(pj.codes.get("w")).toEqual({ lo: q.codes.lo, lsb: q.codes.lsb });
        expect(layout.quantized).toEqual([q.report]);
      });
    }
});
