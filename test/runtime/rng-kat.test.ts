// Philox4x32-10 in the AssemblyScript runtime against Random123 known answers, plus the scalar/bulk paths.
// In: the built runtime wasm; out: jest assertions.
import { describe, expect, it, beforeAll } from "@jest/globals";
import type { Runtime } from "../../runtime/host/load.js";
import { philoxRawWords, philoxWords, splitIndex, wasmNormal, wasmUniform01 } from "../../runtime/host/rng.js";
import { loadTestRuntime } from "./fixture.js";

const hex = (words: readonly number[]): string[] => words.map((w) => (w >>> 0).toString(16).padStart(8, "0"));

let rt: Runtime;
beforeAll(async () => {
  rt = await loadTestRuntime();
});

describe("Philox4x32-10 known answers (Random123 kat_vectors)", () => {
  it("counter 0, key 0", () => {
    expect(hex(philoxRawWords(rt, [0, 0, 0, 0], [0, 0]))).toEqual(["6627e8d5", "e169c58d", "bc57ac4c", "9b00dbd8"]);
  });
  it("counter all ones, key all ones", () => {
    const ones = 0xffffffff;
    expect(hex(philoxRawWords(rt, [ones, ones, ones, ones], [ones, ones]))).toEqual([
      "408f276d",
      "41c83b0e",
      "a20bc7c6",
      "6d5451fd",
    ]);
  });
  it("counter and key from the digits of pi", () => {
    const words = philoxRawWords(rt, [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]);
    expect(hex(words)).toEqual(["d16cfe09", "94fdcceb", "5001e420", "24126ea1"]);
  });
});

describe("production draws", () => {
  it("philox(seed, stream, index) is the raw function on counter (lo, hi, stream, 0), key (seed, 0)", () => {
    const index = 5 * 4294967296 + 77;
    expect(philoxWords(rt, 42, 0xdeadbeef, index)).toEqual(philoxRawWords(rt, [77, 5, 0xdeadbeef, 0], [42, 0]));
  });

  it("uniform01 is word0 * 2^-32 and normal is Box-Muller of words 0 and 1", () => {
    for (const [seed, stream, index] of [
      [1, 2, 3],
      [0xffffffff, 7, 2 ** 40 + 9],
      [12345, 0x811c9dc5, 0],
    ] as const) {
      const [w0, w1] = philoxWords(rt, seed, stream, index);
      expect(wasmUniform01(rt, seed, stream, index)).toBe(w0 * 2 ** -32);
      const u1 = (w0 + 1) * 2 ** -32;
      const u2 = w1 * 2 ** -32;
      expect(wasmNormal(rt, seed, stream, index)).toBe(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
  });

  it("splits indices up to 2^53 into 32-bit words", () => {
    expect(splitIndex(0)).toEqual([0, 0]);
    expect(splitIndex(2 ** 32 - 1)).toEqual([0xffffffff, 0]);
    expect(splitIndex(2 ** 32)).toEqual([0, 1]);
    expect(splitIndex(2 ** 53 - 1)).toEqual([0xffffffff, 0x1fffff]);
  });

  it("draws differ across seeds, streams and indices", () => {
    const a = wasmUniform01(rt, 1, 1, 1);
    expect(wasmUniform01(rt, 2, 1, 1)).not.toBe(a);
    expect(wasmUniform01(rt, 1, 2, 1)).not.toBe(a);
    expect(wasmUniform01(rt, 1, 1, 2)).not.toBe(a);
    expect(wasmUniform01(rt, 1, 1, 1 + 2 ** 32)).not.toBe(a);
  });
});

describe("bulk fills (4-lane SIMD path + scalar tail)", () => {
  const cases: [name: string, base: number, n: number][] = [
    ["small, tail only", 10, 3],
    ["aligned blocks", 1000, 64],
    ["blocks + tail", 0, 37],
    ["crossing 2^32 inside a block", 2 ** 32 - 6, 13],
    ["crossing 2^32 at a block edge", 2 ** 32 - 4, 8],
    ["high index", 2 ** 52 + 123456789, 21],
  ];
  for (const [name, base, n] of cases) {
    it(`fillUniform01 equals uniform01 per index: ${name}`, () => {
      const ptr = rt.exports.heapBase() + 64;
      const [lo, hi] = splitIndex(base);
      rt.exports.fillUniform01(ptr, n, 99, 0x1234abcd, lo, hi);
      const got = Array.from(rt.views.f64.subarray(ptr / 8, ptr / 8 + n));
      const want = Array.from({ length: n }, (_, i) => wasmUniform01(rt, 99, 0x1234abcd, base + i));
      expect(got).toEqual(want);
      for (const u of got) expect(u >= 0 && u < 1).toBe(true);
    });
    it(`fillNormal equals normal per index: ${name}`, () => {
      const ptr = rt.exports.heapBase() + 8;
      const [lo, hi] = splitIndex(base);
      rt.exports.fillNormal(ptr, n, 3, 17, lo, hi);
      const got = Array.from(rt.views.f64.subarray(ptr / 8, ptr / 8 + n));
      const want = Array.from({ length: n }, (_, i) => wasmNormal(rt, 3, 17, base + i));
      expect(got).toEqual(want);
    });
  }

  it("has plausible moments over 100k draws", () => {
    const n = 100_000;
    const memory = rt.memory;
    const ptr = rt.exports.heapBase();
    const need = ptr + n * 8;
    if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
    rt.exports.fillUniform01(ptr, n, 7, 1, 0, 0);
    const u = rt.views.f64.subarray(ptr / 8, ptr / 8 + n);
    const mu = u.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(mu - 0.5)).toBeLessThan(0.005);
    rt.exports.fillNormal(ptr, n, 7, 2, 0, 0);
    const z = rt.views.f64.subarray(ptr / 8, ptr / 8 + n);
    const zm = z.reduce((s, x) => s + x, 0) / n;
    const zv = z.reduce((s, x) => s + (x - zm) ** 2, 0) / n;
    expect(Math.abs(zm)).toBeLessThan(0.02);
    expect(Math.abs(zv - 1)).toBeLessThan(0.02);
  });
});
