// The language sketch (fixtures.ts) and a file using every construct parse cleanly into the expected AST.
import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { STDLIB_DIR } from "../../compiler/syntax/load.js";
import { ALL_CONSTRUCTS, DSL_SKETCH } from "./fixtures.js";
import { parseOk, show, showUnit } from "./helpers.js";

describe("DSL sketch", () => {
  const ast = parseOk(DSL_SKETCH, "sketch.glia");

  test("models and network", () => {
    expect(ast.models.map((m) => `${m.modelKind} ${m.name}`)).toEqual([
      "neuron LIF",
      "synapse STDP",
      "astrocyte Calcium",
    ]);
    expect(ast.networks.map((n) => n.name)).toEqual(["CUBA"]);
  });

  test("LIF sections", () => {
    const lif = ast.models[0]!;
    expect(lif.parameters.map((d) => d.name)).toEqual(["tau_m", "E_L", "V_th", "V_reset", "t_ref", "tau_e", "tau_i"]);
    expect(show(lif.parameters[1]!.value!)).toBe("(neg [49 mV])");
    expect(showUnit(lif.parameters[0]!.unit!)).toBe("ms");
    expect(show(lif.state[0]!.value!)).toBe("uniform(V_reset, V_th)");
    expect(lif.equations.map((e) => `${e.kind}:${e.name}`)).toEqual(["Ode:v", "Ode:ge", "Ode:gi"]);
    expect(show(lif.equations[0]!.value)).toBe("(/ (- (+ ge gi) (- v E_L)) tau_m)");
    expect(show(lif.spike!.condition)).toBe("(> v V_th)");
    expect(lif.spike!.reset).toHaveLength(1);
    expect(show(lif.refractory!.period)).toBe("t_ref");
    expect(lif.refractory!.clamp.map((c) => c.name)).toEqual(["v"]);
    expect(lif.sections.map((s) => s.section)).toEqual(["parameters", "state", "equations", "spike", "refractory"]);
  });

  test("STDP handlers", () => {
    const stdp = ast.models[1]!;
    expect(stdp.handlers.map((h) => h.event)).toEqual(["pre", "post"]);
    const first = stdp.handlers[0]!.body[0]!;
    expect(first.kind).toBe("Assign");
    if (first.kind !== "Assign") return;
    expect(first.target).toMatchObject({ kind: "Member", object: "post", name: "ge" });
    expect(first.op).toBe("+=");
    expect(show(first.value)).toBe("(* w [1 mV])");
    expect(stdp.parameters.map((p) => p.name)).toEqual(["w_max", "A_pre", "A_post", "tau_pre", "tau_post"]);
  });

  test("astrocyte expose", () => {
    const ca = ast.models[2]!;
    expect(ca.handlers[0]!.event).toBe("synapse_pre");
    expect(ca.exposes.map((e) => `${e.name} = ${show(e.value)}`)).toEqual(["modulation = tanh((- ca target))"]);
  });

  test("network items", () => {
    const items = ast.networks[0]!.items;
    expect(items.map((i) => i.kind)).toEqual([
      "Setting",
      "Setting",
      "Population",
      "Population",
      "Connect",
      "Connect",
      "Record",
      "Record",
      "Run",
    ]);
    const c = items[4]!;
    if (c.kind !== "Connect") throw new Error("not a connect");
    expect(c.pre.map((p) => p.name)).toEqual(["exc"]);
    expect(c.post.map((p) => p.name)).toEqual(["exc", "inh"]);
    expect(c.synapse).toBe("Static");
    expect(c.args.map((a) => `${a.name}=${show(a.value)}`)).toEqual(["w=[1.62 mV]"]);
    expect(c.onto?.name).toBe("ge");
    expect(c.rule.name).toBe("fixed_probability");
    expect(c.allowSelf).toBe(false);
    const rec = items[7]!;
    if (rec.kind !== "Record") throw new Error("not a record");
    expect(rec.targets[0]!.slice && show(rec.targets[0]!.slice.end)).toBe("10");
    const run = items[8]!;
    expect(run.kind === "Run" && show(run.duration)).toBe("[1 s]");
  });
});

describe("every construct", () => {
  const ast = parseOk(ALL_CONSTRUCTS, "all.glia");

  test("imports", () => {
    expect(ast.imports.map((i) => i.path)).toEqual(["lib/models.glia", "std/static.glia"]);
  });

  test("neuron with alias, reset statements, method", () => {
    const izh = ast.models[0]!;
    expect(izh.inputs.map((d) => d.name)).toEqual(["I"]);
    expect(izh.inputs[0]!.value).toBeUndefined();
    const alias = izh.equations[0]!;
    expect(alias.kind).toBe("Alias");
    expect(alias.kind === "Alias" && showUnit(alias.unit!)).toBe("(mV/ms)");
    expect(izh.method?.name).toBe("rk4");
    expect(izh.refractory!.clamp.map((c) => c.name)).toEqual(["v", "u"]);
    expect(show(izh.spike!.condition)).toBe("(or (and (>= v [30 mV]) (not (> h 1))) false)");
    expect(izh.spike!.reset.map((s) => s.kind)).toEqual(["Assign", "Assign", "Let", "If"]);
    const iff = izh.spike!.reset[3]!;
    if (iff.kind !== "If") throw new Error("not an if");
    expect(iff.otherwise).toHaveLength(1);
    const elif = iff.otherwise[0]!;
    expect(elif.kind === "If" && elif.otherwise.map((s) => (s.kind === "Assign" ? s.op : s.kind))).toEqual([
      "/=",
      "-=",
    ]);
    expect(showUnit(izh.parameters[4]!.unit!)).toBe("(1/(uM*ms))");
  });

  test("astrocyte clock and expose with unit", () => {
    const a = ast.models[1]!;
    expect(a.dt && show(a.dt)).toBe("[10 ms]");
    expect(a.exposes[0]!.unit?.kind).toBe("UnitOne");
  });

  test("continuous handler reads astro. and mod.", () => {
    const gap = ast.models[2]!;
    const h = gap.handlers[0]!;
    expect(h.event).toBe("continuous");
    const s = h.body[0]!;
    expect(s.kind === "Assign" && show(s.value)).toBe("(* (* (* g (- pre.v post.v)) astro.level) mod.reward)");
  });

  test("network items", () => {
    const items = ast.networks[0]!.items;
    expect(items.map((i) => i.kind)).toEqual([
      "Setting",
      "Setting",
      "Population",
      "Input",
      "Input",
      "Current",
      "Connect",
      "Connect",
      "Population",
      "Ensheath",
      "Modulator",
      "Record",
      "Record",
      "Run",
    ]);
    const pop = items[2]!;
    expect(pop.kind === "Population" && pop.args.map((a) => `${a.name}=${show(a.value)}`)).toEqual([
      "a=normal(0.02, 0.001)",
    ]);
    const cur = items[5]!;
    if (cur.kind !== "Current") throw new Error("not a current");
    expect(cur.variable).toBe("I");
    expect(cur.target.slice && show(cur.target.slice.start)).toBe("0");
    expect(show(cur.args[0]!.value)).toBe("[[0 ms], [100 ms]]");
    const gj = items[6]!;
    if (gj.kind !== "Connect") throw new Error("not a connect");
    expect(gj.name).toBe("gj");
    expect(gj.allowSelf).toBe(true);
    expect(gj.delay && show(gj.delay)).toBe("[1 ms]");
    expect(show(gj.args[0]!.value)).toBe("(/ uniform(0.05, 0.15) [1 ms])");
    const ens = items[9]!;
    expect(ens.kind === "Ensheath" && [ens.projections.map((p) => p.name), ens.astrocytes, ens.rule.name]).toEqual([
      ["gj"],
      "glia",
      "random",
    ]);
    const mod = items[10]!;
    expect(mod.kind === "Modulator" && show(mod.value)).toBe("(+ (/ mean(exc.v) [1 mV]) (* rate(exc) [1 s]))");
    const rec = items[12]!;
    expect(rec.kind === "Record" && rec.every && show(rec.every)).toBe("[1 ms]");
  });
});

test("the standard library's Static synapse parses", () => {
  const text = readFileSync(`${STDLIB_DIR}/static.glia`, "utf8");
  const ast = parseOk(text, "static.glia");
  const s = ast.models[0]!;
  expect([s.modelKind, s.name]).toEqual(["synapse", "Static"]);
  expect(s.parameters.map((p) => [p.name, p.unit, p.value])).toEqual([["w", undefined, undefined]]);
  const st = s.handlers[0]!.body[0]!;
  expect(st.kind === "Assign" && st.target).toMatchObject({ kind: "Member", object: "post", name: "target" });
});
