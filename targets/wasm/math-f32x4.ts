// exp, log, tanh and pow on f32x4 lanes, written in wasm (no host calls). In: v128 expressions;
// out: calls to helper functions that `addTo` puts into the module when used.
// exp: x = n ln2 + r (|r| <= ln2/2, Cody–Waite split of ln2), e^r by a degree-7 Taylor polynomial
//      (truncation < 1e-8 relative), times 2^n built in the exponent bits. Max error about 1-2 ulp.
// log: x = 2^e m with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m-1)/(m+1), odd series to s^9.
// tanh(x) = sign(x) (1 - e)/(1 + e), e = exp(-2|x|); pow(a, b) = exp(b log a) (a > 0; a = 0 gives 0 or inf).

import { valType, type Expr, type ExprBuilder, type WasmModule } from "./module.js";

export interface MathLib {
  exp(a: Expr): Expr;
  log(a: Expr): Expr;
  tanh(a: Expr): Expr;
  pow(a: Expr, b: Expr): Expr;
  /** Adds the helper functions that were used. */
  addTo(m: WasmModule): void;
}

const LN2_HI = 0.693145751953125; // few mantissa bits: n * LN2_HI is exact in f32 for |n| < 256
const LN2_LO = 1.428606765330187e-6;
const LOG2E = 1.4426950408889634;

export function mathLib(ir: ExprBuilder): MathLib {
  const used = new Set<string>();
  const call = (name: string, args: Expr[]): Expr => {
    used.add(name);
    if (name === "f32x4_tanh" || name === "f32x4_pow") used.add("f32x4_exp");
    if (name === "f32x4_pow") used.add("f32x4_log");
    return ir.call(name, args, valType("v128"));
  };
  return {
    exp: (a) => call("f32x4_exp", [a]),
    log: (a) => call("f32x4_log", [a]),
    tanh: (a) => call("f32x4_tanh", [a]),
    pow: (a, b) => call("f32x4_pow", [a, b]),
    addTo(m) {
      if (used.has("f32x4_exp")) addExp(m);
      if (used.has("f32x4_log")) addLog(m);
      if (used.has("f32x4_tanh")) addTanh(m);
      if (used.has("f32x4_pow")) addPow(m);
    },
  };
}

function splat(ir: ExprBuilder, v: number): Expr {
  return ir.f32x4.splat(ir.f32.const(Math.fround(v)));
}

function isplat(ir: ExprBuilder, v: number): Expr {
  return ir.i32x4.splat(ir.i32.const(v | 0));
}

function addExp(m: WasmModule): void {
  const ir = m.ir;
  const V = (i: number): Expr => ir.local.get(i, valType("v128"));
  const [X, N, R, P, XC] = [0, 1, 2, 3, 4];
  // Horner for sum_{i=0..7} r^i / i!
  const coef = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040];
  let poly: Expr = splat(ir, coef[7]!);
  for (let i = 6; i >= 0; i--) poly = ir.f32x4.add(ir.f32x4.mul(poly, V(R)), splat(ir, coef[i]!));
  const body = ir.block(
    null,
    [
      ir.local.set(XC, ir.f32x4.min(ir.f32x4.max(V(X), splat(ir, -87.33654)), splat(ir, 88.72283))),
      ir.local.set(N, ir.f32x4.nearest(ir.f32x4.mul(V(XC), splat(ir, LOG2E)))),
      ir.local.set(
        R,
        ir.f32x4.sub(ir.f32x4.sub(V(XC), ir.f32x4.mul(V(N), splat(ir, LN2_HI))), ir.f32x4.mul(V(N), splat(ir, LN2_LO))),
      ),
      ir.local.set(P, poly),
      // 2^n as two factors 2^(n/2 rounded down) * 2^(rest) so n = 128 does not overflow the exponent field
      ir.local.set(
        P,
        ir.f32x4.mul(
          ir.f32x4.mul(V(P), pow2(ir, ir.i32x4.shr_s(ir.i32x4.trunc_sat_f32x4_s(V(N)), ir.i32.const(1)))),
          pow2(
            ir,
            ir.i32x4.sub(
              ir.i32x4.trunc_sat_f32x4_s(V(N)),
              ir.i32x4.shr_s(ir.i32x4.trunc_sat_f32x4_s(V(N)), ir.i32.const(1)),
            ),
          ),
        ),
      ),
      // below the clamp: 0; above: inf; NaN stays NaN (min/max propagate it)
      ir.local.set(P, ir.v128.bitselect(splat(ir, 0), V(P), ir.f32x4.lt(V(X), splat(ir, -87.33654)))),
      ir.v128.bitselect(splat(ir, Infinity), V(P), ir.f32x4.gt(V(X), splat(ir, 88.72283))),
    ],
    valType("v128"),
  );
  m.addFunction({
    name: "f32x4_exp",
    params: ["v128"],
    result: "v128",
    locals: ["v128", "v128", "v128", "v128"],
    body,
  });
}

/** 2^n for i32x4 n in [-126, 127]: (n + 127) << 23 reinterpreted as f32. */
function pow2(ir: ExprBuilder, n: Expr): Expr {
  return ir.i32x4.shl(ir.i32x4.add(n, isplat(ir, 127)), ir.i32.const(23));
}

function addLog(m: WasmModule): void {
  const ir = m.ir;
  const V = (i: number): Expr => ir.local.get(i, valType("v128"));
  const [X, E, MM, S, Z, BIG] = [0, 1, 2, 3, 4, 5];
  // exponent and mantissa (normal numbers)
  const body = ir.block(
    null,
    [
      ir.local.set(E, ir.i32x4.sub(ir.i32x4.shr_u(V(X), ir.i32.const(23)), isplat(ir, 127))),
      ir.local.set(MM, ir.v128.or(ir.v128.and(V(X), isplat(ir, 0x7fffff)), isplat(ir, 0x3f800000))),
      // m >= sqrt 2: halve it and bump the exponent
      ir.local.set(BIG, ir.f32x4.ge(V(MM), splat(ir, Math.SQRT2))),
      ir.local.set(MM, ir.v128.bitselect(ir.f32x4.mul(V(MM), splat(ir, 0.5)), V(MM), V(BIG))),
      ir.local.set(E, ir.i32x4.sub(V(E), V(BIG))), // BIG lanes are -1
      ir.local.set(S, ir.f32x4.div(ir.f32x4.sub(V(MM), splat(ir, 1)), ir.f32x4.add(V(MM), splat(ir, 1)))),
      ir.local.set(Z, ir.f32x4.mul(V(S), V(S))),
      // 2 s (1 + z/3 + z^2/5 + z^3/7 + z^4/9) + e ln2
      ir.local.set(
        S,
        ir.f32x4.add(
          ir.f32x4.mul(
            ir.f32x4.mul(V(S), splat(ir, 2)),
            ir.f32x4.add(
              splat(ir, 1),
              ir.f32x4.mul(
                V(Z),
                ir.f32x4.add(
                  splat(ir, 1 / 3),
                  ir.f32x4.mul(
                    V(Z),
                    ir.f32x4.add(
                      splat(ir, 1 / 5),
                      ir.f32x4.mul(V(Z), ir.f32x4.add(splat(ir, 1 / 7), ir.f32x4.mul(V(Z), splat(ir, 1 / 9)))),
                    ),
                  ),
                ),
              ),
            ),
          ),
          ir.f32x4.mul(ir.f32x4.convert_i32x4_s(V(E)), splat(ir, Math.LN2)),
        ),
      ),
      // special values: 0 -> -inf, negative or NaN -> NaN, +inf -> +inf
      ir.local.set(S, ir.v128.bitselect(splat(ir, -Infinity), V(S), ir.f32x4.eq(V(X), splat(ir, 0)))),
      ir.local.set(S, ir.v128.bitselect(splat(ir, Infinity), V(S), ir.f32x4.eq(V(X), splat(ir, Infinity)))),
      ir.v128.bitselect(V(S), splat(ir, NaN), ir.f32x4.ge(V(X), splat(ir, 0))),
    ],
    valType("v128"),
  );
  m.addFunction({
    name: "f32x4_log",
    params: ["v128"],
    result: "v128",
    locals: ["v128", "v128", "v128", "v128", "v128"],
    body,
  });
}

function addTanh(m: WasmModule): void {
  const ir = m.ir;
  const V = (i: number): Expr => ir.local.get(i, valType("v128"));
  const [X, E] = [0, 1];
  const body = ir.block(
    null,
    [
      ir.local.set(E, ir.call("f32x4_exp", [ir.f32x4.mul(ir.f32x4.abs(V(X)), splat(ir, -2))], valType("v128"))),
      ir.local.set(E, ir.f32x4.div(ir.f32x4.sub(splat(ir, 1), V(E)), ir.f32x4.add(splat(ir, 1), V(E)))),
      // copy the sign of x (tanh(-0) = -0)
      ir.v128.or(V(E), ir.v128.and(V(X), isplat(ir, -0x80000000))),
    ],
    valType("v128"),
  );
  m.addFunction({ name: "f32x4_tanh", params: ["v128"], result: "v128", locals: ["v128"], body });
}

function addPow(m: WasmModule): void {
  const ir = m.ir;
  const V = (i: number): Expr => ir.local.get(i, valType("v128"));
  const [A, B, R] = [0, 1, 2];
  const body = ir.block(
    null,
    [
      ir.local.set(
        R,
        ir.call("f32x4_exp", [ir.f32x4.mul(V(B), ir.call("f32x4_log", [V(A)], valType("v128")))], valType("v128")),
      ),
      // x^0 = 1 for every x (as Math.pow)
      ir.v128.bitselect(splat(ir, 1), V(R), ir.f32x4.eq(V(B), splat(ir, 0))),
    ],
    valType("v128"),
  );
  m.addFunction({ name: "f32x4_pow", params: ["v128", "v128"], result: "v128", locals: ["v128"], body });
}
