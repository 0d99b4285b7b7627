// Continuous couplings (`continuous { post.I += ... }`, gap junctions and summed couplings) in the NEST export, as a
// per-step exchange in run.py. In: a continuous-IR projection whose only handler is a continuous block, the same
// projection after the passes (the statements glia's reference runs), the pre and post groups, the projection's
// scalar parameters and per-synapse columns; out: the Python that evaluates the block at the start of every step from
// the NESTML neurons' state and adds it into their inputs (couplingPython), the lines of build() that load the
// projection's synapses (couplingLoadLines), or the first construct that cannot be reproduced, with its span (index.ts
// refuses with E0808).
//
// glia's phase 0 (docs/internals.md): every synapse of every coupling projection, in declaration order and storage
// order, reads pre/post state at t_k and adds into an input, which the step's update reads and the thresholds clear.
// NEST's gap_junction (waveform relaxation, or its single-step form with use_wfr False) is not used: NESTML 8.3.0's
// gap-junction code generation adds the gap current only into the ODEs NESTML integrates itself (its replacement of the
// gap current port in the GSL right-hand sides and analytic propagators), and glia's NESTML neurons integrate with
// glia's own discrete step in the update block (nestml.ts), where the port would read 0; NEST's built-in gap-junction
// neurons (hh_psc_alpha_gap, ...) are no glia model's equations. So run.py runs one step at a time (nest.Run(dt)
// inside nest.RunManager) and, before each step, reads the variables the blocks read from the NESTML neurons
// (GetStatus, glia's SI values), evaluates every block with numpy in glia's order (np.add.at, synapse by synapse and
// statement by statement within a synapse) on top of the input's value (what the spike ports added in the previous
// step), and writes the sums into the inputs (SetStatus): glia's numbers with glia's operations, any coupling (gap
// currents, asymmetric ones, f(pre.x) into a divisive input). Not under MPI (each process holds its own nodes): run.py
// stops there with a message. exp, log, tanh, sin, cos, pow are numpy's, which can differ from JavaScript's in the last bit.

import type { Span } from "../../../compiler/diagnostics/span.js";
import type { BuiltinFn } from "../../../compiler/builtins/functions.js";
import type { IRExpr, IRGroup, IRProjection, IRStmt } from "../../../compiler/ir/nodes.js";
import { nestVariable } from "./nestml.js";

/** A continuous coupling run.py evaluates every step. */
export interface Coupling {
  projection: string;
  synapse: string;
  pre: string;
  post: string;
  /** (population, variable) read by the block. */
  reads: [string, string][];
  /** (population, input) written by the block. */
  writes: [string, string][];
  /** The Python function's body lines (indented 4): returns the list of (population, input, element indices, values). */
  body: string[];
}

export type CouplingResult = { ok: true; coupling: Coupling } | { ok: false; why: string; span?: Span };

class Refuse extends Error {
  constructor(
    readonly why: string,
    readonly span?: Span,
  ) {
    super(why);
  }
}

const ident = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, "_");

/** A float as Python text with the same float64 value (JavaScript's shortest round-trip digits). */
function pyNum(v: number): string {
  if (Number.isNaN(v)) return "np.nan";
  if (!Number.isFinite(v)) return v > 0 ? "np.inf" : "-np.inf";
  return String(v);
}

const CALLS: Record<BuiltinFn, ((a: string[]) => string) | undefined> = {
  exp: (a) => `np.exp(${a[0]})`,
  log: (a) => `np.log(${a[0]})`,
  sqrt: (a) => `np.sqrt(${a[0]})`,
  abs: (a) => `np.abs(${a[0]})`,
  min: (a) => `np.minimum(${a[0]}, ${a[1]})`,
  max: (a) => `np.maximum(${a[0]}, ${a[1]})`,
  clip: (a) => `np.minimum(np.maximum(${a[0]}, ${a[1]}), ${a[2]})`,
  tanh: (a) => `np.tanh(${a[0]})`,
  sigmoid: (a) => `(1 / (1 + np.exp(-(${a[0]}))))`,
  pow: (a) => `np.power(${a[0]}, ${a[1]})`,
  floor: (a) => `np.floor(${a[0]})`,
  ceil: (a) => `np.ceil(${a[0]})`,
  int: (a) => `np.trunc(${a[0]})`,
  heaviside: (a) => `np.where((${a[0]}) > 0, 1.0, 0.0)`,
  sin: (a) => `np.sin(${a[0]})`,
  cos: (a) => `np.cos(${a[0]})`,
};

const OPS: Record<string, string> = {
  "+": "+",
  "-": "-",
  "*": "*",
  "/": "/",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
  "==": "==",
  "!=": "!=",
};

/** A coupling projection's plan, or why NEST cannot run it as glia does. */
export function planCoupling(
  p: IRProjection,
  discrete: IRProjection,
  preGroup: IRGroup | undefined,
  postGroup: IRGroup | undefined,
  scalars: ReadonlyMap<string, number>,
  columns: readonly string[],
): CouplingResult {
  const block = p.handlerSpans?.continuous ?? p.span;
  try {
    if (p.onPre.length + p.onPost.length > 0 || p.odes.length > 0)
      throw new Refuse(
        `a continuous coupling in a synapse with ${p.odes.length > 0 ? "equations" : "event handlers"} (NEST runs a coupling projection as a per-step exchange, apart from its synapses)`,
        block,
      );
    if (p.ensheathedBy) throw new Refuse("a continuous coupling in an ensheathed synapse", block);
    const groups = { pre: preGroup, post: postGroup };
    for (const side of ["pre", "post"] as const) {
      const g = groups[side];
      // astrocytes on their own clock as the pre side: a NESTML neuron read at t_k as any (astro-exchange.ts)
      const clocked = side === "pre" && g?.kind === "astrocyte" && g.stepEvery !== 1;
      if (!clocked && (!g || g.kind !== "neuron" || g.stepEvery !== 1))
        throw new Refuse(
          `a continuous coupling with ${side === "pre" ? p.pre.population : p.post.population} (${side}), which is ${g ? (g.kind !== "neuron" ? "an astrocyte group" : "a group on its own clock") : "an input"}: NEST reads and writes only neurons on the network's clock here`,
          block,
        );
    }
    const reads = new Map<string, [string, string]>();
    const writes = new Map<string, [string, string]>();
    const locals = new Set<string>();
    const expr = (e: IRExpr, span: Span | undefined): string => {
      switch (e.k) {
        case "num":
          return pyNum(e.v);
        case "bool":
          return e.v ? "True" : "False";
        case "neg":
          return `(-${expr(e.a, span)})`;
        case "not":
          return `np.logical_not(${expr(e.a, span)})`;
        case "sel":
          return `np.where(${expr(e.c, span)}, ${expr(e.a, span)}, ${expr(e.b, span)})`;
        case "bin": {
          const a = expr(e.a, span);
          const b = expr(e.b, span);
          if (e.op === "and") return `np.logical_and(${a}, ${b})`;
          if (e.op === "or") return `np.logical_or(${a}, ${b})`;
          if (e.op === "pow") return `np.power(${a}, ${b})`;
          return `(${a} ${OPS[e.op]!} ${b})`;
        }
        case "call": {
          const f = CALLS[e.fn];
          if (!f) throw new Refuse(`${e.fn}() in a continuous coupling`, span);
          return f(e.args.map((x) => expr(x, span)));
        }
        case "ref": {
          const r = e.ref;
          if (r.space === "pre" || r.space === "post") {
            const g = groups[r.space]!;
            if (g.inputs.some((v) => v.name === r.name))
              throw new Refuse(
                `a continuous coupling reading the input ${r.space}.${r.name} (glia reads it part-way through phase 0's sums, which run.py's per-step exchange does not reproduce)`,
                span,
              );
            if (![...g.params, ...g.state].some((v) => v.name === r.name))
              throw new Refuse(
                `a continuous coupling reading ${r.space}.${r.name} (not a parameter or state variable)`,
                span,
              );
            reads.set(`${g.name}.${r.name}`, [g.name, r.name]);
            return `V[${JSON.stringify(g.name)}, ${JSON.stringify(r.name)}][${r.space === "pre" ? "pre" : "post"}]`;
          }
          if (r.space === "param" || r.space === "state") {
            const v = scalars.get(r.name);
            if (v !== undefined) return pyNum(v);
            if (columns.includes(r.name)) return `S[${JSON.stringify(r.name)}]`;
            throw new Refuse(`a continuous coupling reading ${r.name}, which the network files do not hold`, span);
          }
          if (r.space === "local" && locals.has(r.name)) return `l_${ident(r.name)}`;
          if (r.space === "dt") return `DT`;
          throw new Refuse(
            `a continuous coupling reading ${r.space === "t" ? "t" : `${r.space}.${r.name}`} (NEST's per-step exchange reads pre/post state and synapse values)`,
            span,
          );
        }
      }
    };
    const body: string[] = [`    pre, post = S["pre"], S["post"]`, `    out = []`];
    for (const s of discrete.continuous as IRStmt[]) {
      if (s.k === "if") throw new Refuse("a branch (`if`) in a continuous coupling", s.span ?? block);
      if (s.k === "let") {
        body.push(`    l_${ident(s.name)} = ${expr(s.value, s.span ?? block)}`);
        locals.add(s.name);
        continue;
      }
      const t = s.target;
      const v = s.value;
      const accumulates =
        v.k === "bin" &&
        (v.op === "+" || v.op === "-") &&
        v.a.k === "ref" &&
        v.a.ref.space === t.space &&
        v.a.ref.name === t.name;
      if ((t.space !== "pre" && t.space !== "post") || !accumulates)
        throw new Refuse(
          `an assignment to ${t.space}.${t.name} that is not \`+=\` or \`-=\` into a pre or post input`,
          s.span ?? block,
        );
      const g = groups[t.space]!;
      if (!g.inputs.some((x) => x.name === t.name))
        throw new Refuse(`a continuous coupling writing ${t.space}.${t.name}, which is not an input`, s.span ?? block);
      writes.set(`${g.name}.${t.name}`, [g.name, t.name]);
      const amount = expr(v.b, s.span ?? block);
      body.push(
        `    out.append((${JSON.stringify(g.name)}, ${JSON.stringify(t.name)}, ${t.space}, ${v.op === "-" ? `-(${amount})` : amount}))`,
      );
    }
    body.push(`    return out`);
    return {
      ok: true,
      coupling: {
        projection: p.name,
        synapse: p.synapse,
        pre: p.pre.population,
        post: p.post.population,
        reads: [...reads.values()],
        writes: [...writes.values()],
        body,
      },
    };
  } catch (e) {
    if (e instanceof Refuse) return { ok: false, why: e.why, span: e.span };
    throw e;
  }
}

/** build()'s lines for a coupling projection: its synapses (glia's storage order) and per-synapse columns. */
export function couplingLoadLines(c: Coupling): string[] {
  return [
    `    # ${c.projection} (${c.synapse}): a continuous coupling, evaluated by run.py before every step (couple())`,
    `    syn = load(data, "proj_${c.projection}.csv")`,
    `    syn["pre"], syn["post"] = syn["pre"].astype(np.int64), syn["post"].astype(np.int64)`,
    `    COUPLED[${JSON.stringify(c.projection)}] = syn`,
    ``,
  ];
}

/** run.py's coupling functions, couple() and run_coupled() (nest.Simulate, or one step at a time when there are
 *  couplings). `held(pop, input)`: whether spike ports add to that input (its value is then read and added to). */
export function couplingPython(couplings: readonly Coupling[], held: (pop: string, input: string) => boolean): string {
  const out: string[] = [];
  const reads = new Map<string, [string, string]>();
  const writes = new Map<string, [string, string]>();
  for (const c of couplings) {
    for (const r of c.reads) reads.set(r.join("."), r);
    for (const w of c.writes) writes.set(w.join("."), w);
  }
  out.push(
    `# continuous couplings (glia's phase 0): evaluated before every step from the NESTML neurons' state at t_k,`,
  );
  out.push(`# added into their inputs in glia's order (targets/export/nest/couplings.ts)`);
  out.push(`COUPLED = {}  # projection: its synapses (pre, post, per-synapse columns), filled by build()`);
  out.push(
    `COUPLING_READS = [${[...reads.values()].map(([p, v]) => `(${JSON.stringify(p)}, ${JSON.stringify(v)}, ${JSON.stringify(nestVariable(v))})`).join(", ")}]`,
  );
  out.push(
    `COUPLING_INPUTS = [${[...writes.values()].map(([p, v]) => `(${JSON.stringify(p)}, ${JSON.stringify(v)}, ${JSON.stringify(nestVariable(v))}, ${held(p, v) ? "True" : "False"})`).join(", ")}]`,
  );
  for (const c of couplings) {
    out.push(``, ``, `def coupling_${ident(c.projection)}(V, S):`);
    out.push(
      `    """${c.projection} (${c.synapse}, ${c.pre} -> ${c.post}): (population, input, elements, amounts) per statement."""`,
    );
    out.push(...c.body);
  }
  out.push(``, ``);
  out.push(
    `COUPLINGS = [${couplings.map((c) => `(${JSON.stringify(c.projection)}, coupling_${ident(c.projection)})`).join(", ")}]`,
  );
  out.push(`
def couple(nodes):
    """glia's phase 0: every coupling's amounts added, synapse by synapse (statements in order within a synapse), to the
    inputs' values (what the spike ports added in the step before), then written into the NESTML neurons."""
    V = {(pop, var): np.atleast_1d(np.asarray(nodes[pop].get(name), dtype=float)) for pop, var, name in COUPLING_READS}
    acc = {}
    for pop, var, name, held in COUPLING_INPUTS:
        acc[pop, var] = (np.atleast_1d(np.asarray(nodes[pop].get(name), dtype=float)) if held
                         else np.zeros(SIZES[pop]))
    for proj, fn in COUPLINGS:
        terms = fn(V, COUPLED[proj])
        for key in dict.fromkeys((pop, var) for pop, var, _, _ in terms):
            mine = [t for t in terms if (t[0], t[1]) == key]
            at = np.stack([t[2] for t in mine], axis=1).ravel()
            values = np.stack([np.broadcast_to(np.asarray(t[3], dtype=float), t[2].shape) for t in mine], axis=1).ravel()
            np.add.at(acc[key], at, values)
    for pop, var, name, _ in COUPLING_INPUTS:
        nodes[pop].set({name: acc[pop, var].tolist()})


def run_coupled(nodes, ms):
    """nest.Simulate(ms); with continuous couplings or network modulators one step at a time, modulate() (modulators.ts)
    and couple() before each step (advance() calls it; DONE[0] steps are done before)."""
    if not COUPLINGS and not MODULATORS:
        nest.Simulate(ms)
        return
    if COUPLINGS and nest.NumProcesses() > 1:
        sys.exit("continuous couplings: run.py reads and sets every neuron each step, which it does not under MPI")
    with nest.RunManager():
        for i in range(int(round(ms / (DT * 1e3)))):
            if MODULATORS:
                modulate(nodes, DONE[0] + i)
            couple(nodes)
            nest.Run(DT * 1e3)`);
  return out.join("\n");
}
