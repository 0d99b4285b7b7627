// Host-side convenience over the runtime's Philox exports: index splitting and unsigned results.
// In: a loaded Runtime and (seed, stream, index) with integer index < 2^53; out: words and f64 draws.
import type { Runtime } from "./load.js";

/** Splits an integer index in [0, 2^53) into its low and high 32-bit words. */
export function splitIndex(index: number): [lo: number, hi: number] {
  return [index >>> 0, Math.floor(index / 4294967296) >>> 0];
}

/** The 4 output words (unsigned) of Philox4x32-10 on counter c and key k (Random123 form). */
export function philoxRawWords(
  rt: Runtime,
  c: readonly number[],
  k: readonly number[],
): [number, number, number, number] {
  rt.exports.philoxRaw(c[0] ?? 0, c[1] ?? 0, c[2] ?? 0, c[3] ?? 0, k[0] ?? 0, k[1] ?? 0);
  return readOut(rt);
}

/** The 4 words of the production draw: key (seed, 0), counter (index_lo, index_hi, stream, 0). */
export function philoxWords(
  rt: Runtime,
  seed: number,
  stream: number,
  index: number,
): [number, number, number, number] {
  const [lo, hi] = splitIndex(index);
  rt.exports.philox(seed, stream, lo, hi);
  return readOut(rt);
}

export function wasmUniform01(rt: Runtime, seed: number, stream: number, index: number): number {
  const [lo, hi] = splitIndex(index);
  return rt.exports.uniform01(seed, stream, lo, hi);
}

export function wasmNormal(rt: Runtime, seed: number, stream: number, index: number): number {
  const [lo, hi] = splitIndex(index);
  return rt.exports.normal(seed, stream, lo, hi);
}

function readOut(rt: Runtime): [number, number, number, number] {
  const at = rt.exports.philoxOutPtr() >>> 2;
  const u32 = rt.views.u32;
  return [u32[at] ?? 0, u32[at + 1] ?? 0, u32[at + 2] ?? 0, u32[at + 3] ?? 0];
}
