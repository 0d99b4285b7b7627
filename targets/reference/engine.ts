// The reference simulation: builds the network and steps it in float64 following the semantics of
// docs/internals.md. In: a discrete IRProgram and RunOptions; out: a RunResult. Throws TargetError for
// constructs it cannot run (index.ts turns those into diagnostic E0801).

import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { PopulationSpikes, RateTrace, RunOptions, RunResult, StateTrace } from "../target.js";
import { populationCounts } from "../target.js";
import { buildProjection, type PopulationFacts } from "../network/projection.js";
import { evalExpr } from "../network/eval.js";
import { TargetError } from "../target.js";
import { initGroup, valueAt } from "../network/init.js";
import { makeSource, type SourceStepper } from "../network/sources.js";
import { groupKernels, NEVER, projectionKernels, type GroupKernels, type ModTable, type PopRt, type ProjKernels, type ProjRt } from "./kernels.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

/** A growable Int32 list. */
class IntList {
  data = new Int32Array(64);
  n = 0;
  push(x: number): void {
    if (this.n === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.n++] = x;
  }
}

/** Pre events waiting for their delay: uniform delay D -> slots of spiking pre elements (rows);
 *  mixed delays -> slots of synapse numbers. Slot of step k is k mod (maxDelay + 1). */
interface Delivery {
  uniformDelay: number; // -1 when delays differ between synapses
  delays: Int32Array;
  slots: IntList[];
}

export function simulate(program: IRProgram, options: RunOptions): RunResult {
  const t0 = performance.now();
  const dt = program.dt;
  const seed = (options.seed ?? program.seed) >>> 0;
  const steps = options.duration !== undefined ? math.round(options.duration / dt) : program.steps;
  if (!(dt > 0) || !Number.isInteger(steps) || steps < 0) throw new TargetError(`invalid dt (${dt}) or step count (${steps})`);

  // ---- populations
  const pops = new Map<string, PopRt>();
  const groups: { rt: PopRt; k: GroupKernels | null; every: number }[] = [];
  for (const g of program.groups) {
    if (!(Number.isInteger(g.stepEvery) && g.stepEvery >= 1)) throw new TargetError(`${g.name}: stepEvery must be a positive integer`);
    if (g.odes.length) throw new TargetError(`${g.name} still has ODEs: run the solve-odes pass first`, "the reference target runs the discrete IR");
    const rt: PopRt = {
      name: g.name, size: g.size, group: g, values: initGroup(g, seed, dt), lastSpike: new Int32Array(g.size).fill(NEVER),
      refractorySteps: g.refractory ? math.max(0, math.round(g.refractory.steps)) : 0, dt: dt * g.stepEvery,
      buf: new Int32Array(g.size), n: 0, prevN: 0, total: 0,
    };
    pops.set(g.name, rt);
    groups.push({ rt, k: null, every: g.stepEvery });
  }
  const sources: { rt: PopRt; stepper: SourceStepper }[] = [];
  for (const s of program.sources) {
    const rt: PopRt = {
      name: s.name, size: s.size, group: null, values: null, lastSpike: new Int32Array(0), refractorySteps: 0, dt,
      buf: new Int32Array(s.size), n: 0, prevN: 0, total: 0,
    };
    if (pops.has(s.name)) throw new TargetError(`population name ${s.name} used twice`);
    pops.set(s.name, rt);
    sources.push({ rt, stepper: makeSource(s, seed, dt, steps) });
  }
  const pop = (name: string, what: string): PopRt => {
    const p = pops.get(name);
    if (!p) throw new TargetError(`${what}: unknown population ${name}`);
    return p;
  };
  const facts = (p: PopRt): PopulationFacts => ({ size: p.size, kind: p.group ? p.group.kind : "source", values: p.values ?? undefined });

  // ---- modulators
  const mods: ModTable = { values: new Float64Array(program.modulators.length), index: new Map() };
  program.modulators.forEach((m, i) => mods.index.set(m.name, i));
  for (const g of groups) g.k = groupKernels(g.rt, mods);

  // ---- projections
  const projs: { rt: ProjRt; k: ProjKernels; d: Delivery; astroEvents: IntList }[] = [];
  let synapses = 0;
  for (const p of program.projections) {
    const pre = pop(p.pre.population, p.name);
    const post = pop(p.post.population, p.name);
    const { csr, values, delays, astroOf } = buildProjection(p, (name) => facts(pop(name, p.name)), seed, dt);
    const astro = p.ensheathedBy ? pop(p.ensheathedBy.astrocytes, p.name) : null;
    const rt: ProjRt = {
      proj: p, pre, post, astro, n: csr.n, preIdx: csr.pre, postIdx: csr.post, rowStart: csr.rowStart,
      postStart: csr.postStart, postSyn: csr.postSyn, values, lastUpdate: new Float64Array(csr.n), astroOf,
    };
    let maxD = 0;
    let uniform = csr.n > 0 ? delays[0]! : 0;
    for (let s = 0; s < csr.n; s++) {
      maxD = math.max(maxD, delays[s]!);
      if (delays[s] !== uniform) uniform = -1;
    }
    const d: Delivery = { uniformDelay: uniform, delays, slots: Array.from({ length: maxD + 1 }, () => new IntList()) };
    projs.push({ rt, k: projectionKernels(rt, mods, dt), d, astroEvents: new IntList() });
    synapses += csr.n;
  }

  // ---- currents: value i holds from step floor(times[i]/dt + 0.5) on
  const currents = program.currents.map((c) => {
    const target = pop(c.target.population, `current ${c.variable}`);
    const arr = target.values?.inputs.get(c.variable) ?? target.values?.state.get(c.variable);
    if (!arr) throw new TargetError(`current: ${target.name} has no input ${c.variable}`);
    return { arr, start: c.target.start, end: c.target.end, from: c.times.map((x) => math.floor(x / dt + 0.5)), values: c.values, cursor: -1 };
  });

  // ---- monitors
  const spikeLists = new Map<string, { steps: IntList; idx: IntList }>();
  const stateMons: { trace: StateTrace; arr: Float64Array | number; every: number }[] = [];
  const rateMons: { trace: RateTrace; rt: PopRt; start: number; end: number; every: number; hz: number[] }[] = [];
  for (const m of program.monitors) {
    const rt = pop(m.target.population, "record");
    const every = math.max(1, math.round(m.everySteps));
    if (m.k === "spikes") spikeLists.set(rt.name, spikeLists.get(rt.name) ?? { steps: new IntList(), idx: new IntList() });
    else if (m.k === "rate") rateMons.push({ trace: { population: rt.name, steps: [], hz: new Float64Array(0) }, rt, start: m.target.start, end: m.target.end, every, hz: [] });
    else {
      const name = m.variable ?? "";
      const v = rt.values;
      const arr = v ? (v.state.get(name) ?? v.inputs.get(name) ?? v.params.get(name)) : undefined;
      if (arr === undefined) throw new TargetError(`record: ${rt.name} has no variable ${name}`);
      const indices: number[] = [];
      for (let e = m.target.start; e < m.target.end; e++) indices.push(e);
      stateMons.push({ trace: { population: rt.name, variable: name, indices, steps: [], values: [] }, arr, every });
    }
  }
  const spikeMonitored = [...pops.values()].map((p) => spikeLists.get(p.name));
  const allPops = [...pops.values()];

  const modLookup = (t: number) => (r: { space: string; name: string }): number | undefined => {
    switch (r.space) {
      case "t":
        return t;
      case "dt":
        return dt;
      case "mod": {
        const i = mods.index.get(r.name);
        return i === undefined ? undefined : mods.values[i];
      }
      case "poprate": {
        const p = pops.get(r.name);
        return p ? p.prevN / (p.size * dt) : undefined;
      }
      case "popmean": {
        const dot = r.name.lastIndexOf(".");
        const p = pops.get(r.name.slice(0, dot));
        if (!p?.values || p.size === 0) return undefined;
        let sum = 0;
        for (let e = 0; e < p.size; e++) sum += valueAt(p.values, r.name.slice(dot + 1), e) ?? NaN;
        return sum / p.size;
      }
      default:
        return undefined;
    }
  };

  const setupWallS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let synapticEvents = 0;
  const progressEvery = math.max(1, math.floor(steps / 100));

  for (let k = 0; k < steps; k++) {
    const t = k * dt;
    // 5 (at the start of the step): state monitors record the value at t_k
    for (const m of stateMons) {
      if (k % m.every !== 0) continue;
      const row = new Float64Array(m.trace.indices.length);
      m.trace.indices.forEach((e, c) => { row[c] = typeof m.arr === "number" ? m.arr : m.arr[e]!; });
      m.trace.steps.push(k);
      m.trace.values.push(row);
    }
    // 0: modulators, continuous coupling, currents (added to what events left in the inputs)
    for (let i = 0; i < program.modulators.length; i++) mods.values[i] = evalExpr(program.modulators[i]!.expr, modLookup(t));
    for (const p of projs) p.k.continuous?.(k, t);
    for (const c of currents) {
      while (c.cursor + 1 < c.from.length && c.from[c.cursor + 1]! <= k) c.cursor++;
      if (c.cursor < 0) continue;
      const v = c.values[c.cursor]!;
      for (let e = c.start; e < c.end; e++) c.arr[e]! += v;
    }
    // 1: state update; 2: thresholds (groups that updated this step) and sources
    for (const g of groups) {
      g.rt.n = 0;
      if (k % g.every !== 0) continue;
      g.k!.update?.(k, t);
    }
    for (const g of groups) if (k % g.every === 0 && g.k!.threshold) g.rt.n = g.k!.threshold(k, t, g.rt.buf);
    for (const s of sources) s.rt.n = s.stepper.step(k, s.rt.buf);
    // inputs have been used by this step's update and thresholds: clear them, so that what the
    // handlers of phase 3 add reaches the next step's update
    for (const g of groups) for (const arr of g.rt.values!.inputs.values()) arr.fill(0);
    // 3: on pre (after delays), on post, astrocyte synapse events
    for (const p of projs) {
      const { rt, k: kern, d } = p;
      const pre = rt.pre;
      const lo = rt.proj.pre.start, hi = rt.proj.pre.end;
      const recordAstro = kern.astroPre !== null;
      p.astroEvents.n = 0;
      if (!kern.row || !kern.syn) {
        if (!recordAstro) continue;
      }
      const L = d.slots.length;
      const due = d.slots[k % L]!;
      if (d.uniformDelay >= 0) {
        // rows waiting in the slot of step k, then this step's spikes if the delay is 0
        const deliverRow = (row: number): void => {
          if (kern.row) synapticEvents += kern.row(row, t);
          if (recordAstro) for (let s = rt.rowStart[row]!; s < rt.rowStart[row + 1]!; s++) p.astroEvents.push(s);
        };
        if (d.uniformDelay > 0) {
          for (let x = 0; x < due.n; x++) deliverRow(due.data[x]!);
          due.n = 0;
          const later = d.slots[(k + d.uniformDelay) % L]!;
          for (let x = 0; x < pre.n; x++) { const e = pre.buf[x]!; if (e >= lo && e < hi) later.push(e); }
        } else {
          for (let x = 0; x < pre.n; x++) { const e = pre.buf[x]!; if (e >= lo && e < hi) deliverRow(e); }
        }
      } else {
        const deliverSyn = (s: number): void => {
          if (kern.syn) { kern.syn(s, t); synapticEvents++; }
          if (recordAstro) p.astroEvents.push(s);
        };
        const pending = due.n;
        for (let x = 0; x < pending; x++) deliverSyn(due.data[x]!);
        due.n = 0;
        for (let x = 0; x < pre.n; x++) {
          const e = pre.buf[x]!;
          if (e < lo || e >= hi) continue;
          for (let s = rt.rowStart[e]!; s < rt.rowStart[e + 1]!; s++) {
            const dl = d.delays[s]!;
            if (dl === 0) deliverSyn(s);
            else d.slots[(k + dl) % L]!.push(s);
          }
        }
      }
    }
    for (const p of projs) {
      if (!p.k.postRow) continue;
      const post = p.rt.post, lo = p.rt.proj.post.start, hi = p.rt.proj.post.end;
      for (let x = 0; x < post.n; x++) { const q = post.buf[x]!; if (q >= lo && q < hi) p.k.postRow(q, t); }
    }
    for (const p of projs) {
      const f = p.k.astroPre;
      if (f) for (let x = 0; x < p.astroEvents.n; x++) f(p.astroEvents.data[x]!, t);
    }
    for (const p of projs) {
      const f = p.k.astroPost;
      if (!f) continue;
      const post = p.rt.post, lo = p.rt.proj.post.start, hi = p.rt.proj.post.end;
      for (let x = 0; x < post.n; x++) { const q = post.buf[x]!; if (q >= lo && q < hi) f(q, t); }
    }
    // 4: resets and refractoriness
    for (const g of groups) if (g.rt.n > 0) g.k!.reset(g.rt.buf, g.rt.n, k, t);
    // 5: spike and rate monitors, counts
    for (let i = 0; i < allPops.length; i++) {
      const rt = allPops[i]!;
      rt.total += rt.n;
      rt.prevN = rt.n;
      const list = spikeMonitored[i];
      if (list) for (let x = 0; x < rt.n; x++) { list.steps.push(k); list.idx.push(rt.buf[x]!); }
    }
    for (const m of rateMons) {
      if (k % m.every !== 0) continue;
      let c = 0;
      for (let x = 0; x < m.rt.n; x++) { const e = m.rt.buf[x]!; if (e >= m.start && e < m.end) c++; }
      m.trace.steps.push(k);
      m.hz.push(m.end > m.start ? c / ((m.end - m.start) * dt) : 0);
    }
    if (options.onProgress && (k + 1) % progressEvery === 0) options.onProgress((k + 1) / steps);
  }
  if (options.onProgress && steps % progressEvery !== 0) options.onProgress(1);
  const simWallS = (performance.now() - t1) / 1000;

  const { populations, spikesTotal } = populationCounts(allPops.map((rt) => ({ name: rt.name, size: rt.size, spikes: rt.total })), steps, dt);
  const spikes: Record<string, PopulationSpikes> = {};
  for (const [name, l] of spikeLists) spikes[name] = { steps: l.steps.data.slice(0, l.steps.n), indices: l.idx.data.slice(0, l.idx.n) };
  return {
    target: "reference", dt, steps, seed, populations, spikes,
    traces: stateMons.map((m) => m.trace),
    rates: rateMons.map((m) => ({ ...m.trace, hz: Float64Array.from(m.hz) })),
    spikesTotal, synapses, synapticEvents, simWallS, setupWallS,
  };
}
