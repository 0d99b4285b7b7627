// A Brian2 script for a glia network. In: the continuous IR (equations as written), the methods solve-odes chose
// (from the discrete IR), the network files (targets/export/network-data.ts); out: run.py text. The caller has
// refused what Brian2 cannot express (check.ts), so every construct met here has a Brian2 form.
//
// glia's step (docs/internals.md) on Brian2's schedule (start, groups, thresholds, synapses, resets, end):
//   state monitors record at 'start' (the value at t_k);
//   phase 0: continuous couplings are summed variables (Brian2 runs them in 'groups' before the target's update,
//     reading pre/post state at t_k); current stimuli are TimedArrays read by the input's subexpression;
//   phase 1-2: state updaters, then thresholds (sources emit in 'thresholds' too); refractoriness as glia's
//     (k - lastSpike < steps, Brian2's rule); then every input is cleared (run_regularly at 'thresholds',
//     order 10), so what `on pre` adds into an input acts on the next step's update as in glia's reference;
//   phase 3: on_pre pathways (order -1, objects named in declaration order) before on_post (order 1);
//   phase 4: resets.
// An input some continuous coupling or current writes becomes a subexpression IN = IN_ev + IN_s0 + ... : the
// handlers' part IN_ev, one summed variable per coupling (Brian2 allows one summing Synapses per variable), the
// stimuli.

import type { IRExpr, IRGroup, IRModulator, IRProgram, IRProjection, IRStmt, Ref } from "../../../compiler/ir/nodes.js";
import type { Method } from "../../../compiler/builtins/settings.js";
import { forEachRef, forEachStmtExpr, forEachTarget, substitute } from "../../../compiler/ir/expr.js";
import { DIM, DIMENSIONLESS, brian2Unit, dimDiv, dimMul, exprDim, parseDim, type Dim } from "../dims.js";
import type { NetworkData } from "../network-data.js";
import { brian2Expr, type NameScope } from "./expr.js";
import { POSTLUDE, PRELUDE } from "./python.js";
import {
  modName,
  modulatorCode,
  modulatorCounters,
  modulatorEquations,
  modulatorLinks,
  modulatorSynapseEquations,
  modulatorSynapseLinks,
  synapseModName,
  synapseModulators,
} from "./modulators.js";
import {
  astroHandlerCode,
  astroLinkEquations,
  astroLinks,
  astroReadDim,
  astroReadName,
  exposeEquations,
} from "./astro-handlers.js";

const RESERVED = new Set(
  (
    "i j t dt N xi lastspike not_refractory delay lastupdate exp log sqrt abs clip tanh sin cos floor ceil int sign " +
    "rand randn pi e inf True False and or not in is lambda if else for while def class return pass None from " +
    "import as with yield try except finally raise del global nonlocal assert break continue elif " +
    "amp candela coulomb farad hertz joule kelvin kilogram metre mmolar mole ohm second siemens volt watt"
  ).split(" "),
);
export const pyName = (n: string): string =>
  RESERVED.has(n) || n.endsWith("_pre") || n.endsWith("_post") || n.endsWith("_ev") ? `${n}_` : n;

export interface InputPlan {
  /** Brian2 variable the handlers write (the input itself when nothing else feeds it). */
  write: string;
  summed: string[];
  currents: string[];
  dim: Dim;
}

export interface ScriptParts {
  ir: IRProgram;
  methods: Map<string, Method | null>;
  /** Groups integrated with glia's own exact propagator (Brian2's `exact` cannot solve them): the Python function. */
  updaters?: Map<string, { name: string; code: string[] }>;
  data: NetworkData;
  file: string;
  /** SYNAPSE_RECORDS and SYNAPSE_HEADER (targets/export/synapse-records.ts; engine item: (name, unit)). */
  synapseRecords?: string[];
}

export const dimOfVar = (d: string): Dim => parseDim(d) ?? DIMENSIONLESS;

/** The whole script. */
export function brian2Script(parts: ScriptParts): string {
  const { ir } = parts;
  const inputs = planInputs(ir);
  const out: string[] = [];
  out.push(`#!/usr/bin/env python3`);
  out.push(`"""${ir.network}: a Brian2 script exported by glia (\`glia export ${parts.file} --to brian2\`).`);
  out.push(``);
  out.push(`Connectivity, delays and initial values come from glia's own network construction (data/*.csv, built`);
  out.push(`with seed ${ir.seed}), so every synapse and initial value is the one glia simulates. Run:`);
  out.push(`    python run.py [--out DIR] [--steps N] [--seed S]`);
  out.push(
    `Writes spikes.csv, traces.csv, synapses.csv, rates.csv and summary.json in the format of \`glia run --out DIR\`.`,
  );
  out.push(`"""`);
  out.push(PRELUDE);
  out.push(`NETWORK = ${JSON.stringify(ir.network)}`);
  out.push(`DT = ${ir.dt}  # s`);
  out.push(`STEPS = ${ir.steps}`);
  out.push(`SEED = ${ir.seed}`);
  const sizes = [...ir.groups, ...ir.sources].map((p) => `${JSON.stringify(p.name)}: ${p.size}`);
  out.push(`SIZES = {${sizes.join(", ")}}`);
  const spikeRecs = [...new Set(ir.monitors.filter((m) => m.k === "spikes").map((m) => m.target.population))];
  out.push(`SPIKE_RECORDS = ${JSON.stringify(spikeRecs)}`);
  const stateRecs = ir.monitors.filter((m) => m.k === "state");
  out.push(
    `STATE_RECORDS = [${stateRecs
      .map((m) => {
        const g = ir.groups.find((x) => x.name === m.target.population)!;
        const v = [...g.state, ...g.inputs, ...g.params].find((x) => x.name === m.variable);
        const unit = brian2Unit(v ? dimOfVar(v.dim) : DIMENSIONLESS);
        const name = pyName(m.variable!);
        return `(${JSON.stringify(g.name)}, ${JSON.stringify(name)}, ${m.target.start}, ${m.target.end}, ${Math.max(1, Math.round(m.everySteps))}, ${unit})`;
      })
      .join(", ")}]`,
  );
  const rateRecs = ir.monitors.filter((m) => m.k === "rate");
  out.push(
    `RATE_RECORDS = [${rateRecs.map((m) => `(${JSON.stringify(m.target.population)}, ${m.target.start}, ${m.target.end}, ${Math.max(1, Math.round(m.everySteps))})`).join(", ")}]`,
  );
  out.push(...(parts.synapseRecords ?? [`SYNAPSE_RECORDS = []`, `SYNAPSE_HEADER = ""`]));
  // poisson_count inputs: their spike monitors record the events drawn, each spike listed once per event (glia's rule)
  out.push(`COUNT_SOURCES = ${JSON.stringify(ir.sources.filter((x) => x.k === "poisson_count").map((x) => x.name))}`);
  out.push(``);
  for (const u of parts.updaters?.values() ?? []) out.push(``, ...u.code, ``);
  out.push(``);
  out.push(`def build(data):`);
  out.push(
    `    """The network: groups, inputs, synapses and monitors, with glia's connectivity and initial values."""`,
  );
  out.push(`    net = b2.Network()`);
  out.push(`    groups = {}`);
  out.push(`    syns = {}`);
  for (const c of ir.currents.keys()) out.push(...indent(currentArray(ir, c)));
  out.push(...indent(modulatorCode(ir)));
  for (const g of ir.groups) out.push(...indent(groupCode(g, parts, inputs)));
  for (const s of ir.sources) out.push(...indent(sourceCode(s)));
  ir.projections.forEach((p, n) => out.push(...indent(projectionCode(p, n, parts, inputs))));
  ir.projections.forEach((p, n) => out.push(...indent(astroHandlerCode(p, n, parts, inputs))));
  out.push(...indent(modulatorCounters(ir)));
  out.push(`    # every population that can spike (groups without a threshold, such as astrocytes here, never do)`);
  out.push(`    spike_mons = {name: b2.SpikeMonitor(g, variables=["events"] if name in COUNT_SOURCES else None,`);
  out.push(`                                        name="spikes_" + name) for name, g in groups.items()`);
  out.push(`                  if "spike" in g.events}`);
  out.push(
    `    state_mons = [b2.StateMonitor(groups[pop], var, record=list(range(start, end)), dt=every * DT * second,`,
  );
  out.push(`                                  when="start", name="state%d_%s_%s" % (n, pop, var))`);
  out.push(`                  for n, (pop, var, start, end, every, unit) in enumerate(STATE_RECORDS)]`);
  out.push(
    `    # synapse records: a StateMonitor on the projection's Synapses, at the start of the step (glia's record point)`,
  );
  out.push(`    syn_mons = [None if source is not None else`);
  out.push(
    `                b2.StateMonitor(syns[proj], name_unit[0], record=list(sel), dt=every * DT * second, when="start",`,
  );
  out.push(`                                name="synrec%d_%s_%s" % (n, proj, var))`);
  out.push(`                for n, (proj, var, sel, every, source, suffix, name_unit) in enumerate(SYNAPSE_RECORDS)]`);
  out.push(`    net.add(list(spike_mons.values()), state_mons, [m for m in syn_mons if m is not None])`);
  out.push(`    return net, groups, spike_mons, state_mons, syn_mons`);
  out.push(POSTLUDE);
  return out.join("\n");
}

export const indent = (lines: string[]): string[] => lines.map((l) => (l === "" ? l : `    ${l}`));

/** Which inputs need a subexpression: those a continuous coupling or a current stimulus feeds. */
function planInputs(ir: IRProgram): Map<string, Map<string, InputPlan>> {
  const plans = new Map<string, Map<string, InputPlan>>();
  for (const g of ir.groups) {
    const m = new Map<string, InputPlan>();
    for (const v of g.inputs) m.set(v.name, { write: pyName(v.name), summed: [], currents: [], dim: dimOfVar(v.dim) });
    plans.set(g.name, m);
  }
  ir.projections.forEach((p) =>
    continuousTargets(p).forEach((t, n) => {
      const pop = t.space === "pre" ? p.pre.population : p.post.population;
      const plan = plans.get(pop)?.get(t.name);
      if (plan) plan.summed.push(summedName(t.name, p, n));
    }),
  );
  ir.currents.forEach((c, n) => {
    const plan = plans.get(c.target.population)?.get(c.variable);
    if (!plan) return;
    const size = ir.groups.find((g) => g.name === c.target.population)!.size;
    const mask =
      c.target.start === 0 && c.target.end === size ? "" : ` * int(i >= ${c.target.start}) * int(i < ${c.target.end})`;
    plan.currents.push(`stim${n}(t)${mask}`);
  });
  for (const m of plans.values())
    for (const [name, plan] of m) if (plan.summed.length + plan.currents.length > 0) plan.write = `${pyName(name)}_ev`;
  return plans;
}

/** The pre/post inputs a projection's continuous block adds into, in statement order. */
export function continuousTargets(p: IRProjection): Ref[] {
  return p.continuous.flatMap((s) =>
    s.k === "assign" && (s.target.space === "pre" || s.target.space === "post") ? [s.target] : [],
  );
}

const summedName = (input: string, p: IRProjection, n: number): string =>
  `${pyName(input)}_${p.name}${n > 0 ? `_${n}` : ""}`;

function currentArray(ir: IRProgram, n: number): string[] {
  const c = ir.currents[n]!;
  const g = ir.groups.find((x) => x.name === c.target.population)!;
  const v = g.inputs.find((x) => x.name === c.variable)!;
  return [
    `# current stimulus ${n}: ${c.variable} of ${c.target.population}[${c.target.start}:${c.target.end}], value per step`,
    `cur = load(data, "current_${n}.csv")`,
    `values = np.zeros(int(cur["step"].max()) + 1 if len(cur["step"]) else 1)`,
    `for k, x in zip(cur["step"].astype(int), cur["value"]):`,
    `    values[max(k, 0):] = x`,
    `stim${n} = b2.TimedArray(values * ${brian2Unit(dimOfVar(v.dim))}, dt=DT * second, name="stim${n}")`,
  ];
}

/** Dimensions and Brian2 names of a group's own references. */
export function groupScope(g: IRGroup, mods: readonly IRModulator[] = []): NameScope {
  const modDim = (name: string): Dim | undefined => {
    const m = mods.find((x) => x.name === name);
    return m ? dimOfVar(m.dim) : undefined;
  };
  const vars = new Map<string, Dim>();
  for (const v of [...g.params, ...g.state, ...g.inputs]) vars.set(v.name, dimOfVar(v.dim));
  for (const x of g.exposes) vars.set(x.name, dimOfVar(x.dim)); // subexpressions (astro-handlers.ts)
  const aliasDims = new Map<string, Dim | undefined>();
  const scope: NameScope = {
    name: (r) => (r.space === "t" || r.space === "dt" ? r.space : r.space === "mod" ? modName(r.name) : pyName(r.name)),
    dim: (r) => {
      if (r.space === "t" || r.space === "dt") return DIM.time;
      if (r.space === "mod") return modDim(r.name);
      if (r.space === "alias") {
        if (!aliasDims.has(r.name)) {
          aliasDims.set(r.name, undefined);
          const a = g.aliases.find((x) => x.name === r.name);
          // an alias whose expression carries no dimension (a literal with a unit, `0.1 /ms * ...`: the IR keeps
          // literals in SI without units) takes the one its use in an equation demands (`m' = alpha_m * (1 - m)`)
          const own = a ? exprDim(a.expr, (x) => scope.dim(x)) : undefined;
          const used = (): Dim | undefined => {
            for (const o of g.odes) {
              const d = dimOfVar(g.state.find((v) => v.name === o.name)!.dim);
              const found = demanded(o.rhs, dimDiv(d, DIM.time), r.name, (x) => exprDim(x, (y) => scope.dim(y)));
              if (found) return found;
            }
            return undefined;
          };
          aliasDims.set(r.name, a ? (own ?? used() ?? DIMENSIONLESS) : undefined);
        }
        return aliasDims.get(r.name);
      }
      return vars.get(r.name);
    },
  };
  return scope;
}

/** The dimension `e` (wanting `want`) demands of the alias `name` where it is a factor, a term or a divisor's
 *  numerator; undefined when no use fixes it. The same propagation as brian2Expr's for literals. */
function demanded(
  e: IRExpr,
  want: Dim | undefined,
  name: string,
  dimOf: (x: IRExpr) => Dim | undefined,
): Dim | undefined {
  if (e.k === "ref") return e.ref.space === "alias" && e.ref.name === name ? want : undefined;
  if (e.k === "neg") return demanded(e.a, want, name, dimOf);
  if (e.k !== "bin") return undefined;
  const { op, a, b } = e;
  const da = dimOf(a);
  const db = dimOf(b);
  if (op === "+" || op === "-") {
    const d = want ?? da ?? db;
    return demanded(a, d, name, dimOf) ?? demanded(b, d, name, dimOf);
  }
  if (op === "*" && want)
    return (
      (db !== undefined ? demanded(a, dimDiv(want, db), name, dimOf) : undefined) ??
      (da !== undefined ? demanded(b, dimDiv(want, da), name, dimOf) : undefined)
    );
  if (op === "/" && want)
    return (
      (db !== undefined ? demanded(a, dimMul(want, db), name, dimOf) : undefined) ??
      (da !== undefined ? demanded(b, dimDiv(da, want), name, dimOf) : undefined)
    );
  return undefined;
}

function groupCode(g: IRGroup, parts: ScriptParts, inputs: Map<string, Map<string, InputPlan>>): string[] {
  const scope = groupScope(g, parts.ir.modulators);
  const data = parts.data;
  const perElement = new Set(data.groupColumns.get(g.name) ?? []);
  const clamp = new Set(g.refractory?.clamp ?? []);
  const eqs: string[] = [];
  for (const o of g.odes) {
    const d = dimOfVar(g.state.find((v) => v.name === o.name)!.dim);
    const flag = clamp.has(o.name) && g.refractory ? " (unless refractory)" : "";
    eqs.push(`d${pyName(o.name)}/dt = ${brian2Expr(o.rhs, scope, dimDiv(d, DIM.time))} : ${brian2Unit(d)}${flag}`);
  }
  for (const a of g.aliases) {
    const d = scope.dim({ space: "alias", name: a.name }) ?? DIMENSIONLESS;
    eqs.push(`${pyName(a.name)} = ${brian2Expr(a.expr, scope, d)} : ${brian2Unit(d)}`);
  }
  eqs.push(...exposeEquations(g, scope, data.groupScalars.get(g.name)!), ...modulatorEquations(g, parts.ir));
  const odeNames = new Set(g.odes.map((o) => o.name));
  for (const v of g.state) if (!odeNames.has(v.name)) eqs.push(`${pyName(v.name)} : ${brian2Unit(dimOfVar(v.dim))}`);
  for (const v of g.params)
    if (perElement.has(v.name)) eqs.push(`${pyName(v.name)} : ${brian2Unit(dimOfVar(v.dim))} (constant)`);
  const plans = inputs.get(g.name)!;
  const clears: string[] = [];
  const stimSets: string[] = [];
  for (const v of g.inputs) {
    const plan = plans.get(v.name)!;
    const unit = brian2Unit(plan.dim);
    eqs.push(`${plan.write} : ${unit}`);
    clears.push(`${plan.write} = 0*${unit}`);
    for (const s of plan.summed) eqs.push(`${s} : ${unit}`);
    if (plan.write !== pyName(v.name)) {
      // stimuli: a variable set at the start of each step (Brian2's exact solver takes no time-dependent terms)
      const stim = plan.currents.length > 0 ? [`${pyName(v.name)}_stim`] : [];
      if (stim.length > 0) {
        eqs.push(`${stim[0]} : ${unit}`);
        stimSets.push(`${stim[0]} = ${plan.currents.join(" + ")}`);
      }
      eqs.push(`${pyName(v.name)} = ${[plan.write, ...plan.summed, ...stim].join(" + ")} : ${unit}`);
    }
  }
  const method = parts.methods.get(g.name);
  const args: string[] = [`${g.size}`, `"""\n${eqs.map((e) => `    ${e}`).join("\n")}\n    """`];
  if (g.threshold) args.push(`threshold=${JSON.stringify(brian2Expr(g.threshold, scope))}`);
  if (g.reset.length > 0) args.push(`reset=${pyCode(stmtsCode(g.reset, groupStmtScope(g, scope, plans)))}`);
  if (g.refractory && g.refractory.steps > 0) args.push(`refractory=${g.refractory.steps} * DT * second`);
  const updater = parts.updaters?.get(g.name);
  if (g.odes.length > 0 && updater) args.push(`method=${updater.name}`);
  else if (g.odes.length > 0 && method) args.push(`method="${method}"`);
  if (g.stepEvery !== 1) args.push(`dt=${g.stepEvery} * DT * second`);
  const scalars = new Map<string, number>();
  const scalarDims = new Map<string, Dim>();
  for (const [n, v] of data.groupScalars.get(g.name)!) {
    scalars.set(pyName(n), v);
    scalarDims.set(pyName(n), dimOfVar(g.params.find((p) => p.name === n)!.dim));
  }
  const stims = [...plans.values()].flatMap((pl) => pl.currents.map((c) => c.slice(0, c.indexOf("("))));
  const ns = namespace(scalars, (n) => scalarDims.get(n)!);
  args.push(
    `namespace=${stims.length > 0 ? `${ns.slice(0, -1)}${scalars.size > 0 ? ", " : ""}${stims.map((x) => `"${x}": ${x}`).join(", ")}}` : ns}`,
  );
  args.push(`name="g_${g.name}"`);
  const lines = [
    `# population ${g.name}: ${g.model}[${g.size}]${g.kind === "astrocyte" ? " (astrocytes)" : ""}${g.stepEvery !== 1 ? `, own clock ${g.stepEvery} * dt` : ""}`,
    `g = b2.NeuronGroup(${args.join(",\n                  ")})`,
    `init = load(data, "pop_${g.name}.csv")`,
  ];
  for (const c of data.groupColumns.get(g.name) ?? []) {
    const v = [...g.params, ...g.state].find((x) => x.name === c)!;
    lines.push(`g.${pyName(c)} = init[${JSON.stringify(c)}] * ${brian2Unit(dimOfVar(v.dim))}`);
  }
  lines.push(...modulatorLinks(g, parts.ir));
  if (stimSets.length > 0)
    lines.push(`g.run_regularly(${JSON.stringify(stimSets.join("; "))}, dt=DT * second, when="before_groups")`);
  if (clears.length > 0)
    lines.push(`g.run_regularly(${JSON.stringify(clears.join("; "))}, dt=DT * second, when="thresholds", order=10)`);
  lines.push(`groups[${JSON.stringify(g.name)}] = g`, `net.add(g)`, ``);
  return lines;
}

function groupStmtScope(g: IRGroup, scope: NameScope, plans: Map<string, InputPlan>): StmtScope {
  return {
    read: scope,
    write: (r) => (r.space === "input" ? plans.get(r.name)!.write : pyName(r.name)),
    targetDim: (r) => scope.dim(r) ?? DIMENSIONLESS,
  };
}

/** A namespace dict: Brian2 name -> value with its unit. */
export function namespace(values: Map<string, number>, dim: (name: string) => Dim): string {
  const items = [...values].map(([n, v]) => {
    const u = brian2Unit(dim(n));
    return `"${n}": ${v}${u === "1" ? "" : ` * ${u}`}`;
  });
  return `{${items.join(", ")}}`;
}

function sourceCode(s: IRProgram["sources"][number]): string[] {
  if (s.k === "poisson_count")
    return [
      `# input ${s.name}: poisson_count[${s.size}]: element e draws events ~ Poisson(rate_e * dt) every step (Brian2's exact`,
      `# poisson(), before the thresholds) and spikes when it drew any; its synapses add events_pre times their weight`,
      `src = load(data, "src_${s.name}.csv")`,
      `g = b2.NeuronGroup(${s.size}, "rate : hertz (constant)\\nevents : integer", threshold="events > 0", reset="",`,
      `                  name="g_${s.name}")`,
      `g.rate = src["rate_hz"] * hertz`,
      `g.run_regularly("events = poisson(rate * dt)", dt=DT * second, when="before_thresholds")`,
      `groups[${JSON.stringify(s.name)}] = g`,
      `net.add(g)`,
      ``,
    ];
  if (s.k === "poisson")
    return [
      `# input ${s.name}: Poisson[${s.size}]: Brian2 draws the spikes (element e spikes in a step when rand() < rate_e*dt),`,
      `# or, with --poisson glia, the spikes glia's generator drew (data/poisson_${s.name}.csv)`,
      `if POISSON == "glia":`,
      `    src = load(data, "poisson_${s.name}.csv")`,
      `    groups[${JSON.stringify(s.name)}] = b2.SpikeGeneratorGroup(${s.size}, src["index"].astype(int), src["step"] * DT * second, name="g_${s.name}")`,
      `else:`,
      `    src = load(data, "src_${s.name}.csv")`,
      `    groups[${JSON.stringify(s.name)}] = b2.PoissonGroup(${s.size}, rates=src["rate_hz"] * hertz, name="g_${s.name}")`,
      `net.add(groups[${JSON.stringify(s.name)}])`,
      ``,
    ];
  return [
    `# input ${s.name}: spike list[${s.size}], spikes on glia's step grid`,
    `src = load(data, "src_${s.name}.csv")`,
    `groups[${JSON.stringify(s.name)}] = b2.SpikeGeneratorGroup(${s.size}, src["index"].astype(int), src["step"] * DT * second, name="g_${s.name}")`,
    `net.add(groups[${JSON.stringify(s.name)}])`,
    ``,
  ];
}

export interface StmtScope {
  read: NameScope;
  write(r: Ref): string;
  targetDim(r: Ref): Dim;
}

/** Handler and reset statements as Brian2 abstract code (`x = x + e` as `x += e`; `if` as a selection). */
export function stmtsCode(stmts: readonly IRStmt[], scope: StmtScope): string[] {
  const out: string[] = [];
  const locals = new Map<string, Dim | undefined>();
  const read: NameScope = {
    name: (r) => (r.space === "local" ? `${pyName(r.name)}` : scope.read.name(r)),
    dim: (r) => (r.space === "local" ? locals.get(r.name) : scope.read.dim(r)),
  };
  for (const s of flattenIfs(stmts)) {
    if (s.k === "let") {
      const d = exprDim(s.value, (x) => read.dim(x));
      locals.set(s.name, d);
      out.push(`${pyName(s.name)} = ${brian2Expr(s.value, read, d)}`);
      continue;
    }
    if (s.k !== "assign") continue;
    const d = s.target.space === "local" ? locals.get(s.target.name) : scope.targetDim(s.target);
    const target = s.target.space === "local" ? pyName(s.target.name) : scope.write(s.target);
    const v = s.value;
    const same = (e: IRExpr): boolean =>
      e.k === "ref" && e.ref.space === s.target.space && e.ref.name === s.target.name;
    if (v.k === "bin" && (v.op === "+" || v.op === "-") && same(v.a))
      out.push(`${target} ${v.op}= ${brian2Expr(v.b, read, d)}`);
    else out.push(`${target} = ${brian2Expr(v, read, d)}`);
  }
  return out;
}

/** `if c { x = a } else { x = b }` (assignments only, checked by check.ts) as x = c ? a : x' selections. */
function flattenIfs(stmts: readonly IRStmt[]): IRStmt[] {
  const out: IRStmt[] = [];
  for (const s of stmts) {
    if (s.k !== "if") {
      out.push(s);
      continue;
    }
    const then = flattenIfs(s.then);
    const otherwise = flattenIfs(s.otherwise);
    for (const [branch, cond] of [
      [then, s.c],
      [otherwise, { k: "not", a: s.c } as IRExpr],
    ] as const)
      for (const a of branch)
        if (a.k === "assign")
          out.push({ ...a, value: { k: "sel", c: cond, a: a.value, b: { k: "ref", ref: a.target } } });
  }
  return out;
}

function forEachStmtRef(s: IRStmt, f: (r: Ref) => void): void {
  forEachStmtExpr([s], (e) => forEachRef(e, f));
  forEachTarget([s], f);
}

export const pyCode = (lines: string[]): string =>
  lines.length <= 1 ? JSON.stringify(lines[0] ?? "") : `"""\n${lines.map((l) => `    ${l}`).join("\n")}\n    """`;

function projectionCode(
  p: IRProjection,
  n: number,
  parts: ScriptParts,
  inputs: Map<string, Map<string, InputPlan>>,
): string[] {
  const { ir, data } = parts;
  const info = data.projections.get(p.name)!;
  const preG = ir.groups.find((g) => g.name === p.pre.population);
  const postG = ir.groups.find((g) => g.name === p.post.population)!;
  const own = new Map<string, Dim>();
  for (const v of [...p.params, ...p.state]) own.set(v.name, dimOfVar(v.dim));
  // Brian2 resolves a bare name in a Synapses object as the post group's variable before the namespace: a scalar
  // parameter of the synapse named like one (AlphaExc's w onto AdEx's w) is written NAME_syn (the post group's
  // scalar parameters are its namespace's, which a Synapses object does not see)
  const postColumns = new Set(postG ? (data.groupColumns.get(postG.name) ?? []) : []);
  const postNames = new Set(
    (postG
      ? [
          ...postG.params.filter((v) => postColumns.has(v.name)),
          ...postG.state,
          ...postG.inputs,
          ...postG.aliases,
          ...postG.exposes,
        ]
      : []
    ).map((v) => pyName(v.name)),
  );
  const ownName = (name: string): string =>
    info.scalars.has(name) && postNames.has(pyName(name)) ? `${pyName(name)}_syn` : pyName(name);
  const side = (space: "pre" | "post"): IRGroup | undefined => (space === "pre" ? preG : postG);
  const sideScope = (space: "pre" | "post"): NameScope | undefined => {
    const g = side(space);
    return g ? groupScope(g, ir.modulators) : undefined;
  };
  const read: NameScope = {
    name: (r) => {
      if (r.space === "pre" || r.space === "post") return `${pyName(r.name)}_${r.space}`;
      if (r.space === "t" || r.space === "dt") return r.space;
      if (r.space === "astro") return astroReadName(r.name);
      if (r.space === "mod") return synapseModName(r.name);
      if (r.space === "param") return ownName(r.name);
      return pyName(r.name);
    },
    dim: (r) => {
      if (r.space === "astro") return astroReadDim(ir, p, r.name);
      if (r.space === "mod") return dimOfVar(ir.modulators.find((m) => m.name === r.name)!.dim);
      if (r.space === "pre" || r.space === "post")
        return sideScope(r.space)?.dim({
          space: side(r.space)!.aliases.some((a) => a.name === r.name) ? "alias" : "param",
          name: r.name,
        });
      if (r.space === "t" || r.space === "dt") return DIM.time;
      return own.get(r.name);
    },
  };
  const stmtScope: StmtScope = {
    read,
    write: (r) => {
      if (r.space === "pre" || r.space === "post") {
        const g = side(r.space)!;
        const plan = inputs.get(g.name)?.get(r.name);
        return `${plan ? plan.write : pyName(r.name)}_${r.space}`;
      }
      return pyName(r.name);
    },
    targetDim: (r) => read.dim(r) ?? DIMENSIONLESS,
  };
  const model: string[] = [];
  const perSynapse = new Set(info.columns);
  const odeNames = new Set(p.odes.map((o) => o.name));
  for (const o of p.odes) {
    const d = own.get(o.name)!;
    model.push(
      `d${pyName(o.name)}/dt = ${brian2Expr(o.rhs, read, dimDiv(d, DIM.time))} : ${brian2Unit(d)} (event-driven)`,
    );
  }
  for (const v of p.state) if (!odeNames.has(v.name)) model.push(`${pyName(v.name)} : ${brian2Unit(own.get(v.name)!)}`);
  for (const v of p.params)
    if (perSynapse.has(v.name)) model.push(`${pyName(v.name)} : ${brian2Unit(own.get(v.name)!)} (constant)`);
  const modReads = synapseModulators(
    ir,
    [...p.onPre, ...p.onPost, ...p.continuous],
    p.odes.map((o) => o.rhs),
  );
  model.push(...astroLinkEquations(ir, p), ...modulatorSynapseEquations(ir, modReads));
  // continuous couplings: one summed variable per statement, with the block's lets substituted
  const lets = new Map<string, IRExpr>();
  let k = 0;
  for (const s of p.continuous) {
    if (s.k === "let")
      lets.set(
        s.name,
        substitute(s.value, (r) => (r.space === "local" ? lets.get(r.name) : undefined)),
      );
    if (s.k !== "assign" || (s.target.space !== "pre" && s.target.space !== "post")) continue;
    const v = substitute(s.value, (r) => (r.space === "local" ? lets.get(r.name) : undefined));
    const term =
      v.k === "bin" &&
      v.op === "+" &&
      v.a.k === "ref" &&
      v.a.ref.space === s.target.space &&
      v.a.ref.name === s.target.name
        ? v.b
        : v;
    const d = read.dim(s.target) ?? DIMENSIONLESS;
    model.push(
      `${summedName(s.target.name, p, k)}_${s.target.space} = ${brian2Expr(term, read, d)} : ${brian2Unit(d)} (summed)`,
    );
    k++;
  }
  const args = [`groups[${JSON.stringify(p.pre.population)}]`, `groups[${JSON.stringify(p.post.population)}]`];
  args.push(model.length > 0 ? `model="""\n${model.map((m) => `    ${m}`).join("\n")}\n    """` : `model=""`);
  // from a poisson_count input (count-sources.ts: `post.X += w` only): the step's events, one c-fold addition
  const fromCount = ir.sources.some((x) => x.name === p.pre.population && x.k === "poisson_count");
  const onPre = stmtsCode(p.onPre, stmtScope).map((l) =>
    fromCount ? l.replace(/^(\S+ \+= )(.*)$/, "$1events_pre * ($2)") : l,
  );
  if (p.onPre.length > 0) args.push(`on_pre=${pyCode(onPre)}`);
  if (p.onPost.length > 0) args.push(`on_post=${pyCode(stmtsCode(p.onPost, stmtScope))}`);
  const ns = new Map<string, number>();
  const nsDims = new Map<string, Dim>();
  for (const [name, v] of info.scalars) {
    ns.set(ownName(name), v);
    nsDims.set(ownName(name), own.get(name)!);
  }
  const mentioned = new Set<string>();
  for (const st of [...p.onPre, ...p.onPost, ...p.continuous])
    forEachStmtRef(st, (r) => mentioned.add(`${r.space}.${r.name}`));
  for (const o of p.odes) forEachRef(o.rhs, (r) => mentioned.add(`${r.space}.${r.name}`));
  for (const space of ["pre", "post"] as const) {
    const g = side(space);
    if (!g) continue;
    for (const [name, v] of data.groupScalars.get(g.name)!) {
      if (!mentioned.has(`${space}.${name}`)) continue;
      const key = `${pyName(name)}_${space}`;
      ns.set(key, v);
      nsDims.set(key, dimOfVar(g.params.find((x) => x.name === name)!.dim));
    }
  }
  args.push(`namespace=${namespace(ns, (x) => nsDims.get(x)!)}`);
  args.push(`name="s${String(n).padStart(3, "0")}_${p.name}"`);
  const lines = [
    `# projection ${p.name}: ${p.pre.population}[${p.pre.start}:${p.pre.end}] -> ${p.post.population}[${p.post.start}:${p.post.end}] with ${p.synapse}, ${info.n} synapses (glia's ${p.rule.k})`,
    `syn = load(data, "proj_${p.name}.csv")`,
    `s = b2.Synapses(${args.join(",\n                 ")})`,
    `s.connect(i=syn["pre"].astype(np.int64), j=syn["post"].astype(np.int64))`,
  ];
  const delays = [...info.delays];
  if (p.onPre.length > 0 && delays.some((d) => d !== 0))
    lines.push(delays.length === 1 ? `s.delay = ${delays[0]} * DT * second` : `s.delay = syn["delay"] * DT * second`);
  for (const c of info.columns) lines.push(`s.${pyName(c)} = syn[${JSON.stringify(c)}] * ${brian2Unit(own.get(c)!)}`);
  lines.push(...astroLinks(ir, p), ...modulatorSynapseLinks(modReads));
  lines.push(`syns[${JSON.stringify(p.name)}] = s`, `net.add(s)`, ``);
  return lines;
}

export { type Method };
