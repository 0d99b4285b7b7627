// Projections to wasm (scalar code of the precision). In: a ProjLayout and the Env; out: functions
//  p<j>_seg(k, g, pi): `on pre` of every synapse of delay segment g (pre element pi), stamps lastUpdate;
//  p<j>_deliver(k) (accumulating projections: lower-accumulate.ts; every delay 0: on pre inline, directDeliverFn): the delay ring (slot k mod (maxDelay+1)), then this step's spikes of the pre slice
//     (delay 0 at once, others pushed into their slot); records segments for astrocyte events;
//  p<j>_ring(j) (accumulating projections when steps run in pairs, step-batch.ts): step j's spikes into the ring;
//  p<j>_post(k): `on post` of the incoming synapses of every spiking post element (post-indexed view);
//  p<j>_astro_pre(k) / p<j>_astro_post(k): the ensheathing astrocyte's on synapse_pre / synapse_post;
//  p<j>_cont(k): the `continuous` block over every synapse (storage order: CSR, rows split by delay).
// Threaded layouts: each thread runs on pre / on post for the synapses onto its own post elements (per
// segment bounds), with its own delay ring and event counter; continuous blocks run on thread 0 alone.

import type { IRStmt } from "../../compiler/ir/nodes.js";
import { forEachStmtExpr, mentions } from "../../compiler/ir/expr.js";
import { TargetError } from "../target.js";
import { valType, type Expr, type FunctionSpec } from "./module.js";
import { EVENT_STRIDE, type ProjLayout } from "./layout.js";
import { lowerStmts, unsupportedRef, type Scope } from "./lower-expr.js";
import { accumDeliverFn, type SynLocals } from "./lower-accumulate.js";
import { ownPreShard } from "./step-batch.js";
import {
  groupScope,
  modRead,
  ownList,
  popRead,
  popWrite,
  shardCount,
  shardElem,
  stepFn,
  threadId,
  type Env,
  type StepFn,
} from "./scopes.js";

function usesElapsed(stmts: readonly IRStmt[]): boolean {
  let found = false;
  forEachStmtExpr(stmts, (e) => {
    if (mentions(e, (r) => r.space === "elapsed")) found = true;
  });
  return found;
}

function synLocals(sf: StepFn): SynLocals {
  const fn = sf.fn;
  return { s: fn.local("s", "i32"), pi: fn.local("pi", "i32"), po: fn.local("po", "i32"), a: fn.local("a", "i32") };
}

/** Scope of a synapse handler at synapse `s` with pre element `pi`, post `po`, astrocyte `a`. */
function synapseScope(env: Env, sf: StepFn, pj: ProjLayout, loc: SynLocals, where: string): Scope {
  const L = env.scal;
  const fn = sf.fn;
  const ir = env.ir;
  const synAddr = (name: string): Expr | undefined => {
    const a = pj.arrays.get(name);
    return a === undefined ? undefined : fn.addr(a, fn.get(loc.s), L.bytes);
  };
  return {
    lanes: L,
    fn,
    where,
    read(r) {
      switch (r.space) {
        case "param":
        case "state": {
          const c = pj.consts.get(r.name);
          if (c !== undefined) return { k: "num", e: L.num(c) };
          const code = pj.codes.get(r.name);
          if (code !== undefined) {
            // a u16 code (weight-codes.ts): lo + lsb * code in the run's precision
            const raw = ir.i32.load16_u(0, 2, fn.addr(pj.arrays.get(r.name)!, fn.get(loc.s), 2));
            const num = L.elem === "f32" ? ir.f32.convert_u.i32(raw) : ir.f64.convert_u.i32(raw);
            return { k: "num", e: L.add(L.num(code.lo), L.mul(L.num(code.lsb), num)) };
          }
          const at = synAddr(r.name);
          if (at !== undefined) return { k: "num", e: L.load(at) };
          throw new TargetError(`${where}: no synapse variable ${r.name}`);
        }
        case "pre":
          return popRead(env, sf, L, pj.pre, r.name, loc.pi, where);
        case "post":
          return popRead(env, sf, L, pj.post, r.name, loc.po, where);
        case "astro":
          if (!pj.astro)
            throw new TargetError(`${where}: astro.${r.name} is read but ${pj.proj.name} is not ensheathed`);
          return popRead(env, sf, L, pj.astro, r.name, loc.a, where);
        case "elapsed": {
          if (!pj.lu) return unsupportedRef(r, where);
          const dt = ir.f64.const(env.layout.dt);
          const last = ir.f64.mul(ir.f64.convert_s.i32(fn.loadI32(fn.at32(pj.lu, fn.get(loc.s)))), dt);
          return { k: "num", e: L.fromF64(ir.f64.sub(fn.get(sf.t), last)) };
        }
        case "t":
          return { k: "num", e: L.fromF64(fn.get(sf.t)) };
        case "dt":
          return { k: "num", e: L.num(env.layout.dt) };
        case "mod":
          return { k: "num", e: modRead(env, L, r.name) };
        default:
          return unsupportedRef(r, where);
      }
    },
    write(r, value) {
      switch (r.space) {
        case "state":
        case "param": {
          if (pj.consts.has(r.name) || pj.proj.params.some((p) => p.name === r.name))
            throw new TargetError(`${where}: cannot assign parameter ${r.name}`);
          const at = synAddr(r.name);
          if (at === undefined) throw new TargetError(`${where}: no synapse variable ${r.name}`);
          return L.store(at, value);
        }
        case "pre":
          return popWrite(env, sf, L, pj.pre, r.name, loc.pi, value, where);
        case "post":
          return popWrite(env, sf, L, pj.post, r.name, loc.po, value, where);
        default:
          throw new TargetError(`${where}: cannot assign ${r.space}.${r.name}`);
      }
    },
  };
}

/** Loads po (and a) of synapse s. */
function synapsePrologue(env: Env, sf: StepFn, pj: ProjLayout, loc: SynLocals): Expr[] {
  const ir = env.ir;
  const fn = sf.fn;
  const postAt = fn.addr(pj.postIdx, fn.get(loc.s), pj.postIdxBytes);
  const out = [fn.set(loc.po, pj.postIdxBytes === 2 ? ir.i32.load16_u(0, 2, postAt) : fn.loadI32(postAt))];
  if (pj.astroOf) out.push(fn.set(loc.a, fn.loadI32(fn.at32(pj.astroOf, fn.get(loc.s)))));
  return out;
}

export interface ProjFunctions {
  specs: FunctionSpec[];
  deliver: string | null;
  /** Steps run in pairs (step-batch.ts): p<j>_ring(j) delivers step j's spikes into the input ring; deliver
   *  then counts the events due and adds the ring's slot into X only. */
  ring: string | null;
  post: string | null;
  astroPre: string | null;
  astroPost: string | null;
  cont: string | null;
}

export function lowerProjection(env: Env, pj: ProjLayout, j: number, batched = false): ProjFunctions {
  const p = pj.proj;
  const specs: FunctionSpec[] = [];
  const out: ProjFunctions = {
    specs,
    deliver: null,
    ring: null,
    post: null,
    astroPre: null,
    astroPost: null,
    cont: null,
  };
  // lastUpdate = k after every handler carrying the event-driven prefix (reads elapsed), as the reference
  const stampPre = pj.lu !== 0 && usesElapsed(p.onPre);
  const stampPost = pj.lu !== 0 && usesElapsed(p.onPost);
  const ag = pj.astro?.group ?? null;
  if (pj.accum) {
    const scopeOf = (sf: StepFn, loc: SynLocals): Scope => synapseScope(env, sf, pj, loc, `on pre of ${p.name}`);
    specs.push(accumDeliverFn(env, pj, j, scopeOf, batched ? "due" : "all"));
    out.deliver = `p${j}_deliver`;
    if (batched) {
      specs.push(accumDeliverFn(env, pj, j, scopeOf, "ring"));
      out.ring = `p${j}_ring`;
    }
  } else if (pj.uniformDelay === 0 && p.onPre.length > 0 && !pj.astroEvents) {
    specs.push(directDeliverFn(env, pj, j, stampPre));
    out.deliver = `p${j}_deliver`;
  } else if (p.onPre.length > 0 || pj.astroEvents) {
    specs.push(segmentFn(env, pj, j, stampPre));
    specs.push(deliverFn(env, pj, j));
    out.deliver = `p${j}_deliver`;
  }
  if (p.onPost.length > 0) {
    specs.push(postFn(env, pj, `p${j}_post`, p.onPost, stampPost, false));
    out.post = `p${j}_post`;
  }
  if (ag && pj.astroEvents) {
    specs.push(astroPreFn(env, pj, j));
    out.astroPre = `p${j}_astro_pre`;
  }
  if (ag && ag.onSynapsePost.length > 0) {
    specs.push(postFn(env, pj, `p${j}_astro_post`, ag.onSynapsePost, false, true));
    out.astroPost = `p${j}_astro_post`;
  }
  if (p.continuous.length > 0) {
    specs.push(continuousFn(env, pj, j));
    out.cont = `p${j}_cont`;
  }
  return out;
}

function stamp(env: Env, sf: StepFn, pj: ProjLayout, loc: SynLocals): Expr {
  return sf.fn.storeI32(sf.fn.at32(pj.lu, sf.fn.get(loc.s)), sf.fn.get(sf.k));
}

/** p<j>_seg(k, g, pi): on pre of every synapse of segment g (params: 0 = k, 1 = g, 2 = pi). */
function segmentFn(env: Env, pj: ProjLayout, j: number, stampIt: boolean): FunctionSpec {
  const ir = env.ir;
  const sf = stepFn(env, ["i32", "i32", "i32"]);
  const f = sf.fn;
  const loc: SynLocals = { pi: 2, s: f.local("s", "i32"), po: f.local("po", "i32"), a: f.local("a", "i32") };
  const s1 = f.local("s1", "i32");
  const body: Expr[] = [];
  if (pj.proj.onPre.length > 0) {
    const scope = synapseScope(env, sf, pj, loc, `on pre of ${pj.proj.name}`);
    const perSyn = [...synapsePrologue(env, sf, pj, loc), ...lowerStmts(pj.proj.onPre, scope)];
    if (stampIt) perSyn.push(stamp(env, sf, pj, loc));
    const threaded = env.layout.threads > 1;
    const s0 = f.local("s0", "i32");
    const events = (): Expr =>
      threaded
        ? ir.i32.add(ir.i32.const(env.layout.events), ir.i32.shl(threadId(env), ir.i32.const(Math.log2(EVENT_STRIDE))))
        : ir.i32.const(env.layout.events);
    body.push(
      f.set(s0, segmentBound(env, sf, pj, f.get(1), 0)),
      f.set(s1, segmentBound(env, sf, pj, f.get(1), 1)),
      ir.f64.store(
        0,
        8,
        events(),
        ir.f64.add(ir.f64.load(0, 8, events()), ir.f64.convert_s.i32(ir.i32.sub(f.get(s1), f.get(s0)))),
      ),
      f.forLoop(loc.s, f.get(s0), f.get(s1), 1, perSyn),
    );
  }
  if (pj.astroEvents) {
    const ev = pj.astroEvents;
    const c = f.local("c", "i32");
    body.push(
      f.set(c, f.loadI32(ir.i32.const(ev.count))),
      f.storeI32(f.at32(ev.addr, f.get(c)), f.get(1)),
      f.storeI32(ir.i32.const(ev.count), ir.i32.add(f.get(c), ir.i32.const(1))),
    );
  }
  return {
    name: `p${j}_seg`,
    params: ["i32", "i32", "i32"],
    result: "none",
    locals: f.locals,
    body: ir.block(null, [sf.prologue, ...body]),
  };
}

/**
 * The first (end 0) or one-past-last (end 1) synapse of this thread's part of segment g: segStart[g] /
 * segStart[g + 1] when single-threaded, else the bounds of the synapses onto the thread's post elements.
 */
export function segmentBound(env: Env, sf: StepFn, pj: ProjLayout, g: Expr, end: 0 | 1): Expr {
  const ir = env.ir;
  const fn = sf.fn;
  if (env.layout.threads === 1) return fn.loadI32(fn.at32(pj.segStart, end === 0 ? g : ir.i32.add(g, ir.i32.const(1))));
  const at = ir.i32.add(
    ir.i32.const(pj.segBounds),
    ir.i32.shl(ir.i32.add(ir.i32.mul(threadId(env), ir.i32.const(pj.nSeg)), g), ir.i32.const(3)),
  );
  return fn.loadI32(at, 4 * end);
}

function deliverFn(env: Env, pj: ProjLayout, j: number): FunctionSpec {
  const ir = env.ir;
  const sf = stepFn(env);
  const fn = sf.fn;
  const x = fn.local("x", "i32");
  const e = fn.local("e", "i32");
  const g = fn.local("g", "i32");
  const d = fn.local("d", "i32");
  const sl = fn.local("slot", "i32");
  const c = fn.local("c", "i32");
  const seg = `p${j}_seg`;
  const callSeg = (gExpr: Expr, piExpr: Expr): Expr => ir.call(seg, [fn.get(sf.k), gExpr, piExpr], valType("none"));
  const body: Expr[] = [sf.prologue];
  if (pj.astroEvents) body.push(fn.storeI32(ir.i32.const(pj.astroEvents.count), ir.i32.const(0)));
  const ring = pj.ring;
  const threaded = env.layout.threads > 1;
  // each thread keeps its own ring: bases offset by the thread id
  const rb = fn.local("ringBase", "i32");
  const cb = fn.local("countsBase", "i32");
  const ringAt = (index: Expr): Expr =>
    threaded ? ir.i32.add(fn.get(rb), ir.i32.shl(index, ir.i32.const(2))) : fn.at32(ring!.addr, index);
  const countAt = (index: Expr): Expr =>
    threaded ? ir.i32.add(fn.get(cb), ir.i32.shl(index, ir.i32.const(2))) : fn.at32(ring!.counts, index);
  /** Mixed delays: the segment of row r with delay dl (-1: none), from the segAt table. */
  const segOf = (r: Expr, dl: Expr): Expr =>
    fn.loadI32(fn.at32(pj.segAt, ir.i32.add(ir.i32.mul(r, ir.i32.const(ring ? ring.slots : 1)), dl)));
  const push = (slotOf: Expr, value: Expr): Expr[] => {
    if (!ring) throw new TargetError(`internal: ${pj.proj.name} has no delay ring`);
    return [
      fn.set(sl, slotOf),
      fn.set(c, fn.loadI32(countAt(fn.get(sl)))),
      fn.storeI32(ringAt(ir.i32.add(ir.i32.mul(fn.get(sl), ir.i32.const(ring.cap)), fn.get(c))), value),
      fn.storeI32(countAt(fn.get(sl)), ir.i32.add(fn.get(c), ir.i32.const(1))),
    ];
  };
  if (ring) {
    if (threaded) {
      body.push(
        fn.set(rb, ir.i32.add(ir.i32.const(ring.addr), ir.i32.mul(threadId(env), ir.i32.const(pj.ringStride)))),
        fn.set(cb, ir.i32.add(ir.i32.const(ring.counts), ir.i32.mul(threadId(env), ir.i32.const(pj.countsStride)))),
      );
    }
    if (pj.uniformDelay >= 0)
      // slot k % slots holds the rows whose spikes are due now (pushed d steps ago); drained, then emptied
      body.push(
        fn.set(sl, ir.i32.rem_u(fn.get(sf.k), ir.i32.const(ring.slots))),
        fn.set(c, fn.loadI32(countAt(fn.get(sl)))),
        fn.forLoop(x, ir.i32.const(0), fn.get(c), 1, [
          fn.set(g, fn.loadI32(ringAt(ir.i32.add(ir.i32.mul(fn.get(sl), ir.i32.const(ring.cap)), fn.get(x))))),
          callSeg(fn.get(g), fn.get(g)),
        ]),
        fn.storeI32(countAt(fn.get(sl)), ir.i32.const(0)),
      );
    else {
      // mixed delays: slot (k - d) % slots holds the rows that spiked d steps ago; for d = maxDelay down to 1
      // (emission step ascending), each row's segment of delay d, if it has one, is due now. Then slot k % slots
      // (rows of step k - slots, all delivered) is emptied for this step's spikes.
      const i = fn.local("di", "i32");
      const top = ring.slots - 1;
      body.push(
        fn.forLoop(i, ir.i32.const(0), ir.i32.const(top), 1, [
          fn.set(d, ir.i32.sub(ir.i32.const(top), fn.get(i))),
          fn.set(
            sl,
            ir.i32.rem_u(
              ir.i32.sub(ir.i32.add(fn.get(sf.k), ir.i32.const(ring.slots)), fn.get(d)),
              ir.i32.const(ring.slots),
            ),
          ),
          fn.set(c, fn.loadI32(countAt(fn.get(sl)))),
          fn.forLoop(x, ir.i32.const(0), fn.get(c), 1, [
            fn.set(e, fn.loadI32(ringAt(ir.i32.add(ir.i32.mul(fn.get(sl), ir.i32.const(ring.cap)), fn.get(x))))),
            fn.set(g, segOf(fn.get(e), fn.get(d))),
            ir.if(ir.i32.ge_s(fn.get(g), ir.i32.const(0)), callSeg(fn.get(g), fn.get(e))),
          ]),
        ]),
        fn.storeI32(countAt(ir.i32.rem_u(fn.get(sf.k), ir.i32.const(ring.slots))), ir.i32.const(0)),
      );
    }
  }
  const lo = pj.proj.pre.start,
    hi = pj.proj.pre.end;
  const perSpikeCopy = (): Expr[] => {
    const out: Expr[] = [];
    if (pj.uniformDelay >= 0) {
      if (pj.uniformDelay === 0) out.push(callSeg(fn.get(e), fn.get(e)));
      else
        out.push(
          ...push(
            ir.i32.rem_u(ir.i32.add(fn.get(sf.k), ir.i32.const(pj.uniformDelay)), ir.i32.const(ring!.slots)),
            fn.get(e),
          ),
        );
    } else {
      // the row's delay-0 segment now; the row itself into this step's slot (its other segments come due later)
      out.push(
        fn.set(g, segOf(fn.get(e), ir.i32.const(0))),
        ir.if(ir.i32.ge_s(fn.get(g), ir.i32.const(0)), callSeg(fn.get(g), fn.get(e))),
        ...push(ir.i32.rem_u(fn.get(sf.k), ir.i32.const(ring!.slots)), fn.get(e)),
      );
    }
    return out;
  };
  const perSpike = perSpikeCopy();
  const inRange = (): Expr =>
    ir.i32.and(ir.i32.ge_s(fn.get(e), ir.i32.const(lo)), ir.i32.lt_s(fn.get(e), ir.i32.const(hi)));
  if (pj.uniformDelay === 0 && pj.proj.onPre.length > 0) body.push(...touchRows(env, sf, pj, x, e, inRange));
  // this step's spikes of the pre population, shard after shard (= ascending elements)
  pj.pre.shards.forEach((sh, idx) => {
    if (sh.hi <= lo || sh.lo >= hi) return;
    body.push(
      fn.forLoop(x, ir.i32.const(0), fn.loadI32(shardCount(env, sf, pj.pre, sh)), 1, [
        fn.set(e, fn.loadI32(shardElem(env, sf, pj.pre, sh, fn.get(x)))),
        ir.if(inRange(), idx === 0 ? fn.block(perSpike) : fn.block(perSpikeCopy())),
      ]),
    );
  });
  return { name: `p${j}_deliver`, params: ["i32"], result: "none", locals: fn.locals, body: ir.block(null, body) };
}

/**
 * p<j>_deliver(k) of a projection whose synapses all have delay 0 (no ring): for each spike of this step (pre
 * slice, ascending), `on pre` of this thread's synapses of the row, inline; the events are counted in a local
 * and added to the thread's counter once. A one_to_one projection whose pre and post are sharded alike reads
 * only this thread's shard of the spikes (the other shards have no synapse onto its post elements).
 */
function directDeliverFn(env: Env, pj: ProjLayout, j: number, stampIt: boolean): FunctionSpec {
  const ir = env.ir;
  const sf = stepFn(env);
  const fn = sf.fn;
  const loc = synLocals(sf);
  const x = fn.local("x", "i32");
  const s1 = fn.local("s1", "i32");
  const nEv = fn.local("nEv", "i32");
  const e = loc.pi;
  const scope = synapseScope(env, sf, pj, loc, `on pre of ${pj.proj.name}`);
  const perSyn = [...synapsePrologue(env, sf, pj, loc), ...lowerStmts(pj.proj.onPre, scope)];
  if (stampIt) perSyn.push(stamp(env, sf, pj, loc));
  const lo = pj.proj.pre.start,
    hi = pj.proj.pre.end;
  const inRange = (): Expr =>
    ir.i32.and(ir.i32.ge_s(fn.get(e), ir.i32.const(lo)), ir.i32.lt_s(fn.get(e), ir.i32.const(hi)));
  // the row's synapses, built anew per loop (binaryen expressions are used once)
  const perSpike = (bodyOnce: Expr[] | null): Expr[] => [
    fn.set(loc.s, segmentBound(env, sf, pj, fn.get(e), 0)),
    fn.set(s1, segmentBound(env, sf, pj, fn.get(e), 1)),
    fn.set(nEv, ir.i32.add(fn.get(nEv), ir.i32.sub(fn.get(s1), fn.get(loc.s)))),
    fn.forLoop(loc.s, fn.get(loc.s), fn.get(s1), 1, bodyOnce ?? perSynCopy()),
  ];
  let first = true;
  const perSynCopy = (): Expr[] => {
    if (first) {
      first = false;
      return perSyn;
    }
    const sc = synapseScope(env, sf, pj, loc, `on pre of ${pj.proj.name}`);
    const again = [...synapsePrologue(env, sf, pj, loc), ...lowerStmts(pj.proj.onPre, sc)];
    if (stampIt) again.push(stamp(env, sf, pj, loc));
    return again;
  };
  const body: Expr[] = [sf.prologue, fn.set(nEv, ir.i32.const(0))];
  if (ownPreShard(env.layout.threads, pj)) {
    const sbuf = fn.local("sbuf", "i32");
    body.push(
      fn.set(sbuf, ownList(env, sf, pj.pre, "buf")),
      fn.forLoop(x, ir.i32.const(0), fn.loadI32(ownList(env, sf, pj.pre, "n")), 1, [
        fn.set(e, fn.loadI32(ir.i32.add(fn.get(sbuf), ir.i32.shl(fn.get(x), ir.i32.const(2))))),
        ...perSpike(null),
      ]),
    );
  } else {
    body.push(...touchRows(env, sf, pj, x, e, inRange));
    for (const sh of pj.pre.shards) {
      if (sh.hi <= lo || sh.lo >= hi) continue;
      body.push(
        fn.forLoop(x, ir.i32.const(0), fn.loadI32(shardCount(env, sf, pj.pre, sh)), 1, [
          fn.set(e, fn.loadI32(shardElem(env, sf, pj.pre, sh, fn.get(x)))),
          ir.if(inRange(), fn.block(perSpike(null))),
        ]),
      );
    }
  }
  const events = (): Expr =>
    env.layout.threads > 1
      ? ir.i32.add(ir.i32.const(env.layout.events), ir.i32.shl(threadId(env), ir.i32.const(Math.log2(EVENT_STRIDE))))
      : ir.i32.const(env.layout.events);
  body.push(ir.f64.store(0, 8, events(), ir.f64.add(ir.f64.load(0, 8, events()), ir.f64.convert_u.i32(fn.get(nEv)))));
  return { name: `p${j}_deliver`, params: ["i32"], result: "none", locals: fn.locals, body: ir.block(null, body) };
}

/**
 * A first pass over this step's spikes that loads, for each spiking row, this thread's segment bounds and
 * the row's first post index, folding them into one word stored beside the thread's event counter. The
 * loads of different rows do not depend on each other, so the CPU overlaps their cache misses; the
 * delivery loop that follows finds them cached instead of waiting for two misses per row in turn (rows
 * are scattered over the CSR: delivery is bound by those misses, not by the synapses, at 64k neurons).
 */
function touchRows(env: Env, sf: StepFn, pj: ProjLayout, x: number, e: number, inRange: () => Expr): Expr[] {
  const ir = env.ir;
  const fn = sf.fn;
  const acc = fn.local("touched", "i32");
  const postAt = (s: Expr): Expr => {
    const at = fn.addr(pj.postIdx, s, pj.postIdxBytes);
    return pj.postIdxBytes === 2 ? ir.i32.load16_u(0, 2, at) : fn.loadI32(at);
  };
  // segment = row (delays uniform): its first and last post index (one before an empty part: harmless)
  const firstPost = (): Expr => postAt(segmentBound(env, sf, pj, fn.get(e), 0));
  const lastPost = (): Expr => postAt(ir.i32.sub(segmentBound(env, sf, pj, fn.get(e), 1), ir.i32.const(1)));
  const slot = (): Expr =>
    ir.i32.add(ir.i32.const(env.layout.events + 8), ir.i32.shl(threadId(env), ir.i32.const(Math.log2(EVENT_STRIDE))));
  const out: Expr[] = [fn.set(acc, ir.i32.const(0))];
  for (const sh of pj.pre.shards) {
    if (sh.hi <= pj.proj.pre.start || sh.lo >= pj.proj.pre.end) continue;
    out.push(
      fn.forLoop(x, ir.i32.const(0), fn.loadI32(shardCount(env, sf, pj.pre, sh)), 1, [
        fn.set(e, fn.loadI32(shardElem(env, sf, pj.pre, sh, fn.get(x)))),
        ir.if(inRange(), fn.set(acc, ir.i32.xor(fn.get(acc), ir.i32.add(firstPost(), lastPost())))),
      ]),
    );
  }
  out.push(fn.storeI32(slot(), fn.get(acc)));
  return out;
}

/** on post (or the astrocyte's on synapse_post) of the incoming synapses of every spiking post element. */
function postFn(
  env: Env,
  pj: ProjLayout,
  name: string,
  stmts: readonly IRStmt[],
  stampIt: boolean,
  astro: boolean,
): FunctionSpec {
  const ir = env.ir;
  const sf = stepFn(env);
  const fn = sf.fn;
  const loc = synLocals(sf);
  const x = fn.local("x", "i32");
  const y = fn.local("y", "i32");
  const where = astro ? `on synapse_post of ${pj.astro?.name}` : `on post of ${pj.proj.name}`;
  const scope = astro ? astroScope(env, sf, pj, loc, where) : synapseScope(env, sf, pj, loc, where);
  const perSyn: Expr[] = [
    fn.set(loc.s, fn.loadI32(fn.at32(pj.postSyn, fn.get(y)))),
    fn.set(loc.pi, fn.loadI32(fn.at32(pj.preIdx, fn.get(loc.s)))),
  ];
  if (pj.astroOf) perSyn.push(fn.set(loc.a, fn.loadI32(fn.at32(pj.astroOf, fn.get(loc.s)))));
  perSyn.push(...lowerStmts(stmts, scope));
  if (stampIt) perSyn.push(stamp(env, sf, pj, loc));
  const lo = pj.proj.post.start,
    hi = pj.proj.post.end;
  // the spiking post elements of this thread's shard (all of them when single-threaded)
  const sbuf = fn.local("sbuf", "i32");
  const body = fn.forLoop(x, ir.i32.const(0), fn.loadI32(ownList(env, sf, pj.post, "n")), 1, [
    fn.set(loc.po, fn.loadI32(ir.i32.add(fn.get(sbuf), ir.i32.shl(fn.get(x), ir.i32.const(2))))),
    ir.if(
      ir.i32.and(ir.i32.ge_s(fn.get(loc.po), ir.i32.const(lo)), ir.i32.lt_s(fn.get(loc.po), ir.i32.const(hi))),
      fn.forLoop(
        y,
        fn.loadI32(fn.at32(pj.postStart, fn.get(loc.po))),
        fn.loadI32(fn.at32(pj.postStart, ir.i32.add(fn.get(loc.po), ir.i32.const(1)))),
        1,
        perSyn,
      ),
    ),
  ]);
  return {
    name,
    params: ["i32"],
    result: "none",
    locals: fn.locals,
    body: ir.block(null, [sf.prologue, fn.set(sbuf, ownList(env, sf, pj.post, "buf")), body]),
  };
}

/** The astrocyte's own scope at element a, with pre/post of the synapse. */
function astroScope(env: Env, sf: StepFn, pj: ProjLayout, loc: SynLocals, where: string): Scope {
  const L = env.scal;
  return groupScope(env, sf, L, pj.astro!, loc.a, where, {
    read: (r) =>
      r.space === "pre"
        ? popRead(env, sf, L, pj.pre, r.name, loc.pi, where)
        : r.space === "post"
          ? popRead(env, sf, L, pj.post, r.name, loc.po, where)
          : r.space === "flag"
            ? unsupportedRef(r, where)
            : undefined,
    write: (r, value) =>
      r.space === "pre"
        ? popWrite(env, sf, L, pj.pre, r.name, loc.pi, value, where)
        : r.space === "post"
          ? popWrite(env, sf, L, pj.post, r.name, loc.po, value, where)
          : undefined,
  });
}

function astroPreFn(env: Env, pj: ProjLayout, j: number): FunctionSpec {
  const ir = env.ir;
  const sf = stepFn(env);
  const fn = sf.fn;
  const loc = synLocals(sf);
  const x = fn.local("x", "i32");
  const g = fn.local("g", "i32");
  const ev = pj.astroEvents!;
  const scope = astroScope(env, sf, pj, loc, `on synapse_pre of ${pj.astro!.name}`);
  const perSyn = [...synapsePrologue(env, sf, pj, loc), ...lowerStmts(pj.astro!.group!.onSynapsePre, scope)];
  const body = fn.forLoop(x, ir.i32.const(0), fn.loadI32(ir.i32.const(ev.count)), 1, [
    fn.set(g, fn.loadI32(fn.at32(ev.addr, fn.get(x)))),
    fn.set(loc.pi, pj.uniformDelay >= 0 ? fn.get(g) : fn.loadI32(fn.at32(pj.segRow, fn.get(g)))),
    fn.forLoop(
      loc.s,
      fn.loadI32(fn.at32(pj.segStart, fn.get(g))),
      fn.loadI32(fn.at32(pj.segStart, ir.i32.add(fn.get(g), ir.i32.const(1)))),
      1,
      perSyn,
    ),
  ]);
  return {
    name: `p${j}_astro_pre`,
    params: ["i32"],
    result: "none",
    locals: fn.locals,
    body: ir.block(null, [sf.prologue, body]),
  };
}

function continuousFn(env: Env, pj: ProjLayout, j: number): FunctionSpec {
  const ir = env.ir;
  const sf = stepFn(env);
  const fn = sf.fn;
  const loc = synLocals(sf);
  const scope = synapseScope(env, sf, pj, loc, `continuous block of ${pj.proj.name}`);
  const perSyn = [
    fn.set(loc.pi, fn.loadI32(fn.at32(pj.preIdx, fn.get(loc.s)))),
    ...synapsePrologue(env, sf, pj, loc),
    ...lowerStmts(pj.proj.continuous, scope),
  ];
  if (pj.lu !== 0 && usesElapsed(pj.proj.continuous)) perSyn.push(stamp(env, sf, pj, loc));
  return {
    name: `p${j}_cont`,
    params: ["i32"],
    result: "none",
    locals: fn.locals,
    body: ir.block(null, [sf.prologue, fn.forLoop(loc.s, ir.i32.const(0), ir.i32.const(pj.n), 1, perSyn)]),
  };
}
