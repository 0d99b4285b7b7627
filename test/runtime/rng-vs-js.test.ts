// The wasm runtime's Philox streams against the JS reference generator (targets/network/rng.ts), bit for bit.
// In: the built runtime wasm + the JS generator; out: jest assertions over many (seed, stream, index) triples.
import { describe, expect, it, beforeAll } from "@jest/globals";
import type { Runtime } from "../../runtime/host/load.js";
import { philoxWords, splitIndex, wasmNormal, wasmUniform01 } from "../../runtime/host/rng.js";
import { draw, fnv1a32, normal, uniform01, streams } from "../../targets/network/rng.js";
import { loadTestRuntime } from "./fixture.js";

let rt: Runtime;
beforeAll(async () => {
  rt = await loadTestRuntime(new WebAssembly.Memory({ initial: 4 }));
});

/** Deterministic triple generator (xorshift32), covering full-range seeds/streams and indices up to 2^53. */
function triples(count: number): [seed: number, stream: number, index: number][] {
  let x = 0x9e3779b9;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const out: [number, number, number][] = [];
  const edges = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 40, 2 ** 21 * 1000 + 5];
  for (let i = 0; i < count; i++) {
    const seed = i % 7 === 0 ? 0xffffffff : next();
    const stream = i % 3 === 0 ? streams.init("exc", "v") : next();
    let index: number;
    switch (i % 4) {
      case 0:
        index = next() % 100000;
        break; // small element indices
      case 1:
        index = next();
        break; // full 32-bit
      case 2:
        index = (next() & 0x1fffff) * 4294967296 + next();
        break; // >= 2^32, < 2^53
      default:
        index = edges[(i >> 2) % edges.length]!;
        break;
    }
    out.push([seed, stream, index]);
  }
  return out;
}

describe("wasm runtime RNG == JS reference RNG", () => {
  const cases = triples(20000);

  it("covers indices at and above 2^32", () => {
    expect(cases.filter(([, , index]) => index >= 2 ** 32).length).toBeGreaterThan(5000);
    expect(cases.some(([, , index]) => index === 2 ** 53 - 1)).toBe(true);
  });

  it("raw words agree", () => {
    let mismatches = 0;
    for (const [seed, stream, index] of cases) {
      const js = Array.from(draw(seed, stream, index));
      const wasm = philoxWords(rt, seed, stream, index);
      if (js.some((w, k) => w !== wasm[k])) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("uniform01 agrees bit for bit", () => {
    const bad = cases.filter(([s, st, i]) => !Object.is(wasmUniform01(rt, s, st, i), uniform01(s, st, i)));
    expect(bad).toEqual([]);
  });

  it("normal agrees bit for bit", () => {
    const bad = cases.filter(([s, st, i]) => !Object.is(wasmNormal(rt, s, st, i), normal(s, st, i)));
    expect(bad).toEqual([]);
  });

  it("bulk fills agree with the JS per-index draws, across the 2^32 boundary", () => {
    const ptr = rt.exports.heapBase();
    const n = 1027;
    for (const [seed, label, base] of [
      [42, "poisson:input", 0],
      [7, "init:exc.v", 2 ** 32 - 500],
      [0xffffffff, "weight:e2i.w", 3 * 2 ** 40 + 11],
    ] as const) {
      const stream = fnv1a32(label);
      const [lo, hi] = splitIndex(base);
      rt.exports.fillUniform01(ptr, n, seed, stream, lo, hi);
      const u = Array.from(rt.views.f64.subarray(ptr / 8, ptr / 8 + n));
      expect(u).toEqual(Array.from({ length: n }, (_, i) => uniform01(seed, stream, base + i)));
      rt.exports.fillNormal(ptr, n, seed, stream, lo, hi);
      const z = Array.from(rt.views.f64.subarray(ptr / 8, ptr / 8 + n));
      expect(z).toEqual(Array.from({ length: n }, (_, i) => normal(seed, stream, base + i)));
    }
  });
});
