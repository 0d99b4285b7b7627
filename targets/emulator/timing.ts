// The emulator's hardware side: the units (cores or tiles with their periphery) on the mesh, and the cycles and
// energy of each step. In: a descriptor, the cost model, the functional populations and projections (their
// spike buffers after the step ran, engine.ts); out: cycles per step and the run's counters and energy ledger.
//
// Each core / periphery updates its neurons (astrocytes) one after another through its pipeline (active or
// inactive cost, a spiking neuron neuronSpike more; an astrocyte update costs c.astrocyteUpdate, only on its clock
// steps); each spike leaves when its update finishes (its packets one after another, messageOut each, before the
// next neuron's update) and goes to every destination unit of its routing entries over the mesh (XY,
// contention); each destination processes packets in arrival order (messageIn each, one packet at a time): a
// digital core runs one synaptic op per
// synapse-memory entry (plus a learning update for plastic synapses, an astrocyte-stage op for events reaching
// the synapse's astrocyte, and on post learning / synapse_post for its spiking neurons; couplings reading
// astrocyte words take one astrocyte-stage op per synapse from the step's start), a crossbar tile reads its
// activated rows once the last packet is in and converts its used columns through shared ADCs; the step ends at
// the slowest unit, then the barrier. The controller's modulator broadcast comes first in every step.

import type { Descriptor, DigitalDescriptor } from "../descriptor/types.js";
import type { AstroStageUse } from "../descriptor/astro.js";
import type { SpikeBuffer } from "../schedule/spikes.js";
import { tableBarrierSeconds, treeBarrier } from "./barrier.js";
import { cyclesOf } from "./clock.js";
import type { CostModel } from "./costs.js";
import { busiestAdc, tileRead } from "./crossbar-read.js";
import {
  C_ADC,
  C_ASTROCYTE,
  C_BARRIER,
  C_CONTROLLER,
  C_CROSSBAR,
  C_DAC,
  C_LEARNING,
  C_NEURON,
  C_ROUTING,
  C_STATIC,
  C_SYNAPTIC,
  EnergyLedger,
} from "./energy.js";
import { modulatorReaders } from "./controller.js";
import { Mesh, type DeliveryResult, type Packet, type PacketBatch } from "./mesh.js";
import { PipelineUnit } from "./pipeline-unit.js";
import { EmulatorError } from "./errors.js";

const math = Math;

/** A population as the hardware side sees it. */
export interface Pop {
  name: string;
  size: number;
  spikes: SpikeBuffer;
  astro: boolean;
  /** Steps per step of the group's own clock (a group off its clock leaves its unit idle). */
  every: number;
  /** Per element: whether its update (or threshold) was active in the current step. */
  active: Uint8Array;
  /** Per element: destination units (flattened) and the unit it lives on (-1: off chip). */
  destStart: Int32Array;
  dest: Int32Array;
  home: Int32Array;
  exit: Float64Array;
}

/** A projection as the hardware side sees it. */
export interface Proj {
  name: string;
  pre: Pop;
  post: Pop;
  postStart: Int32Array;
  postSyn: Int32Array;
  plastic: boolean;
  hasOnPost: boolean;
  /** Events that pass the astrocyte stage; the astrocyte of each synapse (ensheathed). */
  astroUse: AstroStageUse;
  astroOf: Int32Array | null;
  /** Every pre element to every post element once (descriptor/dense.ts): its ops cost synapticOpDense. */
  dense: boolean;
}

/** A synapse memory of a core: pre element -> axon -> entries [start[a], start[a+1]) (target neuron, synapse). */
interface Mem {
  proj: Proj;
  axonOf: Int32Array;
  start: Int32Array;
  /** Hazard keys (local neuron indices) in the narrowest array that holds the core's keys: the synaptic-op loop
   *  reads one per op, and a byte each keeps a core's memories in cache. */
  target: Keys;
  synapse: Int32Array;
}
interface MemView {
  unit: PipelineUnit;
  neurons: number;
  mems: Map<string, Mem[]>;
  /** mems by the index of the pre population (StepTiming's popList). */
  memsByPop: (Mem[] | undefined)[];
  learnPost: number;
}
interface TileView {
  id: number;
  pre: Pop;
  preIdx: number;
  rowsOf: Map<number, { row: number; delay: number }[]>;
  usedCols: number;
  pairs: number;
  busiest: number;
  cellsPerRow: Int32Array;
  rowsActive: Map<number, number[]>;
}

type Keys = Uint8Array | Uint16Array | Int32Array;

/** `keys` in a Uint8Array, Uint16Array or Int32Array: the narrowest that holds `count` keys when every key is one
 *  of them (0 .. count-1), else an Int32Array (the words as they are). */
function narrowKeys(keys: number[], count: number): Keys {
  let within = true;
  for (const k of keys) if (!(Number.isInteger(k) && k >= 0 && k < count)) within = false;
  if (!within || count > 0x10000) return Int32Array.from(keys);
  return count <= 0x100 ? Uint8Array.from(keys) : Uint16Array.from(keys);
}

/** Neuron phase of one unit: each element's update takes the active or inactive cycles in turn, a spiking one
 *  cSpike more, then it sends its packets one after another (cOut each, before the next element's update);
 *  exit[e] is the cycle element e leaves the pipeline. Returns the active elements and the unit's cycles. */
function unitTiming(
  act: Uint8Array,
  exit: Float64Array,
  start: number,
  end: number,
  cyc: { cAct: number; cInact: number; cSpike: number; cOut: number; depth1: number },
  fired: Uint8Array | null,
  destStart: Int32Array,
): { na: number; t: number } {
  const { cAct, cInact, cSpike, cOut, depth1 } = cyc;
  let t = 0,
    na = 0;
  for (let e = start; e < end; e++) {
    if (act[e] !== 0) {
      na++;
      t += cAct;
    } else t += cInact;
    if (fired !== null && fired[e] !== 0) {
      t += cSpike;
      exit[e] = t + depth1;
      t += cOut * (destStart[e + 1]! - destStart[e]!);
    } else exit[e] = t + depth1;
  }
  return { na, t };
}

export class StepTiming {
  readonly ledger = new EnergyLedger();
  readonly cyclesPerStep: Float64Array;
  astroUpdates = 0;
  astroEvents = 0;
  neuronUpdates = 0;
  activeUpdates = 0;
  synEvents = 0;
  learnUpdates = 0;
  hops = 0;
  hopsX = 0;
  hopsY = 0;
  packets = 0;
  /** Hops over inter-chip links (multi-chip digital systems), and packets injected by the host (inputs). */
  chipHops = 0;
  hostPackets = 0;
  /** Inter-chip link crossings of one step's end-of-step barrier (gather and release across chips). */
  private readonly barrierChipHops: number = 0;
  waitCycles = 0;
  stalls = 0;
  readonly bcastPackets: Packet[];
  readonly bcast: { hopsX: number; hopsY: number; chipHops: number };
  readonly bcastCycles: number;
  private readonly unitTile = new Map<number, number>();
  /** unitTile as an array over unit ids (-1: no such unit). */
  private readonly tileOf: Int32Array;
  /** The populations in the order packets are made (the pops map's), and each one's index. */
  private readonly popList: Pop[];
  private readonly popIdx = new Map<Pop, number>();
  private readonly neuronUnits: { id: number; pop: Pop; start: number; end: number }[] = [];
  private readonly mesh: Mesh;
  private readonly tree: ReturnType<typeof treeBarrier>;
  private readonly barrierCycles: number;
  private readonly memViews = new Map<number, MemView>();
  private readonly memByUnit: (MemView | undefined)[] = [];
  private readonly tileViews = new Map<number, TileView>();
  private readonly pulses: number;
  private readonly adcTiming: { readCycles: number; adcCycles: number; columnsPerAdc: number };
  /** The step's packets (first `pkt.n`), and each one's element, population index and destination unit:
   *  arrays grown as needed and reused every step. */
  private readonly pkt: PacketBatch = {
    n: 0,
    src: new Int32Array(0),
    dst: new Int32Array(0),
    inject: new Float64Array(0),
  };
  private pktElem = new Int32Array(0);
  private pktPop = new Int32Array(0);
  private pktUnit = new Int32Array(0);
  /** Digital: a packet whose destination core holds one synapse memory of its population, with neither learning
   *  nor astrocyte stage: that memory (index in memList, else -1) and the packet's entries [y0, y1) in it. */
  private pktMem = new Int32Array(0);
  private pktY0 = new Int32Array(0);
  private pktY1 = new Int32Array(0);
  private readonly memList: Mem[] = [];
  /** Per population index, per routing destination (parallel to Pop.dest): the same three (null: crossbar). */
  private readonly destRun: ({ mem: Int32Array; y0: Int32Array; y1: Int32Array } | null)[] = [];
  /** Per population index: which elements spiked this step (null: an astrocyte population). */
  private readonly fired: (Uint8Array | null)[];
  /** Each unit's end cycle in the current step, by unit id. */
  private readonly unitEnd: Float64Array;

  constructor(
    private readonly d: Descriptor,
    private readonly cm: CostModel,
    private readonly pops: Map<string, Pop>,
    private readonly projs: Proj[],
    modIndex: ReadonlyMap<string, number>,
    steps: number,
  ) {
    this.cyclesPerStep = new Float64Array(steps);
    const pop = (name: string): Pop => {
      const p = pops.get(name);
      if (!p) throw new EmulatorError(`descriptor: unknown population ${name}`);
      return p;
    };
    // ---- units (cores or periphery/tiles) on the mesh
    const meshW = d.mesh.x,
      meshH = d.mesh.y;
    const unitTile = this.unitTile,
      neuronUnits = this.neuronUnits;
    if (d.kind === "digital") {
      for (const c of d.cores) {
        unitTile.set(c.id, c.y * meshW + c.x);
        neuronUnits.push({ id: c.id, pop: pop(c.population), start: c.start, end: c.end });
      }
    } else {
      for (const t of d.tiles) unitTile.set(t.id, t.y * meshW + t.x);
      for (const p of d.periphery) {
        // neurons no tile feeds (only senders) sit in the periphery of the unit their routing table names
        const id =
          p.tiles[0] ??
          d.routing.find((rt) => rt.from >= 0 && rt.routes.some((r) => r.population === p.population))?.from ??
          d.tiles[0]?.id;
        if (id === undefined) throw new EmulatorError(`periphery of ${p.population}: no tile`);
        neuronUnits.push({ id, pop: pop(p.population), start: p.start, end: p.end });
      }
    }
    for (const u of neuronUnits) for (let e = u.start; e < u.end; e++) u.pop.home[e] = u.id;
    let maxUnit = -1;
    for (const id of unitTile.keys()) maxUnit = math.max(maxUnit, id);
    for (const u of neuronUnits) maxUnit = math.max(maxUnit, u.id);
    this.tileOf = new Int32Array(maxUnit + 1).fill(-1);
    for (const [id, t] of unitTile) this.tileOf[id] = t;
    this.unitEnd = new Float64Array(maxUnit + 1);
    this.popList = [...pops.values()];
    this.popList.forEach((p, i) => this.popIdx.set(p, i));
    this.fired = this.popList.map((p) => (p.astro ? null : new Uint8Array(p.size)));
    this.routes(pop);
    const chips = d.kind === "digital" ? d.chips : undefined;
    this.mesh = new Mesh(
      meshW,
      meshH,
      { hopCyclesX: cm.c.hopX, hopCyclesY: cm.c.hopY, linkCycles: cm.c.spikeLocal },
      chips ? { w: chips.tilesX, h: chips.tilesY, cycles: cm.c.interChipHop } : null,
    );
    const occupiedTiles = [...new Set(unitTile.values())].sort((a, b) => a - b);
    this.tree = treeBarrier(occupiedTiles, meshW, cm.c.hopX, cm.c.hopY, cm.c.spikeLocal);
    this.barrierCycles = cm.barrier
      ? cyclesOf(tableBarrierSeconds(occupiedTiles.length, cm.barrier), cm.clockHz)
      : this.tree.cycles;
    if (chips) {
      // several chips: the barrier's token goes from every chip to chip 0 and its release back, over the chip
      // grid's links (the measured table is one chip's): 2 x the farthest chip's link hops in time, 2 x the sum
      // of every occupied chip's link hops in link crossings
      const occupied = new Set(
        occupiedTiles.map((t) => {
          const x = t % meshW;
          return math.floor((t - x) / meshW / chips.tilesY) * chips.x + math.floor(x / chips.tilesX);
        }),
      );
      let far = 0,
        sum = 0;
      for (const k of occupied) {
        const h = (k % chips.x) + math.floor(k / chips.x);
        far = math.max(far, h);
        sum += h;
      }
      this.barrierCycles += 2 * far * cm.c.interChipHop;
      this.barrierChipHops = 2 * sum;
    }
    this.memories();
    this.destRuns();
    this.pulses = d.kind === "crossbar" && d.input.encoding === "bit-serial" ? math.max(1, d.input.dacBits) : 1;
    this.tiles(pop);
    this.adcTiming = { readCycles: cm.c.crossbarRead, adcCycles: cm.c.adcConversion, columnsPerAdc: 1 };

    // controller stage: each modulator's word goes from the controller (tile 0) to every unit that reads it; the
    // batch is the same every step, so it is delivered once and charged per step
    const readers = modulatorReaders(
      d,
      modIndex,
      (name) => neuronUnits.filter((u) => u.pop.name === name).map((u) => u.id),
      (name) =>
        d.kind === "digital"
          ? d.cores.filter((c) => c.synapses.some((m) => m.projection === name)).map((c) => c.id)
          : d.tiles.filter((t) => t.pairs.some((q) => q.projection === name)).map((t) => t.id),
    );
    this.bcastPackets = readers.flatMap((units) => units.map((u) => ({ src: 0, dst: unitTile.get(u)!, inject: 0 })));
    const bcast = this.mesh.deliver(this.bcastPackets);
    this.bcast = bcast;
    let bcastCycles = 0;
    for (let i = 0; i < this.bcastPackets.length; i++)
      if (bcast.arrive[i]! > bcastCycles) bcastCycles = bcast.arrive[i]!;
    this.bcastCycles = bcastCycles;
  }

  /** Destinations per element from the routing tables. */
  private routes(pop: (name: string) => Pop): void {
    // two passes over the routes in flat arrays: each element's room (its routes), then its destinations in order
    // of first appearance, each once
    const room = new Map<Pop, Int32Array>();
    for (const rt of this.d.routing)
      for (const r of rt.routes) {
        const p = pop(r.population);
        let c = room.get(p);
        if (!c) room.set(p, (c = new Int32Array(p.size + 1)));
        for (let e = r.start; e < r.end; e++) c[e + 1]!++;
      }
    const fill = new Map<Pop, { at: Int32Array; n: Int32Array; to: Int32Array }>();
    for (const [p, c] of room) {
      for (let e = 0; e < p.size; e++) c[e + 1]! += c[e]!;
      fill.set(p, { at: c, n: new Int32Array(p.size), to: new Int32Array(c[p.size]!) });
    }
    for (const rt of this.d.routing)
      for (const r of rt.routes) {
        const f = fill.get(pop(r.population))!;
        for (let e = r.start; e < r.end; e++) {
          const a = f.at[e]!,
            b = a + f.n[e]!;
          let seen = false;
          for (let j = a; j < b; j++)
            if (f.to[j] === r.to) {
              seen = true;
              break;
            }
          if (!seen) {
            f.to[b] = r.to;
            f.n[e]!++;
          }
        }
      }
    for (const [p, f] of fill) {
      let n = 0;
      for (let e = 0; e < p.size; e++) {
        p.destStart[e] = n;
        n += f.n[e]!;
      }
      p.destStart[p.size] = n;
      const dest = new Int32Array(n);
      for (let e = 0; e < p.size; e++) dest.set(f.to.subarray(f.at[e]!, f.at[e]! + f.n[e]!), p.destStart[e]!);
      p.dest = dest;
    }
  }

  /** Digital: synapse memory lookup per (unit, pre population): element -> entries. */
  private memories(): void {
    const d = this.d,
      cm = this.cm;
    if (d.kind !== "digital") return;
    const projByName = new Map(this.projs.map((p) => [p.name, p]));
    for (const c of d.cores) {
      // hazard keys: the core's neurons, then the astrocytes its ensheathed synapses reach
      let nAstro = 0;
      for (const m of c.synapses)
        if (m.astrocyte && projByName.get(m.projection)?.astroOf)
          for (const x of m.astrocyte.index) nAstro = math.max(nAstro, x + 1);
      const mv: MemView = {
        unit: new PipelineUnit(cm.pipelineDepth, c.end - c.start + nAstro),
        neurons: c.end - c.start,
        mems: new Map(),
        memsByPop: [],
        learnPost: 0,
      };
      for (const m of c.synapses) {
        const pj = projByName.get(m.projection)!;
        const axonOf = new Int32Array(pj.pre.size).fill(-1);
        m.axons.forEach((e, a) => {
          axonOf[e] = a;
        });
        const list = mv.mems.get(m.prePopulation) ?? [];
        list.push({
          proj: pj,
          axonOf,
          start: Int32Array.from(m.axonStart),
          target: narrowKeys(m.target, c.end - c.start + nAstro),
          synapse: Int32Array.from(m.synapse),
        });
        mv.mems.set(m.prePopulation, list);
        const pi = this.popIdx.get(this.pops.get(m.prePopulation)!);
        if (pi !== undefined) mv.memsByPop[pi] = list;
      }
      this.memViews.set(c.id, mv);
      this.memByUnit[c.id] = mv;
    }
  }

  /** Digital: per routing destination of every element, the synapse memory entries a packet there reaches when
   *  they take the plain path (one memory of its population on that core, no learning, no astrocyte stage). */
  private destRuns(): void {
    if (this.d.kind !== "digital") return;
    const memIdx = new Map<Mem, number>();
    for (const mv of this.memViews.values())
      for (const list of mv.mems.values())
        for (const m of list) {
          memIdx.set(m, this.memList.length);
          this.memList.push(m);
        }
    this.popList.forEach((p, pi) => {
      const nd = p.dest.length;
      const r = { mem: new Int32Array(nd).fill(-1), y0: new Int32Array(nd), y1: new Int32Array(nd) };
      for (let e = 0; e < p.size; e++)
        for (let j = p.destStart[e]!; j < p.destStart[e + 1]!; j++) {
          const list = this.memByUnit[p.dest[j]!]?.memsByPop[pi];
          if (!list || list.length !== 1) continue;
          const m = list[0]!;
          if (m.proj.plastic || m.proj.astroUse.pre) continue;
          r.mem[j] = memIdx.get(m)!;
          const a = m.axonOf[e]!;
          if (a >= 0) {
            r.y0[j] = m.start[a]!;
            r.y1[j] = m.start[a + 1]!;
          }
        }
      this.destRun[pi] = r;
    });
  }

  /** Crossbar: per tile, rows by pre element; used columns; busiest ADC. */
  private tiles(pop: (name: string) => Pop): void {
    const d = this.d;
    if (d.kind !== "crossbar") return;
    for (const t of d.tiles) {
      const rowsOf = new Map<number, { row: number; delay: number }[]>();
      t.rowInputs.forEach((e, r) => {
        const l = rowsOf.get(e) ?? [];
        l.push({ row: r, delay: t.rowDelays[r] ?? 0 });
        rowsOf.set(e, l);
      });
      // pair p holds columns 2p and 2p+1; their difference is converted once, by the ADC serving column 2p
      const pairCols = Array.from({ length: t.pairs.length }, (_, p) => 2 * p);
      const cellsPerRow = new Int32Array(t.rowInputs.length);
      for (const c of t.cells) cellsPerRow[c.row]!++;
      const pre = pop(t.prePopulation);
      this.tileViews.set(t.id, {
        id: t.id,
        pre,
        preIdx: this.popIdx.get(pre)!,
        rowsOf,
        usedCols: 2 * t.pairs.length,
        pairs: t.pairs.length,
        busiest: busiestAdc(pairCols, t.columnsPerAdc),
        cellsPerRow,
        rowsActive: new Map(),
      });
    }
  }

  /** The timing and energy of step k, after its functional part ran: `stepSyn` on-pre events, `stepLearn`
   *  on-post synapse updates. */
  step(k: number, stepSyn: number, stepLearn: number): void {
    const cm = this.cm;
    const unitEnd = this.neuronPhase(k);
    const del = this.route();
    if (this.d.kind === "digital") this.digital(del, unitEnd, stepLearn);
    else this.crossbar(k, del, unitEnd);
    this.synEvents += stepSyn;
    let stepEnd = 0;
    for (let u = 0; u < unitEnd.length; u++) if (unitEnd[u]! > stepEnd) stepEnd = unitEnd[u]!;
    for (let i = 0; i < this.pkt.n; i++) if (del.arrive[i]! > stepEnd) stepEnd = del.arrive[i]!;
    const cyc = this.bcastCycles + stepEnd + this.barrierCycles;
    const ledger = this.ledger;
    ledger.charge(C_CONTROLLER, this.bcastPackets.length, cm.e.spikeLocal);
    ledger.charge(C_CONTROLLER, this.bcast.hopsX, cm.e.hopX);
    ledger.charge(C_CONTROLLER, this.bcast.hopsY, cm.e.hopY);
    this.cyclesPerStep[k] = cyc;
    ledger.charge(C_CONTROLLER, this.bcast.chipHops, cm.e.interChipHop);
    ledger.charge(C_BARRIER, this.tree.hopsX, cm.e.hopX);
    ledger.charge(C_BARRIER, this.tree.hopsY, cm.e.hopY);
    ledger.charge(C_BARRIER, this.barrierChipHops, cm.e.interChipHop);
    ledger.charge(C_STATIC, cyc / cm.clockHz, cm.e.staticPower);
  }

  /** Neuron (astrocyte) updates of every unit whose group is on its clock: each unit's end cycle. */
  private neuronPhase(k: number): Float64Array {
    const cm = this.cm,
      ledger = this.ledger;
    const cAstro = cm.c.astrocyteUpdate,
      depth1 = cm.pipelineDepth - 1;
    const cyc = {
      cAct: cm.c.neuronActive,
      cInact: cm.c.neuronInactive,
      cSpike: cm.c.neuronSpike,
      cOut: cm.c.messageOut,
      depth1,
    };
    // this step's spikes per population (the spike and send times of a spiking neuron)
    const timed = cyc.cSpike > 0 || cyc.cOut > 0;
    for (let pi = 0; pi < this.popList.length; pi++) {
      const f = this.fired[pi],
        b = this.popList[pi]!.spikes;
      if (!f) continue;
      f.fill(0);
      for (let x = 0; x < b.n; x++) f[b.buf[x]!] = 1;
    }
    const unitEnd = this.unitEnd;
    unitEnd.fill(0);
    for (const u of this.neuronUnits) {
      const p = u.pop;
      // a group off its clock this step leaves its unit idle
      if (k % p.every !== 0) continue;
      const n = u.end - u.start;
      let t: number;
      if (p.astro) {
        // astrocyte-update stage: every astrocyte updates on its clock step, cAstro cycles each
        const a = { ...cyc, cAct: cAstro, cInact: cAstro };
        unitTiming(p.active, p.exit, u.start, u.end, a, null, p.destStart);
        t = n * cAstro;
        this.astroUpdates += n;
        ledger.charge(C_ASTROCYTE, n, cm.e.astrocyteUpdate);
      } else {
        const fired = this.fired[this.popIdx.get(p)!]!;
        const r = unitTiming(p.active, p.exit, u.start, u.end, cyc, timed ? fired : null, p.destStart);
        const na = r.na;
        t = r.t;
        this.neuronUpdates += n;
        this.activeUpdates += na;
        ledger.charge(C_NEURON, na, cm.e.neuronActive);
        ledger.charge(C_NEURON, n - na, cm.e.neuronInactive);
        if (cm.e.neuronSpike > 0) {
          let nf = 0;
          for (let e = u.start; e < u.end; e++) nf += fired[e]!;
          ledger.charge(C_NEURON, nf, cm.e.neuronSpike);
        }
      }
      const end = n > 0 ? t + cm.pipelineDepth - 1 : 0;
      unitEnd[u.id] = math.max(unitEnd[u.id]!, end);
    }
    return unitEnd;
  }

  /** Packets: every spike of a routed population, in population then element order, over the mesh. */
  private route(): DeliveryResult {
    const cm = this.cm,
      cOut = cm.c.messageOut,
      ledger = this.ledger,
      tileOf = this.tileOf,
      pk = this.pkt;
    let n = 0;
    for (let pi = 0; pi < this.popList.length; pi++) {
      const p = this.popList[pi]!,
        b = p.spikes,
        destStart = p.destStart,
        dest = p.dest,
        exit = p.exit;
      const run = this.destRun[pi] ?? null;
      for (let x = 0; x < b.n; x++) {
        const e = b.buf[x]!;
        const home = p.home[e]!,
          j0 = destStart[e]!,
          j1 = destStart[e + 1]!;
        if (n + j1 - j0 > pk.src.length) this.growPackets(n + j1 - j0);
        const src = pk.src,
          dst = pk.dst,
          inject = pk.inject;
        if (home < 0) this.hostPackets += j1 - j0;
        for (let j = j0; j < j1; j++) {
          const to = dest[j]!;
          const dstTile = tileOf[to]!;
          src[n] = home >= 0 ? tileOf[home]! : dstTile;
          dst[n] = dstTile;
          // on chip: after the neuron's update, its packets leave in sequence (messageOut each)
          inject[n] = home >= 0 ? exit[e]! + (j - j0 + 1) * cOut : 0;
          this.pktElem[n] = e;
          this.pktPop[n] = pi;
          this.pktUnit[n] = to;
          if (run) {
            this.pktMem[n] = run.mem[j]!;
            this.pktY0[n] = run.y0[j]!;
            this.pktY1[n] = run.y1[j]!;
          }
          n++;
        }
      }
    }
    pk.n = n;
    const del = this.mesh.deliverBatch(pk);
    this.hops += del.hopsX + del.hopsY;
    this.hopsX += del.hopsX;
    this.hopsY += del.hopsY;
    this.packets += n;
    this.waitCycles += del.waitCycles;
    this.chipHops += del.chipHops;
    ledger.charge(C_ROUTING, n, cm.e.spikeLocal);
    ledger.charge(C_ROUTING, del.hopsX, cm.e.hopX);
    ledger.charge(C_ROUTING, del.hopsY, cm.e.hopY);
    ledger.charge(C_ROUTING, del.chipHops, cm.e.interChipHop);
    return del;
  }

  private growPackets(n: number): void {
    const cap = math.max(n, 2 * this.pkt.src.length, 256);
    const grow = <A extends Int32Array | Float64Array>(a: A, b: A): A => {
      b.set(a);
      return b;
    };
    this.pkt.src = grow(this.pkt.src, new Int32Array(cap));
    this.pkt.dst = grow(this.pkt.dst, new Int32Array(cap));
    this.pkt.inject = grow(this.pkt.inject, new Float64Array(cap));
    this.pktElem = grow(this.pktElem, new Int32Array(cap));
    this.pktPop = grow(this.pktPop, new Int32Array(cap));
    this.pktUnit = grow(this.pktUnit, new Int32Array(cap));
    this.pktMem = grow(this.pktMem, new Int32Array(cap));
    this.pktY0 = grow(this.pktY0, new Int32Array(cap));
    this.pktY1 = grow(this.pktY1, new Int32Array(cap));
  }

  /** Digital cores: synaptic ops per packet in arrival order (each core's own packets in the order they reach
   *  it: the cores are independent, so the mesh's delivery order serves), then on post learning and
   *  synapse_post. */
  private digital(del: DeliveryResult, unitEnd: Float64Array, stepLearn: number): void {
    const cm = this.cm,
      ledger = this.ledger,
      memViews = this.memViews;
    const cAstro = cm.c.astrocyteUpdate;
    for (const mv of memViews.values()) {
      mv.unit.reset(0);
      mv.learnPost = 0;
    }
    let synOps = 0,
      denseOps = 0,
      learnOps = 0,
      astroOps = 0;
    const cSyn = cm.c.synapticOp,
      cDense = cm.c.synapticOpDense,
      cLearn = cm.c.learningUpdate,
      cIn = cm.c.messageIn;
    // astrocyte stage, from the step's start: couplings reading astrocyte words, one op per synapse
    for (const mv of memViews.values())
      for (const list of mv.mems.values())
        for (const m of list) {
          if (!m.proj.astroUse.continuous) continue;
          for (let y = 0; y < m.target.length; y++) mv.unit.issue(0, cAstro, m.target[y]!);
          astroOps += m.target.length;
        }
    const order = del.order,
      nPk = this.pkt.n,
      pktUnit = this.pktUnit,
      pktPop = this.pktPop,
      pktMem = this.pktMem,
      pktY0 = this.pktY0,
      pktY1 = this.pktY1,
      memList = this.memList,
      memByUnit = this.memByUnit;
    for (let oi = 0; oi < nPk; oi++) {
      const i = order[oi]!;
      const mv = memByUnit[pktUnit[i]!];
      if (!mv) continue;
      const list = mv.memsByPop[pktPop[i]!];
      if (!list) continue;
      const e = this.pktElem[i]!,
        arr = del.arrive[i]!;
      // the packet is received (messageIn) before its synaptic ops, one packet at a time
      if (cIn > 0) mv.unit.issue(arr, cIn, -1);
      const fm = pktMem[i]!;
      if (fm >= 0) {
        // the plain path: one memory, synaptic ops only
        const y0 = pktY0[i]!,
          y1 = pktY1[i]!,
          m = memList[fm]!;
        if (m.proj.dense) {
          mv.unit.issueRun(arr, cDense, m.target, y0, y1);
          denseOps += y1 - y0;
        } else {
          mv.unit.issueRun(arr, cSyn, m.target, y0, y1);
          synOps += y1 - y0;
        }
        continue;
      }
      for (const m of list) {
        const a = m.axonOf[e]!;
        if (a < 0) continue;
        const plastic = m.proj.plastic,
          dense = m.proj.dense,
          ii = dense ? cDense : cSyn,
          unit = mv.unit,
          target = m.target,
          y0 = m.start[a]!,
          y1 = m.start[a + 1]!;
        // astrocyte stage: the event reaches the synapse's astrocyte (its word is the hazard key)
        const ast = m.proj.astroUse.pre,
          aOf = m.proj.astroOf,
          syn = m.synapse;
        if (!plastic && !ast) unit.issueRun(arr, ii, target, y0, y1);
        else
          for (let y = y0; y < y1; y++) {
            unit.issue(arr, ii, target[y]!);
            if (plastic) unit.issue(arr, cLearn, target[y]!);
            if (ast) unit.issue(arr, cAstro, aOf ? mv.neurons + aOf[syn[y]!]! : -1);
          }
        if (dense) denseOps += y1 - y0;
        else synOps += y1 - y0;
        if (plastic) learnOps += y1 - y0;
        if (ast) astroOps += y1 - y0;
      }
    }
    ledger.charge(C_SYNAPTIC, synOps, cm.e.synapticOp);
    ledger.charge(C_SYNAPTIC, denseOps, cm.e.synapticOpDense);
    ledger.charge(C_LEARNING, learnOps, cm.e.learningUpdate);
    this.learnUpdates += learnOps;
    ledger.charge(C_ASTROCYTE, astroOps, cm.e.astrocyteUpdate);
    this.astroEvents += astroOps;
    // on post learning of spiking neurons, on their own core after its neuron phase
    for (const c of (this.d as DigitalDescriptor).cores) {
      const mv = memViews.get(c.id)!;
      const p = this.pops.get(c.population)!,
        b = p.spikes;
      const ready = unitEnd[c.id]!;
      for (const pj of this.projs) {
        if (!pj.hasOnPost || pj.post !== p) continue;
        for (let x = 0; x < b.n; x++) {
          const q = b.buf[x]!;
          if (q < c.start || q >= c.end) continue;
          const nIn = pj.postStart[q + 1]! - pj.postStart[q]!;
          for (let y = 0; y < nIn; y++) mv.unit.issue(ready, cm.c.learningUpdate, q - c.start);
          ledger.charge(C_LEARNING, nIn, cm.e.learningUpdate);
        }
      }
      // on synapse_post (or an on post reading astrocyte words) of synapses onto its spiking neurons
      for (const pj of this.projs) {
        if (!pj.astroUse.post || pj.post !== p) continue;
        for (let x = 0; x < b.n; x++) {
          const q = b.buf[x]!;
          if (q < c.start || q >= c.end) continue;
          for (let y = pj.postStart[q]!; y < pj.postStart[q + 1]!; y++)
            mv.unit.issue(ready, cAstro, pj.astroOf ? mv.neurons + pj.astroOf[pj.postSyn[y]!]! : -1);
          astroOps += pj.postStart[q + 1]! - pj.postStart[q]!;
        }
      }
      unitEnd[c.id] = math.max(unitEnd[c.id]!, mv.unit.done);
    }
    this.learnUpdates += stepLearn;
    let st = 0;
    for (const mv of memViews.values()) st += mv.unit.stalls;
    this.stalls = st;
  }

  /** Crossbar tiles: rows activated now or after their delay; a tile reads once its last packet is in. */
  private crossbar(k: number, del: DeliveryResult, unitEnd: Float64Array): void {
    const cm = this.cm,
      ledger = this.ledger,
      pulses = this.pulses;
    const lastIn = new Map<number, number>();
    for (let oi = 0; oi < this.pkt.n; oi++) {
      const i = del.order[oi]!;
      const tv = this.tileViews.get(this.pktUnit[i]!);
      if (!tv || this.pktPop[i] !== tv.preIdx) continue;
      const rows = tv.rowsOf.get(this.pktElem[i]!);
      if (!rows) continue;
      for (const r of rows) {
        const due = k + r.delay;
        if (r.delay === 0) lastIn.set(tv.id, math.max(lastIn.get(tv.id) ?? 0, del.arrive[i]!));
        const m = tv.rowsActive.get(due) ?? [];
        m.push(r.row);
        tv.rowsActive.set(due, m);
      }
    }
    for (const tv of this.tileViews.values()) {
      const rows = tv.rowsActive.get(k) ?? [];
      tv.rowsActive.delete(k);
      if (!rows.length) continue;
      const read = tileRead(rows.length, tv.usedCols, tv.pairs, tv.busiest, pulses, this.adcTiming);
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
      unitEnd[tv.id] = math.max(unitEnd[tv.id]!, end);
    }
  }
}
