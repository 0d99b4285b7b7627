// Fixed-point arithmetic: Q formats, rounding modes on known values, saturate vs wrap, exact products,
// and the LFSR's known-answer sequence.
import { describe, expect, it } from "@jest/globals";
import { add, convert, mul, neg, roundShiftRight, shift, sub } from "../../targets/fixed/arith.js";
import { Lfsr32, lfsrStep, SEED_ZERO_SUBSTITUTE } from "../../targets/fixed/lfsr.js";
import {
  checkFormat,
  formatForRange,
  formatName,
  fromFloat,
  qfmt,
  rawMax,
  rawMin,
  roundFloat,
  toFloat,
  widthOf,
  type Rounding,
} from "../../targets/fixed/qformat.js";

describe("Q formats", () => {
  it("derives width, raw range and names", () => {
    const f = qfmt(true, 3, 12);
    expect(widthOf(f)).toBe(16);
    expect([rawMin(f), rawMax(f)]).toEqual([-32768, 32767]);
    expect(formatName(f)).toBe("Q3.12");
    expect(formatName(qfmt(false, 8, 8))).toBe("UQ8.8");
    expect([rawMin(qfmt(false, 8, 8)), rawMax(qfmt(false, 8, 8))]).toEqual([0, 65535]);
    expect(checkFormat(qfmt(true, 20, 20))).toMatch(/width 41/);
    expect(checkFormat(qfmt(true, -4, 19))).toBeNull();
  });

  it("chooses the format with the most fraction bits for a range", () => {
    // |v| <= 0.06 V: 2^-5 = 0.03125 <= 0.06 < 2^-4, so 16-bit signed -> Q-4.19
    expect(formatForRange(-0.06, -0.05, 16)).toEqual(qfmt(true, -4, 19));
    expect(formatForRange(0, 1, 16)).toEqual(qfmt(false, 1, 15)); // 1 needs 2^1 > 1
    expect(formatForRange(0, 0.999, 16)).toEqual(qfmt(false, 0, 16));
    expect(formatForRange(-3, 2, 8, 1)).toEqual(qfmt(true, 3, 4)); // 2 int bits + 1 headroom
  });

  it("converts floats with each rounding mode (known values)", () => {
    const cases: [number, Record<Exclude<Rounding, "stochastic">, number>][] = [
      [2.5, { trunc: 2, floor: 2, "nearest-even": 2, "nearest-away": 3 }],
      [3.5, { trunc: 3, floor: 3, "nearest-even": 4, "nearest-away": 4 }],
      [-2.5, { trunc: -2, floor: -3, "nearest-even": -2, "nearest-away": -3 }],
      [-2.6, { trunc: -2, floor: -3, "nearest-even": -3, "nearest-away": -3 }],
      [2.4, { trunc: 2, floor: 2, "nearest-even": 2, "nearest-away": 2 }],
      [-0.5, { trunc: 0, floor: -1, "nearest-even": 0, "nearest-away": -1 }],
    ];
    for (const [x, want] of cases)
      for (const [mode, r] of Object.entries(want))
        expect([x, mode, roundFloat(x, mode as Rounding)]).toEqual([x, mode, r]);
    // 0.3 in Q0.4 (16ths): 4.8 -> 4 (trunc), 5 (nearest); -0.3: -4.8 -> -4 (trunc), -5 (floor)
    const q = qfmt(true, 0, 4);
    expect(fromFloat(0.3, q, "trunc", "saturate")).toBe(4);
    expect(fromFloat(0.3, q, "nearest-even", "saturate")).toBe(5);
    expect(fromFloat(-0.3, q, "trunc", "saturate")).toBe(-4);
    expect(fromFloat(-0.3, q, "floor", "saturate")).toBe(-5);
    expect(toFloat(5, q)).toBe(0.3125);
  });

  it("rounds a right shift of an exact integer the same way as the float rounding", () => {
    for (const mode of ["trunc", "floor", "nearest-even", "nearest-away"] as const) {
      for (let p = -40; p <= 40; p++) expect(roundShiftRight(p, 3, mode)).toBe(roundFloat(p / 8, mode));
    }
  });

  it("stochastic rounding is unbiased on average and reproducible for a seed", () => {
    const a = new Lfsr32(12345),
      b = new Lfsr32(12345);
    let sum = 0;
    const N = 20000;
    const seq: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = roundFloat(2.25, "stochastic", a);
      expect(r === 2 || r === 3).toBe(true);
      sum += r;
      if (i < 50) seq.push(r);
    }
    expect(Math.abs(sum / N - 2.25)).toBeLessThan(0.02);
    expect(seq).toEqual(Array.from({ length: 50 }, () => roundFloat(2.25, "stochastic", b)));
    // integers never move
    expect(roundFloat(7, "stochastic", a)).toBe(7);
  });
});

describe("LFSR x^32 + x^22 + x^2 + x + 1 (Galois, mask 0x80200003)", () => {
  it("matches the hand-computed sequence from seed 1", () => {
    // s=1: lsb 1 -> 0 ^ 0x80200003 = 0x80200003
    // lsb 1 -> 0x40100001 ^ 0x80200003 = 0xC0300002
    // lsb 0 -> 0x60180001
    // lsb 1 -> 0x300C0000 ^ 0x80200003 = 0xB02C0003
    const l = new Lfsr32(1);
    expect([l.next(), l.next(), l.next(), l.next()]).toEqual([0x80200003, 0xc0300002, 0x60180001, 0xb02c0003]);
    expect(lfsrStep(0x60180001)).toBe(0xb02c0003);
  });

  it("never reaches zero and does not revisit its seed in 100k steps; seed 0 is substituted", () => {
    const l = new Lfsr32(0xdeadbeef);
    for (let i = 0; i < 100000; i++) {
      const s = l.next();
      expect(s === 0 || s === 0xdeadbeef).toBe(false);
    }
    expect(new Lfsr32(0).state).toBe(SEED_ZERO_SUBSTITUTE);
  });
});

describe("integer operations", () => {
  const i8 = qfmt(true, 7, 0); // int8: -128..127
  it("saturates or wraps as declared and counts overflows", () => {
    const c = { count: 0 };
    expect(add(120, 10, i8, "saturate", c)).toBe(127);
    expect(add(120, 10, i8, "wrap", c)).toBe(-126); // 130 - 256
    expect(sub(-120, 10, i8, "saturate", c)).toBe(-128);
    expect(sub(-120, 10, i8, "wrap", c)).toBe(126); // -130 + 256
    expect(neg(-128, i8, "saturate", c)).toBe(127);
    expect(neg(-128, i8, "wrap", c)).toBe(-128);
    expect(c.count).toBe(6);
    expect(add(100, 27, i8, "saturate", c)).toBe(127);
    expect(c.count).toBe(6);
    const u8 = qfmt(false, 8, 0);
    expect(add(250, 10, u8, "wrap")).toBe(4);
    expect(sub(3, 10, u8, "saturate")).toBe(0);
  });

  it("multiplies 24 x 12-bit values exactly (Lava's 64-bit intermediate)", () => {
    const f = qfmt(true, 31, 0);
    // (2^23 - 1) * 4095 = 34351349505 (above 2^32), >> 12 toward zero = 8386559 (exact: 8386559.937...)
    expect(mul(2 ** 23 - 1, 4095, 12, f, "trunc", "saturate")).toBe(8386559);
    expect(mul(-(2 ** 23 - 1), 4095, 12, f, "trunc", "saturate")).toBe(-8386559);
    expect(mul(-(2 ** 23 - 1), 4095, 12, f, "floor", "saturate")).toBe(-8386560);
  });

  it("multiplies full 32-bit values exactly (BigInt path above 2^53)", () => {
    const f = qfmt(true, 31, 0);
    const a = 2 ** 31 - 1;
    // (2^31-1)^2 / 2^31 = 2^31 - 2 + 2^-31 -> floor 2147483646, nearest 2147483646
    expect(mul(a, a, 31, f, "floor", "saturate")).toBe(2147483646);
    expect(mul(a, a, 31, f, "nearest-even", "saturate")).toBe(2147483646);
    expect(mul(-a, a, 31, f, "floor", "saturate")).toBe(-2147483647);
    expect(mul(-a, a, 31, f, "trunc", "saturate")).toBe(-2147483646);
    const want = Number(BigInt.asIntN(32, (BigInt(a) * BigInt(a - 12345)) >> 7n));
    expect(mul(a, a - 12345, 7, f, "floor", "wrap")).toBe(want);
    expect(mul(a, a - 12345, 7, f, "floor", "saturate")).toBe(2 ** 31 - 1);
  });

  it("shifts and converts between formats with rounding", () => {
    const q8 = qfmt(true, 7, 8),
      q4 = qfmt(true, 7, 4);
    expect(convert(0x0128, q8, q4, "trunc", "saturate")).toBe(0x12); // 1.15625 -> 1.125
    expect(convert(0x0128, q8, q4, "nearest-even", "saturate")).toBe(0x12); // tie 18.5 -> 18
    expect(convert(0x0138, q8, q4, "nearest-even", "saturate")).toBe(0x14); // tie 19.5 -> 20
    // 3 << 4 = 48 in a 5-bit word (-16..15): saturates to 15, wraps to 48 - 32 = 16 -> 16 - 32 = -16
    expect(shift(3, 4, qfmt(true, 4, 0), "trunc", "saturate")).toBe(15);
    expect(shift(3, 4, qfmt(true, 4, 0), "trunc", "wrap")).toBe(-16);
    expect(shift(-37, -3, qfmt(true, 4, 0), "floor", "saturate")).toBe(-5); // -4.625
  });
});
