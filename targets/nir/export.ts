// glia -> NIR (`glia export FILE --to nir -o out.nir`). In: the continuous IR (as built); out: a NIR file's
// bytes, or diagnostics E0808 with a caret on the part NIR cannot express (plasticity, astrocytes, continuous
// couplings, modulators, current stimuli, refractory periods, resets other than to a value, neurons other
// than LIF / CubaLIF / IF / LI / Integrator). Per-neuron parameter values become NIR's per-neuron arrays (each
// neuron read on its own, weights scaled per post neuron). Mapping (docs/nir.md): a neuron group whose
// ODEs are linear with constant coefficients in v (and a synaptic current i) becomes LIF, CubaLIF, IF, LI or I
// with r chosen so that a NIR weight w is the jump a spike gives (w = jump * tau / r, i.e. the Dirac reading
// of NIR); a static projection (`on pre { post.X += w }`) becomes one Linear per distinct delay, followed by a
// Delay node when the delay is not zero; an input generator becomes an Input (its spikes are not part of NIR).

import { Diagnostics } from "../../compiler/diagnostics/diagnostic.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt } from "../../compiler/ir/nodes.js";
import { mentions, substitute } from "../../compiler/ir/expr.js";
import { evalNumber } from "../../compiler/ir/evaluate.js";
import { affine } from "../../compiler/passes/linear.js";
import { arr, type NirNode } from "../../compiler/nir/graph.js";
import { buildProjection, type PopulationFacts } from "../network/projection.js";
import { initGroup, valueAt, type Values } from "../network/init.js";
import type { EmitOptions, EmitResult, Emitter } from "../target.js";
import { loadHdf5, writeNir } from "./hdf5.js";

/** The NIR version written (the `nir` package's own at the time of writing). */
export const NIR_VERSION = "1.0.8";

interface NeuronExport {
  node: NirNode;
  /** the variable a spike's weight jumps, and the factor from a jump to a NIR weight, per neuron */
  onto: string;
  toWeight: Float64Array;
}

export async function loadNirExporter(): Promise<Emitter> {
  await loadHdf5();
  return nirExporter;
}

export const nirExporter: Emitter = {
  name: "nir",
  emit(ir: IRProgram, options: EmitOptions): EmitResult {
    const r = exportGraph(ir);
    if (!r.root) return { diagnostics: r.diagnostics.items };
    const bytes = writeNir({ version: NIR_VERSION, root: r.root });
    const out = options.out ?? "out.nir";
    return {
      files: [{ path: out, content: bytes }],
      stdout: `glia: wrote ${out}: NIR ${NIR_VERSION}, ${r.root.nodes!.size} nodes, ${r.root.edges!.length} edges\n`,
      diagnostics: r.diagnostics.items,
    };
  },
};

/** The NIR graph of a program, or the diagnostics saying what it cannot hold. */
export function exportGraph(ir: IRProgram): { root?: NirNode; diagnostics: Diagnostics } {
  const diags = new Diagnostics();
  const fallback = ir.spans?.network ?? { file: "", start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
  const refuse = (span: Span | undefined, what: string, hint?: string): void =>
    diags.error("E0808", span ?? fallback, `NIR cannot express ${what}`, { hint });
  for (const m of ir.modulators) refuse(ir.spans?.modulators[m.name], `the modulator \`${m.name}\``);
  const nodes = new Map<string, NirNode>();
  const edges: [string, string][] = [];
  const neurons = new Map<string, NeuronExport>();
  const values = new Map<string, Values>();
  for (const s of ir.sources) nodes.set(s.name, { type: "Input", params: { shape: arr([s.size]) } });
  for (const g of ir.groups) {
    const v = initGroup(g, ir.seed, ir.dt);
    const n = neuronNode(g, v, refuse);
    if (!n) continue;
    for (const [x, a] of v.state) {
      const nonzero = a.reduce((c, y) => c + (y !== 0 ? 1 : 0), 0);
      if (nonzero > 0)
        diags.warning(
          "W1010",
          g.span ?? fallback,
          `\`${g.name}.${x}\` starts at values other than 0 on ${nonzero} of ${g.size} neurons: NIR has no initial state, the file starts every neuron at 0`,
        );
    }
    neurons.set(g.name, n);
    nodes.set(g.name, n.node);
    values.set(g.name, v);
  }
  const facts = (pop: string): PopulationFacts => {
    const g = ir.groups.find((x) => x.name === pop);
    if (!g) return { size: ir.sources.find((s) => s.name === pop)!.size, kind: "source", values: undefined };
    return { size: g.size, kind: g.kind, values: values.get(pop) };
  };
  const acc = new Map<string, Summed>();
  for (const p of ir.projections) {
    const post = neurons.get(p.post.population);
    if (post) projectionNodes(p, post, facts, ir, nodes, acc, refuse);
    else staticWeight(p, refuse); // still name what NIR cannot carry
  }
  const linears = linearNodes(acc, ir.dt, nodes, edges);
  biases(ir, nodes, linears, refuse);
  // Outputs: what the program records, else every population nothing reads from
  const recorded = new Set(ir.monitors.map((m) => m.target.population));
  if (recorded.size === 0)
    for (const g of ir.groups) if (!ir.projections.some((p) => p.pre.population === g.name)) recorded.add(g.name);
  for (const pop of recorded) {
    const n = nodes.get(pop);
    if (!n) continue;
    const name = `${pop}_output`;
    nodes.set(name, { type: "Output", params: { shape: arr([facts(pop).size]) } });
    edges.push([pop, name]);
  }
  if (diags.hasErrors) return { diagnostics: diags };
  return { root: { type: "NIRGraph", params: {}, nodes, edges }, diagnostics: diags };
}

/** Inlines a group's aliases into `e`. */
function inlined(g: IRGroup, e: IRExpr): IRExpr {
  const map = new Map(g.aliases.map((a) => [a.name, a.expr]));
  for (let d = 0; d < 16 && mentions(e, (r) => r.space === "alias"); d++)
    e = substitute(e, (r) => (r.space === "alias" ? map.get(r.name) : undefined));
  return e;
}

/** A constant of group `g` at element `k`: parameters bound to that neuron's values (one per neuron, or one for
 *  all); inputs, state and time must not appear. Undefined otherwise. */
function constantOf(values: Values, k: number, e: IRExpr): number | undefined {
  return evalNumber(e, (r) => (r.space === "param" ? valueAt(values, r.name, k) : undefined));
}

/** One neuron's NIR node type and parameters, the variable its spikes jump and the jump -> weight factor; or
 *  why NIR cannot hold it. */
interface NeuronAt {
  type: string;
  params: Record<string, number>;
  onto: string;
  toWeight: number;
}

function neuronNode(
  g: IRGroup,
  values: Values,
  refuse: (span: Span | undefined, what: string, hint?: string) => void,
): NeuronExport | undefined {
  const name = `the ${g.kind} population \`${g.name}\` (${g.model})`;
  if (g.kind === "astrocyte") return (refuse(g.span, `${name}: NIR has no astrocytes`), undefined);
  if (g.refractory && g.refractory.steps > 0)
    return (refuse(g.span, `${name}: its refractory period`, "NIR neurons have no refractory period"), undefined);
  const bad = (why: string): undefined => (
    refuse(g.span, `${name}: ${why}`, "NIR's neurons are LIF, CubaLIF, IF, LI and I"),
    undefined
  );
  // per-neuron parameter values: each neuron read on its own, written as NIR's per-neuron arrays
  const n = g.params.some((p) => p.perElement) ? g.size : 1;
  const first = neuronAt(g, values, 0);
  if (typeof first === "string") return bad(first);
  const arrays: Record<string, number[]> = Object.fromEntries(Object.keys(first.params).map((p) => [p, []]));
  const toWeight = new Float64Array(g.size);
  for (let k = 0; k < n; k++) {
    const at = k === 0 ? first : neuronAt(g, values, k);
    if (typeof at === "string") return bad(`neuron ${k}: ${at}`);
    if (at.type !== first.type || at.onto !== first.onto)
      return bad(`neuron ${k} is a NIR ${at.type} and neuron 0 a ${first.type} (one NIR node holds one neuron type)`);
    for (const [p, x] of Object.entries(at.params)) arrays[p]!.push(x);
    toWeight[k] = at.toWeight;
  }
  if (n === 1) {
    for (const [p, a] of Object.entries(arrays)) arrays[p] = Array<number>(g.size).fill(a[0]!);
    toWeight.fill(first.toWeight);
  }
  const params = Object.fromEntries(Object.entries(arrays).map(([p, a]) => [p, arr(a)]));
  return { node: { type: first.type, params }, onto: first.onto, toWeight };
}

/** The NIR reading of neuron `k` of `g` (its parameter values from `values`), or why NIR cannot hold it. */
function neuronAt(g: IRGroup, values: Values, k: number): NeuronAt | string {
  const constantAt = (e: IRExpr): number | undefined => constantOf(values, k, e);
  const vars = new Set(g.state.map((s) => s.name));
  const odes = new Map(g.odes.map((o) => [o.name, affine(inlined(g, o.rhs), vars)]));
  if ([...vars].some((v) => !odes.get(v))) return "a state variable without a linear ODE";
  // threshold `v > c` (or >=) and reset `v = c`
  let v: string | undefined;
  let vTh: number | undefined;
  let vReset = 0;
  if (g.threshold) {
    const t = g.threshold;
    if (t.k !== "bin" || (t.op !== ">" && t.op !== ">=") || t.a.k !== "ref" || t.a.ref.space !== "state")
      return "a spike condition other than `v > constant`";
    v = t.a.ref.name;
    vTh = constantAt(t.b);
    if (vTh === undefined) return "a threshold that is not a constant";
    for (const s of g.reset) {
      const c = s.k === "assign" && s.target.name === v && s.target.space === "state" ? constantAt(s.value) : undefined;
      if (c === undefined) return "a reset other than `v = constant` (NIR resets v to v_reset)";
      vReset = c;
    }
  } else {
    const candidates = [...vars].filter((x) => ![...vars].some((y) => y !== x && odes.get(y)!.coeffs.has(x)));
    v = vars.size === 1 ? [...vars][0] : candidates.find((x) => odes.get(x)!.coeffs.size > 1);
    if (!v) return "no spike rule and no single membrane variable";
  }
  const coef = (ode: string, x: string): number | undefined => {
    const c = odes.get(ode)!.coeffs.get(x);
    return c ? constantAt(c) : 0;
  };
  const restOf = (ode: string): { c0: number; cIn: number } | undefined => {
    const rest = odes.get(ode)!.rest;
    const ins = g.inputs.map((i) => i.name);
    const c0 = constantAt(substitute(rest, (r) => (r.space === "input" ? { k: "num", v: 0 } : undefined)));
    const with1 = constantAt(substitute(rest, (r) => (r.space === "input" ? { k: "num", v: 1 } : undefined)));
    if (c0 === undefined || with1 === undefined) return undefined;
    return { c0, cIn: ins.length ? with1 - c0 : 0 };
  };
  const others = [...vars].filter((x) => x !== v);
  const a = coef(v, v);
  const rv = restOf(v);
  if (a === undefined || !rv) return "coefficients that are not constants";
  const spike: Record<string, number> = g.threshold ? { v_threshold: vTh!, v_reset: vReset } : {};
  if (others.length === 0) {
    if (a !== 0) {
      const tau = -1 / a;
      const r = rv.cIn !== 0 ? rv.cIn * tau : 1;
      const params = { tau, r, v_leak: rv.c0 * tau, ...spike };
      return { type: g.threshold ? "LIF" : "LI", params, onto: v, toWeight: tau / r };
    }
    if (rv.c0 !== 0) return "a constant drive in an integrate-and-fire neuron (NIR's IF has no v_leak)";
    const r = rv.cIn !== 0 ? rv.cIn : 1;
    return { type: g.threshold ? "IF" : "I", params: { r, ...spike }, onto: v, toWeight: 1 / r };
  }
  if (others.length === 1 && g.threshold && a !== 0) {
    const i = others[0]!;
    const cvi = coef(v, i);
    const d = coef(i, i);
    const ri = restOf(i);
    if (cvi === undefined || !d || d >= 0 || !ri || ri.c0 !== 0 || odes.get(i)!.coeffs.size !== 1)
      return `\`${i}\` is not a decaying synaptic current (i' = -i / tau_syn)`;
    const tauMem = -1 / a;
    const tauSyn = -1 / d;
    const wIn = ri.cIn !== 0 ? ri.cIn * tauSyn : 1;
    const params = {
      tau_mem: tauMem,
      tau_syn: tauSyn,
      r: cvi * tauMem,
      v_leak: rv.c0 * tauMem,
      v_threshold: vTh!,
      v_reset: vReset,
      w_in: wIn,
    };
    return { type: "CubaLIF", params, onto: i, toWeight: tauSyn / wIn };
  }
  return `${vars.size} state variables (NIR neurons have v, or v and a synaptic current)`;
}

/** Constant current stimuli (all values equal, from t = 0) into a population's input become the bias of an
 *  Affine: its first incoming Linear turns into one (NIR's I is glia's input; compiler/nir/conventions.ts). */
function biases(
  ir: IRProgram,
  nodes: Map<string, NirNode>,
  linears: Map<string, string[]>,
  refuse: (span: Span | undefined, what: string, hint?: string) => void,
): void {
  const bias = new Map<string, Float64Array>();
  ir.currents.forEach((c, k) => {
    const g = ir.groups.find((x) => x.name === c.target.population);
    const what = `the current stimulus into \`${c.target.population}.${c.variable}\``;
    const value = c.values[0] ?? 0;
    if (c.times[0] !== 0 || c.values.some((x) => x !== value))
      return refuse(
        ir.spans?.currents[k],
        `${what}: it varies in time`,
        "a constant current from t = 0 exports as an Affine bias",
      );
    if (!g || !nodes.has(g.name)) return;
    const b = bias.get(g.name) ?? new Float64Array(g.size);
    for (let e = c.target.start; e < c.target.end; e++) b[e]! += value;
    bias.set(g.name, b);
    const lin = linears.get(g.name)?.[0];
    if (!lin) refuse(ir.spans?.currents[k], `${what}: a bias needs a projection into \`${g.name}\` to carry it`);
  });
  for (const [pop, b] of bias) {
    const lin = linears.get(pop)?.[0];
    const node = lin ? nodes.get(lin) : undefined;
    if (!node) continue;
    node.type = "Affine";
    node.params.bias = arr(Array.from(b));
  }
}

/** The post variable and the weight of a static projection (`on pre { post.X += w }`), or undefined with the
 *  reason refused. */
function staticWeight(
  p: IRProjection,
  refuse: (span: Span | undefined, what: string, hint?: string) => void,
): { s: Extract<IRStmt, { k: "assign" }>; wExpr: IRExpr } | undefined {
  const name = `the projection \`${p.name}\` (${p.synapse})`;
  const no = (span: Span | undefined, what: string, hint?: string): undefined => (refuse(span, what, hint), undefined);
  if (p.ensheathedBy) return no(p.ensheathSpan ?? p.span, `${name}: it is ensheathed by astrocytes`);
  if (p.onPost.length || p.state.length || p.odes.length)
    return no(p.span, `${name}: plasticity (synapse state, \`on post\`)`, "NIR weights are static");
  if (p.continuous.length) return no(p.span, `${name}: a continuous coupling`, "NIR carries spikes only");
  const s = p.onPre.length === 1 ? p.onPre[0]! : undefined;
  if (!s || s.k !== "assign" || s.target.space !== "post" || s.value.k !== "bin" || s.value.op !== "+")
    return no(p.span, `${name}: an \`on pre\` other than \`post.X += w\``);
  const isSelf = (e: IRExpr): boolean => e.k === "ref" && e.ref.space === "post" && e.ref.name === s.target.name;
  const wExpr = isSelf(s.value.a) ? s.value.b : isSelf(s.value.b) ? s.value.a : undefined;
  if (!wExpr || mentions(wExpr, (r) => r.space !== "param" && r.space !== "dt"))
    return no(p.span, `${name}: a weight that is not a synapse parameter`);
  return { s, wExpr };
}

/** Adds one static projection onto `post` to the weight matrices per (pre, post, delay). */
function projectionNodes(
  p: IRProjection,
  post: NeuronExport,
  facts: (pop: string) => PopulationFacts,
  ir: IRProgram,
  nodes: Map<string, NirNode>,
  acc: Map<string, Summed>,
  refuse: (span: Span | undefined, what: string, hint?: string) => void,
): void {
  const name = `the projection \`${p.name}\` (${p.synapse})`;
  const no = (span: Span | undefined, what: string, hint?: string): void => refuse(span, what, hint);
  const st = staticWeight(p, refuse);
  if (!st) return;
  const { s, wExpr } = st;
  if (s.target.name !== post.onto)
    return no(
      p.span,
      `${name}: spikes into \`${s.target.name}\``,
      `NIR's ${nodes.get(p.post.population)!.type} takes its input on \`${post.onto}\``,
    );
  const built = buildProjection(p, facts, ir.seed, ir.dt);
  const nPre = facts(p.pre.population).size;
  const nPost = facts(p.post.population).size;
  const byDelay = new Map<number, Float64Array>();
  for (let k = 0; k < built.csr.n; k++) {
    const w = evalNumber(wExpr, (r) =>
      r.space === "param" ? valueAt(built.values, r.name, k) : r.space === "dt" ? ir.dt : undefined,
    );
    if (w === undefined) return no(p.span, `${name}: a weight that is not a number`);
    const d = built.delays[k]!;
    let m = byDelay.get(d);
    if (!m) byDelay.set(d, (m = new Float64Array(nPost * nPre)));
    m[built.csr.post[k]! * nPre + built.csr.pre[k]!]! += w * post.toWeight[built.csr.post[k]!]!;
  }
  for (const [d, m] of byDelay) {
    const key = `${p.pre.population}->${p.post.population}@${d}`;
    const prev = acc.get(key);
    if (prev) m.forEach((x, k) => (prev.m[k]! += x));
    else acc.set(key, { pre: p.pre.population, post: p.post.population, d, nPre, nPost, m });
  }
}

interface Summed {
  pre: string;
  post: string;
  /** delay, steps */
  d: number;
  nPre: number;
  nPost: number;
  /** [post][pre] */
  m: Float64Array;
}

/** One Linear per (pre, post, delay), the weights of every projection between them summed; a Delay after it
 *  when the delay is not zero. Returns the Linear nodes by post population. */
function linearNodes(
  acc: Map<string, Summed>,
  dt: number,
  nodes: Map<string, NirNode>,
  edges: [string, string][],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const many = new Map<string, number>();
  for (const a of acc.values()) many.set(`${a.pre}->${a.post}`, (many.get(`${a.pre}->${a.post}`) ?? 0) + 1);
  for (const a of [...acc.values()].sort((x, y) => x.d - y.d)) {
    let lin = `${a.pre}_to_${a.post}${many.get(`${a.pre}->${a.post}`)! > 1 ? `_d${a.d}` : ""}`;
    while (nodes.has(lin)) lin += "_";
    out.set(a.post, [...(out.get(a.post) ?? []), lin]);
    nodes.set(lin, { type: "Linear", params: { weight: arr(Array.from(a.m), [a.nPost, a.nPre]) } });
    edges.push([a.pre, lin]);
    if (a.d > 0) {
      nodes.set(`${lin}_delay`, { type: "Delay", params: { delay: arr(Array<number>(a.nPost).fill(a.d * dt)) } });
      edges.push([lin, `${lin}_delay`], [`${lin}_delay`, a.post]);
    } else edges.push([lin, a.post]);
  }
  return out;
}
