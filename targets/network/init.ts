// Initial values of parameters, state, inputs and synapse variables, and synaptic delays.
// In: IRGroup / IRProjection (+ CSR), seed; out: Float64Arrays per element (or one scalar for a
// parameter that is the same everywhere). Params first, then state; within each, a value after the values
// of its own kind that it reads (u = b * v in any declaration order), else in declaration order.
//
// An IRInit per element e (population element, or synapse number s for projections):
//   expr: evaluated with refs param/state (earlier vars of the same owner), index i/j (pre/post element
//         of the synapse; for groups i = e), pre.X/post.X (the initial values of the synapse's pre/post
//         element), t = 0, dt = the owner's clock step;
//   dist: args evaluated as above, value = sampleDist(dist, args, seed, stream, e) * scale with stream
//         init:POP.VAR (groups, index e) or weight:PROJ.VAR (synapses, index s).
// Delays (in steps of the network clock): expr -> math.round(x); dist -> math.round(sample * scale)
// with stream delay:PROJ, index s; both clamped to >= 0.
// A from_list rule with `weights` / `delays` (csv_list columns) gives w and the delay of synapse s from
// its list row (Csr.listRow): w as is (SI), the delay as math.round(seconds / dt).

import type { IRExpr, IRGroup, IRInit, IRProjection, IRVar, Ref } from "../../compiler/ir/nodes.js";
import { mentions } from "../../compiler/ir/expr.js";
import type { Csr } from "./connectivity.js";
import { evalExpr } from "./eval.js";
import { TargetError } from "../target.js";
import { fillDraws, prefetchDraws, takeDraws } from "./draws.js";
import { distFromDraw, sampleDist, streams, truncate } from "./rng.js";

/** A draw's RangeError (a truncated normal with empty bounds) as a TargetError, which targets report (E0801). */
function guardDraw(f: () => number): number {
  try {
    return f();
  } catch (err) {
    if (err instanceof RangeError) throw new TargetError(err.message);
    throw err;
  }
}

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

/** True when `e` can differ between elements (reads an index, state, pre/post or a per-element param). */
function exprVaries(e: IRExpr, values: Values): boolean {
  const isVarying = (r: Ref): boolean =>
    r.space === "index" ||
    r.space === "state" ||
    r.space === "pre" ||
    r.space === "post" ||
    (r.space === "param" && values.params.get(r.name) instanceof Float64Array);
  return mentions(e, isVarying);
}

function varies(init: IRInit, values: Values): boolean {
  return init.k !== "expr" || exprVaries(init.e, values);
}

function evalInit(
  init: IRInit,
  e: number,
  lookup: (r: Ref) => number | undefined,
  seed: number,
  stream: () => number,
): number {
  if (init.k === "expr") return evalExpr(init.e, lookup);
  if (init.k === "table") return tableValue(init, e);
  const args = init.args.map((a: IRExpr) => evalExpr(a, lookup));
  return guardDraw(() => sampleDist(init.dist, args, seed, stream(), e)) * init.scale;
}

/**
 * evalInit(init, e, ...) for e = 0 .. n-1 (e is the draw index). Fast paths with the same values: an
 * expression that is the same for every element is evaluated once; a distribution whose arguments are
 * the same everywhere takes its draws in one batch (draws.ts) and applies sampleDist's formula.
 */
function initValues(
  init: IRInit,
  n: number,
  values: Values,
  lookup: ElementLookup,
  seed: number,
  stream: () => number,
): Float64Array {
  const at0 = (r: Ref): number | undefined => lookup(r, 0);
  // the draws of a distribution, when a helper drew them ahead (drawsAhead)
  const drawn = init.k === "dist" && n > 0 ? takeDraws(drawKind(init.dist), seed, stream(), 0, n) : null;
  const arr = drawn ?? new Float64Array(n);
  if (n === 0) return arr;
  if (init.k === "expr" && !exprVaries(init.e, values)) return arr.fill(evalExpr(init.e, at0));
  if (init.k === "table") {
    for (let e = 0; e < n; e++) arr[e] = tableValue(init, e);
    return arr;
  }
  if (init.k === "dist" && !init.args.some((a) => exprVaries(a, values))) {
    uniformDist(
      init,
      init.args.map((a: IRExpr) => evalExpr(a, at0)),
      seed,
      stream,
      0,
      arr,
      n,
      drawn !== null,
    );
    return arr;
  }
  for (let e = 0; e < n; e++) arr[e] = evalInit(init, e, (r) => lookup(r, e), seed, stream);
  return arr;
}

const drawKind = (dist: Extract<IRInit, { k: "dist" }>["dist"]): "uniform01" | "normal" =>
  dist === "uniform" ? "uniform01" : "normal";

const constant = (e: IRExpr): boolean => !mentions(e, () => true);

/**
 * Before a projection of `n` synapses is drawn (n known from its rule): the draws of its first per-synapse
 * parameter that is a distribution of constant arguments (uniformDist's batch, the same values) started on a
 * helper thread when there is one (draws.ts prefetchDraws), so they are drawn while this thread draws the
 * connectivity; initSynapses then takes them. With `delays`, then the first DELAYS_AHEAD of its delay when that
 * is such a distribution (initDelays takes them).
 */
export function drawsAhead(proj: IRProjection, n: number, seed: number, delays = false): void {
  const v = proj.params.find((p) => p.init.k === "dist" && p.init.args.every(constant));
  if (v !== undefined && v.init.k === "dist")
    prefetchDraws(drawKind(v.init.dist), seed, streams.weight(proj.name, v.name), 0, n);
  const d = proj.delay;
  if (delays && d.k === "dist" && d.args.every(constant) && !(proj.rule.k === "from_list" && proj.rule.delays))
    prefetchDraws(drawKind(d.dist), seed, streams.delay(proj.name), 0, math.min(n, DELAYS_AHEAD));
}

/**
 * out[k] = the value of `init` (a distribution whose arguments are the same everywhere, `args`) at element
 * first + k, k = 0 .. n-1: its draws in one batch (draws.ts; already in `out` when `drawn`), sampleDist's formula
 * applied (bit-identical to evalInit per element).
 */
function uniformDist(
  init: Extract<IRInit, { k: "dist" }>,
  args: number[],
  seed: number,
  stream: () => number,
  first: number,
  out: Float64Array,
  n: number,
  drawn = false,
): void {
  const a = args[0] ?? 0,
    b = args[1] ?? 0,
    scale = init.scale,
    dist = init.dist;
  if (!drawn) fillDraws(drawKind(dist), seed, stream(), first, out, n);
  if (dist === "truncated_normal") {
    const s = stream();
    const lo = args[2] ?? -Infinity,
      hi = args[3] ?? Infinity;
    guardDraw(() => {
      // a + b * draw as distFromDraw; in bounds it is truncate's result as is (no call: millions of synapses)
      for (let k = 0; k < n; k++) {
        const x = a + b * out[k]!;
        out[k] = (lo <= hi && x >= lo && x <= hi ? x : truncate(x, args, seed, s, first + k)) * scale;
      }
      return 0;
    });
  } else for (let k = 0; k < n; k++) out[k] = distFromDraw(dist, a, b, out[k]!) * scale;
}

/**
 * `vars` in an order where every value comes after the values of its own kind it reads (`u = b * v`
 * with u declared first; population arguments reading other parameters), declaration order otherwise.
 * A cycle (the checker reports it, E0415) is a TargetError.
 */
function dependencyOrder(vars: readonly IRVar[], space: "param" | "state", owner: string): IRVar[] {
  const byName = new Map(vars.map((v) => [v.name, v]));
  const out: IRVar[] = [];
  const mark = new Map<string, 1 | 2>();
  const visit = (v: IRVar): void => {
    if (mark.get(v.name) === 2) return;
    if (mark.get(v.name) === 1)
      throw new TargetError(`${owner}: initial values of ${v.name} depend on each other in a cycle`);
    mark.set(v.name, 1);
    const exprs = v.init.k === "expr" ? [v.init.e] : v.init.k === "dist" ? v.init.args : [];
    for (const e of exprs)
      mentions(e, (r) => {
        const dep = r.space === space ? byName.get(r.name) : undefined;
        if (dep && dep !== v) visit(dep);
        return false;
      });
    mark.set(v.name, 2);
    out.push(v);
  };
  for (const v of vars) visit(v);
  return out;
}

function initVars(
  vars: readonly IRVar[],
  into: Values,
  isParams: boolean,
  seed: number,
  streamOf: (name: string) => number,
  lookup: ElementLookup,
  owner = "",
): void {
  for (const v of dependencyOrder(vars, isParams ? "param" : "state", owner)) {
    let cached: number | undefined;
    const stream = (): number => (cached ??= streamOf(v.name));
    if (isParams && !v.perElement && !varies(v.init, into)) {
      into.params.set(
        v.name,
        evalInit(v.init, 0, (r) => lookup(r, 0), seed, stream),
      );
      continue;
    }
    const arr = initValues(v.init, into.size, into, lookup, seed, stream);
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
export function initSynapses(
  proj: IRProjection,
  csr: Csr,
  pre: Values | undefined,
  post: Values | undefined,
  seed: number,
  netDt: number,
): Values {
  const values: Values = { size: csr.n, params: new Map(), state: new Map(), inputs: new Map() };
  const lookup = synapseLookup(values, csr, pre, post, netDt);
  const rule = proj.rule;
  const listed = rule.k === "from_list" && rule.weights ? rule.weights : undefined;
  // a connection list's weight column: w of synapse s is the weight of its list row (set first, so
  // other parameters and state may read it)
  if (listed) values.params.set("w", fromListRows(listed, csr, proj.name, "weights"));
  initVars(
    listed ? proj.params.filter((p) => p.name !== "w") : proj.params,
    values,
    true,
    seed,
    (n) => streams.weight(proj.name, n),
    lookup,
  );
  initVars(proj.state, values, false, seed, (n) => streams.weight(proj.name, n), lookup);
  return values;
}

function synapseLookup(
  values: Values,
  csr: Csr,
  pre: Values | undefined,
  post: Values | undefined,
  netDt: number,
): ElementLookup {
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

/** Delays drawn per chunk (initDelays). */
const DELAY_CHUNK = 1 << 20;
/** Delays drawn ahead at most (drawsAhead: 48 MB of f64 held while the connectivity is drawn), whole chunks. */
const DELAYS_AHEAD = 6 * DELAY_CHUNK;

/** Delay of every synapse in whole steps. */
export function initDelays(
  proj: IRProjection,
  csr: Csr,
  synValues: Values,
  pre: Values | undefined,
  post: Values | undefined,
  seed: number,
  netDt: number,
): Int32Array {
  const lookup = synapseLookup(synValues, csr, pre, post, netDt);
  const stream = streams.delay(proj.name);
  const out = new Int32Array(csr.n);
  const steps = (x: number): number => {
    const d = math.round(x); // JS math.round: nearest integer, halves toward +infinity
    if (!Number.isFinite(d)) throw new TargetError(`delay of ${proj.name} is not a finite number of steps`);
    return math.max(0, d);
  };
  if (csr.n === 0) return out;
  const rule = proj.rule;
  if (rule.k === "from_list" && rule.delays) {
    // a connection list's delay column, in seconds: whole steps as for a constant delay
    const x = fromListRows(rule.delays, csr, proj.name, "delays");
    for (let s = 0; s < csr.n; s++) out[s] = steps(x[s]! / netDt);
    return out;
  }
  const delay = proj.delay;
  if (delay.k === "expr" && !exprVaries(delay.e, synValues))
    return out.fill(steps(evalExpr(delay.e, (r) => lookup(r, 0))));
  if (delay.k === "dist" && !delay.args.some((a) => exprVaries(a, synValues))) {
    // a chunk of draws at a time (no f64 value of every synapse held beside the delays); the first ones from a
    // helper when it drew them ahead (drawsAhead)
    const args = delay.args.map((a: IRExpr) => evalExpr(a, (r) => lookup(r, 0)));
    const drawn = takeDraws(drawKind(delay.dist), seed, stream, 0, math.min(csr.n, DELAYS_AHEAD));
    let chunk: Float64Array | null = null;
    for (let s0 = 0; s0 < csr.n; s0 += DELAY_CHUNK) {
      const m = math.min(DELAY_CHUNK, csr.n - s0);
      const ahead = drawn !== null && s0 + m <= drawn.length;
      const part = ahead ? drawn.subarray(s0, s0 + m) : (chunk ??= new Float64Array(math.min(csr.n, DELAY_CHUNK)));
      uniformDist(delay, args, seed, () => stream, s0, part, m, ahead);
      for (let k = 0; k < m; k++) out[s0 + k] = steps(part[k]!);
    }
    return out;
  }
  const x = initValues(delay, csr.n, synValues, lookup, seed, () => stream);
  for (let s = 0; s < csr.n; s++) out[s] = steps(x[s]!);
  return out;
}

/** Per-synapse values of a from_list column (one per list row), in CSR order. */
function fromListRows(column: readonly number[], csr: Csr, proj: string, what: string): Float64Array {
  const rows = csr.listRow;
  if (!rows || column.length !== rows.length)
    throw new TargetError(`${proj}: ${column.length} ${what} for ${csr.n} listed synapses`);
  const out = new Float64Array(csr.n);
  for (let s = 0; s < csr.n; s++) out[s] = column[rows[s]!]!;
  return out;
}

/** Element e's value of a data-file column (the checker matched the row count to the population size). */
function tableValue(init: Extract<IRInit, { k: "table" }>, e: number): number {
  const v = init.values[e];
  if (v === undefined) throw new TargetError(`${init.file} has ${init.values.length} values, none for element ${e}`);
  return v;
}
