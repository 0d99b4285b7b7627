// Philox4x32-10 counter-based RNG (docs/internals.md "Randomness"), compiled by asc into the runtime.
// In: (seed, stream, index_lo, index_hi) or a raw 4-word counter + 2-word key; out: 4 u32 words at
// philoxOutPtr(), uniform01/normal as f64, and bulk fills of f64 draws into linear memory (f32x4 lanes).

// Random123 constants: round multipliers and Weyl key increments.
const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;
const TWO_POW_M32: f64 = 2.3283064365386963e-10; // 2^-32, exact
const TWO_PI: f64 = 6.283185307179586; // 2 * Math.PI, exact doubling of the double PI

// Scratch the exported philox*() functions write their 4 output words to (16-byte aligned).
const OUT: usize = memory.data(16, 16);
/** 8 draw words of geometricRow, in counter order. */
const WORDS: usize = memory.data(32, 16);

// log and cos come from the host's JS Math so that normal() is bit-identical to the JS reference
// generator on the same engine (libm implementations differ in the last ulp; sqrt is exact everywhere).
// @ts-ignore: decorator
@external("Math", "log")
declare function hostLog(x: f64): f64;
// @ts-ignore: decorator
@external("Math", "cos")
declare function hostCos(x: f64): f64;

// Result words of the last scalar draw (module globals: AssemblyScript has no multi-value returns).
let r0: u32 = 0;
let r1: u32 = 0;
let r2: u32 = 0;
let r3: u32 = 0;

// Scalar Philox4x32-10 on counter (c0..c3) and key (k0, k1); leaves the words in r0..r3.
// @ts-ignore: decorator
@inline
function philoxCore(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 += W0;
      k1 += W1;
    }
    const p0: u64 = <u64>M0 * <u64>c0;
    const p1: u64 = <u64>M1 * <u64>c2;
    const n0 = (<u32>(p1 >>> 32)) ^ c1 ^ k0;
    const n1 = <u32>p1;
    const n2 = (<u32>(p0 >>> 32)) ^ c3 ^ k1;
    const n3 = <u32>p0;
    c0 = n0;
    c1 = n1;
    c2 = n2;
    c3 = n3;
  }
  r0 = c0;
  r1 = c1;
  r2 = c2;
  r3 = c3;
}

/** Address of the 16-byte scratch holding the 4 words of the last philox()/philoxRaw() call. */
export function philoxOutPtr(): usize {
  return OUT;
}

/** First free byte after the runtime's static data: hosts lay out their arrays from here (16-aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Raw Philox4x32-10 with a full counter and a 2-word key (Random123 known-answer form). */
export function philoxRaw(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  philoxCore(c0, c1, c2, c3, k0, k1);
  store<u32>(OUT, r0, 0);
  store<u32>(OUT, r1, 4);
  store<u32>(OUT, r2, 8);
  store<u32>(OUT, r3, 12);
}

/** The production draw: key = (seed, 0), counter = (index_lo, index_hi, stream, 0). Writes 4 words. */
export function philox(seed: u32, stream: u32, indexLo: u32, indexHi: u32): void {
  philoxRaw(indexLo, indexHi, stream, 0, seed, 0);
}

/** word0 * 2^-32, in [0, 1). */
export function uniform01(seed: u32, stream: u32, indexLo: u32, indexHi: u32): f64 {
  philoxCore(indexLo, indexHi, stream, 0, seed, 0);
  return <f64>r0 * TWO_POW_M32;
}

// Box–Muller from the two leading words: u1 = (w0 + 1) 2^-32 in (0, 1], u2 = w1 2^-32.
// @ts-ignore: decorator
@inline
function boxMuller(w0: u32, w1: u32): f64 {
  const u1 = (<f64>w0 + 1.0) * TWO_POW_M32;
  const u2 = <f64>w1 * TWO_POW_M32;
  return Math.sqrt(-2.0 * hostLog(u1)) * hostCos(TWO_PI * u2);
}

/** Standard normal via Box–Muller (cos branch only). */
export function normal(seed: u32, stream: u32, indexLo: u32, indexHi: u32): f64 {
  philoxCore(indexLo, indexHi, stream, 0, seed, 0);
  return boxMuller(r0, r1);
}

// ---- 4-lane SIMD Philox: lane j draws counter (lo_j, hi_j, stream, 0) ----

// Words of the last 4-lane draw.
let v0: v128 = i32x4.splat(0);
let v1: v128 = i32x4.splat(0);

// High 32 bits of the unsigned 32x32 products a[j] * m[j], as 4 lanes.
// @ts-ignore: decorator
@inline
function mulhi4(a: v128, m: v128): v128 {
  const lo = i64x2.extmul_low_i32x4_u(a, m);
  const hi = i64x2.extmul_high_i32x4_u(a, m);
  return v128.shuffle<u32>(lo, hi, 1, 3, 5, 7);
}

// Philox4x32-10 on 4 counters at once (c2 = stream and c3 = 0 are shared by all lanes).
// Only words 0 and 1 are kept (v0, v1): uniform01 and normal use nothing else.
// @ts-ignore: decorator
@inline
function philoxCore4(c0: v128, c1: v128, stream: u32, seed: u32): void {
  const m0 = i32x4.splat(<i32>M0);
  const m1 = i32x4.splat(<i32>M1);
  let c2 = i32x4.splat(<i32>stream);
  let c3 = i32x4.splat(0);
  let k0: u32 = seed;
  let k1: u32 = 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 += W0;
      k1 += W1;
    }
    const n0 = v128.xor(v128.xor(mulhi4(c2, m1), c1), i32x4.splat(<i32>k0));
    const n1 = i32x4.mul(c2, m1);
    const n2 = v128.xor(v128.xor(mulhi4(c0, m0), c3), i32x4.splat(<i32>k1));
    const n3 = i32x4.mul(c0, m0);
    c0 = n0;
    c1 = n1;
    c2 = n2;
    c3 = n3;
  }
  v0 = c0;
  v1 = c1;
}

/**
 * Word 0 of the draws of 8 consecutive counters (lo .. lo+7, no carry into hi) into w0a (the first 4) and
 * w0b: philoxCore4's rounds for two independent chains interleaved round by round (geometricRow: 22.0 ns
 * per synapse, against 23.6-23.9 with two philoxCore4 calls in turn).
 */
let w0a: v128 = i32x4.splat(0);
let w0b: v128 = i32x4.splat(0);

// @ts-ignore: decorator
@inline
function philoxWord0x8(lo: u32, hi: u32, stream: u32, seed: u32): void {
  const m0 = i32x4.splat(<i32>M0);
  const m1 = i32x4.splat(<i32>M1);
  let a0 = i32x4.add(i32x4.splat(<i32>lo), i32x4(0, 1, 2, 3));
  let b0 = i32x4.add(i32x4.splat(<i32>lo), i32x4(4, 5, 6, 7));
  let a1 = i32x4.splat(<i32>hi);
  let b1 = a1;
  let a2 = i32x4.splat(<i32>stream);
  let b2 = a2;
  let a3 = i32x4.splat(0);
  let b3 = a3;
  let k0: u32 = seed;
  let k1: u32 = 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 += W0;
      k1 += W1;
    }
    const kk0 = i32x4.splat(<i32>k0);
    const kk1 = i32x4.splat(<i32>k1);
    const an0 = v128.xor(v128.xor(mulhi4(a2, m1), a1), kk0);
    const bn0 = v128.xor(v128.xor(mulhi4(b2, m1), b1), kk0);
    const an1 = i32x4.mul(a2, m1);
    const bn1 = i32x4.mul(b2, m1);
    const an2 = v128.xor(v128.xor(mulhi4(a0, m0), a3), kk1);
    const bn2 = v128.xor(v128.xor(mulhi4(b0, m0), b3), kk1);
    const an3 = i32x4.mul(a0, m0);
    const bn3 = i32x4.mul(b0, m0);
    a0 = an0; b0 = bn0;
    a1 = an1; b1 = bn1;
    a2 = an2; b2 = bn2;
    a3 = an3; b3 = bn3;
  }
  w0a = a0;
  w0b = b0;
}

// Counters for indices idx .. idx+3 into (c0 lanes, c1 lanes) and run the 4-lane core.
// @ts-ignore: decorator
@inline
function draw4(idx: u64, stream: u32, seed: u32): void {
  const lo = <u32>idx;
  const hi = <u32>(idx >>> 32);
  if (lo <= 0xfffffffc) {
    philoxCore4(i32x4.add(i32x4.splat(<i32>lo), i32x4(0, 1, 2, 3)), i32x4.splat(<i32>hi), stream, seed);
  } else {
    // The low word wraps inside this block: carry into the high word lane by lane.
    let c0 = i32x4.splat(0);
    let c1 = i32x4.splat(0);
    c0 = i32x4.replace_lane(c0, 0, <i32>lo);
    c1 = i32x4.replace_lane(c1, 0, <i32>hi);
    c0 = i32x4.replace_lane(c0, 1, <i32>(<u32>(idx + 1)));
    c1 = i32x4.replace_lane(c1, 1, <i32>(<u32>((idx + 1) >>> 32)));
    c0 = i32x4.replace_lane(c0, 2, <i32>(<u32>(idx + 2)));
    c1 = i32x4.replace_lane(c1, 2, <i32>(<u32>((idx + 2) >>> 32)));
    c0 = i32x4.replace_lane(c0, 3, <i32>(<u32>(idx + 3)));
    c1 = i32x4.replace_lane(c1, 3, <i32>(<u32>((idx + 3) >>> 32)));
    philoxCore4(c0, c1, stream, seed);
  }
}

// Traps through env.abort with a message when [ptr, ptr + bytes) is outside linear memory.
// @ts-ignore: decorator
@inline
function checkRange(ptr: usize, bytes: u64): void {
  assert(<u64>ptr + bytes <= (<u64>memory.size() << 16), "fill range outside linear memory");
}

/** Writes n f64 uniforms for indices base .. base+n-1 (base = baseHi * 2^32 + baseLo) at ptr. */
export function fillUniform01(ptr: usize, n: u32, seed: u32, stream: u32, baseLo: u32, baseHi: u32): void {
  checkRange(ptr, <u64>n << 3);
  const base: u64 = (<u64>baseHi << 32) | <u64>baseLo;
  const scale = f64x2.splat(TWO_POW_M32);
  const n4 = n & ~3;
  let i: u32 = 0;
  for (; i < n4; i += 4) {
    draw4(base + <u64>i, stream, seed);
    const low = f64x2.mul(f64x2.convert_low_i32x4_u(v0), scale);
    const high = f64x2.mul(f64x2.convert_low_i32x4_u(v128.shuffle<u32>(v0, v0, 2, 3, 2, 3)), scale);
    const at = ptr + (<usize>i << 3);
    v128.store(at, low);
    v128.store(at, high, 16);
  }
  for (; i < n; i++) {
    const idx = base + <u64>i;
    philoxCore(<u32>idx, <u32>(idx >>> 32), stream, 0, seed, 0);
    store<f64>(ptr + (<usize>i << 3), <f64>r0 * TWO_POW_M32);
  }
}

/** Writes n f64 standard normals for indices base .. base+n-1 at ptr (Philox in 4 lanes, math per lane). */
export function fillNormal(ptr: usize, n: u32, seed: u32, stream: u32, baseLo: u32, baseHi: u32): void {
  checkRange(ptr, <u64>n << 3);
  const base: u64 = (<u64>baseHi << 32) | <u64>baseLo;
  const n4 = n & ~3;
  let i: u32 = 0;
  for (; i < n4; i += 4) {
    draw4(base + <u64>i, stream, seed);
    const at = ptr + (<usize>i << 3);
    store<f64>(at, boxMuller(i32x4.extract_lane(v0, 0), i32x4.extract_lane(v1, 0)), 0);
    store<f64>(at, boxMuller(i32x4.extract_lane(v0, 1), i32x4.extract_lane(v1, 1)), 8);
    store<f64>(at, boxMuller(i32x4.extract_lane(v0, 2), i32x4.extract_lane(v1, 2)), 16);
    store<f64>(at, boxMuller(i32x4.extract_lane(v0, 3), i32x4.extract_lane(v1, 3)), 24);
  }
  for (; i < n; i++) {
    const idx = base + <u64>i;
    philoxCore(<u32>idx, <u32>(idx >>> 32), stream, 0, seed, 0);
    store<f64>(ptr + (<usize>i << 3), boxMuller(r0, r1));
  }
}

// ---- fixed_probability rows (targets/network/connectivity.ts): geometric gaps from batched draws ----

// Relative margin around t = log(1 - u) / lq within which the floor is taken from the host's log. The host
// (V8: fdlibm) and AssemblyScript (musl) logs are each within 1 ulp of the true value, so the two quotients
// differ by a few ulp (~1e-15 relative), far inside this margin.
const GAP_MARGIN: f64 = 1e-12;

// One gap step of a row: x += 1 + floor(log(1 - u) / lq) with u = word * 2^-32, exactly as the JS
// construction computes it with the host's Math.log. The quotient is first formed with the runtime's own
// log (no call out of wasm); when no integer lies within GAP_MARGIN of it, both quotients have the same
// floor, else (rarely, and always at u = 0) the host's log decides.
// @ts-ignore: decorator
@inline
function gapStep(x: f64, word: u32, lq: f64): f64 {
  const v = 1.0 - <f64>word * TWO_POW_M32;
  const t = Math.log(v) / lq;
  const margin = Math.abs(t) * GAP_MARGIN + 1e-300;
  let g = Math.floor(t - margin);
  if (g != Math.floor(t + margin)) g = Math.floor(hostLog(v) / lq);
  return x + (1.0 + g);
}

/**
 * The positions of one fixed_probability row: x = -1 + sum over m of (1 + floor(log(1 - u_m) / lq)),
 * u_m = uniform01(seed, stream, base + m) (base = baseHi * 2^32 + baseLo), m = 0, 1, ... until x >= nPost.
 * Writes every x < nPost (ascending, as i32) at outPtr and returns how many (at most nPost).
 */
export function geometricRow(outPtr: usize, nPost: u32, seed: u32, stream: u32, baseLo: u32, baseHi: u32, lq: f64): u32 {
  checkRange(outPtr, <u64>nPost << 2);
  const base: u64 = (<u64>baseHi << 32) | <u64>baseLo;
  const limit = <f64>nPost;
  let x: f64 = -1.0;
  let count: u32 = 0;
  for (let m: u64 = 0; ; m += 8) {
    // 8 draws at a time (word 0 of each) while their counters share the high word, else 2 x 4 (draw4
    // handles the carry); the lanes go through WORDS so that one loop consumes them in order
    if (<u32>(base + m) <= 0xfffffff8) {
      philoxWord0x8(<u32>(base + m), <u32>((base + m) >>> 32), stream, seed);
    } else {
      draw4(base + m, stream, seed);
      w0a = v0;
      draw4(base + m + 4, stream, seed);
      w0b = v0;
    }
    v128.store(WORDS, w0a);
    v128.store(WORDS, w0b, 16);
    for (let k: usize = 0; k < 8; k++) {
      x = gapStep(x, load<u32>(WORDS + (k << 2)), lq);
      if (x >= limit) return count;
      store<i32>(outPtr + (<usize>count << 2), <i32>x);
      count++;
    }
  }
  return count; // not reached: every row ends (x grows by at least 1 per draw)
}

/**
 * Rows firstRow, firstRow + 1, ... of one fixed_probability projection (row r draws from base r * rowStride),
 * each as geometricRow writes it, one after another at outPtr (room for `capacity` positions), with row
 * k's count at countsPtr + 4k. Stops after nRows rows or before a row that might not fit (fewer than nPost
 * places left); returns the rows written. One call does what a call per row did, without the host's
 * per-call cost (CUBA 64k: 128,000 rows).
 */
export function geometricRows(
  outPtr: usize, capacity: u32, countsPtr: usize, nRows: u32, nPost: u32, seed: u32, stream: u32, firstRow: u32, rowStride: u32, lq: f64,
): u32 {
  checkRange(countsPtr, <u64>nRows << 2);
  let used: u32 = 0;
  let r: u32 = 0;
  for (; r < nRows; r++) {
    if (capacity - used < nPost) break;
    const base: u64 = <u64>(firstRow + r) * <u64>rowStride;
    const c = geometricRow(outPtr + (<usize>used << 2), nPost, seed, stream, <u32>base, <u32>(base >> 32), lq);
    store<u32>(countsPtr + (<usize>r << 2), c);
    used += c;
  }
  return r;
}
