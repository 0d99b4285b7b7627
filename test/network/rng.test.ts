// Tests for targets/network/rng.ts: Philox4x32-10 known answers (Random123 KAT), FNV-1a, and draw statistics.
import { describe, expect, it } from "@jest/globals";
import { draw, fnv1a32, mulhi32, normal, philox4x32_10, sampleDist, uniform01 } from "../../targets/network/rng.js";

const hex = (w: Uint32Array): string[] => Array.from(w, (x) => x.toString(16).padStart(8, "0"));

describe("philox4x32_10", () => {
  it("matches Random123's known-answer vectors", () => {
    expect(hex(philox4x32_10(0, 0, 0, 0, 0, 0))).toEqual(["6627e8d5", "e169c58d", "bc57ac4c", "9b00dbd8"]);
    const f = 0xffffffff;
    expect(hex(philox4x32_10(f, f, f, f, f, f))).toEqual(["408f276d", "41c83b0e", "a20bc7c6", "6d5451fd"]);
    expect(hex(philox4x32_10(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0))).toEqual([
      "d16cfe09",
      "94fdcceb",
      "5001e420",
      "24126ea1",
    ]);
  });

  it("computes exact 64-bit product high words", () => {
    for (const [a, b] of [
      [0xffffffff, 0xffffffff],
      [0xd2511f53, 0x12345678],
      [1, 1],
      [0x80000000, 2],
    ] as const) {
      const expected = Number((BigInt(a) * BigInt(b)) >> 32n);
      expect(mulhi32(a, b)).toBe(expected);
    }
  });

  it("splits the index into two counter words", () => {
    const idx = 5 * 2 ** 32 + 7;
    expect(hex(draw(3, 11, idx))).toEqual(hex(philox4x32_10(7, 5, 11, 0, 3, 0)));
  });
});

describe("fnv1a32", () => {
  it("matches the reference FNV-1a values", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });
});

describe("derived draws", () => {
  it("uniform01 has mean 1/2 and variance 1/12", () => {
    const n = 50000;
    const stream = fnv1a32("test");
    let s = 0,
      s2 = 0,
      min = 1,
      max = 0;
    for (let i = 0; i < n; i++) {
      const u = uniform01(42, stream, i);
      s += u;
      s2 += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // standard error of the mean = sqrt(1/12/n) ~ 6.5e-4; allow 5 sigma
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it("normal has mean 0 and variance 1", () => {
    const n = 50000;
    let s = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = normal(7, 99, i);
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.04);
  });

  it("samples distributions within their support, seeded", () => {
    for (let i = 0; i < 1000; i++) {
      const u = sampleDist("uniform", [-2, 3], 1, 5, i);
      expect(u).toBeGreaterThanOrEqual(-2);
      expect(u).toBeLessThan(3);
      expect(sampleDist("lognormal", [0, 1], 1, 5, i)).toBeGreaterThan(0);
    }
    expect(sampleDist("normal", [1, 2], 9, 5, 3)).toBe(sampleDist("normal", [1, 2], 9, 5, 3));
    expect(sampleDist("normal", [1, 2], 9, 5, 3)).not.toBe(sampleDist("normal", [1, 2], 10, 5, 3));
  });
});
