// The bit-exact fixed-point executor. In: a FixedProgram and RunOptions; out: a RunResult (state traces
// converted back to SI floats) plus overflow counts per variable. Same step semantics as the reference
// target (docs/internals.md): inputs, couplings and currents; update; thresholds and sources; on pre (after
// delays), on post; resets; monitors. Network construction (connectivity, initial values, delays, sources)
// comes from targets/network, so the network is the one the reference builds for the same seed; initial
// values are rounded to nearest (ties to even) into each variable's format.
// All arithmetic goes through arith.ts (the module a wasm i32 lowering mirrors); statements are compiled
// once into closures over the raw arrays (Float64Array holding exact integers).

import type { Ref } from "../../compiler/ir/nodes.js";
import type { PopulationSpikes, RateTrace, RunOptions, RunResult, StateTrace } from "../target.js";
import { buildConnectivity } from "../network/connectivity.js";
import { TargetError } from "../network/eval.js";
import { initDelays, initGroup, initSynapses, type Values } from "../network/init.js";
import { makeSource, type SourceStepper } from "../network/sources.js";
import * as A from "./arith.js";
import type { FixedProgram, FxBool, FxExpr, FxGroup, FxProjection, FxStmt, FxVar } from "./ir.js";
import { Lfsr32 } from "./lfsr.js";
import { fromFloat, toFloat, type OverflowCounter, type QFormat } from "./qformat.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

const NEVER = -1_000_000_000;

/** Where compiled code reads and writes: the current element / synapse and scratch space. */
interface Cursor {
  e: number; // group element
  s: number; // synapse
  pi: number; // pre element of s
  po: number; // post element of s
  k: number; // step
  locals: Float64Array;
  old: Float64Array; // snapshot of the element's state (group update)
}

type NumFn = (c: Cursor) => number;
type BoolFn = (c: Cursor) => boolean;
type StmtFn = (c: Cursor) => void;

interface Slot {
  read: NumFn;
  write: ((c: Cursor, x: number) => void) | null;
}

interface Compiler {
  slot: (r: Ref) => Slot;
  localIndex: Map<string, number>;
  refractory: BoolFn;
  rng: Lfsr32;
}

function compileExpr(e: FxExpr, cp: Compiler, cnt: OverflowCounter): NumFn {
  const rng = cp.rng;
  switch (e.k) {
    case "const": {
      const raw = e.raw;
      return () => raw;
    }
    case "var":
      if (e.ref.space === "local") {
        const i = cp.localIndex.get(e.ref.name)!;
        return (c) => c.locals[i]!;
      }
      return cp.slot(e.ref).read;
    case "add":
    case "sub": {
      const a = compileExpr(e.a, cp, cnt), b = compileExpr(e.b, cp, cnt);
      const fit = A.makeFit(e.fmt, e.ovf, cnt);
      return e.k === "add" ? (c) => fit(a(c) + b(c)) : (c) => fit(a(c) - b(c));
    }
    case "neg": {
      const a = compileExpr(e.a, cp, cnt);
      const fit = A.makeFit(e.fmt, e.ovf, cnt);
      return (c) => fit(-a(c));
    }
    case "abs": {
      const a = compileExpr(e.a, cp, cnt);
      const fit = A.makeFit(e.fmt, e.ovf, cnt);
      return (c) => fit(math.abs(a(c)));
    }
    case "mul": {
      const a = compileExpr(e.a, cp, cnt);
      const m = A.makeMul(e.shift, e.fmt, e.rnd, e.ovf, rng, cnt);
      if (e.b.k === "const") {
        const k = e.b.raw;
        return (c) => m(a(c), k);
      }
      const b = compileExpr(e.b, cp, cnt);
      return (c) => m(a(c), b(c));
    }
    case "shift": {
      const a = compileExpr(e.a, cp, cnt);
      const sh = A.makeShift(e.by, e.fmt, e.rnd, e.ovf, rng, cnt);
      return (c) => sh(a(c));
    }
    case "min":
    case "max": {
      const a = compileExpr(e.a, cp, cnt), b = compileExpr(e.b, cp, cnt);
      return e.k === "min" ? (c) => math.min(a(c), b(c)) : (c) => math.max(a(c), b(c));
    }
    case "sel": {
      const q = compileBool(e.c, cp, cnt), a = compileExpr(e.a, cp, cnt), b = compileExpr(e.b, cp, cnt);
      return (c) => (q(c) ? a(c) : b(c));
    }
  }
}

function compileBool(e: FxBool, cp: Compiler, cnt: OverflowCounter): BoolFn {
  switch (e.k) {
    case "bool": {
      const v = e.v;
      return () => v;
    }
    case "flag":
      return cp.refractory;
    case "not": {
      const a = compileBool(e.a, cp, cnt);
      return (c) => !a(c);
    }
    case "and":
    case "or": {
      const a = compileBool(e.a, cp, cnt), b = compileBool(e.b, cp, cnt);
      return e.k === "and" ? (c) => a(c) && b(c) : (c) => a(c) || b(c);
    }
    case "cmp": {
      const a = compileExpr(e.a, cp, cnt), b = compileExpr(e.b, cp, cnt);
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

/** Compiles statements; overflows in a statement count against its target (`counterOf`). */
function compileStmts(stmts: readonly FxStmt[], cp: Compiler, counterOf: (target: Ref | null) => OverflowCounter): StmtFn {
  const fns: StmtFn[] = stmts.map((s): StmtFn => {
    if (s.k === "let") {
      const i = cp.localIndex.get(s.name)!;
      const f = compileExpr(s.value, cp, counterOf({ space: "local", name: s.name }));
      return (c) => { c.locals[i] = f(c); };
    }
    if (s.k === "assign") {
      const f = compileExpr(s.value, cp, counterOf(s.target));
      if (s.target.space === "local") {
        const i = cp.localIndex.get(s.target.name)!;
        return (c) => { c.locals[i] = f(c); };
      }
      const w = cp.slot(s.target).write;
      if (!w) throw new TargetError(`cannot assign ${s.target.space}.${s.target.name}`);
      return (c) => w(c, f(c));
    }
    const q = compileBool(s.c, cp, counterOf(null));
    const a = compileStmts(s.then, cp, counterOf), b = compileStmts(s.otherwise, cp, counterOf);
    return (c) => { if (q(c)) a(c); else b(c); };
  });
  return (c) => { for (let i = 0; i < fns.length; i++) fns[i]!(c); };
}

/** Raw arrays of a population or a projection: per-element words, or one scalar word. */
interface RawVars {
  arrays: Map<string, Float64Array>;
  scalars: Map<string, number>;
  fmts: Map<string, QFormat>;
}

function rawVars(vars: FxVar[], values: Values, size: number): RawVars {
  const out: RawVars = { arrays: new Map(), scalars: new Map(), fmts: new Map() };
  for (const v of vars) {
    out.fmts.set(v.name, v.fmt);
    const src = v.space === "param" ? values.params.get(v.name) : v.space === "state" ? values.state.get(v.name) : values.inputs.get(v.name);
    if (typeof src === "number") {
      out.scalars.set(v.name, fromFloat(src, v.fmt, "nearest-even", "saturate"));
      continue;
    }
    const arr = new Float64Array(size);
    if (src) for (let e = 0; e < size; e++) arr[e] = fromFloat(src[e]!, v.fmt, "nearest-even", "saturate");
    out.arrays.set(v.name, arr);
  }
  return out;
}

function varSlot(rv: RawVars, name: string, where: string, idx: (c: Cursor) => number, writable: boolean): Slot {
  const arr = rv.arrays.get(name);
  if (arr) return { read: (c) => arr[idx(c)]!, write: writable ? (c, x) => { arr[idx(c)] = x; } : null };
  const sc = rv.scalars.get(name);
  if (sc !== undefined) return { read: () => sc, write: null };
  throw new TargetError(`${where}: no variable ${name}`);
}

interface PopRt {
  name: string;
  size: number;
  fx: FxGroup | null;
  raw: RawVars | null;
  floatInit: Values | null;
  lastSpike: Int32Array;
  buf: Int32Array;
  n: number;
  total: number;
  update: StmtFn | null;
  threshold: BoolFn | null;
  reset: StmtFn | null;
  nLocals: number;
  stateNames: string[];
}

export interface FixedRunResult {
  result: RunResult;
  /** Overflow events (saturations or wraps) per "OWNER.target" during the run. */
  overflows: Record<string, number>;
}

export function execute(fp: FixedProgram, options: RunOptions = {}): FixedRunResult {
  const t0 = performance.now();
  const ir = fp.ir;
  const dt = ir.dt;
  const seed = (options.seed ?? ir.seed) >>> 0;
  const steps = options.duration !== undefined ? math.round(options.duration / dt) : ir.steps;
  const rng = new Lfsr32(seed);
  const counters = new Map<string, OverflowCounter>();
  const counter = (key: string): OverflowCounter => {
    let c = counters.get(key);
    if (!c) counters.set(key, (c = { count: 0 }));
    return c;
  };

  // ---- populations
  const pops = new Map<string, PopRt>();
  const groups: PopRt[] = [];
  for (const g of fp.groups) {
    if (g.stepEvery !== 1) throw new TargetError(`${g.name}: groups with their own clock (stepEvery ${g.stepEvery}) are not supported by the fixed executor yet`);
    const floatInit = initGroup(g.ir, seed, dt);
    const rt: PopRt = {
      name: g.name, size: g.size, fx: g, raw: rawVars(g.vars, floatInit, g.size), floatInit, lastSpike: new Int32Array(g.size).fill(NEVER),
      buf: new Int32Array(g.size), n: 0, total: 0, update: null, threshold: null, reset: null, nLocals: 0,
      stateNames: g.vars.filter((v) => v.space === "state").map((v) => v.name),
    };
    pops.set(g.name, rt);
    groups.push(rt);
  }
  const sources: { rt: PopRt; stepper: SourceStepper }[] = [];
  for (const s of ir.sources) {
    const rt: PopRt = { name: s.name, size: s.size, fx: null, raw: null, floatInit: null, lastSpike: new Int32Array(0), buf: new Int32Array(s.size), n: 0, total: 0, update: null, threshold: null, reset: null, nLocals: 0, stateNames: [] };
    pops.set(s.name, rt);
    sources.push({ rt, stepper: makeSource(s, seed, dt, steps) });
  }
  const pop = (name: string): PopRt => {
    const p = pops.get(name);
    if (!p) throw new TargetError(`unknown population ${name}`);
    return p;
  };

  // ---- group kernels
  for (const rt of groups) {
    const g = rt.fx!;
    const raw = rt.raw!;
    const localIndex = new Map(Object.keys(g.locals).map((n, i) => [n, i]));
    rt.nLocals = localIndex.size;
    const refrSteps = g.refractory ? math.max(0, math.round(g.refractory.steps)) : 0;
    const ls = rt.lastSpike;
    const refractory: BoolFn = refrSteps > 0 ? (c) => c.k - ls[c.e]! < refrSteps : () => false;
    const stateIdx = new Map(rt.stateNames.map((n, i) => [n, i]));
    const mk = (snapshot: boolean): Compiler => ({
      localIndex, refractory, rng,
      slot: (r) => {
        if (r.space === "state" && snapshot) {
          const i = stateIdx.get(r.name);
          const base = varSlot(raw, r.name, g.name, (c) => c.e, true);
          if (i !== undefined) return { read: (c) => c.old[i]!, write: base.write };
          return base;
        }
        if (r.space === "state" || r.space === "param" || r.space === "input") return varSlot(raw, r.name, g.name, (c) => c.e, r.space !== "param");
        throw new TargetError(`${g.name}: cannot read ${r.space}.${r.name}`);
      },
    });
    const cnt = (t: Ref | null): OverflowCounter => counter(t && t.space !== "local" ? `${g.name}.${t.name}` : `${g.name}.(intermediate)`);
    rt.update = g.update.length ? compileStmts(g.update, mk(true), cnt) : null;
    rt.threshold = g.threshold ? compileBool(g.threshold, mk(false), cnt(null)) : null;
    rt.reset = compileStmts(g.reset, mk(false), cnt);
  }

  // ---- projections
  interface ProjRt {
    fx: FxProjection;
    pre: PopRt;
    post: PopRt;
    n: number;
    preIdx: Int32Array;
    postIdx: Int32Array;
    rowStart: Int32Array;
    postStart: Int32Array;
    postSyn: Int32Array;
    delays: Int32Array;
    maxDelay: number;
    slots: number[][];
    onPre: StmtFn | null;
    onPost: StmtFn | null;
    continuous: StmtFn | null;
    cursor: Cursor;
  }
  const projs: ProjRt[] = [];
  let synapses = 0;
  for (const p of fp.projections) {
    const pre = pop(p.ir.pre.population), post = pop(p.ir.post.population);
    if (!post.fx) throw new TargetError(`${p.name}: the post population ${post.name} is an input`);
    const csr = buildConnectivity(p.ir, pre.size, post.size, seed);
    const values = initSynapses(p.ir, csr, pre.floatInit ?? undefined, post.floatInit ?? undefined, seed, dt);
    const delays = initDelays(p.ir, csr, values, pre.floatInit ?? undefined, post.floatInit ?? undefined, seed, dt);
    const raw = rawVars(p.vars, values, csr.n);
    const localIndex = new Map(Object.keys(p.locals).map((n, i) => [n, i]));
    const cp: Compiler = {
      localIndex, rng, refractory: () => false,
      slot: (r) => {
        if (r.space === "param" || r.space === "state") return varSlot(raw, r.name, p.name, (c) => c.s, r.space === "state");
        if (r.space === "pre" || r.space === "post") {
          const other = r.space === "pre" ? pre : post;
          if (!other.raw) throw new TargetError(`${p.name}: ${other.name} is an input population and has no variable ${r.name}`);
          const isParam = other.fx!.vars.find((v) => v.name === r.name)?.space === "param";
          return varSlot(other.raw, r.name, `${p.name} (${other.name})`, r.space === "pre" ? (c) => c.pi : (c) => c.po, !isParam);
        }
        throw new TargetError(`${p.name}: cannot read ${r.space}.${r.name}`);
      },
    };
    const cnt = (t: Ref | null): OverflowCounter =>
      counter(t && (t.space === "post" || t.space === "pre") ? `${(t.space === "post" ? post : pre).name}.${t.name}` : t && t.space !== "local" ? `${p.name}.${t.name}` : `${p.name}.(intermediate)`);
    let maxDelay = 0;
    for (let s = 0; s < csr.n; s++) maxDelay = math.max(maxDelay, delays[s]!);
    projs.push({
      fx: p, pre, post, n: csr.n, preIdx: csr.pre, postIdx: csr.post, rowStart: csr.rowStart, postStart: csr.postStart, postSyn: csr.postSyn,
      delays, maxDelay, slots: Array.from({ length: maxDelay + 1 }, () => []),
      onPre: p.onPre.length ? compileStmts(p.onPre, cp, cnt) : null,
      onPost: p.onPost.length ? compileStmts(p.onPost, cp, cnt) : null,
      continuous: p.continuous.length ? compileStmts(p.continuous, cp, cnt) : null,
      cursor: { e: 0, s: 0, pi: 0, po: 0, k: 0, locals: new Float64Array(localIndex.size), old: new Float64Array(0) },
    });
    synapses += csr.n;
  }

  // ---- currents (values quantized into the input's format)
  const currents = ir.currents.map((c, i) => {
    const target = pop(c.target.population);
    const arr = target.raw?.arrays.get(c.variable);
    const fmt = fp.currents[i]!;
    if (!arr) throw new TargetError(`current: ${target.name} has no input ${c.variable}`);
    return {
      arr, fmt, start: c.target.start, end: c.target.end, cnt: counter(`${target.name}.${c.variable}`),
      from: c.times.map((x) => math.floor(x / dt + 0.5)), values: c.values.map((v) => fromFloat(v, fmt, "nearest-even", "saturate")), cursor: -1,
    };
  });

  // ---- monitors
  const spikeLists = new Map<string, { steps: number[]; idx: number[] }>();
  const stateMons: { trace: StateTrace; read: (e: number) => number; every: number }[] = [];
  const rateMons: { trace: RateTrace; rt: PopRt; start: number; end: number; every: number; hz: number[] }[] = [];
  for (const m of ir.monitors) {
    const rt = pop(m.target.population);
    const every = math.max(1, math.round(m.everySteps));
    if (m.k === "spikes") spikeLists.set(rt.name, spikeLists.get(rt.name) ?? { steps: [], idx: [] });
    else if (m.k === "rate") rateMons.push({ trace: { population: rt.name, steps: [], hz: new Float64Array(0) }, rt, start: m.target.start, end: m.target.end, every, hz: [] });
    else {
      const name = m.variable ?? "";
      const fmt = rt.raw?.fmts.get(name);
      if (!rt.raw || !fmt) throw new TargetError(`record: ${rt.name} has no variable ${name}`);
      const arr = rt.raw.arrays.get(name), sc = rt.raw.scalars.get(name) ?? 0;
      const indices: number[] = [];
      for (let e = m.target.start; e < m.target.end; e++) indices.push(e);
      stateMons.push({ trace: { population: rt.name, variable: name, indices, steps: [], values: [] }, read: (e) => toFloat(arr ? arr[e]! : sc, fmt), every });
    }
  }
  const allPops = [...pops.values()];

  const setupWallS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let synapticEvents = 0;
  const gc: Cursor[] = groups.map((rt) => ({ e: 0, s: 0, pi: 0, po: 0, k: 0, locals: new Float64Array(rt.nLocals), old: new Float64Array(rt.stateNames.length) }));

  const runSyn = (p: ProjRt, f: StmtFn, s: number, k: number): void => {
    const c = p.cursor;
    c.s = s;
    c.pi = p.preIdx[s]!;
    c.po = p.postIdx[s]!;
    c.k = k;
    f(c);
  };

  for (let k = 0; k < steps; k++) {
    for (const m of stateMons) {
      if (k % m.every !== 0) continue;
      m.trace.steps.push(k);
      m.trace.values.push(Float64Array.from(m.trace.indices, (e) => m.read(e)));
    }
    // 0: inputs, couplings, currents
    for (const rt of groups) for (const v of rt.fx!.vars) if (v.space === "input") rt.raw!.arrays.get(v.name)?.fill(0);
    for (const p of projs) if (p.continuous) for (let s = 0; s < p.n; s++) runSyn(p, p.continuous, s, k);
    for (const c of currents) {
      while (c.cursor + 1 < c.from.length && c.from[c.cursor + 1]! <= k) c.cursor++;
      if (c.cursor < 0) continue;
      const v = c.values[c.cursor]!;
      for (let e = c.start; e < c.end; e++) c.arr[e] = A.add(c.arr[e]!, v, c.fmt, "saturate", c.cnt);
    }
    // 1: update (reads the element's old state), 2: thresholds and sources
    groups.forEach((rt, gi) => {
      rt.n = 0;
      const c = gc[gi]!;
      c.k = k;
      if (rt.update) {
        const names = rt.stateNames.map((n) => rt.raw!.arrays.get(n)!);
        for (let e = 0; e < rt.size; e++) {
          c.e = e;
          for (let i = 0; i < names.length; i++) c.old[i] = names[i]![e]!;
          rt.update(c);
        }
      }
    });
    groups.forEach((rt, gi) => {
      if (!rt.threshold) return;
      const c = gc[gi]!;
      const refr = rt.fx!.refractory ? math.max(0, math.round(rt.fx!.refractory.steps)) : 0;
      for (let e = 0; e < rt.size; e++) {
        if (refr > 0 && k - rt.lastSpike[e]! < refr) continue;
        c.e = e;
        if (rt.threshold(c)) rt.buf[rt.n++] = e;
      }
    });
    for (const s of sources) s.rt.n = s.stepper.step(k, s.rt.buf);
    // 3: on pre after delays, then on post
    for (const p of projs) {
      if (!p.onPre) continue;
      const L = p.slots.length;
      const due = p.slots[k % L]!;
      for (const s of due) { runSyn(p, p.onPre, s, k); synapticEvents++; }
      due.length = 0;
      const lo = p.fx.ir.pre.start, hi = p.fx.ir.pre.end;
      for (let x = 0; x < p.pre.n; x++) {
        const e = p.pre.buf[x]!;
        if (e < lo || e >= hi) continue;
        for (let s = p.rowStart[e]!; s < p.rowStart[e + 1]!; s++) {
          const dl = p.delays[s]!;
          if (dl === 0) { runSyn(p, p.onPre, s, k); synapticEvents++; }
          else p.slots[(k + dl) % L]!.push(s);
        }
      }
    }
    for (const p of projs) {
      if (!p.onPost) continue;
      const lo = p.fx.ir.post.start, hi = p.fx.ir.post.end;
      for (let x = 0; x < p.post.n; x++) {
        const q = p.post.buf[x]!;
        if (q < lo || q >= hi) continue;
        for (let y = p.postStart[q]!; y < p.postStart[q + 1]!; y++) runSyn(p, p.onPost, p.postSyn[y]!, k);
      }
    }
    // 4: resets
    groups.forEach((rt, gi) => {
      const c = gc[gi]!;
      for (let x = 0; x < rt.n; x++) {
        c.e = rt.buf[x]!;
        rt.reset!(c);
        rt.lastSpike[c.e] = k;
      }
    });
    // 5: spike and rate monitors
    for (const rt of allPops) {
      rt.total += rt.n;
      const list = spikeLists.get(rt.name);
      if (list) for (let x = 0; x < rt.n; x++) { list.steps.push(k); list.idx.push(rt.buf[x]!); }
    }
    for (const m of rateMons) {
      if (k % m.every !== 0) continue;
      let cnt = 0;
      for (let x = 0; x < m.rt.n; x++) { const e = m.rt.buf[x]!; if (e >= m.start && e < m.end) cnt++; }
      m.trace.steps.push(k);
      m.hz.push(m.end > m.start ? cnt / ((m.end - m.start) * dt) : 0);
    }
    if (options.onProgress && (k + 1) % math.max(1, math.floor(steps / 100)) === 0) options.onProgress((k + 1) / steps);
  }
  const simWallS = (performance.now() - t1) / 1000;
  const duration = steps * dt;
  const populations: RunResult["populations"] = {};
  let spikesTotal = 0;
  for (const rt of allPops) {
    populations[rt.name] = { n: rt.size, spikes: rt.total, rate_hz: duration > 0 && rt.size > 0 ? rt.total / (rt.size * duration) : 0 };
    spikesTotal += rt.total;
  }
  const spikes: Record<string, PopulationSpikes> = {};
  for (const [name, l] of spikeLists) spikes[name] = { steps: Int32Array.from(l.steps), indices: Int32Array.from(l.idx) };
  const overflows: Record<string, number> = {};
  for (const [k, c] of [...counters].sort((a, b) => (a[0] < b[0] ? -1 : 1))) overflows[k] = c.count;
  return {
    result: {
      target: "fixed", dt, steps, seed, populations, spikes,
      traces: stateMons.map((m) => m.trace),
      rates: rateMons.map((m) => ({ ...m.trace, hz: Float64Array.from(m.hz) })),
      spikesTotal, synapses, synapticEvents, simWallS, setupWallS,
    },
    overflows,
  };
}
