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

/** Codes of `values` and their errors as the kernel decodes them (f32: every operation rounded to f32); with
 *  `perm`, code x is that of values[perm[x]] (the values in storage order, without a permuted copy). */
export function quantize(
  values: Float64Array,
  precision: Precision,
  projection: string,
  parameter: string,
  perm: Int32Array | null = null,
): { codes: WeightCodes; report: Quantized } {
  const n = values.length;
  let lo = Infinity,
    hi = -Infinity;
  for (let s = 0; s < n; s++) {
    const v = values[s]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (n === 0) lo = hi = 0;
  const r = precision === "f32" ? Math.fround : (x: number): number => x;
  const loK = r(lo);
  const lsbK = r((hi - lo) / CODE_MAX);
  const codes = new Uint16Array(n);
  let maxAbs = 0,
    maxRel = 0;
  for (let s = 0; s < n; s++) {
    const v = values[perm === null ? s : perm[s]!]!;
    let c = lsbK > 0 ? Math.round((v - loK) / lsbK) : 0;
    c = c < 0 ? 0 : c > CODE_MAX ? CODE_MAX : c;
    codes[s] = c;
    const err = Math.abs(r(loK + r(lsbK * c)) - v);
    if (err > maxAbs) maxAbs = err;
    if (v !== 0 && err / Math.abs(v) > maxRel) maxRel = err / Math.abs(v);
  }
  return {
    codes: { codes, lo: loK, lsb: lsbK },
    report: { projection, parameter, synapses: n, lo, hi, lsb: lsbK, maxAbsError: maxAbs, maxRelError: maxRel },
  };
}
