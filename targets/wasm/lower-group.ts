// Neuron/astrocyte groups to wasm. In: a group's PopLayout and the Env; out: two functions per group:
//  g<i>_step(k): one fused element loop in lanes (f32x4 or f64) doing update, threshold (spike mask
//     minus the refractory mask from lastSpike vs k), spike-list compaction and, when nothing in step 3
//     touches what the reset touches, the reset and lastSpike stamp blended under the spike mask;
//  g<i>_reset(k): the reset over the spike list (scalar), when it could not be fused.

import type { IRStmt, Ref } from "../../compiler/ir/nodes.js";
import { forEachRef, forEachStmtExpr, forEachTarget } from "../../compiler/ir/expr.js";
import { TargetError } from "../target.js";
import { valType, type Expr } from "./module.js";
import { noiseStream } from "../network/noise.js";
import type { FunctionSpec } from "./module.js";
import type { PopLayout } from "./layout.js";
import { asMask, lowerExpr, lowerStmts, unsupportedRef, type Scope } from "./lower-expr.js";
import { groupScope, modRead, ownList, ownShard, stepFn, type Env, type StepFn } from "./scopes.js";

/** Names of this group's variables a statement list reads or writes. */
export function touchedVars(stmts: readonly IRStmt[], spaces: readonly string[]): Set<string> {
  const out = new Set<string>();
  const visit = (r: Ref): void => {
    if (spaces.includes(r.space)) out.add(r.name);
  };
  forEachTarget(stmts, visit);
  forEachStmtExpr(stmts, (e) => forEachRef(e, visit));
  return out;
}

export interface GroupFunctions {
  step: FunctionSpec | null;
  reset: FunctionSpec | null;
  fusedReset: boolean;
}

/**
 * `conflicts`: variables of this group that step 3 (synaptic handlers) reads or writes; the reset is
 * fused into the element loop only when it touches none of them.
 */
export function lowerGroup(env: Env, pl: PopLayout, idx: number, conflicts: Set<string> | "all"): GroupFunctions {
  const g = pl.group!;
  const fusedReset = resetFusable(pl, conflicts);
  const hasWork = g.update.length > 0 || g.threshold !== null;
  const step = hasWork ? lowerStepLoop(env, pl, idx, fusedReset) : null;
  const reset = g.threshold !== null && !fusedReset ? lowerResetList(env, pl, idx) : null;
  return { step, reset, fusedReset: fusedReset && g.threshold !== null };
}

/** Whether the reset of `pl` can run fused in its element loop (else over the spike list, after a barrier). */
export function resetFusable(pl: PopLayout, conflicts: Set<string> | "all"): boolean {
  const g = pl.group!;
  const resetTouches = touchedVars(g.reset, ["state", "input", "param"]);
  // a reset touching an input runs after the inputs are cleared (phase 4), so it cannot be fused
  const touchesInput = touchedVars(g.reset, ["input"]).size > 0;
  return conflicts !== "all" && !touchesInput && ![...resetTouches].some((v) => conflicts.has(v));
}

/** g<i>_step(k): the fused element loop (update, threshold, compaction, fused reset) over this thread's shard. */
function lowerStepLoop(env: Env, pl: PopLayout, idx: number, fusedReset: boolean): FunctionSpec {
  const g = pl.group!;
  const ir = env.ir;
  const lp = stepLoopLocals(env, pl);
  const { L, sf, fn, ib, n, shift, threaded, stateNames, old, cur, refr, lsv, ksplat, sbuf, hi } = lp;
  const scope = stepLoopScope(lp);

  const body: Expr[] = [];
  for (const s of stateNames) {
    body.push(fn.set(old.get(s)!, lp.loadArray(s)), fn.set(cur.get(s)!, fn.get(old.get(s)!)));
  }
  if (refr >= 0) {
    if (L.width === 4) {
      body.push(fn.set(lsv, ir.v128.load(pl.ls, 16, lp.lsAt())));
      body.push(
        fn.set(
          refr,
          ir.i32x4.lt_s(ir.i32x4.sub(fn.get(ksplat), fn.get(lsv)), ir.i32x4.splat(ir.i32.const(pl.refractorySteps))),
        ),
      );
    } else {
      body.push(fn.set(lsv, fn.loadI32(lp.lsAt(), pl.ls)));
      body.push(fn.set(refr, ir.i32.lt_s(ir.i32.sub(fn.get(sf.k), fn.get(lsv)), ir.i32.const(pl.refractorySteps))));
    }
  }
  body.push(...lowerStmts(g.update, scope));
  lp.phase = "after";
  if (g.threshold) body.push(...thresholdStep(lp, scope, fusedReset));
  for (const s of stateNames) body.push(lp.storeArray(s, fn.get(cur.get(s)!)));

  const pre: Expr[] = [sf.prologue, fn.set(n, ir.i32.const(0))];
  if (ksplat >= 0) pre.push(fn.set(ksplat, ir.i32x4.splat(fn.get(sf.k))));
  if (threaded)
    pre.push(
      fn.set(sbuf, ownList(env, sf, pl, "buf")),
      fn.set(hi, ir.i32.shl(ownShard(env, pl, 1), ir.i32.const(shift))),
    );
  const fnBody = ir.block(null, [
    ...pre,
    fn.forLoop(
      ib,
      ir.i32.shl(ownShard(env, pl, 0), ir.i32.const(shift)),
      threaded ? fn.get(hi) : ir.i32.const(pl.pad * L.bytes),
      L.width * L.bytes,
      body,
    ),
    fn.storeI32(ownList(env, sf, pl, "n"), fn.get(n)),
  ]);
  return { name: `g${idx}_step`, params: ["i32"], result: "none", locals: fn.locals, body: fnBody };
}

/** A group's element loop: its step function, locals (byte index, spike count, old/current state, refractory
 *  mask, lastSpike, k splat, thread buffers) and array accessors; `phase` says which state values reads see. */
interface StepLoop {
  env: Env;
  pl: PopLayout;
  L: Env["vec"];
  sf: StepFn;
  fn: StepFn["fn"];
  ib: number;
  n: number;
  shift: number;
  threaded: boolean;
  stateNames: string[];
  old: Map<string, number>;
  cur: Map<string, number>;
  refr: number;
  lsv: number;
  ksplat: number;
  sbuf: number;
  hi: number;
  loadArray(name: string): Expr;
  storeArray(name: string, v: Expr): Expr;
  lsAt(): Expr;
  phase: "update" | "after";
}

/** The element loop's step function and locals (allocated in a fixed order), with its accessors. */
function stepLoopLocals(env: Env, pl: PopLayout): StepLoop {
  const L = env.vec;
  const ir = env.ir;
  const sf = stepFn(env);
  const fn = sf.fn;
  // the loop counts bytes: ib = element index * L.bytes, and every SoA array access is ib plus the
  // array's base as the load/store offset immediate (no address arithmetic in the loop)
  const ib = fn.local("ib", "i32");
  const shift = L.bytes === 4 ? 2 : 3;
  const n = fn.local("n", "i32");
  const stateNames = [...(pl.values?.state.keys() ?? [])];
  const old = new Map<string, number>();
  const cur = new Map<string, number>();
  for (const s of stateNames) {
    old.set(s, fn.local(`old_${s}`, L.vt));
    cur.set(s, fn.local(`cur_${s}`, L.vt));
  }
  const refr = pl.refractorySteps > 0 ? fn.local("refr", L.mt) : -1;
  const lsv = pl.refractorySteps > 0 ? fn.local("ls", L.width === 4 ? "v128" : "i32") : -1;
  // the k splat, set once before the element loop
  const ksplat = pl.refractorySteps > 0 && L.width === 4 ? fn.local("ksplat", "v128") : -1;
  const threaded = env.layout.threads > 1;
  const sbuf = threaded ? fn.local("sbuf", "i32") : -1;
  const hi = threaded ? fn.local("hi", "i32") : -1;
  return {
    env,
    pl,
    L,
    sf,
    fn,
    ib,
    n,
    shift,
    threaded,
    stateNames,
    old,
    cur,
    refr,
    lsv,
    ksplat,
    sbuf,
    hi,
    loadArray: (name) => L.load(fn.get(ib), pl.arrays.get(name)!),
    storeArray: (name, v) => L.store(fn.get(ib), v, pl.arrays.get(name)!),
    // lastSpike is an i32 array (4 bytes an element) whatever the lane precision
    lsAt: () => (L.bytes === 4 ? fn.get(ib) : ir.i32.shr_u(fn.get(ib), ir.i32.const(1))),
    phase: "update",
  };
}

/** How the element loop's statements read and write: state from the old values during the update and the
 *  current ones after it, parameters and inputs from their arrays or constants. */
function stepLoopScope(lp: StepLoop): Scope {
  const { env, pl, L, sf, fn, old, cur, refr } = lp;
  const g = pl.group!;
  const where = `group ${g.name}`;
  return {
    lanes: L,
    fn,
    where,
    read(r) {
      switch (r.space) {
        case "param": {
          const c = pl.consts.get(r.name);
          if (c !== undefined) return { k: "num", e: L.num(c) };
          if (pl.arrays.has(r.name)) return { k: "num", e: lp.loadArray(r.name) };
          break;
        }
        case "state": {
          const m = lp.phase === "update" ? old : cur;
          const local = m.get(r.name);
          if (local !== undefined) return { k: "num", e: fn.get(local) };
          break;
        }
        case "input":
          if (pl.arrays.has(r.name)) return { k: "num", e: lp.loadArray(r.name) };
          break;
        case "t":
          return { k: "num", e: L.fromF64(fn.get(sf.t)) };
        case "dt":
          return { k: "num", e: L.num(pl.dt) };
        case "mod":
          return { k: "num", e: modRead(env, L, r.name) };
        case "flag":
          if (r.name !== "refractory") return unsupportedRef(r, where);
          return { k: "mask", e: refr >= 0 ? fn.get(refr) : L.maskConst(false) };
        case "noise":
          return { k: "num", e: noiseRead(lp, r.name) };
        default:
          return unsupportedRef(r, where);
      }
      throw new TargetError(`${where}: ${g.name} has no variable ${r.name}`);
    },
    write(r, value, mask) {
      if (r.space === "state" && cur.has(r.name)) {
        const local = cur.get(r.name)!;
        return fn.set(local, mask === null ? value : L.select(fn.get(mask), value, fn.get(local)));
      }
      if (r.space === "input" && pl.arrays.has(r.name)) {
        return lp.storeArray(r.name, mask === null ? value : L.select(fn.get(mask), value, lp.loadArray(r.name)));
      }
      throw new TargetError(`${where}: cannot assign ${r.space}.${r.name}`);
    },
  };
}

/** The step's white-noise draw of `name` for the loop's element(s): the runtime's normal(seed, stream, index),
 *  index = k * size + e (targets/network/noise.ts), one call per lane (f32x4: demoted per lane; lanes past the
 *  population are padding and never read). */
function noiseRead(lp: StepLoop, name: string): Expr {
  const { env, pl, L, sf, fn, ib } = lp;
  const ir = env.ir;
  const stream = noiseStream(pl.name, name);
  // a binaryen expression may appear once in the tree: the element index is built anew for every lane
  const e0 = (): Expr => ir.i32.shr_u(fn.get(ib), ir.i32.const(L.bytes === 4 ? 2 : 3));
  const draw = (lane: number): Expr => {
    const idx = ir.i64.add(
      ir.i64.mul(ir.i64.extend_s(fn.get(sf.k)), ir.i64.extend_u(ir.i32.const(pl.size))),
      ir.i64.extend_u(lane === 0 ? e0() : ir.i32.add(e0(), ir.i32.const(lane))),
    );
    const tmp = fn.tmp("i64");
    return ir.block(
      null,
      [
        fn.set(tmp, idx),
        ir.call(
          "normal",
          [
            ir.i32.const(env.layout.seed | 0),
            ir.i32.const(stream | 0),
            ir.i32.wrap(fn.get(tmp)),
            ir.i32.wrap(ir.i64.shr_u(fn.get(tmp), ir.i64.const(32n))),
          ],
          valType("f64"),
        ),
      ],
      valType("f64"),
    );
  };
  let v = L.fromF64(draw(0));
  for (let lane = 1; lane < L.width; lane++) v = ir.f32x4.replace_lane(v, lane, ir.f32.demote(draw(lane)));
  return v;
}

/** The threshold in the element loop: the spike mask (minus refractory lanes), the append of every spiking
 *  element to the spike list and, when fused, the reset and lastSpike stamp under the mask. */
function thresholdStep(lp: StepLoop, scope: Scope, fusedReset: boolean): Expr[] {
  const { pl, L, sf, fn, ib, n, shift, threaded, refr, lsv, ksplat, sbuf } = lp;
  const ir = lp.env.ir;
  const g = pl.group!;
  const storeSpike = (e: Expr): Expr =>
    threaded
      ? fn.storeI32(ir.i32.add(fn.get(sbuf), ir.i32.shl(fn.get(n), ir.i32.const(2))), e)
      : fn.storeI32(ir.i32.shl(fn.get(n), ir.i32.const(2)), e, pl.buf);
  const body: Expr[] = [];
  const spike = fn.local("spike", L.mt);
  const thr = asMask(scope, lowerExpr(g.threshold!, scope));
  body.push(fn.set(spike, refr >= 0 ? L.andNot(thr, fn.get(refr)) : thr));
  // compaction: append the element index of every spiking lane inside the population
  const e0 = fn.local("e0", "i32");
  const onSpike: Expr[] = [fn.set(e0, ir.i32.shr_u(fn.get(ib), ir.i32.const(shift)))];
  const lanesOut: Expr[] = [];
  const bits = fn.local("bits", "i32");
  for (let lane = 0; lane < L.width; lane++) {
    const e = (): Expr => ir.i32.add(fn.get(e0), ir.i32.const(lane));
    const hit =
      L.width === 4 ? ir.i32.and(ir.i32.shr_u(fn.get(bits), ir.i32.const(lane)), ir.i32.const(1)) : fn.get(bits);
    lanesOut.push(
      ir.if(
        ir.i32.and(hit, ir.i32.lt_s(e(), ir.i32.const(pl.size))),
        ir.block(null, [storeSpike(e()), fn.set(n, ir.i32.add(fn.get(n), ir.i32.const(1)))]),
      ),
    );
  }
  onSpike.push(...lanesOut);
  if (fusedReset) {
    onSpike.push(...lowerStmts(g.reset, scope, spike));
    if (refr >= 0) {
      const stamped = L.width === 4 ? ir.v128.bitselect(fn.get(ksplat), fn.get(lsv), fn.get(spike)) : fn.get(sf.k);
      onSpike.push(
        L.width === 4 ? ir.v128.store(pl.ls, 16, lp.lsAt(), stamped) : fn.storeI32(lp.lsAt(), stamped, pl.ls),
      );
    }
  }
  body.push(fn.set(bits, L.width === 4 ? ir.i32x4.bitmask(fn.get(spike)) : fn.get(spike)));
  body.push(ir.if(fn.get(bits), fn.block(onSpike)));
  return body;
}

/** Reset (spike block) of every element in the spike list, then lastSpike = k. */
function lowerResetList(env: Env, pl: PopLayout, idx: number): FunctionSpec {
  const ir = env.ir;
  const sf: StepFn = stepFn(env);
  const fn = sf.fn;
  const x = fn.local("x", "i32");
  const e = fn.local("e", "i32");
  const scope = groupScope(env, sf, env.scal, pl, e, `spike block of ${pl.name}`);
  const sbuf = fn.local("sbuf", "i32");
  const body: Expr[] = [
    fn.set(e, fn.loadI32(ir.i32.add(fn.get(sbuf), ir.i32.shl(fn.get(x), ir.i32.const(2))))),
    ...lowerStmts(pl.group!.reset, scope),
  ];
  if (pl.refractorySteps > 0) body.push(fn.storeI32(fn.at32(pl.ls, fn.get(e)), fn.get(sf.k)));
  return {
    name: `g${idx}_reset`,
    params: ["i32"],
    result: "none",
    locals: fn.locals,
    body: ir.block(null, [
      sf.prologue,
      fn.set(sbuf, ownList(env, sf, pl, "buf")),
      fn.forLoop(x, ir.i32.const(0), fn.loadI32(ownList(env, sf, pl, "n")), 1, body),
    ]),
  };
}
