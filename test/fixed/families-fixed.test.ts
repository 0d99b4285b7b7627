// The model families that the fixed target newly lowers (pow/log, modulators, adaptive profiling length), run
// with --hw fpga-ultrascale (16-bit state, 8-bit weights) against the float64 reference: per-population spike
// counts within tolerances justified per case (the measured deviation and its cause are in each comment).
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { fixedTarget } from "../../targets/fixed/index.js";
import { profileLength, slowestSteps } from "../../targets/fixed/range.js";
import { referenceTarget } from "../../targets/reference/index.js";

const ir = (file: string): IRProgram => {
  const r = compile(`examples/${file}.glia`, dirHost(REPO_ROOT));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
};

function spikes(file: string): { fixed: Record<string, number>; ref: Record<string, number> } {
  const p = ir(file);
  // "warn": the fidelity is measured on the run as the hardware does it, saturations included (E0811 counts them:
  // soft_hebbian_wta's w clipped to 1 saturates at its format's 255/256, izhikevich's v upstroke past its profile)
  const f = fixedTarget.run(p, { hw: "fpga-ultrascale", numericGuard: "warn" });
  expect(f.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const r = referenceTarget.run(p, {});
  const counts = (x: NonNullable<typeof f.result>): Record<string, number> =>
    Object.fromEntries(Object.entries(x.populations).map(([k, v]) => [k, v.spikes]));
  return { fixed: counts(f.result!), ref: counts(r.result!) };
}

const dev = (a: number, b: number): number => (a - b) / b;

describe("families newly on the fixed target (fpga-ultrascale) vs float64", () => {
  it("astro_tripartite: the profile covers the slow astrocyte calcium (was -34.8 % with 2000 steps)", () => {
    const p = ir("astro_tripartite");
    // tau_ip3 = 1000 ms at dt = 0.1 ms: 10^4 steps; the whole 1 s run (46 elements) is affordable
    expect(slowestSteps(p)).toBeGreaterThanOrEqual(10_000);
    expect(profileLength(p)).toBe(p.steps);
    const s = spikes("astro_tripartite");
    // measured: 178 vs 178 (0 %); input spikes identical by construction. 5 % leaves room for one-step shifts
    expect(s.ref.cells).toBeGreaterThan(100);
    expect(Math.abs(dev(s.fixed.cells!, s.ref.cells!))).toBeLessThan(0.05);
    expect(s.fixed.afferents).toBe(s.ref.afferents);
  });

  it("li_rinzel_sic: integer powers and log() of the Li-Rinzel astrocyte and its SIC", () => {
    const s = spikes("li_rinzel_sic");
    // measured: 50 vs 49 spikes (+2.0 %): fixed-point Ca rises ~0.5 % faster than float (RK4 stages in 32-bit
    // accumulators, 16-bit state), so the SIC starts a little earlier; 3 spikes (6 %) of slack
    expect(s.ref.cell).toBeGreaterThan(30);
    expect(Math.abs(s.fixed.cell! - s.ref.cell!)).toBeLessThanOrEqual(3);
  });

  it("soft_hebbian_wta: the novelty modulator (t-only: enumerated over the run) gates on-chip learning", () => {
    const s = spikes("soft_hebbian_wta");
    // measured: outputs 48 vs 45 (+6.7 %), pool 24 vs 24: 8-bit plastic weights in [0, 1] (ulp 1/256) move
    // the winners a little; a 15 % bound is 7 spikes of 45
    expect(s.ref.outputs).toBeGreaterThan(30);
    expect(Math.abs(dev(s.fixed.outputs!, s.ref.outputs!))).toBeLessThan(0.15);
    expect(Math.abs(dev(s.fixed.pool!, s.ref.pool!))).toBeLessThan(0.15);
  });

  it("hebbian_subspace_oja: Oja's w has no static bound: profiled through probes of the post group", () => {
    const s = spikes("hebbian_subspace_oja");
    // measured: out 191 vs 182 spikes (+4.9 %): w is an 8-bit synapse word (ulp 1/128) and many of Oja's
    // updates eta * (x - y w) with eta = 0.005 round away (it was +24 % while the traces took their static
    // worst-case bound, UQ8.0). 10 % leaves room for the rounding of the learning
    expect(s.ref.out).toBeGreaterThan(100);
    expect(Math.abs(dev(s.fixed.out!, s.ref.out!))).toBeLessThan(0.1);
    expect(s.fixed.x_in).toBe(s.ref.x_in);
  });

  it("izhikevich_reservoir_3factor: attention modulator of rate(exc), error-gated three-factor rule", () => {
    const s = spikes("izhikevich_reservoir_3factor");
    // measured: exc +0.45 %, inh +0.23 % (the reservoir is static-weight Izhikevich cells: 16-bit v, u)
    expect(Math.abs(dev(s.fixed.exc!, s.ref.exc!))).toBeLessThan(0.03);
    expect(Math.abs(dev(s.fixed.inh!, s.ref.inh!))).toBeLessThan(0.03);
    // measured: out 40 vs 39 spikes (+2.6 %) (-28 % while the traces and eligibility took their static
    // worst-case bounds in 8 bits). 4 readout neurons with 8-bit plastic weights: 15 % is 6 spikes
    expect(s.ref.out).toBeGreaterThan(20);
    expect(Math.abs(dev(s.fixed.out!, s.ref.out!))).toBeLessThan(0.15);
  });
});
