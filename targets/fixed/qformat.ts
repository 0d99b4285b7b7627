// Q formats: how a real number is held in a signed or unsigned integer word of at most 32 bits.
// In: a format (sign, integer bits, fraction bits) and float values; out: raw integers, their real values,
// format names, and the format that fits a value range.
//
// A raw integer q in format {signed, intBits, fracBits} stands for q * 2^-fracBits. The word width is
// (signed ? 1 : 0) + intBits + fracBits, between 1 and 32. intBits may be negative (all values well below
// 1, e.g. volts: holds [-2^-4, 2^-4) in 16 bits) and fracBits may be negative (coarse large values).

import { Lfsr32 } from "./lfsr.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

export interface QFormat {
  signed: boolean;
  intBits: number;
  fracBits: number;
}

/** Rounding of a value that falls between two representable ones.
 *  trunc: toward zero; floor: toward -inf; nearest-even: to nearest, ties to even;
 *  nearest-away: to nearest, ties away from zero; stochastic: up with probability equal to the
 *  discarded fraction, driven by a seeded 32-bit LFSR (lfsr.ts). */
export type Rounding = "trunc" | "floor" | "nearest-even" | "nearest-away" | "stochastic";

/** What happens to a result outside the format: clamp to the nearest end, or two's-complement wrap. */
export type Overflow = "saturate" | "wrap";

export const MAX_WIDTH = 32;

export const qfmt = (signed: boolean, intBits: number, fracBits: number): QFormat => ({ signed, intBits, fracBits });

export function widthOf(f: QFormat): number {
  return (f.signed ? 1 : 0) + f.intBits + f.fracBits;
}

/** null when the format is well formed, else what is wrong. */
export function checkFormat(f: QFormat): string | null {
  if (!Number.isInteger(f.intBits) || !Number.isInteger(f.fracBits))
    return "integer and fraction bits must be integers";
  const w = widthOf(f);
  if (w < 1 || w > MAX_WIDTH) return `word width ${w} is outside 1..${MAX_WIDTH}`;
  return null;
}

export function rawMin(f: QFormat): number {
  return f.signed ? -(2 ** (widthOf(f) - 1)) : 0;
}

export function rawMax(f: QFormat): number {
  return f.signed ? 2 ** (widthOf(f) - 1) - 1 : 2 ** widthOf(f) - 1;
}

/** The value of one least significant bit. */
export const ulp = (f: QFormat): number => 2 ** -f.fracBits;

export const toFloat = (raw: number, f: QFormat): number => raw * 2 ** -f.fracBits;

/** "Q3.12" (signed, 3 integer bits besides the sign, 12 fraction bits) or "UQ3.12" (unsigned). */
export function formatName(f: QFormat): string {
  return `${f.signed ? "Q" : "UQ"}${f.intBits}.${f.fracBits}`;
}

export const sameFormat = (a: QFormat, b: QFormat): boolean =>
  a.signed === b.signed && a.intBits === b.intBits && a.fracBits === b.fracBits;

/** Rounds x (a finite float) to an integer by `mode`; `rng` is used (and advanced) only by stochastic. */
export function roundFloat(x: number, mode: Rounding, rng?: Lfsr32): number {
  const fl = math.floor(x) + 0; // + 0 turns -0 into 0: raw words are integers
  const frac = x - fl; // exact for |x| < 2^52
  switch (mode) {
    case "trunc":
      return math.trunc(x) + 0;
    case "floor":
      return fl;
    case "nearest-even":
      if (frac > 0.5) return fl + 1;
      if (frac < 0.5) return fl;
      return fl % 2 === 0 ? fl : fl + 1;
    case "nearest-away":
      if (frac > 0.5) return fl + 1;
      if (frac < 0.5) return fl;
      return x > 0 ? fl + 1 : fl;
    case "stochastic": {
      if (frac === 0) return fl;
      if (!rng) throw new Error("internal: stochastic rounding needs an LFSR");
      return rng.nextUnit() < frac ? fl + 1 : fl;
    }
  }
}

export interface OverflowCounter {
  count: number;
  /** The element (neuron, synapse) of the first overflow, where the generated code knows it (-1: none). */
  at?: number;
  /** The step of the first overflow (set by the executor at the end of that step). */
  step?: number;
}

/** Brings an exact integer into the format's raw range by saturating or wrapping (counting when it had to). */
export function fitRaw(x: number, f: QFormat, mode: Overflow, counter?: OverflowCounter): number {
  const lo = rawMin(f),
    hi = rawMax(f);
  if (x >= lo && x <= hi) return x;
  if (counter) counter.count++;
  if (mode === "saturate") return x < lo ? lo : hi;
  const span = 2 ** widthOf(f);
  let m = x - math.floor(x / span) * span; // in [0, span); exact for |x| < 2^53
  if (f.signed && m > hi) m -= span;
  return m;
}

/** A float to the raw integer of format f: scale by 2^fracBits, round, then saturate or wrap.
 *  NaN becomes 0 and infinities the format's ends (counted as overflow). */
export function fromFloat(
  x: number,
  f: QFormat,
  rounding: Rounding,
  overflow: Overflow,
  rng?: Lfsr32,
  counter?: OverflowCounter,
): number {
  if (Number.isNaN(x)) return 0;
  if (!Number.isFinite(x)) {
    if (counter) counter.count++;
    return x > 0 ? rawMax(f) : rawMin(f);
  }
  const scaled = x * 2 ** f.fracBits;
  if (math.abs(scaled) >= 2 ** 52) {
    // beyond every 32-bit word: saturate (or wrap the already-integral value)
    if (overflow === "saturate") {
      if (counter) counter.count++;
      return scaled > 0 ? rawMax(f) : rawMin(f);
    }
    const span = BigInt(2 ** widthOf(f));
    let m = BigInt(scaled) % span;
    if (m < 0n) m += span;
    if (f.signed && m > BigInt(rawMax(f))) m -= span;
    if (counter) counter.count++;
    return Number(m);
  }
  return fitRaw(roundFloat(scaled, rounding, rng), f, overflow, counter);
}

/** The format of `width` bits that holds every value of [lo, hi] with the most fraction bits, plus
 *  `headroomBits` extra integer bits. Signed when lo < 0. */
export function formatForRange(lo: number, hi: number, width: number, headroomBits = 0): QFormat {
  const signed = lo < 0;
  const m = math.max(math.abs(lo), math.abs(hi));
  // smallest intBits with m < 2^intBits (for signed, -2^intBits is representable as well)
  let intBits = m > 0 && Number.isFinite(m) ? math.floor(math.log2(m)) + 1 : 0;
  if (m > 0 && 2 ** (intBits - 1) > m) intBits--; // guard against log2 rounding up
  if (m > 0 && 2 ** intBits <= m) intBits++;
  intBits += headroomBits;
  const fracBits = width - (signed ? 1 : 0) - intBits;
  return { signed, intBits, fracBits };
}
