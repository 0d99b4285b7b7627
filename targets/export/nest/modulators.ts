// Network modulators (`modulator NAME = expr`, read as mod.NAME) in the NEST export. In: the continuous IR's
// modulators, the groups and synapses that read them, the groups' bindings; out: the E0808 refusals of what this form
// cannot express (modulatorRefusals), the groups and synapses rewritten so that NESTML models read a modulator as a
// neuron parameter (groupReadingModulators, synapseReadingModulators), and run.py's Python that evaluates every
// modulator before each step and sets it into the NESTML neurons (modulatorPython; couplings.ts's run_coupled calls
// modulate() before couple(), one step at a time).
//
// glia's phase 0 (docs/internals.md; targets/reference/engine.ts modulators(), the schedule's phase0): before the
// updates of step k the modulators are evaluated in declaration order at t_k = k dt, `rate(POP)` = the spikes POP
// fired in step k-1 / (size * dt) (0 in step 0); the updates, thresholds, handlers and resets of step k read them.
// run.py: modulate(nodes, k) before nest.Run of step k evaluates each modulator with glia's operations on float64 (numpy;
// exp, log, sin, ... are numpy's, which can differ from JavaScript's in the last bit), counts POP's spikes of step k-1
// as the growth of its spike_recorder's n_events over NEST's step k-1 (measured on NEST 3.10: a recorder holds a
// step's spikes when nest.Run of that step returns, with a min_delay of one step or more; its events' latest stamp
// equals the neurons' latest t_spike after every step) or, for an input replaying glia's draws or spike list, from
// data/, and sets the value into the parameter glia_mod_NAME of every NESTML
// neuron that holds it. A group reading mod.NAME is a NESTML neuron reading that parameter in its update, threshold and
// reset (glia's value of step k). A synapse reading mod.NAME in `on pre` / `on post` reads it as a post read of its
// NESTML neuron's glia_mod_NAME (post-ports.ts): the neuron copies it into glia_seen_glia_mod_NAME right after its
// update of step k, and NESTML hands `on pre` the copy held when the spike of glia's step k is delivered (the start of
// NEST's step k + 1, before that step's update: glia's mod of step k, although run.py has set step k + 1's value by
// then) and `on post` the copy at the postsynaptic spike (step k's). Refused (E0808 at the construct): mean(POP.var)
// (the population's state at t_k, which built-ins hold in NEST's units and a NESTML neuron's inputs hold in NEST's
// order), rate() of a poisson_count input (NEST draws its counts) or of astrocytes; under MPI run.py stops (it reads
// and sets neurons from one process).

import type { Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt, IRVar, Ref } from "../../../compiler/ir/nodes.js";
import { children, forEachRef, forEachStmtExpr, mapStmtExprs, substitute } from "../../../compiler/ir/expr.js";
import { exprSpan } from "../../../compiler/ir/spans.js";
import { refusal } from "../refuse.js";

const ident = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, "_");

/** The NESTML neuron parameter that holds modulator NAME (set by run.py before every step). */
export const modParam = (name: string): string => `glia_mod_${ident(name)}`;

/** The modulator a (post) variable name stands for, when it is a modulator's parameter. */
export function modulatorOf(ir: IRProgram, variable: string): string | undefined {
  return ir.modulators.find((m) => modParam(m.name) === variable)?.name;
}

const readsIn = (exprs: readonly IRExpr[], stmts: readonly IRStmt[]): Set<string> => {
  const read = new Set<string>();
  const add = (r: Ref): void => {
    if (r.space === "mod") read.add(r.name);
  };
  for (const e of exprs) forEachRef(e, add);
  forEachStmtExpr(stmts, (e) => forEachRef(e, add));
  return read;
};

/** The modulators group g reads (equations, aliases, threshold, reset, the discrete update), in declaration order. */
export function groupModulators(ir: IRProgram, g: IRGroup): string[] {
  const read = readsIn(
    [...g.odes.map((o) => o.rhs), ...g.aliases.map((a) => a.expr), ...(g.threshold ? [g.threshold] : [])],
    [...g.reset, ...g.update],
  );
  return ir.modulators.map((m) => m.name).filter((n) => read.has(n));
}

/** The modulators projection p's handlers and equations read, in declaration order. */
export function synapseModulators(ir: IRProgram, p: IRProjection): string[] {
  const read = readsIn(
    p.odes.map((o) => o.rhs),
    [...p.onPre, ...p.onPost],
  );
  return ir.modulators.map((m) => m.name).filter((n) => read.has(n));
}

const toRef = (space: "param" | "post", name: string): IRExpr => ({ k: "ref", ref: { space, name: modParam(name) } });

/** Group g reading the modulators `names` as parameters glia_mod_NAME (added, default 0: run.py sets them). */
export function groupReadingModulators(ir: IRProgram, g: IRGroup, names: readonly string[]): IRGroup {
  if (names.length === 0) return g;
  const sub = (e: IRExpr): IRExpr => substitute(e, (r) => (r.space === "mod" ? toRef("param", r.name) : undefined));
  const params: IRVar[] = names.map((n) => ({
    name: modParam(n),
    dim: ir.modulators.find((m) => m.name === n)!.dim,
    init: { k: "expr", e: { k: "num", v: 0 } },
    perElement: false,
  }));
  return {
    ...g,
    params: [...g.params, ...params],
    odes: g.odes.map((o) => ({ ...o, rhs: sub(o.rhs) })),
    aliases: g.aliases.map((a) => ({ ...a, expr: sub(a.expr) })),
    threshold: g.threshold ? sub(g.threshold) : null,
    reset: mapStmtExprs(g.reset, sub),
    update: mapStmtExprs(g.update, sub),
  };
}

/** Projection p with every mod.NAME its handlers read as post.glia_mod_NAME (a post read, post-ports.ts). */
export function synapseReadingModulators(p: IRProjection): IRProjection {
  const sub = (e: IRExpr): IRExpr => substitute(e, (r) => (r.space === "mod" ? toRef("post", r.name) : undefined));
  if (!JSON.stringify([p.onPre, p.onPost, p.odes]).includes('"space":"mod"')) return p;
  return {
    ...p,
    onPre: mapStmtExprs(p.onPre, sub),
    onPost: mapStmtExprs(p.onPost, sub),
    odes: p.odes.map((o) => ({ ...o, rhs: sub(o.rhs) })),
  };
}

/** What run.py's modulate() cannot reproduce: E0808 at the construct. */
export function modulatorRefusals(ir: IRProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of ir.modulators) {
    const at = (e: IRExpr): Parameters<typeof refusal>[1] =>
      exprSpan(e) ?? ir.spans?.modulators[m.name] ?? ir.spans?.network;
    const visit = (e: IRExpr): void => {
      if (e.k === "ref") {
        const r = e.ref;
        if (r.space === "popmean")
          out.push(
            refusal(
              "nest",
              at(e),
              `mean(${r.name}) in the modulator '${m.name}'`,
              "run.py evaluates modulators from t, dt, rate(POP) and earlier modulators; a population's state at t_k is not read from NEST",
            ),
          );
        if (r.space === "poprate") {
          const src = ir.sources.find((s) => s.name === r.name);
          const astro = ir.groups.find((g) => g.name === r.name)?.kind === "astrocyte";
          if (src?.k === "poisson_count" || astro)
            out.push(
              refusal(
                "nest",
                at(e),
                `rate(${r.name}) of ${astro ? "astrocytes" : "a poisson_count input"} in the modulator '${m.name}'`,
                astro
                  ? "astrocytes fire no spikes to count"
                  : "NEST's poisson_generators draw the counts, one train per connection: glia's counts are not known to run.py",
              ),
            );
        }
        return;
      }
      for (const c of children(e)) visit(c);
    };
    visit(m.expr);
  }
  return out;
}

/** A float as Python text with the same float64 value. */
function pyNum(v: number): string {
  if (Number.isNaN(v)) return "np.nan";
  if (!Number.isFinite(v)) return v > 0 ? "np.inf" : "-np.inf";
  return `np.float64(${String(v)})`;
}

/** A modulator's expression as Python over float64, with glia's operations (targets/network/eval.ts and
 *  compiler/builtins): booleans 1/0, JavaScript's truth (0 and NaN false), lazy selection, heaviside(0) = 0. */
function pyExpr(e: IRExpr, ref: (r: Ref) => string): string {
  const p = (x: IRExpr): string => pyExpr(x, ref);
  const b = (c: string): string => `(1.0 if ${c} else 0.0)`;
  switch (e.k) {
    case "num":
      return pyNum(e.v);
    case "bool":
      return e.v ? "1.0" : "0.0";
    case "ref":
      return ref(e.ref);
    case "neg":
      return `(-${p(e.a)})`;
    case "not":
      return b(`not js_true(${p(e.a)})`);
    case "sel":
      return `(${p(e.a)} if js_true(${p(e.c)}) else ${p(e.b)})`;
    case "bin": {
      const x = p(e.a);
      const y = p(e.b);
      switch (e.op) {
        case "and":
          return b(`js_true(${x}) and js_true(${y})`);
        case "or":
          return b(`js_true(${x}) or js_true(${y})`);
        case "+":
        case "-":
        case "*":
          return `(${x} ${e.op} ${y})`;
        case "/":
          return `np.divide(${x}, ${y})`;
        case "pow":
          return `np.power(${x}, ${y})`;
        default:
          return b(`${x} ${e.op} ${y}`);
      }
    }
    case "call": {
      const a = e.args.map(p);
      switch (e.fn) {
        case "log":
        case "exp":
        case "sqrt":
        case "abs":
        case "tanh":
        case "floor":
        case "ceil":
        case "sin":
        case "cos":
          return `np.${e.fn}(${a[0]})`;
        case "min":
          return `np.minimum(${a[0]}, ${a[1]})`;
        case "max":
          return `np.maximum(${a[0]}, ${a[1]})`;
        case "clip":
          return `np.minimum(np.maximum(${a[0]}, ${a[1]}), ${a[2]})`;
        case "sigmoid":
          return `np.divide(1.0, 1.0 + np.exp(-(${a[0]})))`;
        case "pow":
          return `np.power(${a[0]}, ${a[1]})`;
        case "int":
          return `np.trunc(${a[0]})`;
        case "heaviside":
          return b(`${a[0]} > 0`);
      }
    }
  }
}

/** The NESTML neurons holding each modulator: (population, parameter, modulator), from their bindings' text. */
function holders(ir: IRProgram, bindings: ReadonlyMap<string, { model: string; text?: string }>): string[] {
  const out: string[] = [];
  for (const g of ir.groups) {
    const b = bindings.get(g.name);
    if (b?.model !== "nestml") continue;
    for (const m of ir.modulators)
      if (b.text!.includes(`\n        ${modParam(m.name)} real = `))
        out.push(`(${JSON.stringify(g.name)}, ${JSON.stringify(modParam(m.name))}, ${JSON.stringify(m.name)})`);
  }
  return out;
}

/** run.py's modulators: MODULATORS (names), MOD_HOLDERS, load_modulator_inputs(data, recorders) (build() calls it) and
 *  modulate(nodes, k) (run_coupled calls it before each step). */
export function modulatorPython(
  ir: IRProgram,
  bindings: ReadonlyMap<string, { model: string; text?: string }>,
): string {
  const held = holders(ir, bindings);
  // a modulator no NESTML neuron holds is read by nothing NEST runs: no per-step loop for it
  if (held.length === 0)
    return [
      `MODULATORS = []  # network modulators (targets/export/nest/modulators.ts): ${ir.modulators.length === 0 ? "none" : "none read"}`,
      ``,
      ``,
      `def load_modulator_inputs(data, recorders):`,
      `    pass`,
    ].join("\n");
  const pops: string[] = [];
  for (const m of ir.modulators)
    forEachRef(m.expr, (r) => {
      if (r.space === "poprate" && !pops.includes(r.name)) pops.push(r.name);
    });
  const sizeOf = (pop: string): number => [...ir.groups, ...ir.sources].find((x) => x.name === pop)!.size;
  const rateVar = (pop: string): string => `rate_${ident(pop)}`;
  const ref = (r: Ref): string => {
    if (r.space === "t") return "t";
    if (r.space === "dt") return "DT";
    if (r.space === "mod") return `MOD[${JSON.stringify(r.name)}]`;
    if (r.space === "poprate") return rateVar(r.name);
    throw new Error(`internal: ${r.space}.${r.name} in a modulator (refused by modulatorRefusals)`);
  };
  const sources = pops.filter((p) => ir.sources.some((s) => s.name === p));
  const lines = [
    `# network modulators (glia's phase 0, targets/export/nest/modulators.ts): evaluated before every step in declaration`,
    `# order at t_k, rate(POP) from POP's spikes of step k-1, and set into the NESTML neurons' glia_mod_NAME parameters`,
    `MODULATORS = ${JSON.stringify(ir.modulators.map((m) => m.name))}`,
    `MOD_HOLDERS = [${held.join(", ")}]  # (population, parameter, modulator)`,
    `MOD = {}  # the modulators' values of the step run last`,
    `MOD_INPUT_COUNTS = {}  # input: its spikes per step (glia's draws or spike list, data/), filled by build()`,
    `MOD_RECORDERS = {}  # population: its spike_recorder, which counts its spikes (filled by build())`,
    `MOD_SEEN = {}  # population: its recorder's n_events when modulate() last read it`,
    ``,
    ``,
    `def js_true(x):`,
    `    """JavaScript's truth of a number, as glia evaluates a condition: 0 and NaN are false."""`,
    `    return bool(x == x and x != 0)`,
    ``,
    ``,
    `def load_modulator_inputs(data, recorders):`,
    `    """The spike counts per step of the inputs a modulator's rate() reads, from the files glia wrote (glia's draws;`,
    `    with --poisson nest a Poisson input's parrot_neurons are counted by their recorder, as neurons are), and the`,
    `    recorders that count the other populations' spikes."""`,
    `    MOD_INPUT_COUNTS.clear()`,
    `    MOD_SEEN.clear()`,
    `    MOD_RECORDERS.clear()`,
    `    MOD_RECORDERS.update({pop: recorders[pop] for pop in ${JSON.stringify(pops)} if pop in recorders})`,
    `    for name in ${JSON.stringify(sources)}:`,
    `        for f in ("src_%s.csv" % name, "poisson_%s.csv" % name):`,
    `            path = os.path.join(data, f)`,
    `            if os.path.exists(path) and "step" in open(path).readline():`,
    `                if f.startswith("poisson_") and POISSON != "glia":`,
    `                    continue`,
    `                src = load(data, f)`,
    `                MOD_INPUT_COUNTS[name] = np.bincount(np.atleast_1d(src["step"]).astype(np.int64), minlength=1)`,
    ``,
    ``,
    `def spikes_in_step(pop, k):`,
    `    """The spikes population pop fired in glia's step k, the step NEST ran last: an input's from data/, else the growth`,
    `    of its spike_recorder's n_events since the step before (NEST 3.10 hands a recorder the spikes of a step when`,
    `    nest.Run of that step returns, also with a min_delay of several steps; reading every neuron's t_spike instead`,
    `    costs a status dictionary per neuron and step)."""`,
    `    if pop in MOD_INPUT_COUNTS:`,
    `        counts = MOD_INPUT_COUNTS[pop]`,
    `        return int(counts[k]) if 0 <= k < len(counts) else 0`,
    `    n = int(MOD_RECORDERS[pop].get("n_events"))`,
    `    seen, MOD_SEEN[pop] = MOD_SEEN.get(pop, 0), n`,
    `    return n - seen if k >= 0 else 0`,
    ``,
    ``,
    `def modulate(nodes, k):`,
    `    """glia's phase 0 for the modulators of step k: each evaluated in declaration order, then set into the NESTML`,
    `    neurons that read it (their parameter glia_mod_NAME, read by their update and by their paired synapses)."""`,
    `    if nest.NumProcesses() > 1:`,
    `        sys.exit("network modulators: run.py reads spikes and sets neurons every step, which it does not under MPI")`,
    `    t = np.float64(k * DT)`,
    ...pops.map(
      (p) =>
        `    ${rateVar(p)} = np.divide(np.float64(spikes_in_step(${JSON.stringify(p)}, k - 1)), ${sizeOf(p)} * DT)`,
    ),
    `    with np.errstate(all="ignore"):`,
    ...ir.modulators.map((m) => `        MOD[${JSON.stringify(m.name)}] = float(${pyExpr(m.expr, ref)})`),
    `    for pop, param, name in MOD_HOLDERS:`,
    `        nodes[pop].set({param: MOD[name]})`,
  ];
  return lines.join("\n");
}

/** README.md's lines on the modulators. */
export function modulatorNote(ir: IRProgram, bindings: ReadonlyMap<string, { model: string; text?: string }>): string {
  if (holders(ir, bindings).length === 0) return "";
  return `
Network modulators (${ir.modulators.map((m) => m.name).join(", ")}): run.py runs one step at a time and, before each step,
evaluates them as glia's phase 0 does (declaration order, t_k, rate(POP) from POP's spikes of the step before) and sets
them into the NESTML neurons that read them (parameter glia_mod_NAME); a synapse reads its postsynaptic neuron's copy
as glia's handlers see the modulator (not under MPI).
`;
}
