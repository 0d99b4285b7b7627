// The built-in function table (compiler/builtins/functions.ts) is what every consumer uses: for each
// builtin, on sample arguments, the checker's arity, both constant evaluators, network evaluation, the IR
// verifier and every target (reference and wasm-f64 bit for bit, wasm f32 within a few ulp, fixed point
// within its reported error or refused when the table says it has no fixed-point form) agree with the
// table's float64 evaluation. In: the table; out: pass/fail per builtin and consumer.

import { describe, expect, it } from "@jest/globals";
import {
  BUILTINS,
  BUILTIN_NAMES,
  evalBuiltin,
  type BuiltinFn,
  type BuiltinWithFixed,
} from "../../compiler/builtins/functions.js";
import { ARITHMETIC, arithmeticOf, type ArithmeticOp } from "../../compiler/builtins/operators.js";
import type { IRExpr, IRProgram } from "../../compiler/ir/nodes.js";
import { evalNumber } from "../../compiler/ir/evaluate.js";
import { verifyIR } from "../../compiler/ir/verify.js";
import { constValue } from "../../compiler/check/const-value.js";
import { parseSource } from "../../compiler/syntax/parse.js";
import { evalExpr as networkEval } from "../../targets/network/eval.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { execute } from "../../targets/fixed/executor.js";
import { DEFAULT_FIXED_SPEC } from "../../targets/fixed/index.js";
import type { LutFn } from "../../targets/fixed/nonlinear.js";
import type { Target } from "../../targets/target.js";
import { check } from "../check/helpers.js";
import { group, n, program, r, set, v } from "../reference/ir-helpers.js";

/** Sample calls per builtin: fn(x, ...rest) for each x in `xs`. Every value is a short dyadic fraction, so
 *  f32 and the fixed-point formats hold the arguments exactly. Typed over BuiltinFn: a new builtin needs samples. */
const SAMPLES: Record<BuiltinFn, { xs: number[]; rest: number[] }> = {
  exp: { xs: [-2.5, 0.5, 1.25], rest: [] },
  log: { xs: [0.75, 1.5, 3.25], rest: [] },
  sqrt: { xs: [0.25, 2.5, 6.75], rest: [] },
  abs: { xs: [-1.75, 0.5, 2.25], rest: [] },
  min: { xs: [0.5, 2.75, -1.5], rest: [1.25] },
  max: { xs: [0.5, 2.75, -1.5], rest: [1.25] },
  clip: { xs: [0.25, 0.75, 2.5], rest: [0.5, 1.5] },
  tanh: { xs: [-1.5, 0.25, 2], rest: [] },
  sigmoid: { xs: [-3.5, 0.5, 2.25], rest: [] },
  pow: { xs: [1.5, 0.75, 2.25], rest: [3] },
  floor: { xs: [-1.25, 0.5, 2.75], rest: [] },
  ceil: { xs: [-1.25, 0.5, 2.75], rest: [] },
  int: { xs: [-1.25, 0.5, 2.75], rest: [] },
  heaviside: { xs: [-1, 0, 2.5], rest: [] },
  sin: { xs: [-1.5, 0.25, 2.5], rest: [] },
  cos: { xs: [-1.5, 0.25, 2.5], rest: [] },
};

const argsOf = (fn: BuiltinFn, x: number): number[] => [x, ...SAMPLES[fn].rest];
const expected = (fn: BuiltinFn): number[] => SAMPLES[fn].xs.map((x) => BUILTINS[fn].eval(...argsOf(fn, x)));
const callIR = (fn: BuiltinFn, args: number[]): IRExpr => ({ k: "call", fn, args: args.map(n) });
const lit = (x: number): string => (x < 0 ? `(${x})` : String(x));

/** One group of SAMPLES[fn].xs.length elements: param x per element (the samples), y = fn(x, ...rest). */
function programFor(fn: BuiltinFn): IRProgram {
  const { xs, rest } = SAMPLES[fn];
  // x = xs[i] by a chain of selections on the element index
  let init: IRExpr = n(xs[xs.length - 1]!);
  for (let i = xs.length - 2; i >= 0; i--)
    init = { k: "sel", c: { k: "bin", op: "==", a: r("index", "i"), b: n(i) }, a: n(xs[i]!), b: init };
  const g = group("g", xs.length, {
    params: [v("x", { k: "expr", e: init }, true)],
    state: [v("y", 0)],
    update: [set("state", "y", { k: "call", fn, args: [r("param", "x"), ...rest.map(n)] })],
  });
  return program({
    steps: 2,
    groups: [g],
    monitors: [{ k: "state", variable: "y", target: { population: "g", start: 0, end: xs.length }, everySteps: 1 }],
  });
}

function runOn(target: Target, fn: BuiltinFn): number[] {
  const res = target.run(programFor(fn), {});
  expect(res.diagnostics).toEqual([]);
  return Array.from(res.result!.traces[0]!.values[1]!);
}

/** Distance in f32 units in the last place between a (an f32 value) and the float64 e. */
function f32Ulps(a: number, e: number): number {
  const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(e), 2 ** -126))) - 23);
  return Math.abs(a - e) / ulp;
}

describe.each(BUILTIN_NAMES)("builtin %s", (fn) => {
  const spec = BUILTINS[fn];
  const want = expected(fn);

  it("the checker accepts its arity and rejects one argument more or less with E0208", () => {
    const source = (k: number): string => {
      const args = Array.from({ length: k }, (_, i) => lit(argsOf(fn, SAMPLES[fn].xs[1]!)[i] ?? 0.5)).join(", ");
      return `neuron N {\n  state { y = 0 }\n  equations { y' = ${fn}(${args}) / 1 ms }\n}\n`;
    };
    const codes = (k: number): string[] => {
      const c = check(source(k));
      expect(c.parseErrors).toEqual([]);
      return c.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
    };
    expect(codes(spec.arity)).toEqual([]);
    expect(codes(spec.arity + 1)).toEqual(["E0208"]);
    if (spec.arity > 1) expect(codes(spec.arity - 1)).toEqual(["E0208"]);
  });

  it("the IR verifier accepts its arity and reports another", () => {
    const withCall = (args: number[]): IRProgram => {
      const g = group("g", 1, { state: [v("y", 0)], update: [set("state", "y", callIR(fn, args))] });
      return program({ groups: [g] });
    };
    expect(verifyIR(withCall(argsOf(fn, 1)))).toEqual([]);
    expect(verifyIR(withCall([...argsOf(fn, 1), 1])).join("\n")).toContain(
      `${fn} takes ${spec.arity} arguments, has ${spec.arity + 1}`,
    );
  });

  it("both constant evaluators and network evaluation give the table's value", () => {
    SAMPLES[fn].xs.forEach((x, i) => {
      const args = argsOf(fn, x);
      const parsed = parseSource(`neuron N {\n  parameters { p = ${fn}(${args.map(lit).join(", ")}) }\n}\n`, "t.glia");
      expect(parsed.diagnostics).toEqual([]);
      expect(constValue(parsed.ast.models[0]!.parameters[0]!.value!)).toBe(want[i]);
      expect(evalNumber(callIR(fn, args))).toBe(want[i]);
      expect(networkEval(callIR(fn, args), () => undefined)).toBe(want[i]);
    });
  });

  it("the reference and wasm-f64 targets agree bit for bit", () => {
    expect(runOn(referenceTarget, fn)).toEqual(want);
    expect(runOn(wasmF64Target, fn)).toEqual(want);
  });

  it("the wasm f32 target agrees within 4 ulp", () => {
    const got = runOn(wasmTarget, fn);
    got.forEach((y, i) => expect(f32Ulps(y, want[i]!)).toBeLessThanOrEqual(4));
  });

  it(`fixed point: ${spec.fixed === "none" ? "refused with a diagnostic" : "within the reported error"}`, () => {
    const q = quantize(programFor(fn), { spec: { ...DEFAULT_FIXED_SPEC, name: "test-16" } });
    const errs = q.diagnostics.filter((d) => d.severity === "error");
    if (spec.fixed === "none") {
      expect(errs.map((d) => d.message).join("\n")).toContain(`${fn}() has no fixed-point form`);
      return;
    }
    expect(errs).toEqual([]);
    const y = q.report.find((rep) => rep.variable === "y")!;
    // the output rounds once into y's format (half an ulp; a power's chain of products rounds once per product),
    // plus the table's own error where the form is a table
    const rounding = y.ulp * (spec.fixed === "power" ? 2 + SAMPLES[fn].rest.reduce((a, b) => a + b, 0) : 1);
    const tol = rounding + q.approximations.reduce((m, a) => Math.max(m, a.maxAbsError), 0);
    const got = Array.from(execute(q.program!).result.traces[0]!.values[1]!);
    got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(tol));
  });
});

describe("the table's types", () => {
  it("derive the IR's BuiltinFn and the fixed lowering's table functions", () => {
    // compile-time checks (tests are type-checked): each fails to compile if the table and a consumer diverge
    const lutIsTableForm: [LutFn] extends [BuiltinWithFixed<"table">]
      ? [BuiltinWithFixed<"table">] extends [LutFn]
        ? true
        : false
      : false = true;
    const irFn: BuiltinFn = "sigmoid" satisfies import("../../compiler/ir/nodes.js").BuiltinFn;
    // @ts-expect-error a map over BuiltinFn must name every builtin
    const partial: Record<BuiltinFn, number> = { exp: 1 };
    expect([lutIsTableForm, irFn, Object.keys(partial)]).toEqual([true, "sigmoid", ["exp"]]);
    expect(BUILTIN_NAMES.length).toBe(Object.keys(SAMPLES).length);
  });
});

describe("the table's finite flag (the simplifier's rule)", () => {
  const extremes = [-1e300, -1e3, -1, -1e-300, 0, 1e-300, 1, 1e3, 1e300];
  const tuples = (n: number): number[][] =>
    n === 0 ? [[]] : tuples(n - 1).flatMap((t) => extremes.map((x) => [...t, x]));
  for (const fn of BUILTIN_NAMES) {
    it(`${fn}: finite = ${String(BUILTINS[fn].finite)} holds on extreme finite arguments`, () => {
      const results = tuples(BUILTINS[fn].arity).map((args) => evalBuiltin(fn, args));
      expect(results.every(Number.isFinite)).toBe(BUILTINS[fn].finite);
    });
  }
});

describe("arithmetic operators (compiler/builtins/operators.ts)", () => {
  const pairs: [number, number][] = [
    [3, 2],
    [-1.5, 0.25],
    [0, 0],
    [2, -3],
    [-8, 1 / 3],
    [1e308, 10],
  ];
  for (const op of Object.keys(ARITHMETIC) as ArithmeticOp[]) {
    it(`${op}: the IR evaluator, network evaluation and the checker's constants agree with the table`, () => {
      const astOp = op === "pow" ? "^" : op;
      for (const [a, b] of pairs) {
        const want = ARITHMETIC[op](a, b);
        const e: IRExpr = { k: "bin", op, a: { k: "num", v: a }, b: { k: "num", v: b } } as IRExpr;
        expect(Object.is(evalNumber(e), want)).toBe(true);
        expect(
          Object.is(
            networkEval(e, () => undefined),
            want,
          ),
        ).toBe(true);
        expect(arithmeticOf(astOp)).toBe(op);
      }
    });
  }
  it("comparisons and logic are not arithmetic", () => {
    for (const op of ["<", "==", "and", "not", "pow"]) expect(arithmeticOf(op)).toBeUndefined();
  });
});
