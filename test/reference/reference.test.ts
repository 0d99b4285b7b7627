// Tests for the reference target on hand-built discrete IR programs: LIF closed form, refractoriness,
// delays, event order, event-driven traces, Poisson inputs, monitors and astrocytes.
import { describe, expect, it } from "@jest/globals";
import type { IRExpr, IRGroup, IRProgram } from "../../compiler/ir/nodes.js";
import { referenceTarget } from "../../targets/reference/index.js";
import type { RunResult } from "../../targets/target.js";
import { b, group, init, n, program, projection, r, set, v } from "./ir-helpers.js";

function run(p: IRProgram): RunResult {
  const out = referenceTarget.run(p, {});
  expect(out.diagnostics).toEqual([]);
  return out.result!;
}

const DT = 1e-4;
const TAU = 0.01,
  V_REST = -0.065,
  V_TH = -0.05,
  RI = 0.02;

/** One LIF with constant drive, exact update: v_new = v_inf + (v - v_inf) exp(-dt/tau). */
function lif(refractorySteps: number): IRGroup {
  const vInf = V_REST + RI;
  const vNew: IRExpr = b("+", n(vInf), b("*", b("-", r("state", "v"), n(vInf)), n(Math.exp(-DT / TAU))));
  const clamped: IRExpr = { k: "sel", c: r("flag", "refractory"), a: r("state", "v"), b: r("local", "v_new") };
  return group("lif", 1, {
    state: [v("v", V_REST)],
    update: [
      { k: "let", name: "v_new", value: vNew },
      set("state", "v", refractorySteps ? clamped : r("local", "v_new")),
    ],
    threshold: b(">", r("state", "v"), n(V_TH)),
    reset: [set("state", "v", n(V_REST))],
    refractory: refractorySteps ? { steps: refractorySteps, clamp: ["v"] } : null,
  });
}

describe("reference target: neurons", () => {
  it("reproduces the closed-form spike steps of a LIF with constant drive", () => {
    const res = run(
      program({
        steps: 2000,
        groups: [lif(0)],
        monitors: [{ k: "spikes", target: { population: "lif", start: 0, end: 1 }, everySteps: 1 }],
      }),
    );
    // v after m updates from rest: v_inf - RI exp(-m dt / tau) > v_th  <=>  m > tau ln(RI / (v_inf - v_th)) / dt
    const m = Math.floor((TAU * Math.log(RI / (V_REST + RI - V_TH))) / DT) + 1; // 139
    const expected: number[] = [];
    for (let k = m - 1; k < 2000; k += m) expected.push(k);
    expect(Array.from(res.spikes.lif!.steps)).toEqual(expected);
    expect(res.populations.lif!.spikes).toBe(expected.length);
    expect(res.populations.lif!.rate_hz).toBeCloseTo(expected.length / (2000 * DT), 9);
  });

  it("holds clamped variables during the refractory period (Brian2's 138, 296, ...)", () => {
    const res = run(
      program({
        steps: 5000,
        groups: [lif(20)],
        monitors: [{ k: "spikes", target: { population: "lif", start: 0, end: 1 }, everySteps: 1 }],
      }),
    );
    const steps = Array.from(res.spikes.lif!.steps);
    expect(steps.slice(0, 4)).toEqual([138, 296, 454, 612]);
  });

  it("records state at the start of each step (row k = value at k*dt)", () => {
    const g = group("clock", 2, {
      state: [v("x", 0)],
      update: [set("state", "x", b("+", r("t", "t"), r("dt", "dt")))],
    });
    const res = run(
      program({
        steps: 20,
        groups: [g],
        monitors: [{ k: "state", variable: "x", target: { population: "clock", start: 1, end: 2 }, everySteps: 3 }],
      }),
    );
    const tr = res.traces[0]!;
    expect(tr.indices).toEqual([1]);
    expect(tr.steps).toEqual([0, 3, 6, 9, 12, 15, 18]);
    tr.steps.forEach((k, row) => expect(tr.values[row]![0]).toBeCloseTo(k * DT, 14));
  });

  it("reports what it cannot run as E0801 instead of throwing", () => {
    const g = group("bad", 1, { state: [v("x", 0)], odes: [{ name: "x", rhs: n(1) }] });
    const out = referenceTarget.run(program({ groups: [g] }), {});
    expect(out.result).toBeUndefined();
    expect(out.diagnostics.map((d) => d.code)).toEqual(["E0801"]);
    const g2 = group("bad2", 1, { state: [v("x", 0)], update: [set("state", "x", r("astro", "m"))] });
    expect(referenceTarget.run(program({ groups: [g2] }), {}).diagnostics[0]!.code).toBe("E0801");
  });
});

/** A receiver group: no dynamics, state vars to observe. */
const receiver = (size: number, ...names: string[]): IRGroup => group("rx", size, { state: names.map((x) => v(x, 0)) });
const spikeList = (times: number[], indices: number[], size = 1) => ({
  name: "src",
  k: "spike_times" as const,
  size,
  times,
  indices,
});
const watch = (variable: string, size = 1) => ({
  k: "state" as const,
  variable,
  target: { population: "rx", start: 0, end: size },
  everySteps: 1,
});
const col = (res: RunResult, trace: number, c: number): number[] => res.traces[trace]!.values.map((row) => row[c]!);

describe("reference target: synapses", () => {
  it("delivers on pre exactly d steps after the spike (uniform and per-synapse delays)", () => {
    const inc = [set("post", "x", b("+", r("post", "x"), n(1)))];
    const uniform = projection("p", ["src", 1], ["rx", 3], { delay: init(5), onPre: inc });
    const res = run(
      program({
        steps: 30,
        sources: [spikeList([10 * DT], [0])],
        groups: [receiver(3, "x")],
        projections: [uniform],
        monitors: [watch("x", 3)],
      }),
    );
    // handler runs in step 15, so the state recorded at the start of step 16 shows it
    for (let c = 0; c < 3; c++) expect(col(res, 0, c).indexOf(1)).toBe(16);
    expect(res.synapses).toBe(3);
    expect(res.synapticEvents).toBe(3);

    const perSyn = projection("p", ["src", 1], ["rx", 3], {
      delay: { k: "expr", e: b("+", b("*", r("index", "j"), n(2)), n(1)) },
      onPre: inc,
    });
    const res2 = run(
      program({
        steps: 30,
        sources: [spikeList([10 * DT], [0])],
        groups: [receiver(3, "x")],
        projections: [perSyn],
        monitors: [watch("x", 3)],
      }),
    );
    expect([0, 1, 2].map((c) => col(res2, 0, c).indexOf(1))).toEqual([12, 14, 16]);
  });

  it("rounds drawn delays to whole steps (samples * scale)", () => {
    const inc = [set("post", "x", b("+", r("post", "x"), n(1)))];
    const p = projection("p", ["src", 1], ["rx", 50], {
      delay: { k: "dist", dist: "uniform", args: [n(0), n(2e-3)], scale: 1 / DT },
      onPre: inc,
    });
    const res = run(
      program({
        steps: 60,
        sources: [spikeList([0], [0])],
        groups: [receiver(50, "x")],
        projections: [p],
        monitors: [watch("x", 50)],
      }),
    );
    const arrivals = Array.from({ length: 50 }, (_, c) => col(res, 0, c).indexOf(1) - 1);
    for (const d of arrivals) expect(d >= 0 && d <= 20).toBe(true);
    expect(new Set(arrivals).size).toBeGreaterThan(5);
  });

  it("runs on post after on pre within a step", () => {
    // the post neuron counts steps and spikes in step 4 (c reaches 5); the input also spikes in step 4
    const post = group("rx", 1, {
      state: [v("c", 0)],
      update: [set("state", "c", b("+", r("state", "c"), n(1)))],
      threshold: b("==", r("state", "c"), n(5)),
    });
    const p = projection("p", ["src", 1], ["rx", 1], {
      state: [v("order", 0)],
      onPre: [
        set("state", "order", b("+", b("*", r("state", "order"), n(10)), n(1))),
        set("post", "c", b("+", r("post", "c"), n(100))),
      ],
      onPost: [
        set("state", "order", b("+", b("*", r("state", "order"), n(10)), n(2))),
        set("post", "c", r("state", "order")),
      ],
    });
    const res = run(
      program({
        steps: 6,
        sources: [spikeList([4 * DT], [0])],
        groups: [post],
        projections: [p],
        monitors: [watch("c")],
      }),
    );
    // after step 4: on pre sets order = 1 (c = 105), on post order = 12 and c = 12; step 5 adds 1
    expect(col(res, 0, 0)).toEqual([0, 1, 2, 3, 4, 12]);
  });

  it("advances event-driven traces over the elapsed time since the last update", () => {
    const tau = 0.002;
    const p = projection("p", ["src", 1], ["rx", 1], {
      state: [v("apre", 0)],
      eventDriven: ["apre"],
      onPre: [
        set(
          "state",
          "apre",
          b("*", r("state", "apre"), {
            k: "call",
            fn: "exp",
            args: [b("/", { k: "neg", a: r("elapsed", "elapsed") }, n(tau))],
          }),
        ),
        set("post", "y", r("state", "apre")),
        set("state", "apre", b("+", r("state", "apre"), n(1))),
      ],
    });
    const res = run(
      program({
        steps: 60,
        sources: [spikeList([10 * DT, 30 * DT, 55 * DT], [0, 0, 0])],
        groups: [receiver(1, "y")],
        projections: [p],
        monitors: [watch("y")],
      }),
    );
    const y = col(res, 0, 0);
    expect(y[31]).toBeCloseTo(Math.exp(-(20 * DT) / tau), 12);
    const a2 = Math.exp(-(20 * DT) / tau) + 1;
    expect(y[56]).toBeCloseTo(a2 * Math.exp(-(25 * DT) / tau), 12);
  });

  it("couples every step through continuous blocks and current steps", () => {
    const rx = group("rx", 2, {
      state: [v("y", 0)],
      inputs: [v("I", 0)],
      update: [set("state", "y", r("input", "I"))],
    });
    const drive = group("drv", 2, { state: [v("z", 3)] });
    const p = projection("gap", ["drv", 2], ["rx", 2], {
      rule: { k: "one_to_one" },
      continuous: [set("post", "I", b("+", r("post", "I"), r("pre", "z")))],
    });
    const res = run(
      program({
        steps: 10,
        groups: [rx, drive],
        projections: [p],
        currents: [
          { variable: "I", target: { population: "rx", start: 1, end: 2 }, k: "steps", times: [5 * DT], values: [10] },
        ],
        monitors: [watch("y", 2)],
      }),
    );
    expect(col(res, 0, 0)).toEqual([0, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    expect(col(res, 0, 1)).toEqual([0, 3, 3, 3, 3, 3, 13, 13, 13, 13]);
  });
});

describe("reference target: inputs and monitors", () => {
  it("fires Poisson sources at their rate", () => {
    // (kept small: jest runs this code far slower than plain node)
    const src = { name: "src", k: "poisson" as const, size: 10, rate: init(100) };
    const res = run(program({ steps: 5000, sources: [src] }));
    const expected = 10 * 100 * 5000 * DT; // 500 spikes, sd ~ 22
    expect(Math.abs(res.populations.src!.spikes - expected)).toBeLessThan(5 * Math.sqrt(expected));
    expect(Math.abs(res.populations.src!.rate_hz - 100)).toBeLessThan((5 * Math.sqrt(expected)) / 50);
    const again = run(program({ steps: 5000, sources: [src] }));
    expect(again.populations.src!.spikes).toBe(res.populations.src!.spikes);
    const other = referenceTarget.run(program({ steps: 5000, sources: [src] }), { seed: 2 }).result!;
    expect(other.populations.src!.spikes).not.toBe(res.populations.src!.spikes);
  });

  it("records population rates and spikes", () => {
    const res = run(
      program({
        steps: 10,
        sources: [spikeList([5 * DT, 5 * DT, 7 * DT], [1, 3, 2], 4)],
        monitors: [
          { k: "rate", target: { population: "src", start: 0, end: 4 }, everySteps: 1 },
          { k: "spikes", target: { population: "src", start: 0, end: 4 }, everySteps: 1 },
        ],
      }),
    );
    const hz = Array.from(res.rates[0]!.hz);
    expect(hz[5]).toBeCloseTo(2 / (4 * DT), 9);
    expect(hz[7]).toBeCloseTo(1 / (4 * DT), 9);
    expect(hz.filter((x) => x > 0).length).toBe(2);
    expect(Array.from(res.spikes.src!.steps)).toEqual([5, 5, 7]);
    expect(Array.from(res.spikes.src!.indices)).toEqual([1, 3, 2]);
    expect(res.spikesTotal).toBe(3);
  });

  it("evaluates modulators at phase 0 from the previous step's rate", () => {
    const rx = group("rx", 1, { state: [v("y", 0)], update: [set("state", "y", r("mod", "m"))] });
    const res = run(
      program({
        steps: 8,
        groups: [rx],
        sources: [spikeList([3 * DT], [0], 2)],
        modulators: [{ name: "m", dim: "Hz", expr: r("poprate", "src") }],
        monitors: [watch("y")],
      }),
    );
    // spike in step 3 -> rate(src) = 1/(2 dt) in step 4 -> y written in step 4, recorded at step 5
    expect(col(res, 0, 0)).toEqual([0, 0, 0, 0, 0, 1 / (2 * DT), 0, 0]);
  });
});

describe("reference target: astrocytes", () => {
  it("receives synapse_pre events of ensheathed synapses and exposes a value the synapse reads", () => {
    const astro = group("astro", 1, {
      kind: "astrocyte",
      state: [v("ca", 0)],
      onSynapsePre: [set("state", "ca", b("+", r("state", "ca"), n(1)))],
      exposes: [{ name: "m", dim: "1", expr: b("*", r("state", "ca"), n(2)) }],
    });
    const p = projection("p", ["src", 1], ["rx", 2], {
      onPre: [set("post", "y", r("astro", "m"))],
      ensheathedBy: { astrocytes: "astro", rule: "block", pool: 1 },
    });
    const res = run(
      program({
        steps: 12,
        sources: [spikeList([3 * DT, 7 * DT], [0, 0])],
        groups: [receiver(2, "y"), astro],
        projections: [p],
        monitors: [
          watch("y"),
          { k: "state", variable: "ca", target: { population: "astro", start: 0, end: 1 }, everySteps: 1 },
        ],
      }),
    );
    // step 3: on pre reads m = 0, then two synapse_pre events raise ca to 2;
    // step 7: on pre reads m = 4 then 4 again (astrocytes run after every on pre), ca -> 4
    expect(col(res, 0, 0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4]);
    expect(col(res, 1, 0)).toEqual([0, 0, 0, 0, 2, 2, 2, 2, 4, 4, 4, 4]);
  });
});
