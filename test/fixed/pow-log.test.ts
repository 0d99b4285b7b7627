// Fixed-point pow() and log(): hand-computed words of the log tables (leading-zero count, exponent and
// mantissa tables), error bounds against float64 over whole input ranges, integer powers by repeated
// multiplication (exact on a small grid), interval bounds of pow/log, and a model using both that runs
// close to the float reference.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRExpr, IRMonitor, IRProgram } from "../../compiler/ir/nodes.js";
import { DEFAULT_FIXED_SPEC } from "../../targets/fixed/index.js";
import { lowerExpr, type LowerCtx } from "../../targets/fixed/lower.js";
import { buildLog, LOG_SEG_BITS, logEval, logMaxError } from "../../targets/fixed/nonlinear.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { qfmt, rawMin, toFloat, type QFormat } from "../../targets/fixed/qformat.js";
import { powI } from "../../targets/fixed/range.js";
import { execute } from "../../targets/fixed/executor.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

const num = (v: number): IRExpr => ({ k: "num", v });
const x = (): IRExpr => ({ k: "ref", ref: { space: "state", name: "x" } });

describe("log by leading-zero count and tables", () => {
  // input UQ16.0 (integers), output Q15.16: offs[n] = round(n ln2 2^16), ys[i] = round(ln(1 + i/64) 2^16)
  const fin = qfmt(false, 16, 0),
    fout = qfmt(true, 15, 16);
  const t = buildLog(fin, fout);

  it("hand-computed words", () => {
    expect(t.offs.length).toBe(32);
    expect(t.ys.length).toBe(2 ** LOG_SEG_BITS + 1);
    expect(t.seg).toBe(25);
    expect(t.offs[1]).toBe(45426); // ln 2 * 65536 = 45426.09
    expect(t.ys[32]).toBe(26573); // ln 1.5 * 65536 = 26572.6
    expect(logEval(1, t, fout, "saturate")).toBe(0);
    expect(logEval(2, t, fout, "saturate")).toBe(45426);
    // 3 = 2^1 * 1.5: n = 1, d = 3 * 2^30 - 2^31 = 2^30, segment 32, no remainder
    expect(logEval(3, t, fout, "saturate")).toBe(71999); // ln 3 * 65536 = 71998.65
    // 5 = 2^2 * 1.25: offs[2] = 90852, ys[16] = 14624
    expect(logEval(5, t, fout, "saturate")).toBe(105476); // ln 5 * 65536 = 105476.12
    // 129 = 2^7 * (1 + 1/128): half way into segment 0: ys[1] = 1016, round_ne(1016 * 2^24 / 2^25) = 508
    expect(t.offs[7]).toBe(317983);
    expect(logEval(129, t, fout, "saturate")).toBe(317983 + 508); // ln 129 * 65536 = 318492.67 (chord below the curve)
  });

  it("input fraction bits shift the exponent table; x <= 0 gives the lower end and counts", () => {
    const t4 = buildLog(qfmt(false, 12, 4), fout);
    expect(logEval(16, t4, fout, "saturate")).toBe(0); // raw 16 at 4 fraction bits is 1.0
    expect(logEval(8, t4, fout, "saturate")).toBe(-45426); // 0.5
    const c = { count: 0 };
    expect(logEval(0, t4, fout, "saturate", c)).toBe(rawMin(fout));
    expect(logEval(-3, t4, fout, "saturate", c)).toBe(rawMin(fout));
    expect(c.count).toBe(2);
  });

  it("max abs error over [1, 300] below the chord bound 2^-12 / 8 plus 1.5 output ulps", () => {
    // the formats li_rinzel_sic's SIC coupling gets: argument UQ9.23, result UQ3.29
    const a = qfmt(false, 9, 23),
      o = qfmt(false, 3, 29);
    const err = logMaxError(buildLog(a, o), a, o, 1, 300);
    expect(err).toBeGreaterThan(0);
    expect(err).toBeLessThan(2 ** -12 / 8 + 1.5 * 2 ** -29);
    // and over small arguments (negative logs) in a signed output
    const a2 = qfmt(false, 0, 16),
      o2 = qfmt(true, 4, 27);
    const err2 = logMaxError(buildLog(a2, o2), a2, o2, 0.01, 0.99);
    expect(err2).toBeLessThan(2 ** -12 / 8 + 1.5 * 2 ** -27);
  });
});

describe("pow", () => {
  it("intervals: even, odd, negative and real exponents", () => {
    expect(powI({ lo: -2, hi: 1 }, num(2))).toEqual({ lo: 0, hi: 4 });
    expect(powI({ lo: -2, hi: 1 }, num(3))).toEqual({ lo: -8, hi: 1 });
    expect(powI({ lo: -3, hi: -1 }, num(2))).toEqual({ lo: 1, hi: 9 });
    expect(powI({ lo: 2, hi: 4 }, num(-1))).toEqual({ lo: 0.25, hi: 0.5 });
    expect(powI({ lo: -1, hi: 4 }, num(-1)).hi).toBe(Infinity);
    expect(powI({ lo: 4, hi: 9 }, num(0.5))).toEqual({ lo: 2, hi: 3 });
    expect(powI({ lo: -4, hi: 9 }, num(0.5)).lo).toBe(-Infinity);
  });

  const cx = (fx: QFormat): LowerCtx => ({
    spec: DEFAULT_FIXED_SPEC,
    fmtOf: (r) => (r.space === "state" && r.name === "x" ? fx : undefined),
    locals: {},
    localRanges: new Map(),
    dt: 1e-4,
  });

  it("x^3 of UQ0.8 is a chain of two exact products: 0.75^3 = 7077888 * 2^-24", () => {
    const e = lowerExpr({ k: "call", fn: "pow", args: [x(), num(3)] }, cx(qfmt(false, 0, 8)));
    expect(e.k).toBe("mul");
    if (e.k !== "mul") return;
    expect(e.a.k).toBe("mul");
    expect(e.fmt.fracBits).toBe(24); // 8 + 8 + 8 fraction bits, no rounding within 32 bits
    // 0.75 = 192 * 2^-8: 192 * 192 = 36864, * 192 = 7077888 = 0.421875 * 2^24
    expect(192 * 192 * 192).toBe(7077888);
    expect(toFloat(7077888, e.fmt)).toBe(0.421875);
  });

  it("x^-2 is a division; x^2.5 goes through log and exp; a variable exponent is refused", () => {
    const f = qfmt(false, 2, 14);
    const c1 = cx(f);
    c1.paramRange = () => undefined;
    const pos = (): LowerCtx => ({
      ...cx(f),
      fmtOf: (r) => (r.name === "x" ? f : undefined),
      localRanges: new Map([["x", { lo: 0.5, hi: 3 }]]),
    });
    // ranges of a state come from its format: UQ2.14 holds [0, 4): 0 is inside, so x^-2 is refused
    expect(() => lowerExpr({ k: "call", fn: "pow", args: [x(), num(-2)] }, c1)).toThrow(/includes 0/);
    const shifted: IRExpr = { k: "bin", op: "+", a: x(), b: num(0.5) };
    expect(lowerExpr({ k: "call", fn: "pow", args: [shifted, num(-2)] }, pos()).k).toBe("div");
    const real = lowerExpr({ k: "call", fn: "pow", args: [shifted, num(2.5)] }, pos());
    expect(real.k === "lut" && real.fn === "exp").toBe(true);
    expect(() => lowerExpr({ k: "call", fn: "pow", args: [shifted, x()] }, pos())).toThrow(/variable exponent/);
  });
});

// A neuron whose update uses an integer power of an expression and a logarithm.
const MODEL = `
neuron PowLog {
  parameters { tau: ms = 10 ms }
  state {
    v = 0.1
    u = 0
  }
  equations {
    v' = (1.05 - v + 0.4 * (v + 0.2)^3) / tau
    u' = (log(v + 1.5) - u) / tau
  }
  method euler
  spike when v > 0.9 { v = 0.1 }
}
network N {
  dt = 0.1 ms
  seed = 1
  population cells = PowLog[2]
  record spikes of cells
  record u of cells
  run 200 ms
}
`;

function model(): IRProgram {
  const r = compile("t.glia", memoryHost({ "t.glia": MODEL }, dirHost(REPO_ROOT)));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const ir = r.ir!;
  const all = { population: "cells", start: 0, end: 2 };
  const monitors: IRMonitor[] = [
    { k: "spikes", target: all, everySteps: 1 },
    { k: "state", target: all, variable: "v", everySteps: 5 },
    { k: "state", target: all, variable: "u", everySteps: 5 },
  ];
  return { ...ir, monitors };
}

describe("a model with pow and log", () => {
  it("spike count within 2 % of float64; u tracks ln(v + 1.5)", () => {
    const ir = model();
    const q = quantize(ir, { spec: DEFAULT_FIXED_SPEC });
    expect(q.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(q.approximations.some((a) => a.fn === "log" && a.maxAbsError < 2 ** -12 / 8 + 1e-6)).toBe(true);
    const js = execute(q.program!, {});
    const ref = referenceTarget.run(ir, {}).result!;
    const nf = js.result.populations.cells!.spikes,
      nr = ref.populations.cells!.spikes;
    expect(nr).toBeGreaterThan(10);
    // 16-bit state (ulp of v: 2^-14): the period is ~ tau * integral of dv / f(v); rounding moves it by well under 2 %
    expect(Math.abs(nf - nr) / nr).toBeLessThan(0.02);
    const ui = js.result.traces.findIndex((t) => t.variable === "u"),
      vi = js.result.traces.findIndex((t) => t.variable === "v");
    const ur = ref.traces.findIndex((t) => t.variable === "u");
    let maxDu = 0;
    js.result.traces[ui]!.values.forEach((row, r) => {
      if (r > 20) maxDu = Math.max(maxDu, Math.abs(row[0]! - ref.traces[ur]!.values[r]![0]!));
    });
    expect(vi).toBeGreaterThanOrEqual(0);
    // u is a low-pass of ln(v + 1.5) in [0.47, 0.89]: spike-time shifts dominate the difference
    expect(maxDu).toBeLessThan(0.05);
  });
});
