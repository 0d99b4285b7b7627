// Integer arithmetic on raw fixed-point words: the one place the fixed executor takes its arithmetic
// from. In: raw integers (JS numbers holding exact integers), formats, rounding and overflow modes; out:
// raw integers of the declared result format.
//
// Every operation is exact before its single rounding step and its single overflow step:
//  - add/sub/neg: exact sum (|a|, |b| < 2^32, so < 2^53), then saturate or wrap into the result format;
//  - mul: the exact product (64-bit intermediate: a float64 product when below 2^53, BigInt otherwise),
//    shifted right by `shift` bits with the declared rounding (left when shift < 0), then fitted;
//  - shift: multiply or divide by a power of two, rounding the discarded bits, then fitted.

import type { Lfsr32 } from "./lfsr.js";
import { fitRaw, type Overflow, type OverflowCounter, type QFormat, type Rounding } from "./qformat.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

const TWO53 = 2 ** 53;

/** Exact p / 2^s rounded by `mode` (p an exact integer below 2^53 in magnitude, s >= 0). */
export function roundShiftRight(p: number, s: number, mode: Rounding, rng?: Lfsr32): number {
  if (s <= 0) return p * 2 ** -s;
  const d = 2 ** s;
  const q = math.floor(p / d); // p / d is exact in float64 (division by a power of two)
  const r = p - q * d; // remainder in [0, d), exact
  if (r === 0) return q;
  switch (mode) {
    case "floor":
      return q;
    case "trunc":
      return p < 0 ? q + 1 : q;
    case "nearest-even": {
      const half = d / 2;
      if (r > half) return q + 1;
      if (r < half) return q;
      return q % 2 === 0 ? q : q + 1;
    }
    case "nearest-away": {
      const half = d / 2;
      if (r > half) return q + 1;
      if (r < half) return q;
      return p > 0 ? q + 1 : q;
    }
    case "stochastic":
      if (!rng) throw new Error("internal: stochastic rounding needs an LFSR");
      return rng.nextUnit() < r / d ? q + 1 : q;
  }
}

/** The BigInt twin of roundShiftRight for products at or above 2^53. */
export function roundShiftRightBig(p: bigint, s: number, mode: Rounding, rng?: Lfsr32): bigint {
  if (s <= 0) return p << BigInt(-s);
  const d = 1n << BigInt(s);
  let q = p / d; // truncates toward zero
  let r = p - q * d;
  if (r < 0n) {
    q -= 1n; // make it floor
    r += d;
  }
  if (r === 0n) return q;
  switch (mode) {
    case "floor":
      return q;
    case "trunc":
      return p < 0n ? q + 1n : q;
    case "nearest-even": {
      const twice = 2n * r;
      if (twice > d) return q + 1n;
      if (twice < d) return q;
      return q % 2n === 0n ? q : q + 1n;
    }
    case "nearest-away": {
      const twice = 2n * r;
      if (twice > d) return q + 1n;
      if (twice < d) return q;
      return p > 0n ? q + 1n : q;
    }
    case "stochastic":
      if (!rng) throw new Error("internal: stochastic rounding needs an LFSR");
      // round up iff u * 2^-32 < r / d  <=>  u * d < r * 2^32
      return BigInt(rng.next()) * d < r << 32n ? q + 1n : q;
  }
}

export function add(a: number, b: number, f: QFormat, ovf: Overflow, c?: OverflowCounter): number {
  return fitRaw(a + b, f, ovf, c);
}

export function sub(a: number, b: number, f: QFormat, ovf: Overflow, c?: OverflowCounter): number {
  return fitRaw(a - b, f, ovf, c);
}

export function neg(a: number, f: QFormat, ovf: Overflow, c?: OverflowCounter): number {
  return fitRaw(-a, f, ovf, c);
}

/** (a * b) / 2^shift, rounded, fitted to f. The result's fraction bits are fa + fb - shift. */
export function mul(
  a: number,
  b: number,
  shift: number,
  f: QFormat,
  rnd: Rounding,
  ovf: Overflow,
  rng?: Lfsr32,
  c?: OverflowCounter,
): number {
  const p = a * b;
  if (p > -TWO53 && p < TWO53) return fitRaw(roundShiftRight(p, shift, rnd, rng), f, ovf, c);
  const big = roundShiftRightBig(BigInt(a) * BigInt(b), shift, rnd, rng);
  const lim = 2n ** 52n; // clamp before converting so fitRaw sees an exact integer
  const clamped = big > lim ? lim : big < -lim ? -lim : big;
  if (clamped !== big && ovf === "wrap") {
    // wrap needs the low bits of the true result
    const span = 1n << 32n;
    let m = big % span;
    if (m < 0n) m += span;
    return fitRaw(Number(m), f, ovf, c);
  }
  return fitRaw(Number(clamped), f, ovf, c);
}

/** a * 2^by (by > 0: left shift, by < 0: right shift with rounding), fitted to f. */
export function shift(
  a: number,
  by: number,
  f: QFormat,
  rnd: Rounding,
  ovf: Overflow,
  rng?: Lfsr32,
  c?: OverflowCounter,
): number {
  if (by >= 0) {
    const p = a * 2 ** by;
    if (p > -TWO53 && p < TWO53) return fitRaw(p, f, ovf, c);
    return mul(a, 1, -by, f, rnd, ovf, rng, c);
  }
  return fitRaw(roundShiftRight(a, -by, rnd, rng), f, ovf, c);
}

/** Re-expresses raw `a` of format `from` in format `to`. */
export function convert(
  a: number,
  from: QFormat,
  to: QFormat,
  rnd: Rounding,
  ovf: Overflow,
  rng?: Lfsr32,
  c?: OverflowCounter,
): number {
  return shift(a, to.fracBits - from.fracBits, to, rnd, ovf, rng, c);
}

/** Sign-magnitude right shift: sign(p) * (|p| >> s), i.e. truncation toward zero (Loihi's decay). */
export function shiftTowardZero(p: number, s: number): number {
  return roundShiftRight(p, s, "trunc");
}

/** Arithmetic right shift of an integer (floor), as numpy's right_shift on signed integers. */
export function shiftFloor(p: number, s: number): number {
  return roundShiftRight(p, s, "floor");
}

/** Two's-complement wrap of an exact integer into `bits` bits (signed). */
export function wrapSigned(x: number, bits: number): number {
  const span = 2 ** bits;
  let m = x - math.floor(x / span) * span;
  if (m >= span / 2) m -= span;
  return m;
}
