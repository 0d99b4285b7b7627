// Initial values of parameters, state, inputs and synapse variables, and synaptic delays.
// In: IRGroup / IRProjection (+ CSR), seed; out: Float64Arrays per element (or one scalar for a
// parameter that is the same everywhere). Variables are initialized in declaration order, params first.
//
// An IRInit per element e (population element, or synapse number s for projections):
//   expr: evaluated with refs param/state (earlier vars of the same owner), index i/j (pre/post element
//         of the synapse; for groups i = e), pre.X/post.X (the initial values of the synapse's pre/post
//         element), t = 0, dt = the owner's clock step;
//   dist: args evaluated as above, value = sampleDist(dist, args, seed, stream, e) * scale with stream
//         init:POP.VAR (groups, index e) or weight:PROJ.VAR (synapses, index s).
// Delays (in steps of the network clock): expr -> math.round(x); dist -> math.round(sample * scale)
// with stream delay:PROJ, index s; both clamped to >= 0.

import type { IRExpr, IRGroup, IRInit, IRProjection, IRVar, Ref } from "../../compiler/ir/nodes.js";
import { mentions } from "../../compiler/ir/expr.js";
import type { Csr } from "./connectivity.js";
import { evalExpr, TargetError } from "./eval.js";
import { sampleDist, streams } from "./rng.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

export interface Values {
  size: number;
  params: Map<string, number | Float64Array>;
  state: Map<string, Float64Array>;
  inputs: Map<string, Float64Array>;
}

/** Reads var `name` of `values` at element e (params, state or inputs). */
export function valueAt(values: Values, name: string, e: number): number | undefined {
  const p = values.params.get(name);
  if (p !== undefined) return typeof p === "number" ? p : p[e];
  const s = values.state.get(name) ?? values.inputs.get(name);
  return s ? s[e] : undefined;
}

type ElementLookup = (r: Ref, e: number) => number | undefined;

function varies(init: IRInit, values: Values): boolean {
  if (init.k === "dist") return true;
  const isVarying = (r: Ref): boolean =>
    r.space === "index" || r.space === "state" || r.space === "pre" || r.space === "post" ||
    (r.space === "param" && values.params.get(r.name) instanceof Float64Array);
  return mentions(init.e, isVarying);
}

function evalInit(init: IRInit, e: number, lookup: (r: Ref) => number | undefined, seed: number, stream: () => number): number {
  if (init.k === "expr") return evalExpr(init.e, lookup);
  const args = init.args.map((a: IRExpr) => evalExpr(a, lookup));
  return sampleDist(init.dist, args, seed, stream(), e) * init.scale;
}

function initVars(vars: readonly IRVar[], into: Values, isParams: boolean, seed: number, streamOf: (name: string) => number, lookup: ElementLookup): void {
  for (const v of vars) {
    let cached: number | undefined;
    const stream = (): number => (cached ??= streamOf(v.name));
    const at = (e: number): number => evalInit(v.init, e, (r) => lookup(r, e), seed, stream);
    if (isParams && !v.perElement && !varies(v.init, into)) {
      into.params.set(v.name, at(0));
      continue;
    }
    const arr = new Float64Array(into.size);
    for (let e = 0; e < into.size; e++) arr[e] = at(e);
    if (isParams) into.params.set(v.name, arr);
    else into.state.set(v.name, arr);
  }
}

/** Parameters, state and (zeroed) inputs of a neuron or astrocyte group. */
export function initGroup(g: IRGroup, seed: number, netDt: number): Values {
  const values: Values = { size: g.size, params: new Map(), state: new Map(), inputs: new Map() };
  const lookup: ElementLookup = (r, e) => {
    switch (r.space) {
      case "param":
      case "state":
        return valueAt(values, r.name, e);
      case "index":
        return e;
      case "t":
        return 0;
      case "dt":
        return netDt * g.stepEvery;
      default:
        return undefined;
    }
  };
  initVars(g.params, values, true, seed, (n) => streams.init(g.name, n), lookup);
  initVars(g.state, values, false, seed, (n) => streams.init(g.name, n), lookup);
  for (const v of g.inputs) values.inputs.set(v.name, new Float64Array(g.size));
  return values;
}

/** Per-synapse params and state of a projection; `pre`/`post` are the initial values of the
 *  connected populations (undefined for sources, which have none). */
export function initSynapses(proj: IRProjection, csr: Csr, pre: Values | undefined, post: Values | undefined, seed: number, netDt: number): Values {
  const values: Values = { size: csr.n, params: new Map(), state: new Map(), inputs: new Map() };
  const lookup = synapseLookup(values, csr, pre, post, netDt);
  initVars(proj.params, values, true, seed, (n) => streams.weight(proj.name, n), lookup);
  initVars(proj.state, values, false, seed, (n) => streams.weight(proj.name, n), lookup);
  return values;
}

function synapseLookup(values: Values, csr: Csr, pre: Values | undefined, post: Values | undefined, netDt: number): ElementLookup {
  return (r, s) => {
    switch (r.space) {
      case "param":
      case "state":
        return valueAt(values, r.name, s);
      case "index":
        return r.name === "i" ? csr.pre[s] : r.name === "j" ? csr.post[s] : undefined;
      case "pre":
        return pre ? valueAt(pre, r.name, csr.pre[s]!) : undefined;
      case "post":
        return post ? valueAt(post, r.name, csr.post[s]!) : undefined;
      case "t":
        return 0;
      case "dt":
        return netDt;
      default:
        return undefined;
    }
  };
}

/** Delay of every synapse in whole steps. */
export function initDelays(proj: IRProjection, csr: Csr, synValues: Values, pre: Values | undefined, post: Values | undefined, seed: number, netDt: number): Int32Array {
  const lookup = synapseLookup(synValues, csr, pre, post, netDt);
  const stream = streams.delay(proj.name);
  const out = new Int32Array(csr.n);
  for (let s = 0; s < csr.n; s++) {
    const x = evalInit(proj.delay, s, (r) => lookup(r, s), seed, () => stream);
    const d = math.round(x); // JS math.round: nearest integer, halves toward +infinity
    if (!Number.isFinite(d)) throw new TargetError(`delay of ${proj.name} is not a finite number of steps`);
    out[s] = math.max(0, d);
  }
  return out;
}
