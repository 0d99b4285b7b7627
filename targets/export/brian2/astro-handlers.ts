// Astrocytes ensheathing synapses in the Brian2 script. In: the continuous IR (astrocyte groups with `on
// synapse_pre` / `on synapse_post` and exposes, projections with `ensheath` and `astro.X` reads) and glia's network
// files (proj_PROJ.csv's `astro` column: the astrocyte of each synapse, targets/network/ensheath.ts); out: Python
// lines of run.py's build(), the equations they add, and the E0808 refusals of what this form cannot express.
//
// glia's phase 3 (docs/internals.md): all `on pre`, then all `on post`, then the astrocytes' `on synapse_pre` once
// per delivered `on pre` event of an ensheathed synapse (projections in declaration order), then `on synapse_post`
// for every incoming ensheathed synapse of every post element that spiked; own refs are the astrocyte's, pre./post.
// the synapse's elements; `astro.X` is the expose evaluated on the astrocyte's current state.
// Brian2:
// - an expose is a subexpression of the astrocyte group (read as `astro.X`, or `pre.X` by a synapse from it);
// - a synapse of PROJ reads `astro.X` through a linked variable `astro_X` indexed by its own `astro_index`;
// - `on synapse_pre` is a Synapses object PROJ.pre -> astrocytes with one synapse per synapse of PROJ (pre element
//   -> its astrocyte, PROJ's delays), whose on_pre runs the handler with own refs as X_post; `on synapse_post` one
//   PROJ.post -> astrocytes (post element -> its astrocyte, no delay). Their pathways run in Brian2's synapses
//   slot at order 2 and 3, after every projection's on_pre (-1) and on_post (1); names s000_..._astro_pre keep
//   declaration order among them, as glia's. Sums into an astrocyte's variable are the same additions.

import type { Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import type { IRExpr, IRGroup, IRProgram, IRProjection, Ref } from "../../../compiler/ir/nodes.js";
import { forEachRef, forEachStmtExpr, substitute } from "../../../compiler/ir/expr.js";
import { DIM, DIMENSIONLESS, brian2Unit, type Dim } from "../dims.js";
import { refusal } from "../refuse.js";
import { brian2Expr, type NameScope } from "./expr.js";
import { modulatorSynapseEquations, modulatorSynapseLinks, synapseModName, synapseModulators } from "./modulators.js";
import {
  dimOfVar,
  groupScope,
  namespace,
  pyCode,
  pyName,
  stmtsCode,
  type InputPlan,
  type ScriptParts,
  type StmtScope,
} from "./script.js";

/** The exposes of a group as Brian2 subexpressions (evaluated on the current state whenever read). A synapse reads
 *  one through a linked variable, where Brian2 resolves names in the synapse's namespace, not the group's: the
 *  group's scalar parameters are written into it as numbers (the same float64 the namespace holds) and its aliases
 *  substituted. */
export function exposeEquations(g: IRGroup, scope: NameScope, scalars: ReadonlyMap<string, number>): string[] {
  const inline: NameScope = {
    name: (r) => {
      const v = r.space === "param" ? scalars.get(r.name) : undefined;
      if (v === undefined) return scope.name(r);
      const u = brian2Unit(scope.dim(r) ?? DIMENSIONLESS);
      return u === "1" ? `(${v})` : `(${v} * ${u})`;
    },
    dim: (r) => scope.dim(r),
  };
  const aliasFree = (e: IRExpr, depth = 0): IRExpr =>
    substitute(e, (r) => {
      const a = r.space === "alias" && depth < 64 ? g.aliases.find((x) => x.name === r.name) : undefined;
      return a ? aliasFree(a.expr, depth + 1) : undefined;
    });
  return g.exposes.map((x) => {
    const d = dimOfVar(x.dim);
    return `${pyName(x.name)} = ${brian2Expr(aliasFree(x.expr), inline, d)} : ${brian2Unit(d)}`;
  });
}

/** A synapse's name for `astro.X`. */
export const astroReadName = (name: string): string => `astro_${name}`;

const astroGroup = (ir: IRProgram, p: IRProjection): IRGroup | undefined =>
  p.ensheathedBy ? ir.groups.find((g) => g.name === p.ensheathedBy!.astrocytes) : undefined;

export function astroReadDim(ir: IRProgram, p: IRProjection, name: string): Dim | undefined {
  const x = astroGroup(ir, p)?.exposes.find((e) => e.name === name);
  return x ? dimOfVar(x.dim) : undefined;
}

/** The exposes PROJ's synapses read (astro.X), in first-read order. */
function astroReads(p: IRProjection): string[] {
  const names: string[] = [];
  const add = (r: Ref): void => {
    if (r.space === "astro" && !names.includes(r.name)) names.push(r.name);
  };
  forEachStmtExpr([...p.onPre, ...p.onPost, ...p.continuous], (e) => forEachRef(e, add));
  for (const o of p.odes) forEachRef(o.rhs, add);
  return names;
}

/** Model equations of PROJ's Synapses for its astro.X reads: the astrocyte index and one linked variable each. */
export function astroLinkEquations(ir: IRProgram, p: IRProjection): string[] {
  const reads = astroReads(p);
  if (reads.length === 0) return [];
  return [
    `astro_index : integer (constant)`,
    ...reads.map((n) => `${astroReadName(n)} : ${brian2Unit(astroReadDim(ir, p, n) ?? DIMENSIONLESS)} (linked)`),
  ];
}

/** After PROJ's connect: its synapses' astrocytes (glia's) and the links to their exposes. */
export function astroLinks(ir: IRProgram, p: IRProjection): string[] {
  const reads = astroReads(p);
  const a = astroGroup(ir, p);
  if (reads.length === 0 || !a) return [];
  return [
    `s.astro_index = syn["astro"].astype(np.int64)  # the ensheathing astrocyte of each synapse (glia's)`,
    ...reads.map(
      (n) =>
        `s.${astroReadName(n)} = b2.linked_var(groups[${JSON.stringify(a.name)}], "${pyName(n)}", index="astro_index")`,
    ),
  ];
}

/** The Synapses objects running the astrocytes' handlers for PROJ's events (none when PROJ is not ensheathed). */
export function astroHandlerCode(
  p: IRProjection,
  n: number,
  parts: ScriptParts,
  inputs: Map<string, Map<string, InputPlan>>,
): string[] {
  const { ir, data } = parts;
  const a = astroGroup(ir, p);
  if (!a) return [];
  const lines: string[] = [];
  const info = data.projections.get(p.name)!;
  const delays = [...info.delays];
  for (const which of ["pre", "post"] as const) {
    const stmts = which === "pre" ? a.onSynapsePre : a.onSynapsePost;
    if (stmts.length === 0) continue;
    // the Synapses' pre side is the glia synapse's pre element (synapse_pre) or its post element (synapse_post)
    const sidePop = which === "pre" ? p.pre.population : p.post.population;
    const side = ir.groups.find((g) => g.name === sidePop);
    const scope = handlerScope(ir, a, side, which, inputs, data.groupScalars);
    const code = stmtsCode(stmts, scope.stmt);
    const mods = synapseModulators(ir, stmts);
    const model = modulatorSynapseEquations(ir, mods);
    const name = `s${String(n).padStart(3, "0")}_${p.name}_astro_${which}`;
    lines.push(
      `# the astrocytes ${a.name}'s on synapse_${which} for ${p.name}: one synapse per synapse of ${p.name}, from its ${which} element to its astrocyte`,
      `syn = load(data, "proj_${p.name}.csv")`,
      `s = b2.Synapses(groups[${JSON.stringify(sidePop)}], groups[${JSON.stringify(a.name)}], model=${pyCode(model)},`,
      `                on_pre=${pyCode(code)},`,
      `                namespace=${namespace(scope.ns, (x) => scope.nsDims.get(x)!)}, dt=DT * second, name="${name}")`,
      `s.connect(i=syn["${which}"].astype(np.int64), j=syn["astro"].astype(np.int64))`,
      ...modulatorSynapseLinks(mods),
    );
    if (which === "pre" && delays.some((d) => d !== 0))
      lines.push(delays.length === 1 ? `s.delay = ${delays[0]} * DT * second` : `s.delay = syn["delay"] * DT * second`);
    lines.push(
      `s.pre.order = ${which === "pre" ? 2 : 3}  # after every on_pre (-1) and on_post (1) of the step, as glia's`,
      `net.add(s)`,
      ``,
    );
  }
  return lines;
}

/** Names in a handler Synapses: the astrocyte's own refs as X_post, the glia synapse's element as X_pre. */
function handlerScope(
  ir: IRProgram,
  a: IRGroup,
  side: IRGroup | undefined,
  which: "pre" | "post",
  inputs: Map<string, Map<string, InputPlan>>,
  scalars: ReadonlyMap<string, ReadonlyMap<string, number>>,
): { stmt: StmtScope; ns: Map<string, number>; nsDims: Map<string, Dim> } {
  const own = groupScope(a, ir.modulators);
  const sideScope = side ? groupScope(side, ir.modulators) : undefined;
  const sideRef = (r: Ref): Ref => ({
    space: side?.aliases.some((x) => x.name === r.name) ? "alias" : "param",
    name: r.name,
  });
  const read: NameScope = {
    name: (r) => {
      if (r.space === "t" || r.space === "dt") return r.space;
      if (r.space === "mod") return synapseModName(r.name);
      if (r.space === which) return `${pyName(r.name)}_pre`;
      return `${own.name(r)}_post`;
    },
    dim: (r) => {
      if (r.space === "t" || r.space === "dt") return DIM.time;
      if (r.space === which) return sideScope?.dim(sideRef(r));
      return own.dim(r);
    },
  };
  const ns = new Map<string, number>();
  const nsDims = new Map<string, Dim>();
  for (const [name, v] of scalarsOf(a)) {
    ns.set(`${pyName(name)}_post`, v.value);
    nsDims.set(`${pyName(name)}_post`, v.dim);
  }
  if (side)
    for (const [name, v] of scalarsOf(side)) {
      ns.set(`${pyName(name)}_pre`, v.value);
      nsDims.set(`${pyName(name)}_pre`, v.dim);
    }
  const plans = inputs.get(a.name)!;
  const sidePlans = side ? inputs.get(side.name) : undefined;
  return {
    stmt: {
      read,
      write: (r) => {
        if (r.space === which) return `${sidePlans?.get(r.name)?.write ?? pyName(r.name)}_pre`;
        return `${r.space === "input" ? plans.get(r.name)!.write : pyName(r.name)}_post`;
      },
      targetDim: (r) => read.dim(r) ?? DIMENSIONLESS,
    },
    ns,
    nsDims,
  };

  function scalarsOf(g: IRGroup): [string, { value: number; dim: Dim }][] {
    return [...(scalars.get(g.name) ?? [])].map(([name, value]) => [
      name,
      { value, dim: dimOfVar(g.params.find((x) => x.name === name)!.dim) },
    ]);
  }
}

/** What this form cannot express: an ensheathed projection from a poisson_count input (glia runs on synapse_pre
 *  once per event; the Brian2 spike of several events reaches the handler Synapses once). */
export function checkAstro(ir: IRProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of ir.projections)
    if (astroGroup(ir, p) && ir.sources.some((s) => s.name === p.pre.population && s.k === "poisson_count"))
      out.push(
        refusal(
          "brian2",
          p.ensheathSpan ?? p.span,
          `astrocytes ensheathing the synapses of ${p.name}, from a poisson_count input`,
          "glia runs on synapse_pre once per event; a Brian2 spike carries several",
        ),
      );
  return out;
}
