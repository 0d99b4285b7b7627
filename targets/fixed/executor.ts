// The bit-exact fixed-point executor. In: a FixedProgram and RunOptions; out: a RunResult (state traces
// converted back to SI floats) plus overflow counts per variable. It steps through the step schedule
// (targets/schedule) like the reference target (inputs cleared after each step's thresholds). Network
// construction (connectivity, initial values, delays, sources) comes from targets/network, so the network is
// the one the reference builds for the same seed; initial values are rounded to nearest (ties to even) into
// each variable's format. All arithmetic is arith.ts's; statements are generated once as JS loops over the
// raw arrays (Float64Array holding exact integers) by kernels.ts / codegen.ts.
// Under spec.neuronMode "loihi", groups that planLoihi accepts are stepped by Lava's bit-accurate LIF instead
// (loihi-run.ts) and projections into them accumulate a_in.

import type { Ref } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult } from "../target.js";
import { populationCounts } from "../target.js";
import { buildProjection, type BuiltProjection, type PopulationFacts } from "../network/projection.js";
import { TargetError } from "../target.js";
import { initGroup, type Values } from "../network/init.js";
import { meanOfWords, stepModulators, type ModulatorInputs } from "./modulators.js";
import {
  groupKernels,
  projectionHandler,
  rawVars,
  type ModWords,
  type GroupKernels,
  type ProjectionSides,
  type SynapseHandler,
  type RawVars,
} from "./kernels.js";
import { makeSource } from "../network/sources.js";
import { Monitors, type SynapseAccess } from "../schedule/monitors.js";
import { CurrentCursor, NEVER, OnPreQueue, perIncoming, SpikeBuffer } from "../schedule/spikes.js";
import {
  runSchedule,
  type ScheduledGroup,
  type ScheduledProjection,
  type ScheduledSource,
  type StepPhases,
} from "../schedule/step.js";
import * as A from "./arith.js";
import type { FixedProgram, FxGroup, FxProjection } from "./ir.js";
import { Lfsr32 } from "./lfsr.js";
import type { LoihiLifParams } from "./lava-lif.js";
import { LoihiGroupRt, modelSynapseInputs, planLoihi, synapseInputs } from "./loihi-run.js";
import { fromFloat, toFloat, type OverflowCounter } from "./qformat.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

interface PopRt {
  name: string;
  size: number;
  fx: FxGroup | null;
  raw: RawVars | null;
  floatInit: Values | null;
  lastSpike: Int32Array;
  spikes: SpikeBuffer;
  kernels: GroupKernels | null;
  loihi: LoihiGroupRt | null;
}

/** The network as the executor runs it: its populations, the schedule's phases and the run's counters. */
interface Network {
  dt: number;
  seed: number;
  steps: number;
  pops: Map<string, PopRt>;
  groups: PopRt[];
  phases: StepPhases;
  monitors: Monitors;
  synapses: number;
  counters: Map<string, OverflowCounter>;
  loihiRefused: { group: string; reason: string }[];
}

export interface FixedRunResult {
  result: RunResult;
  /** Overflow events (saturations or wraps) per "OWNER.target" during the run. */
  overflows: Record<string, number>;
  /** Groups stepped as Lava's bit-accurate LIF (neuronMode "loihi"): parameters and final integer u, v. */
  loihi: Record<string, { params: LoihiLifParams; u: Int32Array; v: Int32Array }>;
  /** Groups that neuronMode "loihi" left on the generic fixed-point path, and why. */
  loihiRefused: { group: string; reason: string }[];
  /** The run's first overflow (unless RunOptions.numericGuard is false): the counter's "OWNER.var" key, the
   *  element the generated code recorded (-1: not known), the step and the run's count for that key. */
  firstOverflow?: { key: string; at: number; step: number; count: number };
}

/** Network data given instead of built: `projection(name)` a projection's synapses (CSR, values, delays and
 *  astrocyte of every synapse, in the order its handlers run), as a hardware descriptor's synapse table holds
 *  them (targets/emulator/oracle.ts). */
export interface NetworkOverrides {
  projection?: (name: string) => BuiltProjection | undefined;
}

/** Block delivery of on-pre events (crossbar reads, targets/crossbar/read-exec.ts): `projection` may take over a
 *  projection's on-pre events (its handler then receives every due event instead of the projection's program),
 *  and `flush(k)` runs once per step after all on-pre events, before on post. */
export interface OnPreDelivery {
  projection(
    p: FxProjection,
    sides: ProjectionSides,
    rng: Lfsr32,
    counterOf: (t: Ref | null) => OverflowCounter,
  ): SynapseHandler | null;
  flush(k: number): void;
}

export function execute(
  fp: FixedProgram,
  options: RunOptions = {},
  overrides?: NetworkOverrides,
  delivery?: OnPreDelivery,
): FixedRunResult {
  const t0 = performance.now();
  const net = setup(fp, options, overrides, delivery);
  if (options.numericGuard !== false) tagOverflowSteps(net);
  const setupWallS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const synapticEvents = runSchedule(net.phases, net.monitors, net.steps, options.onProgress);
  const simWallS = (performance.now() - t1) / 1000;
  return collect(net, synapticEvents, simWallS, setupWallS);
}

/** Stamps each overflow counter with the step of its first count (one sum over the counters per step). */
function tagOverflowSteps(net: Network): void {
  const tag = overflowStepTagger(net.counters);
  const phases = net.phases;
  const before = phases.endStep?.bind(phases); // the schedule's own hook (captured before it is replaced)
  phases.endStep = (k, events) => {
    before?.(k, events);
    tag(k);
  };
}

/** A function to call at the end of every step k: it stamps each counter of `counters` that counted its first
 *  overflow during the step with k (one sum over the counters per step). The fixed executor and the emulator
 *  (targets/emulator/engine.ts) both use it, with firstOverflow. */
export function overflowStepTagger(counters: ReadonlyMap<string, OverflowCounter>): (k: number) => void {
  const list = [...counters.values()];
  let seen = 0;
  return (k) => {
    if (list.length !== counters.size) list.splice(0, list.length, ...counters.values()); // counters made late
    let total = 0;
    for (const c of list) total += c.count;
    if (total === seen) return;
    seen = total;
    for (const c of list) if (c.count > 0 && c.step === undefined) c.step = k;
  };
}

/** The overflow counted first (earliest step; ties: key order), if any. */
export function firstOverflow(counters: ReadonlyMap<string, OverflowCounter>): FixedRunResult["firstOverflow"] {
  let best: FixedRunResult["firstOverflow"];
  for (const [key, c] of [...counters].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    if (c.count > 0 && c.step !== undefined && (!best || c.step < best.step))
      best = { key, at: c.at ?? -1, step: c.step, count: c.count };
  return best;
}

function collect(net: Network, synapticEvents: number, simWallS: number, setupWallS: number): FixedRunResult {
  const { dt, steps, seed } = net;
  const { populations, spikesTotal } = populationCounts(
    [...net.pops.values()].map((rt) => ({ name: rt.name, size: rt.size, spikes: rt.spikes.total })),
    steps,
    dt,
  );
  const overflows: Record<string, number> = {};
  for (const [k, c] of [...net.counters].sort((a, b) => (a[0] < b[0] ? -1 : 1))) overflows[k] = c.count;
  return {
    result: {
      target: "fixed",
      dt,
      steps,
      seed,
      populations,
      ...net.monitors.result(),
      spikesTotal,
      synapses: net.synapses,
      synapticEvents,
      simWallS,
      setupWallS,
    },
    overflows,
    firstOverflow: firstOverflow(net.counters),
    loihi: Object.fromEntries(
      net.groups
        .filter((rt) => rt.loihi)
        .map((rt) => [rt.name, { params: rt.loihi!.match.params, u: rt.loihi!.u, v: rt.loihi!.v }]),
    ),
    loihiRefused: net.loihiRefused,
  };
}

/** Populations, kernels (generated JS, or Lava's LIF for loihi-mode groups), projections, currents, monitors. */
function setup(
  fp: FixedProgram,
  options: RunOptions,
  overrides: NetworkOverrides | undefined,
  delivery: OnPreDelivery | undefined,
): Network {
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

  const { pops, groups, sources } = buildPopulations(fp, seed, dt, steps);
  const pop = (name: string): PopRt => {
    const p = pops.get(name);
    if (!p) throw new TargetError(`unknown population ${name}`);
    return p;
  };
  const mods = buildModulators(fp, pops, counter);
  const plan = attachKernels(fp, groups, seed, rng, counter, mods.words);
  const built = buildProjections(fp, pop, seed, dt, rng, counter, mods.words, overrides, delivery);
  const { projections, synapses } = built;
  const currents = buildCurrents(fp, pop, dt, counter);
  const monitors = buildMonitors(fp, pops, pop, built.access);
  const phases = stepPhases(dt, pops, groups, sources, projections, mods, currents, delivery);
  return { dt, seed, steps, pops, groups, phases, monitors, synapses, counters, loihiRefused: plan.refused };
}

/** The run-time state of every population and source (initial values rounded into their formats), and the
 *  sources' steppers. */
function buildPopulations(
  fp: FixedProgram,
  seed: number,
  dt: number,
  steps: number,
): { pops: Map<string, PopRt>; groups: PopRt[]; sources: ScheduledSource[] } {
  const pops = new Map<string, PopRt>();
  const groups: PopRt[] = [];
  for (const g of fp.groups) {
    if (!(Number.isInteger(g.stepEvery) && g.stepEvery >= 1))
      throw new TargetError(`${g.name}: stepEvery must be a positive integer`);
    const floatInit = initGroup(g.ir, seed, dt);
    const rt: PopRt = {
      name: g.name,
      size: g.size,
      fx: g,
      raw: rawVars(g.vars, floatInit, g.size),
      floatInit,
      lastSpike: new Int32Array(g.size).fill(NEVER),
      spikes: new SpikeBuffer(g.name, g.size),
      kernels: null,
      loihi: null,
    };
    pops.set(g.name, rt);
    groups.push(rt);
  }
  const sources: ScheduledSource[] = [];
  for (const s of fp.ir.sources) {
    const stepper = makeSource(s, seed, dt, steps);
    const rt: PopRt = {
      name: s.name,
      size: s.size,
      fx: null,
      raw: null,
      floatInit: null,
      lastSpike: new Int32Array(0),
      spikes: new SpikeBuffer(s.name, s.size, stepper.capacity),
      kernels: null,
      loihi: null,
    };
    pops.set(s.name, rt);
    sources.push({ spikes: rt.spikes, stepper });
  }
  return { pops, groups, sources };
}

/** The executor's modulator state: the program's modulators, their broadcast words, overflow counters and
 *  what they read of the network. */
interface ModulatorRt {
  list: NonNullable<FixedProgram["modulators"]>;
  words: ModWords;
  counters: OverflowCounter[];
  inputs: ModulatorInputs;
}

/** The modulators: words broadcast by the controller each step (modulators.ts), reading spikes and means. */
function buildModulators(
  fp: FixedProgram,
  pops: Map<string, PopRt>,
  counter: (key: string) => OverflowCounter,
): ModulatorRt {
  const modList = fp.modulators ?? [];
  const modWords: ModWords = {
    words: new Float64Array(modList.length),
    index: new Map(modList.map((m, i) => [m.name, i] as const)),
  };
  const modCounters = modList.map((m) => counter(`mod.${m.name}`));
  const modInputs: ModulatorInputs = {
    spikesLastStep: (name) => pops.get(name)?.spikes.n,
    size: (name) => pops.get(name)?.size,
    mean: (key) => {
      const dot = key.lastIndexOf(".");
      const rt = pops.get(key.slice(0, dot)),
        v = key.slice(dot + 1);
      const fmt = rt?.raw?.fmts.get(v);
      if (!rt || !rt.raw || !fmt || rt.size === 0) return undefined;
      return meanOfWords(rt.raw.arrays.get(v), rt.raw.scalars.get(v) ?? 0, fmt, rt.size);
    },
  };
  return { list: modList, words: modWords, counters: modCounters, inputs: modInputs };
}

/** Each group's kernels: generated JS (codegen.ts), or Lava's LIF for the groups planLoihi accepts; returns
 *  the plan (its refusals are reported). */
function attachKernels(
  fp: FixedProgram,
  groups: PopRt[],
  seed: number,
  rng: Lfsr32,
  counter: (key: string) => OverflowCounter,
  modWords: ModWords,
): ReturnType<typeof planLoihi> {
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
        reset: (k, buf, n) => {
          L.reset(buf, n);
          for (let x = 0; x < n; x++) ls[buf[x]!] = k;
        },
      };
      continue;
    }
    const cnt = (t: Ref | null): OverflowCounter =>
      counter(t && t.space !== "local" ? `${g.name}.${t.name}` : `${g.name}.(intermediate)`);
    rt.kernels = groupKernels(g, rt.raw!, rt.lastSpike, rng, cnt, modWords, seed);
  }
  return plan;
}

/** An injected current as the executor applies it: its values quantized into the input's format. */
interface CurrentRt {
  arr: Float64Array;
  fmt: FixedProgram["currents"][number];
  start: number;
  end: number;
  cnt: OverflowCounter;
  cursor: CurrentCursor;
  values: number[];
}

/** The currents (values quantized into the input's format). */
function buildCurrents(
  fp: FixedProgram,
  pop: (name: string) => PopRt,
  dt: number,
  counter: (key: string) => OverflowCounter,
): CurrentRt[] {
  return fp.ir.currents.map((c, i) => {
    const target = pop(c.target.population);
    const arr = target.raw?.arrays.get(c.variable);
    const fmt = fp.currents[i]!;
    if (!arr) throw new TargetError(`current: ${target.name} has no input ${c.variable}`);
    return {
      arr,
      fmt,
      start: c.target.start,
      end: c.target.end,
      cnt: counter(`${target.name}.${c.variable}`),
      cursor: new CurrentCursor(c.times, dt),
      values: c.values.map((v) => fromFloat(v, fmt, "nearest-even", "saturate")),
    };
  });
}

/** The monitors (loihi-mode groups read v and the current from Lava's integers). */
function buildMonitors(
  fp: FixedProgram,
  pops: Map<string, PopRt>,
  pop: (name: string) => PopRt,
  access: Map<string, SynapseAccess>,
): Monitors {
  return new Monitors(
    fp.ir.monitors,
    fp.ir.dt,
    (name) => pop(name).spikes,
    (name, variable) => {
      const rt = pops.get(name)!,
        L = rt.loihi;
      if (L && L.read(variable, 0) !== undefined) return (e) => L.read(variable, e)!;
      const fmt = rt.raw?.fmts.get(variable);
      if (!rt.raw || !fmt) return undefined;
      const arr = rt.raw.arrays.get(variable),
        sc = rt.raw.scalars.get(variable) ?? 0;
      return (e) => toFloat(arr ? arr[e]! : sc, fmt);
    },
    (name) => access.get(name),
    fp.ir.spans?.monitors,
  );
}

/** The step schedule's phases over the built network. */
function stepPhases(
  dt: number,
  pops: Map<string, PopRt>,
  groups: PopRt[],
  sources: ScheduledSource[],
  projections: ScheduledProjection[],
  mods: ModulatorRt,
  currents: CurrentRt[],
  delivery: OnPreDelivery | undefined,
): StepPhases {
  const modList = mods.list;
  return {
    groups: groups.map((rt): ScheduledGroup => ({
      spikes: rt.spikes,
      every: rt.fx!.stepEvery,
      update: rt.kernels!.update,
      threshold: rt.kernels!.threshold,
      reset: rt.kernels!.reset,
    })),
    sources,
    projections,
    populations: [...pops.values()].map((rt) => rt.spikes),
    // modulators from step k-1's spikes
    modulators(k) {
      if (modList.length) stepModulators(modList, k, dt, mods.words.words, mods.inputs, mods.counters);
    },
    clearInputs() {
      for (const rt of groups)
        for (const v of rt.fx!.vars) if (v.space === "input") rt.raw!.arrays.get(v.name)?.fill(0);
    },
    currents(k) {
      for (const c of currents) {
        const i = c.cursor.at(k);
        if (i < 0) continue;
        const v = c.values[i]!;
        for (let e = c.start; e < c.end; e++) c.arr[e] = A.add(c.arr[e]!, v, c.fmt, "saturate", c.cnt);
      }
    },
    afterOnPre: delivery ? (k) => delivery.flush(k) : undefined,
  };
}

/** Each projection's synapses (targets/network) and handlers: generated JS, or a_in accumulation into a
 *  loihi-mode group; on-pre events through `delivery` when it takes the projection over. */
function buildProjections(
  fp: FixedProgram,
  pop: (name: string) => PopRt,
  seed: number,
  dt: number,
  rng: Lfsr32,
  counter: (key: string) => OverflowCounter,
  modWords: ModWords,
  overrides: NetworkOverrides | undefined,
  delivery: OnPreDelivery | undefined,
): { projections: ScheduledProjection[]; synapses: number; access: Map<string, SynapseAccess> } {
  const facts = (r: PopRt): PopulationFacts => ({
    size: r.size,
    kind: r.fx ? r.fx.ir.kind : "source",
    values: r.floatInit ?? undefined,
  });
  const projections: ScheduledProjection[] = [];
  const access = new Map<string, SynapseAccess>();
  let synapses = 0;
  for (const p of fp.projections) {
    const pre = pop(p.ir.pre.population),
      post = pop(p.ir.post.population);
    const given = overrides?.projection?.(p.ir.name);
    const { csr, values, delays, astroOf } = given ?? buildProjection(p.ir, (name) => facts(pop(name)), seed, dt);
    if (astroOf && astroOf.length !== csr.n)
      throw new TargetError(`${p.ir.name}: astrocyte map of ${astroOf.length} synapses for ${csr.n}`);
    const raw = rawVars(p.vars, values, csr.n);
    access.set(p.ir.name, {
      n: csr.n,
      pre: csr.pre,
      post: csr.post,
      reader: (variable) => {
        const fmt = raw.fmts.get(variable);
        if (!fmt) return undefined;
        const arr = raw.arrays.get(variable),
          sc = raw.scalars.get(variable) ?? 0;
        return (s) => toFloat(arr ? arr[s]! : sc, fmt);
      },
    });
    const astro = p.astro ? pop(p.astro.group) : null;
    const sides: ProjectionSides = {
      preIdx: csr.pre,
      postIdx: csr.post,
      pre: { name: pre.name, raw: pre.raw, vars: pre.fx?.vars ?? [] },
      post: { name: post.name, raw: post.raw, vars: post.fx?.vars ?? [] },
      astro: astro && astroOf ? { name: astro.name, raw: astro.raw!, vars: astro.fx!.vars, astroOf } : undefined,
      mods: modWords,
    };
    const cnt = (t: Ref | null): OverflowCounter =>
      counter(
        t && (t.space === "post" || t.space === "pre" || t.space === "astro")
          ? `${(t.space === "post" ? post : t.space === "pre" ? pre : astro!).name}.${t.name}`
          : t && t.space !== "local"
            ? `${p.name}.${t.name}`
            : `${p.name}.(intermediate)`,
      );
    const incoming = (f: SynapseHandler | null): ((q: number, k: number) => void) | null =>
      f ? perIncoming(csr.postStart, csr.postSyn, f) : null;
    // the ensheathing astrocytes' on synapse_pre (per delivered event) and on synapse_post
    const astroPre = p.astro
      ? projectionHandler(p, p.astro.onSynapsePre, raw, sides, rng, cnt, undefined, p.astro.locals)
      : null;
    const astroPost = p.astro
      ? projectionHandler(p, p.astro.onSynapsePost, raw, sides, rng, cnt, undefined, p.astro.locals)
      : null;
    const common = {
      pre: pre.spikes,
      post: post.spikes,
      preLo: p.ir.pre.start,
      preHi: p.ir.pre.end,
      postLo: p.ir.post.start,
      postHi: p.ir.post.end,
      queue: new OnPreQueue(csr.rowStart, delays),
      astroPre,
      astroPost: incoming(astroPost),
    };
    const L = post.loihi;
    if (L) {
      // a_in accumulation (Int32Array stores wrap like numpy's int32 sum)
      // from the model's weights (given synapses hold them as rounded hardware words)
      const inc = given
        ? modelSynapseInputs(p.ir, L.match, (name) => facts(pop(name)), seed, dt, csr.pre, csr.post)
        : synapseInputs(p.ir, L.match, values, csr.n);
      if (typeof inc === "string") throw new TargetError(`loihi mode: ${inc}`);
      const aIn = L.aIn,
        postIdx = csr.post;
      projections.push({
        ...common,
        continuous: null,
        onPre: (s) => {
          aIn[postIdx[s]!] += inc[s]!;
        },
        onPost: null,
      });
    } else {
      // event-driven traces: the step of each synapse's last update (0 at start, as lastUpdate = 0 s)
      const lastUpdate = p.eventDriven ? new Int32Array(csr.n) : undefined;
      const onPre =
        delivery?.projection(p, sides, rng, cnt) ?? projectionHandler(p, p.onPre, raw, sides, rng, cnt, lastUpdate);
      const onPost = projectionHandler(p, p.onPost, raw, sides, rng, cnt, lastUpdate);
      const continuous = projectionHandler(p, p.continuous, raw, sides, rng, cnt, lastUpdate),
        n = csr.n;
      projections.push({
        ...common,
        onPre,
        onPost: incoming(onPost),
        continuous: continuous
          ? (k) => {
              for (let s = 0; s < n; s++) continuous(s, k);
            }
          : null,
      });
    }
    synapses += csr.n;
  }
  return { projections, synapses, access };
}
