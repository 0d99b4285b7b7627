// The cycle-accurate emulator: steps a crossbar or digital-core descriptor timestep by timestep. In: a
// validated Descriptor, the hardware spec's cost model and options; out: spikes (computed by the emulator's
// own datapath from the words the hardware memories hold), cycles per step, latency, energy per component.
//
// Functionally a step is the descriptor's semantics (targets/descriptor/types.ts) in the order of the step
// schedule (targets/schedule): the controller's modulator words, couplings, currents; neuron and astrocyte
// updates and thresholds (a group at the steps of its own clock, k % stepEvery == 0), sources, inputs cleared;
// on pre of every projection (due delayed events, then this step's spikes), on post, then the astrocytes' on
// synapse_pre / synapse_post (the synapse's astrocyte from the synapse memories' astrocyte field); resets.
// Under the loihi preset's neuron mode the groups the fixed target runs as Lava's LIF are such compartments here
// too (loihi.ts), with a_in accumulated by their incoming projections.
// Then timing.ts charges the step's cycles and energy on the hardware's units.

import { coreUtilization, type CoreUse } from "./utilization.js";
import { irFromJson } from "../../compiler/ir/json.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { Descriptor } from "../descriptor/types.js";
import type { QFormat } from "../fixed/qformat.js";
import * as A from "../fixed/arith.js";
import { Lfsr32 } from "../fixed/lfsr.js";
import { firstOverflow, overflowStepTagger, type FixedRunResult } from "../fixed/executor.js";
import { makeSource } from "../network/sources.js";
import { Monitors, SpikeRecorder } from "../schedule/monitors.js";
import type { StateTrace } from "../target.js";
import { CurrentCursor, NEVER, OnPreQueue, perIncoming, SpikeBuffer } from "../schedule/spikes.js";
import {
  runSchedule,
  type ScheduledGroup,
  type ScheduledProjection,
  type ScheduledSource,
  type StepPhases,
} from "../schedule/step.js";
import type { CostModel } from "./costs.js";
import { emulatorReads } from "./crossbar-read.js";
import {
  compileNeuron,
  compileSynapse,
  DatapathError,
  type AstroSide,
  neuronWords,
  synapseWords,
  type NeuronKernels,
  type Overflows,
  type SynapseKernels,
  type Words,
} from "./datapath.js";
import type { Component } from "./energy.js";
import { Controller, CONTROLLER_UNCHARGED } from "./controller.js";
import { astroMaps, astroStageUse } from "../descriptor/astro.js";
import { EmulatorError } from "./errors.js";
import { StepTiming, type Pop, type Proj } from "./timing.js";
import { isDense } from "../descriptor/dense.js";
import { loihiMode, loihiNeuronKernels, loihiOnPre, type LoihiMode } from "./loihi.js";

export { EmulatorError };

const math = Math;

export interface EmulateOptions {
  /** Steps to run (default: the descriptor's). */
  steps?: number;
  onProgress?: (fraction: number) => void;
  /** false: the steps of first overflows are not tracked (firstOverflow stays unset); default true. */
  numericGuard?: boolean | "warn";
}

export interface EmulationResult {
  preset: string;
  kind: "crossbar" | "digital";
  network: string;
  dt: number;
  steps: number;
  clockHz: number;
  cycles: number;
  cyclesPerStep: Float64Array;
  latency_s: number;
  latency_per_step_s: number;
  real_time_factor: number;
  throughput_sops: number;
  energy_j: number;
  /** energy_j / the biological time emulated (steps x dt): joules per biological second. */
  energy_per_bio_second_j: number;
  energy_breakdown_j: Record<Component, number>;
  power_w: number;
  energy_per_synaptic_event_j: number;
  energy_per_inference_j: number;
  neuron_updates: number;
  neuron_updates_active: number;
  synaptic_events: number;
  learning_updates: number;
  /** Crossbar: ADC conversions clipped at the end of the range (0 when the read model is exact or digital). */
  adc_clips: number;
  /** Astrocyte updates on their own clock (every stepEvery steps), and astrocyte-stage operations on the
   *  cores holding synapses (events of ensheathed synapses, couplings reading astrocyte words). */
  astrocyte_updates: number;
  astrocyte_events: number;
  spikes_total: number;
  hops: number;
  hops_x: number;
  hops_y: number;
  /** Spike packets sent (one per spike and destination unit). */
  packets: number;
  /** hops / packets (0 without packets). */
  mean_hops_per_packet: number;
  /** Chips the units occupy (1 unless the descriptor is multi-chip), and hops over inter-chip links. */
  chips: number;
  chip_hops: number;
  /** Packets of input populations (e.g. Poisson sources): injected by the host at their destination core (one
   *  message each, no mesh hops), among `packets`. */
  host_packets: number;
  /** The occupied tiles in order of their first unit: mesh position and the units (cores, or the crossbar
   *  tile itself) they hold (digital: placeTiles' block, targets/digital/map.ts). */
  placement: { tile: number; x: number; y: number; units: number[] }[];
  /** Digital: each core's use of its neurons, synapse memory and axons (utilization.ts); crossbar: []. */
  core_utilization: CoreUse[];
  /** Modulator broadcasts (controller stage): packets (one per modulator and reading unit) and their hops over
   *  the run, and the stage's cycles per step (its last word's arrival; 0 without modulators). */
  broadcast_packets: number;
  broadcast_hops: number;
  broadcast_cycles_per_step: number;
  contention_wait_cycles: number;
  pipeline_stall_cycles: number;
  uncharged: string[];
  /** The energy costs the spec cites (the cost model's `charged`): what energy_j sums. */
  energyCharged: string[];
  /** Spikes of every neuron population and source: steps ascending, elements ascending within a step. */
  spikes: Record<string, { steps: Int32Array; indices: Int32Array }>;
  /** The program's state monitors (`record VAR of POP`), read from the neuron memories' words (SI units). */
  traces: StateTrace[];
  /** Saturations or wraps the datapath performed, per "OWNER.var". */
  overflows: Record<string, number>;
  /** State monitors not recorded, with why (Lava-LIF compartments under the loihi neuron mode keep Lava's words). */
  untraced: string[];
  /** Wall seconds of the whole call (network construction included), and of the step loop alone. */
  wallS: number;
  loopS: number;
  /** The first overflow of a fixed-point format the datapath counted (saturation or wrap), as the fixed
   *  executor reports it (key OWNER.VARIABLE, element, step, count of that variable's overflows in the run). */
  firstOverflow?: FixedRunResult["firstOverflow"];
}

/** A population of the functional network: the hardware side's view plus its words and kernels. */
interface FnPop extends Pop {
  words: Words | null;
  k: NeuronKernels | null;
  lastSpike: Int32Array;
  source: SourceStepper | null;
}

interface FnProj extends Proj {
  pre: FnPop;
  post: FnPop;
  n: number;
  rowStart: Int32Array;
  delay: Int32Array;
  kern: SynapseKernels;
}

type SourceStepper = ReturnType<typeof makeSource>;

/** The functional network of a descriptor: populations with their words, projections with their kernels. */
interface Network {
  ir: IRProgram;
  /** Each neuron population's variable formats, and the populations run as Lava LIF compartments. */
  fmts: Map<string, Map<string, QFormat>>;
  loihiGroups: Set<string>;
  overflows: Overflows;
  pops: Map<string, FnPop>;
  groups: FnPop[];
  sources: FnPop[];
  projs: FnProj[];
  ctrl: Controller;
  xreads: ReturnType<typeof emulatorReads>;
  currents: {
    arr: Float64Array;
    fmt: { signed: boolean; intBits: number; fracBits: number };
    start: number;
    end: number;
    cursor: CurrentCursor;
    values: number[];
  }[];
}

function csrStarts(keys: Int32Array, size: number): Int32Array {
  const start = new Int32Array(size + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i]! + 1]!++;
  for (let i = 0; i < size; i++) start[i + 1]! += start[i]!;
  return start;
}

/** Datapath construction errors (a construct the emulator's datapath cannot build) as EmulatorErrors. */
function built<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof DatapathError) throw new EmulatorError(err.message);
    throw err;
  }
}

export function emulate(d: Descriptor, cm: CostModel, options: EmulateOptions = {}): EmulationResult {
  const t0 = performance.now();
  const parsed = irFromJson(JSON.stringify(d.ir));
  if (!parsed.ok) throw new EmulatorError(`descriptor: embedded IR: ${parsed.error}`);
  const steps = options.steps ?? d.steps;
  const net = buildNetwork(d, parsed.program, steps);
  const timing = new StepTiming(d, cm, net.pops, net.projs, net.ctrl.words.index, steps);
  const recorders = [...net.pops.values()].map((p) => new SpikeRecorder(p.spikes));
  const mon = stateMonitors(parsed.program, net);
  const learn = { n: 0 };
  // the run-time guard: each overflow counter stamped with the step of its first count
  const tag = options.numericGuard !== false ? overflowStepTagger(net.overflows) : undefined;
  const phases = stepPhases(d, net, learn, (k, events) => {
    timing.step(k, events, learn.n);
    learn.n = 0;
    for (const r of recorders) r.record(k);
    tag?.(k);
  });
  const tLoop = performance.now();
  try {
    runSchedule(phases, mon.monitors, steps, options.onProgress);
  } catch (err) {
    if (err instanceof DatapathError) throw new EmulatorError(err.message);
    throw err;
  }
  const loopS = (performance.now() - tLoop) / 1000;
  const first = tag ? firstOverflow(net.overflows) : undefined;
  return {
    ...collect(d, cm, net, timing, recorders, steps, t0),
    loopS,
    ...(first ? { firstOverflow: first } : {}),
    traces: mon.monitors.result().traces,
    untraced: mon.untraced,
    overflows: Object.fromEntries([...net.overflows].map(([k, c]) => [k, c.count])),
  };
}

/** The program's state monitors over the neuron memories' words (raw * 2^-fracBits), those it cannot read
 *  listed with the reason. */
function stateMonitors(ir: IRProgram, net: Network): { monitors: Monitors; untraced: string[] } {
  const untraced: string[] = [];
  const reader = (population: string, variable: string): ((e: number) => number) | undefined => {
    const p = net.pops.get(population),
      fmt = net.fmts.get(population)?.get(variable);
    if (!p?.words || !fmt) return undefined;
    const arr = p.words.arrays.get(variable),
      sc = p.words.scalars.get(variable) ?? 0,
      scale = 2 ** -fmt.fracBits;
    return (e) => (arr ? arr[e]! : sc) * scale;
  };
  const kept = ir.monitors.filter((m) => {
    if (m.k !== "state") return false;
    const what = `${m.variable ?? ""} of ${m.target.population}`;
    if (net.loihiGroups.has(m.target.population)) untraced.push(`${what}: a Lava LIF compartment (Lava's words)`);
    else if (!reader(m.target.population, m.variable ?? "")) untraced.push(`${what}: no such word in its memory`);
    else return true;
    return false;
  });
  const monitors = new Monitors(kept, ir.dt, (name) => net.pops.get(name)!.spikes, reader);
  return { monitors, untraced };
}

/** The functional network on the step schedule: the emulator's datapath kernels as the schedule's phases;
 *  `learn.n` counts the step's on-post synapse updates, `endStep` runs the timing. */
function stepPhases(
  d: Descriptor,
  net: Network,
  learn: { n: number },
  endStep: (k: number, events: number) => void,
): StepPhases {
  const groups = net.groups.map((p): ScheduledGroup => {
    const kern = p.k!,
      act = p.active,
      threshold = kern.threshold;
    return {
      spikes: p.spikes,
      every: p.every,
      update: (k) => {
        kern.update(k, act);
      },
      threshold: threshold ? (k, buf) => threshold(k, buf, act) : null,
      reset: kern.reset,
    };
  });
  const sources = net.sources.map((p): ScheduledSource => ({ spikes: p.spikes, stepper: p.source! }));
  const projections = net.projs.map((p): ScheduledProjection => {
    const { continuous, onPost, astroPost } = p.kern,
      n = p.n;
    return {
      pre: p.pre.spikes,
      post: p.post.spikes,
      preLo: 0,
      preHi: p.pre.size,
      postLo: 0,
      postHi: p.post.size,
      queue: new OnPreQueue(p.rowStart, p.delay),
      countAllEvents: true,
      continuous: continuous
        ? (k) => {
            for (let s = 0; s < n; s++) continuous(s, k);
          }
        : null,
      onPre: p.kern.onPre,
      onPreRow: p.kern.onPreRow ?? null,
      onPost: onPost
        ? perIncoming(p.postStart, p.postSyn, (s, k) => {
            onPost(s, k);
            learn.n++;
          })
        : null,
      astroPre: p.kern.astroPre,
      astroPost: astroPost ? perIncoming(p.postStart, p.postSyn, astroPost) : null,
    };
  });
  return {
    groups,
    sources,
    projections,
    populations: [...net.pops.values()].map((p) => p.spikes),
    // the controller's modulator words (from step k-1's spikes)
    modulators: (k) => net.ctrl.step(k, d.dt),
    clearInputs: () => {
      for (let gi = 0; gi < net.groups.length; gi++) net.groups[gi]!.k!.clearInputs();
    },
    currents(k) {
      for (const c of net.currents) {
        const i = c.cursor.at(k);
        if (i < 0) continue;
        const v = c.values[i]!;
        for (let e = c.start; e < c.end; e++) c.arr[e] = A.add(c.arr[e]!, v, c.fmt, "saturate");
      }
    },
    afterOnPre: net.xreads ? (k) => net.xreads!.flush(k) : undefined,
    endStep,
  };
}

/** Populations (words, kernels, sources), the controller, projections over the weights the hardware memories
 *  hold, and the current stimuli. */
function buildNetwork(d: Descriptor, ir: IRProgram, steps: number): Network {
  const seed = d.seed >>> 0;
  const rng = new Lfsr32(seed);
  const overflows: Overflows = new Map();
  const astroNames = new Set(ir.groups.filter((g) => g.kind === "astrocyte").map((g) => g.name));
  const pops = new Map<string, FnPop>();
  const mkPop = (name: string, size: number, capacity = size): FnPop => ({
    name,
    size,
    words: null,
    k: null,
    astro: astroNames.has(name),
    every: 1,
    lastSpike: new Int32Array(size).fill(NEVER),
    spikes: new SpikeBuffer(name, size, capacity),
    active: new Uint8Array(size),
    source: null,
    destStart: new Int32Array(size + 1),
    dest: new Int32Array(0),
    home: new Int32Array(size).fill(-1),
    exit: new Float64Array(size),
  });
  const groups: FnPop[] = [];
  // the controller: modulator words broadcast at the start of every step (controller.ts)
  const fmtsOf = new Map(
    d.neurons.map((np) => [np.population, new Map(np.vars.map((v) => [v.name, v.fmt] as const))] as const),
  );
  let ctrl: Controller;
  try {
    ctrl = new Controller(
      d,
      ir,
      (name) => {
        const p = pops.get(name);
        return p ? { size: p.size, n: p.spikes.n, words: p.words, fmts: fmtsOf.get(name) ?? null } : undefined;
      },
      (key) => {
        let c = overflows.get(key);
        if (!c) overflows.set(key, (c = { count: 0 }));
        return c;
      },
    );
  } catch (err) {
    throw new EmulatorError(`descriptor: modulators: ${(err as Error).message}`);
  }
  // the preset's neuron mode: loihi-mode groups are Lava LIF compartments (loihi.ts), as on the fixed target
  const loihi: LoihiMode | null = d.kind === "digital" ? loihiMode(d, ir) : null;
  for (const np of d.neurons) {
    const p = mkPop(np.population, np.size);
    p.words = neuronWords(np);
    const L = loihi?.groups.get(np.population);
    p.k = L
      ? loihiNeuronKernels(L, p.lastSpike)
      : built(() => compileNeuron(np, p.words!, p.lastSpike, rng, overflows, ctrl.words));
    if (!(Number.isInteger(np.stepEvery) && np.stepEvery >= 1))
      throw new EmulatorError(`${np.population}: stepEvery ${np.stepEvery} is not a positive integer`);
    p.every = np.stepEvery;
    pops.set(p.name, p);
    groups.push(p);
  }
  const sources: FnPop[] = [];
  for (const s of ir.sources) {
    const stepper = makeSource(s, seed, d.dt, steps);
    const p = mkPop(s.name, s.size, stepper.capacity);
    p.source = stepper;
    pops.set(p.name, p);
    sources.push(p);
  }
  const pop = (name: string): FnPop => {
    const p = pops.get(name);
    if (!p) throw new EmulatorError(`descriptor: unknown population ${name}`);
    return p;
  };
  const hwWeights = hardwareWeights(d);
  const xreads = emulatorReads(d); // crossbar: column reads with read noise and ADC (read-model.ts)
  const projs = buildProjections(d, pop, hwWeights, astroNames, rng, overflows, ctrl, xreads, loihi);
  const currents = ir.currents.map((c, i) => {
    const target = pop(c.target.population);
    const arr = target.words?.arrays.get(c.variable);
    const fmt = d.currentFormats[i];
    if (!arr || !fmt) throw new EmulatorError(`current: ${target.name} has no input ${c.variable}`);
    return {
      arr,
      fmt,
      start: c.target.start,
      end: c.target.end,
      cursor: new CurrentCursor(c.times, d.dt),
      values: c.values.map((v) =>
        A.convert(
          math.round(v * 2 ** fmt.fracBits),
          { signed: true, intBits: 52 - fmt.fracBits, fracBits: fmt.fracBits },
          fmt,
          "nearest-even",
          "saturate",
        ),
      ),
    };
  });
  const loihiGroups = new Set(loihi ? [...loihi.groups.keys()] : []);
  return { ir, fmts: fmtsOf, loihiGroups, overflows, pops, groups, sources, projs, ctrl, xreads, currents };
}

/** Weights as the hardware memories hold them (NaN: held by no core or tile). */
function hardwareWeights(d: Descriptor): Map<string, Float64Array> {
  const hwWeights = new Map<string, Float64Array>();
  for (const t of d.projections) hwWeights.set(t.projection, new Float64Array(t.n).fill(NaN));
  if (d.kind === "digital") {
    for (const core of d.cores)
      for (const m of core.synapses) {
        const w = hwWeights.get(m.projection);
        if (!w) throw new EmulatorError(`core ${core.id}: synapse memory of unknown projection ${m.projection}`);
        for (let i = 0; i < m.synapse.length; i++) w[m.synapse[i]!] = m.weight[i]!;
      }
  } else {
    for (const tile of d.tiles) {
      const proj = tile.pairs[0]?.projection;
      for (const cell of tile.cells) {
        const pj = tile.pairs[cell.pair]?.projection ?? proj;
        const w = pj !== undefined ? hwWeights.get(pj) : undefined;
        if (!w) throw new EmulatorError(`tile ${tile.id}: cell of unknown projection`);
        w[cell.synapse] = cell.weight;
      }
    }
  }
  return hwWeights;
}

/** Each synapse table as a projection: its words (the hardware's weights), CSR views and datapath kernels. */
function buildProjections(
  d: Descriptor,
  pop: (name: string) => FnPop,
  hwWeights: Map<string, Float64Array>,
  astroNames: Set<string>,
  rng: Lfsr32,
  overflows: Overflows,
  ctrl: Controller,
  xreads: ReturnType<typeof emulatorReads>,
  loihi: LoihiMode | null,
): FnProj[] {
  const maps = astroMaps(d);
  return d.projections.map((t, j) => {
    const pre = pop(t.pre.population),
      post = pop(t.post.population);
    if (!post.words) throw new EmulatorError(`${t.projection}: post population ${post.name} is an input`);
    const weights = hwWeights.get(t.projection)!;
    for (let s = 0; s < t.n; s++)
      if (Number.isNaN(weights[s]!))
        throw new EmulatorError(`${t.projection}: synapse ${s} is held by no core or tile`);
    const words = synapseWords(t, weights);
    const preIdx = Int32Array.from(t.preIndex),
      postIdx = Int32Array.from(t.postIndex),
      delay = Int32Array.from(t.delay);
    let astro: AstroSide | null = null;
    if (t.astro) {
      const ap = pop(t.astro.population),
        of = maps.get(t.projection);
      if (!ap.words || !ap.astro) throw new EmulatorError(`${t.projection}: ${ap.name} is not an astrocyte population`);
      if (!of)
        throw new EmulatorError(
          `${t.projection}: ensheathed by ${ap.name}, but no synapse memory holds its astrocyte map`,
        );
      for (let s = 0; s < t.n; s++)
        if (!(of[s]! >= 0 && of[s]! < ap.size))
          throw new EmulatorError(`${t.projection}: synapse ${s} has no astrocyte of ${ap.name} (${of[s]})`);
      astro = { words: ap.words, of };
    }
    const kern0 = built(() =>
      compileSynapse(t, words, pre.words, post.words!, preIdx, postIdx, rng, overflows, astro, ctrl.words),
    );
    const kern1 = xreads ? built(() => xreads.wrap(j, t, kern0, pre.words, post.words!, rng, overflows)) : kern0;
    // into a loihi-mode group: a_in accumulation (the plan admits only `post.I += w` projections into one)
    const L = loihi?.groups.get(post.name);
    const rowStart = csrStarts(preIdx, pre.size);
    const kern = L ? { ...kern1, ...loihiOnPre(loihi!, t, L, postIdx, rowStart) } : kern1;
    for (let s = 1; s < t.n; s++)
      if (preIdx[s]! < preIdx[s - 1]!)
        throw new EmulatorError(`${t.projection}: synapse table not ordered by pre element`);
    const postStart = csrStarts(postIdx, post.size);
    const fill = postStart.slice(0, post.size);
    const postSyn = new Int32Array(t.n);
    for (let s = 0; s < t.n; s++) postSyn[fill[postIdx[s]!]!++] = s;
    return {
      name: t.projection,
      pre,
      post,
      n: t.n,
      delay,
      rowStart,
      postStart,
      postSyn,
      kern,
      plastic: kern.plastic,
      hasOnPost: kern.onPost !== null,
      astroUse: astroStageUse(t, astroNames),
      astroOf: astro ? astro.of : null,
      dense: isDense(t.pre, t.post, t.n, preIdx, postIdx),
    };
  });
}

/** The occupied tiles of a descriptor: units grouped by mesh position, in order of their first unit. */
export function placement(d: Descriptor): EmulationResult["placement"] {
  const units = d.kind === "digital" ? d.cores : d.tiles;
  const byPos = new Map<number, EmulationResult["placement"][number]>();
  for (const u of units) {
    const key = u.y * d.mesh.x + u.x;
    let t = byPos.get(key);
    if (!t) byPos.set(key, (t = { tile: byPos.size, x: u.x, y: u.y, units: [] }));
    t.units.push(u.id);
  }
  return [...byPos.values()];
}

function collect(
  d: Descriptor,
  cm: CostModel,
  net: Network,
  tm: StepTiming,
  recorders: SpikeRecorder[],
  steps: number,
  t0: number,
): Omit<EmulationResult, "traces" | "untraced" | "overflows"> {
  let cycles = 0;
  for (let k = 0; k < steps; k++) cycles += tm.cyclesPerStep[k]!;
  const latency = cycles / cm.clockHz;
  const energy = tm.ledger.total();
  const spikes: EmulationResult["spikes"] = {};
  let spikesTotal = 0;
  for (const r of recorders) {
    const s = r.result();
    spikes[r.spikes.name] = s;
    spikesTotal += s.steps.length;
  }
  const bio = steps * d.dt;
  const synEvents = tm.synEvents;
  return {
    preset: cm.preset,
    kind: d.kind,
    network: d.network,
    dt: d.dt,
    steps,
    clockHz: cm.clockHz,
    cycles,
    cyclesPerStep: tm.cyclesPerStep,
    latency_s: latency,
    latency_per_step_s: steps ? latency / steps : 0,
    real_time_factor: bio > 0 ? latency / bio : 0,
    throughput_sops: latency > 0 ? synEvents / latency : 0,
    energy_j: energy,
    energy_per_bio_second_j: bio > 0 ? energy / bio : 0,
    energy_breakdown_j: tm.ledger.breakdown(),
    power_w: latency > 0 ? energy / latency : 0,
    energy_per_synaptic_event_j: synEvents ? energy / synEvents : 0,
    energy_per_inference_j: energy,
    neuron_updates: tm.neuronUpdates,
    neuron_updates_active: tm.activeUpdates,
    synaptic_events: synEvents,
    learning_updates: tm.learnUpdates,
    adc_clips: net.xreads?.reads.stats.clips ?? 0,
    astrocyte_updates: tm.astroUpdates,
    astrocyte_events: tm.astroEvents,
    spikes_total: spikesTotal,
    hops: tm.hops,
    hops_x: tm.hopsX,
    hops_y: tm.hopsY,
    packets: tm.packets,
    mean_hops_per_packet: tm.packets ? tm.hops / tm.packets : 0,
    chips: d.kind === "digital" && d.chips ? d.chips.count : 1,
    chip_hops: tm.chipHops,
    host_packets: tm.hostPackets,
    placement: placement(d),
    core_utilization: coreUtilization(d),
    contention_wait_cycles: tm.waitCycles,
    pipeline_stall_cycles: tm.stalls,
    broadcast_packets: tm.bcastPackets.length * steps,
    broadcast_hops: (tm.bcast.hopsX + tm.bcast.hopsY) * steps,
    broadcast_cycles_per_step: tm.bcastCycles,
    uncharged: net.ctrl.mods.length ? [...cm.uncharged, ...CONTROLLER_UNCHARGED] : cm.uncharged,
    energyCharged: cm.charged,
    spikes,
    wallS: (performance.now() - t0) / 1000,
    loopS: 0,
  };
}
