// Victor–Purpura and van Rossum distances on hand-computed spike trains, and the fidelity report on two
// hand-made runs.
import { describe, expect, it } from "@jest/globals";
import { vanRossum, victorPurpura } from "../../targets/fidelity/distances.js";
import { fidelityReport } from "../../targets/fidelity/report.js";
import type { RunResult } from "../../targets/target.js";

describe("Victor-Purpura", () => {
  it("is 0 for identical trains and counts spikes against an empty train", () => {
    expect(victorPurpura([0.01, 0.02, 0.5], [0.01, 0.02, 0.5], 100)).toBe(0);
    expect(victorPurpura([0.01, 0.02, 0.5], [], 100)).toBe(3);
    expect(victorPurpura([], [0.3], 100)).toBe(1);
    expect(victorPurpura([], [], 100)).toBe(0);
  });
  it("one spike shifted by d costs min(2, q d)", () => {
    const q = 100; // 0.1 per ms
    expect(victorPurpura([0.1], [0.105], q)).toBeCloseTo(0.5, 12); // 5 ms: 0.5
    expect(victorPurpura([0.1], [0.119], q)).toBeCloseTo(1.9, 12);
    expect(victorPurpura([0.1], [0.15], q)).toBe(2); // 50 ms: delete + insert is cheaper
    expect(victorPurpura([0.1, 0.3], [0.102, 0.3], q)).toBeCloseTo(0.2, 12);
  });
  it("chooses the cheapest pairing (hand-computed)", () => {
    // a = {10, 20} ms, b = {12} ms, q = 0.1/ms: shift 10->12 (0.2) + delete 20 (1) = 1.2
    expect(victorPurpura([0.01, 0.02], [0.012], 100)).toBeCloseTo(1.2, 12);
    // q = 1/ms: shift costs 2 already, so delete 2 + insert 1 = 3 is tied with shift+delete = 3
    expect(victorPurpura([0.01, 0.02], [0.012], 1000)).toBeCloseTo(3, 12);
    // q = 0: only the counts differ
    expect(victorPurpura([0.01, 0.02, 0.9], [0.5], 0)).toBe(2);
  });
  it("is symmetric", () => {
    const a = [0.001, 0.013, 0.04, 0.041, 0.2],
      b = [0.002, 0.03, 0.19, 0.25];
    expect(victorPurpura(a, b, 50)).toBeCloseTo(victorPurpura(b, a, 50), 12);
  });
});

describe("van Rossum", () => {
  const tau = 0.01;
  it("is 0 for identical trains, sqrt(1/2) for one spike against none", () => {
    expect(vanRossum([0.01, 0.05], [0.01, 0.05], tau)).toBeCloseTo(0, 7);
    expect(vanRossum([0.3], [], tau)).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(vanRossum([], [], tau)).toBe(0);
  });
  it("two single spikes d apart: sqrt(1 - exp(-d/tau))", () => {
    for (const d of [0.001, 0.005, 0.02])
      expect(vanRossum([0.1], [0.1 + d], tau)).toBeCloseTo(Math.sqrt(1 - Math.exp(-d / tau)), 12);
    expect(vanRossum([0.1 + 0.004], [0.1], tau)).toBeCloseTo(Math.sqrt(1 - Math.exp(-0.4)), 12);
  });
  it("two spikes against none: sqrt((2 + 2 e^{-d/tau}) / 2)", () => {
    const d = 0.007;
    expect(vanRossum([0.02, 0.027], [], tau)).toBeCloseTo(Math.sqrt(1 + Math.exp(-d / tau)), 12);
  });
  it("agrees with a numerical integral of (f - g)^2 / tau", () => {
    const a = [0.003, 0.011, 0.012, 0.04],
      b = [0.005, 0.02, 0.041];
    const h = 1e-6;
    let sum = 0;
    const f = (tr: number[], t: number): number => tr.reduce((s, x) => s + (t >= x ? Math.exp(-(t - x) / tau) : 0), 0);
    for (let t = 0; t < 0.3; t += h) sum += (f(a, t + h / 2) - f(b, t + h / 2)) ** 2 * h;
    expect(vanRossum(a, b, tau)).toBeCloseTo(Math.sqrt(sum / tau), 4);
  });
});

describe("fidelity report", () => {
  const run = (target: string, steps: number[], idx: number[]): RunResult => ({
    target,
    dt: 1e-3,
    steps: 1000,
    seed: 1,
    populations: { p: { n: 2, spikes: steps.length, rate_hz: steps.length / 2 } },
    spikes: { p: { steps: Int32Array.from(steps), indices: Int32Array.from(idx) } },
    traces: [],
    rates: [],
    spikesTotal: steps.length,
    synapses: 0,
    synapticEvents: 0,
    simWallS: 0,
    setupWallS: 0,
  });
  it("averages per-neuron distances and gives the rate deviation", () => {
    // neuron 0: 100 ms vs 105 ms (VP 0.5); neuron 1: 200 ms and 300 ms vs 200 ms (VP 1)
    const f = fidelityReport(run("fixed", [100, 200, 300], [0, 1, 1]), run("reference", [105, 200], [0, 1]));
    expect(f.populations.p!.rate_deviation_pct).toBeCloseTo(50, 12);
    expect(f.victor_purpura).toBeCloseTo((0.5 + 1) / 2, 12);
    expect(f.van_rossum).toBeCloseTo((Math.sqrt(1 - Math.exp(-0.5)) + Math.sqrt(0.5)) / 2, 12);
    expect(f.neurons_compared).toBe(2);
  });
});
