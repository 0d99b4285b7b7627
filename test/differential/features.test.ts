// wasm target vs the float64 reference on one hand-built discrete IR network that uses every feature:
// per-element params, refractoriness, predicated `if`, builtins, Poisson and spike-list sources, uniform
// and per-synapse delays, event-driven plasticity (on pre / on post with elapsed), continuous coupling,
// currents, modulators, astrocytes (on synapse_pre / on synapse_post, exposes), stepEvery, monitors.
// f64 mode must agree exactly; f32 mode closely.
import { describe, expect, it } from "@jest/globals";
import type { IRExpr, IRGroup, IRProgram, IRStmt } from "../../compiler/ir/nodes.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import type { RunResult, Target } from "../../targets/target.js";
import { b, group, init, n, program, projection, r, set, v } from "../reference/ir-helpers.js";

const DT = 1e-4;
const call = (fn: "exp" | "clip" | "tanh" | "log" | "sqrt" | "pow", ...args: IRExpr[]): IRExpr => ({
  k: "call",
  fn,
  args,
});
const sel = (c: IRExpr, a: IRExpr, e: IRExpr): IRExpr => ({ k: "sel", c, a, b: e });
const let_ = (name: string, value: IRExpr): IRStmt => ({ k: "let", name, value });
const uniformInit = (lo: number, hi: number) => ({
  k: "dist" as const,
  dist: "uniform" as const,
  args: [n(lo), n(hi)],
  scale: 1,
});

/** LIF-like neuron with synaptic current ge, an input I, a gap input, modulator drive and an if in the reset. */
function neuron(name: string, size: number, stepEvery = 1): IRGroup {
  const gdt = DT * stepEvery;
  const vNew = b(
    "+",
    r("state", "v"),
    b(
      "*",
      n(gdt / 0.01),
      b(
        "+",
        b("-", n(-0.065), r("state", "v")),
        b(
          "+",
          b("+", r("state", "ge"), b("*", r("input", "I"), n(1e7))),
          b("+", r("input", "Igap"), b("*", r("param", "drive"), b("+", n(1), b("*", r("mod", "m"), n(1e-3))))),
        ),
      ),
    ),
  );
  return group(name, size, {
    stepEvery,
    params: [v("drive", { k: "expr", e: b("+", n(0.012), b("*", r("index", "i"), n(0.0004))) }, true)],
    state: [v("v", uniformInit(-0.065, -0.052)), v("ge", 0), v("count", 0)],
    inputs: [v("I", 0), v("Igap", 0)],
    update: [
      let_("v_new", vNew),
      set("state", "v", sel(r("flag", "refractory"), r("state", "v"), r("local", "v_new"))),
      set("state", "ge", b("*", r("state", "ge"), call("exp", n(-gdt / 0.005)))),
    ],
    threshold: b(">", r("state", "v"), n(-0.05)),
    reset: [
      set("state", "v", n(-0.065)),
      set("state", "count", b("+", r("state", "count"), n(1))),
      {
        k: "if",
        c: b(">", r("state", "count"), n(3)),
        then: [set("state", "ge", b("*", r("state", "ge"), n(0.5)))],
        otherwise: [],
      },
    ],
    refractory: { steps: Math.round(0.002 / DT), clamp: ["v"] },
  });
}

function astrocytes(): IRGroup {
  return {
    ...group("astro", 3),
    kind: "astrocyte",
    state: [v("c", 0), v("post_seen", 0)],
    update: [set("state", "c", b("*", r("state", "c"), n(0.995)))],
    onSynapsePre: [
      set("state", "c", b("+", r("state", "c"), b("*", n(0.05), call("tanh", b("*", r("post", "v"), n(20)))))),
    ],
    onSynapsePost: [set("state", "post_seen", b("+", r("state", "post_seen"), n(1)))],
    exposes: [{ name: "gain", dim: "1", expr: b("+", n(1), call("sqrt", b("*", r("state", "c"), r("state", "c")))) }],
  };
}

function featureProgram(): IRProgram {
  const addGe = (w: IRExpr): IRStmt[] => [set("post", "ge", b("+", r("post", "ge"), w))];
  const decay: IRStmt = let_("d", call("exp", b("/", b("-", n(0), r("elapsed", "elapsed")), n(0.02))));
  const plastic = projection("plastic", ["exc", 40], ["exc", 40], {
    rule: { k: "fixed_probability", p: 0.2 },
    delay: uniformInit(0, 4),
    state: [v("w", uniformInit(0.0005, 0.002)), v("apre", 0), v("apost", 0)],
    eventDriven: ["apre", "apost"],
    onPre: [
      decay,
      set("state", "apre", b("+", b("*", r("state", "apre"), r("local", "d")), n(0.01))),
      set("state", "apost", b("*", r("state", "apost"), r("local", "d"))),
      ...addGe(r("state", "w")),
      set("state", "w", call("clip", b("-", r("state", "w"), b("*", r("state", "apost"), n(0.01))), n(0), n(0.003))),
    ],
    onPost: [
      decay,
      set("state", "apre", b("*", r("state", "apre"), r("local", "d"))),
      set("state", "apost", b("+", b("*", r("state", "apost"), r("local", "d")), n(0.01))),
      set("state", "w", call("clip", b("+", r("state", "w"), b("*", r("state", "apre"), n(0.01))), n(0), n(0.003))),
    ],
    ensheathedBy: { astrocytes: "astro", rule: "random", pool: 2 },
  });
  const fromPoisson = projection("poi_exc", ["poi", 30], ["exc", 40], {
    rule: { k: "fixed_indegree", n: 5 },
    delay: init(3),
    params: [v("w", uniformInit(0.001, 0.003), true)],
    onPre: addGe(b("*", r("param", "w"), r("astro", "gain"))),
    ensheathedBy: { astrocytes: "astro", rule: "block", pool: 1 },
  });
  const fromList = projection("list_slow", ["list", 2], ["slow", 12], {
    rule: { k: "all_to_all" },
    delay: { k: "expr", e: b("+", n(1), b("*", r("index", "j"), n(0.5))) },
    onPre: addGe(n(0.004)),
  });
  const gap = projection("gap", ["exc", 40], ["exc", 40], {
    pre: { population: "exc", start: 0, end: 10 },
    post: { population: "exc", start: 10, end: 20 },
    rule: { k: "one_to_one" },
    continuous: [
      set("post", "Igap", b("+", r("post", "Igap"), b("*", n(0.02), b("-", r("pre", "v"), r("post", "v"))))),
    ],
  });
  const slowToExc = projection("slow_exc", ["slow", 12], ["exc", 40], {
    rule: { k: "fixed_outdegree", n: 4 },
    onPre: addGe(n(0.002)),
  });
  return program({
    steps: 3000,
    seed: 7,
    groups: [neuron("exc", 40), neuron("slow", 12, 2), astrocytes()],
    sources: [
      { name: "poi", k: "poisson", size: 30, rate: { k: "expr", e: b("+", n(80), b("*", r("index", "i"), n(4))) } },
      {
        name: "list",
        k: "spike_times",
        size: 2,
        times: [0.001, 0.005, 0.0051, 0.02, 0.12, 0.2],
        indices: [0, 1, 1, 0, 1, 0],
      },
    ],
    projections: [plastic, fromPoisson, fromList, gap, slowToExc],
    currents: [
      {
        variable: "I",
        target: { population: "exc", start: 20, end: 30 },
        k: "steps",
        times: [0.05, 0.15],
        values: [2e-10, 0],
      },
    ],
    modulators: [{ name: "m", dim: "1", expr: b("/", { k: "ref", ref: { space: "poprate", name: "exc" } }, n(10)) }],
    monitors: [
      { k: "spikes", target: { population: "exc", start: 0, end: 40 }, everySteps: 1 },
      { k: "spikes", target: { population: "slow", start: 0, end: 12 }, everySteps: 1 },
      { k: "spikes", target: { population: "poi", start: 0, end: 30 }, everySteps: 1 },
      { k: "state", variable: "v", target: { population: "exc", start: 8, end: 14 }, everySteps: 5 },
      { k: "state", variable: "c", target: { population: "astro", start: 0, end: 3 }, everySteps: 10 },
      { k: "state", variable: "post_seen", target: { population: "astro", start: 0, end: 3 }, everySteps: 100 },
      { k: "rate", target: { population: "exc", start: 0, end: 20 }, everySteps: 2 },
    ],
  });
}

function run(t: Target, p: IRProgram): RunResult {
  const out = t.run(p, {});
  expect(out.diagnostics).toEqual([]);
  return out.result!;
}

const arr = (x: ArrayLike<number>): number[] => Array.from(x);

describe("wasm vs reference on a network using every discrete IR feature", () => {
  const p = featureProgram();
  const ref = run(referenceTarget, p);

  it("the network is active: every population spikes, plasticity and astrocytes run", () => {
    for (const name of ["exc", "slow", "poi", "list"]) expect(ref.populations[name]!.spikes).toBeGreaterThan(0);
    expect(ref.synapticEvents).toBeGreaterThan(1000);
    const c = ref.traces[1]!.values.map((row) => row[0]! + row[1]! + row[2]!);
    expect(c.some((x) => x !== 0)).toBe(true);
    expect(ref.traces[2]!.values.at(-1)!.some((x) => x > 0)).toBe(true);
  });

  it("f64 mode: identical spikes, traces, rates, counts and synaptic events", () => {
    const w = run(wasmF64Target, p);
    expect(w.populations).toEqual(ref.populations);
    expect(w.synapses).toBe(ref.synapses);
    expect(w.synapticEvents).toBe(ref.synapticEvents);
    for (const name of Object.keys(ref.spikes)) {
      expect(arr(w.spikes[name]!.steps)).toEqual(arr(ref.spikes[name]!.steps));
      expect(arr(w.spikes[name]!.indices)).toEqual(arr(ref.spikes[name]!.indices));
    }
    expect(w.traces).toEqual(ref.traces);
    expect(w.rates).toEqual(ref.rates);
  });

  it("f32 mode: same sources and connectivity, spike counts close", () => {
    const w = run(wasmTarget, p);
    expect(w.synapses).toBe(ref.synapses);
    // inputs are exact (same RNG stream, same lists)
    expect(arr(w.spikes.poi!.steps)).toEqual(arr(ref.spikes.poi!.steps));
    for (const name of ["exc", "slow"]) {
      const a = w.populations[name]!.spikes,
        e = ref.populations[name]!.spikes;
      expect(Math.abs(a - e) / e).toBeLessThan(0.05);
    }
    // the traces agree to f32 precision until the first spike-time difference
    const first = ref.traces[0]!;
    const got = w.traces[0]!;
    expect(got.steps).toEqual(first.steps);
    for (let row = 0; row < 20; row++)
      for (let c = 0; c < first.indices.length; c++) {
        expect(Math.abs(got.values[row]![c]! - first.values[row]![c]!)).toBeLessThan(1e-6);
      }
    expect(w.bytesPerSynapse).toBeGreaterThan(0);
    expect(w.peakRssBytes).toBeGreaterThan(0);
  });
});
