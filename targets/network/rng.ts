// The one random generator of glia: Philox4x32-10 keyed by (seed, stream, index), plus the derived
// draws. In: seed, stream (fnv1a32 of a label), index; out: 32-bit words, uniform01, normal, dist samples.
// Every target must reproduce these functions bit for bit; the exact recipe is spelled out below.

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

/** Philox4x32 round multipliers and Weyl key increments (Salmon et al., SC'11; Random123). */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO_M32 = 2 ** -32;

/** High 32 bits of the 64-bit product of two uint32 (computed exactly with 16-bit halves). */
export function mulhi32(a: number, b: number): number {
  const ah = a >>> 16;
  const al = a & 0xffff;
  const bh = b >>> 16;
  const bl = b & 0xffff;
  // mid < 2^33 + 2^16: exact in float64.
  const mid = ah * bl + al * bh + ((al * bl) >>> 16);
  return (ah * bh + math.floor(mid / 65536)) >>> 0;
}

const M0L = M0 & 0xffff;
const M0H = M0 >>> 16;
const M1L = M1 & 0xffff;
const M1H = M1 >>> 16;
const imul = math.imul;

/**
 * Philox4x32-10: 10 rounds on counter (c0..c3) with key (k0, k1). Round r (r = 0..9):
 *   (hi0, lo0) = M0 * c0, (hi1, lo1) = M1 * c2 (full 64-bit products)
 *   c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
 * and between rounds the key is bumped: k0 += W0, k1 += W1 (mod 2^32).
 * Writes the four output words (uint32) into `out` (default: a fresh array).
 * Computed in int32 words: the high product words by 16-bit halves with Math.imul (each partial sum
 * stays below 2^32, so `| 0` keeps its exact bit pattern); same words as mulhi32.
 */
export function philox4x32_10(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let x0 = c0 | 0,
    x1 = c1 | 0,
    x2 = c2 | 0,
    x3 = c3 | 0;
  let key0 = k0 | 0,
    key1 = k1 | 0;
  for (let r = 0; r < 10; r++) {
    // hi0:lo0 = M0 * x0
    let b0 = x0 & 0xffff,
      b1 = x0 >>> 16;
    let t = (imul(M0H, b0) + (imul(M0L, b0) >>> 16)) | 0;
    let w2 = t >>> 16;
    t = (imul(M0L, b1) + (t & 0xffff)) | 0;
    const hi0 = (imul(M0H, b1) + w2 + (t >>> 16)) | 0;
    const lo0 = imul(M0, x0);
    // hi1:lo1 = M1 * x2
    b0 = x2 & 0xffff;
    b1 = x2 >>> 16;
    t = (imul(M1H, b0) + (imul(M1L, b0) >>> 16)) | 0;
    w2 = t >>> 16;
    t = (imul(M1L, b1) + (t & 0xffff)) | 0;
    const hi1 = (imul(M1H, b1) + w2 + (t >>> 16)) | 0;
    const lo1 = imul(M1, x2);
    x0 = hi1 ^ x1 ^ key0;
    x1 = lo1;
    x2 = hi0 ^ x3 ^ key1;
    x3 = lo0;
    key0 = (key0 + W0) | 0;
    key1 = (key1 + W1) | 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
  return out;
}

/** FNV-1a, 32 bits, over the UTF-8 bytes of `label` (offset basis 0x811c9dc5, prime 16777619). */
export function fnv1a32(label: string): number {
  const bytes = new TextEncoder().encode(label);
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}

const scratch = new Uint32Array(4);

/**
 * The draw for (seed, stream, index): key = (seed >>> 0, 0), counter = (index mod 2^32,
 * floor(index / 2^32), stream, 0). `index` is a non-negative integer below 2^53.
 * Returns a shared scratch array (copy it if you keep it).
 */
export function draw(seed: number, stream: number, index: number): Uint32Array {
  const lo = index % 4294967296;
  const hi = math.floor(index / 4294967296);
  return philox4x32_10(lo, hi, stream, 0, seed, 0, scratch);
}

/** word0 * 2^-32, in [0, 1). */
export function uniform01(seed: number, stream: number, index: number): number {
  return draw(seed, stream, index)[0]! * TWO_M32;
}

/** Standard normal by one Box–Muller branch: sqrt(-2 ln u1) * cos(2 pi u2),
 *  u1 = (word0 + 1) * 2^-32 in (0, 1], u2 = word1 * 2^-32. */
export function normal(seed: number, stream: number, index: number): number {
  const w = draw(seed, stream, index);
  const u1 = (w[0]! + 1) * TWO_M32;
  const u2 = w[1]! * TWO_M32;
  return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.PI * u2);
}

export type DistName = "uniform" | "normal" | "lognormal" | "truncated_normal";

/** Redraws of a truncated normal before the draw is refused (the bounds hold almost no probability). */
export const MAX_REDRAWS = 1 << 16;

/**
 * One sample of a distribution, before `scale`:
 *   uniform(lo, hi)      = lo + (hi - lo) * uniform01
 *   normal(mean, sd)     = mean + sd * normal
 *   lognormal(mu, sigma) = exp(mu + sigma * normal)
 *   truncated_normal(mean, sd, lo, hi) = the first of mean + sd * normal(seed, stream, index + a * 2^32),
 *     a = 0, 1, 2, ..., that lies in [lo, hi] (a = 0 is normal's draw: redraw, not clipping, as NEST 2's
 *     normal_clipped); no such draw among MAX_REDRAWS is an error
 * (the caller multiplies by the IRInit's scale). Indices (elements, synapse numbers) are below 2^32.
 */
export function sampleDist(
  dist: DistName,
  args: readonly number[],
  seed: number,
  stream: number,
  index: number,
): number {
  const d = dist === "uniform" ? uniform01(seed, stream, index) : normal(seed, stream, index);
  const x = distFromDraw(dist, args[0] ?? 0, args[1] ?? 0, d);
  return dist === "truncated_normal" ? truncate(x, args, seed, stream, index) : x;
}

/** A truncated normal's sample from its first value x (= mean + sd * the draw at index): x when in [lo, hi],
 *  else the redraws of sampleDist's rule. */
export function truncate(x: number, args: readonly number[], seed: number, stream: number, index: number): number {
  const [mean = 0, sd = 0, lo = -Infinity, hi = Infinity] = args;
  if (!(lo <= hi)) throw new RangeError(`truncated_normal: lower bound ${lo} above upper bound ${hi}`);
  for (let a = 1; !(x >= lo && x <= hi); a++) {
    if (a > MAX_REDRAWS)
      throw new RangeError(
        `truncated_normal(${mean}, ${sd}, ${lo}, ${hi}): no draw within the bounds in ${MAX_REDRAWS} tries`,
      );
    x = mean + sd * normal(seed, stream, index + a * 4294967296);
  }
  return x;
}

/** The sample of `dist` with arguments (a, b) from its draw: uniform01 for "uniform", else normal
 *  (sampleDist's formulas; batched construction uses this with draws from draws.ts). */
export function distFromDraw(dist: DistName, a: number, b: number, d: number): number {
  switch (dist) {
    case "uniform":
      return a + (b - a) * d;
    case "normal":
    case "truncated_normal": // before truncation (truncate)
      return a + b * d;
    case "lognormal":
      return math.exp(a + b * d);
  }
}

/** Stream labels, in one place so every target names them identically. */
export const streams = {
  init: (pop: string, variable: string): number => fnv1a32(`init:${pop}.${variable}`),
  conn: (proj: string): number => fnv1a32(`conn:${proj}`),
  weight: (proj: string, variable: string): number => fnv1a32(`weight:${proj}.${variable}`),
  delay: (proj: string): number => fnv1a32(`delay:${proj}`),
  poisson: (src: string): number => fnv1a32(`poisson:${src}`),
  ensheath: (proj: string): number => fnv1a32(`ensheath:${proj}`),
};
