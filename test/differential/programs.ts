// Hand-built discrete IR networks for the differential tests (features.test.ts). In: nothing; out:
// featureProgram(), one network that uses every discrete IR feature: per-element params, refractoriness,
// resets with `if`, every builtin with a fixed-point form (exp, log, sqrt, abs, min, max, clip, tanh,
// sigmoid, pow, heaviside), Poisson and spike-list sources, uniform and per-synapse delays, `on pre` adding
// into a state variable and into an `inputs` variable, event-driven plasticity (on pre / on post with
// elapsed), continuous coupling into an input, currents, modulators, astrocytes (on synapse_pre /
// on synapse_post, exposes), stepEvery, monitors; and the builtins it calls (so a new builtin with a fixed
// form must be added here).
import type { IRExpr, IRGroup, IRProgram, IRStmt } from "../../compiler/ir/nodes.js";
import { b, group, init, n, program, projection, r, set, v } from "../reference/ir-helpers.js";

const DT = 1e-4;
type Fn = "exp" | "log" | "sqrt" | "abs" | "min" | "max" | "clip" | "tanh" | "sigmoid" | "pow" | "heaviside";
const call = (fn: Fn, ...args: IRExpr[]): IRExpr => ({
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
function neuron(name: string, size: number, stepEvery = 1, driveBase = 0.012): IRGroup {
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
    params: [v("drive", { k: "expr", e: b("+", n(driveBase), b("*", r("index", "i"), n(0.0004))) }, true)],
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
    exposes: [{ name: "gain", dim: "1", expr: b("+", n(1), call("abs", r("state", "c"))) }],
  };
}

/** Neurons whose threshold reads every builtin with a fixed-point form: x relaxes towards 1.2 and y, a
 *  monotone-ish function of x through all of them, crosses 0.9 (x reset to 0). */
function builtinGroup(size: number): IRGroup {
  const x = r("state", "x");
  const term = (e: IRExpr, w: number): IRExpr => b("*", e, n(w));
  const y = [
    term(call("sigmoid", b("-", b("*", x, n(4)), n(2))), 0.5),
    term(call("abs", b("-", x, n(0.6))), 0.2),
    term(call("heaviside", b("-", x, n(0.5))), 0.1),
    term(call("log", b("+", n(1), x)), 0.2),
    term(call("pow", x, n(2)), 0.1),
    term(call("sqrt", b("+", x, n(0.01))), 0.05),
    term(call("min", x, n(0.7)), 0.1),
    term(call("max", x, n(0.3)), 0.1),
    term(call("tanh", x), 0.05),
    term(call("exp", b("-", n(0), x)), 0.05),
  ].reduce((a, t) => b("+", a, t));
  return group("fn", size, {
    state: [v("x", uniformInit(0, 0.5)), v("y", 0)],
    update: [
      set("state", "x", b("+", x, b("*", n(DT / 0.02), b("-", n(1.2), x)))),
      set("state", "y", call("clip", y, n(0), n(2))),
    ],
    threshold: b(">", r("state", "y"), n(0.9)),
    reset: [set("state", "x", n(0))],
  });
}

export function featureProgram(): IRProgram {
  const addGe = (w: IRExpr): IRStmt[] => [set("post", "ge", b("+", r("post", "ge"), w))];
  const decay: IRStmt = let_("d", call("exp", b("*", n(-50), r("elapsed", "elapsed"))));
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
  // `on pre` adding into an input (I, read by the next step's update): the only drive of group `pulse`
  const intoInput = projection("poi_pulse", ["poi", 30], ["pulse", 10], {
    rule: { k: "fixed_probability", p: 0.3 },
    delay: init(1),
    params: [v("w", uniformInit(2e-8, 4e-8), true)],
    onPre: [set("post", "I", b("+", r("post", "I"), r("param", "w")))],
  });
  const fnToExc = projection("fn_exc", ["fn", 8], ["exc", 40], {
    rule: { k: "fixed_outdegree", n: 5 },
    delay: init(2),
    onPre: addGe(n(0.0015)),
  });
  const slowToExc = projection("slow_exc", ["slow", 12], ["exc", 40], {
    rule: { k: "fixed_outdegree", n: 4 },
    onPre: addGe(n(0.002)),
  });
  return program({
    steps: 3000,
    seed: 7,
    groups: [neuron("exc", 40), neuron("slow", 12, 2), astrocytes(), builtinGroup(8), neuron("pulse", 10, 1, 0)],
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
    projections: [plastic, fromPoisson, fromList, gap, slowToExc, intoInput, fnToExc],
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
      { k: "spikes", target: { population: "fn", start: 0, end: 8 }, everySteps: 1 },
      { k: "spikes", target: { population: "pulse", start: 0, end: 10 }, everySteps: 1 },
      { k: "state", variable: "v", target: { population: "exc", start: 8, end: 14 }, everySteps: 5 },
      { k: "state", variable: "c", target: { population: "astro", start: 0, end: 3 }, everySteps: 10 },
      { k: "state", variable: "post_seen", target: { population: "astro", start: 0, end: 3 }, everySteps: 100 },
      { k: "rate", target: { population: "exc", start: 0, end: 20 }, everySteps: 2 },
    ],
  });
}

/** The builtins a program calls (every expression of every group and projection). */
export function builtinsCalled(p: IRProgram): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (o.k === "call" && typeof o.fn === "string") out.add(o.fn);
      for (const y of Object.values(o)) walk(y);
    }
  };
  walk(p.groups);
  walk(p.projections);
  walk(p.modulators);
  return out;
}
