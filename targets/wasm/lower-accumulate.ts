// Delivery of an accumulating projection (accumulate.ts) through its input ring. In: a ProjLayout with
// `accum`, the Env and a builder of the synapse scope; out: p<j>_deliver(k), which
//   1. counts the events due at step k (event ring slot k mod evSlots, as the reference counts arrivals),
//   2. when it applies the ring: adds slot k mod slots into the post variable X over this thread's post
//      elements and zeroes the slot,
//   3. for each spike of the pre slice this step, for each delay segment of its row: delay 0 adds the
//      synapses' values into X now; delay d adds them into ring slot (k + d) mod slots (one add per event).
// Threaded layouts: each thread handles the synapses onto its own post elements (segment bounds per thread),
// so its ring entries and X elements are its own; its event ring is its own.
// Steps run in pairs (step-batch.ts, every delay at least one step): p<j>_deliver(k) does 1, 2 and the count
// into the thread's counter (part "due"), p<j>_ring(j) does 3 for step j's spikes (part "ring").

import type { Scope } from "./lower-expr.js";
import { asNum, lowerExpr } from "./lower-expr.js";
import type { Expr, FunctionSpec } from "./module.js";
import { EVENT_STRIDE, type ProjLayout } from "./layout.js";
import { DELTA_ESC, DELTA_NEXT, DELTA_RUN } from "./post-deltas.js";
import { ownShard, shardCount, shardElem, stepFn, threadId, type Env, type StepFn } from "./scopes.js";

export interface SynLocals {
  s: number;
  pi: number;
  po: number;
  a: number;
}

export function accumDeliverFn(
  env: Env,
  pj: ProjLayout,
  j: number,
  scopeOf: (sf: StepFn, loc: SynLocals) => Scope,
  part: "all" | "due" | "ring" = "all",
): FunctionSpec {
  const ir = env.ir;
  const L = env.scal;
  const acc = pj.accum!;
  const sf = stepFn(env);
  const fn = sf.fn;
  const loc: SynLocals = {
    s: fn.local("s", "i32"),
    pi: fn.local("pi", "i32"),
    po: fn.local("po", "i32"),
    a: fn.local("a", "i32"),
  };
  const i32 = (name: string): number => fn.local(name, "i32");
  const [x, g, gEnd, d, s1, base, nEv, evBase, at, lo, hi, b] = [
    i32("x"),
    i32("g"),
    i32("gEnd"),
    i32("d"),
    i32("s1"),
    i32("base"),
    i32("nEv"),
    i32("evBase"),
    i32("at"),
    i32("lo"),
    i32("hi"),
    i32("b"),
  ];
  const [kr, ke, w] = [i32("kr"), i32("ke"), i32("wrapped")];
  /** x mod n for 0 <= x < 2n (wasm evaluates select's operands in order: the tee comes first). */
  const wrap = (x: Expr, n: number): Expr =>
    ir.select(ir.i32.ge_u(fn.get(w), ir.i32.const(n)), ir.i32.sub(fn.tee(w, x), ir.i32.const(n)), fn.get(w));
  const xAddr = pj.post.arrays.get(acc.variable)!;
  const rowBytes = pj.post.pad * L.bytes;
  const k = (): Expr => fn.get(sf.k);
  const tid = (): Expr => threadId(env);
  const scope = scopeOf(sf, loc);
  const value = (): Expr => asNum(scope, lowerExpr(acc.add, scope));
  const postOf = (s: Expr): Expr => {
    const a = fn.addr(pj.postIdx, s, pj.postIdxBytes);
    return pj.postIdxBytes === 2 ? ir.i32.load16_u(0, 2, a) : fn.loadI32(a);
  };
  const addAt = (addr: Expr): Expr[] => [fn.set(at, addr), L.store(fn.get(at), L.add(L.load(fn.get(at)), value()))];
  const body: Expr[] = [
    sf.prologue,
    fn.set(evBase, ir.i32.add(ir.i32.const(acc.evRing), ir.i32.mul(tid(), ir.i32.const(acc.evStride)))),
    // 1: events arriving now
    // k mod slots and k mod evSlots once; (k + d) mod n is then one compare (d < evSlots <= slots)
    fn.set(kr, ir.i32.rem_u(k(), ir.i32.const(acc.slots))),
    fn.set(ke, ir.i32.rem_u(k(), ir.i32.const(acc.evSlots))),
  ];
  if (part !== "ring")
    body.push(
      fn.set(at, ir.i32.add(fn.get(evBase), ir.i32.shl(fn.get(ke), ir.i32.const(2)))),
      fn.set(nEv, fn.loadI32(fn.get(at))),
      fn.storeI32(fn.get(at), ir.i32.const(0)),
    );
  if (acc.apply && part !== "ring") {
    // 2: X += ring slot k, slot zeroed (this thread's post elements: a multiple of 4 from a multiple of 4, in
    // 16-byte lanes, each element's own addition as before)
    const add = L.bytes === 4 ? ir.f32x4.add.bind(ir.f32x4) : ir.f64x2.add.bind(ir.f64x2);
    const slotAt = (e: Expr): Expr => ir.i32.add(fn.get(base), fn.addr(0, e, L.bytes));
    body.push(
      fn.set(base, ir.i32.add(ir.i32.const(acc.buf), ir.i32.mul(fn.get(kr), ir.i32.const(rowBytes)))),
      fn.set(lo, ownShard(env, pj.post, 0)),
      fn.set(hi, ownShard(env, pj.post, 1)),
      fn.forLoop(x, fn.get(lo), fn.get(hi), 16 / L.bytes, [
        fn.set(at, fn.addr(xAddr, fn.get(x), L.bytes)),
        ir.v128.store(0, 16, fn.get(at), add(ir.v128.load(0, 16, fn.get(at)), ir.v128.load(0, 16, slotAt(fn.get(x))))),
        ir.v128.store(0, 16, slotAt(fn.get(x)), ir.v128.const(new Array<number>(16).fill(0))),
      ]),
    );
  }
  // 3: this step's spikes, segment by segment
  // a run of one delay: `word` at w gives its delay and length; synapses loc.s .. s1-1, then loc.s = s1.
  // Built anew for each shard's loop (binaryen expressions and labels are used once).
  const perRun = (): Expr[] => [
    fn.set(d, ir.i32.load16_u(0, 2, fn.addr(acc.words, fn.get(g), 2))),
    fn.set(s1, ir.i32.add(fn.get(loc.s), ir.i32.shr_u(fn.get(d), ir.i32.const(8)))),
    fn.set(d, ir.i32.and(fn.get(d), ir.i32.const(255))),
    ir.if(
      ir.i32.eqz(fn.get(d)),
      fn.block([
        fn.set(nEv, ir.i32.add(fn.get(nEv), ir.i32.sub(fn.get(s1), fn.get(loc.s)))),
        fn.forLoop(loc.s, fn.get(loc.s), fn.get(s1), 1, addAt(fn.addr(xAddr, postOf(fn.get(loc.s)), L.bytes))),
      ]),
      fn.block([
        fn.set(
          at,
          ir.i32.add(fn.get(evBase), ir.i32.shl(wrap(ir.i32.add(fn.get(ke), fn.get(d)), acc.evSlots), ir.i32.const(2))),
        ),
        fn.storeI32(fn.get(at), ir.i32.add(fn.loadI32(fn.get(at)), ir.i32.sub(fn.get(s1), fn.get(loc.s)))),
        fn.set(
          base,
          ir.i32.add(
            ir.i32.const(acc.buf),
            ir.i32.mul(wrap(ir.i32.add(fn.get(kr), fn.get(d)), acc.slots), ir.i32.const(rowBytes)),
          ),
        ),
        fn.forLoop(
          loc.s,
          fn.get(loc.s),
          fn.get(s1),
          1,
          addAt(ir.i32.add(fn.get(base), fn.addr(0, postOf(fn.get(loc.s)), L.bytes))),
        ),
      ]),
    ),
    fn.set(loc.s, fn.get(s1)),
  ];
  // flagged runs (synapse-order.ts runFlags): the block starts at delay 0 (into X); a flagged synapse first
  // adds the run's count to its delay's event slot and moves to the next delay (+1 or + the next gap byte)
  const [v, cnt] = [i32("v"), i32("cnt")];
  const flagMin = acc.flagBits === 2 ? 0x4000 : 0x8000;
  const flush = (): Expr =>
    ir.if(
      ir.i32.eqz(fn.get(d)),
      fn.set(nEv, ir.i32.add(fn.get(nEv), fn.get(cnt))),
      fn.block([
        fn.set(
          at,
          ir.i32.add(fn.get(evBase), ir.i32.shl(wrap(ir.i32.add(fn.get(ke), fn.get(d)), acc.evSlots), ir.i32.const(2))),
        ),
        fn.storeI32(fn.get(at), ir.i32.add(fn.loadI32(fn.get(at)), fn.get(cnt))),
      ]),
    );
  const perFlagged = (): Expr[] => [
    fn.set(v, ir.i32.load16_u(0, 2, fn.addr(pj.postIdx, fn.get(loc.s), 2))),
    ir.if(
      ir.i32.ge_u(fn.get(v), ir.i32.const(flagMin)),
      fn.block([
        flush(),
        fn.set(cnt, ir.i32.const(0)),
        fn.set(
          d,
          ir.i32.add(
            fn.get(d),
            acc.flagBits === 1
              ? ir.i32.load8_u(0, 1, ir.i32.add(ir.i32.const(acc.gaps), fn.get(g)))
              : ir.select(
                  ir.i32.ge_u(fn.get(v), ir.i32.const(0x8000)),
                  ir.i32.load8_u(0, 1, ir.i32.add(ir.i32.const(acc.gaps), fn.get(g))),
                  ir.i32.const(1),
                ),
          ),
        ),
        fn.set(g, ir.i32.add(fn.get(g), ir.i32.shr_u(fn.get(v), ir.i32.const(15)))),
        fn.set(v, ir.i32.and(fn.get(v), ir.i32.const(flagMin - 1))),
        fn.set(
          base,
          ir.i32.add(
            ir.i32.const(acc.buf),
            ir.i32.mul(wrap(ir.i32.add(fn.get(kr), fn.get(d)), acc.slots), ir.i32.const(rowBytes)),
          ),
        ),
      ]),
    ),
    ...addAt(ir.i32.add(fn.get(base), fn.addr(0, ir.i32.add(fn.get(v), fn.get(lo)), L.bytes))),
    fn.set(cnt, ir.i32.add(fn.get(cnt), ir.i32.const(1))),
  ];
  const perBlockFlagged = (): Expr[] => [
    fn.set(g, fn.loadI32(fn.at32(acc.blockSeg, fn.get(b)))),
    fn.set(d, ir.i32.const(0)),
    fn.set(cnt, ir.i32.const(0)),
    fn.set(base, ir.i32.const(xAddr)),
    fn.set(s1, fn.loadI32(fn.at32(acc.blockSyn, fn.get(b)), 4)),
    fn.forLoop(loc.s, fn.loadI32(fn.at32(acc.blockSyn, fn.get(b))), fn.get(s1), 1, perFlagged()),
    flush(),
  ];
  // byte deltas (post-deltas.ts): p (in v) steps by the byte, or by the next extension word at DELTA_ESC; DELTA_NEXT
  // and DELTA_RUN first move to the next delay (one step, or the step in the next word; the post then is the next
  // word, as an escape from 0)
  const perDelta = (c: number, esc: number): Expr[] => {
    const extWord = (): Expr => ir.i32.load16_u(0, 2, fn.addr(acc.ext, fn.get(g), 2));
    return [
      fn.set(c, ir.i32.load8_u(0, 1, ir.i32.add(ir.i32.const(pj.postIdx), fn.get(loc.s)))),
      ir.if(
        // DELTA_NEXT or DELTA_RUN (not DELTA_ESC)
        ir.i32.lt_u(ir.i32.sub(fn.get(c), ir.i32.const(DELTA_NEXT)), ir.i32.const(2)),
        fn.block([
          flush(),
          fn.set(cnt, ir.i32.const(0)),
          fn.set(esc, ir.i32.eq(fn.get(c), ir.i32.const(DELTA_RUN))),
          fn.set(d, ir.i32.add(fn.get(d), ir.select(fn.get(esc), extWord(), ir.i32.const(1)))),
          fn.set(g, ir.i32.add(fn.get(g), fn.get(esc))),
          fn.set(
            base,
            ir.i32.add(
              ir.i32.const(acc.buf),
              ir.i32.mul(wrap(ir.i32.add(fn.get(kr), fn.get(d)), acc.slots), ir.i32.const(rowBytes)),
            ),
          ),
          fn.set(v, ir.i32.const(0)),
          fn.set(c, ir.i32.const(DELTA_ESC)),
        ]),
      ),
      // an escape takes the step from the next word (read always: no branch on the step's size)
      fn.set(esc, ir.i32.eq(fn.get(c), ir.i32.const(DELTA_ESC))),
      fn.set(v, ir.i32.add(fn.get(v), ir.select(fn.get(esc), extWord(), fn.get(c)))),
      fn.set(g, ir.i32.add(fn.get(g), fn.get(esc))),
      ...addAt(ir.i32.add(fn.get(base), fn.addr(0, ir.i32.add(fn.get(v), fn.get(lo)), L.bytes))),
      fn.set(cnt, ir.i32.add(fn.get(cnt), ir.i32.const(1))),
    ];
  };
  const perBlockDelta = (): Expr[] => {
    const [c, esc] = [i32("c"), i32("esc")];
    return [
      fn.set(g, fn.loadI32(fn.at32(acc.blockSeg, fn.get(b)))),
      fn.set(d, ir.i32.const(0)),
      fn.set(cnt, ir.i32.const(0)),
      fn.set(v, ir.i32.const(0)),
      fn.set(base, ir.i32.const(xAddr)),
      fn.set(s1, fn.loadI32(fn.at32(acc.blockSyn, fn.get(b)), 4)),
      fn.forLoop(loc.s, fn.loadI32(fn.at32(acc.blockSyn, fn.get(b))), fn.get(s1), 1, perDelta(c, esc)),
      flush(),
    ];
  };
  if (part === "ring") body.push(fn.set(nEv, ir.i32.const(0)));
  if ((acc.flagBits > 0 || acc.deltas) && part !== "due") body.push(fn.set(lo, ownShard(env, pj.post, 0)));
  // this thread's block of row e: b = e * threads + thread
  const block = (): Expr =>
    env.layout.threads === 1 ? fn.get(e) : ir.i32.add(ir.i32.mul(fn.get(e), ir.i32.const(env.layout.threads)), tid());
  const lo0 = pj.proj.pre.start,
    hi0 = pj.proj.pre.end;
  const e = loc.pi;
  for (const sh of part === "due" ? [] : pj.pre.shards) {
    if (sh.hi <= lo0 || sh.lo >= hi0) continue;
    body.push(
      fn.forLoop(x, ir.i32.const(0), fn.loadI32(shardCount(env, sf, pj.pre, sh)), 1, [
        fn.set(e, fn.loadI32(shardElem(env, sf, pj.pre, sh, fn.get(x)))),
        ir.if(
          ir.i32.and(ir.i32.ge_s(fn.get(e), ir.i32.const(lo0)), ir.i32.lt_s(fn.get(e), ir.i32.const(hi0))),
          fn.block(
            acc.deltas
              ? [fn.set(b, block()), ...perBlockDelta()]
              : acc.flagBits > 0
                ? [fn.set(b, block()), ...perBlockFlagged()]
                : [
                    fn.set(b, block()),
                    fn.set(loc.s, fn.loadI32(fn.at32(acc.blockSyn, fn.get(b)))),
                    fn.set(gEnd, fn.loadI32(fn.at32(acc.blockSeg, fn.get(b)), 4)),
                    fn.forLoop(g, fn.loadI32(fn.at32(acc.blockSeg, fn.get(b))), fn.get(gEnd), 1, perRun()),
                  ],
          ),
        ),
      ]),
    );
  }
  // 4: the events of this step into the thread's counter
  const events = ir.i32.add(ir.i32.const(env.layout.events), ir.i32.shl(tid(), ir.i32.const(Math.log2(EVENT_STRIDE))));
  if (part !== "ring")
    body.push(
      ir.f64.store(
        0,
        8,
        events,
        ir.f64.add(ir.f64.load(0, 8, ir.copyExpression(events)), ir.f64.convert_u.i32(fn.get(nEv))),
      ),
    );
  const name = part === "ring" ? `p${j}_ring` : `p${j}_deliver`;
  return { name, params: ["i32"], result: "none", locals: fn.locals, body: ir.block(null, body) };
}
