// The bit-exact fixed-point executor. In: a FixedProgram and RunOptions; out: a RunResult (state traces
// converted back to SI floats) plus overflow counts per variable. Same step semantics as the reference
// target (docs/internals.md): inputs, couplings and currents; update; thresholds and sources; on pre (after
// delays), on post; resets; monitors. Network construction (connectivity, initial values, delays, sources)
// comes from targets/network, so the network is the one the reference builds for the same seed; initial
// values are rounded to nearest (ties to even) into each variable's format.
// All arithmetic is arith.ts's; statements are generated once as
// JS loops over the raw arrays (Float64Array holding exact integers) by kernels.ts / codegen.ts.
// Under spec.neuronMode "loihi", groups that planLoihi accepts are stepped by Lava's bit-accurate LIF instead
// (loihi-run.ts) and projections into them accumulate a_in.

import type { Ref } from "../../compiler/ir/nodes.js";
import type { PopulationSpikes, RateTrace, RunOptions, RunResult, StateTrace } from "../target.js";
import { populationCounts } from "../target.js";
import { buildProjection, type PopulationFacts } from "../network/projection.js";
import { TargetError } from "../target.js";
import { initGroup, type Values } from "../network/init.js";
import { meanOfWords, stepModulators, type ModulatorInputs } from "./modulators.js";
import { groupKernels, projectionHandler, rawVars, type ModWords, type GroupKernels, type ProjectionSides, type SynapseHandler, type RawVars } from "./kernels.js";
import { makeSource, type SourceStepper } from "../network/sources.js";
import * as A from "./arith.js";
import type { FixedProgram, FxGroup, FxProjection } from "./ir.js";
import { Lfsr32 } from "./lfsr.js";
import type { LoihiLifParams } from "./lava-lif.js";
import { LoihiGroupRt, planLoihi, synapseInputs } from "./loihi-run.js";
import { fromFloat, toFloat, type OverflowCounter } from "./qformat.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

const NEVER = -1_000_000_000;

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
  kernels: GroupKernels | null;
  loihi: LoihiGroupRt | null;
  /** Network steps per step of the group's own clock: it updates (and thresholds) when k % every == 0. */
  every: number;
}

export interface FixedRunResult {
  result: RunResult;
  /** Overflow events (saturations or wraps) per "OWNER.target" during the run. */
  overflows: Record<string, number>;
  /** Groups stepped as Lava's bit-accurate LIF (neuronMode "loihi"): parameters and final integer u, v. */
  loihi: Record<string, { params: LoihiLifParams; u: Int32Array; v: Int32Array }>;
  /** Groups that neuronMode "loihi" left on the generic fixed-point path, and why. */
  loihiRefused: { group: string; reason: string }[];
}

/** Network data given instead of built: `astroOf(projection)` the astrocyte of every synapse of an ensheathed
 *  projection in its construction order (hardware descriptors store it; targets/emulator/oracle.ts). */
export interface NetworkOverrides {
  astroOf?: (projection: string) => Int32Array | undefined;
}

/** Block delivery of on-pre events (crossbar reads, targets/crossbar/read-exec.ts): `projection` may take over a
 *  projection's on-pre events (its handler then receives every due event instead of the projection's program),
 *  and `flush(k)` runs once per step after all on-pre events, before on post. */
export interface OnPreDelivery {
  projection(p: FxProjection, sides: ProjectionSides, rng: Lfsr32, counterOf: (t: Ref | null) => OverflowCounter): SynapseHandler | null;
  flush(k: number): void;
}

export function execute(fp: FixedProgram, options: RunOptions = {}, overrides?: NetworkOverrides, delivery?: OnPreDelivery): FixedRunResult {
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
    if (!(Number.isInteger(g.stepEvery) && g.stepEvery >= 1)) throw new TargetError(`${g.name}: stepEvery must be a positive integer`);
    const floatInit = initGroup(g.ir, seed, dt);
    const rt: PopRt = {
      name: g.name, size: g.size, fx: g, raw: rawVars(g.vars, floatInit, g.size), floatInit, lastSpike: new Int32Array(g.size).fill(NEVER),
      buf: new Int32Array(g.size), n: 0, total: 0, kernels: null, loihi: null, every: g.stepEvery,
    };
    pops.set(g.name, rt);
    groups.push(rt);
  }
  const sources: { rt: PopRt; stepper: SourceStepper }[] = [];
  for (const s of ir.sources) {
    const rt: PopRt = { name: s.name, size: s.size, fx: null, raw: null, floatInit: null, lastSpike: new Int32Array(0), buf: new Int32Array(s.size), n: 0, total: 0, kernels: null, loihi: null, every: 1 };
    pops.set(s.name, rt);
    sources.push({ rt, stepper: makeSource(s, seed, dt, steps) });
  }
  const pop = (name: string): PopRt => {
    const p = pops.get(name);
    if (!p) throw new TargetError(`unknown population ${name}`);
    return p;
  };

  // ---- modulators: words broadcast by the controller each step (modulators.ts)
  const modList = fp.modulators ?? [];
  const modWords: ModWords = { words: new Float64Array(modList.length), index: new Map(modList.map((m, i) => [m.name, i] as const)) };
  const modCounters = modList.map((m) => counter(`mod.${m.name}`));
  const modInputs: ModulatorInputs = {
    spikesLastStep: (name) => pops.get(name)?.n,
    size: (name) => pops.get(name)?.size,
    mean: (key) => {
      const dot = key.lastIndexOf(".");
      const rt = pops.get(key.slice(0, dot)), v = key.slice(dot + 1);
      const fmt = rt?.raw?.fmts.get(v);
      if (!rt || !rt.raw || !fmt || rt.size === 0) return undefined;
      return meanOfWords(rt.raw.arrays.get(v), rt.raw.scalars.get(v) ?? 0, fmt, rt.size);
    },
  };

  // ---- group kernels (generated JS, codegen.ts), or Lava's LIF for loihi-mode groups
  const plan = planLoihi(fp, seed);
  for (const rt of groups) {
    const g = rt.fx!;
    const m = plan.groups.get(g.name);
    if (m) {
      const L = (rt.loihi = new LoihiGroupRt(g.size, m, rt.floatInit!));
      const ls = rt.lastSpike;
      rt.kernels = {
        update: () => L.update(),
        threshold: (_k, buf) => L.threshold(buf),
        reset: (k, buf, n) => { L.reset(buf, n); for (let x = 0; x < n; x++) ls[buf[x]!] = k; },
      };
      continue;
    }
    const cnt = (t: Ref | null): OverflowCounter => counter(t && t.space !== "local" ? `${g.name}.${t.name}` : `${g.name}.(intermediate)`);
    rt.kernels = groupKernels(g, rt.raw!, rt.lastSpike, rng, cnt, modWords);
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
    onPre: SynapseHandler | null;
    onPost: SynapseHandler | null;
    continuous: SynapseHandler | null;
    /** The ensheathing astrocytes' on synapse_pre (per delivered event, recorded in astroEvents) and
     *  on synapse_post (per incoming synapse of a post element that spiked). */
    astroPre: SynapseHandler | null;
    astroPost: SynapseHandler | null;
    astroEvents: number[];
  }
  const facts = (r: PopRt): PopulationFacts => ({ size: r.size, kind: r.fx ? r.fx.ir.kind : "source", values: r.floatInit ?? undefined });
  const projs: ProjRt[] = [];
  let synapses = 0;
  for (const p of fp.projections) {
    const pre = pop(p.ir.pre.population), post = pop(p.ir.post.population);
    const { csr, values, delays, astroOf: built } = buildProjection(p.ir, (name) => facts(pop(name)), seed, dt);
    const astroOf = (built && overrides?.astroOf?.(p.ir.name)) ?? built;
    if (astroOf && astroOf.length !== csr.n) throw new TargetError(`${p.ir.name}: astrocyte map of ${astroOf.length} synapses for ${csr.n}`);
    const raw = rawVars(p.vars, values, csr.n);
    const astro = p.astro ? pop(p.astro.group) : null;
    const sides: ProjectionSides = {
      preIdx: csr.pre, postIdx: csr.post,
      pre: { name: pre.name, raw: pre.raw, vars: pre.fx?.vars ?? [] },
      post: { name: post.name, raw: post.raw, vars: post.fx?.vars ?? [] },
      astro: astro && astroOf ? { name: astro.name, raw: astro.raw!, vars: astro.fx!.vars, astroOf } : undefined,
      mods: modWords,
    };
    const cnt = (t: Ref | null): OverflowCounter =>
      counter(t && (t.space === "post" || t.space === "pre" || t.space === "astro") ? `${(t.space === "post" ? post : t.space === "pre" ? pre : astro!).name}.${t.name}` : t && t.space !== "local" ? `${p.name}.${t.name}` : `${p.name}.(intermediate)`);
    const astroHandlers = {
      astroPre: p.astro ? projectionHandler(p, p.astro.onSynapsePre, raw, sides, rng, cnt, undefined, p.astro.locals) : null,
      astroPost: p.astro ? projectionHandler(p, p.astro.onSynapsePost, raw, sides, rng, cnt, undefined, p.astro.locals) : null,
      astroEvents: [] as number[],
    };
    let maxDelay = 0;
    for (let s = 0; s < csr.n; s++) maxDelay = math.max(maxDelay, delays[s]!);
    const L = post.loihi;
    if (L) {
      // a_in accumulation (Int32Array stores wrap like numpy's int32 sum)
      const inc = synapseInputs(p.ir, L.match, values, csr.n), aIn = L.aIn, postIdx = csr.post;
      projs.push({
        fx: p, pre, post, n: csr.n, preIdx: csr.pre, postIdx: csr.post, rowStart: csr.rowStart, postStart: csr.postStart, postSyn: csr.postSyn,
        delays, maxDelay, slots: Array.from({ length: maxDelay + 1 }, () => []),
        onPre: (s) => { aIn[postIdx[s]!] += inc[s]!; }, onPost: null, continuous: null, ...astroHandlers,
      });
      synapses += csr.n;
      continue;
    }
    // event-driven traces: the step of each synapse's last update (0 at start, as lastUpdate = 0 s)
    const lastUpdate = p.eventDriven ? new Int32Array(csr.n) : undefined;
    projs.push({
      fx: p, pre, post, n: csr.n, preIdx: csr.pre, postIdx: csr.post, rowStart: csr.rowStart, postStart: csr.postStart, postSyn: csr.postSyn,
      delays, maxDelay, slots: Array.from({ length: maxDelay + 1 }, () => []),
      onPre: delivery?.projection(p, sides, rng, cnt) ?? projectionHandler(p, p.onPre, raw, sides, rng, cnt, lastUpdate),
      onPost: projectionHandler(p, p.onPost, raw, sides, rng, cnt, lastUpdate),
      continuous: projectionHandler(p, p.continuous, raw, sides, rng, cnt, lastUpdate),
      ...astroHandlers,
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
      const indices: number[] = [];
      for (let e = m.target.start; e < m.target.end; e++) indices.push(e);
      const L = rt.loihi;
      if (L && L.read(name, 0) !== undefined) {
        stateMons.push({ trace: { population: rt.name, variable: name, indices, steps: [], values: [] }, read: (e) => L.read(name, e)!, every });
        continue;
      }
      const fmt = rt.raw?.fmts.get(name);
      if (!rt.raw || !fmt) throw new TargetError(`record: ${rt.name} has no variable ${name}`);
      const arr = rt.raw.arrays.get(name), sc = rt.raw.scalars.get(name) ?? 0;
      stateMons.push({ trace: { population: rt.name, variable: name, indices, steps: [], values: [] }, read: (e) => toFloat(arr ? arr[e]! : sc, fmt), every });
    }
  }
  const allPops = [...pops.values()];

  const setupWallS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let synapticEvents = 0;

  for (let k = 0; k < steps; k++) {
    for (const m of stateMons) {
      if (k % m.every !== 0) continue;
      m.trace.steps.push(k);
      m.trace.values.push(Float64Array.from(m.trace.indices, (e) => m.read(e)));
    }
    // 0: modulators (from step k-1's spikes), inputs, couplings, currents
    if (modList.length) stepModulators(modList, k, dt, modWords.words, modInputs, modCounters);
    for (const rt of groups) for (const v of rt.fx!.vars) if (v.space === "input") rt.raw!.arrays.get(v.name)?.fill(0);
    for (const p of projs) if (p.continuous) for (let s = 0; s < p.n; s++) p.continuous(s, k);
    for (const c of currents) {
      while (c.cursor + 1 < c.from.length && c.from[c.cursor + 1]! <= k) c.cursor++;
      if (c.cursor < 0) continue;
      const v = c.values[c.cursor]!;
      for (let e = c.start; e < c.end; e++) c.arr[e] = A.add(c.arr[e]!, v, c.fmt, "saturate", c.cnt);
    }
    // 1: update (reads the element's old state), 2: thresholds and sources
    for (const rt of groups) {
      rt.n = 0;
      if (k % rt.every === 0) rt.kernels!.update?.(k);
    }
    for (const rt of groups) if (k % rt.every === 0 && rt.kernels!.threshold) rt.n = rt.kernels!.threshold(k, rt.buf);
    for (const s of sources) s.rt.n = s.stepper.step(k, s.rt.buf);
    // 3: on pre after delays, then on post, then the astrocytes' synapse events
    for (const p of projs) {
      const onPre = p.onPre, ev = p.astroPre ? p.astroEvents : null;
      if (!onPre && !ev) continue;
      if (ev) ev.length = 0;
      const L = p.slots.length;
      const due = p.slots[k % L]!;
      for (const s of due) {
        if (onPre) { onPre(s, k); synapticEvents++; }
        if (ev) ev.push(s);
      }
      due.length = 0;
      const lo = p.fx.ir.pre.start, hi = p.fx.ir.pre.end;
      for (let x = 0; x < p.pre.n; x++) {
        const e = p.pre.buf[x]!;
        if (e < lo || e >= hi) continue;
        for (let s = p.rowStart[e]!; s < p.rowStart[e + 1]!; s++) {
          const dl = p.delays[s]!;
          if (dl === 0) {
            if (onPre) { onPre(s, k); synapticEvents++; }
            if (ev) ev.push(s);
          } else p.slots[(k + dl) % L]!.push(s);
        }
      }
    }
    delivery?.flush(k);
    for (const p of projs) {
      if (!p.onPost) continue;
      const lo = p.fx.ir.post.start, hi = p.fx.ir.post.end;
      for (let x = 0; x < p.post.n; x++) {
        const q = p.post.buf[x]!;
        if (q < lo || q >= hi) continue;
        for (let y = p.postStart[q]!; y < p.postStart[q + 1]!; y++) p.onPost(p.postSyn[y]!, k);
      }
    }
    for (const p of projs) {
      const f = p.astroPre;
      if (f) for (let x = 0; x < p.astroEvents.length; x++) f(p.astroEvents[x]!, k);
    }
    for (const p of projs) {
      const f = p.astroPost;
      if (!f) continue;
      const lo = p.fx.ir.post.start, hi = p.fx.ir.post.end;
      for (let x = 0; x < p.post.n; x++) {
        const q = p.post.buf[x]!;
        if (q < lo || q >= hi) continue;
        for (let y = p.postStart[q]!; y < p.postStart[q + 1]!; y++) f(p.postSyn[y]!, k);
      }
    }
    // 4: resets
    for (const rt of groups) rt.kernels!.reset(k, rt.buf, rt.n);
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
  const { populations, spikesTotal } = populationCounts(allPops.map((rt) => ({ name: rt.name, size: rt.size, spikes: rt.total })), steps, dt);
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
    loihi: Object.fromEntries(groups.filter((rt) => rt.loihi).map((rt) => [rt.name, { params: rt.loihi!.match.params, u: rt.loihi!.u, v: rt.loihi!.v }])),
    loihiRefused: plan.refused,
  };
}
