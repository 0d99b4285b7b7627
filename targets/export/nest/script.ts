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

import { stimulatedInputs, type NestmlBinding } from "./nestml.js";
import type { NestmlModule } from "./nestml-module.js";

/** A group matched to a NEST built-in, or written as a NESTML neuron. */
export type Binding = IafBinding | IzhBinding | CondBinding | AeifBinding | HhBinding | AstroBinding | NestmlBinding;
import { PY_JSNUM, PY_LOAD, PY_RATES, PY_SYNAPSES } from "../python-num.js";

/** SI to NEST's units, rounded to 15 digits (0.0049 s is 4.9 ms, not 4.8999999999999995). */
const ms = (s: number): number => Number((s * 1e3).toPrecision(15));
const mV = (v: number): number => Number((v * 1e3).toPrecision(15));

/** A glia state variable as a NEST recordable: its name and the factor from NEST's value to glia's SI value. */
export function recordable(b: Binding, variable: string): { name: string; toGlia: number } | undefined {
  if (b.model === "astrocyte_lr_1994") return astroRecordable(b, variable);
  if (b.model === "nestml") {
    const f = b.scale.get(variable);
    return f === undefined || !b.text.includes(`\n        ${variable} `)
      ? undefined
      : { name: variable, toGlia: 1 / f };
  }
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
  nestmlSyn: ReadonlyMap<string, NestmlBinding & { target: string }> = new Map(),
  module?: NestmlModule,
  /** SYNAPSE_RECORDS and SYNAPSE_HEADER (targets/export/synapse-records.ts; engine item: (model, pre, post,
   *  variable, factor to glia's SI value)). */
  synapseRecords: string[] = [`SYNAPSE_RECORDS = []`, `SYNAPSE_HEADER = ""`],
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
  out.push(`NETWORK = ${JSON.stringify(ir.network)}`);
  out.push(`DT = ${ir.dt}  # s`);
  out.push(`STEPS = ${ir.steps}`);
  out.push(`SEED = ${ir.seed}`);
  out.push(`SIZES = {${[...ir.groups, ...ir.sources].map((p) => `${JSON.stringify(p.name)}: ${p.size}`).join(", ")}}`);
  out.push(`POISSON = "glia"  # or "nest": see --poisson`);
  out.push(`SOURCES = ${JSON.stringify(ir.sources.map((s) => s.name))}`);
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
  // NESTML projections: model, pre and post population, each synapse state variable's factor to glia's SI value
  const finals = ir.projections
    .filter((p) => nestmlSyn.has(p.name))
    .map((p) => {
      const b = nestmlSyn.get(p.name)!;
      const vars = p.state.map((v) => `${JSON.stringify(v.name)}: ${1 / b.scale.get(v.name)!}`).join(", ");
      return `${JSON.stringify(p.name)}: (${JSON.stringify(module!.nestName.get(p.name))}, ${JSON.stringify(p.pre.population)}, ${JSON.stringify(p.post.population)}, {${vars}})`;
    });
  out.push(`NESTML_PROJECTIONS = {${finals.join(", ")}}`);
  out.push(...synapseRecords);
  out.push(
    `NESTML = ${module ? `{"module": ${JSON.stringify(module.name)}, "files": ${JSON.stringify(module.files.map((f) => f.path))}, "pairs": ${JSON.stringify(module.pairs)}, "synapses": ${JSON.stringify([...nestmlSyn.values()].map((b) => b.name))}}` : "None"}`,
  );
  out.push(``);
  out.push(``);
  out.push(`def build(data):`);
  out.push(
    `    """Creates the nodes and connections; returns {population: NodeCollection}, {population: spike_recorder}."""`,
  );
  out.push(`    nodes = {}`);
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
  ir.currents.forEach((c, n) => out.push(...currentLines(ir, c, n)));
  for (const p of ir.projections)
    out.push(
      ...(astro.sic.has(p.name)
        ? sicLines(p, astro, data.projections.get(p.name)!.n)
        : nestmlSyn.has(p.name)
          ? nestmlProjectionLines(p, nestmlSyn.get(p.name)!, module!, bindings, data, early)
          : projectionLines(p, bindings, data, early, stp.get(p.name), astro.ensheathed.get(p.name))),
    );
  out.push(`    for name in nodes:`);
  out.push(`        if name not in SOURCES and name not in ASTROCYTES:`);
  out.push(`            recorders[name] = nest.Create("spike_recorder")`);
  out.push(`            nest.Connect(nodes[name], recorders[name])`);
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

/** A current stimulus (index.ts: only into a NESTML neuron, 0 at step 0): one dc_generator per stretch of a nonzero
 *  value, into the input's continuous port (the NEST that test/peers/install.sh builds has no step_current_generator).
 *  Measured on NEST 3.10 with a one-step delay: a dc_generator with start S and stop E is read by the NESTML
 *  neuron's updates of steps S/dt + 1 to E/dt (a device's current takes effect one step after its start), so glia's
 *  value in force from step s to step s' is a generator from (s-1)*dt to (s'-1)*dt; hence step 0 is out of reach
 *  (index.ts refuses a nonzero value there). test/peers/export-nest-current.test.ts checks spike steps and v. The
 *  amplitude is glia's SI number, passed unchanged (NESTML's port multiplies it by the connection's weight 1). */
function currentLines(ir: IRProgram, c: IRProgram["currents"][number], n: number): string[] {
  const port = stimulatedInputs(ir.currents, c.target.population).indexOf(c.variable);
  return [
    `    # current stimulus ${n}: ${c.variable} of ${c.target.population}[${c.target.start}:${c.target.end}] (data/current_${n}.csv: the value from`,
    `    # each step on) = one dc_generator per stretch of a nonzero value, into the port stim_${c.variable.replace(/[^A-Za-z0-9_]/g, "_")}`,
    `    cur = load(data, "current_${n}.csv")`,
    `    at = {}`,
    `    for s, v in zip(cur["step"], cur["value"]):`,
    `        at[int(s)] = float(v)  # a later row at the same step replaces an earlier one, as in glia`,
    `    starts = sorted(at)`,
    `    params = []`,
    `    for i, s in enumerate(starts):`,
    `        if at[s] != 0 and s < STEPS:`,
    `            p = {"amplitude": at[s], "start": (s - 1) * DT * 1e3}  # one step early: see the header`,
    `            if i + 1 < len(starts):`,
    `                p["stop"] = (starts[i + 1] - 1) * DT * 1e3`,
    `            params.append(p)`,
    `    if params:`,
    `        gen = nest.Create("dc_generator", len(params), params=params)`,
    `        nest.Connect(gen, nodes[${JSON.stringify(c.target.population)}][${c.target.start}:${c.target.end}], syn_spec={"delay": DT * 1e3, "receptor_type": ${port}})`,
    ``,
  ];
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
      ? { port: b.ports.get(sw.target)!, scale: b.scale.get(sw.target)! * 1e-12 }
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
 *  rest from data/) in NEST's units (nestml.ts: SI times the dimension's scale). */
function nestmlGroupLines(
  g: IRProgram["groups"][number],
  b: NestmlBinding,
  model: string,
  data: NetworkData,
): string[] {
  const scalars = data.groupScalars.get(g.name)!;
  const fixed: Record<string, number> = {};
  for (const v of g.params) if (scalars.has(v.name)) fixed[v.name] = scalars.get(v.name)! * b.scale.get(v.name)!;
  const columns = [...g.params.filter((v) => !scalars.has(v.name)), ...g.state].map((v) => v.name);
  return [
    `    # population ${g.name}: ${g.model}[${g.size}] = the NESTML neuron ${model} (nestml/${b.name}.nestml)`,
    `    pop = nest.Create(${JSON.stringify(model)}, ${g.size}${Object.keys(fixed).length > 0 ? `, params=${pyDict(fixed)}` : ""})`,
    `    init = load(data, "pop_${g.name}.csv")`,
    ...columns.map((c) => `    setp(pop, "${c}", init[${JSON.stringify(c)}] * ${b.scale.get(c)!})`),
    `    nodes[${JSON.stringify(g.name)}] = pop`,
    ``,
  ];
}

/** A projection through a NESTML synapse: its parameters and state per connection (NEST's units), the post
 *  variable's port, glia's delay. The synapse emits the amount glia's \`on pre\` adds, already in NEST's units. */
function nestmlProjectionLines(
  p: IRProgram["projections"][number],
  b: NestmlBinding & { target: string },
  module: NestmlModule,
  bindings: Map<string, Binding>,
  data: NetworkData,
  early: ReadonlySet<string>,
): string[] {
  const post = bindings.get(p.post.population) as NestmlBinding;
  const info = data.projections.get(p.name)!;
  const model = module.nestName.get(p.name)!;
  const fixed = [...info.scalars].filter(([n]) => b.scale.has(n)).map(([n, v]) => `"${n}": ${v * b.scale.get(n)!}`);
  const cols = info.columns
    .filter((c) => b.scale.has(c))
    .map((c) => `"${c}": syn[${JSON.stringify(c)}] * ${b.scale.get(c)!}`);
  return [
    `    # projection ${p.name}: ${p.pre.population} -> ${p.post.population} (${p.synapse}) as the NESTML synapse ${model} onto ${post.ports.get(b.target)}, ${info.n} synapses`,
    `    syn = load(data, "proj_${p.name}.csv")`,
    `    if len(syn["pre"]):`,
    `        pre = np.asarray(nodes[${JSON.stringify(p.pre.population)}].tolist())[syn["pre"].astype(np.int64)]`,
    `        post = np.asarray(nodes[${JSON.stringify(p.post.population)}].tolist())[syn["post"].astype(np.int64)]`,
    `        delay = ${early.has(p.pre.population) ? `(syn["delay"] + 1)` : `np.maximum(syn["delay"], 1)`} * DT * 1e3`,
    `        spec = {"synapse_model": ${JSON.stringify(model)}, "receptor_type": receptor(nodes[${JSON.stringify(p.post.population)}], "${post.ports.get(b.target)}"), "delay": delay}`,
    `        spec.update({${[...fixed, ...cols].join(", ")}})`,
    `        spec = {k: (np.broadcast_to(np.asarray(v, dtype=float), pre.shape).copy() if k != "synapse_model" and k != "receptor_type" else v) for k, v in spec.items()}`,
    `        # NESTML moves a variable only \`on post\` changes (a postsynaptic trace) into the neuron: one per neuron, so it`,
    `        # must start equal on every synapse (0 here); it is left out of the synapse's values`,
    `        known = nest.GetDefaults(${JSON.stringify(model)})`,
    `        for k in [k for k in spec if k not in known and k != "synapse_model"]:`,
    `            if np.any(spec.pop(k) != 0):`,
    `                raise SystemExit("${p.name}: NESTML keeps %s in the postsynaptic neuron; glia's synapses start it at other values than 0" % k)`,
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
      ? `    gen[e].spike_times = list(np.maximum(k, 1e-9) * DT * 1e3)`
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

const PRELUDE = `import argparse
import json
import os
import sys
import time

import numpy as np
import nest

HERE = os.path.dirname(os.path.abspath(__file__))


${PY_LOAD}${PY_JSNUM}

def time_text(k):
    return jsnum(float("%.12g" % (k * DT)))


${PY_RATES}${PY_SYNAPSES}_LOADED = set()


def setp(pop, name, values):
    """Sets a per-node value (values in node order); under MPI only on the nodes this process owns."""
    values = np.asarray(values, dtype=float)
    if nest.NumProcesses() == 1:
        pop.set({name: list(values)})
        return
    local = nest.GetLocalNodeCollection(pop)
    if len(local):
        at = np.searchsorted(np.asarray(pop.tolist()), np.asarray(local.tolist()))
        local.set({name: list(values[at])})


def load_modules():
    """Builds the export's NESTML module (nestml/*.nestml) with NESTML the first time, into nestml_build/MODULE (the
    module's name is a hash of its models: a re-run loads the built library), and installs it into NEST."""
    if NESTML is None or NESTML["module"] in _LOADED:
        return
    # GLIA_NESTML_CACHE: a directory shared by exports (the tests'), else nestml_build/ next to this script
    root = os.path.join(os.environ.get("GLIA_NESTML_CACHE") or os.path.join(HERE, "nestml_build"), NESTML["module"])
    lib = os.path.join(root, "install", NESTML["module"] + ".so")
    if not os.path.exists(lib) and nest.Rank() == 0:
        from pynestml.frontend.pynestml_frontend import generate_nest_target
        t = time.time()
        os.makedirs(os.path.join(root, "src"), exist_ok=True)
        try:
            generate_nest_target(input_path=[os.path.join(HERE, f) for f in NESTML["files"]],
                                 target_path=os.path.join(root, "src"), install_path=os.path.join(root, "install"),
                                 module_name=NESTML["module"], logging_level="ERROR",
                                 codegen_opts={"nest_version": "v" + nest.__version__,
                                               "neuron_synapse_pairs": NESTML["pairs"],
                                               "weight_variable": {n: "nest_weight" for n in NESTML["synapses"]}})
        except Exception as err:  # NESTML raises on some failures and only logs others: the library decides below
            print("nestml: %s" % err, file=sys.stderr, flush=True)
        if not os.path.exists(lib):
            sys.exit("nestml: building %s failed (NESTML's messages above): no %s" % (NESTML["module"], lib))
        print("nestml: built %s in %.1f s" % (NESTML["module"], time.time() - t), flush=True)
    if nest.NumProcesses() > 1:
        nest.SyncProcesses()
    nest.Install(lib[:-3])
    _LOADED.add(NESTML["module"])


def receptor(nodes, port):
    """The receptor type of a NESTML neuron's spike input port (0 when it has one port)."""
    types = nodes[0].get("receptor_types") if "receptor_types" in nodes[0].get() else {}
    for name, r in (types or {}).items():
        if name.lower() == port.lower():
            return r
    return 0`;

const POSTLUDE = `

def gather(out, devices):
    """The events of each recording device, from every MPI process (NEST records a neuron's events in the process
    that owns it): each process writes its own to OUT, rank 0 merges them after a barrier; other ranks get None."""
    local = {n: {k: np.asarray(v).tolist() for k, v in d.get("events").items()} for n, d in devices.items()}
    if nest.NumProcesses() == 1:
        return local
    os.makedirs(out, exist_ok=True)
    mine = os.path.join(out, ".events_rank%d.json" % nest.Rank())
    with open(mine, "w") as f:
        json.dump(local, f)
    nest.SyncProcesses()
    if nest.Rank() != 0:
        return None
    merged = {n: {k: [] for k in local[n]} for n in local}
    for r in range(nest.NumProcesses()):
        part = os.path.join(out, ".events_rank%d.json" % r)
        with open(part) as f:
            events = json.load(f)
        os.remove(part)
        for n in merged:
            for k in merged[n]:
                merged[n][k] += events[n][k]
    return merged


def run_recording(nodes, steps):
    """Runs up to the last step a synapse record is due at (the rest is the caller's), reading each record's
    connections at steps 0, every, ... : NEST's state after k steps, glia's at the start of step k. A NESTML synapse
    changes its state when a spike reaches it (a postsynaptic spike's change waits for the next presynaptic one, as
    the synapse is updated lazily). Connections are put in glia's synapse order (pre, post, then creation order).
    Returns (steps run, values per record: rows = recorded steps, columns = its synapses; None for parameters), or
    (steps run, None) under MPI (each process holds only its own connections)."""
    if not any(rec[4] is None for rec in SYNAPSE_RECORDS):
        return 0, [None] * len(SYNAPSE_RECORDS)
    if nest.NumProcesses() > 1:
        print("synapse records are not written under MPI", flush=True)
        return 0, None
    reads = []
    for proj, var, sel, every, source, suffix, eng in SYNAPSE_RECORDS:
        if source is not None:
            reads.append(None)
            continue
        model, pre, post, name, factor = eng
        conns = nest.GetConnections(source=nodes[pre], target=nodes[post], synapse_model=model)
        st = {k: np.atleast_1d(v) for k, v in conns.get(["source", "target", "port"]).items()}
        order = np.lexsort((st["port"], st["target"], st["source"]))
        if name not in nest.GetDefaults(model):
            raise SystemExit("record %s of %s: NESTML keeps %s outside the synapse" % (var, proj, name))
        reads.append((conns, order[np.asarray(list(sel), dtype=np.int64)], name, factor))
    points = sorted({k for rec in SYNAPSE_RECORDS if rec[4] is None for k in range(0, steps, rec[3])})
    values = [None if r is None else [] for r in reads]
    done = 0
    for k in points:
        if k > done:
            nest.Simulate(round((k - done) * DT * 1e3, 9))
            done = k
        for n, rec in enumerate(SYNAPSE_RECORDS):
            if reads[n] is not None and k % rec[3] == 0:
                conns, at, name, factor = reads[n]
                values[n].append(np.asarray(np.atleast_1d(conns.get(name)), dtype=float)[at] * factor)
    return done, values


def simulate(data, out, steps, seed, threads=1, poisson="glia", vps=None):
    """Builds the network from \`data\`, runs \`steps\` steps on \`threads\` threads (or \`vps\` virtual processes over
    the MPI processes), writes spikes.csv and summary.json (rank 0 under MPI; other ranks return None)."""
    global POISSON
    POISSON = poisson
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.SetKernelStatus({"resolution": DT * 1e3, "rng_seed": seed})
    if vps:
        # the same number of virtual processes gives the same network and spikes for any number of MPI processes
        nest.SetKernelStatus({"total_num_virtual_procs": vps})
    else:
        nest.SetKernelStatus({"local_num_threads": threads})
    load_modules()
    t0 = time.time()
    nodes, recorders, meters = build(data)
    t1 = time.time()
    # synapse records: the run in chunks, each record's connections read at the start of its steps (run_recording)
    syn_values = run_recording(nodes, steps)
    # multimeters hand over their samples one min_delay late: run that much longer, keep the first \`steps\` steps
    rest = round((steps - syn_values[0]) * DT * 1e3, 9) + (nest.GetKernelStatus("min_delay") if STATE_RECORDS else 0)
    if rest > 0:
        nest.Simulate(rest)
    t2 = time.time()
    events = gather(out, {**{"spikes " + n: r for n, r in recorders.items()}, **{"meter %d" % i: m for i, m in enumerate(meters)}})
    if events is None:
        return None
    os.makedirs(out, exist_ok=True)
    spikes = {}
    for name, rec in recorders.items():
        ev = events["spikes " + name]
        first = nodes[name].tolist()[0]
        k = np.rint(np.asarray(ev["times"]) / (DT * 1e3)).astype(np.int64) - 1  # NEST stamps the end of the step
        e = np.asarray(ev["senders"], dtype=np.int64) - first
        e, k = e[k < steps], k[k < steps]
        order = np.lexsort((e, k))
        spikes[name] = (k[order], e[order])
    for name in SOURCES:
        src = None
        for f in ("src_%s.csv" % name, "poisson_%s.csv" % name):
            if os.path.exists(os.path.join(data, f)) and "step" in open(os.path.join(data, f)).readline():
                src = load(data, f)
        if src is not None and name not in recorders:
            k = src["step"].astype(np.int64)
            e = src["index"].astype(np.int64)
            inside = k < steps
            spikes[name] = (k[inside], e[inside])
    lines = ["population,index,step,time_s"]
    for name in sorted(SPIKE_RECORDS):
        k, e = spikes[name]
        lines += ["%s,%d,%d,%s" % (name, e[x], k[x], time_text(k[x])) for x in range(len(k))]
    with open(os.path.join(out, "spikes.csv"), "w") as f:
        f.write("\\n".join(lines) + "\\n")
    if STATE_RECORDS:
        lines = ["population,variable,index,step,time_s,value"]
        for i, (pop, var, rec, factor, start, end, every) in enumerate(STATE_RECORDS):
            ev = events["meter %d" % i]
            first = nodes[pop].tolist()[0]
            values = np.full((steps, end - start), np.nan)
            values[0, :] = load(data, "pop_%s.csv" % pop)[var][start:end]
            k = np.rint(np.asarray(ev["times"]) / (DT * 1e3)).astype(np.int64)
            e = np.asarray(ev["senders"], dtype=np.int64) - first - start
            inside = k < steps
            values[k[inside], e[inside]] = np.asarray(ev[rec])[inside] * factor
            for k in range(0, steps, every):
                lines += ["%s,%s,%d,%d,%s,%s" % (pop, var, start + c, k, time_text(k), jsnum(values[k, c]))
                          for c in range(end - start)]
        with open(os.path.join(out, "traces.csv"), "w") as f:
            f.write("\\n".join(lines) + "\\n")
    if NESTML_PROJECTIONS and nest.NumProcesses() == 1:
        # the synapse state of NESTML projections at the end of the run (glia's SI values), one row per synapse
        lines = ["projection,pre,post,variable,value"]
        for proj, (model, pre, post, variables) in NESTML_PROJECTIONS.items():
            conns = nest.GetConnections(source=nodes[pre], target=nodes[post], synapse_model=model)
            variables = {v: f for v, f in variables.items() if v in nest.GetDefaults(model)}
            first_pre, first_post = nodes[pre].tolist()[0], nodes[post].tolist()[0]
            st = {k: np.atleast_1d(v) for k, v in conns.get(["source", "target"] + list(variables)).items()}
            order = np.lexsort((st["target"], st["source"]))
            for var, factor in variables.items():
                vals = np.asarray(st[var], dtype=float) * factor
                lines += ["%s,%d,%d,%s,%s" % (proj, st["source"][i] - first_pre, st["target"][i] - first_post, var,
                                              jsnum(vals[i])) for i in order]
        with open(os.path.join(out, "synapses_final.csv"), "w") as f:
            f.write("\\n".join(lines) + "\\n")
    if SYNAPSE_RECORDS and syn_values[1] is not None:
        with open(os.path.join(out, "synapses.csv"), "w") as f:
            f.write("\\n".join(synapse_lines(data, steps, syn_values[1])) + "\\n")
    if RATE_RECORDS:
        with open(os.path.join(out, "rates.csv"), "w") as f:
            f.write("\\n".join(rate_lines(RATE_RECORDS, spikes, steps)) + "\\n")
    populations = {}
    for name in sorted(nodes):
        n = SIZES[name]
        count = int(len(spikes[name][0])) if name in spikes else 0
        populations[name] = {"n": n, "spikes": count, "rate_hz": count / (n * steps * DT) if n and steps else 0.0}
    summary = {
        "network": NETWORK, "target": "nest", "nest_version": nest.__version__, "dt_s": DT, "steps": steps,
        "duration_s": steps * DT, "seed": seed, "threads": nest.GetKernelStatus("local_num_threads"),
        "processes": nest.NumProcesses(), "virtual_processes": nest.GetKernelStatus("total_num_virtual_procs"),
        "poisson": poisson, "populations": populations,
        "spikes_total": sum(p["spikes"] for p in populations.values()),
        "setup_wall_s": t1 - t0, "sim_wall_s": t2 - t1,
    }
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\\n")
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(HERE, "data"), help="glia's network files (default: data/)")
    ap.add_argument("--out", default=os.path.join(HERE, "out"), help="output directory (default: out/)")
    ap.add_argument("--steps", type=int, default=STEPS, help="steps of dt to run (default: the model's run)")
    ap.add_argument("--seed", type=int, default=SEED, help="NEST's rng_seed")
    ap.add_argument("--threads", type=int, default=1, help="NEST's local_num_threads")
    ap.add_argument("--vps", type=int, default=None,
                    help="NEST's total_num_virtual_procs, split over the MPI processes (mpirun -np P python run.py "
                         "--vps V: the same spikes for every P dividing V)")
    ap.add_argument("--poisson", choices=["glia", "nest"], default="glia",
                    help="Poisson inputs: glia's draws replayed (default, step for step) or NEST's poisson_generator")
    args = ap.parse_args()
    s = simulate(args.data, args.out, args.steps, args.seed, args.threads, args.poisson, args.vps)
    if s is not None:
        print(json.dumps({k: s[k] for k in ("network", "steps", "spikes_total", "sim_wall_s")}))


if __name__ == "__main__":
    main()
`;
