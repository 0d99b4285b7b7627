// 16-bit synapse values (`--weight-bits 16`): the per-synapse parameters of an accumulating projection stored
// as u16 codes of one affine scale per projection and parameter, value = lo + lsb * code, which the delivery
// kernel decodes in the run's precision. In: the stored values (f64), the precision; out: the codes and the
// numbers the W1015 warning gives (largest absolute and relative error over the synapses, the LSB).

import type { Precision } from "./lanes.js";

/** The bits a user may ask for (undefined: values in the run's precision). */
export type WeightBits = 16;

export interface WeightCodes {
  codes: Uint16Array;
  /** Decoded value = lo + lsb * code (as written into the kernel, in the run's precision). */
  lo: number;
  lsb: number;
}

/** What a projection's quantization cost, for the warning. */
export interface Quantized {
  projection: string;
  parameter: string;
  synapses: number;
  lo: number;
  hi: number;
  lsb: number;
  /** max |decoded - value| over the synapses. */
  maxAbsError: number;
  /** max |decoded - value| / |value| over the synapses with value != 0. */
  maxRelError: number;
}

const CODE_MAX = 65535;
/** err / |v| > maxRel is only computed where err > maxRel * |v| * REL_FILTER: every quotient that rounds above
 *  maxRel passes this (the filter's rounding errors are far below 2^-40), so the largest is the same, with one
 *  division per synapse fewer. */
const REL_FILTER = 1 - 2 ** -40;
/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

/** Codes of `values` and their errors as the kernel decodes them (f32: every operation rounded to f32); with
 *  `perm`, code x is that of values[perm[x]] (the values in storage order, without a permuted copy). The codes
 *  go to out[at ..] (default: an array of their own; the wasm target passes its memory). */
export function quantize(
  values: Float64Array,
  precision: Precision,
  projection: string,
  parameter: string,
  perm: Int32Array | null = null,
  out?: Uint16Array,
  at = 0,
): { codes: WeightCodes; report: Quantized } {
  const n = values.length;
  const scale = codeScale(values, precision, projection, parameter);
  const codes = out ?? new Uint16Array(n);
  encodeCodes(values, precision, perm, scale, codes, out ? at : 0);
  return {
    codes: { codes: out ? codes.subarray(at, at + n) : codes, lo: scale.lo, lsb: scale.lsb },
    report: scale.report,
  };
}

/** The affine scale of a parameter's codes (lo, lsb as the kernel decodes them) from all its values, and the
 *  report whose errors encodeCodes fills in as it encodes. */
export function codeScale(
  values: Float64Array,
  precision: Precision,
  projection: string,
  parameter: string,
): { lo: number; lsb: number; report: Quantized } {
  const n = values.length;
  let lo = Infinity,
    hi = -Infinity;
  for (let s = 0; s < n; s++) {
    const v = values[s]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (n === 0) lo = hi = 0;
  const r = precision === "f32" ? math.fround : (x: number): number => x;
  const loK = r(lo);
  const lsbK = r((hi - lo) / CODE_MAX);
  return {
    lo: loK,
    lsb: lsbK,
    report: { projection, parameter, synapses: n, lo, hi, lsb: lsbK, maxAbsError: 0, maxRelError: 0 },
  };
}

/** out[at + x] = the code of values[perm[x]] (values[x] when perm is null) for x below perm's (values') length;
 *  the scale's report keeps the largest errors seen. */
export function encodeCodes(
  values: Float64Array,
  precision: Precision,
  perm: Int32Array | null,
  scale: { lo: number; lsb: number; report: Quantized },
  out: Uint16Array,
  at: number,
): void {
  const { maxAbs, maxRel } =
    precision === "f32"
      ? encodeF32(values, perm, scale.lo, scale.lsb, out, at)
      : encodeF64(values, perm, scale.lo, scale.lsb, out, at);
  const rep = scale.report;
  if (maxAbs > rep.maxAbsError) rep.maxAbsError = maxAbs;
  if (maxRel > rep.maxRelError) rep.maxRelError = maxRel;
}

/** quantize's codes and errors decoded in f32 (lo + lsb * code, each operation rounded to f32), at out[at ..]. */
function encodeF32(
  values: Float64Array,
  perm: Int32Array | null,
  lo: number,
  lsb: number,
  out: Uint16Array,
  at: number,
): { maxAbs: number; maxRel: number } {
  const n = perm === null ? values.length : perm.length;
  const fround = math.fround;
  let maxAbs = 0,
    maxRel = 0;
  for (let s = 0; s < n; s++) {
    const v = values[perm === null ? s : perm[s]!]!;
    let c = lsb > 0 ? math.round((v - lo) / lsb) : 0;
    c = c < 0 ? 0 : c > CODE_MAX ? CODE_MAX : c;
    out[at + s] = c;
    const err = math.abs(fround(lo + fround(lsb * c)) - v);
    if (err > maxAbs) maxAbs = err;
    const av = math.abs(v);
    if (err > maxRel * av * REL_FILTER && v !== 0 && err / av > maxRel) maxRel = err / av;
  }
  return { maxAbs, maxRel };
}

/** encodeF32 decoded in f64. */
function encodeF64(
  values: Float64Array,
  perm: Int32Array | null,
  lo: number,
  lsb: number,
  out: Uint16Array,
  at: number,
): { maxAbs: number; maxRel: number } {
  const n = perm === null ? values.length : perm.length;
  let maxAbs = 0,
    maxRel = 0;
  for (let s = 0; s < n; s++) {
    const v = values[perm === null ? s : perm[s]!]!;
    let c = lsb > 0 ? math.round((v - lo) / lsb) : 0;
    c = c < 0 ? 0 : c > CODE_MAX ? CODE_MAX : c;
    out[at + s] = c;
    const err = math.abs(lo + lsb * c - v);
    if (err > maxAbs) maxAbs = err;
    const av = math.abs(v);
    if (err > maxRel * av * REL_FILTER && v !== 0 && err / av > maxRel) maxRel = err / av;
  }
  return { maxAbs, maxRel };
}
