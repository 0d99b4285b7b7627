// Fixed-point forms of nonlinear functions, division by a variable and event-driven decay. In: raw words,
// formats and the tables built here; out: raw words (the one definition the JS executor calls and the wasm
// kernels mirror) and the tables themselves (built once per node by the quantize pass).
//
// lut (sigmoid, tanh, exp): a uniform piecewise-linear table over a declared input range [x0, x0 + n*2^step]
// (raw units of the input format); below x0 the first entry, above the last entry; between breakpoints
// y = ys[i] + round_ne((ys[i+1] - ys[i]) * r / 2^step), i = (x - x0) >> step, r = (x - x0) mod 2^step.
// div: R = round(A * 2^pre / B) (pre < 0: A / (B * 2^-pre)) with the declared rounding, then fitted;
// B = 0 saturates to the format's end on A's side (0 for A = 0) and counts as an overflow.
// log (natural): x <= 0 gives the format's lower end (an overflow: ln 0 = -inf); else n = 31 - clz32(x)
// (x < 2^32), the mantissa word d = x * 2^(31-n) - 2^31 (exact: a left shift) in [0, 2^31), and
// ln(x 2^-f) = offs[n] + ys[i] + round_ne((ys[i+1] - ys[i]) * r / 2^seg), i = d >> seg, r = d mod 2^seg,
// with offs[n] = round_ne((n - f) ln 2 * 2^fo) and ys[i] = round_ne(ln(1 + i 2^-(31-seg)) * 2^fo).
// edecay: the factor exp(c * n * dt) for n elapsed steps: table[n] for n <= B = table.length - 1, beyond
// that table[B] applied floor(n / B) times then table[n mod B], each product rounded to nearest-even.

import { BUILTINS, type BuiltinWithFixed } from "../../compiler/builtins/functions.js";
import { roundShiftRight } from "./arith.js";
import type { Lfsr32 } from "./lfsr.js";
import {
  fitRaw,
  fromFloat,
  rawMax,
  rawMin,
  roundFloat,
  toFloat,
  type Overflow,
  type OverflowCounter,
  type QFormat,
  type Rounding,
} from "./qformat.js";

const math = Math;
const TWO53 = 2 ** 53;

/** The built-in functions approximated by a table (fixed form "table" in compiler/builtins/functions.ts). */
export type LutFn = BuiltinWithFixed<"table">;

/** The float64 function a table approximates: its row of the built-in table. */
export const LUT_FNS: Record<LutFn, (x: number) => number> = {
  sigmoid: BUILTINS.sigmoid.eval,
  tanh: BUILTINS.tanh.eval,
  exp: BUILTINS.exp.eval,
};

/** Declared input ranges beyond which the bounded table functions are taken as saturated (exp: its argument's range). */
export const LUT_RANGE: Record<Exclude<LutFn, "exp">, [number, number]> = { sigmoid: [-8, 8], tanh: [-4, 4] };

/** Segments of a table (at most; the spacing is a power of two in raw input units). */
export const LUT_SEGMENTS = 64;

export interface LutTable {
  x0: number;
  step: number;
  ys: number[];
}

/** The table of fn over [lo, hi] (reals) for input format fin and output format fout. Breakpoints may lie
 *  beyond [lo, hi] (the spacing is a power of two); their entries are clamped to fn's values over [lo, hi]
 *  (every LutFn increases), so the table's output stays within the interval the range analysis gives it. */
export function buildLut(fn: LutFn, lo: number, hi: number, fin: QFormat, fout: QFormat): LutTable {
  const s = 2 ** fin.fracBits;
  const x0 = math.max(rawMin(fin), math.floor(lo * s));
  const x1 = math.min(rawMax(fin), math.ceil(hi * s));
  const span = math.max(1, x1 - x0);
  const step = math.max(0, math.ceil(math.log2(span / LUT_SEGMENTS)));
  const n = math.max(1, math.ceil(span / 2 ** step));
  const f = LUT_FNS[fn];
  const so = 2 ** fout.fracBits;
  const yLo = math.max(rawMin(fout), math.ceil(f(lo) * so)),
    yHi = math.min(rawMax(fout), math.floor(f(hi) * so));
  const ys: number[] = [];
  for (let i = 0; i <= n; i++) {
    const y = fromFloat(f((x0 + i * 2 ** step) / s), fout, "nearest-even", "saturate");
    ys.push(yLo <= yHi ? math.min(math.max(y, yLo), yHi) : y);
  }
  return { x0, step, ys };
}

/** The table's value at raw input x. */
export function lutEval(x: number, t: LutTable): number {
  const d = x - t.x0;
  if (d <= 0) return t.ys[0]!;
  const i = math.floor(d / 2 ** t.step);
  const n = t.ys.length - 1;
  if (i >= n) return t.ys[n]!;
  const r = d - i * 2 ** t.step;
  const y0 = t.ys[i]!;
  return y0 + roundShiftRight((t.ys[i + 1]! - y0) * r, t.step, "nearest-even");
}

/** Max |lut(x) - fn(x)| over every raw input of [x0 - 2^step, end + 2^step] (sampled at most 2^16 points). */
export function lutMaxError(fn: LutFn, t: LutTable, fin: QFormat, fout: QFormat): number {
  const f = LUT_FNS[fn];
  const lo = math.max(rawMin(fin), t.x0 - 2 ** t.step),
    hi = math.min(rawMax(fin), t.x0 + t.ys.length * 2 ** t.step);
  const stride = math.max(1, math.floor((hi - lo) / 65536));
  let err = 0;
  for (let x = lo; x <= hi; x += stride) {
    const e = math.abs(toFloat(lutEval(x, t), fout) - f(toFloat(x, fin)));
    if (e > err) err = e;
  }
  return err;
}

/** Mantissa segments of the log table: 2^LOG_SEG_BITS over [1, 2) (each 2^(31 - LOG_SEG_BITS) mantissa units). */
export const LOG_SEG_BITS = 6;

export interface LogTable {
  /** offs[n] for n = 0..31 leading bits: (n - f) ln 2 in the output format (not fitted: an exact integer). */
  offs: number[];
  /** ln of the 2^LOG_SEG_BITS + 1 mantissa breakpoints in the output format. */
  ys: number[];
  /** Mantissa bits per segment (31 - LOG_SEG_BITS). */
  seg: number;
}

/** round_ne(x) of a real (the exact integer nearest x, ties to even). */
const roundNe = (x: number): number => roundFloat(x, "nearest-even");

/** The natural-log tables for input format fin and output format fout. */
export function buildLog(fin: QFormat, fout: QFormat): LogTable {
  const so = 2 ** fout.fracBits;
  const offs: number[] = [];
  for (let n = 0; n < 32; n++) offs.push(roundNe((n - fin.fracBits) * math.LN2 * so));
  const ys: number[] = [];
  const segs = 2 ** LOG_SEG_BITS;
  for (let i = 0; i <= segs; i++) ys.push(roundNe(math.log(1 + i / segs) * so));
  return { offs, ys, seg: 31 - LOG_SEG_BITS };
}

/** ln of raw x (input fraction bits folded into t.offs) as a raw word of f, fitted by ovf. */
export function logEval(x: number, t: LogTable, f: QFormat, ovf: Overflow, c?: OverflowCounter): number {
  if (x <= 0) {
    if (c) c.count++;
    return rawMin(f);
  }
  const n = 31 - math.clz32(x);
  const d = x * 2 ** (31 - n) - 2147483648;
  const i = math.floor(d / 2 ** t.seg);
  const r = d - i * 2 ** t.seg;
  const y0 = t.ys[i]!;
  return fitRaw(t.offs[n]! + y0 + roundShiftRight((t.ys[i + 1]! - y0) * r, t.seg, "nearest-even"), f, ovf, c);
}

/** Max |logEval(x) - ln(x)| over the positive raw inputs of [lo, hi] (reals), at most 2^16 samples plus
 *  every power of two and its neighbours. */
export function logMaxError(t: LogTable, fin: QFormat, fout: QFormat, lo: number, hi: number): number {
  const s = 2 ** fin.fracBits;
  const a = math.max(1, math.ceil(lo * s)),
    b = math.min(rawMax(fin), math.floor(hi * s));
  const c = { count: 0 };
  let err = 0;
  const at = (x: number): void => {
    if (x < a || x > b) return;
    const e = math.abs(toFloat(logEval(x, t, fout, "saturate", c), fout) - math.log(x / s));
    if (e > err) err = e;
  };
  const stride = math.max(1, math.floor((b - a) / 65536));
  for (let x = a; x <= b; x += stride) at(x);
  for (let p = 1; p <= b * 2; p *= 2) {
    at(p - 1);
    at(p);
    at(p + 1);
  }
  at(b);
  return err;
}

/** round(a * 2^pre / b) (pre < 0: a / (b * 2^-pre)) with rounding mode `rnd`, fitted into f. */
export function div(
  a: number,
  b: number,
  pre: number,
  f: QFormat,
  rnd: Rounding,
  ovf: Overflow,
  rng?: Lfsr32,
  c?: OverflowCounter,
): number {
  if (b === 0) {
    if (a === 0) return 0;
    if (c) c.count++;
    return a > 0 ? rawMax(f) : rawMin(f);
  }
  let num = pre >= 0 ? a * 2 ** pre : a,
    den = pre < 0 ? b * 2 ** -pre : b;
  if (num > -TWO53 && num < TWO53 && den > -TWO53 && den < TWO53) {
    if (den < 0) {
      num = -num;
      den = -den;
    }
    let q = math.floor(num / den);
    let r = num - q * den;
    if (r < 0) {
      q--;
      r += den;
    } else if (r >= den) {
      q++;
      r -= den;
    }
    return fitRaw(roundQuot(q, r, den, num, rnd, rng), f, ovf, c);
  }
  let N = pre >= 0 ? BigInt(a) << BigInt(pre) : BigInt(a),
    D = pre < 0 ? BigInt(b) << BigInt(-pre) : BigInt(b);
  if (D < 0n) {
    N = -N;
    D = -D;
  }
  let q = N / D,
    r = N - q * D;
  if (r < 0n) {
    q -= 1n;
    r += D;
  }
  let out: bigint;
  if (r === 0n) out = q;
  else
    switch (rnd) {
      case "floor":
        out = q;
        break;
      case "trunc":
        out = N < 0n ? q + 1n : q;
        break;
      case "nearest-away":
        out = 2n * r > D ? q + 1n : 2n * r < D ? q : N > 0n ? q + 1n : q;
        break;
      default: // nearest-even (stochastic rounds to nearest-even on this wide path)
        out = 2n * r > D ? q + 1n : 2n * r < D ? q : q % 2n === 0n ? q : q + 1n;
    }
  const lim = 2n ** 52n;
  return fitRaw(Number(out > lim ? lim : out < -lim ? -lim : out), f, ovf, c);
}

/** q = floor(num / den) with remainder r in [0, den) (den > 0) rounded by mode. */
function roundQuot(q: number, r: number, den: number, num: number, rnd: Rounding, rng?: Lfsr32): number {
  if (r === 0) return q;
  switch (rnd) {
    case "floor":
      return q;
    case "trunc":
      return num < 0 ? q + 1 : q;
    case "nearest-even":
      return 2 * r > den ? q + 1 : 2 * r < den ? q : q % 2 === 0 ? q : q + 1;
    case "nearest-away":
      return 2 * r > den ? q + 1 : 2 * r < den ? q : num > 0 ? q + 1 : q;
    case "stochastic":
      if (!rng) throw new Error("internal: stochastic rounding needs an LFSR");
      return rng.nextUnit() * den < r ? q + 1 : q;
  }
}

/** Elapsed steps covered by an event-driven decay table (beyond: chunks of this many steps). */
export const DECAY_TABLE_STEPS = 256;

/** Multipliers exp(c * n * dt) for n = 0..DECAY_TABLE_STEPS in format f (unsigned, fraction bits only). */
export function buildDecayTable(rate: number, dt: number, f: QFormat): number[] {
  const out: number[] = [];
  for (let n = 0; n <= DECAY_TABLE_STEPS; n++)
    out.push(fromFloat(math.exp(rate * n * dt), f, "nearest-even", "saturate"));
  return out;
}

/** The decay factor (raw in a format with `frac` fraction bits) after n elapsed steps. */
export function decayFactor(n: number, table: readonly number[], frac: number): number {
  const B = table.length - 1;
  if (n <= B) return table[n < 0 ? 0 : n]!;
  const mB = table[B]!;
  let f = table[n % B]!;
  for (let k = math.floor(n / B); k > 0 && f !== 0; k--) f = roundShiftRight(f * mB, frac, "nearest-even");
  return f;
}
