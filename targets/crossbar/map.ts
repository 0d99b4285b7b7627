// Crossbar mapping: a discrete IR program onto memristor tiles of a crossbar spec. In: an IRProgram, a
// validated CrossbarSpec; out: a CrossbarDescriptor, or diagnostics (E0801 for what the hardware lacks:
// astrocytes, on-chip plasticity, multapses, per-synapse delays within a row; E0804 when the tiles exceed
// the spec's mesh; W1006 when a column sum spans more levels than the ADC has codes: reads are then quantized
// coarser than one level by the read model, read-model.ts).
//
// Partition: projections with the same pre slice share rows (one row per pre element with a synapse) and
// concatenate their column pairs (one pair per (projection, post element) with a synapse); pack.ts cuts each
// such group into pieces of at most rows x floor(cols / 2) pairs and packs them into tiles of one pre
// population (partial pieces share tiles). Signed weights become differential pairs: with scale = max|w| / (levels-1),
// L = round(|w| / scale) goes on G+ (w > 0) or G- (w < 0), the other side at level 0. Device-to-device
// variation (seeded, see types.ts CrossbarCell) perturbs the programmed conductances; the weight word a
// pair contributes is computed from the perturbed conductances.

import type { Diagnostic, Related } from "../../compiler/diagnostics/diagnostic.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import type { IRProgram, IRProjection } from "../../compiler/ir/nodes.js";
import { networkSpan, projectionSpan } from "../../compiler/ir/spans.js";
import { fnv1a32, normal } from "../network/rng.js";
import { type CrossbarSpec } from "../hw/spec.js";
import { fixedSpecFor } from "../fixed/hw-option.js";
import { fromFloat, roundFloat } from "../fixed/qformat.js";
import { buildTables, meshFor, meshXY, type NetworkTables } from "../descriptor/build.js";
import { routesFor, type RouteNeed } from "../descriptor/routing.js";
import { packTiles, tileLowerBound, type PackGroup, type Piece } from "./pack.js";
import { adcMaxCode } from "./read-model.js";
import {
  DESCRIPTOR_VERSION,
  type CrossbarCell,
  type CrossbarColumn,
  type CrossbarDescriptor,
  type CrossbarTile,
  type CrossbarWeightMap,
  type SynapseTable,
} from "../descriptor/types.js";

const math = Math;

export interface CrossbarMapOptions {
  /** Steps of the quantize pass's profiling run (default: the pass's own). */
  profileSteps?: number;
}

/** The conductance of level L (no variation). */
export const levelConductance = (L: number, gOn: number, gOff: number, levels: number): number =>
  gOff + (L * (gOn - gOff)) / (levels - 1);

/** Levels of a signed weight: [L+, L-]. */
export function weightLevels(w: number, scale: number, levels: number): [number, number] {
  if (!(scale > 0) || w === 0) return [0, 0];
  const L = math.min(levels - 1, roundFloat(math.abs(w) / scale, "nearest-even"));
  return w > 0 ? [L, 0] : [0, L];
}

interface Group {
  pre: { population: string; start: number; end: number };
  /** Used column pairs: (projection, post element) with at least one synapse from the slice. */
  columns: CrossbarColumn[];
  tables: SynapseTable[];
  /** Used rows (pre elements with a synapse, ascending), their delays, and each element's used-row index. */
  rows: number[];
  delays: number[];
  rowPos: Int32Array;
}

/** A diagnostic of the mapping, pointing at `at` (default: the network). */
type Report = (code: "E0801" | "E0804", message: string, hint?: string, at?: Span, related?: Related[]) => void;

/** The spec's numbers the mapping uses: tile rows R, columns C and column pairs P, conductance levels, device
 *  conductances (dG per level) and variation, ADC bits and full-scale code. */
interface Geometry {
  R: number;
  C: number;
  P: number;
  levels: number;
  gOn: number;
  gOff: number;
  dG: number;
  sigma: number;
  adcBits: number;
  adcFull: number;
}

export function mapCrossbar(
  ir: IRProgram,
  hw: CrossbarSpec,
  opts: CrossbarMapOptions = {},
): { descriptor?: CrossbarDescriptor; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  // every diagnostic points at the most specific statement: a connect, population or ensheath, else the network
  const error: Report = (code, message, hint, at = networkSpan(ir), related = []) =>
    void diags.push({ code, severity: "error", message, span: at, related, hint });
  const where = `the crossbar spec ${hw.name}`;
  checkSupported(ir, where, error);
  if (diags.length) return { diagnostics: diags };

  const fixed = { ...fixedSpecFor(hw), weightBits: math.max(2, math.min(32, hw.periphery?.weight?.value ?? 8)) };
  const built = buildTables(ir, fixed, opts.profileSteps);
  diags.push(...built.diagnostics);
  if (!built.tables) return { diagnostics: diags };
  const T = built.tables;

  const geo = crossbarGeometry(hw);
  const seed = ir.seed >>> 0;
  const { groups, colIndex } = groupByPre(ir, T, geo.C, geo.P, error);
  const weightMaps = weightScales(T, geo);
  const mapOf = new Map(weightMaps.map((m) => [m.projection, m]));
  const layout = layoutTiles(hw, groups, geo);
  const { packed, tiles } = layout;
  // neurons need a periphery, and a periphery sits beside a tile: a network no synapse maps onto (only currents
  // and populations without incoming synapses) takes one tile for it, its array unused (no rows, no pairs)
  if (!tiles.length && T.neurons.length) {
    tiles.push(peripheryOnlyTile(hw, geo, T.neurons[0]!.population));
  }
  programCells(ir, T, geo, seed, { groups, colIndex, mapOf, packed, tiles }, error);
  checkTiles(ir, tiles, geo.P, mapOf, error);
  diags.push(...adcWarnings(ir, weightMaps, geo.adcBits));
  checkMesh(ir, hw, where, groups, geo, layout, error);
  if (diags.some((d) => d.severity === "error")) return { diagnostics: diags };
  const mesh = meshFor(tiles.length, hw.mesh ? { x: hw.mesh.x.value, y: hw.mesh.y.value } : null);
  const { periphery, routing, traffic } = placeAndRoute(T, tiles, mesh);
  const descriptor = crossbarDescriptor(ir, hw, fixed, T, geo, layout, weightMaps, {
    mesh,
    periphery,
    routing,
    traffic,
  });
  return { descriptor, diagnostics: diags };
}

/** The spec's geometry: tile size, column pairs, conductance levels and step, device variation, ADC. */
function crossbarGeometry(hw: CrossbarSpec): Geometry {
  const levels = hw.cell.conductanceLevels?.value ?? 2 ** hw.cell.bitsPerCell.value;
  const gOn = hw.device.gOn.value,
    gOff = hw.device.gOff.value,
    adcBits = hw.adc.bits.value;
  return {
    R: hw.tile.rows.value,
    C: hw.tile.cols.value,
    P: math.floor(hw.tile.cols.value / 2),
    levels,
    gOn,
    gOff,
    dG: (gOn - gOff) / (levels - 1),
    sigma: hw.device.deviceToDeviceSigma?.value ?? 0,
    adcBits,
    adcFull: 2 ** adcBits - 1,
  };
}

/** Each projection's weight scale: max |w| over (levels - 1) (its column maximum is filled in by programCells). */
function weightScales(T: NetworkTables, geo: Geometry): CrossbarWeightMap[] {
  return T.projections.map((t) => {
    const w = T.floatWeights.get(t.projection)!;
    let max = 0;
    for (let s = 0; s < w.length; s++) max = math.max(max, math.abs(w[s]!));
    return { projection: t.projection, scale: max / (geo.levels - 1), maxColumnLevels: 0, adcFullScale: geo.adcFull };
  });
}

/** The tiles of a mapping: the packing, its lower bounds, one line per group and the (not yet programmed) tiles. */
interface TileLayout {
  packed: ReturnType<typeof packTiles>;
  bounds: ReturnType<typeof tileLowerBound>;
  perGroup: string[];
  tiles: CrossbarTile[];
}

/** The groups' row-block x column-chunk pieces packed into tiles (pack.ts), with empty cell lists. */
function layoutTiles(hw: CrossbarSpec, groups: Group[], geo: Geometry): TileLayout {
  const { R, C, P } = geo;
  const packGroups: PackGroup[] = groups.map((g) => ({
    pre: g.pre.population,
    rows: g.rows,
    delays: g.delays,
    cols: g.columns.length,
  }));
  const packed = packTiles(packGroups, R, P);
  const bounds = tileLowerBound(packGroups, R, P);
  const perGroup = groups.map(
    (g) =>
      `${g.tables.map((t) => t.projection).join(" + ")}: ${g.rows.length} rows x ${g.columns.length} column pairs -> ${math.ceil(g.rows.length / R)} x ${math.ceil(g.columns.length / P)} pieces`,
  );
  const tiles: CrossbarTile[] = packed.tiles.map((plan, id) => ({
    id,
    x: 0,
    y: 0,
    rows: R,
    cols: C,
    prePopulation: plan.pre,
    rowInputs: plan.rowInputs,
    rowDelays: plan.rowDelays,
    pairs: plan.pieces.flatMap((pc) => groups[pc.group]!.columns.slice(pc.col0, pc.col0 + pc.nCols)),
    cells: [],
    adcBits: geo.adcBits,
    columnsPerAdc: hw.adc.columnsPerAdc.value,
  }));
  return { packed, bounds, perGroup, tiles };
}

/** A tile with no rows or column pairs in use: the periphery of a network without synapses on the crossbar. */
function peripheryOnlyTile(hw: CrossbarSpec, geo: Geometry, population: string): CrossbarTile {
  return {
    id: 0,
    x: 0,
    y: 0,
    rows: geo.R,
    cols: geo.C,
    prePopulation: population,
    rowInputs: [],
    rowDelays: [],
    pairs: [],
    cells: [],
    adcBits: geo.adcBits,
    columnsPerAdc: hw.adc.columnsPerAdc.value,
  };
}

/** W1006 per projection whose column sum spans more levels than the ADC has codes per sign (the read model,
 *  read-model.ts, spreads 2^(bits-1) - 1 codes per sign over the tile's largest column sum). */
function adcWarnings(ir: IRProgram, weightMaps: CrossbarWeightMap[], adcBits: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const wm of weightMaps)
    if (wm.maxColumnLevels > adcMaxCode(adcBits)) {
      out.push({
        code: "W1006",
        severity: "warning",
        span: projectionSpan(ir, wm.projection),
        related: [],
        hint: "lower the weights' spread or the in-degree per tile, or use a spec with a wider ADC",
        message: `projection ${wm.projection}: a column can sum to ${wm.maxColumnLevels} levels; the ${adcBits}-bit ADC has ${adcMaxCode(adcBits)} codes per sign over the tile's full scale, so reads are quantized coarser than one level`,
      });
    }
  return out;
}

/** E0804 when the tiles exceed the spec's mesh, pointing at the group that needs the most pieces (the other
 *  groups are related notes). */
function checkMesh(
  ir: IRProgram,
  hw: CrossbarSpec,
  where: string,
  groups: Group[],
  geo: Geometry,
  layout: TileLayout,
  error: Report,
): void {
  const { R, C, P } = geo;
  const { tiles, perGroup, bounds } = layout;
  const specMesh = hw.mesh ? { x: hw.mesh.x.value, y: hw.mesh.y.value } : null;
  if (!(specMesh && tiles.length > specMesh.x * specMesh.y)) return;
  const pieces = groups.map((g) => math.ceil(g.rows.length / R) * math.ceil(g.columns.length / P));
  const order = groups.map((_, k) => k).sort((a, b) => pieces[b]! - pieces[a]! || a - b);
  const at = (k: number) => projectionSpan(ir, groups[k]!.tables[0]!.projection);
  const seen = new Set<Span>([networkSpan(ir), order.length ? at(order[0]!) : networkSpan(ir)]);
  const related: Related[] = order.slice(1).flatMap((k) => {
    const s = at(k);
    if (seen.has(s)) return [];
    seen.add(s);
    return [
      { span: s, message: `${groups[k]!.tables.map((t) => t.projection).join(" + ")}: ${pieces[k]} tile piece(s)` },
    ];
  });
  error(
    "E0804",
    `the network needs ${tiles.length} tiles of ${R}x${C}; ${where} has a ${specMesh.x}x${specMesh.y} mesh (${specMesh.x * specMesh.y} tiles)`,
    `${perGroup.join("; ")}; packed into ${tiles.length} tiles (lower bound ${bounds.bound}, area bound ${bounds.area})`,
    order.length ? at(order[0]!) : networkSpan(ir),
    related,
  );
}

/** The crossbar descriptor: network tables, programmed tiles, device and input numbers, mesh, routing, stats. */
function crossbarDescriptor(
  ir: IRProgram,
  hw: CrossbarSpec,
  fixed: CrossbarDescriptor["fixed"],
  T: NetworkTables,
  geo: Geometry,
  layout: TileLayout,
  weightMaps: CrossbarWeightMap[],
  placed: Pick<CrossbarDescriptor, "mesh" | "periphery" | "routing"> & { traffic: number },
): CrossbarDescriptor {
  const { R, P, gOn, gOff, levels, sigma } = geo;
  const { tiles, bounds } = layout;
  const cellsUsed = tiles.reduce((a, t) => a + t.cells.length, 0);
  return {
    glia_descriptor: DESCRIPTOR_VERSION,
    kind: "crossbar",
    preset: hw.name,
    network: ir.network,
    seed: ir.seed >>> 0,
    dt: ir.dt,
    steps: ir.steps,
    clockHz: hw.clockHz?.value ?? null,
    mesh: placed.mesh,
    fixed,
    formats: T.formats,
    currentFormats: T.fixed.currents,
    modulators: T.modulators,
    neurons: T.neurons,
    projections: T.projections,
    routing: placed.routing,
    ir: T.ir,
    stats: {
      units: tiles.length,
      lowerBound: bounds.bound,
      synapses: T.projections.reduce((a, t) => a + t.n, 0),
      trafficNeuronHops: placed.traffic,
      notes: {
        areaLowerBound: bounds.area,
        cellsUsedPairs: cellsUsed,
        cellPairsAvailable: tiles.length * R * P,
        rowsPerTile: R,
        pairsPerTile: P,
      },
    },
    device: {
      gOn,
      gOff,
      levels,
      bitsPerCell: hw.cell.bitsPerCell.value,
      deviceSigma: sigma,
      readNoiseSigma: hw.device.readNoiseSigma?.value ?? 0,
      readVoltage: hw.device.readVoltage?.value ?? null,
    },
    input: { encoding: hw.input.encoding, dacBits: hw.input.dacBits?.value ?? 1 },
    weightMaps,
    tiles,
    periphery: placed.periphery,
  };
}

/** E0801 for what a crossbar lacks: astrocyte populations, synapse state changed on chip, ensheathed projections,
 *  poisson_count inputs (several events of a row in one step; a row is driven by one 0/1 input per step). */
function checkSupported(ir: IRProgram, where: string, error: Report): void {
  for (const s of ir.sources) {
    if (s.k !== "poisson_count") continue;
    const fed = ir.projections.filter((p) => p.pre.population === s.name && p.span);
    error(
      "E0801",
      `input ${s.name} is poisson_count (several events per element and step); a crossbar row of ${where} takes one 0/1 input per step`,
      "map with --target fpga (or a digital preset), or use poisson(rate)[n] inputs",
      ir.spans?.sources[s.name],
      fed.map((p) => ({ span: p.span!, message: `${p.name} reads ${s.name} here` })),
    );
  }
  for (const g of ir.groups) {
    if (g.kind !== "astrocyte") continue;
    const sheath = ir.projections.find((p) => p.ensheathedBy?.astrocytes === g.name && p.ensheathSpan);
    const related: Related[] = [
      ...(sheath ? [{ span: sheath.ensheathSpan!, message: `${sheath.name} is ensheathed by ${g.name} here` }] : []),
      ...(g.modelSpan ? [{ span: g.modelSpan, message: `astrocyte model ${g.model}` }] : []),
    ];
    error(
      "E0801",
      `astrocyte population ${g.name} (${g.size} astrocytes) needs on-chip astrocyte dynamics; ${where} has none`,
      "map this network with --target fpga, or remove the astrocytes",
      g.span,
      related,
    );
  }
  for (const p of ir.projections) {
    const writes = (stmts: IRProjection["onPre"]) =>
      stmts.some(
        (s) =>
          s.k !== "let" &&
          (s.k === "if" || s.target.space === "state" || s.target.space === "param" || s.target.space === "pre"),
      );
    const plastic = writes(p.onPre) || writes(p.onPost) || writes(p.continuous);
    if (p.onPost.length || p.continuous.length || plastic || p.eventDriven.length) {
      // related: the handler that changes synapse state on chip (event-driven traces advance in `on pre`)
      const event = writes(p.onPre) || p.eventDriven.length ? "pre" : p.onPost.length ? "post" : "continuous";
      const header = p.handlerSpans?.[event];
      const related: Related[] = header
        ? [
            {
              span: header,
              message: `${event === "continuous" ? "continuous" : `on ${event}`} of synapse ${p.synapse} changes synapse state`,
            },
          ]
        : [];
      error(
        "E0801",
        `projection ${p.name} (${p.synapse}) updates synapse state on chip (plasticity or continuous coupling); ${where} holds fixed conductances only`,
        "use a static synapse, or map with --target fpga",
        p.span,
        related,
      );
    }
    if (p.ensheathedBy) {
      const astro = ir.groups.find((g) => g.name === p.ensheathedBy!.astrocytes);
      error(
        "E0801",
        `projection ${p.name} is ensheathed by astrocytes ${p.ensheathedBy.astrocytes}; ${where} has no astrocyte support`,
        "remove the ensheath statement, or map with --target fpga",
        p.ensheathSpan ?? p.span,
        [
          ...(p.span ? [{ span: p.span, message: `${p.name} is connected here` }] : []),
          ...(astro?.span ? [{ span: astro.span, message: `astrocyte population ${astro.name}` }] : []),
        ],
      );
    }
  }
}

/** Groups: projections sharing a pre slice; only rows and column pairs that hold a synapse are used.
 *  colIndex: per projection, each post element's column pair in its group (-1: none). */
function groupByPre(
  ir: IRProgram,
  T: NetworkTables,
  C: number,
  P: number,
  error: Report,
): { groups: Group[]; colIndex: Map<string, Int32Array> } {
  const groups: Group[] = [];
  const colIndex = new Map<string, Int32Array>();
  for (const t of T.projections) {
    if (P < 1) {
      error(
        "E0804",
        `a tile of ${C} column(s) cannot hold a differential pair`,
        "a crossbar spec needs at least 2 columns per tile (one G+/G- pair)",
      );
      break;
    }
    let g = groups.find(
      (x) => x.pre.population === t.pre.population && x.pre.start === t.pre.start && x.pre.end === t.pre.end,
    );
    if (!g)
      groups.push(
        (g = {
          pre: t.pre,
          columns: [],
          tables: [],
          rows: [],
          delays: [],
          rowPos: new Int32Array(t.pre.end - t.pre.start).fill(-1),
        }),
      );
    g.tables.push(t);
    const input = ir.projections
      .find((p) => p.name === t.projection)!
      .onPre.find((s) => s.k === "assign" && s.target.space === "post");
    const usedPost = new Uint8Array(t.post.end - t.post.start);
    for (let s = 0; s < t.n; s++) usedPost[t.postIndex[s]! - t.post.start] = 1;
    const col = new Int32Array(t.post.end - t.post.start).fill(-1);
    for (let j = t.post.start; j < t.post.end; j++) {
      if (!usedPost[j - t.post.start]) continue;
      col[j - t.post.start] = g.columns.length;
      g.columns.push({
        projection: t.projection,
        population: t.post.population,
        index: j,
        input: input && input.k === "assign" ? input.target.name : "",
      });
    }
    colIndex.set(t.projection, col);
  }
  for (const g of groups) {
    const delay = new Int32Array(g.pre.end - g.pre.start).fill(-1);
    for (const t of g.tables)
      for (let s = 0; s < t.n; s++) {
        const i = t.preIndex[s]! - g.pre.start;
        if (delay[i] === -1) delay[i] = t.delay[s]!;
      }
    for (let i = 0; i < delay.length; i++)
      if (delay[i] !== -1) {
        g.rowPos[i] = g.rows.length;
        g.rows.push(g.pre.start + i);
        g.delays.push(delay[i]!);
      }
  }
  return { groups, colIndex };
}

/** Programs the cells of every synapse: levels of its weight on the G+/G- pair of its (row, pair) in the
 *  tile that holds its piece, perturbed by device variation; the weight word it contributes replaces the raw
 *  weight in its table. E0801 when a row's synapses have different delays. */
function programCells(
  ir: IRProgram,
  T: NetworkTables,
  geo: Geometry,
  seed: number,
  at: {
    groups: Group[];
    colIndex: Map<string, Int32Array>;
    mapOf: Map<string, CrossbarWeightMap>;
    packed: ReturnType<typeof packTiles>;
    tiles: CrossbarTile[];
  },
  error: Report,
): void {
  const { R, C, P, levels, gOn, gOff, dG, sigma } = geo;
  const { groups, colIndex, mapOf, packed, tiles } = at;
  const tileOf = new Map<Piece, CrossbarTile>();
  packed.tiles.forEach((plan, id) => {
    for (const pc of plan.pieces) tileOf.set(pc, tiles[id]!);
  });
  const delayReported = new Set<string>();
  groups.forEach((g, gi) => {
    // cells
    for (const t of g.tables) {
      const wf = T.floatWeights.get(t.projection)!;
      const wm = mapOf.get(t.projection)!;
      const fmt = t.vars.find((v) => v.name === t.weightVar)!.fmt;
      const raw = t.raw[t.weightVar] ?? (t.raw[t.weightVar] = new Array<number>(t.n).fill(t.scalars[t.weightVar] ?? 0));
      delete t.scalars[t.weightVar];
      const colOf = colIndex.get(t.projection)!;
      for (let s = 0; s < t.n; s++) {
        const row = g.rowPos[t.preIndex[s]! - g.pre.start]!,
          col = colOf[t.postIndex[s]! - t.post.start]!;
        const piece = packed.pieceOf[gi]![math.floor(row / R)]![math.floor(col / P)]!;
        const tile = tileOf.get(piece)!;
        const r = piece.rowAt[row % R]!,
          pair = piece.pairAt + (col % P);
        if (tile.rowDelays[r] !== t.delay[s] && !delayReported.has(t.projection)) {
          delayReported.add(t.projection);
          error(
            "E0801",
            `projection ${t.projection}: synapses of pre element ${t.preIndex[s]} have delays ${tile.rowDelays[r]} and ${t.delay[s]} steps; a crossbar row has one input delay`,
            "give the projection one delay, or map with --target fpga",
            projectionSpan(ir, t.projection),
          );
        }
        const [Lp, Lm] = weightLevels(wf[s]!, wm.scale, levels);
        let eff: number;
        if (sigma > 0) {
          const stream = fnv1a32(`device:${tile.id}`);
          const base = 2 * (r * C + 2 * pair);
          const gp = math.min(
            2 * gOn,
            math.max(0, levelConductance(Lp, gOn, gOff, levels) * (1 + sigma * normal(seed, stream, base))),
          );
          const gm = math.min(
            2 * gOn,
            math.max(0, levelConductance(Lm, gOn, gOff, levels) * (1 + sigma * normal(seed, stream, base + 3))),
          );
          eff = ((gp - gm) / dG) * wm.scale;
        } else eff = (Lp - Lm) * wm.scale;
        const word = fromFloat(eff, fmt, "nearest-even", "saturate");
        raw[s] = word;
        const cell: CrossbarCell = { row: r, pair, gPlus: Lp, gMinus: Lm, weight: word, synapse: s };
        tile.cells.push(cell);
      }
    }
  });
}

/** Per tile: E0801 for multapses (one cell per (row, pair)); row delays clamped at 0; each weight map's
 *  worst-case column sum in levels (all rows active) for the ADC check. */
function checkTiles(
  ir: IRProgram,
  tiles: CrossbarTile[],
  P: number,
  mapOf: Map<string, CrossbarWeightMap>,
  error: Report,
): void {
  for (const tile of tiles) {
    const seen = new Set<number>();
    let dup = 0,
      dupProjection = "";
    for (const c of tile.cells) {
      const k = c.row * P + c.pair;
      if (seen.has(k)) {
        dup++;
        dupProjection ||= tile.pairs[c.pair]!.projection;
      }
      seen.add(k);
    }
    if (dup)
      error(
        "E0801",
        `tile ${tile.id}: ${dup} synapse(s) repeat a (pre, post) pair already in the tile; a crossbar cell holds one weight`,
        "remove duplicate pairs from from_list connections",
        projectionSpan(ir, dupProjection),
      );
    tile.rowDelays = tile.rowDelays.map((d) => math.max(0, d));
    // ADC: worst-case column sum in levels (all rows active)
    const sum = new Float64Array(tile.pairs.length);
    for (const c of tile.cells) sum[c.pair] += math.abs(c.gPlus - c.gMinus);
    for (let p = 0; p < tile.pairs.length; p++) {
      const wm = mapOf.get(tile.pairs[p]!.projection)!;
      wm.maxColumnLevels = math.max(wm.maxColumnLevels, sum[p]!);
    }
  }
}

/** Places the tiles on the mesh, then the periphery (each population's neurons are read out at the first tile
 *  feeding them) and the routes: every run of consecutive pre elements a tile's rows take is one routing need. */
function placeAndRoute(
  T: NetworkTables,
  tiles: CrossbarTile[],
  mesh: { x: number; y: number },
): {
  periphery: CrossbarDescriptor["periphery"];
  routing: CrossbarDescriptor["routing"];
  traffic: number;
} {
  for (const t of tiles) Object.assign(t, meshXY(t.id, mesh));
  const host = new Map<string, Int32Array>();
  for (const g of T.neurons) host.set(g.population, new Int32Array(g.size).fill(-1));
  for (const t of tiles)
    for (const c of t.pairs) {
      const h = host.get(c.population)!;
      if (h[c.index] === -1) h[c.index] = t.id;
    }
  const periphery: CrossbarDescriptor["periphery"] = [];
  for (const g of T.neurons) {
    const h = host.get(g.population)!;
    const fed = new Set<number>();
    for (const t of tiles) for (const c of t.pairs) if (c.population === g.population) fed.add(t.id);
    periphery.push({ population: g.population, start: 0, end: g.size, tiles: [...fed].sort((a, b) => a - b) });
    for (let e = 0; e < g.size; e++) if (h[e] === -1) h[e] = tiles.length ? 0 : -1;
  }
  // every run of consecutive pre elements a tile's rows take is one routing need
  const targets: RouteNeed[] = [];
  for (const t of tiles) {
    const es = [...new Set(t.rowInputs)].sort((a, b) => a - b);
    for (let i = 0; i < es.length;) {
      let j = i + 1;
      while (j < es.length && es[j] === es[j - 1]! + 1) j++;
      targets.push({ id: t.id, population: t.prePopulation, start: es[i]!, end: es[j - 1]! + 1 });
      i = j;
    }
  }
  const { routing, traffic } = routesFor(targets, host, mesh);
  return { periphery, routing, traffic };
}
