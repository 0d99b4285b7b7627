// A poisson_count source's step in wasm. In: the source's PopLayout (with `count`) and the Env; out: the function
// s<i>_count(k), which draws this thread's elements (its shard; all of them on one thread) and appends each
// element e once per event to the thread's spike list, as targets/network/sources.ts does: the count of e is the
// inversion of u = uniform01(seed, stream, k * size + e) against Poisson(lambda_e) with the f64 operations of
// compiler/builtins/poisson-count.ts in the same order, so the counts equal the reference's.
//
// The uniforms are drawn here, not by the runtime: Philox4x32-10 (runtime/assembly/rng.ts, the same words) in
// three chains of 4 lanes with the round keys as constants (the seed is the layout's). Only word 0 is kept,
// u = word 2^-32. The inversion compares u with the partial sums f_0 = exp(-lambda), f_1, ... of the Poisson
// probabilities, each a constant of the element; u >= f is word >= f 2^32, an integer comparison. So the
// words are compared, 4 lanes at a time, with the element's thresholds of one, two and three events
// (countThresholds): most have no event, a lane below the second has exactly one, below the third exactly
// two, and only a lane at or above the third runs the inversion itself. A step that would pass the list's
// room sets the overflow slot (step + 1) and appends nothing more, as before; threaded, the total of the
// threads' lists is checked against the room too (lower-step.ts, at the counts).

import type { Expr, FunctionSpec } from "./module.js";
import type { PopLayout } from "./layout.js";
import { ownList, ownShard, stepFn, type Env } from "./scopes.js";

/** Philox4x32 round multipliers and Weyl key increments (Random123; runtime/assembly/rng.ts). */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const ROUNDS = 10;
/** Lanes per chain and chains per block: a block draws 12 consecutive elements (three chains keep more
 *  independent work in flight than two: ~8 % fewer cycles a draw, though some vectors spill). */
const CHAINS = 3;
const BLOCK = 4 * CHAINS;

/** The round keys (k0, k1) of Philox4x32-10 with key (seed, 0). */
function roundKeys(seed: number): [number, number][] {
  const keys: [number, number][] = [];
  let k0 = seed >>> 0;
  let k1 = 0;
  for (let r = 0; r < ROUNDS; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    keys.push([k0, k1]);
  }
  return keys;
}

/** The high and low 32 bits of the product of two u32 (exact, through BigInt). */
function mul32(a: number, b: number): { hi: number; lo: number } {
  const p = BigInt(a >>> 0) * BigInt(b >>> 0);
  return { hi: Number(p >> 32n) >>> 0, lo: Number(p & 0xffffffffn) >>> 0 };
}

/** No word reaches this threshold but the largest, which then runs the inversion itself. */
const NEVER = 0xffffffff;

/** Threshold tiers per element (one, two, three events) and the lane table after them (countThresholds). */
const TIERS = 3;

/** i32 words of a poisson_count source's thresholds for `pad` elements: TIERS rows of pad + 8, then the table. */
export function countThresholdWords(pad: number): number {
  return TIERS * (pad + 8) + 64;
}

/**
 * Per element of a poisson_count source (padded to `pad`, then 8 spare lanes), three word thresholds: T1[e] (one
 * or more events iff word >= T1[e]), from pad + 8 on T2[e] (two or more) and from 2 (pad + 8) on T3[e] (maybe
 * three or more: the inversion decides). The partial sums are those of the inversion's loop, the same f64
 * operations in the same order; word 2^-32 >= f iff word >= ceil(f 2^32) (scaling by 2^32 is exact). Where that
 * is no u32 (f 2^32 above 2^32 - 1) or the loop would not run (p = 0), the threshold is NEVER, and so is every
 * threshold after it: T1 = NEVER sends the largest word to the inversion too (T2, T3 <= NEVER), so a lane is
 * only ever counted as one or two events where that is exact. Then 16 rows of 4 lanes (`LANE_TABLE`): row m
 * lists the lanes of the bits of the 4-bit mask m in ascending order.
 */
export function countThresholds(lam: Float64Array, q0: Float64Array, pad: number): Int32Array {
  const out = new Int32Array(countThresholdWords(pad)).fill(NEVER | 0);
  const exact = (f: number, p: number): number => {
    const t = Math.ceil(f * 2 ** 32);
    return p > 0 && t <= NEVER ? t : NEVER;
  };
  const row = pad + 8;
  for (let e = 0; e < lam.length; e++) {
    // the inversion's loop: f = p0, then p = p * lam / c, f += p at c = 1, 2
    const p0 = q0[e]!;
    const p1 = (p0 * lam[e]!) / 1;
    const f1 = p0 + p1;
    const p2 = (p1 * lam[e]!) / 2;
    const f2 = f1 + p2;
    const t1 = exact(p0, p0);
    const t2 = t1 !== NEVER ? exact(f1, p1) : NEVER;
    const t3 = t2 !== NEVER ? exact(f2, p2) : NEVER;
    out[e] = t1 | 0;
    out[row + e] = t2 | 0;
    out[2 * row + e] = t3 | 0;
  }
  const table = TIERS * row;
  for (let mask = 0; mask < 16; mask++) {
    let at = 0;
    for (let lane = 0; lane < 4; lane++) if ((mask >> lane) & 1) out[table + 4 * mask + at++] = lane;
    while (at < 4) out[table + 4 * mask + at++] = 0;
  }
  return out;
}

export function countSourceFn(env: Env, pl: PopLayout, name: string): FunctionSpec {
  const ir = env.ir;
  const sf = stepFn(env);
  const fn = sf.fn;
  const co = pl.count!;
  const threaded = env.layout.threads > 1;
  const i32 = (n: string): number => fn.local(n, "i32");
  const m2 = fn.local("m2", "i32");
  const [e, hi, hiLim, n, buf, lo32, hi32, m, ee, c, jj] = [
    i32("e"),
    i32("hi"),
    i32("hiLim"),
    i32("n"),
    i32("buf"),
    i32("lo32"),
    i32("hi32"),
    i32("m"),
    i32("ee"),
    i32("c"),
    i32("jj"),
  ];
  const base = fn.local("base", "i64");
  const b64 = fn.local("b64", "i64");
  const [u, lam, p, f] = [fn.local("u", "f64"), fn.local("lam", "f64"), fn.local("p", "f64"), fn.local("f", "f64")];
  const v = (nm: string): number => fn.local(nm, "v128");
  const chains = Array.from({ length: CHAINS }, (_, ch) => ({
    c: [v(`c0_${ch}`), v(`c1_${ch}`), v(`c2_${ch}`), v(`c3_${ch}`)],
    pa: v(`pa_${ch}`),
    pb: v(`pb_${ch}`),
  }));
  const splat = (x: number): Expr => ir.v128.const(new Uint8Array(new Uint32Array([x, x, x, x]).buffer));
  const lanes = (xs: number[]): Expr => ir.v128.const(new Uint8Array(new Uint32Array(xs).buffer));
  // of the two i64x2 products (lanes 0,1 and 2,3), the high words (bytes 4-7 of each)
  const HI = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31];
  const keys = roundKeys(env.layout.seed);
  const noCarry = i32("noCarry");
  const [hv, lv] = [v("hv"), v("lv")];
  const p1 = fn.local("p1", "i64");
  const stream = co.stream >>> 0;
  const s1 = mul32(stream, M1); // round 0: counter word 2 is the stream in every lane, word 3 is 0

  /**
   * Round r of Philox4x32-10 on chain ch's counter words c0..c3 (after the last round, word 0 is in c0). A
   * product's high words come from the two i64x2 products, its low words from i32x4.mul (the same bits,
   * without a shuffle); the low words of round 8's c2 M1 and the like that the last round does not read are
   * left to binaryen's dead code elimination.
   */
  const round = (ch: (typeof chains)[number], r: number): Expr[] => {
    const [c0, c1, c2, c3] = ch.c as [number, number, number, number];
    const t = fn.local(`t_${chains.indexOf(ch)}`, "v128");
    const t2 = fn.local(`u_${chains.indexOf(ch)}`, "v128");
    const [k0, k1] = keys[r]!;
    const hiOf = (): Expr => ir.i8x16.shuffle(fn.get(ch.pa), fn.get(ch.pb), HI);
    const loOf = (x: number, mult: number): Expr => ir.i32x4.mul(fn.get(x), splat(mult));
    const products = (x: number, mult: number): Expr[] => [
      fn.set(ch.pa, ir.i64x2.extmul_low_i32x4_u(fn.get(x), splat(mult))),
      fn.set(ch.pb, ir.i64x2.extmul_high_i32x4_u(fn.get(x), splat(mult))),
    ];
    // c0' = hi(c2 M1) ^ c1 ^ k0; c1' = lo(c2 M1); c2' = hi(c0 M0) ^ c3 ^ k1; c3' = lo(c0 M0)
    if (r === 0)
      // counter word 2 is the stream in every lane and word 3 is 0: c2 M1 is a constant
      return [
        ...products(c0, M0),
        fn.set(c3, loOf(c0, M0)),
        fn.set(c0, ir.v128.xor(fn.get(c1), splat((s1.hi ^ k0) >>> 0))),
        fn.set(c2, ir.v128.xor(hiOf(), splat(k1))),
        fn.set(c1, splat(s1.lo)),
      ];
    if (r === ROUNDS - 1)
      // only word 0 is used
      return [...products(c2, M1), fn.set(c0, ir.v128.xor(ir.v128.xor(hiOf(), fn.get(c1)), splat(k0)))];
    const general = (): Expr[] => [
      ...products(c0, M0),
      fn.set(t2, ir.v128.xor(ir.v128.xor(hiOf(), fn.get(c3)), splat(k1))),
      fn.set(c3, loOf(c0, M0)),
    ];
    return [
      ...products(c2, M1),
      fn.set(t, ir.v128.xor(ir.v128.xor(hiOf(), fn.get(c1)), splat(k0))),
      fn.set(c1, loOf(c2, M1)),
      // round 1: c0 is the counter's high word ^ a constant, the same in every lane unless a low word wrapped in
      // this block: c0 M0 is then the block's scalar product (hv: its high word ^ k1, lv: its low word)
      ...(r === 1
        ? [
            ir.if(
              fn.get(noCarry),
              fn.block([fn.set(t2, ir.v128.xor(fn.get(c3), fn.get(hv))), fn.set(c3, fn.get(lv))]),
              fn.block(general()),
            ),
          ]
        : general()),
      fn.set(c0, fn.get(t)),
      fn.set(c2, fn.get(t2)),
    ];
  };

  // the block's words: 4 BLOCK bytes at scratch + 16 e (a thread's blocks, from a multiple of 4 below its shard's
  // end, stay inside its own shard's bytes)
  const wordsAt = (): Expr => ir.i32.add(ir.i32.const(co.scratch), ir.i32.shl(fn.get(e), ir.i32.const(4)));
  const q0At = (x: Expr): Expr => fn.addr(co.q0, x, 8);
  /** Threshold `which` (0: one event, 1: two, 2: three) of elements e + 4ch .. + 3 (countThresholds). */
  const threshold = (ch: number, which: 0 | 1 | 2): Expr =>
    ir.v128.load(16 * ch + which * 4 * (pl.pad + 8), 16, fn.addr(co.thresholds, fn.get(e), 4));
  const block: Expr[] = [
    fn.set(b64, ir.i64.add(fn.get(base), ir.i64.extend_u(fn.get(e)))),
    fn.set(lo32, ir.i32.wrap(fn.get(b64))),
    fn.set(hi32, ir.i32.wrap(ir.i64.shr_u(fn.get(b64), ir.i64.const(32n)))),
    // no lane's low word wraps: round 0 leaves c0 = hi32 ^ hi(stream M1) ^ k0 in every lane, and round 1's c0 M0
    // is one product (its high word comes with round 1's k1)
    fn.set(noCarry, ir.i32.le_u(fn.get(lo32), ir.i32.const((0xffffffff - (BLOCK - 1)) | 0))),
    fn.set(
      p1,
      ir.i64.mul(
        ir.i64.extend_u(ir.i32.xor(fn.get(hi32), ir.i32.const((s1.hi ^ keys[0]![0]) | 0))),
        ir.i64.const(BigInt(M0)),
      ),
    ),
    fn.set(
      hv,
      ir.i32x4.splat(
        ir.i32.xor(ir.i32.wrap(ir.i64.shr_u(fn.get(p1), ir.i64.const(32n))), ir.i32.const(keys[1]![1] | 0)),
      ),
    ),
    fn.set(lv, ir.i32x4.splat(ir.i32.wrap(fn.get(p1)))),
  ];
  chains.forEach((ch, k) => {
    const [c0, c1] = ch.c as [number, number];
    block.push(
      fn.set(c0, ir.i32x4.add(ir.i32x4.splat(fn.get(lo32)), lanes([4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3]))),
      // a lane whose low word wrapped carries into the high word (lt_u gives -1 there)
      fn.set(c1, ir.i32x4.sub(ir.i32x4.splat(fn.get(hi32)), ir.i32x4.lt_u(fn.get(c0), ir.i32x4.splat(fn.get(lo32))))),
    );
  });
  // the chains round by round (independent work for the CPU to overlap)
  for (let r = 0; r < ROUNDS; r++) for (const ch of chains) block.push(...round(ch, r));
  // bit j of m: element e + j has an event; of m2: two or more; of m3: maybe three or more
  const bitsOf = (which: 0 | 1 | 2): Expr => {
    let mask: Expr = ir.i32.const(0);
    chains.forEach((ch, k) => {
      const bits = ir.i32x4.bitmask(ir.i32x4.ge_u(fn.get(ch.c[0]!), threshold(k, which)));
      mask = ir.i32.or(mask, k === 0 ? bits : ir.i32.shl(bits, ir.i32.const(4 * k)));
    });
    return mask;
  };
  // lanes from hiLim on have no events
  const d = fn.local("d", "i32");
  const m3 = fn.local("m3", "i32");
  const valid = (): Expr =>
    ir.select(
      ir.i32.ge_s(fn.get(d), ir.i32.const(BLOCK)),
      ir.i32.const((1 << BLOCK) - 1),
      ir.select(
        ir.i32.gt_s(fn.get(d), ir.i32.const(0)),
        ir.i32.sub(ir.i32.shl(ir.i32.const(1), fn.get(d)), ir.i32.const(1)),
        ir.i32.const(0),
      ),
    );
  block.push(
    fn.set(d, ir.i32.sub(fn.get(hiLim), fn.get(e))),
    fn.set(m2, ir.i32.and(bitsOf(1), valid())),
    fn.set(m, ir.i32.or(ir.i32.and(bitsOf(0), valid()), fn.get(m2))),
  );

  // the exact inversion of element ee (u from its word), then ee appended c times (or the overflow noted)
  const overflowAt = ir.i32.const(co.overflow);
  const noteOverflow = threaded
    ? ir.drop(ir.i32.atomic.rmw.cmpxchg(0, overflowAt, ir.i32.const(0), ir.i32.add(fn.get(sf.k), ir.i32.const(1))))
    : ir.if(
        ir.i32.eqz(fn.loadI32(overflowAt)),
        fn.storeI32(ir.i32.const(co.overflow), ir.i32.add(fn.get(sf.k), ir.i32.const(1))),
      );
  const exact: Expr[] = [
    fn.set(
      u,
      ir.f64.mul(
        ir.f64.convert_u.i32(
          fn.loadI32(ir.i32.add(wordsAt(), ir.i32.shl(ir.i32.sub(fn.get(ee), fn.get(e)), ir.i32.const(2)))),
        ),
        ir.f64.const(2.3283064365386963e-10),
      ),
    ),
    fn.set(lam, ir.f64.load(0, 8, fn.addr(co.lam, fn.get(ee), 8))),
    fn.set(p, ir.f64.load(0, 8, q0At(fn.get(ee)))),
    fn.set(f, fn.get(p)),
    fn.set(c, ir.i32.const(0)),
    fn.whileLoop(ir.i32.and(ir.f64.ge(fn.get(u), fn.get(f)), ir.f64.gt(fn.get(p), ir.f64.const(0))), [
      fn.set(c, ir.i32.add(fn.get(c), ir.i32.const(1))),
      fn.set(p, ir.f64.div(ir.f64.mul(fn.get(p), fn.get(lam)), ir.f64.convert_s.i32(fn.get(c)))),
      fn.set(f, ir.f64.add(fn.get(f), fn.get(p))),
    ]),
    ir.if(
      ir.i32.gt_u(ir.i32.add(fn.get(n), fn.get(c)), ir.i32.const(co.capacity)),
      noteOverflow,
      fn.forLoop(jj, ir.i32.const(0), fn.get(c), 1, [
        fn.storeI32(ir.i32.add(fn.get(buf), ir.i32.shl(fn.get(n), ir.i32.const(2))), fn.get(ee)),
        fn.set(n, ir.i32.add(fn.get(n), ir.i32.const(1))),
      ]),
    ),
  ];
  // one event: ee appended once (or the overflow noted)
  const once = ir.if(
    ir.i32.gt_u(ir.i32.add(fn.get(n), ir.i32.const(1)), ir.i32.const(co.capacity)),
    ir.copyExpression(noteOverflow),
    ir.block(null, [
      fn.storeI32(ir.i32.add(fn.get(buf), ir.i32.shl(fn.get(n), ir.i32.const(2))), fn.get(ee)),
      fn.set(n, ir.i32.add(fn.get(n), ir.i32.const(1))),
    ]),
  );
  // the lanes with events, in ascending element order. When none has two or more and the list has room for
  // BLOCK more, without branches: for each 4 lanes, row m of the lane table (the lanes of the mask's bits, in
  // ascending order) plus the first lane's element is stored at the end of the list, and the count moves by
  // the mask's bits
  const tableAt = co.thresholds + 4 * TIERS * (pl.pad + 8);
  const listAt = (): Expr => ir.i32.add(fn.get(buf), ir.i32.shl(fn.get(n), ir.i32.const(2)));
  const fast: Expr[] = [];
  for (let q = 0; q < CHAINS; q++) {
    const mq = (): Expr => ir.i32.and(ir.i32.shr_u(fn.get(m), ir.i32.const(4 * q)), ir.i32.const(15));
    fast.push(
      ir.v128.store(
        0,
        4,
        listAt(),
        ir.i32x4.add(
          ir.i32x4.splat(ir.i32.add(fn.get(e), ir.i32.const(4 * q))),
          ir.v128.load(tableAt, 16, ir.i32.shl(mq(), ir.i32.const(4))),
        ),
      ),
      fn.set(n, ir.i32.add(fn.get(n), ir.i32.popcnt(mq()))),
    );
  }
  // no lane with three or more and room for 2 BLOCK more, without branches either: every lane's element is stored
  // twice at the end of the list and the count moves by its events (0, 1 or 2)
  const twice: Expr[] = [];
  for (let lane = 0; lane < BLOCK; lane++) {
    const bit = (x: number): Expr => ir.i32.and(ir.i32.shr_u(fn.get(x), ir.i32.const(lane)), ir.i32.const(1));
    twice.push(
      ir.i32.store(0, 4, listAt(), ir.i32.add(fn.get(e), ir.i32.const(lane))),
      ir.i32.store(4, 4, listAt(), ir.i32.add(fn.get(e), ir.i32.const(lane))),
      fn.set(n, ir.i32.add(fn.get(n), ir.i32.add(bit(m), bit(m2)))),
    );
  }
  // else each lane in turn: one event appended, or the exact inversion of its word (from the scratch)
  const j = fn.local("j", "i32");
  const slow = fn.block([
    ...chains.map((ch, k) => ir.v128.store(16 * k, 16, wordsAt(), fn.get(ch.c[0]!))),
    fn.whileLoop(fn.get(m), [
      fn.set(j, ir.i32.ctz(fn.get(m))),
      fn.set(ee, ir.i32.add(fn.get(e), fn.get(j))),
      fn.set(m, ir.i32.and(fn.get(m), ir.i32.sub(fn.get(m), ir.i32.const(1)))),
      ir.if(
        ir.i32.lt_s(fn.get(ee), fn.get(hiLim)),
        ir.if(ir.i32.and(ir.i32.shr_u(fn.get(m2), fn.get(j)), ir.i32.const(1)), fn.block(exact), once),
      ),
    ]),
  ]);
  block.push(
    ir.if(
      ir.i32.and(ir.i32.eqz(fn.get(m2)), ir.i32.le_s(fn.get(n), ir.i32.const(co.capacity - BLOCK))),
      fn.block(fast),
      fn.block([
        fn.set(m3, bitsOf(2)),
        ir.if(
          ir.i32.and(ir.i32.eqz(fn.get(m3)), ir.i32.le_s(fn.get(n), ir.i32.const(co.capacity - 2 * BLOCK))),
          fn.block(twice),
          slow,
        ),
      ]),
    ),
  );

  const body: Expr[] = [
    sf.prologue,
    fn.set(n, ir.i32.const(0)),
    fn.set(buf, ownList(env, sf, pl, "buf")),
    // threaded: the thread's shard of the elements; else all of them (a lone list's shard spans its room)
    fn.set(hi, pl.shardTable !== 0 ? ownShard(env, pl, 1) : ir.i32.const(pl.pad)),
    fn.set(hiLim, ir.select(ir.i32.lt_s(fn.get(hi), ir.i32.const(pl.size)), fn.get(hi), ir.i32.const(pl.size))),
    fn.set(base, ir.i64.mul(ir.i64.extend_s(fn.get(sf.k)), ir.i64.const(BigInt(pl.size)))),
    fn.forLoop(e, pl.shardTable !== 0 ? ownShard(env, pl, 0) : ir.i32.const(0), fn.get(hi), BLOCK, block),
    fn.storeI32(ownList(env, sf, pl, "n"), fn.get(n)),
  ];
  return { name, params: ["i32"], result: "none", locals: fn.locals, body: ir.block(null, body) };
}
