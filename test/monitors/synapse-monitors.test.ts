// Synapse monitors (`record w of PROJ`, a slice `PROJ[a:b]` or a list `PROJ[i, j]`, `every`): the values of the
// chosen synapses at the start of each recorded step, with their pre and post elements, equal on the reference
// and wasm-f64 (one and two threads), close on wasm f32 and the fixed-point target; synapses.csv with units; a
// synapse number past the projection is E0521 at the record statement on every target.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunResult, SynapseTrace, Target } from "../../targets/target.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { fixedTarget } from "../../targets/fixed/index.js";
import { synapsesCsv } from "../../targets/report/csv.js";
import { unitsOf } from "../../targets/report/units.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

const source = (records: string, delay = "") => `import "std/stdp.glia"
import "std/static.glia"
import "std/lif.glia"
network S {
  dt = 0.1 ms
  seed = 3
  input aff = poisson(rate = 40 Hz)[40]
  population cell = LIF(E_L = -74 mV, V_th = -54 mV, V_reset = -60 mV, t_ref = 0 ms)[2]
  connect plastic: aff -> cell with STDP(J_syn = 10 mV, w_max = 1, A_pre = 0.02, A_post = -0.021) onto ge all_to_all${delay}
  connect fixed_w: aff -> cell with Static(w = uniform(0.1 mV, 0.5 mV)) onto ge fixed_probability(0.3)
${records}
  run 300 ms
}
`;

function build(text: string): IRProgram {
  const c = compile("s.glia", memoryHost({ "s.glia": text }, dirHost(REPO_ROOT)));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}

function run(target: Target, ir: IRProgram, threads?: number): RunResult {
  const out = target.run(ir, threads ? { threads } : {});
  expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return out.result!;
}

const RECORDS = `  record w of plastic every 5 ms
  record apre of plastic[0, 3, 41]
  record w of fixed_w[2:6]`;

describe("synapse monitors", () => {
  const ir = build(source(RECORDS, " delay = uniform(0 ms, 2 ms)"));
  const ref = run(referenceTarget, ir);
  const traces = ref.synapseTraces!;

  test("record the chosen synapses, their pre and post elements, every K steps", () => {
    expect(traces.map((t) => [t.projection, t.variable, t.synapses.length, t.steps.length])).toEqual([
      ["plastic", "w", 80, 60],
      ["plastic", "apre", 3, 3000],
      ["fixed_w", "w", 4, 3000],
    ]);
    const w = traces[0]!;
    expect(w.steps.slice(0, 3)).toEqual([0, 50, 100]);
    // all_to_all from 40 afferents onto 2 cells: synapse s is (s >> 1, s & 1)
    expect(w.pre.slice(0, 4)).toEqual([0, 0, 1, 1]);
    expect(w.post.slice(0, 4)).toEqual([0, 1, 0, 1]);
    expect(traces[1]!.synapses).toEqual([0, 3, 41]);
    expect(traces[1]!.pre).toEqual([0, 1, 20]);
    // the weights start at 0.5 and STDP moves them; the static weights are the drawn ones and stay
    expect([...w.values[0]!].every((x) => x === 0.5)).toBe(true);
    const last = w.values[w.values.length - 1]!;
    expect(last.some((x) => Math.abs(x - 0.5) > 0.01)).toBe(true);
    const sw = traces[2]!;
    expect(sw.values[0]!.every((x) => x >= 1e-4 && x <= 5e-4)).toBe(true);
    expect([...sw.values[sw.values.length - 1]!]).toEqual([...sw.values[0]!]);
  });

  test("wasm-f64 on one and two threads equals the reference bit for bit", () => {
    for (const threads of [1, 2]) {
      const w = run(wasmF64Target, ir, threads);
      if (threads === 2) expect(w.threads).toBe(2);
      expect(w.synapseTraces).toEqual(traces);
    }
  });

  test("wasm f32 and fixed point record the same synapses and steps, with values close to the reference", () => {
    const mean = (row: Float64Array) => row.reduce((a, x) => a + x, 0) / row.length;
    for (const [target, tol, meanTol] of [
      [wasmTarget, 1e-6, 0.02],
      [fixedTarget, 1e-2, 0],
    ] as const) {
      const got = run(target, ir).synapseTraces!;
      expect(got.map((t) => [t.synapses, t.pre, t.post, t.steps])).toEqual(
        traces.map((t) => [t.synapses, t.pre, t.post, t.steps]),
      );
      // initial weights and the static projection's weights (every step): the reference's up to rounding
      const rel = (a: Float64Array, b: Float64Array) =>
        Math.max(...[...a].map((x, c) => Math.abs(x - b[c]!) / Math.abs(b[c]!)));
      expect(rel(got[0]!.values[0]!, traces[0]!.values[0]!)).toBeLessThan(tol);
      got[2]!.values.forEach((row, r) => expect(rel(row, traces[2]!.values[r]!)).toBeLessThan(tol));
      // plastic weights: spikes may move by a step where the threshold test is a near tie (f32), so the mean;
      // the fixed-point run fires about twice as often on this network (423 vs 213 Hz: its own fidelity), so
      // only the clip range there
      const last = (t: SynapseTrace) => t.values[t.values.length - 1]!;
      if (target === wasmTarget) expect(Math.abs(mean(last(got[0]!)) - mean(last(traces[0]!)))).toBeLessThan(meanTol);
      else expect(last(got[0]!).every((x) => x >= 0 && x <= 1)).toBe(true);
    }
  });

  test("synapses.csv carries synapse, pre, post and the unit", () => {
    const csv = synapsesCsv(ref, unitsOf(ir)).split("\n");
    expect(csv[0]).toBe("projection,variable,synapse,pre,post,step,time_s,value_SI,unit");
    expect(csv[1]).toBe("plastic,w,0,0,0,0,0,0.5,1");
    const only = { ...ref, synapseTraces: [traces[2]!] };
    const lines = synapsesCsv(only, unitsOf(ir)).split("\n");
    expect(lines[0]).toBe("projection,variable,synapse,pre,post,step,time_s,value_V");
    expect(lines[1]).toMatch(/^fixed_w,w,2,\d+,\d,0,0,0\.000\d+$/);
  });

  test("a synapse number past the projection is E0521 at the record statement, on every target", () => {
    const text = source("  record w of plastic[0, 80]");
    const bad = build(text);
    for (const t of [referenceTarget, wasmTarget, wasmF64Target, fixedTarget]) {
      const d = t.run(bad, {}).diagnostics.filter((x) => x.severity === "error");
      expect(d.map((x) => [x.code, text.slice(x.span.start, x.span.end)])).toEqual([
        ["E0521", "record w of plastic[0, 80]"],
      ]);
      expect(d[0]!.message).toContain("synapse 80 does not exist, but the projection has 80 synapses");
    }
  });
});
