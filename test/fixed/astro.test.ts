// Astrocyte groups in fixed point: their own clock (stepEvery), on synapse_pre / synapse_post per ensheathed
// synapse event, exposes inlined where synapses read astro.X, formats from range analysis. Compared with the
// float64 reference on the astrocyte examples.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { execute } from "../../targets/fixed/executor.js";
import { DEFAULT_FIXED_SPEC } from "../../targets/fixed/index.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { referenceTarget } from "../../targets/reference/index.js";
import type { RunResult } from "../../targets/target.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";

const ir = (file: string): IRProgram => {
  const r = compile(`examples/${file}.glia`, dirHost(REPO_ROOT));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
};
const errors = (ds: { severity: string; code: string; message: string }[]): string[] =>
  ds.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
const lastRow = (r: RunResult, pop: string, v: string): number[] => {
  const tr = r.traces.find((t) => t.population === pop && t.variable === v)!;
  return Array.from(tr.values[tr.values.length - 1]!);
};

describe("astrocytes on the fixed target", () => {
  it("astro_lsm_branching: rates within 5 % of the reference, astrocyte traces within 3 % on average (7 % each)", () => {
    const p = ir("astro_lsm_branching");
    const ref = referenceTarget.run(p, {}).result!;
    const q = quantize(p, { spec: DEFAULT_FIXED_SPEC, profileSteps: 1000 });
    expect(errors(q.diagnostics)).toEqual([]);
    const rec = q.program!.projections.find((x) => x.name === "rec")!;
    expect(rec.astro?.group).toBe("astrocytes");
    expect(rec.astro!.onSynapsePre.length).toBe(1);
    expect(rec.astro!.onSynapsePost.length).toBe(1);
    const js = execute(q.program!, {});
    expect(js.result.synapses).toBe(ref.synapses);
    for (const pop of ["liquid", "inh"]) {
      const a = js.result.populations[pop]!.rate_hz,
        b = ref.populations[pop]!.rate_hz;
      expect(b).toBeGreaterThan(5);
      expect(Math.abs(a - b) / b).toBeLessThan(0.05);
    }
    // pre_act counts every delivered event of the ensheathed synapses (10 ms astrocyte clock). The spike trains
    // diverge from the reference's (a recurrent network): one astrocyte's trace can be several % off while the
    // mean stays close (the 8-bit signed weight word of -4 mV, 66 / 2^14: post_act of astrocyte 3 is 5.7 % off,
    // the mean 2.1 %; rates 0.2 % and 0.4 %)
    for (const v of ["pre_act", "post_act"]) {
      const a = lastRow(js.result, "astrocytes", v),
        b = lastRow(ref, "astrocytes", v);
      let sum = 0;
      for (let i = 0; i < a.length; i++) {
        expect(b[i]!).toBeGreaterThan(100);
        expect(Math.abs(a[i]! - b[i]!) / b[i]!).toBeLessThan(0.07);
        sum += Math.abs(a[i]! - b[i]!) / b[i]!;
      }
      expect(sum / a.length).toBeLessThan(0.03);
    }
  });

  it("astro_tripartite: the astrocytes' 5 ms clock, ip3 from synapse_pre, calcium within 2 % (profiled over the run)", () => {
    const p = ir("astro_tripartite");
    expect(p.groups.find((g) => g.name === "astrocytes")!.stepEvery).toBe(50);
    const ref = referenceTarget.run(p, {}).result!;
    const q = quantize(p, { spec: DEFAULT_FIXED_SPEC, profileSteps: p.steps });
    expect(errors(q.diagnostics)).toEqual([]);
    const js = execute(q.program!, {});
    expect(js.overflows["astrocytes.ca"]).toBe(0);
    expect(js.overflows["astrocytes.ip3"]).toBe(0);
    const a = lastRow(js.result, "astrocytes", "ca"),
      b = lastRow(ref, "astrocytes", "ca");
    for (let i = 0; i < a.length; i++) {
      expect(b[i]!).toBeGreaterThan(1e-4);
      expect(Math.abs(a[i]! - b[i]!) / b[i]!).toBeLessThan(0.02);
    }
    // between two ticks of the astrocyte clock its state holds (ca recorded every network step)
    const every = {
      ...p,
      monitors: [
        { k: "state" as const, variable: "ca", target: { population: "astrocytes", start: 0, end: 1 }, everySteps: 1 },
      ],
    };
    const tr = execute({ ...q.program!, ir: every }, { duration: 0.05 }).result.traces[0]!;
    for (let k = 1; k < tr.values.length; k++) if (k % 50 !== 1) expect(tr.values[k]![0]).toBe(tr.values[k - 1]![0]);
    expect(new Set(tr.values.map((r) => r[0])).size).toBeGreaterThan(3);
  });

  it("li_rinzel_sic lowers: integer powers as product chains, log() by leading-zero count and tables", () => {
    const q = quantize(ir("li_rinzel_sic"), { spec: DEFAULT_FIXED_SPEC, profileSteps: 200 });
    expect(errors(q.diagnostics)).toEqual([]);
    expect(q.approximations.some((a) => a.owner === "astrocytes_cell" && a.fn === "log")).toBe(true);
  });
});
