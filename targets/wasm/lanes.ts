// Arithmetic in one lane shape: f32x4 (4 neurons per instruction), scalar f32 or scalar f64.
// In: binaryen expressions of the lane's value/mask type; out: expressions for IR operators and built-in
// functions. Booleans are masks: all-ones lanes in v128 for f32x4, i32 0/1 for scalars.
// Transcendentals: f32x4 exp/log by range reduction + polynomials (math-f32x4.ts); f64 calls the host's
// Math functions (bit-identical to the reference target); scalar f32 uses the f32x4 routines on lane 0.

import type { BuiltinFn } from "../../compiler/ir/nodes.js";
import { BUILTINS, unreachable } from "../../compiler/builtins/functions.js";
import { valType, type Expr, type ExprBuilder, type ValType } from "./module.js";
import type { Fn } from "./fn.js";
import type { MathLib } from "./math-f32x4.js";

export type Precision = "f32" | "f64";
export type CmpOp = "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface Lanes {
  readonly width: 1 | 4;
  readonly elem: Precision;
  /** Bytes of one element in memory (4 or 8). */
  readonly bytes: 4 | 8;
  /** Value and mask local types. */
  readonly vt: ValType;
  readonly mt: ValType;
  num(v: number): Expr;
  /** A scalar f64 expression broadcast/converted to this lane shape. */
  fromF64(e: Expr): Expr;
  /** `width` consecutive elements at byte address `addr` + `offset` (a constant folded into the
   *  instruction's offset immediate: no address add in the loop). */
  load(addr: Expr, offset?: number): Expr;
  store(addr: Expr, v: Expr, offset?: number): Expr;
  add(a: Expr, b: Expr): Expr;
  sub(a: Expr, b: Expr): Expr;
  mul(a: Expr, b: Expr): Expr;
  div(a: Expr, b: Expr): Expr;
  neg(a: Expr): Expr;
  cmp(op: CmpOp, a: Expr, b: Expr): Expr;
  and(a: Expr, b: Expr): Expr;
  or(a: Expr, b: Expr): Expr;
  not(a: Expr): Expr;
  /** a and not b (masks): one v128.andnot in f32x4. */
  andNot(a: Expr, b: Expr): Expr;
  maskConst(b: boolean): Expr;
  /** mask ? a : b (values). */
  select(m: Expr, a: Expr, b: Expr): Expr;
  /** mask ? a : b (masks). */
  selectMask(m: Expr, a: Expr, b: Expr): Expr;
  maskToNum(m: Expr): Expr;
  numToMask(a: Expr): Expr;
  /** A built-in function; args are values of this lane shape. `fn` provides temporaries. */
  call(f: BuiltinFn, args: Expr[], fn: Fn): Expr;
}

/** The built-in functions f64 lanes (and the f32x4 sin/cos fallback) call through the host's Math. */
const HOST_MATH: readonly BuiltinFn[] = ["exp", "log", "tanh", "sin", "cos", "pow"];

/** Host Math imports a module needs for f64 lanes (and lane-wise fallbacks): name -> arity. */
export function hostMathImports(): Record<string, number> {
  return Object.fromEntries(HOST_MATH.map((f) => [f, BUILTINS[f].arity]));
}

export function hostMathName(f: string): string {
  return `Math_${f}`;
}

function scalarCommon(ir: ExprBuilder, elem: Precision): Omit<Lanes, "call" | "fromF64" | "num" | "load" | "store"> {
  const o = elem === "f32" ? ir.f32 : ir.f64;
  return {
    width: 1,
    elem,
    bytes: elem === "f32" ? 4 : 8,
    vt: elem,
    mt: "i32",
    add: (a, b) => o.add(a, b),
    sub: (a, b) => o.sub(a, b),
    mul: (a, b) => o.mul(a, b),
    div: (a, b) => o.div(a, b),
    neg: (a) => o.neg(a),
    cmp: (op, a, b) => {
      switch (op) {
        case "<":
          return o.lt(a, b);
        case "<=":
          return o.le(a, b);
        case ">":
          return o.gt(a, b);
        case ">=":
          return o.ge(a, b);
        case "==":
          return o.eq(a, b);
        case "!=":
          return o.ne(a, b);
      }
    },
    and: (a, b) => ir.i32.and(a, b),
    or: (a, b) => ir.i32.or(a, b),
    not: (a) => ir.i32.eqz(a),
    andNot: (a, b) => ir.i32.and(a, ir.i32.eqz(b)),
    maskConst: (b) => ir.i32.const(b ? 1 : 0),
    select: (m, a, b) => ir.select(m, a, b),
    selectMask: (m, a, b) => ir.select(m, a, b),
    maskToNum: (m) =>
      ir.select(
        m,
        elem === "f32" ? ir.f32.const(1) : ir.f64.const(1),
        elem === "f32" ? ir.f32.const(0) : ir.f64.const(0),
      ),
    numToMask: (a) => o.ne(a, elem === "f32" ? ir.f32.const(0) : ir.f64.const(0)),
  };
}

/** Scalar f64: plain IEEE double arithmetic, transcendentals through the host's Math (like the reference). */
export function f64Lanes(ir: ExprBuilder): Lanes {
  const c = scalarCommon(ir, "f64");
  const num = (v: number): Expr => ir.f64.const(v);
  return {
    ...c,
    num,
    fromF64: (e) => e,
    load: (addr, offset = 0) => ir.f64.load(offset, 8, addr),
    store: (addr, v, offset = 0) => ir.f64.store(offset, 8, addr, v),
    call: (f, args, fn) => {
      const a = args[0]!;
      switch (f) {
        case "sqrt":
          return ir.f64.sqrt(a);
        case "abs":
          return ir.f64.abs(a);
        case "floor":
          return ir.f64.floor(a);
        case "ceil":
          return ir.f64.ceil(a);
        case "int":
          return ir.f64.trunc(a);
        case "min":
          return ir.f64.min(a, args[1]!);
        case "max":
          return ir.f64.max(a, args[1]!);
        case "clip":
          return ir.f64.min(ir.f64.max(a, args[1]!), args[2]!);
        case "heaviside":
          return ir.select(ir.f64.gt(a, num(0)), num(1), num(0));
        case "sigmoid":
          return ir.f64.div(num(1), ir.f64.add(num(1), ir.call(hostMathName("exp"), [ir.f64.neg(a)], valType("f64"))));
        case "exp":
        case "log":
        case "tanh":
        case "sin":
        case "cos":
        case "pow":
          void fn;
          return ir.call(hostMathName(f), args, valType("f64"));
        default:
          return unreachable(f);
      }
    },
  };
}

/** Scalar f32: single-precision arithmetic; transcendentals via the f32x4 routines on lane 0. */
export function f32Lanes(ir: ExprBuilder, math: MathLib, vec: Lanes): Lanes {
  const c = scalarCommon(ir, "f32");
  const num = (v: number): Expr => ir.f32.const(Math.fround(v));
  const viaVector = (f: BuiltinFn, args: Expr[], fn: Fn): Expr =>
    ir.f32x4.extract_lane(
      vec.call(
        f,
        args.map((a) => ir.f32x4.splat(a)),
        fn,
      ),
      0,
    );
  return {
    ...c,
    num,
    fromF64: (e) => ir.f32.demote(e),
    load: (addr, offset = 0) => ir.f32.load(offset, 4, addr),
    store: (addr, v, offset = 0) => ir.f32.store(offset, 4, addr, v),
    call: (f, args, fn) => {
      const a = args[0]!;
      switch (f) {
        case "sqrt":
          return ir.f32.sqrt(a);
        case "abs":
          return ir.f32.abs(a);
        case "floor":
          return ir.f32.floor(a);
        case "ceil":
          return ir.f32.ceil(a);
        case "int":
          return ir.f32.trunc(a);
        case "min":
          return ir.f32.min(a, args[1]!);
        case "max":
          return ir.f32.max(a, args[1]!);
        case "clip":
          return ir.f32.min(ir.f32.max(a, args[1]!), args[2]!);
        case "heaviside":
          return ir.select(ir.f32.gt(a, num(0)), num(1), num(0));
        case "exp":
        case "log":
        case "tanh":
        case "sigmoid":
        case "pow":
        case "sin":
        case "cos":
          void math;
          return viaVector(f, args, fn);
        default:
          return unreachable(f);
      }
    },
  };
}

/** f32x4: four elements per value; masks are i32x4 all-ones/all-zeros lanes. */
export function f32x4Lanes(ir: ExprBuilder, math: MathLib): Lanes {
  const num = (v: number): Expr => ir.f32x4.splat(ir.f32.const(Math.fround(v)));
  const ones = (): Expr =>
    ir.v128.const([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
  const zeros = (): Expr => ir.v128.const(new Array<number>(16).fill(0));
  const self: Lanes = {
    width: 4,
    elem: "f32",
    bytes: 4,
    vt: "v128",
    mt: "v128",
    num,
    fromF64: (e) => ir.f32x4.splat(ir.f32.demote(e)),
    load: (addr, offset = 0) => ir.v128.load(offset, 16, addr),
    store: (addr, v, offset = 0) => ir.v128.store(offset, 16, addr, v),
    add: (a, b) => ir.f32x4.add(a, b),
    sub: (a, b) => ir.f32x4.sub(a, b),
    mul: (a, b) => ir.f32x4.mul(a, b),
    div: (a, b) => ir.f32x4.div(a, b),
    neg: (a) => ir.f32x4.neg(a),
    cmp: (op, a, b) => {
      switch (op) {
        case "<":
          return ir.f32x4.lt(a, b);
        case "<=":
          return ir.f32x4.le(a, b);
        case ">":
          return ir.f32x4.gt(a, b);
        case ">=":
          return ir.f32x4.ge(a, b);
        case "==":
          return ir.f32x4.eq(a, b);
        case "!=":
          return ir.f32x4.ne(a, b);
      }
    },
    and: (a, b) => ir.v128.and(a, b),
    or: (a, b) => ir.v128.or(a, b),
    not: (a) => ir.v128.not(a),
    andNot: (a, b) => ir.v128.andnot(a, b),
    maskConst: (b) => (b ? ones() : zeros()),
    select: (m, a, b) => ir.v128.bitselect(a, b, m),
    selectMask: (m, a, b) => ir.v128.bitselect(a, b, m),
    maskToNum: (m) => ir.v128.and(m, num(1)),
    numToMask: (a) => ir.f32x4.ne(a, num(0)),
    call: (f, args, fn) => {
      const a = args[0]!;
      switch (f) {
        case "sqrt":
          return ir.f32x4.sqrt(a);
        case "abs":
          return ir.f32x4.abs(a);
        case "floor":
          return ir.f32x4.floor(a);
        case "ceil":
          return ir.f32x4.ceil(a);
        case "int":
          return ir.f32x4.trunc(a);
        case "min":
          return ir.f32x4.min(a, args[1]!);
        case "max":
          return ir.f32x4.max(a, args[1]!);
        case "clip":
          return ir.f32x4.min(ir.f32x4.max(a, args[1]!), args[2]!);
        case "heaviside":
          return ir.v128.and(ir.f32x4.gt(a, num(0)), num(1));
        case "exp":
          return math.exp(a);
        case "log":
          return math.log(a);
        case "sigmoid":
          return ir.f32x4.div(num(1), ir.f32x4.add(num(1), math.exp(ir.f32x4.neg(a))));
        case "tanh":
          return math.tanh(a);
        case "pow":
          return math.pow(a, args[1]!);
        case "sin":
        case "cos": {
          // per lane through the host's Math on the value promoted to f64
          const t = fn.tmp("v128");
          let out: Expr = fn.get(t);
          for (let lane = 0; lane < 4; lane++) {
            const x = ir.f64.promote(ir.f32x4.extract_lane(fn.get(t), lane));
            out = ir.f32x4.replace_lane(out, lane, ir.f32.demote(ir.call(hostMathName(f), [x], valType("f64"))));
          }
          return ir.block(null, [fn.set(t, a), out], valType("v128"));
        }
        default:
          return unreachable(f);
      }
    },
  };
  return self;
}
