// The example models and the standard library through the whole pipeline. In: every .glia file under
// examples/ and compiler/stdlib/; out: assertions that each parses cleanly, checks and builds to IR,
// and runs on the float64 reference target (capped durations) with finite results.

import { describe, expect, test } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseSource } from "../../compiler/syntax/parse.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { compile } from "../../compiler/pipeline.js";
import { formatDiagnostics } from "../../compiler/diagnostics/format.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { sweepable } from "../helpers/examples.js";

const ROOT = resolve(import.meta.dirname, "../..");
const EXAMPLES = join(ROOT, "examples");
const STDLIB = join(ROOT, "compiler/stdlib");

function glia(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...glia(path));
    else if (name.endsWith(".glia")) out.push(path);
  }
  return out;
}

const examples = glia(EXAMPLES);
const stdlib = glia(STDLIB);
const rel = (p: string): string => relative(ROOT, p);

function show(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return formatDiagnostics(diags, sources);
}

// Compile each example once; the IR and run tests below share the result.
const compiled = new Map<string, ReturnType<typeof compile>>();
function compiledOf(path: string): ReturnType<typeof compile> {
  let c = compiled.get(path);
  if (!c) {
    c = compile(path, nodeHost(), { verify: true });
    compiled.set(path, c);
  }
  return c;
}
function irOf(path: string): IRProgram {
  const c = compiledOf(path);
  const errors = c.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !c.ir) throw new Error(`${rel(path)} does not compile:\n${show(errors, c.sources)}`);
  return c.ir;
}
const byName = (name: string): string => join(EXAMPLES, name);

describe("example set", () => {
  test("contains the benchmarks, every model family the project targets and the language-feature examples", () => {
    const names = examples.map((p) => relative(EXAMPLES, p));
    for (const required of [
      "cuba.glia", "coba.glia",
      "izhikevich_reservoir_3factor.glia", "astro_tripartite.glia", "astro_lsm_branching.glia",
      "li_rinzel_sic.glia", "ei_divisive_subtractive.glia", "hebbian_subspace_oja.glia",
      "soft_hebbian_wta.glia", "reservoir_homeostasis.glia", "homeostatic_lr.glia",
      "two_point_pyramidal.glia", "active_dendrites_nmda.glia", "lsm_reram.glia",
      "stdp.glia", "triplet_stdp.glia", "gap_junctions.glia", "inputs.glia",
      "connect_rules.glia", "heterogeneous.glia", "microcircuit.glia", "astro_sic_adex.glia",
    ]) expect(names).toContain(required);
  });

  test("every example opens with a header comment", () => {
    for (const path of examples) expect(readFileSync(path, "utf8").startsWith("# ")).toBe(true);
  });
});

describe("parse", () => {
  test.each([...examples, ...stdlib].map((p) => [rel(p), p]))("%s parses with no diagnostics", (_name, path) => {
    const text = readFileSync(path, "utf8");
    const { ast, diagnostics } = parseSource(text, path);
    expect(show(diagnostics, new Map([[path, text]]))).toBe("");
    expect(ast.models.length + ast.networks.length).toBeGreaterThan(0);
  });

  test("each example has exactly one network with a run statement", () => {
    for (const path of examples) {
      const { ast } = parseSource(readFileSync(path, "utf8"), path);
      expect(ast.networks.length).toBe(1);
      expect(ast.networks[0]!.items.filter((i) => i.kind === "Run").length).toBe(1);
    }
  });
});

describe("check and IR build", () => {
  test.each(examples.map((p) => [rel(p), p]))("%s checks without errors and builds a verified IR", (_name, path) => {
    const c = compiledOf(path);
    const errors = c.diagnostics.filter((d) => d.severity === "error");
    expect(show(errors, c.sources)).toBe("");
    expect(c.built).toBeDefined();
    const ir = c.ir!;
    expect(ir.steps).toBeGreaterThan(0);
    expect(ir.groups.length).toBeGreaterThan(0);
    expect(ir.monitors.length).toBeGreaterThan(0);
    // discrete form: no ODEs left anywhere
    for (const g of ir.groups) expect(g.odes).toEqual([]);
    for (const p of ir.projections) expect(p.odes).toEqual([]);
  });

  test("CUBA has the parameters of Brian2's CUBA example", () => {
    const ir = irOf(byName("cuba.glia"));
    expect(ir.dt).toBeCloseTo(1e-4, 15);
    expect(ir.seed).toBe(1);
    expect(ir.steps).toBe(10000);
    expect(ir.groups.map((g) => [g.name, g.size])).toEqual([["exc", 3200], ["inh", 800]]);
    expect(ir.projections.length).toBe(4);
    for (const p of ir.projections) {
      expect(p.rule).toEqual({ k: "fixed_probability", p: 0.02 });
      expect(p.allowSelf).toBe(true);
    }
    const exc = ir.groups[0]!;
    expect(exc.refractory).toEqual({ steps: 50, clamp: ["v"] });
    expect(exc.methodRequested).toBe("exact");
    expect(Object.values(exc.methods ?? {})).toEqual(expect.arrayContaining(["exact"]));
    expect(ir.monitors.filter((m) => m.k === "spikes").map((m) => m.target.population).sort()).toEqual(["exc", "inh"]);
  });

  test("COBA uses forward Euler and random initial conductances", () => {
    const ir = irOf(byName("coba.glia"));
    const exc = ir.groups.find((g) => g.name === "exc")!;
    expect(exc.methodRequested).toBe("euler");
    const ge = exc.state.find((s) => s.name === "ge")!;
    expect(ge.init).toMatchObject({ k: "dist", dist: "normal" });
  });

  test("the Li-Rinzel astrocyte runs RK4 on its own 10 ms clock", () => {
    const ir = irOf(byName("li_rinzel_sic.glia"));
    const astro = ir.groups.find((g) => g.kind === "astrocyte")!;
    expect(astro.methodRequested).toBe("rk4");
    expect(astro.stepEvery).toBe(20); // 10 ms / 0.5 ms
  });

  test("astrocytes ensheath the projections named in ensheath", () => {
    const tri = irOf(byName("astro_tripartite.glia"));
    expect(tri.projections.find((p) => p.name === "syn")!.ensheathedBy).toMatchObject({ astrocytes: "astrocytes", rule: "block" });
    const lsm = irOf(byName("astro_lsm_branching.glia"));
    expect(lsm.projections.find((p) => p.name === "rec")!.ensheathedBy).toMatchObject({ astrocytes: "astrocytes", rule: "random" });
  });

  test("connect_rules uses every connection rule", () => {
    const ir = irOf(byName("connect_rules.glia"));
    const rules = new Set(ir.projections.map((p) => p.rule.k));
    expect([...rules].sort()).toEqual(["all_to_all", "fixed_indegree", "fixed_outdegree", "fixed_probability", "from_list", "one_to_one"]);
    // csv_list becomes an explicit list: the chain 0 -> 1 -> ... -> 9 of data/chain.csv
    const chain = ir.projections.find((p) => p.pre.population === "c" && p.post.population === "c")!;
    expect(chain.rule).toEqual({ k: "from_list", pre: [0, 1, 2, 3, 4, 5, 6, 7, 8], post: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
    // weights from an expression of i and j, delays from a distribution
    const ring = ir.projections.find((p) => p.pre.population === "drive")!;
    expect(ring.params.find((v) => v.name === "w")!.perElement).toBe(true);
    const recurrent = ir.projections.find((p) => p.pre.population === "a" && p.post.population === "a" && p.allowSelf)!;
    expect(recurrent.delay).toMatchObject({ k: "dist", dist: "uniform" });
  });

  test("inputs uses every input generator", () => {
    const ir = irOf(byName("inputs.glia"));
    expect(ir.sources.map((s) => s.k).sort()).toEqual(["csv_spikes", "poisson", "spike_times"]);
    const csv = ir.sources.find((s) => s.k === "csv_spikes")!;
    expect(csv.k === "csv_spikes" && csv.times.length).toBe(10);
    expect(ir.currents.map((c) => c.k)).toEqual(["steps", "csv_current"]);
    const ramp = ir.currents[1]!;
    expect(ramp.times[1]).toBeCloseTo(0.05, 12); // 50 ms
    expect(ramp.values[1]).toBeCloseTo(1e-10, 20); // 100 pA
  });
});

// Longest simulated time per example on the reference target (s): a prefix of each run keeps the
// whole set fast; the slow-clock astrocyte example gets enough time for 25 astrocyte steps.
const RUN_CAP: Record<string, number> = { "cuba.glia": 0.01, "coba.glia": 0.01, "li_rinzel_sic.glia": 0.25 };
const DEFAULT_CAP = 0.1;

type Run = ReturnType<typeof referenceTarget.run>;
const runs = new Map<string, Run>();
function runOf(path: string): { run: Run; duration: number; ir: IRProgram } {
  const ir = irOf(path);
  const duration = Math.min(ir.steps * ir.dt, RUN_CAP[relative(EXAMPLES, path)] ?? DEFAULT_CAP);
  let run = runs.get(path);
  if (!run) {
    run = referenceTarget.run(ir, { duration });
    runs.set(path, run);
  }
  return { run, duration, ir };
}

describe("reference target", () => {
  test.each(examples.filter(sweepable).map((p) => [rel(p), p]))("%s runs with finite results", (_name, path) => {
    const { run, duration, ir } = runOf(path);
    expect(show(run.diagnostics.filter((d) => d.severity === "error"), new Map())).toBe("");
    expect(run.result).toBeDefined();
    const r = run.result!;
    expect(r.steps).toBe(Math.round(duration / ir.dt));
    for (const [pop, info] of Object.entries(r.populations)) {
      expect([pop, Number.isFinite(info.rate_hz)]).toEqual([pop, true]);
    }
    for (const trace of r.traces) {
      expect(trace.values.length).toBeGreaterThan(0);
      for (const row of trace.values) for (const x of row) expect([trace.population, trace.variable, Number.isFinite(x)]).toEqual([trace.population, trace.variable, true]);
    }
    for (const rate of r.rates) for (const x of rate.hz) expect(Number.isFinite(x)).toBe(true);
  });

  test("CUBA is active within its first 10 ms (El = -49 mV lies above threshold)", () => {
    const r = runOf(byName("cuba.glia")).run.result!;
    expect(r.spikes["exc"]!.steps.length + r.spikes["inh"]!.steps.length).toBeGreaterThan(0);
  });

  test("the Li-Rinzel astrocyte's IP3 rises under its Poisson drive and stays physical", () => {
    const r = runOf(byName("li_rinzel_sic.glia")).run.result!;
    const ip3 = r.traces.find((t) => t.variable === "IP3")!;
    const ca = r.traces.find((t) => t.variable === "Ca")!;
    const first = ip3.values[0]![0]!;
    const last = ip3.values[ip3.values.length - 1]![0]!;
    expect(first).toBeCloseTo(0.16e-3, 12); // IP3_0 = 0.16 uM = 1.6e-4 mol/m^3
    expect(last).toBeGreaterThan(first);
    for (const row of ca.values) expect(row[0]!).toBeGreaterThanOrEqual(0);
  });
});
