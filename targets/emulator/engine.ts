// The cycle-accurate emulator: steps a crossbar or digital-core descriptor timestep by timestep. In: a
// validated Descriptor, the hardware spec's cost model and options; out: spikes (computed by the emulator's
// own datapath from the words the hardware memories hold), cycles per step, latency, energy per component.
//
// Per step: (functional) inputs cleared, couplings, currents; neuron and astrocyte updates and thresholds (a
// group at the steps of its own clock, k % stepEvery == 0), sources; on pre of every projection (due delayed
// events, then this step's spikes), on post, then the astrocytes' on synapse_pre / synapse_post (the synapse's
// astrocyte from the synapse memories' astrocyte field); resets — the descriptor's semantics
// (targets/descriptor/types.ts). (Timing) each core / periphery updates its neurons (astrocytes) one after
// another through its pipeline (active or inactive cost; an astrocyte update costs c.astrocyteUpdate, only
// on its clock steps); each spike leaves when its update finishes and goes to every destination unit of its
// routing entries over the mesh (XY, contention); each destination processes packets in arrival order: a
// digital core runs one synaptic op per synapse-memory entry (plus a learning update for plastic synapses,
// an astrocyte-stage op for events reaching the synapse's astrocyte, and on post learning / synapse_post for
// its spiking neurons; couplings reading astrocyte words take one astrocyte-stage op per synapse from the
// step's start), a crossbar tile reads its activated rows once the last packet is in and converts its used
// columns through shared ADCs; the step ends at the slowest unit, then the barrier.

import { irFromJson } from "../../compiler/ir/json.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { Descriptor, DigitalDescriptor } from "../descriptor/types.js";
import * as A from "../fixed/arith.js";
import { Lfsr32 } from "../fixed/lfsr.js";
import { makeSource, type SourceStepper } from "../network/sources.js";
import { tableBarrierSeconds, treeBarrier } from "./barrier.js";
import { cyclesOf } from "./clock.js";
import type { CostModel } from "./costs.js";
import { busiestAdc, emulatorReads, tileRead } from "./crossbar-read.js";
import { compileNeuron, compileSynapse, DatapathError, type AstroSide, neuronWords, synapseWords, type NeuronKernels, type Overflows, type SynapseKernels, type Words } from "./datapath.js";
import { C_ADC, C_ASTROCYTE, C_BARRIER, C_CONTROLLER, C_CROSSBAR, C_DAC, C_LEARNING, C_NEURON, C_ROUTING, C_STATIC, C_SYNAPTIC, EnergyLedger, type Component } from "./energy.js";
import { Controller, CONTROLLER_UNCHARGED, modulatorReaders } from "./controller.js";
import { Mesh, type Packet } from "./mesh.js";
import { astroMaps, astroStageUse, type AstroStageUse } from "../descriptor/astro.js";
import { PipelineUnit } from "./pipeline-unit.js";

const math = Math;
const NEVER = -1_000_000_000;

export interface EmulateOptions {
  /** Steps to run (default: the descriptor's). */
  steps?: number;
  onProgress?: (fraction: number) => void;
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
  /** Modulator broadcasts (controller stage): packets (one per modulator and reading unit) and their hops over
   *  the run, and the stage's cycles per step (its last word's arrival; 0 without modulators). */
  broadcast_packets: number;
  broadcast_hops: number;
  broadcast_cycles_per_step: number;
  contention_wait_cycles: number;
  pipeline_stall_cycles: number;
  uncharged: string[];
  /** Spikes of every neuron population and source: steps ascending, elements ascending within a step. */
  spikes: Record<string, { steps: Int32Array; indices: Int32Array }>;
  wallS: number;
}

export class EmulatorError extends Error {}

interface Pop {
  name: string;
  size: number;
  words: Words | null;
  k: NeuronKernels | null;
  astro: boolean;
  /** Steps per step of the group's own clock; `updated`: whether it updated in the current step. */
  every: number;
  updated: boolean;
  lastSpike: Int32Array;
  buf: Int32Array;
  n: number;
  active: Uint8Array;
  spikeSteps: number[];
  spikeIdx: number[];
  source: SourceStepper | null;
  /** Per element: destination units (flattened) and the unit it lives on (-1: off chip). */
  destStart: Int32Array;
  dest: Int32Array;
  home: Int32Array;
  exit: Float64Array;
}

interface Proj {
  name: string;
  pre: Pop;
  post: Pop;
  n: number;
  preIdx: Int32Array;
  postIdx: Int32Array;
  delay: Int32Array;
  rowStart: Int32Array;
  postStart: Int32Array;
  postSyn: Int32Array;
  slots: number[][];
  kern: SynapseKernels;
  /** Events that pass the astrocyte stage; the astrocyte of each synapse (ensheathed) and this step's
   *  delivered events for the astrocyte's on synapse_pre. */
  astroUse: AstroStageUse;
  astroOf: Int32Array | null;
  astroEvents: number[];
}

/** Neuron phase of one unit: each element's update takes the active or inactive cycles in turn; exit[e] is
 *  the cycle element e leaves the pipeline. Returns the number of active elements. */
function unitTiming(act: Uint8Array, exit: Float64Array, start: number, end: number, cAct: number, cInact: number, depth1: number): number {
  let t = 0, na = 0;
  for (let e = start; e < end; e++) {
    if (act[e] !== 0) { na++; t += cAct; } else t += cInact;
    exit[e] = t + depth1;
  }
  return na;
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
  const ir: IRProgram = parsed.program;
  const steps = options.steps ?? d.steps;
  const seed = d.seed >>> 0;
  const rng = new Lfsr32(seed);
  const overflows: Overflows = new Map();
  const astroNames = new Set(ir.groups.filter((g) => g.kind === "astrocyte").map((g) => g.name));

  // ---- functional state
  const pops = new Map<string, Pop>();
  const mkPop = (name: string, size: number): Pop => ({
    name, size, words: null, k: null, astro: astroNames.has(name), every: 1, updated: false, lastSpike: new Int32Array(size).fill(NEVER), buf: new Int32Array(size), n: 0,
    active: new Uint8Array(size), spikeSteps: [], spikeIdx: [], source: null, destStart: new Int32Array(size + 1), dest: new Int32Array(0), home: new Int32Array(size).fill(-1), exit: new Float64Array(size),
  });
  const groups: Pop[] = [];
  // the controller: modulator words broadcast at the start of every step (controller.ts)
  const fmtsOf = new Map(d.neurons.map((np) => [np.population, new Map(np.vars.map((v) => [v.name, v.fmt] as const))] as const));
  let ctrl: Controller;
  try {
    ctrl = new Controller(d, ir, (name) => { const p = pops.get(name); return p ? { size: p.size, n: p.n, words: p.words, fmts: fmtsOf.get(name) ?? null } : undefined; }, (key) => {
      let c = overflows.get(key);
      if (!c) overflows.set(key, (c = { count: 0 }));
      return c;
    });
  } catch (err) {
    throw new EmulatorError(`descriptor: modulators: ${(err as Error).message}`);
  }
  for (const np of d.neurons) {
    const p = mkPop(np.population, np.size);
    p.words = neuronWords(np);
    p.k = built(() => compileNeuron(np, p.words!, p.lastSpike, rng, overflows, ctrl.words));
    if (!(Number.isInteger(np.stepEvery) && np.stepEvery >= 1)) throw new EmulatorError(`${np.population}: stepEvery ${np.stepEvery} is not a positive integer`);
    p.every = np.stepEvery;
    pops.set(p.name, p);
    groups.push(p);
  }
  const sources: Pop[] = [];
  for (const s of ir.sources) {
    const p = mkPop(s.name, s.size);
    p.source = makeSource(s, seed, d.dt, steps);
    pops.set(p.name, p);
    sources.push(p);
  }
  const pop = (name: string): Pop => {
    const p = pops.get(name);
    if (!p) throw new EmulatorError(`descriptor: unknown population ${name}`);
    return p;
  };

  // weights as the hardware memories hold them
  const hwWeights = new Map<string, Float64Array>();
  for (const t of d.projections) hwWeights.set(t.projection, new Float64Array(t.n).fill(NaN));
  if (d.kind === "digital") {
    for (const core of d.cores) for (const m of core.synapses) {
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
  const maps = astroMaps(d);
  const xreads = emulatorReads(d); // crossbar: column reads with read noise and ADC (read-model.ts)
  const projs: Proj[] = d.projections.map((t, j) => {
    const pre = pop(t.pre.population), post = pop(t.post.population);
    if (!post.words) throw new EmulatorError(`${t.projection}: post population ${post.name} is an input`);
    const weights = hwWeights.get(t.projection)!;
    for (let s = 0; s < t.n; s++) if (Number.isNaN(weights[s]!)) throw new EmulatorError(`${t.projection}: synapse ${s} is held by no core or tile`);
    const words = synapseWords(t, weights);
    const preIdx = Int32Array.from(t.preIndex), postIdx = Int32Array.from(t.postIndex), delay = Int32Array.from(t.delay);
    let astro: AstroSide | null = null;
    if (t.astro) {
      const ap = pop(t.astro.population), of = maps.get(t.projection);
      if (!ap.words || !ap.astro) throw new EmulatorError(`${t.projection}: ${ap.name} is not an astrocyte population`);
      if (!of) throw new EmulatorError(`${t.projection}: ensheathed by ${ap.name}, but no synapse memory holds its astrocyte map`);
      for (let s = 0; s < t.n; s++) if (!(of[s]! >= 0 && of[s]! < ap.size)) throw new EmulatorError(`${t.projection}: synapse ${s} has no astrocyte of ${ap.name} (${of[s]})`);
      astro = { words: ap.words, of };
    }
    const kern0 = built(() => compileSynapse(t, words, pre.words, post.words!, preIdx, postIdx, rng, overflows, astro, ctrl.words));
    const kern = xreads ? built(() => xreads.wrap(j, t, kern0, pre.words, post.words!, rng, overflows)) : kern0;
    for (let s = 1; s < t.n; s++) if (preIdx[s]! < preIdx[s - 1]!) throw new EmulatorError(`${t.projection}: synapse table not ordered by pre element`);
    const postStart = csrStarts(postIdx, post.size);
    const fill = postStart.slice(0, post.size);
    const postSyn = new Int32Array(t.n);
    for (let s = 0; s < t.n; s++) postSyn[fill[postIdx[s]!]!++] = s;
    let maxDelay = 0;
    for (let s = 0; s < t.n; s++) maxDelay = math.max(maxDelay, delay[s]!);
    return {
      name: t.projection, pre, post, n: t.n, preIdx, postIdx, delay, rowStart: csrStarts(preIdx, pre.size), postStart, postSyn,
      slots: Array.from({ length: maxDelay + 1 }, () => []), kern,
      astroUse: astroStageUse(t, astroNames), astroOf: astro ? astro.of : null, astroEvents: [],
    };
  });
  const currents = ir.currents.map((c, i) => {
    const target = pop(c.target.population);
    const arr = target.words?.arrays.get(c.variable);
    const fmt = d.currentFormats[i];
    if (!arr || !fmt) throw new EmulatorError(`current: ${target.name} has no input ${c.variable}`);
    return { arr, fmt, start: c.target.start, end: c.target.end, from: c.times.map((x) => math.floor(x / d.dt + 0.5)), values: c.values.map((v) => A.convert(math.round(v * 2 ** fmt.fracBits), { signed: true, intBits: 52 - fmt.fracBits, fracBits: fmt.fracBits }, fmt, "nearest-even", "saturate")), cursor: -1 };
  });

  // ---- hardware layout: units (cores or periphery/tiles) on the mesh
  const meshW = d.mesh.x, meshH = d.mesh.y;
  const unitTile = new Map<number, number>();
  const neuronUnits: { id: number; pop: Pop; start: number; end: number }[] = [];
  if (d.kind === "digital") {
    for (const c of d.cores) {
      unitTile.set(c.id, c.y * meshW + c.x);
      neuronUnits.push({ id: c.id, pop: pop(c.population), start: c.start, end: c.end });
    }
  } else {
    for (const t of d.tiles) unitTile.set(t.id, t.y * meshW + t.x);
    for (const p of d.periphery) {
      // neurons no tile feeds (only senders) sit in the periphery of the unit their routing table names
      const id = p.tiles[0] ?? d.routing.find((rt) => rt.from >= 0 && rt.routes.some((r) => r.population === p.population))?.from ?? d.tiles[0]?.id;
      if (id === undefined) throw new EmulatorError(`periphery of ${p.population}: no tile`);
      neuronUnits.push({ id, pop: pop(p.population), start: p.start, end: p.end });
    }
  }
  for (const u of neuronUnits) for (let e = u.start; e < u.end; e++) u.pop.home[e] = u.id;
  // destinations per element from the routing tables
  {
    const lists = new Map<Pop, number[][]>();
    for (const rt of d.routing) for (const r of rt.routes) {
      const p = pop(r.population);
      let l = lists.get(p);
      if (!l) lists.set(p, (l = Array.from({ length: p.size }, () => [])));
      for (let e = r.start; e < r.end; e++) if (!l[e]!.includes(r.to)) l[e]!.push(r.to);
    }
    for (const [p, l] of lists) {
      let n = 0;
      for (let e = 0; e < p.size; e++) { p.destStart[e] = n; n += l[e]!.length; }
      p.destStart[p.size] = n;
      p.dest = Int32Array.from(l.flat());
    }
  }
  const mesh = new Mesh(meshW, meshH, { hopCyclesX: cm.c.hopX, hopCyclesY: cm.c.hopY, linkCycles: cm.c.spikeLocal });
  const occupiedTiles = [...new Set(unitTile.values())].sort((a, b) => a - b);
  const tree = treeBarrier(occupiedTiles, meshW, cm.c.hopX, cm.c.hopY, cm.c.spikeLocal);
  const barrierCycles = cm.barrier ? cyclesOf(tableBarrierSeconds(occupiedTiles.length, cm.barrier), cm.clockHz) : tree.cycles;

  // digital: synapse memory lookup per (unit, pre population): element -> entries
  interface MemView { unit: PipelineUnit; neurons: number; mems: Map<string, { proj: Proj; axonOf: Int32Array; start: Int32Array; target: Int32Array; synapse: Int32Array }[]>; learnPost: number }
  const memViews = new Map<number, MemView>();
  const projByName = new Map(projs.map((p) => [p.name, p]));
  if (d.kind === "digital") {
    for (const c of d.cores) {
      // hazard keys: the core's neurons, then the astrocytes its ensheathed synapses reach
      let nAstro = 0;
      for (const m of c.synapses) if (m.astrocyte && projByName.get(m.projection)?.astroOf) for (const x of m.astrocyte.index) nAstro = math.max(nAstro, x + 1);
      const mv: MemView = { unit: new PipelineUnit(cm.pipelineDepth, c.end - c.start + nAstro), neurons: c.end - c.start, mems: new Map(), learnPost: 0 };
      for (const m of c.synapses) {
        const pj = projByName.get(m.projection)!;
        const axonOf = new Int32Array(pj.pre.size).fill(-1);
        m.axons.forEach((e, a) => { axonOf[e] = a; });
        const list = mv.mems.get(m.prePopulation) ?? [];
        list.push({ proj: pj, axonOf, start: Int32Array.from(m.axonStart), target: Int32Array.from(m.target), synapse: Int32Array.from(m.synapse) });
        mv.mems.set(m.prePopulation, list);
      }
      memViews.set(c.id, mv);
    }
  }
  // crossbar: per tile, rows by pre element; used columns; busiest ADC
  interface TileView { id: number; pre: Pop; rowsOf: Map<number, { row: number; delay: number }[]>; usedCols: number; pairs: number; busiest: number; cellsPerRow: Int32Array; rowsActive: Map<number, number[]> }
  const tileViews = new Map<number, TileView>();
  const pulses = d.kind === "crossbar" && d.input.encoding === "bit-serial" ? math.max(1, d.input.dacBits) : 1;
  if (d.kind === "crossbar") {
    for (const t of d.tiles) {
      const rowsOf = new Map<number, { row: number; delay: number }[]>();
      t.rowInputs.forEach((e, r) => { const l = rowsOf.get(e) ?? []; l.push({ row: r, delay: t.rowDelays[r] ?? 0 }); rowsOf.set(e, l); });
      // pair p holds columns 2p and 2p+1; their difference is converted once, by the ADC serving column 2p
      const pairCols = Array.from({ length: t.pairs.length }, (_, p) => 2 * p);
      const cellsPerRow = new Int32Array(t.rowInputs.length);
      for (const c of t.cells) cellsPerRow[c.row]!++;
      tileViews.set(t.id, { id: t.id, pre: pop(t.prePopulation), rowsOf, usedCols: 2 * t.pairs.length, pairs: t.pairs.length, busiest: busiestAdc(pairCols, t.columnsPerAdc), cellsPerRow, rowsActive: new Map() });
    }
  }
  const adcTiming = { readCycles: cm.c.crossbarRead, adcCycles: cm.c.adcConversion, columnsPerAdc: 1 };

  // controller stage: each modulator's word goes from the controller (tile 0) to every unit that reads it; the
  // batch is the same every step, so it is delivered once and charged per step
  const readers = modulatorReaders(d, ctrl.words.index,
    (name) => neuronUnits.filter((u) => u.pop.name === name).map((u) => u.id),
    (name) => (d.kind === "digital" ? d.cores.filter((c) => c.synapses.some((m) => m.projection === name)).map((c) => c.id) : d.tiles.filter((t) => t.pairs.some((q) => q.projection === name)).map((t) => t.id)));
  const bcastPackets: Packet[] = readers.flatMap((units) => units.map((u) => ({ src: 0, dst: unitTile.get(u)!, inject: 0 })));
  const bcast = mesh.deliver(bcastPackets);
  let bcastCycles = 0;
  for (let i = 0; i < bcastPackets.length; i++) if (bcast.arrive[i]! > bcastCycles) bcastCycles = bcast.arrive[i]!;

  // ---- run
  const cAct = cm.c.neuronActive, cInact = cm.c.neuronInactive, cAstro = cm.c.astrocyteUpdate, depth1 = cm.pipelineDepth - 1;
  const ledger = new EnergyLedger();
  const cyclesPerStep = new Float64Array(steps);
  let astroUpdates = 0, astroEventsAll = 0, neuronUpdates = 0, activeUpdates = 0, synEvents = 0, learnUpdates = 0, hops = 0, hopsXAll = 0, hopsYAll = 0, packetsAll = 0, waitCycles = 0, stallsBefore = 0;
  const packets: Packet[] = [];
  const pktElem: number[] = [];
  const pktPop: Pop[] = [];
  const pktUnit: number[] = [];

  try {
    for (let k = 0; k < steps; k++) {
      // 0: the controller's modulator words (from step k-1), then inputs, couplings, currents
      ctrl.step(k, d.dt);
      for (let gi = 0; gi < groups.length; gi++) groups[gi]!.k!.clearInputs();
      for (const p of projs) { const f = p.kern.continuous; if (f) for (let s = 0; s < p.n; s++) f(s, k); }
      for (const c of currents) {
        while (c.cursor + 1 < c.from.length && c.from[c.cursor + 1]! <= k) c.cursor++;
        if (c.cursor < 0) continue;
        const v = c.values[c.cursor]!;
        for (let e = c.start; e < c.end; e++) c.arr[e] = A.add(c.arr[e]!, v, c.fmt, "saturate");
      }
      // 1-2: updates with activity, thresholds (each group at the steps of its own clock), sources
      for (let gi = 0; gi < groups.length; gi++) {
        const p = groups[gi]!, kern = p.k!;
        p.n = 0;
        p.updated = k % p.every === 0;
        if (!p.updated) continue;
        kern.update(k, p.active);
        p.n = kern.threshold ? kern.threshold(k, p.buf, p.active) : 0;
      }
      for (const s of sources) s.n = s.source!.step(k, s.buf);
      // 3: on pre (due delayed, then this step) of every projection, then on post, then the astrocytes'
      // synapse events: on synapse_pre per delivered event, on synapse_post per synapse onto a spiking neuron
      let stepSyn = 0, stepLearn = 0;
      for (const p of projs) {
        const L = p.slots.length;
        const due = p.slots[k % L]!;
        const onPre = p.kern.onPre, ev = p.kern.astroPre ? p.astroEvents : null;
        if (ev) ev.length = 0;
        for (let i = 0; i < due.length; i++) { if (onPre) onPre(due[i]!, k); if (ev) ev.push(due[i]!); }
        stepSyn += due.length;
        due.length = 0;
        const buf = p.pre.buf, rowStart = p.rowStart, delay = p.delay;
        for (let x = 0; x < p.pre.n; x++) {
          const e = buf[x]!;
          for (let s = rowStart[e]!, end = rowStart[e + 1]!; s < end; s++) {
            const dl = delay[s]!;
            if (dl === 0) { if (onPre) onPre(s, k); if (ev) ev.push(s); stepSyn++; }
            else p.slots[(k + dl) % L]!.push(s);
          }
        }
      }
      xreads?.flush(k);
      for (const p of projs) {
        const onPost = p.kern.onPost;
        if (onPost) for (let x = 0; x < p.post.n; x++) {
          const q = p.post.buf[x]!;
          for (let y = p.postStart[q]!; y < p.postStart[q + 1]!; y++) { onPost(p.postSyn[y]!, k); stepLearn++; }
        }
      }
      for (const p of projs) {
        const f = p.kern.astroPre, ev = p.astroEvents;
        if (f) for (let x = 0; x < ev.length; x++) f(ev[x]!, k);
      }
      for (const p of projs) {
        const f = p.kern.astroPost;
        if (f) for (let x = 0; x < p.post.n; x++) {
          const q = p.post.buf[x]!;
          for (let y = p.postStart[q]!; y < p.postStart[q + 1]!; y++) f(p.postSyn[y]!, k);
        }
      }
      // 4: resets
      for (let gi = 0; gi < groups.length; gi++) { const p = groups[gi]!; p.k!.reset(k, p.buf, p.n); }

      // ---- timing and energy of the step
      let stepEnd = 0;
      const unitEnd = new Map<number, number>();
      for (const u of neuronUnits) {
        const p = u.pop;
        // a group off its clock this step leaves its unit idle
        if (!p.updated) continue;
        const n = u.end - u.start;
        let t: number;
        if (p.astro) {
          // astrocyte-update stage: every astrocyte updates on its clock step, cAstro cycles each
          unitTiming(p.active, p.exit, u.start, u.end, cAstro, cAstro, depth1);
          t = n * cAstro;
          astroUpdates += n;
          ledger.charge(C_ASTROCYTE, n, cm.e.astrocyteUpdate);
        } else {
          const na = unitTiming(p.active, p.exit, u.start, u.end, cAct, cInact, depth1);
          t = na * cAct + (n - na) * cInact;
          neuronUpdates += n;
          activeUpdates += na;
          ledger.charge(C_NEURON, na, cm.e.neuronActive);
          ledger.charge(C_NEURON, n - na, cm.e.neuronInactive);
        }
        const end = n > 0 ? t + cm.pipelineDepth - 1 : 0;
        unitEnd.set(u.id, math.max(unitEnd.get(u.id) ?? 0, end));
      }
      // packets: every spike of a routed population, in population then element order
      packets.length = 0; pktElem.length = 0; pktPop.length = 0; pktUnit.length = 0;
      for (const p of pops.values()) {
        for (let x = 0; x < p.n; x++) {
          const e = p.buf[x]!;
          const home = p.home[e]!;
          for (let j = p.destStart[e]!; j < p.destStart[e + 1]!; j++) {
            const to = p.dest[j]!;
            const dstTile = unitTile.get(to)!;
            packets.push({ src: home >= 0 ? unitTile.get(home)! : dstTile, dst: dstTile, inject: home >= 0 ? p.exit[e]! : 0 });
            pktElem.push(e); pktPop.push(p); pktUnit.push(to);
          }
        }
      }
      const del = mesh.deliver(packets);
      hops += del.hopsX + del.hopsY;
      hopsXAll += del.hopsX;
      hopsYAll += del.hopsY;
      packetsAll += packets.length;
      waitCycles += del.waitCycles;
      ledger.charge(C_ROUTING, packets.length, cm.e.spikeLocal);
      ledger.charge(C_ROUTING, del.hopsX, cm.e.hopX);
      ledger.charge(C_ROUTING, del.hopsY, cm.e.hopY);
      const order = Array.from(packets.keys()).sort((a, b) => del.arrive[a]! - del.arrive[b]! || a - b);
      if (d.kind === "digital") {
        for (const mv of memViews.values()) { mv.unit.reset(0); mv.learnPost = 0; }
        let synOps = 0, learnOps = 0, astroOps = 0;
        const cSyn = cm.c.synapticOp, cLearn = cm.c.learningUpdate;
        // astrocyte stage, from the step's start: couplings reading astrocyte words, one op per synapse
        for (const mv of memViews.values()) for (const list of mv.mems.values()) for (const m of list) {
          if (!m.proj.astroUse.continuous) continue;
          for (let y = 0; y < m.target.length; y++) mv.unit.issue(0, cAstro, m.target[y]!);
          astroOps += m.target.length;
        }
        for (const i of order) {
          const mv = memViews.get(pktUnit[i]!);
          if (!mv) continue;
          const list = mv.mems.get(pktPop[i]!.name);
          if (!list) continue;
          const e = pktElem[i]!, arr = del.arrive[i]!;
          for (const m of list) {
            const a = m.axonOf[e]!;
            if (a < 0) continue;
            const plastic = m.proj.kern.plastic, unit = mv.unit, target = m.target, y0 = m.start[a]!, y1 = m.start[a + 1]!;
            // astrocyte stage: the event reaches the synapse's astrocyte (its word is the hazard key)
            const ast = m.proj.astroUse.pre, aOf = m.proj.astroOf, syn = m.synapse;
            for (let y = y0; y < y1; y++) {
              unit.issue(arr, cSyn, target[y]!);
              if (plastic) unit.issue(arr, cLearn, target[y]!);
              if (ast) unit.issue(arr, cAstro, aOf ? mv.neurons + aOf[syn[y]!]! : -1);
            }
            synOps += y1 - y0;
            if (plastic) learnOps += y1 - y0;
            if (ast) astroOps += y1 - y0;
          }
        }
        ledger.charge(C_SYNAPTIC, synOps, cm.e.synapticOp);
        ledger.charge(C_LEARNING, learnOps, cm.e.learningUpdate);
        learnUpdates += learnOps;
        ledger.charge(C_ASTROCYTE, astroOps, cm.e.astrocyteUpdate);
        astroEventsAll += astroOps;
        // on post learning of spiking neurons, on their own core after its neuron phase
        for (const c of (d as DigitalDescriptor).cores) {
          const mv = memViews.get(c.id)!;
          const p = pop(c.population);
          const ready = unitEnd.get(c.id) ?? 0;
          for (const pj of projs) {
            if (!pj.kern.onPost || pj.post !== p) continue;
            for (let x = 0; x < p.n; x++) {
              const q = p.buf[x]!;
              if (q < c.start || q >= c.end) continue;
              const nIn = pj.postStart[q + 1]! - pj.postStart[q]!;
              for (let y = 0; y < nIn; y++) mv.unit.issue(ready, cm.c.learningUpdate, q - c.start);
              ledger.charge(C_LEARNING, nIn, cm.e.learningUpdate);
            }
          }
          // on synapse_post (or an on post reading astrocyte words) of synapses onto its spiking neurons
          for (const pj of projs) {
            if (!pj.astroUse.post || pj.post !== p) continue;
            for (let x = 0; x < p.n; x++) {
              const q = p.buf[x]!;
              if (q < c.start || q >= c.end) continue;
              for (let y = pj.postStart[q]!; y < pj.postStart[q + 1]!; y++) mv.unit.issue(ready, cAstro, pj.astroOf ? mv.neurons + pj.astroOf[pj.postSyn[y]!]! : -1);
              astroOps += pj.postStart[q + 1]! - pj.postStart[q]!;
            }
          }
          unitEnd.set(c.id, math.max(unitEnd.get(c.id) ?? 0, mv.unit.done));
        }
        learnUpdates += stepLearn;
        let st = 0;
        for (const mv of memViews.values()) st += mv.unit.stalls;
        stallsBefore = st;
      } else {
        // crossbar: rows activated now or after their delay; a tile reads once its last packet is in
        const lastIn = new Map<number, number>();
        for (const i of order) {
          const tv = tileViews.get(pktUnit[i]!);
          if (!tv || pktPop[i] !== tv.pre) continue;
          const rows = tv.rowsOf.get(pktElem[i]!);
          if (!rows) continue;
          for (const r of rows) {
            const due = k + r.delay;
            if (r.delay === 0) lastIn.set(tv.id, math.max(lastIn.get(tv.id) ?? 0, del.arrive[i]!));
            const m = tv.rowsActive.get(due) ?? [];
            m.push(r.row);
            tv.rowsActive.set(due, m);
          }
        }
        for (const tv of tileViews.values()) {
          const rows = tv.rowsActive.get(k) ?? [];
          tv.rowsActive.delete(k);
          if (!rows.length) continue;
          const read = tileRead(rows.length, tv.usedCols, tv.pairs, tv.busiest, pulses, adcTiming);
          let cells = 0;
          for (const r of rows) cells += tv.cellsPerRow[r]!;
          ledger.charge(C_CROSSBAR, cells * pulses, cm.e.cellRead);
          ledger.charge(C_CROSSBAR, read.rowReads, cm.e.rowRead);
          ledger.charge(C_ADC, read.adcConversions, cm.e.adcConversion);
          ledger.charge(C_DAC, read.dacConversions, cm.e.dacConversion);
          // periphery accumulates each converted column pair into its neuron, one per cycle
          const pairs = tv.usedCols / 2;
          ledger.charge(C_SYNAPTIC, cells, cm.e.synapticOp);
          const end = (lastIn.get(tv.id) ?? 0) + read.cycles + pairs * cm.c.synapticOp;
          unitEnd.set(tv.id, math.max(unitEnd.get(tv.id) ?? 0, end));
        }
      }
      synEvents += stepSyn;
      for (const v of unitEnd.values()) if (v > stepEnd) stepEnd = v;
      for (let i = 0; i < packets.length; i++) if (del.arrive[i]! > stepEnd) stepEnd = del.arrive[i]!;
      const cyc = bcastCycles + stepEnd + barrierCycles;
      ledger.charge(C_CONTROLLER, bcastPackets.length, cm.e.spikeLocal);
      ledger.charge(C_CONTROLLER, bcast.hopsX, cm.e.hopX);
      ledger.charge(C_CONTROLLER, bcast.hopsY, cm.e.hopY);
      cyclesPerStep[k] = cyc;
      ledger.charge(C_BARRIER, tree.hopsX, cm.e.hopX);
      ledger.charge(C_BARRIER, tree.hopsY, cm.e.hopY);
      ledger.charge(C_STATIC, cyc / cm.clockHz, cm.e.staticPower);
      for (const p of pops.values()) for (let x = 0; x < p.n; x++) { p.spikeSteps.push(k); p.spikeIdx.push(p.buf[x]!); }
      if (options.onProgress && (k + 1) % math.max(1, math.floor(steps / 100)) === 0) options.onProgress((k + 1) / steps);
    }
  } catch (err) {
    if (err instanceof DatapathError) throw new EmulatorError(err.message);
    throw err;
  }

  let cycles = 0;
  for (let k = 0; k < steps; k++) cycles += cyclesPerStep[k]!;
  const latency = cycles / cm.clockHz;
  const energy = ledger.total();
  const spikes: EmulationResult["spikes"] = {};
  let spikesTotal = 0;
  for (const p of pops.values()) { spikes[p.name] = { steps: Int32Array.from(p.spikeSteps), indices: Int32Array.from(p.spikeIdx) }; spikesTotal += p.spikeSteps.length; }
  const bio = steps * d.dt;
  return {
    preset: cm.preset, kind: d.kind, network: d.network, dt: d.dt, steps, clockHz: cm.clockHz, cycles, cyclesPerStep,
    latency_s: latency, latency_per_step_s: steps ? latency / steps : 0, real_time_factor: bio > 0 ? latency / bio : 0,
    throughput_sops: latency > 0 ? synEvents / latency : 0, energy_j: energy, energy_breakdown_j: ledger.breakdown(),
    power_w: latency > 0 ? energy / latency : 0, energy_per_synaptic_event_j: synEvents ? energy / synEvents : 0, energy_per_inference_j: energy,
    neuron_updates: neuronUpdates, neuron_updates_active: activeUpdates, synaptic_events: synEvents, learning_updates: learnUpdates, adc_clips: xreads?.reads.stats.clips ?? 0, astrocyte_updates: astroUpdates, astrocyte_events: astroEventsAll,
    spikes_total: spikesTotal, hops, hops_x: hopsXAll, hops_y: hopsYAll, packets: packetsAll, contention_wait_cycles: waitCycles, pipeline_stall_cycles: stallsBefore,
    broadcast_packets: bcastPackets.length * steps, broadcast_hops: (bcast.hopsX + bcast.hopsY) * steps, broadcast_cycles_per_step: bcastCycles,
    uncharged: ctrl.mods.length ? [...cm.uncharged, ...CONTROLLER_UNCHARGED] : cm.uncharged, spikes,
    wallS: (performance.now() - t0) / 1000,
  };
}
