// Tests for targets/report (CSV, SVG raster, JSON summary) on a real reference run, plus a small CUBA
// network (statistics, determinism).
import { describe, expect, it } from "@jest/globals";
import { referenceTarget } from "../../targets/reference/index.js";
import { ratesCsv, spikesCsv, tracesCsv } from "../../targets/report/csv.js";
import { rasterSvg, ticks } from "../../targets/report/raster.js";
import { runSummary } from "../../targets/report/summary.js";
import type { RunResult } from "../../targets/target.js";
import { cubaProgram } from "./cuba-ir.js";
import { b, group, n, program, r, set, v } from "./ir-helpers.js";

function smallRun(): RunResult {
  const g = group("g", 2, {
    state: [v("x", 0)],
    update: [set("state", "x", b("+", r("state", "x"), n(1)))],
    threshold: b(">=", r("state", "x"), n(3)),
    reset: [set("state", "x", n(0))],
  });
  const out = referenceTarget.run(
    program({
      steps: 8,
      groups: [g],
      sources: [{ name: "src", k: "spike_times", size: 1, times: [3e-4], indices: [0] }],
      monitors: [
        { k: "spikes", target: { population: "g", start: 0, end: 2 }, everySteps: 1 },
        { k: "spikes", target: { population: "src", start: 0, end: 1 }, everySteps: 1 },
        { k: "state", variable: "x", target: { population: "g", start: 0, end: 1 }, everySteps: 4 },
        { k: "rate", target: { population: "g", start: 0, end: 2 }, everySteps: 1 },
      ],
    }),
    {},
  );
  return out.result!;
}

describe("report writers", () => {
  const res = smallRun();
  it("writes the spikes CSV", () => {
    expect(spikesCsv(res)).toBe(
      "population,index,step,time_s\ng,0,2,0.0002\ng,1,2,0.0002\ng,0,5,0.0005\ng,1,5,0.0005\nsrc,0,3,0.0003\n",
    );
  });
  it("writes trace and rate CSVs", () => {
    expect(tracesCsv(res)).toBe("population,variable,index,step,time_s,value_SI\ng,x,0,0,0,0\ng,x,0,4,0.0004,1\n");
    expect(ratesCsv(res).split("\n")[3]).toBe("g,2,0.0002,10000");
  });
  it("draws an SVG raster with one colour per population and labelled axes", () => {
    const svg = rasterSvg(res, { title: "test" });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("time (ms)");
    expect(svg).toContain("neuron index");
    expect((svg.match(/<path /g) ?? []).length).toBe(2);
    expect(svg).toContain("#1f77b4");
    expect(svg).toContain("#d62728");
    expect(ticks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
  });
  it("summarizes counts and rates", () => {
    const s = runSummary("test", res);
    expect(s.spikes_total).toBe(5);
    expect(s.populations.g).toEqual({ n: 2, spikes: 4, rate_hz: 4 / (2 * 8e-4) });
    expect(s.duration_s).toBeCloseTo(8e-4, 15);
    expect(JSON.parse(JSON.stringify(s)).network).toBe("test");
  });
});

describe("CUBA (small)", () => {
  it("builds the expected number of synapses, fires at a plausible rate and is deterministic", () => {
    const p = cubaProgram(400, 0.2, 1000);
    const a = referenceTarget.run(p, {}).result!;
    const expected = 400 * 400 * 0.2,
      sd = Math.sqrt(400 * 400 * 0.2 * 0.8);
    expect(Math.abs(a.synapses - expected)).toBeLessThan(5 * sd);
    expect(a.spikesTotal).toBeGreaterThan(0);
    const rate = a.spikesTotal / (400 * 0.1);
    expect(rate).toBeGreaterThan(1);
    expect(rate).toBeLessThan(100);
    expect(a.synapticEvents).toBeGreaterThan(a.spikesTotal * 40);
    const b2 = referenceTarget.run(p, {}).result!;
    expect(Array.from(b2.spikes.exc!.steps)).toEqual(Array.from(a.spikes.exc!.steps));
    expect(Array.from(b2.spikes.exc!.indices)).toEqual(Array.from(a.spikes.exc!.indices));
  });
});
