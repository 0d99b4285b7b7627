// A PyNEST script for a glia network whose groups are NEST built-ins (match.ts). In: the continuous IR, each
// group's binding, the network files; out: run.py text. Units: NEST's (mV, ms, pA, pF).
//
// glia's step against NEST's: NEST stamps a spike at the end of its step (glia: the start) and adds a synaptic
// event to the current after the step's membrane update, so a synapse of glia delay d (on pre in step k + d, acting
// on the update of step k + d + 1) is a NEST delay of d steps counted from NEST's stamp, except that NEST's delays
// are at least one step: a zero-delay synapse between neurons acts one step later in NEST (the stated tolerance).
// Inputs (spike lists, and glia's Poisson draws) are spike_generators: where every synapse of the input has a delay
// of a step or more, stamped as a NEST neuron's spike with glia's delay; else one step early with one step more
// delay. Both give glia's timing, except that an input spike in step 0 with a zero-delay synapse acts one step late.

import type { IRProgram } from "../../../compiler/ir/nodes.js";
import { evalExpr } from "../../network/eval.js";
import type { NetworkData } from "../network-data.js";
import { staticWeight, C_M, type IafBinding } from "./match.js";
import type { IzhBinding } from "./match-izhikevich.js";
import type { CondBinding } from "./match-cond.js";
import type { AeifBinding, AeifSyn } from "./match-aeif.js";
import type { TsodyksBinding } from "./match-tsodyks.js";
import { HH_C_M, type HhBinding } from "./match-hh.js";
import type { AstroBinding, AstroPlan } from "./match-astro.js";
import { astroGroup, astroRecordable, sicLines, thirdInLines } from "./script-astro.js";

import { nestVariable, type NestmlBinding, type NestmlSynapseBinding } from "./nestml.js";
import { couplingLoadLines, couplingPython, type Coupling } from "./couplings.js";
import { PY_CURRENTS, stimulusLines } from "./currents.js";
import { PY_RELAYS, relayLines } from "./relays.js";
import { modulatorPython } from "./modulators.js";
import type { NestmlModule } from "./nestml-module.js";

/** A group matched to a NEST built-in, or written as a NESTML neuron. */
export type Binding = IafBinding | IzhBinding | CondBinding | AeifBinding | HhBinding | AstroBinding | NestmlBinding;
import { POSTLUDE, PRELUDE } from "./script-python.js";

/** SI to NEST's units, rounded to 15 digits (0.0049 s is 4.9 ms, not 4.8999999999999995). */
const ms = (s: number): number => Number((s * 1e3).toPrecision(15));
const mV = (v: number): number => Number((v * 1e3).toPrecision(15));

/** A glia state variable as a NEST recordable: its name and the factor from NEST's value to glia's SI value. */
export function recordable(b: Binding, variable: string): { name: string; toGlia: number } | undefined {
  if (b.model === "astrocyte_lr_1994") return astroRecordable(b, variable);
  // a NESTML neuron's parameter or state variable (declared `NAME real = ...`), in SI
  if (b.model === "nestml")
    return b.text.includes(`\n        ${nestVariable(variable)} real = `)
      ? { name: nestVariable(variable), toGlia: 1 }
      : undefined;
  if (b.model === "izhikevich")
    return variable === b.v
      ? { name: "V_m", toGlia: b.k }
      : variable === b.u
        ? { name: "U_m", toGlia: b.k }
        : undefined;
  if (variable === b.v) return { name: "V_m", toGlia: 1e-3 };
  if (b.model === "hh_psc_alpha") {
    const gate = { [b.m]: "Act_m", [b.h]: "Inact_h", [b.n]: "Act_n" }[variable];
    if (gate) return { name: gate, toGlia: 1 };
    const s = b.syn.find((x) => x.i === variable);
    return s ? { name: `I_syn_${s.port}`, toGlia: 1e-12 / s.scale } : undefined;
  }
  const aeif = b.model === "aeif_cond_exp" || b.model === "aeif_cond_alpha_astro";
  if (aeif && variable === b.w) return { name: "w", toGlia: 1e-12 / b.wScale };
  if (b.model === "iaf_cond_exp" || aeif) {
    const g = b.syn.find((x) => x.name === variable);
    return g ? { name: `g_${g.port}`, toGlia: 1e-9 / g.scale } : undefined;
  }
  const syn = b.syn.find((x) => x.name === variable);
  return syn ? { name: `I_syn_${syn.port}`, toGlia: 1e-12 / syn.scale } : undefined;
}

export function nestScript(
  ir: IRProgram,
  bindings: Map<string, Binding>,
  data: NetworkData,
  file: string,
  stp: ReadonlyMap<string, TsodyksBinding> = new Map(),
  astro: AstroPlan = { astro: new Map(), sic: new Map(), ensheathed: new Map() },
  nestmlSyn: ReadonlyMap<string, NestmlSynapseBinding> = new Map(),
  module?: NestmlModule,
  /** SYNAPSE_RECORDS and SYNAPSE_HEADER (targets/export/synapse-records.ts; engine item: (model, pre, post,
   *  variable), the NESTML synapse's value in SI). */
  synapseRecords: string[] = [`SYNAPSE_RECORDS = []`, `SYNAPSE_HEADER = ""`],
  /** continuous couplings, evaluated by run.py before every step (couplings.ts) */
  couplings: ReadonlyMap<string, Coupling> = new Map(),
): string {
  const out: string[] = [];
  out.push(`#!/usr/bin/env python3`);
  out.push(`"""${ir.network}: a PyNEST script exported by glia (\`glia export ${file} --to nest\`).`);
  out.push(``);
  out.push(
    `Neurons and synapses are NEST built-ins (${[...new Set([...bindings.values()].map((b) => b.model))].filter((m) => m !== "nestml").join(", ")}${stp.size > 0 ? ", tsodyks2_synapse" : ""}), chosen because their equations equal glia's (see README.md),`,
  );
  out.push(
    module
      ? `or NESTML models written from glia's equations (nestml/*.nestml: ${module.files.map((f) => f.path.replace(/^nestml\/|\.nestml$/g, "")).join(", ")}),\nbuilt by NESTML into the module ${module.name} the first time the script runs (nestml_build/);`
      : `no NESTML models;`,
  );
  out.push(`connectivity, delays and initial values are glia's own (data/*.csv, seed ${ir.seed}). Run:`);
  out.push(`    python run.py [--out DIR] [--steps N] [--threads T]`);
  out.push(
    `With a NEST built with MPI: \`mpirun -np P python run.py --vps V\` (the same spikes for every P dividing V).`,
  );
  out.push(`"""`);
  out.push(PRELUDE);
  out.push(PY_CURRENTS);
  out.push(PY_RELAYS);
  out.push(`NETWORK = ${JSON.stringify(ir.network)}`);
  out.push(`DT = ${ir.dt}  # s`);
  out.push(`STEPS = ${ir.steps}`);
  out.push(`SEED = ${ir.seed}`);
  out.push(`SIZES = {${[...ir.groups, ...ir.sources].map((p) => `${JSON.stringify(p.name)}: ${p.size}`).join(", ")}}`);
  out.push(`POISSON = "glia"  # or "nest": see --poisson`);
  out.push(`SOURCES = ${JSON.stringify(ir.sources.map((s) => s.name))}`);
  out.push(
    `UNRECORDED = ${JSON.stringify(ir.sources.filter((s) => s.k === "poisson_count").map((s) => s.name))}  # poisson_generators: summary.json gives no count`,
  );
  out.push(`ASTROCYTES = ${JSON.stringify([...astro.astro.keys()])}  # no spikes to record`);
  const spikeRecs = [...new Set(ir.monitors.filter((m) => m.k === "spikes").map((m) => m.target.population))];
  out.push(`SPIKE_RECORDS = ${JSON.stringify(spikeRecs)}`);
  // (population, start, end, every): rates.csv from the population's spike recorder
  const rateRecs = ir.monitors.filter((m) => m.k === "rate");
  out.push(
    `RATE_RECORDS = [${rateRecs.map((m) => `(${JSON.stringify(m.target.population)}, ${m.target.start}, ${m.target.end}, ${Math.max(1, Math.round(m.everySteps))})`).join(", ")}]`,
  );
  // (population, glia variable, NEST recordable, factor to glia's SI value, start, end, every)
  const stateRecs = ir.monitors
    .filter((m) => m.k === "state")
    .map((m) => {
      const r = recordable(bindings.get(m.target.population)!, m.variable!)!;
      return `(${JSON.stringify(m.target.population)}, ${JSON.stringify(m.variable)}, "${r.name}", ${r.toGlia}, ${m.target.start}, ${m.target.end}, ${Math.max(1, Math.round(m.everySteps))})`;
    });
  out.push(`STATE_RECORDS = [${stateRecs.join(", ")}]`);
  // NESTML projections: model, pre and post population, the synapse state variables (in SI, glia's values)
  const finals = ir.projections
    .filter((p) => nestmlSyn.has(p.name))
    .map((p) => {
      const vars = JSON.stringify(p.state.map((v) => v.name));
      return `${JSON.stringify(p.name)}: (${JSON.stringify(module!.nestName.get(p.name))}, ${JSON.stringify(p.pre.population)}, ${JSON.stringify(p.post.population)}, ${vars})`;
    });
  out.push(`NESTML_PROJECTIONS = {${finals.join(", ")}}`);
  out.push(...synapseRecords);
  out.push(
    `NESTML = ${module ? `{"module": ${JSON.stringify(module.name)}, "files": ${JSON.stringify(module.files.map((f) => f.path))}, "pairs": ${JSON.stringify(module.pairs)}, "synapses": ${JSON.stringify([...new Set([...nestmlSyn.values()].map((b) => b.name))])}, "state": ${JSON.stringify(module.synapseState)}}` : "None"}`,
  );
  out.push(``);
  out.push(``);
  out.push(
    couplingPython([...couplings.values()], (pop, input) => {
      const b = bindings.get(pop);
      return b?.model === "nestml" && b.ports.has(input);
    }),
  );
  out.push(``);
  out.push(``);
  out.push(modulatorPython(ir, bindings));
  out.push(``);
  out.push(``);
  out.push(`def build(data):`);
  out.push(
    `    """Creates the nodes and connections; returns {population: NodeCollection}, {population: spike_recorder}."""`,
  );
  out.push(`    nodes = {}`);
  out.push(`    HEAD.clear()`, `    DONE[0] = 0`, `    RELAYS.clear()`);
  out.push(`    recorders = {}`);
  for (const g of ir.groups) {
    const b = bindings.get(g.name)!;
    if (b.model === "astrocyte_lr_1994") {
      out.push(...astroGroup(g, b, astro, ir.projections));
      continue;
    }
    if (b.model === "nestml") {
      out.push(...nestmlGroupLines(g, b, module!.nestName.get(g.name)!, data));
      continue;
    }
    if (b.model === "izhikevich") {
      const p = { a: b.a, b: b.b, c: b.c, d: b.d, V_th: b.vTh, I_e: b.iE, V_min: -1.7976931348623157e308 };
      out.push(
        `    # population ${g.name}: ${g.model}[${g.size}] = izhikevich (V_m = ${b.v} / ${b.k}, U_m = ${b.u} / ${b.k}; forward Euler)`,
      );
      out.push(`    pop = nest.Create("izhikevich", ${g.size}, params=${pyDict(p)})`);
      out.push(`    pop.consistent_integration = True`);
      out.push(`    init = load(data, "pop_${g.name}.csv")`);
      out.push(`    setp(pop, "V_m", init[${JSON.stringify(b.v)}] / ${b.k})`);
      out.push(`    setp(pop, "U_m", init[${JSON.stringify(b.u)}] / ${b.k})`);
      out.push(`    nodes[${JSON.stringify(g.name)}] = pop`);
      out.push(``);
      continue;
    }
    if (b.model === "iaf_cond_exp" || b.model === "aeif_cond_exp" || b.model === "aeif_cond_alpha_astro") {
      out.push(...condGroup(g, b, ir.dt));
      continue;
    }
    if (b.model === "hh_psc_alpha") {
      out.push(...hhGroup(g, b, ir.dt));
      continue;
    }
    const ex = b.syn.find((s) => s.port === "ex");
    const inh = b.syn.find((s) => s.port === "in");
    const params: Record<string, number> = {
      C_m: Number((C_M * 1e12).toPrecision(15)),
      tau_m: ms(b.tauM),
      E_L: mV(b.eL),
      V_th: mV(b.vTh),
      V_reset: mV(b.vReset),
      // glia integrates again in step s + steps after a spike in step s, NEST after t_ref/dt clamped steps
      t_ref: ms(Math.max(0, b.tRefSteps - 1) * ir.dt),
      tau_syn_ex: ms((ex ?? inh)?.tau ?? 2e-3),
      tau_syn_in: ms((inh ?? ex)?.tau ?? 2e-3),
      I_e: 0,
    };
    out.push(
      `    # population ${g.name}: ${g.model}[${g.size}] = iaf_psc_exp (V_m = ${b.v}${b.syn.map((s) => `, I_syn_${s.port} = ${(s.scale * 1e12).toPrecision(6)} pA per unit of ${s.name}`).join("")})`,
    );
    out.push(`    pop = nest.Create("iaf_psc_exp", ${g.size}, params=${pyDict(params)})`);
    out.push(`    init = load(data, "pop_${g.name}.csv")`);
    out.push(`    setp(pop, "V_m", init[${JSON.stringify(b.v)}] * 1e3)`);
    out.push(`    nodes[${JSON.stringify(g.name)}] = pop`);
    out.push(``);
  }
  // a source whose synapses all have a delay of at least one step is stamped as NEST stamps a neuron's spike (the end
  // of glia's step) with glia's delay, which keeps a spike in step 0; one with a zero-delay synapse one step early
  // with one step more delay (a spike in step 0 then acts one step late: NEST cannot emit at t = 0)
  const early = new Set(
    ir.sources
      .filter((s) =>
        ir.projections.some(
          (p) => p.pre.population === s.name && [...data.projections.get(p.name)!.delays].some((d) => d < 1),
        ),
      )
      .map((s) => s.name),
  );
  // NEST's spike_generator sends only through static synapses: an input feeding a tsodyks2_synapse is stamped one
  // step early and repeated by a parrot_neuron one step later (a neuron's stamp), with glia's delay from there
  const parrot = new Set(
    ir.projections.filter((p) => stp.has(p.name) || nestmlSyn.has(p.name)).map((p) => p.pre.population),
  );
  for (const name of parrot) early.delete(name);
  for (const s of ir.sources) {
    if (s.k === "poisson_count") {
      // count-sources.ts: one synapse per element at most, static, the source unrecorded
      early.delete(s.name);
      out.push(
        `    # input ${s.name}: poisson_count[${s.size}]: one poisson_generator per distinct rate; NEST draws an independent`,
        `    # Poisson train for each connection (each element's one synapse), with multiplicity: glia's counts in distribution`,
        `    rates = load(data, "src_${s.name}.csv")["rate_hz"]`,
        `    gen = np.zeros(${s.size}, dtype=np.int64)`,
        `    for rate in np.unique(rates):`,
        `        gen[rates == rate] = nest.Create("poisson_generator", params={"rate": float(rate)}).tolist()[0]`,
        `    nodes[${JSON.stringify(s.name)}] = gen  # node ids, one per element (its rate's generator)`,
        ``,
      );
      continue;
    }
    if (s.k === "poisson") {
      out.push(
        `    # input ${s.name}: Poisson[${s.size}]: by default the spikes glia's generator drew, one step early (see the`,
      );
      out.push(
        `    # header); with --poisson nest, NEST's poisson_generator draws them: one train per element (a parrot_neuron`,
      );
      out.push(
        `    # repeats it to every target, as glia's element does), statistically glia's input, not step for step`,
      );
      out.push(`    if POISSON == "nest":`);
      out.push(`        rates = load(data, "src_${s.name}.csv")["rate_hz"]`);
      out.push(`        gen = nest.Create("parrot_neuron", ${s.size})`);
      out.push(`        for rate in np.unique(rates):`);
      out.push(`            pg = nest.Create("poisson_generator", params={"rate": float(rate)})`);
      out.push(
        `            nest.Connect(pg, gen[[int(e) for e in np.nonzero(rates == rate)[0]]], syn_spec={"delay": DT * 1e3})`,
      );
      out.push(`        recorders[${JSON.stringify(s.name)}] = nest.Create("spike_recorder")`);
      out.push(`        nest.Connect(gen, recorders[${JSON.stringify(s.name)}])`);
      out.push(`    else:`);
      out.push(...sourceReplay(s, `poisson_${s.name}.csv`, "        ", early.has(s.name), parrot.has(s.name)));
      out.push(`    nodes[${JSON.stringify(s.name)}] = gen`);
      out.push(``);
      continue;
    }
    out.push(
      `    # input ${s.name}: spike list[${s.size}], ${parrot.has(s.name) ? "through parrot_neurons (plastic synapses)" : early.has(s.name) ? "one step early (see the header)" : "stamped at the end of glia's step"}`,
    );
    out.push(...sourceReplay(s, `src_${s.name}.csv`, "    ", early.has(s.name), parrot.has(s.name)));
    out.push(`    nodes[${JSON.stringify(s.name)}] = gen`);
    out.push(``);
  }
  ir.currents.forEach((c, n) =>
    out.push(...stimulusLines(ir, c, n, bindings.get(c.target.population) as NestmlBinding | IafBinding)),
  );
  for (const p of ir.projections)
    out.push(
      ...(couplings.has(p.name)
        ? couplingLoadLines(couplings.get(p.name)!)
        : astro.sic.has(p.name)
          ? sicLines(p, astro, data.projections.get(p.name)!.n)
          : nestmlSyn.has(p.name)
            ? nestmlProjectionLines(p, nestmlSyn.get(p.name)!, module!, bindings, data, early)
            : projectionLines(p, bindings, data, early, stp.get(p.name), astro.ensheathed.get(p.name))),
    );
  out.push(`    for name in nodes:`);
  out.push(`        if name not in SOURCES and name not in ASTROCYTES:`);
  out.push(`            recorders[name] = nest.Create("spike_recorder")`);
  out.push(`            nest.Connect(nodes[name], recorders[name])`);
  out.push(`    load_modulator_inputs(data, recorders)  # modulators.ts: what rate(POP) counts`);
  out.push(
    `    # multimeters: NEST samples the state at the end of each step, which is glia's value at the start of the next`,
  );
  out.push(`    meters = []`);
  out.push(`    for pop, var, rec, factor, start, end, every in STATE_RECORDS:`);
  out.push(`        m = nest.Create("multimeter", params={"record_from": [rec], "interval": DT * 1e3})`);
  out.push(`        nest.Connect(m, nodes[pop][start:end])`);
  out.push(`        meters.append(m)`);
  out.push(`    return nodes, recorders, meters`);
  out.push(POSTLUDE);
  return out.join("\n");
}

/** The `build` lines of one projection: static_synapse connections of glia's synapses, weights and delays. */
function projectionLines(
  p: IRProgram["projections"][number],
  bindings: Map<string, Binding>,
  data: NetworkData,
  early: ReadonlySet<string>,
  tsodyks: TsodyksBinding | undefined,
  /** the astrocyte group of a tripartite (ensheathed) projection */
  third?: string,
): string[] {
  const lines: string[] = [];
  // a tsodyks2_synapse sends A u x: its weight is A (the amount at u = x = 1); its u is the utilization the next
  // spike sends with, so glia's u = 0 before the first spike is NEST's u = U (measured: NEST's u = 0 sends 0 first)
  const sw = staticWeight(p) ?? { target: tsodyks!.target, weight: { k: "num" as const, v: tsodyks!.weight } };
  const b = bindings.get(p.post.population)!;
  // synapses onto astrocytes are refused (index.ts) except the tripartite third_in connections (script-astro.ts)
  if (b.model === "astrocyte_lr_1994") throw new Error(`internal: a static synapse onto astrocytes (${p.name})`);
  // izhikevich: a weight adds to V_m (mV per unit of glia's v); iaf_psc_exp: to a current (pA); iaf_cond_exp: to
  // a conductance (nS), g_in by a negative weight's magnitude
  const cond =
    b.model === "iaf_cond_exp" || b.model === "aeif_cond_exp"
      ? b.syn.find((x) => x.name === sw.target)!
      : b.model === "aeif_cond_alpha_astro"
        ? alphaWeight(b.syn.find((x) => x.d === sw.target)!)
        : undefined;
  // hh_psc_alpha: a weight w (pA) adds w e / tau to dI_syn (pA/ms); glia's jump J of di adds c J to i' (per s)
  const hhSyn = b.model === "hh_psc_alpha" ? b.syn.find((x) => x.di === sw.target)! : undefined;
  const syn =
    b.model === "nestml"
      ? { port: b.ports.get(sw.target)!, scale: 1e-12 } // SI: the weight unchanged
      : b.model === "hh_psc_alpha"
        ? { port: `I_syn_${hhSyn!.port}`, scale: (hhSyn!.scale * hhSyn!.c * hhSyn!.tau) / Math.E }
        : b.model === "izhikevich"
          ? { port: "V_m", scale: 1e-12 / b.k }
          : cond
            ? { port: `g_${cond.port}`, scale: (cond.port === "in" ? -1 : 1) * cond.scale * 1e-3 }
            : {
                ...b.syn.find((x) => x.name === sw.target)!,
                port: `I_syn_${b.syn.find((x) => x.name === sw.target)!.port}`,
              };
  const info = data.projections.get(p.name)!;
  const fromEarly = early.has(p.pre.population);
  let weight: string;
  if (info.columns.length === 0 || tsodyks) {
    const w = evalExpr(sw.weight, (r) => info.scalars.get(r.name));
    weight = `${w * syn.scale * 1e12}`;
  } else {
    // a weight per synapse: the one column the weight expression reads
    const col = info.columns.find((c) => JSON.stringify(sw.weight).includes(`"name":"${c}"`)) ?? info.columns[0]!;
    weight = `syn[${JSON.stringify(col)}] * ${syn.scale * 1e12}`;
  }
  const receptor =
    b.model === "nestml"
      ? `"receptor_type": receptor(nodes[${JSON.stringify(p.post.population)}], "${syn.port}"), `
      : "";
  const model = tsodyks
    ? `{"synapse_model": "tsodyks2_synapse", "U": ${tsodyks.U}, "tau_rec": ${ms(tsodyks.tauRec)}, "tau_fac": ${ms(tsodyks.tauFac)}, "u": ${tsodyks.U}, "x": 1.0, ${receptor}`
    : `{"synapse_model": "static_synapse", ${receptor}`;
  lines.push(
    tsodyks
      ? `    # projection ${p.name}: ${p.pre.population} -> ${p.post.population} (${p.synapse}: Tsodyks-Markram, post.${sw.target} += A u x) as tsodyks2_synapse onto ${syn.port}, ${info.n} synapses`
      : `    # projection ${p.name}: ${p.pre.population} -> ${p.post.population} (${p.synapse}: post.${sw.target} += w) as static_synapse onto ${syn.port}, ${info.n} synapses`,
  );
  lines.push(`    syn = load(data, "proj_${p.name}.csv")`);
  lines.push(`    if len(syn["pre"]):`);
  lines.push(
    `        pre = np.asarray(nodes[${JSON.stringify(p.pre.population)}].tolist())[syn["pre"].astype(np.int64)]`,
  );
  lines.push(
    `        post = np.asarray(nodes[${JSON.stringify(p.post.population)}].tolist())[syn["post"].astype(np.int64)]`,
  );
  lines.push(`        delay = ${fromEarly ? `(syn["delay"] + 1)` : `np.maximum(syn["delay"], 1)`} * DT * 1e3`);
  lines.push(`        weight = np.broadcast_to(np.asarray(${weight}, dtype=float), pre.shape).copy()`);
  if (cond)
    lines.push(
      `        if (weight * ${Math.sign(syn.scale)} < 0).any():`,
      `            raise SystemExit("${p.name}: a negative weight onto the conductance ${sw.target} (iaf_cond_exp's conductances only jump up)")`,
    );
  lines.push(`        nest.Connect(pre, post, "one_to_one", ${model}"weight": weight, "delay": delay})`);
  if (third) lines.push(...thirdInLines(third));
  lines.push(``);
  return lines;
}

/** A NESTML population: the module's model, each parameter and state variable (scalars from glia's values, the
 *  rest from data/), in SI as glia holds them (nestml.ts). */
function nestmlGroupLines(
  g: IRProgram["groups"][number],
  b: NestmlBinding,
  model: string,
  data: NetworkData,
): string[] {
  const scalars = data.groupScalars.get(g.name)!;
  const fixed: Record<string, number> = {};
  for (const v of g.params) if (scalars.has(v.name)) fixed[nestVariable(v.name)] = scalars.get(v.name)!;
  const columns = [...g.params.filter((v) => !scalars.has(v.name)), ...g.state].map((v) => v.name);
  return [
    `    # population ${g.name}: ${g.model}[${g.size}] = the NESTML neuron ${model} (nestml/${b.name}.nestml)`,
    `    pop = nest.Create(${JSON.stringify(model)}, ${g.size}${Object.keys(fixed).length > 0 ? `, params=${pyDict(fixed)}` : ""})`,
    `    init = load(data, "pop_${g.name}.csv")`,
    ...columns.map((c) => `    setp(pop, "${nestVariable(c)}", init[${JSON.stringify(c)}])`),
    `    nodes[${JSON.stringify(g.name)}] = pop`,
    ``,
  ];
}

/** A projection through a NESTML synapse: its parameters and state per connection (NEST's units), the post
 *  variable's port, glia's delay. The synapse emits the amount glia's \`on pre\` adds, already in NEST's units. */
function nestmlProjectionLines(
  p: IRProgram["projections"][number],
  b: NestmlSynapseBinding,
  module: NestmlModule,
  bindings: Map<string, Binding>,
  data: NetworkData,
  early: ReadonlySet<string>,
): string[] {
  const post = bindings.get(p.post.population) as NestmlBinding;
  const info = data.projections.get(p.name)!;
  const model = module.nestName.get(p.name)!;
  const fixed = [...info.scalars].filter(([n]) => b.variables.has(n)).map(([n, v]) => `"${n}": ${v}`);
  const cols = info.columns.filter((c) => b.variables.has(c)).map((c) => `"${c}": syn[${JSON.stringify(c)}]`);
  return [
    `    # projection ${p.name}: ${p.pre.population} -> ${p.post.population} (${p.synapse}) as the NESTML synapse ${model} onto ${post.ports.get(b.target)}, ${info.n} synapses`,
    `    syn = load(data, "proj_${p.name}.csv")`,
    `    if len(syn["pre"]):`,
    `        pre = np.asarray(nodes[${JSON.stringify(p.pre.population)}].tolist())[syn["pre"].astype(np.int64)]`,
    `        post = np.asarray(nodes[${JSON.stringify(p.post.population)}].tolist())[syn["post"].astype(np.int64)]`,
    `        delay = ${early.has(p.pre.population) ? `(syn["delay"] + 1)` : `np.maximum(syn["delay"], 1)`} * DT * 1e3`,
    ...(b.relay ? relayLines(p) : []),
    `        spec = {"synapse_model": ${JSON.stringify(model)}, "receptor_type": receptor(nodes[${JSON.stringify(p.post.population)}], "${post.ports.get(b.target)}"), "delay": delay}`,
    `        spec.update({${[...fixed, ...cols].join(", ")}})`,
    `        spec = {k: (np.broadcast_to(np.asarray(v, dtype=float), pre.shape).copy() if k != "synapse_model" and k != "receptor_type" else v) for k, v in spec.items()}`,
    `        nest.Connect(pre, post, "one_to_one", spec)`,
    ``,
  ];
}

/** An alpha conductance as its synapses see it: a glia jump J of d is NEST's weight J c tau / e (nS; NEST adds W e /
 *  tau to dg), so the weight per unit of J is scale c tau / e in place of an exponential conductance's scale. */
function alphaWeight(s: AeifSyn): AeifSyn {
  return { ...s, scale: (s.scale * s.c! * s.tau) / Math.E };
}

/** An iaf_cond_exp, aeif_cond_exp or aeif_cond_alpha_astro population: parameters in NEST's units, V_m, w and the
 *  conductances (and their derivatives) from data/. */
function condGroup(g: IRProgram["groups"][number], b: CondBinding | AeifBinding, dt: number): string[] {
  const ex = b.syn.find((s) => s.port === "ex");
  const inh = b.syn.find((s) => s.port === "in");
  const cm = Number(((b.model === "iaf_cond_exp" ? C_M : b.cm) * 1e12).toPrecision(15));
  const nS = (x: number): number => Number((x * 1e9).toPrecision(15));
  const pA = (x: number): number => Number((x * 1e12).toPrecision(15));
  const common: Record<string, number> = {
    C_m: cm,
    E_L: mV(b.eL),
    V_reset: mV(b.vReset),
    t_ref: ms(Math.max(0, b.tRefSteps - 1) * dt),
    E_ex: mV(ex?.eRev ?? 0),
    E_in: mV(inh?.eRev ?? -0.085),
    tau_syn_ex: ms(ex?.tau ?? 2e-4),
    tau_syn_in: ms(inh?.tau ?? 2e-3),
  };
  const params: Record<string, number> =
    b.model === "iaf_cond_exp"
      ? { ...common, g_L: nS(C_M / b.tauM), V_th: mV(b.vTh), I_e: 0 }
      : {
          ...common,
          g_L: nS(b.gL),
          Delta_T: mV(b.deltaT),
          V_th: mV(b.vT),
          V_peak: mV(b.vPeak),
          a: nS(b.a),
          b: pA(b.b),
          tau_w: ms(b.tauW),
          I_e: pA(b.iE),
        };
  return [
    `    # population ${g.name}: ${g.model}[${g.size}] = ${b.model} (V_m = ${b.v}${b.model !== "iaf_cond_exp" ? `, w = ${(b.wScale * 1e12).toPrecision(6)} pA per unit of ${b.w}` : ""}${b.syn.map((s) => `, g_${s.port} = ${(s.scale * 1e9).toPrecision(6)} nS per unit of ${s.name}`).join("")}${b.model === "aeif_cond_alpha_astro" ? `, I_SIC = ${b.sic}` : ""}; GSL adaptive RKF45)`,
    `    pop = nest.Create("${b.model}", ${g.size}, params=${pyDict(params)})`,
    `    init = load(data, "pop_${g.name}.csv")`,
    `    setp(pop, "V_m", init[${JSON.stringify(b.v)}] * 1e3)`,
    ...(b.model !== "iaf_cond_exp" ? [`    setp(pop, "w", init[${JSON.stringify(b.w)}] * ${b.wScale * 1e12})`] : []),
    ...b.syn.map((s) => `    pop.g_${s.port} = list(init[${JSON.stringify(s.name)}] * ${s.scale * 1e9})`),
    // NEST's dg (nS/ms) is c d with c (per s) and the conductance's scale (S per unit of g)
    ...(b.syn as AeifSyn[])
      .filter((s) => s.d !== undefined)
      .map((s) => `    pop.dg_${s.port} = list(init[${JSON.stringify(s.d)}] * ${s.scale * s.c! * 1e6})`),
    `    nodes[${JSON.stringify(g.name)}] = pop`,
    ``,
  ];
}

/** An hh_psc_alpha population: parameters in NEST's units, V_m and the gates from data/. */
function hhGroup(g: IRProgram["groups"][number], b: HhBinding, dt: number): string[] {
  const nS = (x: number): number => Number((x * 1e9).toPrecision(15));
  const ex = b.syn.find((s) => s.port === "ex");
  const inh = b.syn.find((s) => s.port === "in");
  const params: Record<string, number> = {
    C_m: Number((HH_C_M * 1e12).toPrecision(15)),
    g_Na: nS(b.gNa),
    g_K: nS(b.gK),
    g_L: nS(b.gL),
    E_Na: mV(b.eNa),
    E_K: mV(b.eK),
    E_L: mV(b.eL),
    t_ref: ms(Math.max(0, b.tRefSteps - 1) * dt),
    tau_syn_ex: ms((ex ?? inh)?.tau ?? 2e-4),
    tau_syn_in: ms((inh ?? ex)?.tau ?? 2e-3),
    I_e: 0,
  };
  return [
    `    # population ${g.name}: ${g.model}[${g.size}] = hh_psc_alpha (V_m = ${b.v}, Act_m = ${b.m}, Inact_h = ${b.h}, Act_n = ${b.n}${b.syn.map((s) => `, I_syn_${s.port} = ${(s.scale * 1e12).toPrecision(6)} pA per unit of ${s.i}`).join("")}; GSL adaptive RKF45; spikes at V's peak above 0 mV)`,
    `    pop = nest.Create("hh_psc_alpha", ${g.size}, params=${pyDict(params)})`,
    `    init = load(data, "pop_${g.name}.csv")`,
    `    setp(pop, "V_m", init[${JSON.stringify(b.v)}] * 1e3)`,
    `    setp(pop, "Act_m", init[${JSON.stringify(b.m)}])`,
    `    setp(pop, "Inact_h", init[${JSON.stringify(b.h)}])`,
    `    setp(pop, "Act_n", init[${JSON.stringify(b.n)}])`,
    `    nodes[${JSON.stringify(g.name)}] = pop`,
    ``,
  ];
}

/** spike_generators replaying a spike list glia wrote (steps), stamped one step early or at the step's end. */
function sourceReplay(
  s: IRProgram["sources"][number],
  file: string,
  pad: string,
  early: boolean,
  parrot: boolean,
): string[] {
  return [
    `src = load(data, ${JSON.stringify(file)})`,
    `gen = nest.Create("spike_generator", ${s.size})`,
    `for e in range(${s.size}):`,
    `    k = src["step"][src["index"] == e]`,
    early || parrot
      ? `    gen[e].spike_times = list(np.maximum(k, 1) * DT * 1e3)`
      : `    gen[e].spike_times = list((k + 1) * DT * 1e3)`,
    ...(parrot
      ? [
          `# parrot_neurons repeat the spikes one step later, at the end of glia's step (a spike in step 0 one step late)`,
          `par = nest.Create("parrot_neuron", ${s.size})`,
          `nest.Connect(gen, par, "one_to_one", syn_spec={"delay": DT * 1e3})`,
          `gen = par`,
        ]
      : []),
  ].map((l) => pad + l);
}

const pyDict = (o: Record<string, number>): string =>
  `{${Object.entries(o)
    .map(([k, v]) => `"${k}": ${v}`)
    .join(", ")}}`;
