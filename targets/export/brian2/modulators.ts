// Network modulators in the Brian2 script. In: the continuous IR's modulators and who reads them; out: Python
// lines of run.py's build() (a one-element NeuronGroup computing every modulator, spike counters, linked variables),
// the linked-variable equations of a reading group, and the E0808 refusals of what this form cannot express.
//
// glia's phase 0 (docs/internals.md): modulators are evaluated in declaration order at t_k, `rate(POP)` = spikes of
// POP in step k-1 / (size * dt) (0 in step 0), before the updates, thresholds and handlers of step k read them.
// Brian2: a group `g_modulators` of one element holds each modulator as a variable `mod_NAME` and a count `n_POP`
// per population a rate reads; a Synapses object POP -> g_modulators adds 1 per spike (`on_pre`, in step k-1's
// synapses slot); a run_regularly at `start` (before Brian2's groups, thresholds and synapses) evaluates the
// modulators in order with the same operations as glia (rate = n / (size * dt)) and zeroes the counts. A group that
// reads a modulator, or is the post side of a synapse reading one (Brian2 reads it as `mod_NAME_post`), holds it as a
// linked variable indexing element 0. Pure Brian2: it runs on numpy, cython and cpp_standalone alike.

import type { Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import type { IRExpr, IRGroup, IRProgram, IRStmt, Ref } from "../../../compiler/ir/nodes.js";
import { forEachRef, forEachStmtExpr } from "../../../compiler/ir/expr.js";
import { DIM, brian2Unit } from "../dims.js";
import { refusal } from "../refuse.js";
import { brian2Expr, type NameScope } from "./expr.js";
import { dimOfVar, pyName } from "./script.js";

/** The Brian2 name of modulator NAME (in g_modulators and as a linked variable of a reading group). */
export const modName = (name: string): string => `mod_${name}`;

const countName = (pop: string): string => `n_${pyName(pop)}`;

function refsOfStmts(stmts: readonly IRStmt[], f: (r: Ref) => void): void {
  forEachStmtExpr(stmts, (e) => forEachRef(e, f));
}

/** The modulators group g reads in its own equations, handlers and exposes. */
function modulatorsRead(g: IRGroup, ir: IRProgram): string[] {
  const read = new Set<string>();
  const add = (r: Ref): void => {
    if (r.space === "mod") read.add(r.name);
  };
  const exprs: IRExpr[] = [
    ...g.odes.map((o) => o.rhs),
    ...g.aliases.map((a) => a.expr),
    ...g.exposes.map((x) => x.expr),
    ...(g.threshold ? [g.threshold] : []),
  ];
  for (const e of exprs) forEachRef(e, add);
  refsOfStmts(g.reset, add);
  return ir.modulators.map((m) => m.name).filter((n) => read.has(n));
}

/** The modulators a Synapses object's code and equations read, in declaration order. */
export function synapseModulators(ir: IRProgram, stmts: readonly IRStmt[], exprs: readonly IRExpr[] = []): string[] {
  const read = new Set<string>();
  const add = (r: Ref): void => {
    if (r.space === "mod") read.add(r.name);
  };
  refsOfStmts(stmts, add);
  for (const e of exprs) forEachRef(e, add);
  return ir.modulators.map((m) => m.name).filter((n) => read.has(n));
}

/** A Synapses object's name for modulator NAME: its own linked variable (a group's linked variable with an index
 *  array is not visible to Synapses as X_post; a Synapses links through an index variable of its own). */
export const synapseModName = (name: string): string => `${modName(name)}_syn`;

/** Model equations of a Synapses object reading `names`: an index variable (0: g_modulators' element) and one linked
 *  variable each. */
export function modulatorSynapseEquations(ir: IRProgram, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  return [
    `mod_index : integer (constant)`,
    ...names.map((n) => {
      const m = ir.modulators.find((x) => x.name === n)!;
      return `${synapseModName(n)} : ${brian2Unit(dimOfVar(m.dim))} (linked)`;
    }),
  ];
}

/** After a Synapses object `s` reading `names` is connected: its links to g_modulators. */
export function modulatorSynapseLinks(names: readonly string[]): string[] {
  return names.map((n) => `s.${synapseModName(n)} = b2.linked_var(gm, "${modName(n)}", index="mod_index")`);
}

/** The linked variables of group g (`mod_NAME : unit (linked)`), one per modulator it reads. */
export function modulatorEquations(g: IRGroup, ir: IRProgram): string[] {
  return modulatorsRead(g, ir).map((n) => {
    const m = ir.modulators.find((x) => x.name === n)!;
    return `${modName(n)} : ${brian2Unit(dimOfVar(m.dim))} (linked)`;
  });
}

/** Populations whose rate(POP) some modulator reads, in first-read order. */
function ratePopulations(ir: IRProgram): string[] {
  const pops: string[] = [];
  for (const m of ir.modulators)
    forEachRef(m.expr, (r) => {
      if (r.space === "poprate" && !pops.includes(r.name)) pops.push(r.name);
    });
  return pops;
}

/** build()'s lines for the modulators group and its update, before the groups (which link to it when made: a
 *  Synapses object sees a group's linked variable only if it was linked before the Synapses was made). */
export function modulatorCode(ir: IRProgram): string[] {
  if (ir.modulators.length === 0) return [];
  const pops = ratePopulations(ir);
  const sizeOf = (pop: string): number => [...ir.groups, ...ir.sources].find((x) => x.name === pop)!.size;
  const scope: NameScope = {
    name: (r) => {
      if (r.space === "t" || r.space === "dt") return r.space;
      if (r.space === "mod") return modName(r.name);
      if (r.space === "poprate") return `(${countName(r.name)} / (${sizeOf(r.name)} * dt))`;
      return undefined;
    },
    dim: (r) => {
      if (r.space === "t" || r.space === "dt") return DIM.time;
      if (r.space === "mod") return dimOfVar(ir.modulators.find((m) => m.name === r.name)!.dim);
      if (r.space === "poprate") return DIM.frequency;
      return undefined;
    },
  };
  const eqs = [
    ...ir.modulators.map((m) => `${modName(m.name)} : ${brian2Unit(dimOfVar(m.dim))}`),
    ...pops.map((p) => `${countName(p)} : 1`),
  ];
  const code = [
    ...ir.modulators.map((m) => `${modName(m.name)} = ${brian2Expr(m.expr, scope, dimOfVar(m.dim))}`),
    ...pops.map((p) => `${countName(p)} = 0`),
  ];
  const lines = [
    `# network modulators: evaluated in declaration order at the start of each step (glia's phase 0), rate(POP) from`,
    `# the spikes POP fired in the previous step (counted by the synapses below), read by groups as linked variables`,
    `gm = b2.NeuronGroup(1, """\n${eqs.map((e) => `    ${e}`).join("\n")}\n    """, name="g_modulators")`,
    `gm.run_regularly("""\n${code.map((c) => `    ${c}`).join("\n")}\n    """, dt=DT * second, when="start", order=-10)`,
    `net.add(gm)`,
    ``,
  ];
  return lines;
}

/** Right after group g is made: its links to the modulators it reads. */
export function modulatorLinks(g: IRGroup, ir: IRProgram): string[] {
  return modulatorsRead(g, ir).map(
    (m) => `g.${modName(m)} = b2.linked_var(gm, "${modName(m)}", index=np.zeros(${g.size}, dtype=np.int64))`,
  );
}

/** After every group and input: the synapses counting each population's spikes for rate(POP). */
export function modulatorCounters(ir: IRProgram): string[] {
  const lines: string[] = [];
  const sizeOf = (pop: string): number => [...ir.groups, ...ir.sources].find((x) => x.name === pop)!.size;
  for (const p of ratePopulations(ir)) {
    const n = sizeOf(p);
    lines.push(
      `s = b2.Synapses(groups[${JSON.stringify(p)}], gm, on_pre="${countName(p)}_post += 1", dt=DT * second, name="modcount_${p}")`,
      `s.connect(i=np.arange(${n}), j=np.zeros(${n}, dtype=np.int64))`,
      `net.add(s)`,
    );
  }
  if (lines.length > 0) lines.push(``);
  return lines;
}

/** What this form cannot express: mean(POP.var), rate() of a poisson_count input. */
export function checkModulators(ir: IRProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of ir.modulators)
    forEachRef(m.expr, (r) => {
      const span = ir.spans?.modulators[m.name] ?? ir.spans?.network;
      if (r.space === "popmean")
        out.push(
          refusal(
            "brian2",
            span,
            `mean(${r.name}) in the modulator '${m.name}'`,
            "Brian2 would sum it with a summed variable in the groups slot, after the modulators are evaluated at the step's start; export rate(POP) and t only",
          ),
        );
      if (r.space === "poprate" && ir.sources.some((s) => s.name === r.name && s.k === "poisson_count"))
        out.push(
          refusal(
            "brian2",
            span,
            `rate(${r.name}) of a poisson_count input in the modulator '${m.name}'`,
            "Brian2 spikes once per step for several events",
          ),
        );
    });
  return out;
}
