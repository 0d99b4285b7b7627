// Generated kernels of the reference target. In: one group or projection of a discrete IR program and
// its runtime arrays; out: JS functions (update, threshold, reset; on pre per row / per synapse, on post,
// continuous, astrocyte synapse events) produced by codegen.ts.

import type { IRGroup, IRProjection, IRStmt, Ref } from "../../compiler/ir/nodes.js";
import { forEachStmtExpr, mentions } from "../../compiler/ir/expr.js";
import type { Values } from "../network/init.js";
import { noiseSource } from "../network/noise.js";
import type { SpikeBuffer } from "../schedule/spikes.js";
import { TargetError } from "../target.js";
import { declareLocals, exprJs, JsBuilder, localName, numLit, stmtsJs, unsupported, type Resolver } from "./codegen.js";

/** Runtime view of a population (neuron group, astrocyte group or source). */
export interface PopRt {
  name: string;
  size: number;
  group: IRGroup | null; // null for sources
  values: Values | null; // null for sources
  lastSpike: Int32Array; // step of the last spike, NEVER (targets/schedule) when none
  refractorySteps: number;
  dt: number; // the group's own clock step (s)
  spikes: SpikeBuffer; // elements spiking in the current step (the schedule's spike list)
}

export interface ModTable {
  values: Float64Array;
  index: Map<string, number>;
}

function modRef(b: JsBuilder, mods: ModTable, r: Ref): string {
  const idx = mods.index.get(r.name);
  if (idx === undefined) throw new TargetError(`unknown modulator ${r.name}`);
  return `${b.bind(mods.values, "M")}[${idx}]`;
}

/** Variable `name` of population `pop` at element `elem` (params, state, inputs, astrocyte exposes). */
function popVar(
  b: JsBuilder,
  pop: PopRt,
  name: string,
  elem: string,
  write: boolean,
  mods: ModTable,
  where: string,
): string {
  const v = pop.values;
  if (!v || !pop.group)
    throw new TargetError(`${where}: ${pop.name} is an input population and has no variable ${name}`);
  const p = v.params.get(name);
  if (p !== undefined) {
    if (write) throw new TargetError(`${where}: cannot assign parameter ${pop.name}.${name}`);
    return typeof p === "number" ? numLit(p) : `${b.bind(p, `${pop.name}_${name}`)}[${elem}]`;
  }
  const s = v.state.get(name) ?? v.inputs.get(name);
  if (s) return `${b.bind(s, `${pop.name}_${name}`)}[${elem}]`;
  const ex = pop.group.exposes.find((x) => x.name === name);
  if (ex && !write) return `(${exprJs(ex.expr, groupResolver(b, pop, elem, mods, `${pop.name}.${name}`))})`;
  throw new TargetError(`${where}: ${pop.name} has no variable ${name}`);
}

/** Refs of a group's own code at element `elem` (snapshot: state reads go to o_NAME locals). */
function groupResolver(
  b: JsBuilder,
  pop: PopRt,
  elem: string,
  mods: ModTable,
  where: string,
  snapshot?: Set<string>,
  extra?: (r: Ref, write: boolean) => string | undefined,
  seed = 0,
): Resolver {
  return (r, write) => {
    const x = extra?.(r, write);
    if (x !== undefined) return x;
    switch (r.space) {
      case "param":
      case "input":
        return popVar(b, pop, r.name, elem, write, mods, where);
      case "state":
        if (snapshot && !write) {
          snapshot.add(r.name);
          return `o_${r.name.replace(/[^A-Za-z0-9_]/g, "_")}`;
        }
        return popVar(b, pop, r.name, elem, write, mods, where);
      case "local":
        return localName(r.name);
      case "t":
        return "t";
      case "dt":
        return numLit(pop.dt);
      case "mod":
        return modRef(b, mods, r);
      case "flag":
        if (r.name !== "refractory") return unsupported(r, where);
        return pop.refractorySteps > 0
          ? `(k - ${b.bind(pop.lastSpike, "LS")}[${elem}] < ${pop.refractorySteps})`
          : "false";
      case "noise":
        // the step's standard normal draw of this noise for this element (targets/network/noise.ts)
        return `${b.bind(noiseSource(seed, pop.name, r.name, pop.size), `noise_${r.name}`)}(k, ${elem})`;
      default:
        return unsupported(r, where);
    }
  };
}

export interface GroupKernels {
  update: ((k: number, t: number) => void) | null;
  threshold: ((k: number, t: number, out: Int32Array) => number) | null;
  /** Runs the reset of the `n` elements in `list` and starts their refractory period (lastSpike = k). */
  reset: (list: Int32Array, n: number, k: number, t: number) => void;
}

/** `seed`: the run's seed, for white noise draws in the update. */
export function groupKernels(pop: PopRt, mods: ModTable, seed = 0): GroupKernels {
  const g = pop.group!;
  const N = pop.size;
  let update: GroupKernels["update"] = null;
  if (g.update.length) {
    const b = new JsBuilder();
    const snap = new Set<string>();
    const body = stmtsJs(
      g.update,
      groupResolver(b, pop, "i", mods, `update of ${g.name}`, snap, undefined, seed),
      "    ",
    );
    const reads = [...snap].map(
      (n) => `    const o_${n.replace(/[^A-Za-z0-9_]/g, "_")} = ${popVar(b, pop, n, "i", false, mods, g.name)};`,
    );
    update = b.build(
      ["k", "t"],
      `  for (let i = 0; i < ${N}; i++) {\n    ${declareLocals(g.update)}\n${reads.join("\n")}\n${body}\n  }`,
    );
  }
  let threshold: GroupKernels["threshold"] = null;
  if (g.threshold) {
    const b = new JsBuilder();
    const cond = exprJs(g.threshold, groupResolver(b, pop, "i", mods, `spike condition of ${g.name}`));
    const refr = pop.refractorySteps > 0 ? `k - ${b.bind(pop.lastSpike, "LS")}[i] >= ${pop.refractorySteps} && ` : "";
    threshold = b.build(
      ["k", "t", "out"],
      `  let n = 0;\n  for (let i = 0; i < ${N}; i++) if (${refr}${cond}) out[n++] = i;\n  return n;`,
    );
  }
  const b = new JsBuilder();
  const body = stmtsJs(g.reset, groupResolver(b, pop, "i", mods, `spike block of ${g.name}`), "    ");
  const reset = b.build<GroupKernels["reset"]>(
    ["list", "n", "k", "t"],
    `  for (let q = 0; q < n; q++) {\n    const i = list[q];\n    ${declareLocals(g.reset)}\n${body}\n    ${b.bind(pop.lastSpike, "LS")}[i] = k;\n  }`,
  );
  return { update, threshold, reset };
}

// ---------------------------------------------------------------- projections

/** Runtime view of a projection. */
export interface ProjRt {
  proj: IRProjection;
  pre: PopRt;
  post: PopRt;
  astro: PopRt | null;
  n: number;
  preIdx: Int32Array;
  postIdx: Int32Array;
  rowStart: Int32Array;
  postStart: Int32Array;
  postSyn: Int32Array;
  values: Values;
  lastUpdate: Float64Array;
  astroOf: Int32Array | null;
}

export interface ProjKernels {
  /** on pre of every synapse of pre element p; returns how many ran. */
  row: ((p: number, t: number) => number) | null;
  /** on pre of synapse s. */
  syn: ((s: number, t: number) => void) | null;
  /** on post of every incoming synapse of post element q. */
  postRow: ((q: number, t: number) => void) | null;
  continuous: ((k: number, t: number) => void) | null;
  /** The ensheathing astrocyte's on synapse_pre for synapse s. */
  astroPre: ((s: number, t: number) => void) | null;
  /** The ensheathing astrocytes' on synapse_post for every incoming synapse of post element q. */
  astroPost: ((q: number, t: number) => void) | null;
}

const usesElapsed = (stmts: readonly IRStmt[]): boolean => {
  let found = false;
  forEachStmtExpr(stmts, (e) => {
    if (mentions(e, (r) => r.space === "elapsed")) found = true;
  });
  return found;
};

function synapseResolver(b: JsBuilder, rt: ProjRt, mods: ModTable, where: string, dt: number): Resolver {
  const own = rt.values;
  return (r, write) => {
    switch (r.space) {
      case "param":
      case "state": {
        const p = own.params.get(r.name);
        if (p !== undefined && !write) return typeof p === "number" ? numLit(p) : `${b.bind(p, r.name)}[s]`;
        const s = own.state.get(r.name);
        if (s) return `${b.bind(s, r.name)}[s]`;
        throw new TargetError(`${where}: no synapse variable ${r.name}`);
      }
      case "pre":
        return popVar(b, rt.pre, r.name, "pi", write, mods, where);
      case "post":
        return popVar(b, rt.post, r.name, "po", write, mods, where);
      case "astro":
        if (!rt.astro) throw new TargetError(`${where}: astro.${r.name} is read but ${rt.proj.name} is not ensheathed`);
        if (write) throw new TargetError(`${where}: cannot assign astro.${r.name}`);
        return popVar(b, rt.astro, r.name, "a", false, mods, where);
      case "elapsed":
        return `(t - ${b.bind(rt.lastUpdate, "LU")}[s])`;
      case "local":
        return localName(r.name);
      case "t":
        return "t";
      case "dt":
        return numLit(dt);
      case "mod":
        return modRef(b, mods, r);
      default:
        return unsupported(r, where);
    }
  };
}

/** Prologue shared by synapse loops: pre/post/astrocyte element of synapse s. */
function prologue(b: JsBuilder, rt: ProjRt): string {
  const a = rt.astroOf ? `, a = ${b.bind(rt.astroOf, "AST")}[s]` : "";
  return `const pi = ${b.bind(rt.preIdx, "PRE")}[s], po = ${b.bind(rt.postIdx, "POST")}[s]${a};`;
}

export function projectionKernels(rt: ProjRt, mods: ModTable, netDt: number): ProjKernels {
  const p = rt.proj;
  const out: ProjKernels = { row: null, syn: null, postRow: null, continuous: null, astroPre: null, astroPost: null };
  const handler = (stmts: readonly IRStmt[], where: string): { b: JsBuilder; body: string } => {
    const b = new JsBuilder();
    // lastUpdate = t after every handler that carries the event-driven prefix (reads elapsed)
    const stamp = usesElapsed(stmts);
    const body =
      `    ${prologue(b, rt)}\n    ${declareLocals(stmts)}\n${stmtsJs(stmts, synapseResolver(b, rt, mods, where, netDt))}` +
      (stamp ? `\n    ${b.bind(rt.lastUpdate, "LU")}[s] = t;` : "");
    return { b, body };
  };
  if (p.onPre.length) {
    const h1 = handler(p.onPre, `on pre of ${p.name}`);
    const RS = h1.b.bind(rt.rowStart, "RS");
    out.row = h1.b.build(
      ["p", "t"],
      `  const s0 = ${RS}[p], s1 = ${RS}[p + 1];\n  for (let s = s0; s < s1; s++) {\n${h1.body}\n  }\n  return s1 - s0;`,
    );
    const h2 = handler(p.onPre, `on pre of ${p.name}`);
    out.syn = h2.b.build(["s", "t"], h2.body);
  }
  if (p.onPost.length) {
    const h = handler(p.onPost, `on post of ${p.name}`);
    const PS = h.b.bind(rt.postStart, "PS");
    const PSYN = h.b.bind(rt.postSyn, "PSYN");
    out.postRow = h.b.build(
      ["q", "t"],
      `  for (let x = ${PS}[q], x1 = ${PS}[q + 1]; x < x1; x++) {\n    const s = ${PSYN}[x];\n${h.body}\n  }`,
    );
  }
  if (p.continuous.length) {
    const b = new JsBuilder();
    const body = stmtsJs(p.continuous, synapseResolver(b, rt, mods, `continuous block of ${p.name}`, netDt));
    const stamp = usesElapsed(p.continuous) ? `\n    ${b.bind(rt.lastUpdate, "LU")}[s] = t;` : "";
    out.continuous = b.build(
      ["k", "t"],
      `  for (let s = 0; s < ${rt.n}; s++) {\n    ${prologue(b, rt)}\n    ${declareLocals(p.continuous)}\n${body}${stamp}\n  }`,
    );
  }
  const astro = rt.astro;
  if (astro && astro.group && rt.astroOf) {
    const g = astro.group;
    const astroHandler = (stmts: readonly IRStmt[], where: string): { b: JsBuilder; body: string } => {
      const b = new JsBuilder();
      const extra = (r: Ref, write: boolean): string | undefined =>
        r.space === "pre"
          ? popVar(b, rt.pre, r.name, "pi", write, mods, where)
          : r.space === "post"
            ? popVar(b, rt.post, r.name, "po", write, mods, where)
            : r.space === "flag"
              ? unsupported(r, where)
              : undefined;
      const res = groupResolver(b, astro, "a", mods, where, undefined, extra);
      return { b, body: `    ${prologue(b, rt)}\n    ${declareLocals(stmts)}\n${stmtsJs(stmts, res)}` };
    };
    if (g.onSynapsePre.length) {
      const h = astroHandler(g.onSynapsePre, `on synapse_pre of ${g.name}`);
      out.astroPre = h.b.build(["s", "t"], h.body);
    }
    if (g.onSynapsePost.length) {
      const h = astroHandler(g.onSynapsePost, `on synapse_post of ${g.name}`);
      const PS = h.b.bind(rt.postStart, "PS");
      const PSYN = h.b.bind(rt.postSyn, "PSYN");
      out.astroPost = h.b.build(
        ["q", "t"],
        `  for (let x = ${PS}[q], x1 = ${PS}[q + 1]; x < x1; x++) {\n    const s = ${PSYN}[x];\n${h.body}\n  }`,
      );
    }
  }
  return out;
}
