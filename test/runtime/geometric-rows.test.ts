// The runtime's fixed_probability rows: geometricRows (a batch of rows per call) against geometricRow (one
// row per call) and the JS formula of targets/network/connectivity.ts (x += 1 + floor(ln(1 - u) / ln(1 - p)),
// u = uniform01(seed, stream, row * 2^21 + m)), including rows whose base index passes 2^32, and the stop
// before a row that might not fit.
import { beforeAll, describe, expect, test } from "@jest/globals";
import type { Runtime } from "../../runtime/host/load.js";
import { uniform01 } from "../../targets/network/rng.js";
import { ROW_STRIDE } from "../../targets/network/connectivity.js";
import { loadTestRuntime } from "./fixture.js";

type Rows = (
  out: number,
  cap: number,
  counts: number,
  nRows: number,
  nPost: number,
  seed: number,
  stream: number,
  first: number,
  stride: number,
  lq: number,
) => number;
type Row = (out: number, nPost: number, seed: number, stream: number, lo: number, hi: number, lq: number) => number;

let rt: Runtime;
let rows: Rows;
let row: Row;
const OUT = 1 << 16;
beforeAll(async () => {
  rt = await loadTestRuntime(new WebAssembly.Memory({ initial: 64 }));
  rows = rt.instance.exports["geometricRows"] as unknown as Rows;
  row = rt.instance.exports["geometricRow"] as unknown as Row;
});

function jsRow(seed: number, stream: number, i: number, nPost: number, lq: number): number[] {
  const out: number[] = [];
  let x = -1;
  for (let m = 0; ; m++) {
    x += 1 + Math.floor(Math.log(1 - uniform01(seed, stream, i * ROW_STRIDE + m)) / lq);
    if (x >= nPost) return out;
    out.push(x);
  }
}

describe("geometricRows", () => {
  test.each([
    ["sparse", 0.00125, 3000, 40, 7],
    ["dense", 0.4, 200, 25, 123456],
    ["rows past 2^32 / 2^21 (base index above 2^32)", 0.05, 500, 12, 5000],
  ])("%s: the batch equals row by row and the JS formula", (_name, p, nPost, nRows, firstRow) => {
    const lq = Math.log(1 - p);
    const seed = 0xdeadbeef,
      stream = 0x1234567;
    const counts = OUT + 4 * 300_000;
    const done = rows(OUT, 300_000, counts, nRows, nPost, seed, stream, firstRow, ROW_STRIDE, lq);
    expect(done).toBe(nRows);
    const i32 = new Int32Array(rt.memory.buffer);
    let at = OUT / 4;
    let synapses = 0;
    for (let r = 0; r < nRows; r++) {
      const c = i32[counts / 4 + r]!;
      const batch = Array.from(i32.subarray(at, at + c));
      at += c;
      synapses += c;
      const i = firstRow + r;
      const base = i * ROW_STRIDE;
      const single = row(counts + 4 * nRows + 64, nPost, seed, stream, base % 2 ** 32, Math.floor(base / 2 ** 32), lq);
      expect(Array.from(new Int32Array(rt.memory.buffer, counts + 4 * nRows + 64, single))).toEqual(batch);
      expect(batch).toEqual(jsRow(seed, stream, i, nPost, lq));
    }
    expect(synapses).toBeGreaterThan(0);
  });

  test("a row whose draws carry into the counter's high word (8 at a time, then 4 at a time)", () => {
    const nPost = 400,
      p = 0.5,
      lq = Math.log(1 - p),
      seed = 77,
      stream = 0xabcdef;
    for (const base of [2 ** 32 - 6, 2 ** 32 - 8, 2 ** 32 - 9, 3 * 2 ** 32 - 1]) {
      const c = row(OUT, nPost, seed, stream, base % 2 ** 32, Math.floor(base / 2 ** 32), lq);
      const expected: number[] = [];
      let x = -1;
      for (let m = 0; ; m++) {
        x += 1 + Math.floor(Math.log(1 - uniform01(seed, stream, base + m)) / lq);
        if (x >= nPost) break;
        expected.push(x);
      }
      expect(expected.length).toBeGreaterThan(100);
      expect(Array.from(new Int32Array(rt.memory.buffer, OUT, c))).toEqual(expected);
    }
  });

  test("stops before a row that might not fit, so the caller continues from there", () => {
    const nPost = 100,
      lq = Math.log(1 - 0.3),
      seed = 1,
      stream = 2;
    const counts = OUT + 4 * 1000;
    // room for 250 positions: rows of ~30 fit while at least nPost places are left
    const done = rows(OUT, 250, counts, 50, nPost, seed, stream, 0, ROW_STRIDE, lq);
    const i32 = new Int32Array(rt.memory.buffer);
    let used = 0;
    for (let r = 0; r < done; r++) used += i32[counts / 4 + r]!;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(50);
    expect(used).toBeLessThanOrEqual(250);
    expect(250 - used).toBeLessThan(nPost); // it stopped because the next row might not fit
    const next = rows(OUT, 250, counts, 50 - done, nPost, seed, stream, done, ROW_STRIDE, lq);
    expect(next).toBeGreaterThan(0);
    expect(Array.from(new Int32Array(rt.memory.buffer, OUT, i32[counts / 4]!))).toEqual(
      jsRow(seed, stream, done, nPost, lq),
    );
  });
});
