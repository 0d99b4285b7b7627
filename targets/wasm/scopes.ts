// What lowered code runs in: the shared environment (layout, lane shapes) and the scalar scopes that
// read and write population variables at one element. In: a Layout and local indices; out: Scope
// objects for lower-expr.ts (group code at an element, population variables, exposes, modulators).

import type { Ref } from "../../compiler/ir/nodes.js";
import { TargetError } from "../target.js";
import { valType, type Expr, type ExprBuilder, type ValType } from "./module.js";
import { Fn } from "./fn.js";
import type { Lanes } from "./lanes.js";
import type { Layout, PopLayout, Shard } from "./layout.js";
import { lowerExpr, unsupportedRef, type Scope, type Val } from "./lower-expr.js";

export interface Env {
  readonly layout: Layout;
  readonly ir: ExprBuilder;
  /** Lanes of group element loops (f32x4 in f32 mode, scalar f64 in f64 mode). */
  readonly vec: Lanes;
  /** Scalar lanes of the precision (synapse handlers, resets over spike lists, astrocyte handlers). */
  readonly scal: Lanes;
}

/** A function taking the step k (param 0) with local `t` = k * dt (f64), set by `prologue`. */
export interface StepFn {
  fn: Fn;
  k: number;
  t: number;
  prologue: Expr;
}

/** `params` are the function's parameters; the first is always k (i32). */
export function stepFn(env: Env, params: readonly ValType[] = ["i32"]): StepFn {
  const fn = new Fn(env.ir, params);
  const t = fn.local("t", "f64");
  const prologue = fn.set(t, env.ir.f64.mul(env.ir.f64.convert_s.i32(fn.get(0)), env.ir.f64.const(env.layout.dt)));
  return { fn, k: 0, t, prologue };
}

export function modRead(env: Env, L: Lanes, name: string): Expr {
  const addr = env.layout.mods.get(name);
  if (addr === undefined) throw new TargetError(`unknown modulator ${name}`);
  return L.fromF64(env.ir.f64.load(0, 8, env.ir.i32.const(addr)));
}

/** Reads variable `name` of population `pl` at the element in local `elem` (params, state, inputs, exposes). */
export function popRead(env: Env, sf: StepFn, L: Lanes, pl: PopLayout, name: string, elem: number, where: string): Val {
  const c = pl.consts.get(name);
  if (c !== undefined) return { k: "num", e: L.num(c) };
  const a = pl.arrays.get(name);
  if (a !== undefined) return { k: "num", e: L.load(sf.fn.addr(a, sf.fn.get(elem), L.bytes)) };
  const ex = pl.group?.exposes.find((x) => x.name === name);
  if (ex) return lowerExpr(ex.expr, groupScope(env, sf, L, pl, elem, `${pl.name}.${name}`));
  if (!pl.group) throw new TargetError(`${where}: ${pl.name} is an input population and has no variable ${name}`);
  throw new TargetError(`${where}: ${pl.name} has no variable ${name}`);
}

export function popWrite(
  env: Env,
  sf: StepFn,
  L: Lanes,
  pl: PopLayout,
  name: string,
  elem: number,
  value: Expr,
  where: string,
): Expr {
  if (pl.consts.has(name) || pl.values?.params.has(name))
    throw new TargetError(`${where}: cannot assign parameter ${pl.name}.${name}`);
  const a = pl.arrays.get(name);
  if (a === undefined) throw new TargetError(`${where}: ${pl.name} has no variable ${name}`);
  return L.store(sf.fn.addr(a, sf.fn.get(elem), L.bytes), value);
}

/** The refractory flag of element `elem` (scalar): k - lastSpike < steps. */
export function refractoryFlag(env: Env, sf: StepFn, pl: PopLayout, elem: number): Expr {
  const ir = env.ir;
  if (pl.refractorySteps <= 0) return ir.i32.const(0);
  return ir.i32.lt_s(
    ir.i32.sub(sf.fn.get(sf.k), sf.fn.loadI32(sf.fn.at32(pl.ls, sf.fn.get(elem)))),
    ir.i32.const(pl.refractorySteps),
  );
}

/**
 * Scalar scope of a group's own code at element `elem` (resets over spike lists, exposes, astrocyte
 * handlers). `extra` resolves refs first (pre/post of astrocyte handlers).
 */
export function groupScope(
  env: Env,
  sf: StepFn,
  L: Lanes,
  pl: PopLayout,
  elem: number,
  where: string,
  extra?: { read(r: Ref): Val | undefined; write(r: Ref, value: Expr): Expr | undefined },
): Scope {
  const s: Scope = {
    lanes: L,
    fn: sf.fn,
    where,
    read(r) {
      const x = extra?.read(r);
      if (x !== undefined) return x;
      switch (r.space) {
        case "param":
        case "state":
        case "input":
          return popRead(env, sf, L, pl, r.name, elem, where);
        case "t":
          return { k: "num", e: L.fromF64(sf.fn.get(sf.t)) };
        case "dt":
          return { k: "num", e: L.num(pl.dt) };
        case "mod":
          return { k: "num", e: modRead(env, L, r.name) };
        case "flag":
          if (r.name !== "refractory" || extra) return unsupportedRef(r, where);
          return { k: "mask", e: refractoryFlag(env, sf, pl, elem) };
        default:
          return unsupportedRef(r, where);
      }
    },
    write(r, value) {
      const x = extra?.write(r, value);
      if (x !== undefined) return x;
      if (r.space === "state" || r.space === "input") return popWrite(env, sf, L, pl, r.name, elem, value, where);
      throw new TargetError(`${where}: cannot assign ${r.space}.${r.name}`);
    },
  };
  return s;
}

/** The thread id (imported global `glia.tid`) of a threaded layout; 0 otherwise. */
export function threadId(env: Env): Expr {
  return env.layout.threads > 1 ? env.ir.global.get("tid", valType("i32")) : env.ir.i32.const(0);
}

/**
 * Field `field` (0 lo, 1 hi, 2 spike buffer, 3 count slot) of this thread's shard of group `pl`: a constant
 * when single-threaded, else a load from the shard table at the thread id.
 */
export function ownShard(env: Env, pl: PopLayout, field: 0 | 1 | 2 | 3): Expr {
  const ir = env.ir;
  if (env.layout.threads === 1 || pl.shardTable === 0) {
    const sh = pl.shards[0]!;
    return ir.i32.const([sh.lo, sh.hi, sh.buf, sh.n][field]!);
  }
  return ir.i32.load(pl.shardTable + 4 * field, 4, ir.i32.shl(threadId(env), ir.i32.const(4)));
}

/** Bytes from copy 0 of `pl`'s spike lists to step k's copy: 0, or (k mod listCopies) * parityBytes when there
 *  are several copies (2 or 4). */
export function spikeCopy(env: Env, sf: StepFn, pl: PopLayout): Expr {
  const ir = env.ir;
  if (pl.parityBytes === 0) return ir.i32.const(0);
  return ir.i32.mul(ir.i32.and(sf.fn.get(sf.k), ir.i32.const(pl.listCopies - 1)), ir.i32.const(pl.parityBytes));
}

/** Address of step k's spike count of shard `sh` of `pl`. */
export function shardCount(env: Env, sf: StepFn, pl: PopLayout, sh: Shard): Expr {
  const at = env.ir.i32.const(sh.n);
  return pl.parityBytes === 0 ? at : env.ir.i32.add(at, spikeCopy(env, sf, pl));
}

/** Address of element `index` of step k's spike buffer of shard `sh` of `pl`. */
export function shardElem(env: Env, sf: StepFn, pl: PopLayout, sh: Shard, index: Expr): Expr {
  const at = sf.fn.at32(sh.buf, index);
  return pl.parityBytes === 0 ? at : env.ir.i32.add(at, spikeCopy(env, sf, pl));
}

/** Address of step k's spike buffer or count of this thread's own shard of `pl`. */
export function ownList(env: Env, sf: StepFn, pl: PopLayout, what: "buf" | "n"): Expr {
  const at = ownShard(env, pl, what === "buf" ? 2 : 3);
  return pl.parityBytes === 0 ? at : env.ir.i32.add(at, spikeCopy(env, sf, pl));
}
