// WebAssembly kernels for the fixed executor (kernel "wasm"): each group's update statements lowered to
// binaryen code with exact 64-bit integer arithmetic. In: a FxGroup, the addresses of its raw arrays in one
// shared wasm memory, overflow-counter slots; out: an exported `update(k)` over all elements, or why the
// group stays on the generated JS (codegen.ts).
//
// Words live in memory as float64 holding exact integers (the representation the JS phases share, so no
// copies between phases); the kernel converts each load to i64 (exact: |raw| < 2^32), computes in i64 and
// stores back. Per node the arithmetic mirrors codegen.ts / arith.ts exactly: exact sum or i64.mul product,
// rounding right shift (floor: shr_s; trunc, nearest-even, nearest-away from quotient and remainder), then
// saturate or two's-complement wrap with a count in the statement's counter slot. Selections and and/or
// are `if`s, so only the taken side runs (and counts), as in JS. Refused (JS path): stochastic rounding (the
// LFSR is JS-side) and products or left shifts that could exceed 2^62. Not SIMD: a v128 i64x2 lane pair
// would halve the lanes of scalar i64 and the lazy selects and per-node counters need per-element control.

import type { Ref } from "../../compiler/ir/nodes.js";
import { valType, WasmModule, type Expr, type ExprBuilder, type ValType } from "../wasm/module.js";
import type { FxBool, FxExpr, FxGroup, FxStmt } from "./ir.js";
import { rawMax, rawMin, widthOf, type Overflow, type QFormat, type Rounding } from "./qformat.js";

export interface WasmGroupLayout {
  /** Byte address of each per-element f64 array (state, param, input) of the group. */
  arrays: Map<string, number>;
  /** Scalar raw words (uniform parameters), inlined as constants. */
  scalars: Map<string, number>;
  /** Byte address of the group's int32 last-spike steps. */
  lastSpike: number;
  /** Byte address of the i32 overflow-counter slot of a statement target (null: conditions). */
  counterSlot: (t: Ref | null) => number;
}

/** Magnitude bits: |raw| < 2^magBits for every word of f. */
const magBits = (f: QFormat): number => (f.signed ? widthOf(f) - 1 : widthOf(f));

function constBits(raw: number): number {
  return raw === 0 ? 0 : Math.ceil(Math.log2(Math.abs(raw) + 1));
}

/** An upper bound on the magnitude bits of an expression's value before its own fit. */
function bitsOf(e: FxExpr): number {
  return e.k === "const" ? constBits(e.raw) : magBits(e.fmt);
}

class Refused extends Error {}

const I64 = valType("i64"), I32 = valType("i32"), NONE = valType("none");

class Lowerer {
  readonly locals: ValType[] = [];
  private readonly named = new Map<string, number>();
  private readonly snap = new Map<string, number>();
  constructor(readonly ir: ExprBuilder, readonly g: FxGroup, readonly lay: WasmGroupLayout, readonly nParams: number) {}

  local(t: ValType): number {
    this.locals.push(t);
    return this.nParams + this.locals.length - 1;
  }

  namedLocal(name: string): number {
    let i = this.named.get(name);
    if (i === undefined) this.named.set(name, (i = this.local("i64")));
    return i;
  }

  /** The snapshot local of state variable `name` (the update reads each element's old state). */
  snapshot(name: string): number {
    let i = this.snap.get(name);
    if (i === undefined) this.snap.set(name, (i = this.local("i64")));
    return i;
  }

  snapshots(): [string, number][] {
    return [...this.snap];
  }

  c64(x: number): Expr {
    if (!Number.isSafeInteger(x)) throw new Refused(`constant ${x} is not an exact integer`);
    return this.ir.i64.const(BigInt(x));
  }

  /** Byte address of element e of the f64 array at base. */
  addr(base: number): Expr {
    const ir = this.ir;
    return ir.i32.add(ir.i32.const(base), ir.i32.shl(ir.local.get(1, I32), ir.i32.const(3)));
  }

  read(r: Ref): Expr {
    const ir = this.ir;
    if (r.space === "state" && this.lay.arrays.has(r.name)) return ir.local.get(this.snapshot(r.name), I64);
    if (r.space === "state" || r.space === "param" || r.space === "input") {
      const base = this.lay.arrays.get(r.name);
      if (base !== undefined) return ir.i64.trunc_s.f64(ir.f64.load(0, 8, this.addr(base)));
      const sc = this.lay.scalars.get(r.name);
      if (sc !== undefined) return this.c64(sc);
    }
    throw new Refused(`cannot read ${r.space}.${r.name}`);
  }

  write(r: Ref, v: Expr): Expr {
    const ir = this.ir;
    if (r.space === "local") return ir.local.set(this.namedLocal(r.name), v);
    const base = this.lay.arrays.get(r.name);
    if ((r.space === "state" || r.space === "input") && base !== undefined) return ir.f64.store(0, 8, this.addr(base), ir.f64.convert_s.i64(v));
    throw new Refused(`cannot assign ${r.space}.${r.name}`);
  }

  count(slot: number): Expr {
    const ir = this.ir;
    return ir.i32.store(0, 4, ir.i32.const(slot), ir.i32.add(ir.i32.load(0, 4, ir.i32.const(slot)), ir.i32.const(1)));
  }

  /** x fitted into f (saturate or wrap), counting in `slot`. */
  fit(x: Expr, f: QFormat, ovf: Overflow, slot: number): Expr {
    const ir = this.ir, t = this.local("i64"), get = (): Expr => ir.local.get(t, I64);
    const lo = this.c64(rawMin(f)), hi = this.c64(rawMax(f));
    if (ovf === "saturate") {
      return ir.block(null, [
        ir.local.set(t, x),
        ir.if(ir.i64.lt_s(get(), lo), ir.block(null, [this.count(slot), ir.local.set(t, this.c64(rawMin(f)))]),
          ir.if(ir.i64.gt_s(get(), hi), ir.block(null, [this.count(slot), ir.local.set(t, this.c64(rawMax(f)))]))),
        get(),
      ], I64);
    }
    const w = widthOf(f);
    const wrapped = f.signed
      ? ir.i64.shr_s(ir.i64.shl(get(), ir.i64.const(BigInt(64 - w))), ir.i64.const(BigInt(64 - w)))
      : ir.i64.and(get(), ir.i64.const((1n << BigInt(w)) - 1n));
    return ir.block(null, [
      ir.local.set(t, x),
      ir.if(ir.i32.or(ir.i64.lt_s(get(), lo), ir.i64.gt_s(get(), hi)), ir.block(null, [this.count(slot), ir.local.set(t, wrapped)])),
      get(),
    ], I64);
  }

  /** x / 2^s rounded by mode (s > 0), as arith.roundShiftRight. */
  roundShift(x: Expr, s: number, mode: Rounding): Expr {
    const ir = this.ir;
    if (s > 62) throw new Refused(`right shift by ${s}`);
    if (mode === "stochastic") throw new Refused("stochastic rounding draws from the JS-side LFSR");
    const tx = this.local("i64"), tq = this.local("i64"), tr = this.local("i64");
    const X = (): Expr => ir.local.get(tx, I64), Q = (): Expr => ir.local.get(tq, I64), R = (): Expr => ir.local.get(tr, I64);
    const S = BigInt(s);
    const head = [ir.local.set(tx, x), ir.local.set(tq, ir.i64.shr_s(X(), ir.i64.const(S))), ir.local.set(tr, ir.i64.and(X(), ir.i64.const((1n << S) - 1n)))];
    const q1 = (): Expr => ir.i64.add(Q(), ir.i64.const(1n));
    const half = (): Expr => ir.i64.const(1n << (S - 1n));
    let out: Expr;
    switch (mode) {
      case "floor":
        return ir.i64.shr_s(x, ir.i64.const(S));
      case "trunc":
        out = ir.select(ir.i32.and(ir.i64.ne(R(), ir.i64.const(0n)), ir.i64.lt_s(X(), ir.i64.const(0n))), q1(), Q());
        break;
      case "nearest-even":
        out = ir.select(ir.i64.gt_u(R(), half()), q1(),
          ir.select(ir.i64.lt_u(R(), half()), Q(), ir.select(ir.i64.ne(ir.i64.and(Q(), ir.i64.const(1n)), ir.i64.const(0n)), q1(), Q())));
        break;
      case "nearest-away":
        out = ir.select(ir.i64.gt_u(R(), half()), q1(),
          ir.select(ir.i64.lt_u(R(), half()), Q(), ir.select(ir.i64.gt_s(X(), ir.i64.const(0n)), q1(), Q())));
        break;
    }
    return ir.block(null, [...head, out], I64);
  }

  expr(e: FxExpr, slot: number): Expr {
    const ir = this.ir;
    switch (e.k) {
      case "const":
        return this.c64(e.raw);
      case "var":
        return e.ref.space === "local" ? ir.local.get(this.namedLocal(e.ref.name), I64) : this.read(e.ref);
      case "add":
      case "sub": {
        const a = this.expr(e.a, slot), b = this.expr(e.b, slot);
        return this.fit(e.k === "add" ? ir.i64.add(a, b) : ir.i64.sub(a, b), e.fmt, e.ovf, slot);
      }
      case "neg":
      case "abs": {
        const a = this.expr(e.a, slot);
        if (e.k === "neg") return this.fit(ir.i64.sub(ir.i64.const(0n), a), e.fmt, e.ovf, slot);
        const t = this.local("i64");
        const abs = ir.block(null, [ir.local.set(t, a), ir.select(ir.i64.lt_s(ir.local.get(t, I64), ir.i64.const(0n)), ir.i64.sub(ir.i64.const(0n), ir.local.get(t, I64)), ir.local.get(t, I64))], I64);
        return this.fit(abs, e.fmt, e.ovf, slot);
      }
      case "mul": {
        const bits = bitsOf(e.a) + bitsOf(e.b) + (e.shift < 0 ? -e.shift : 0);
        if (bits > 62) throw new Refused(`a product of up to 2^${bits}`);
        let p = ir.i64.mul(this.expr(e.a, slot), this.expr(e.b, slot));
        if (e.shift > 0) p = this.roundShift(p, e.shift, e.rnd);
        else if (e.shift < 0) p = ir.i64.shl(p, ir.i64.const(BigInt(-e.shift)));
        return this.fit(p, e.fmt, e.ovf, slot);
      }
      case "shift": {
        const a = this.expr(e.a, slot);
        if (e.by >= 0) {
          if (bitsOf(e.a) + e.by > 62) throw new Refused(`a left shift to 2^${bitsOf(e.a) + e.by}`);
          return this.fit(e.by ? ir.i64.shl(a, ir.i64.const(BigInt(e.by))) : a, e.fmt, e.ovf, slot);
        }
        return this.fit(this.roundShift(a, -e.by, e.rnd), e.fmt, e.ovf, slot);
      }
      case "min":
      case "max": {
        const ta = this.local("i64"), tb = this.local("i64");
        const A = (): Expr => ir.local.get(ta, I64), B = (): Expr => ir.local.get(tb, I64);
        return ir.block(null, [
          ir.local.set(ta, this.expr(e.a, slot)), ir.local.set(tb, this.expr(e.b, slot)),
          ir.select(e.k === "min" ? ir.i64.lt_s(A(), B()) : ir.i64.gt_s(A(), B()), A(), B()),
        ], I64);
      }
      case "sel":
        return ir.if(this.bool(e.c, slot), this.expr(e.a, slot), this.expr(e.b, slot));
      case "lut":
        return this.lut(e, slot);
      case "div":
        return this.div(e, slot);
      case "edecay":
        throw new Refused("an event-driven decay outside a synapse handler");
    }
  }

  /** A constant of ys chosen by the i32 index in local idx (a balanced tree of ifs over [lo, hi]). */
  private pick(ys: readonly number[], idx: number, lo: number, hi: number): Expr {
    const ir = this.ir;
    if (lo === hi) return this.c64(ys[lo]!);
    const mid = (lo + hi) >> 1;
    return ir.if(ir.i32.le_s(ir.local.get(idx, I32), ir.i32.const(mid)), this.pick(ys, idx, lo, mid), this.pick(ys, idx, mid + 1, hi));
  }

  /** nonlinear.lutEval: clamp below/above, then y0 + round_ne((y1 - y0) * r / 2^step). */
  private lut(e: Extract<FxExpr, { k: "lut" }>, slot: number): Expr {
    if (e.fn === "log") return this.log(e, slot);
    const ir = this.ir;
    const n = e.ys.length - 1, S = BigInt(e.step);
    const td = this.local("i64"), ti = this.local("i32"), ty = this.local("i64");
    const D = (): Expr => ir.local.get(td, I64);
    const y0 = this.pick(e.ys, ti, 0, n);
    const dy = ir.i64.sub(this.pick(e.ys, ti, 0, n), ir.local.get(ty, I64)); // evaluated with ti + 1 below
    const r = ir.i64.and(D(), ir.i64.const((1n << S) - 1n));
    const interp = e.step === 0 ? ir.local.get(ty, I64)
      : ir.i64.add(ir.local.get(ty, I64), this.roundShift(ir.i64.mul(ir.block(null, [ir.local.set(ti, ir.i32.add(ir.local.get(ti, I32), ir.i32.const(1))), dy], I64), r), e.step, "nearest-even"));
    return ir.block(null, [
      ir.local.set(td, ir.i64.sub(this.expr(e.a, slot), this.c64(e.x0))),
      ir.if(ir.i64.le_s(D(), ir.i64.const(0n)), this.c64(e.ys[0]!),
        ir.if(ir.i64.ge_s(ir.i64.shr_s(D(), ir.i64.const(S)), ir.i64.const(BigInt(n))), this.c64(e.ys[n]!),
          ir.block(null, [
            ir.local.set(ti, ir.i32.wrap(ir.i64.shr_s(D(), ir.i64.const(S)))),
            ir.local.set(ty, y0),
            interp,
          ], I64))),
    ], I64);
  }

  /** nonlinear.logEval: x <= 0 counts and gives the lower end; else n = 63 - clz(x), d = (x << (31 - n)) - 2^31,
   *  offs[n] + ys[i] + round_ne((ys[i+1] - ys[i]) * (d mod 2^seg) / 2^seg) with i = d >> seg, fitted. */
  private log(e: Extract<FxExpr, { k: "lut"; fn: "log" }>, slot: number): Expr {
    const ir = this.ir;
    const tx = this.local("i64"), tn = this.local("i64"), td = this.local("i64"), ti = this.local("i32"), tk = this.local("i32"), ty = this.local("i64");
    const X = (): Expr => ir.local.get(tx, I64), Nn = (): Expr => ir.local.get(tn, I64), D = (): Expr => ir.local.get(td, I64), Y = (): Expr => ir.local.get(ty, I64);
    const S = BigInt(e.seg), n = e.ys.length - 1;
    const y1 = ir.block(null, [ir.local.set(ti, ir.i32.add(ir.local.get(ti, I32), ir.i32.const(1))), this.pick(e.ys, ti, 0, n)], I64);
    const interp = ir.i64.add(Y(), this.roundShift(ir.i64.mul(ir.i64.sub(y1, Y()), ir.i64.and(D(), ir.i64.const((1n << S) - 1n))), e.seg, "nearest-even"));
    return ir.block(null, [
      ir.local.set(tx, this.expr(e.a, slot)),
      ir.if(ir.i64.le_s(X(), ir.i64.const(0n)),
        ir.block(null, [this.count(slot), this.c64(rawMin(e.fmt))], I64),
        ir.block(null, [
          ir.local.set(tn, ir.i64.sub(ir.i64.const(63n), ir.i64.clz(X()))),
          ir.local.set(td, ir.i64.sub(ir.i64.shl(X(), ir.i64.sub(ir.i64.const(31n), Nn())), ir.i64.const(1n << 31n))),
          ir.local.set(ti, ir.i32.wrap(ir.i64.shr_s(D(), ir.i64.const(S)))),
          ir.local.set(tk, ir.i32.wrap(Nn())),
          ir.local.set(ty, this.pick(e.ys, ti, 0, n)),
          this.fit(ir.i64.add(this.pick(e.offs, tk, 0, e.offs.length - 1), interp), e.fmt, e.ovf, slot),
        ], I64)),
    ], I64);
  }

  /** nonlinear.div: b = 0 saturates; else floor quotient of the (sign-normalized) operands, rounded, fitted. */
  private div(e: Extract<FxExpr, { k: "div" }>, slot: number): Expr {
    const ir = this.ir;
    if (e.rnd === "stochastic") throw new Refused("stochastic rounding draws from the JS-side LFSR");
    const tn = this.local("i64"), td = this.local("i64"), tq = this.local("i64"), tr = this.local("i64");
    const N = (): Expr => ir.local.get(tn, I64), Dn = (): Expr => ir.local.get(td, I64), Q = (): Expr => ir.local.get(tq, I64), R = (): Expr => ir.local.get(tr, I64);
    const z = (): Expr => ir.i64.const(0n);
    const a = this.expr(e.a, slot), b = this.expr(e.b, slot);
    const q1 = (): Expr => ir.i64.add(Q(), ir.i64.const(1n));
    const twoR = (): Expr => ir.i64.shl(R(), ir.i64.const(1n));
    let rounded: Expr;
    switch (e.rnd) {
      case "floor": rounded = Q(); break;
      case "trunc": rounded = ir.select(ir.i32.and(ir.i64.ne(R(), z()), ir.i64.lt_s(N(), z())), q1(), Q()); break;
      case "nearest-even":
        rounded = ir.select(ir.i64.gt_s(twoR(), Dn()), q1(), ir.select(ir.i64.lt_s(twoR(), Dn()), Q(), ir.select(ir.i64.ne(ir.i64.and(Q(), ir.i64.const(1n)), z()), q1(), Q())));
        break;
      case "nearest-away":
        rounded = ir.select(ir.i64.gt_s(twoR(), Dn()), q1(), ir.select(ir.i64.lt_s(twoR(), Dn()), Q(), ir.select(ir.i64.gt_s(N(), z()), q1(), Q())));
        break;
    }
    const zeroDen = ir.if(ir.i64.eqz(N()), z(),
      ir.block(null, [this.count(slot), ir.select(ir.i64.gt_s(N(), z()), this.c64(rawMax(e.fmt)), this.c64(rawMin(e.fmt)))], I64));
    return ir.block(null, [
      ir.local.set(tn, e.pre > 0 ? ir.i64.shl(a, ir.i64.const(BigInt(e.pre))) : a),
      ir.local.set(td, e.pre < 0 ? ir.i64.shl(b, ir.i64.const(BigInt(-e.pre))) : b),
      ir.if(ir.i64.eqz(Dn()), zeroDen, ir.block(null, [
        ir.if(ir.i64.lt_s(Dn(), z()), ir.block(null, [ir.local.set(tn, ir.i64.sub(z(), N())), ir.local.set(td, ir.i64.sub(z(), Dn()))], NONE)),
        ir.local.set(tq, ir.i64.div_s(N(), Dn())),
        ir.local.set(tr, ir.i64.sub(N(), ir.i64.mul(Q(), Dn()))),
        ir.if(ir.i64.lt_s(R(), z()), ir.block(null, [ir.local.set(tq, ir.i64.sub(Q(), ir.i64.const(1n))), ir.local.set(tr, ir.i64.add(R(), Dn()))], NONE)),
        this.fit(rounded, e.fmt, e.ovf, slot),
      ], I64)),
    ], I64);
  }

  bool(e: FxBool, slot: number): Expr {
    const ir = this.ir;
    switch (e.k) {
      case "bool":
        return ir.i32.const(e.v ? 1 : 0);
      case "flag": {
        const refr = this.g.refractory ? Math.max(0, Math.round(this.g.refractory.steps)) : 0;
        if (refr <= 0) return ir.i32.const(0);
        const last = ir.i32.load(0, 4, ir.i32.add(ir.i32.const(this.lay.lastSpike), ir.i32.shl(ir.local.get(1, I32), ir.i32.const(2))));
        return ir.i32.lt_s(ir.i32.sub(ir.local.get(0, I32), last), ir.i32.const(refr));
      }
      case "not":
        return ir.i32.eqz(this.bool(e.a, slot));
      case "and":
        return ir.if(this.bool(e.a, slot), this.bool(e.b, slot), ir.i32.const(0));
      case "or":
        return ir.if(this.bool(e.a, slot), ir.i32.const(1), this.bool(e.b, slot));
      case "cmp": {
        const a = this.expr(e.a, slot), b = this.expr(e.b, slot);
        switch (e.op) {
          case "<": return ir.i64.lt_s(a, b);
          case "<=": return ir.i64.le_s(a, b);
          case ">": return ir.i64.gt_s(a, b);
          case ">=": return ir.i64.ge_s(a, b);
          case "==": return ir.i64.eq(a, b);
          case "!=": return ir.i64.ne(a, b);
        }
      }
    }
  }

  stmts(list: readonly FxStmt[]): Expr[] {
    const out: Expr[] = [];
    for (const s of list) {
      if (s.k === "if") {
        const c = this.bool(s.c, this.lay.counterSlot(null));
        out.push(this.ir.if(c, this.ir.block(null, this.stmts(s.then), NONE), this.ir.block(null, this.stmts(s.otherwise), NONE)));
        continue;
      }
      const target: Ref = s.k === "let" ? { space: "local", name: s.name } : s.target;
      out.push(this.write(target, this.expr(s.value, this.lay.counterSlot(target))));
    }
    return out;
  }
}

/** A wasm module exporting `update(k)` for the group, or the reason it stays on JS. */
export function lowerGroupUpdate(g: FxGroup, lay: WasmGroupLayout): { bytes?: Uint8Array<ArrayBuffer>; reason?: string } {
  if (!g.update.length) return { reason: "no update statements" };
  const mod = new WasmModule();
  try {
    const ir = mod.ir;
    const L = new Lowerer(ir, g, lay, 1);
    const e = L.local("i32"); // local 1: the element index
    if (e !== 1) throw new Error("internal: element index must be local 1");
    let body: Expr[];
    try {
      body = L.stmts(g.update);
    } catch (err) {
      if (err instanceof Refused) return { reason: err.message };
      throw err;
    }
    const snaps = L.snapshots().map(([name, idx]) => ir.local.set(idx, ir.i64.trunc_s.f64(ir.f64.load(0, 8, L.addr(lay.arrays.get(name)!)))));
    const loop = ir.block("done", [
      ir.local.set(1, ir.i32.const(0)),
      ir.loop("next", ir.block(null, [
        ir.br("done", ir.i32.ge_s(ir.local.get(1, I32), ir.i32.const(g.size))),
        ...snaps, ...body,
        ir.local.set(1, ir.i32.add(ir.local.get(1, I32), ir.i32.const(1))),
        ir.br("next"),
      ], NONE)),
    ], NONE);
    mod.addFunction({ name: "update", params: ["i32"], result: "none", locals: L.locals, body: loop, export: true });
    const problems = mod.validate();
    if (problems.length) throw new Error(`internal: invalid fixed-point kernel for ${g.name}: ${problems.join("; ")}`);
    mod.optimize();
    return { bytes: mod.emitBinary() };
  } finally {
    mod.dispose();
  }
}
