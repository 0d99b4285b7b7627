// wasm vs reference on compiled programs: Brian2 golden spike steps (test/fixtures/brian2) on both
// precisions, spike counts per population close to the reference on the same network
// (CUBA f32 within 2 %; COBA f32 within 2 % over five seeds, see below) and identical in f64 mode, and <= 8 bytes per static synapse.
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import type { RunResult, Target } from "../../targets/target.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { group, init, n, program, projection, r, set, b, v } from "../reference/ir-helpers.js";

function compiled(path: string): IRProgram {
  const c = compile(path, dirHost(REPO_ROOT));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}

function run(t: Target, p: IRProgram, duration?: number): RunResult {
  const out = t.run(p, duration === undefined ? {} : { duration });
  expect(out.diagnostics).toEqual([]);
  return out.result!;
}

interface GoldenCase {
  spike_steps: number[];
}
const goldenPath = `${REPO_ROOT}/test/fixtures/brian2/golden.json`;

describe("Brian2 golden spike steps on the wasm target", () => {
  const golden = JSON.parse(fs.readFileSync(goldenPath, "utf8")) as { cases: Record<string, GoldenCase> };
  for (const name of [
    "lif_const_exact",
    "lif_const_euler",
    "lif_expsyn_exact",
    "lif_expsyn_euler",
    "izhikevich_euler",
  ]) {
    it(name, () => {
      const ir = compiled(`test/fixtures/brian2/${name}.glia`);
      for (const t of [wasmTarget, wasmF64Target]) {
        const res = run(t, ir);
        expect(res.steps).toBe(10000);
        expect(Array.from(res.spikes.cell!.steps)).toEqual(golden.cases[name]!.spike_steps);
      }
    });
  }
});

describe("balanced networks on the same network as the reference", () => {
  it("CUBA 1 s: f32 spike counts per population within 2 %, f64 identical spikes", () => {
    const ir = compiled("examples/cuba.glia");
    const ref = run(referenceTarget, ir, 1);
    const w = run(wasmTarget, ir, 1);
    expect(w.synapses).toBe(ref.synapses);
    for (const [pop, rp] of Object.entries(ref.populations)) {
      expect(rp.spikes).toBeGreaterThan(1000);
      expect(Math.abs(w.populations[pop]!.spikes - rp.spikes) / rp.spikes).toBeLessThan(0.02);
    }
    // constant weights fold into the code: only the u16 post index and row pointers remain
    expect(w.bytesPerSynapse!).toBeLessThanOrEqual(8);
    const w64 = run(wasmF64Target, ir, 0.3);
    const r64 = run(referenceTarget, ir, 0.3);
    expect(w64.populations).toEqual(r64.populations);
    for (const pop of Object.keys(r64.spikes))
      expect(Array.from(w64.spikes[pop]!.indices)).toEqual(Array.from(r64.spikes[pop]!.indices));
  });

  // COBA is chaotic: one sub-ulp threshold tie sends f32 onto another realization of the network. Seed 1:
  // f32 and f64 spikes are identical until step 516, where exc[3078] is 1.1e-9 V (0.3 f32 ulp) below the
  // threshold in float64 and above it in f32; over 1 s the counts then differ by ~6 %, while the float64
  // rate itself varies by ~25 % from seed to seed. No f32 arithmetic settles a sub-ulp tie, so the 2 %
  // criterion is applied to the population rate estimated over independent realizations (seeds 1-5, 1 s
  // each, summed), and per seed the spikes must be identical until the first step where they differ.
  it("COBA 1 s, seeds 1-5: f64 identical counts; f32 counts summed over the seeds within 2 % per population", () => {
    const ir = compiled("examples/coba.glia");
    const sums = new Map<string, { ref: number; f32: number }>();
    let identicalSeeds = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const ref = referenceTarget.run(ir, { duration: 1, seed }).result!;
      const w = wasmTarget.run(ir, { duration: 1, seed }).result!;
      if (seed === 1)
        expect(wasmF64Target.run(ir, { duration: 0.3, seed }).result!.populations).toEqual(
          referenceTarget.run(ir, { duration: 0.3, seed }).result!.populations,
        );
      let same = true;
      for (const [pop, rp] of Object.entries(ref.populations)) {
        expect(rp.spikes).toBeGreaterThan(1000);
        const s = sums.get(pop) ?? { ref: 0, f32: 0 };
        s.ref += rp.spikes;
        s.f32 += w.populations[pop]!.spikes;
        sums.set(pop, s);
        if (w.populations[pop]!.spikes !== rp.spikes) same = false;
        // identical spike trains up to the first differing step (a divergence, not a systematic bias)
        const a = ref.spikes[pop]!,
          b = w.spikes[pop]!;
        const first = Math.min(firstDifference(a.steps, b.steps), firstDifference(a.indices, b.indices));
        if (first < Math.min(a.steps.length, b.steps.length)) expect(a.steps[first]!).toBeGreaterThan(100);
      }
      if (same) identicalSeeds++;
    }
    for (const [, s] of sums) expect(Math.abs(s.f32 - s.ref) / s.ref).toBeLessThan(0.02);
    expect(identicalSeeds).toBeGreaterThanOrEqual(3);
  });
});

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? Number.POSITIVE_INFINITY : n;
}

describe("synapse memory", () => {
  it("static synapses with per-synapse weights take at most 8 bytes each (f32 weight + post index + row pointers)", () => {
    const rx = group("rx", 300, { state: [v("x", 0)] });
    const tx = group("tx", 300, {
      state: [v("y", 0)],
      update: [set("state", "y", b("+", r("state", "y"), n(1)))],
      threshold: b(">", r("state", "y"), n(3)),
      reset: [set("state", "y", n(0))],
    });
    const proj = projection("p", ["tx", 300], ["rx", 300], {
      rule: { k: "fixed_probability", p: 0.3 },
      params: [v("w", { k: "dist", dist: "uniform", args: [n(0), n(1)], scale: 1 }, true)],
      delay: init(2),
      onPre: [set("post", "x", b("+", r("post", "x"), r("param", "w")))],
    });
    const p = program({
      steps: 50,
      groups: [tx, rx],
      projections: [proj],
      monitors: [{ k: "state", variable: "x", target: { population: "rx", start: 0, end: 300 }, everySteps: 10 }],
    });
    const w = run(wasmTarget, p);
    expect(w.synapses).toBeGreaterThan(20000);
    expect(w.bytesPerSynapse!).toBeGreaterThan(6);
    expect(w.bytesPerSynapse!).toBeLessThanOrEqual(8);
    // and the sums agree with the reference to f32 precision
    const ref = run(referenceTarget, p);
    const last = ref.traces[0]!.values.at(-1)!;
    w.traces[0]!.values.at(-1)!.forEach((x, c) =>
      expect(Math.abs(x - last[c]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(last[c]!))),
    );
  });
});
