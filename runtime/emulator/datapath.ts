// The emulator's functional datapath: descriptor programs (neuron update/threshold/reset, synapse on pre /
// on post / continuous) compiled to closures over raw integer words. In: a NeuronProgram or SynapseTable
// and the word stores; out: step functions. Arithmetic is targets/fixed/arith.ts (the executor's), so
// words match the fixed-point executor bit for bit.

import type { Ref } from "../../compiler/ir/nodes.js";
import type { NeuronProgram, SynapseTable } from "../../targets/descriptor/types.js";
import * as A from "../../targets/fixed/arith.js";
import type { FxBool, FxExpr, FxStmt } from "../../targets/fixed/ir.js";
import type { Lfsr32 } from "../../targets/fixed/lfsr.js";

const math = Math;

/** Where programs read and write: element / synapse cursors and scratch. */
export interface Cur {
  e: number;
  s: number;
  pi: number;
  po: number;
  k: number;
  locals: Float64Array;
  old: Float64Array;
}

export type Num = (c: Cur) => number;
export type Bool = (c: Cur) => boolean;
export type Run = (c: Cur) => void;

/** Words of one owner: per-element arrays and scalars. */
export interface Words {
  arrays: Map<string, Float64Array>;
  scalars: Map<string, number>;
  params: Set<string>;
}

interface Env {
  slot(r: Ref): { read: Num; write: ((c: Cur, x: number) => void) | null };
  locals: Map<string, number>;
  refractory: Bool;
  rng: Lfsr32;
}

export class DatapathError extends Error {}

const TWO53 = 2 ** 53;

/** (a * b) >> s rounded to nearest, ties to even, then fitted: arith.ts roundShiftRight's nearest-even case
 *  inlined for the hot path (products at or above 2^53 go to the general `slow`). */
function mulNearestEven(s: number, fit: A.Fit, slow: (a: number, b: number) => number): (a: number, b: number) => number {
  const d = 2 ** s, inv = 2 ** -s, half = d / 2;
  return (a, b) => {
    const p = a * b;
    if (!(p > -TWO53 && p < TWO53)) return slow(a, b);
    const q = math.floor(p * inv);
    const r = p - q * d;
    return fit(r > half || (r === half && q % 2 !== 0) ? q + 1 : q);
  };
}

function expr(e: FxExpr, env: Env): Num {
  switch (e.k) {
    case "const": { const r = e.raw; return () => r; }
    case "var": {
      if (e.ref.space === "local") { const i = env.locals.get(e.ref.name)!; return (c) => c.locals[i]!; }
      return env.slot(e.ref).read;
    }
    case "add": case "sub": {
      const a = expr(e.a, env), b = expr(e.b, env), fit = A.makeFit(e.fmt, e.ovf);
      return e.k === "add" ? (c) => fit(a(c) + b(c)) : (c) => fit(a(c) - b(c));
    }
    case "neg": { const a = expr(e.a, env), fit = A.makeFit(e.fmt, e.ovf); return (c) => fit(-a(c)); }
    case "abs": { const a = expr(e.a, env), fit = A.makeFit(e.fmt, e.ovf); return (c) => fit(math.abs(a(c))); }
    case "mul": {
      const a = expr(e.a, env), m = e.rnd === "nearest-even" && e.shift > 0 ? mulNearestEven(e.shift, A.makeFit(e.fmt, e.ovf), A.makeMul(e.shift, e.fmt, e.rnd, e.ovf, env.rng)) : A.makeMul(e.shift, e.fmt, e.rnd, e.ovf, env.rng);
      if (e.b.k === "const") { const k = e.b.raw; return (c) => m(a(c), k); }
      const b = expr(e.b, env);
      return (c) => m(a(c), b(c));
    }
    case "shift": {
      const a = expr(e.a, env);
      if (e.rnd === "nearest-even" && e.by < 0) { const m = mulNearestEven(-e.by, A.makeFit(e.fmt, e.ovf), A.makeMul(-e.by, e.fmt, e.rnd, e.ovf, env.rng)); return (c) => m(a(c), 1); }
      const sh = A.makeShift(e.by, e.fmt, e.rnd, e.ovf, env.rng);
      return (c) => sh(a(c));
    }
    case "min": case "max": {
      const a = expr(e.a, env), b = expr(e.b, env);
      return e.k === "min" ? (c) => math.min(a(c), b(c)) : (c) => math.max(a(c), b(c));
    }
    case "sel": { const q = bool(e.c, env), a = expr(e.a, env), b = expr(e.b, env); return (c) => (q(c) ? a(c) : b(c)); }
  }
}

function bool(e: FxBool, env: Env): Bool {
  switch (e.k) {
    case "bool": { const v = e.v; return () => v; }
    case "flag": return env.refractory;
    case "not": { const a = bool(e.a, env); return (c) => !a(c); }
    case "and": case "or": {
      const a = bool(e.a, env), b = bool(e.b, env);
      return e.k === "and" ? (c) => a(c) && b(c) : (c) => a(c) || b(c);
    }
    case "cmp": {
      const a = expr(e.a, env), b = expr(e.b, env);
      switch (e.op) {
        case "<": return (c) => a(c) < b(c);
        case "<=": return (c) => a(c) <= b(c);
        case ">": return (c) => a(c) > b(c);
        case ">=": return (c) => a(c) >= b(c);
        case "==": return (c) => a(c) === b(c);
        case "!=": return (c) => a(c) !== b(c);
      }
    }
  }
}

function stmts(list: readonly FxStmt[], env: Env): Run {
  const fns = list.map((s): Run => {
    if (s.k === "let") { const i = env.locals.get(s.name)!; const f = expr(s.value, env); return (c) => { c.locals[i] = f(c); }; }
    if (s.k === "assign") {
      const f = expr(s.value, env);
      if (s.target.space === "local") { const i = env.locals.get(s.target.name)!; return (c) => { c.locals[i] = f(c); }; }
      const w = env.slot(s.target).write;
      if (!w) throw new DatapathError(`cannot assign ${s.target.space}.${s.target.name}`);
      return (c) => w(c, f(c));
    }
    const q = bool(s.c, env), a = stmts(s.then, env), b = stmts(s.otherwise, env);
    return (c) => { if (q(c)) a(c); else b(c); };
  });
  if (fns.length === 1) return fns[0]!;
  return (c) => { for (let i = 0; i < fns.length; i++) fns[i]!(c); };
}

function slotOf(w: Words, name: string, where: string, idx: (c: Cur) => number, writable: boolean): { read: Num; write: ((c: Cur, x: number) => void) | null } {
  const arr = w.arrays.get(name);
  if (arr) return { read: (c) => arr[idx(c)]!, write: writable ? (c, x) => { arr[idx(c)] = x; } : null };
  const sc = w.scalars.get(name);
  if (sc !== undefined) return { read: () => sc, write: null };
  throw new DatapathError(`${where}: no variable ${name}`);
}

/** Neuron words from a descriptor program: arrays for per-element words (inputs start at 0). */
export function neuronWords(p: NeuronProgram): Words {
  const w: Words = { arrays: new Map(), scalars: new Map(), params: new Set() };
  for (const v of p.vars) {
    if (v.space === "param") w.params.add(v.name);
    const init = p.initial[v.name];
    if (init) w.arrays.set(v.name, Float64Array.from(init));
    else if (p.scalars[v.name] !== undefined) w.scalars.set(v.name, p.scalars[v.name]!);
    else w.arrays.set(v.name, new Float64Array(p.size));
  }
  return w;
}

export interface NeuronKernels {
  update: Run | null;
  threshold: Bool | null;
  reset: Run;
  stateNames: string[];
  nLocals: number;
}

export function compileNeuron(p: NeuronProgram, w: Words, lastSpike: Int32Array, rng: Lfsr32): NeuronKernels {
  const locals = new Map(Object.keys(p.locals).map((n, i) => [n, i]));
  const steps = p.refractory ? math.max(0, math.round(p.refractory.steps)) : 0;
  const refractory: Bool = steps > 0 ? (c) => c.k - lastSpike[c.e]! < steps : () => false;
  const stateNames = p.vars.filter((v) => v.space === "state").map((v) => v.name);
  const stateIdx = new Map(stateNames.map((n, i) => [n, i]));
  const env = (snapshot: boolean): Env => ({
    locals, refractory, rng,
    slot: (r) => {
      if (r.space !== "state" && r.space !== "param" && r.space !== "input") throw new DatapathError(`${p.population}: cannot read ${r.space}.${r.name}`);
      const base = slotOf(w, r.name, p.population, (c) => c.e, r.space !== "param");
      const i = snapshot && r.space === "state" ? stateIdx.get(r.name) : undefined;
      return i !== undefined ? { read: (c) => c.old[i]!, write: base.write } : base;
    },
  });
  return {
    update: p.update.length ? stmts(p.update, env(true)) : null,
    threshold: p.threshold ? bool(p.threshold, env(false)) : null,
    reset: stmts(p.reset, env(false)),
    stateNames,
    nLocals: locals.size,
  };
}

export interface SynapseKernels {
  onPre: Run | null;
  onPost: Run | null;
  continuous: Run | null;
  nLocals: number;
  /** True when on pre or on post writes synapse state (plasticity). */
  plastic: boolean;
}

/** Synapse words: the table's raw words, with the weight variable replaced by `weights` (the words the
 *  hardware memories hold). */
export function synapseWords(t: SynapseTable, weights: Float64Array): Words {
  const w: Words = { arrays: new Map(), scalars: new Map(), params: new Set() };
  for (const v of t.vars) {
    if (v.space === "param") w.params.add(v.name);
    if (v.name === t.weightVar) w.arrays.set(v.name, weights);
    else if (t.raw[v.name]) w.arrays.set(v.name, Float64Array.from(t.raw[v.name]!));
    else if (t.scalars[v.name] !== undefined) w.scalars.set(v.name, t.scalars[v.name]!);
    else w.arrays.set(v.name, new Float64Array(t.n));
  }
  return w;
}

const writesSynapse = (list: readonly FxStmt[]): boolean =>
  list.some((s) => (s.k === "assign" && (s.target.space === "state" || s.target.space === "param")) || (s.k === "if" && (writesSynapse(s.then) || writesSynapse(s.otherwise))));

export function compileSynapse(t: SynapseTable, w: Words, pre: Words | null, post: Words, rng: Lfsr32): SynapseKernels {
  const locals = new Map(Object.keys(t.locals).map((n, i) => [n, i]));
  const env: Env = {
    locals, rng, refractory: () => false,
    slot: (r) => {
      if (r.space === "param" || r.space === "state") return slotOf(w, r.name, t.projection, (c) => c.s, r.space === "state");
      if (r.space === "pre" || r.space === "post") {
        const other = r.space === "pre" ? pre : post;
        if (!other) throw new DatapathError(`${t.projection}: ${t.pre.population} is an input population and has no variable ${r.name}`);
        return slotOf(other, r.name, t.projection, r.space === "pre" ? (c) => c.pi : (c) => c.po, !other.params.has(r.name));
      }
      throw new DatapathError(`${t.projection}: cannot read ${r.space}.${r.name}`);
    },
  };
  return {
    onPre: t.onPre.length ? stmts(t.onPre, env) : null,
    onPost: t.onPost.length ? stmts(t.onPost, env) : null,
    continuous: t.continuous.length ? stmts(t.continuous, env) : null,
    nLocals: locals.size,
    plastic: writesSynapse(t.onPre) || writesSynapse(t.onPost) || t.onPost.length > 0,
  };
}
