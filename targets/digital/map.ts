// Digital-core mapping (FPGA, Loihi, TrueNorth): populations onto time-multiplexed neuron cores, incoming
// synapses into each core's synapse memory (grouped by axon), spike routing between cores. In: an
// IRProgram and a validated DigitalSpec; out: a DigitalDescriptor, or diagnostics (E0804 when cores, axons
// or synapse memory run out, with the numbers; E0802 from the quantize pass).
//
// Cores hold neurons of one population each: each population split into the fewest equal slices that fit a
// core's neurons, synapse memory and input axons (partition.ts; `--neurons-per-core N` overrides with slices of
// N), numbered in population order so neighbouring slices sit next to each other on the mesh; coresPerTile consecutive cores
// share one tile (router), core c on tile floor(c / coresPerTile); the occupied tiles form the compact block
// of the mesh with the least mean hop energy between them (placeTiles: 8 Loihi tiles as 4x2, not 1x8); more cores
// than a chip's (neuronCores, up to maxChips chips): chips on a grid, each chip's tiles placed so (chipGrid); a
// delay beyond the spec's delay field is refused (E0804 at its connect). Plasticity (synapse state
// written by handlers) and astrocytes are extra pipeline stages of the cores that hold their post neurons
// (astrocytes: a core of their own population) — their fixed-point form is the quantize pass's. The synapse
// memory of an ensheathed projection stores each entry's astrocyte (element index, a field of its own width).

import type { Diagnostic, Related } from "../../compiler/diagnostics/diagnostic.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { groupSpan, networkSpan, projectionSpan } from "../../compiler/ir/spans.js";
import { type DigitalSpec } from "../hw/spec.js";
import { fixedSpecFor } from "../fixed/hw-option.js";
import { widthOf } from "../fixed/qformat.js";
import { buildTables, meshFor, type NetworkTables } from "../descriptor/build.js";
import { routesFor, type RouteNeed } from "../descriptor/routing.js";
import { astroStageUse } from "../descriptor/astro.js";
import {
  DESCRIPTOR_VERSION,
  type DigitalDescriptor,
  type NeuronCore,
  type SynapseMemory,
} from "../descriptor/types.js";
import { FPGA_DESIGN } from "./fpga-design.js";
import { bitsFor, entryLayout, partition } from "./partition.js";

const math = Math;

export interface DigitalMapOptions {
  profileSteps?: number;
  /** `--neurons-per-core N`: slices of exactly N neurons instead of the automatic partition (partition.ts). */
  neuronsPerCore?: number;
}

/** A diagnostic (E0804) of the mapping, pointing at `at` (default: the network). */
type Report = (message: string, hint?: string, at?: Span, related?: Related[]) => void;

/** The core shape the mapping uses: the spec's numbers, else the FPGA design's (fpga-design.ts), else defaults. */
interface CoreShape {
  platform: NonNullable<DigitalSpec["platform"]>;
  design: typeof FPGA_DESIGN | null;
  neuronsPerCore: number;
  memoryBitsPerCore: number | null;
  axonsPerCore: number | null;
  coresPerTile: number;
}

export function mapDigital(
  ir: IRProgram,
  hw: DigitalSpec,
  opts: DigitalMapOptions = {},
): { descriptor?: DigitalDescriptor; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  // limits point at the population statement of the core that overflows, the connects feeding it related
  const error: Report = (message, hint, at = networkSpan(ir), related = []) =>
    void diags.push({ code: "E0804", severity: "error", message, span: at, related, hint });
  const fixed = fixedSpecFor(hw);
  const built = buildTables(ir, fixed, opts.profileSteps);
  diags.push(...built.diagnostics);
  if (!built.tables) return { diagnostics: diags };
  const T = built.tables;
  const shape = coreShape(hw);
  const { platform, design, neuronsPerCore, memoryBitsPerCore, axonsPerCore, coresPerTile } = shape;

  const override = opts.neuronsPerCore;
  if (override !== undefined && !(Number.isInteger(override) && override >= 1 && override <= neuronsPerCore)) {
    error(
      `--neurons-per-core ${override}: a ${hw.name} core holds 1 to ${neuronsPerCore} neurons`,
      "give a whole number within the core's size, or leave the option out for the automatic partition",
    );
    return { diagnostics: diags };
  }
  const limits = { neuronsPerCore, memoryBitsPerCore, axonsPerCore };
  const parts = partition(T, limits, fixed.weightBits, override);
  const { cores, host } = placeCores(ir, T, parts.bounds);
  fillSynapseMemories(T, fixed, cores, host);
  const specMesh = hw.mesh ? { x: hw.mesh.x.value, y: hw.mesh.y.value } : null;
  checkLimits(ir, hw, T, shape, cores, specMesh, error);
  if (diags.some((d) => d.severity === "error")) return { diagnostics: diags };
  // a tile mesh: the spec's when it holds the tiles, else the smallest square; more cores than a chip has:
  // chips on a grid, their meshes joined edge to edge (chipGrid)
  const tilesUsed = math.ceil(cores.length / coresPerTile);
  const chips = chipGrid(cores.length, hw.neuronCores?.value ?? null, coresPerTile, specMesh);
  const mesh = chips
    ? { x: chips.x * chips.tilesX, y: chips.y * chips.tilesY, fromSpec: true }
    : meshFor(tilesUsed, specMesh && tilesUsed <= specMesh.x * specMesh.y ? specMesh : null);
  const e = hw.emulator?.energy;
  const hopCost = e?.hopX && e.hopY ? { x: e.hopX.value, y: e.hopY.value } : { x: 1, y: 1 };
  const { routing, traffic } = routeCores(
    cores,
    host,
    coresPerTile,
    mesh,
    hopCost,
    chips,
    hw.neuronCores?.value ?? cores.length,
  );
  const totalNeurons = T.neurons.reduce((a, g) => a + g.size, 0);
  const descriptor: DigitalDescriptor = {
    glia_descriptor: DESCRIPTOR_VERSION,
    kind: "digital",
    preset: hw.name,
    network: ir.network,
    seed: ir.seed >>> 0,
    dt: ir.dt,
    steps: ir.steps,
    clockHz: hw.clockHz?.value ?? null,
    mesh,
    fixed,
    formats: T.formats,
    currentFormats: T.fixed.currents,
    modulators: T.modulators,
    neurons: T.neurons,
    projections: T.projections,
    routing,
    ir: T.ir,
    stats: {
      units: cores.length,
      lowerBound: T.neurons.reduce((a, g) => a + math.ceil(g.size / neuronsPerCore), 0),
      synapses: T.projections.reduce((a, t) => a + t.n, 0),
      trafficNeuronHops: traffic,
      notes: {
        neurons: totalNeurons,
        maxSynapseBitsPerCore: cores.reduce((a, c) => math.max(a, c.synapseBits), 0),
        maxAxonsPerCore: cores.reduce(
          (a, c) =>
            math.max(
              a,
              c.synapses.reduce((x, m) => x + m.axons.length, 0),
            ),
          0,
        ),
      },
    },
    platform,
    neuronsPerCore,
    coresPerTile,
    axonsPerCore,
    pipelineDepth: hw.pipelineDepth?.value ?? design?.pipelineDepth ?? null,
    memoryBitsPerCore,
    ...(chips ? { chips } : {}),
    cores,
  };
  return { descriptor, diagnostics: diags };
}

function coreShape(hw: DigitalSpec): CoreShape {
  const platform = hw.platform ?? "fpga";
  const design = platform === "fpga" ? FPGA_DESIGN : null;
  const neuronsPerCore = hw.neuronsPerCore?.value ?? design?.neuronsPerCore ?? 1024;
  const memoryBitsPerCore = hw.synapticMemoryBytesPerCore
    ? hw.synapticMemoryBytesPerCore.value * 8
    : hw.bram
      ? hw.bram.sizeBits.value * (design?.bramsPerCore ?? 1)
      : design
        ? design.bramBits * design.bramsPerCore
        : null;
  const axonsPerCore = hw.axonsPerCore?.value ?? null;
  const coresPerTile = hw.coresPerTile?.value ?? 1;
  return { platform, design, neuronsPerCore, memoryBitsPerCore, axonsPerCore, coresPerTile };
}

/** Cores: populations in order, neuronsPerCore each, with their pipeline stages, initial state and state bits.
 *  host: per population, the core of each element. */
function placeCores(
  ir: IRProgram,
  T: NetworkTables,
  bounds: Map<string, number[]>,
): { cores: NeuronCore[]; host: Map<string, Int32Array> } {
  const cores: NeuronCore[] = [];
  const host = new Map<string, Int32Array>();
  // projections whose events or couplings read or write astrocyte words: the astrocyte stage of their post cores
  const astroPops = new Set(ir.groups.filter((g) => g.kind === "astrocyte").map((g) => g.name));
  const astroStage = new Set(
    T.projections
      .filter((t) => {
        const u = astroStageUse(t, astroPops);
        return u.pre || u.post || u.continuous;
      })
      .map((t) => t.projection),
  );
  const plastic = new Set(
    T.projections
      .filter((t) =>
        [...t.onPre, ...t.onPost, ...t.continuous].some(
          (s) => s.k === "assign" && (s.target.space === "state" || s.target.space === "param"),
        ),
      )
      .map((t) => t.projection),
  );
  for (const g of T.neurons) {
    const h = new Int32Array(g.size);
    host.set(g.population, h);
    const irg = ir.groups.find((x) => x.name === g.population)!;
    const b = bounds.get(g.population)!;
    for (let j = 0; j + 1 < b.length; j++) {
      const s = b[j]!;
      const end = b[j + 1]!;
      const id = cores.length;
      h.fill(id, s, end);
      const stages = [irg.kind === "astrocyte" ? "astrocyte-update" : "neuron-update"];
      if (T.projections.some((t) => t.post.population === g.population && plastic.has(t.projection)))
        stages.push("plasticity");
      if (T.projections.some((t) => t.post.population === g.population && astroStage.has(t.projection)))
        stages.push("astrocyte");
      const state: Record<string, number[]> = {};
      for (const [name, xs] of Object.entries(g.initial)) state[name] = xs.slice(s, end);
      let stateBits = 0;
      for (const v of g.vars)
        if (v.space !== "param" || name0(g.initial, v.name)) stateBits += widthOf(v.fmt) * (end - s);
      cores.push({
        id,
        x: 0,
        y: 0,
        population: g.population,
        start: s,
        end,
        stages,
        state,
        synapses: [],
        stateBits,
        synapseBits: 0,
      });
    }
  }
  return { cores, host };
}

/** Synapse memories at the post core: per (projection, core), entries grouped by axon (pre element), and the
 *  core's synapse bits. */
function fillSynapseMemories(
  T: NetworkTables,
  fixed: ReturnType<typeof fixedSpecFor>,
  cores: NeuronCore[],
  host: Map<string, Int32Array>,
): void {
  for (const t of T.projections) {
    const layout = entryLayout(T, t, fixed.weightBits);
    const h = host.get(t.post.population)!;
    // ensheathed: each entry stores its astrocyte's element index (a field wide enough for the population)
    const ensheath = T.astroOf.get(t.projection);
    const rawW = t.raw[t.weightVar],
      scalarW = t.scalars[t.weightVar];
    // each core's synapses in table order: a counting sort by core (the cores' memories are independent)
    const pre = t.preIndex,
      post = t.postIndex,
      delays = t.delay;
    const at = new Int32Array(cores.length + 1);
    for (let s = 0; s < t.n; s++) at[h[post[s]!]! + 1]!++;
    for (let c = 0; c < cores.length; c++) at[c + 1]! += at[c]!;
    const bySyn = new Int32Array(t.n),
      fill = at.slice(0, cores.length);
    for (let s = 0; s < t.n; s++) bySyn[fill[h[post[s]!]!]!++] = s;
    for (let c = 0; c < cores.length; c++) {
      const from = at[c]!,
        len = at[c + 1]! - from;
      if (len === 0) continue;
      const core = cores[c]!;
      // CSR order is by pre element already: axons in ascending pre order
      const m: SynapseMemory = {
        projection: t.projection,
        prePopulation: t.pre.population,
        axons: [],
        axonStart: [],
        target: new Array<number>(len),
        delay: new Array<number>(len),
        weight: new Array<number>(len),
        synapse: new Array<number>(len),
        entryBits: layout.base + bitsFor(core.end - core.start),
        astrocyte: ensheath ? { bits: layout.astroBits, index: new Array<number>(len) } : null,
      };
      const { axons, axonStart, target, delay, weight, synapse } = m,
        astro = m.astrocyte?.index;
      for (let x = 0; x < len; x++) {
        const s = bySyn[from + x]!;
        const a = pre[s]!;
        if (axons[axons.length - 1] !== a) {
          axons.push(a);
          axonStart.push(x);
        }
        target[x] = post[s]! - core.start;
        delay[x] = delays[s]!;
        weight[x] = rawW?.[s] ?? scalarW ?? 0;
        synapse[x] = s;
        if (astro) astro[x] = ensheath![s]!;
      }
      m.axonStart.push(m.target.length);
      core.synapses.push(m);
      // plastic synapses keep their other state words next to the weight; ensheathed ones the astrocyte index
      core.synapseBits += len * (m.entryBits + layout.extra);
    }
  }
}

/** E0804 with the numbers: more cores than the spec has, then the first core over its axons or synapse memory. */
function checkLimits(
  ir: IRProgram,
  hw: DigitalSpec,
  T: NetworkTables,
  shape: CoreShape,
  cores: NeuronCore[],
  specMesh: { x: number; y: number } | null,
  error: Report,
): void {
  const { neuronsPerCore, memoryBitsPerCore, axonsPerCore, coresPerTile } = shape;
  /** Related notes: the connect statement of each projection feeding core `c` (one per statement). */
  const feeding = (c: NeuronCore, say: (m: SynapseMemory) => string): Related[] => {
    const seen = new Set<Span>();
    return c.synapses.flatMap((m) => {
      const s = projectionSpan(ir, m.projection);
      if (seen.has(s) || s === networkSpan(ir)) return [];
      seen.add(s);
      return [{ span: s, message: say(m) }];
    });
  };
  const perChip = hw.neuronCores?.value ?? (specMesh ? specMesh.x * specMesh.y * coresPerTile : null);
  const maxChips = hw.maxChips?.value ?? 1;
  const coreLimit = perChip === null ? null : perChip * maxChips;
  if (coreLimit !== null && cores.length > coreLimit) {
    const coresOf = (pop: string): number => cores.filter((c) => c.population === pop).length;
    const bySize = [...T.neurons].sort((a, b) => coresOf(b.population) - coresOf(a.population));
    error(
      `the network needs ${cores.length} cores (at most ${neuronsPerCore} neurons each, within the synapse memory and axons of a core); ${hw.name} has ${coreLimit}${maxChips > 1 ? ` (${maxChips} chips of ${perChip})` : ""}`,
      T.neurons.map((g) => `${g.population}: ${g.size} neurons -> ${coresOf(g.population)} cores`).join("; "),
      bySize.length ? groupSpan(ir, bySize[0]!.population) : networkSpan(ir),
      bySize.slice(1).flatMap((g) => {
        const s = ir.groups.find((x) => x.name === g.population)?.span;
        return s ? [{ span: s, message: `${g.population}: ${coresOf(g.population)} core(s)` }] : [];
      }),
    );
  }
  const delayBits = hw.words.delay?.value;
  if (delayBits !== undefined) {
    const most = 2 ** delayBits - 1;
    for (const t of T.projections) {
      let max = 0;
      for (const d of t.delay) if (d > max) max = d;
      if (max <= most) continue;
      error(
        `${t.projection}: a synapse delay of ${max} steps (${(max * ir.dt * 1e3).toPrecision(4)} ms) exceeds the ${delayBits}-bit delay field of a ${hw.name} synapse (at most ${most} steps, ${(most * ir.dt * 1e3).toPrecision(4)} ms at dt = ${(ir.dt * 1e3).toPrecision(4)} ms)`,
        `bound the delays to ${(most * ir.dt * 1e3).toPrecision(4)} ms (e.g. the upper bound of truncated_normal), or a coarser dt`,
        projectionSpan(ir, t.projection),
      );
      return;
    }
  }
  for (const c of cores) {
    const axons = c.synapses.reduce((a, m) => a + m.axons.length, 0);
    if (axonsPerCore !== null && axons > axonsPerCore) {
      error(
        `core ${c.id} (${c.population}[${c.start}:${c.end}]) needs ${axons} input axons; a ${hw.name} core has ${axonsPerCore}`,
        "the automatic partition splits a population down to one neuron per core; beyond that, one neuron's in-degree is over a core's axons: lower the in-degree (or a smaller --neurons-per-core if you gave one)",
        groupSpan(ir, c.population),
        feeding(c, (m) => `${m.projection}: ${m.axons.length} axon(s) into core ${c.id}`),
      );
      break;
    }
    if (memoryBitsPerCore !== null && c.synapseBits > memoryBitsPerCore) {
      error(
        `core ${c.id} (${c.population}[${c.start}:${c.end}]) needs ${c.synapseBits} bits of synapse memory (${c.synapses.reduce((a, m) => a + m.target.length, 0)} synapses); a ${hw.name} core has ${memoryBitsPerCore}`,
        "a smaller --neurons-per-core if you gave one; the automatic partition stops at one neuron per core: lower the in-degree (a sparser connect rule) or use a spec with more synapse memory per core",
        groupSpan(ir, c.population),
        feeding(c, (m) => `${m.projection}: ${m.target.length} synapse(s) into core ${c.id}`),
      );
      break;
    }
  }
}

/** Where each of `tiles` occupied tiles sits on the mesh: tile t at block[t], the cells of a w x h block
 *  (w <= mesh.x, h <= mesh.y) filled row by row, w chosen to minimise the mean hop cost between occupied
 *  tiles over all ordered pairs (uniform all-to-all traffic), an east-west hop weighted `cost.x`, a
 *  north-south one `cost.y` (the spec's hop energies; equal weights count hops); each axis is summed from the
 *  tiles per column and per row; a tie goes to the wider block. 8 tiles on Loihi's 8x4 mesh with its hop
 *  energies (3.0 and 4.0 pJ, Davies et al. 2018 Table 2): a 4x2 block, 1.75 mean hops (a row of 8: 2.63; with
 *  equal weights rows of 3, 3, 2: 1.69 hops, more energy on Loihi). */
export function placeTiles(
  tiles: number,
  mesh: { x: number; y: number },
  cost: { x: number; y: number } = { x: 1, y: 1 },
): { x: number; y: number }[] {
  const spread = (counts: number[]): number => {
    let s = 0;
    for (let a = 0; a < counts.length; a++)
      for (let b = 0; b < counts.length; b++) s += counts[a]! * counts[b]! * math.abs(a - b);
    return s;
  };
  let best = { w: math.min(mesh.x, math.max(1, tiles)), cost: Infinity };
  for (let w = 1; w <= mesh.x; w++) {
    const h = math.ceil(tiles / w);
    if (h > mesh.y && w < mesh.x) continue;
    const cols = Array.from({ length: w }, (_, x) => math.ceil((tiles - x) / w));
    const rows = Array.from({ length: h }, (_, y) => math.min(w, tiles - y * w));
    const c = cost.x * spread(cols) + cost.y * spread(rows);
    if (c <= best.cost) best = { w, cost: c };
  }
  return Array.from({ length: tiles }, (_, t) => ({ x: t % best.w, y: math.floor(t / best.w) }));
}

type Chips = NonNullable<DigitalDescriptor["chips"]>;

/** The chips a network of `cores` cores needs when one chip's `perChip` cores do not hold it: chips on a grid as
 *  square as their count allows (x = ceil(sqrt(count))), each the spec's mesh of tiles; chip k holds cores
 *  k * perChip ... Null for one chip, or when the spec gives no core count or mesh. */
export function chipGrid(
  cores: number,
  perChip: number | null,
  coresPerTile: number,
  specMesh: { x: number; y: number } | null,
): Chips | null {
  if (perChip === null || specMesh === null || cores <= perChip) return null;
  if (math.ceil(perChip / coresPerTile) > specMesh.x * specMesh.y) return null;
  const count = math.ceil(cores / perChip);
  const x = math.ceil(math.sqrt(count));
  return { count, x, y: math.ceil(count / x), tilesX: specMesh.x, tilesY: specMesh.y };
}

/** Places core c on tile floor(c / coresPerTile), the tiles as placeTiles' block, and routes spikes: each
 *  contiguous run of axons into a core is one route need; route tiles and hops are the cores' tiles. */
function routeCores(
  cores: NeuronCore[],
  host: Map<string, Int32Array>,
  coresPerTile: number,
  mesh: { x: number; y: number },
  hopCost: { x: number; y: number },
  chips: Chips | null,
  perChip: number,
): {
  routing: DigitalDescriptor["routing"];
  traffic: number;
} {
  const tileOf = (core: number): number => math.floor(core / coresPerTile);
  const tiles = cores.length ? tileOf(cores.length - 1) + 1 : 0;
  if (!chips) {
    const block = placeTiles(tiles, mesh, hopCost);
    for (const c of cores) Object.assign(c, block[tileOf(c.id)]);
  } else {
    // chip k holds cores k * perChip ..; each chip's tiles as placeTiles' block within its own mesh
    for (let k = 0; k < chips.count; k++) {
      const first = k * perChip,
        on = cores.slice(first, first + perChip);
      if (!on.length) continue;
      const block = placeTiles(tileOf(on.length - 1) + 1, { x: chips.tilesX, y: chips.tilesY }, hopCost);
      const ox = (k % chips.x) * chips.tilesX,
        oy = math.floor(k / chips.x) * chips.tilesY;
      for (const c of on) {
        const b = block[tileOf(c.id - first)]!;
        Object.assign(c, { x: ox + b.x, y: oy + b.y });
      }
    }
  }
  const needs: RouteNeed[] = [];
  for (const c of cores)
    for (const m of c.synapses) {
      // contiguous runs of axons become one route need each
      let a = 0;
      while (a < m.axons.length) {
        let b = a + 1;
        while (b < m.axons.length && m.axons[b] === m.axons[b - 1]! + 1) b++;
        needs.push({ id: c.id, population: m.prePopulation, start: m.axons[a]!, end: m.axons[b - 1]! + 1 });
        a = b;
      }
    }
  const { routing } = routesFor(needs, host, mesh);
  // routesFor places unit u at tile u; with several cores per tile the route's tile and hops are the tiles'
  let traffic = 0;
  for (const rt of routing)
    for (const r of rt.routes) {
      const dst = cores[r.to]!;
      r.x = dst.x;
      r.y = dst.y;
      r.hops = rt.from >= 0 ? math.abs(cores[rt.from]!.x - dst.x) + math.abs(cores[rt.from]!.y - dst.y) : 0;
      traffic += (r.end - r.start) * r.hops;
    }
  return { routing, traffic };
}

function name0(initial: Record<string, number[]>, name: string): boolean {
  return name in initial;
}
