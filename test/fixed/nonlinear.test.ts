// Fixed-point forms of sigmoid/tanh/exp tables, heaviside, division by a variable and event-driven decay:
// unit cases of nonlinear.ts, and whole examples whose groups use them run on the fixed executor, with
// approximation rows in the report.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { DEFAULT_FIXED_SPEC } from "../../targets/fixed/index.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { execute } from "../../targets/fixed/executor.js";
import { qfmt, rawMax, rawMin, toFloat } from "../../targets/fixed/qformat.js";
import { buildDecayTable, buildLut, decayFactor, div, lutEval, lutMaxError } from "../../targets/fixed/nonlinear.js";

const ir = (file: string): IRProgram => {
  const r = compile(file, dirHost(REPO_ROOT));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
};

describe("nonlinear.ts", () => {
  it("sigmoid table over [-8, 8]: ends clamp, error below 2e-3", () => {
    const fin = qfmt(true, 4, 11),
      fout = qfmt(true, 1, 14);
    const t = buildLut("sigmoid", -8, 8, fin, fout);
    expect(t.ys.length).toBe(65);
    expect(lutEval(rawMin(fin), t)).toBe(t.ys[0]);
    expect(lutEval(rawMax(fin), t)).toBe(t.ys[64]);
    expect(toFloat(lutEval(0, t), fout)).toBeCloseTo(0.5, 4);
    const err = lutMaxError("sigmoid", t, fin, fout);
    expect(err).toBeGreaterThan(0);
    expect(err).toBeLessThan(2e-3);
  });

  it("division: rounding modes, negative divisors, divide by zero saturates and counts", () => {
    const f = qfmt(true, 7, 8),
      c = { count: 0 };
    expect(div(7, 2, 0, f, "floor", "saturate")).toBe(3);
    expect(div(7, 2, 0, f, "nearest-even", "saturate")).toBe(4);
    expect(div(5, 2, 0, f, "nearest-even", "saturate")).toBe(2);
    expect(div(-7, 2, 0, f, "trunc", "saturate")).toBe(-3);
    expect(div(7, -2, 0, f, "floor", "saturate")).toBe(-4);
    expect(div(1, 3, 8, f, "nearest-even", "saturate")).toBe(85); // 256 / 3 = 85.33
    expect(div(5, 0, 0, f, "floor", "saturate", undefined, c)).toBe(rawMax(f));
    expect(div(-5, 0, 0, f, "floor", "saturate", undefined, c)).toBe(rawMin(f));
    expect(div(0, 0, 0, f, "floor", "saturate", undefined, c)).toBe(0);
    expect(c.count).toBe(2);
  });

  it("event-driven decay: table up to 256 steps, chunks beyond", () => {
    const f = qfmt(false, 1, 15);
    const tab = buildDecayTable(-50, 1e-4, f);
    expect(tab.length).toBe(257);
    expect(decayFactor(0, tab, 15)).toBe(2 ** 15);
    expect(decayFactor(10, tab, 15)).toBe(tab[10]);
    const n = 600,
      exact = Math.exp(-50 * n * 1e-4);
    expect(Math.abs(toFloat(decayFactor(n, tab, 15), f) - exact)).toBeLessThan(4 / 2 ** 15);
  });
});

describe("examples with nonlinear updates", () => {
  for (const [file, fns] of [
    ["examples/two_point_pyramidal.glia", ["sigmoid"]],
    ["examples/active_dendrites_nmda.glia", []],
    ["examples/ei_divisive_subtractive.glia", []],
    ["examples/heterogeneous.glia", ["exp"]],
    ["examples/li_rinzel_sic.glia", ["log"]], // the astrocyte's RK4 update: integer powers, divisions; log in the SIC coupling
  ] as const) {
    it(`${file}: quantizes and spikes on the fixed executor`, () => {
      const q = quantize(ir(file), { spec: DEFAULT_FIXED_SPEC, profileSteps: 300 });
      expect(q.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      for (const fn of fns)
        expect(q.approximations.some((a) => a.fn === fn && a.maxAbsError > 0 && a.maxAbsError < 0.01)).toBe(true);
      const a = execute(q.program!, { duration: 0.1 });
      expect(a.result.spikesTotal).toBeGreaterThan(0);
    });
  }

  it("stdp: event-driven traces decay by table; plastic weights stay in their clip range [0, 1]", () => {
    const q = quantize(ir("examples/stdp.glia"), { spec: DEFAULT_FIXED_SPEC, profileSteps: 300 });
    expect(q.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(q.approximations.some((a) => a.owner === "plastic" && /elapsed/.test(a.fn))).toBe(true);
    const w = q.report.find((r) => r.owner === "plastic" && r.variable === "w")!;
    expect(w.staticRange).toEqual({ lo: 0, hi: 1 });
    const r = execute(q.program!, { duration: 0.3 });
    expect(r.result.spikesTotal).toBeGreaterThan(0);
    expect(r.result.synapticEvents).toBeGreaterThan(0);
  });
});
