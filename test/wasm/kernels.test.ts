// wasm target units: f32x4 exp/log/tanh/pow accuracy against Math (through a group update), the WAT of
// a fused LIF loop (f32x4 lanes, bitselect clamps, bitmask compaction), layout padding and diagnostics.
import { describe, expect, it } from "@jest/globals";
import type { BuiltinFn, IRExpr } from "../../compiler/ir/nodes.js";
import { emitWat, wasmTarget } from "../../targets/wasm/index.js";
import { buildLayout } from "../../targets/wasm/layout.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { b, group, n, program, r, set, v } from "../reference/ir-helpers.js";

const call = (fn: BuiltinFn, ...args: IRExpr[]): IRExpr => ({ k: "call", fn, args });

/** Runs y = f(x) for x given per element (x = lo + i * step) and returns y as recorded at step 1. */
function evalOnWasm(f: (x: IRExpr) => IRExpr, xs: number[]): number[] {
  const lo = xs[0]!,
    step = xs.length > 1 ? xs[1]! - xs[0]! : 0;
  const g = group("g", xs.length, {
    params: [v("x", { k: "expr", e: b("+", n(lo), b("*", r("index", "i"), n(step))) }, true)],
    state: [v("y", 0)],
    update: [set("state", "y", f(r("param", "x")))],
  });
  const res = wasmTarget.run(
    program({
      steps: 2,
      groups: [g],
      monitors: [{ k: "state", variable: "y", target: { population: "g", start: 0, end: xs.length }, everySteps: 1 }],
    }),
    { numericGuard: false }, // log 0 = -inf is stored in y on purpose
  );
  expect(res.diagnostics).toEqual([]);
  return Array.from(res.result!.traces[0]!.values[1]!);
}

const grid = (lo: number, hi: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
const relErr = (a: number, e: number): number => (e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e));

describe("f32x4 transcendentals", () => {
  it("exp within 3e-7 relative over [-80, 80], 0 below the f32 range", () => {
    const xs = grid(-80, 80, 997);
    const ys = evalOnWasm((x) => call("exp", x), xs);
    xs.forEach((x, i) => expect(relErr(ys[i]!, Math.fround(Math.exp(Math.fround(x))))).toBeLessThan(3e-7));
    expect(evalOnWasm((x) => call("exp", x), [-200, -150])).toEqual([0, 0]);
  });

  it("log(exp(x)) = x within 2e-6 over [-69, 69]; log 0 = -inf", () => {
    const xs = grid(-69, 69, 501);
    const ys = evalOnWasm((x) => call("log", call("exp", x)), xs);
    // log(exp(x)) = x up to the two roundings
    xs.forEach((x, i) => expect(Math.abs(ys[i]! - x)).toBeLessThan(2e-6 * Math.max(1, Math.abs(x))));
    expect(evalOnWasm((x) => call("log", x), [0, 1])).toEqual([-Infinity, 0]);
  });

  it("tanh, sigmoid and pow agree with Math to f32 precision", () => {
    const xs = grid(-6, 6, 241);
    const th = evalOnWasm((x) => call("tanh", x), xs);
    const sg = evalOnWasm((x) => call("sigmoid", x), xs);
    xs.forEach((x, i) => {
      const xf = Math.fround(x);
      expect(Math.abs(th[i]! - Math.tanh(xf))).toBeLessThan(5e-7);
      expect(Math.abs(sg[i]! - 1 / (1 + Math.exp(-xf)))).toBeLessThan(5e-7);
    });
    const ps = evalOnWasm((x) => call("pow", b("+", x, n(7)), n(1.5)), xs);
    xs.forEach((x, i) => expect(relErr(ps[i]!, Math.pow(Math.fround(x) + 7, 1.5))).toBeLessThan(2e-6));
  });
});

describe("emitted kernels", () => {
  const lif = group("lif", 10, {
    state: [v("v", -0.065)],
    update: [
      { k: "let", name: "vn", value: b("+", b("*", r("state", "v"), n(0.99)), n(-0.0004)) },
      set("state", "v", { k: "sel", c: r("flag", "refractory"), a: r("state", "v"), b: r("local", "vn") }),
    ],
    threshold: b(">", r("state", "v"), n(-0.05)),
    reset: [set("state", "v", n(-0.065))],
    refractory: { steps: 20, clamp: ["v"] },
  });

  it("the fused group loop uses f32x4 lanes, bitselect clamps and a bitmask spike test", () => {
    const diags: Diagnostic[] = [];
    const wat = emitWat(program({ groups: [lif] }), diags);
    expect(diags).toEqual([]);
    expect(wat).toContain("(func $g0_step");
    expect(wat).toContain("f32x4.mul");
    expect(wat).toContain("v128.bitselect");
    expect(wat).toContain("i32x4.bitmask");
    expect(wat).toContain('(export "run"');
    // f64 mode: scalar doubles, no SIMD in the group loop
    const wat64 = emitWat(program({ groups: [lif] }), diags, "f64");
    expect(wat64).toContain("f64.mul");
    expect(wat64).not.toContain("f32x4");
  });

  it("pads populations to 4 lanes and stores post indices as u16 when they fit", () => {
    const layout = buildLayout(program({ groups: [lif] }), 1, 10, "f32", 1024);
    expect(layout.groups[0]!.pad).toBe(12);
    expect(layout.groups[0]!.arrays.get("v")! % 16).toBe(0);
  });

  it("reports what it cannot lower as E0801, not an exception", () => {
    const bad = group("bad", 1, { state: [v("x", 0)], update: [set("state", "x", r("astro", "m"))] });
    const out = wasmTarget.run(program({ groups: [bad] }), {});
    expect(out.result).toBeUndefined();
    expect(out.diagnostics.map((d) => d.code)).toEqual(["E0801"]);
    const diags: Diagnostic[] = [];
    expect(emitWat(program({ groups: [bad] }), diags)).toBe("");
    expect(diags.map((d) => d.code)).toEqual(["E0801"]);
  });
});
