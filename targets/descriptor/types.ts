// Hardware descriptors: what the crossbar and digital-core (FPGA, Loihi, TrueNorth) mappers write and what
// the cycle-accurate emulator and the descriptor runner read. In: nothing (types only); out: the versioned
// descriptor types. The JSON Schemas in schema-*.json describe the same documents; validate.ts checks both.
//
// Semantics ("spikes from a descriptor") are those of the fixed-point executor (targets/fixed/executor.ts,
// stepping through targets/schedule/step.ts: update, thresholds and sources, input clearing, on-pre events
// after delays, on post, resets) run on the descriptor's synapse tables by run.ts: for every projection in
// `projections` order, events of spiking pre elements (ascending) run the projection's `onPre` program with
// that synapse's raw words (for a static synapse: post input word += weight word, saturating), d > 0
// steps later for a delay d.
// Integer adds into an input are exact; only when an input saturates does the event order matter.
// A crossbar computes the same column sums: column current sum_rows (G+ - G-) * V_read of the rows whose
// pre element spiked, read by the ADC and scaled by the periphery; the descriptor states, per cell, the
// integer weight word that pair contributes after device variation (`CrossbarCell.weight`), and those
// words are what the synapse table holds. Each step a tile with an active row is read: per pair the column
// sum of those words, read noise and the ADC (targets/crossbar/read-model.ts) give the word the periphery adds;
// without read noise and with an ADC step <= 1 word that is exactly the per-synapse adds above.

import type { HardwareSpec } from "../hw/spec.js";
import type { FixedSpec, FxBool, FxStmt } from "../fixed/ir.js";
import type { QFormat } from "../fixed/qformat.js";

/** The descriptor format version (bump on any incompatible change). */
export const DESCRIPTOR_VERSION = 2;

// ---------------------------------------------------------------- shared parts

/** A stored variable of a neuron population or projection with its Q format. */
export interface DescriptorVar {
  name: string;
  space: "param" | "state" | "input";
  fmt: QFormat;
}

/** The fixed-point program of one neuron population (FxGroup of targets/fixed/ir.ts without its float IR):
 *  statements over raw words, every node with its result format, rounding and overflow mode. */
export interface NeuronProgram {
  population: string;
  size: number;
  /** Network steps per step of the group's own clock (astrocytes' `dt`): it updates and thresholds at steps
   *  k with k % stepEvery == 0 only. */
  stepEvery: number;
  vars: DescriptorVar[];
  /** Formats of the `let` locals the statements use. */
  locals: Record<string, QFormat>;
  update: FxStmt[];
  threshold: FxBool | null;
  reset: FxStmt[];
  /** Refractory period in steps and the state variables clamped while refractory (null: none). */
  refractory: { steps: number; clamp: string[] } | null;
  /** Initial raw words per state variable, one per neuron (params that vary per neuron too); a scalar
   *  param appears once in `scalars`. These are the words the executor starts from (targets/network/init.ts
   *  values rounded to nearest-even into the variable's format). */
  initial: Record<string, number[]>;
  scalars: Record<string, number>;
}

/** One projection's synapses, in the executor's construction order (by pre element, then post element). */
export interface SynapseTable {
  projection: string;
  /** Population names and the element slices the projection connects (`end` exclusive). */
  pre: { population: string; start: number; end: number };
  post: { population: string; start: number; end: number };
  /** Synapse model name and its fixed-point event programs (FxProjection of targets/fixed/ir.ts). */
  synapse: string;
  vars: DescriptorVar[];
  locals: Record<string, QFormat>;
  onPre: FxStmt[];
  onPost: FxStmt[];
  continuous: FxStmt[];
  /** The synapse variable the crossbar / synapse memory stores as the weight (e.g. "w"). */
  weightVar: string;
  /** Ensheathed projections: the astrocyte population and its handlers per synapse event (FxProjection.astro).
   *  In these and in onPre / onPost / continuous a ref of space "astro" is a stored variable of the synapse's
   *  astrocyte; which astrocyte that is, is stored per synapse-memory entry (SynapseMemory.astrocyte). */
  astro: {
    population: string;
    locals: Record<string, QFormat>;
    onSynapsePre: FxStmt[];
    onSynapsePost: FxStmt[];
  } | null;
  /** n synapses: preIndex[s], postIndex[s] are population element indices; delay[s] in steps. */
  n: number;
  preIndex: number[];
  postIndex: number[];
  delay: number[];
  /** Raw words per synapse variable (length n each), including `weightVar`: the effective integer
   *  weight each synapse (crossbar: each differential pair, device variation included) represents. */
  raw: Record<string, number[]>;
  /** Synapse variables with one scalar raw word for all synapses. */
  scalars: Record<string, number>;
}

/** Where a spike of a population's elements goes: one entry per (source range, destination). */
export interface Route {
  /** Source population and element range [start, end). */
  population: string;
  start: number;
  end: number;
  /** Destination tile (crossbar) or core (digital) id and its mesh coordinates. */
  to: number;
  x: number;
  y: number;
  /** Mesh hops (Manhattan distance) from the source unit; 0 when the source is off-chip (an input). */
  hops: number;
}

/** Per-unit routing table: spikes of neurons held by unit `from` (or of an input population when `from`
 *  is -1) are sent to every entry of `routes`. */
export interface RoutingTable {
  from: number;
  routes: Route[];
}

export interface MappingStats {
  units: number;
  /** The lower bound on units for this network on this hardware (same partition rule, dense packing). */
  lowerBound: number;
  synapses: number;
  /** Sum over routes of (source neurons in the range) x (hops): spike traffic if every neuron fired once. */
  trafficNeuronHops: number;
  /** Free-form per-unit-type figures (e.g. cells used, ADC full scale, bits of synaptic memory used). */
  notes: Record<string, number>;
}

/** A network modulator (`modulator NAME = EXPR`, read as mod.NAME): the chip's controller evaluates the embedded
 *  IR's modulator of the same name (its `modulators` list, same order) in float64 at the start of every step
 *  from the previous step (targets/fixed/modulators.ts stepModulators) and broadcasts it as a word of format
 *  `fmt` (rounded to nearest-even, saturated) to the cores whose programs read mod.NAME. `range` and `source`
 *  record where the format came from (the values of a t-only modulator over the run, else a static bound). */
export interface DescriptorModulator {
  name: string;
  fmt: QFormat;
  range: { lo: number; hi: number };
  source: "enumerated" | "static";
}

interface DescriptorBase {
  /** Format version: DESCRIPTOR_VERSION. */
  glia_descriptor: typeof DESCRIPTOR_VERSION;
  /** Hardware spec name (preset name or the spec file's `name`). */
  preset: string;
  /** The hardware spec it was mapped onto, and the SHA-256 of its canonical JSON (spec-hash.ts); descriptors
   *  written before these fields have neither. */
  spec?: HardwareSpec;
  specHash?: string;
  network: string;
  /** The seed of network construction, Poisson sources and device variation. */
  seed: number;
  /** Network time step (s) and run length in steps. */
  dt: number;
  steps: number;
  /** Clock of the hardware in Hz (null when the spec gives none). */
  clockHz: number | null;
  /** Mesh of tiles/cores; `fromSpec` false when the spec gives no mesh (the smallest square that holds
   *  the units is used). Unit u sits at x = u % mesh.x, y = floor(u / mesh.x). */
  mesh: { x: number; y: number; fromSpec: boolean };
  /** Word widths, rounding and overflow of the datapath (targets/fixed FixedSpec). */
  fixed: FixedSpec;
  /** Q format of every stored variable, keyed "OWNER.var" (population or projection name). */
  formats: Record<string, QFormat>;
  /** Formats of the current stimuli, in the order of the embedded IR's `currents`. */
  currentFormats: QFormat[];
  neurons: NeuronProgram[];
  projections: SynapseTable[];
  routing: RoutingTable[];
  stats: MappingStats;
  /** The network's modulators as controller-broadcast words (absent or empty: none). */
  modulators?: DescriptorModulator[];
  /** The discrete IR (compiler/ir/json.ts `irToJson` document, parsed) for network-level parts: sources,
   *  currents, monitors, run length. Neuron and synapse values come from the tables above. */
  ir: { glia_ir: number; program: unknown };
}

// ---------------------------------------------------------------- crossbar

/** One programmed differential pair: cell (row, pair) holds conductance levels gPlus on column 2*pair and
 *  gMinus on column 2*pair+1. Conductance of level L: G(L) = gOff + L * (gOn - gOff) / (levels - 1); with
 *  device-to-device variation the programmed conductance is G(L) * (1 + sigma * n), n a standard normal
 *  (targets/network/rng.ts `normal(seed, fnv1a32("device:" + tileId), 2 * (row * cols + col) + side)`,
 *  side 0 for G+, 1 for G-), clipped to [0, gOn * 2]. */
export interface CrossbarCell {
  row: number;
  pair: number;
  gPlus: number;
  gMinus: number;
  /** The weight word this pair contributes: round_nearest_even((G+ - G-) / dG * scale / ulp(weight fmt)),
   *  dG = (gOn - gOff) / (levels - 1), saturated into the weight format. Equals the synapse table's raw
   *  weight of synapse `synapse`. */
  weight: number;
  /** Index of the synapse in its projection's table. */
  synapse: number;
}

/** A column pair: the post neuron its current feeds and the projection (and weight scale) it belongs to. */
export interface CrossbarColumn {
  projection: string;
  population: string;
  index: number;
  /** The input variable of the post neuron the (scaled) column sum is added to. */
  input: string;
}

export interface CrossbarTile {
  id: number;
  x: number;
  y: number;
  /** Physical size (from the spec). Used rows <= rows; used pairs <= floor(cols / 2). */
  rows: number;
  cols: number;
  /** rowInputs[r] = the presynaptic element driving row r (all rows of a tile share one pre population). */
  prePopulation: string;
  rowInputs: number[];
  /** Delay (steps) of the row's input buffer, per used row. */
  rowDelays: number[];
  /** pairs[p] = the post neuron column pair p feeds. */
  pairs: CrossbarColumn[];
  /** Programmed cells (cells not listed hold level 0 on both sides and no synapse). */
  cells: CrossbarCell[];
  /** ADC resolution and columns multiplexed onto one ADC. */
  adcBits: number;
  columnsPerAdc: number;
}

/** Per projection: how its real weights became levels. weight ~ (L+ - L-) * scale (SI units of the weight). */
export interface CrossbarWeightMap {
  projection: string;
  /** Real weight per level step (SI); the largest |weight| maps to levels - 1. */
  scale: number;
  /** Largest |column sum| in levels any step can produce on a tile of this projection, and the ADC's
   *  number of ADC output levels (2^adcBits - 1). The read model's full scale is the tile's largest column
   *  sum (read-model.ts), so a sum above 2^(adcBits-1) - 1 levels is read coarser than one level. */
  maxColumnLevels: number;
  adcFullScale: number;
}

export interface CrossbarDescriptor extends DescriptorBase {
  kind: "crossbar";
  device: {
    gOn: number;
    gOff: number;
    levels: number;
    bitsPerCell: number;
    /** Relative device-to-device sigma applied at programming (0 when the spec gives none). */
    deviceSigma: number;
    /** Read-noise sigma: additive per pair read, in units of one full-range cell (read-model.ts). */
    readNoiseSigma: number;
    readVoltage: number | null;
  };
  input: { encoding: "spike" | "bit-serial" | "pwm" | "amplitude"; dacBits: number };
  weightMaps: CrossbarWeightMap[];
  tiles: CrossbarTile[];
  /** Neuron periphery: which neurons sit behind which tiles (the periphery of tile t runs the neurons of
   *  its column pairs; a neuron fed by several tiles sums their column outputs). */
  periphery: { population: string; start: number; end: number; tiles: number[] }[];
}

// ---------------------------------------------------------------- digital cores (FPGA, Loihi, TrueNorth)

/** Incoming synapses of a core grouped by axon (presynaptic neuron): entries[axonStart[a] .. axonStart[a+1]). */
export interface SynapseMemory {
  projection: string;
  /** axon a is presynaptic element `axons[a]` of `prePopulation`. */
  prePopulation: string;
  axons: number[];
  axonStart: number[];
  /** Per entry: local neuron index on this core, delay (steps), weight word, synapse index in the table. */
  target: number[];
  delay: number[];
  weight: number[];
  synapse: number[];
  /** Bits one entry takes: weight + target + delay fields. */
  entryBits: number;
  /** Ensheathed projections: per entry, the element of the astrocyte population that ensheathes the synapse
   *  (targets/network/ensheath.ts assignAstrocytes), stored in a field of `bits` bits; null otherwise. */
  astrocyte: { bits: number; index: number[] } | null;
}

export interface NeuronCore {
  id: number;
  x: number;
  y: number;
  /** Neurons of one population, elements [start, end), time-multiplexed on this core's pipeline. */
  population: string;
  start: number;
  end: number;
  /** Pipeline stages: neuron update (or astrocyte-update on an astrocyte core), then one per on-chip feature:
   *  "plasticity", "astrocyte" (events of ensheathed synapses and astrocyte-state reads of this core's synapses). */
  stages: string[];
  /** State memory image: raw words per state variable for local neurons 0 .. end-start-1. */
  state: Record<string, number[]>;
  synapses: SynapseMemory[];
  /** Memory used: state bits and synapse bits. */
  stateBits: number;
  synapseBits: number;
}

export interface DigitalDescriptor extends DescriptorBase {
  kind: "digital";
  platform: "fpga" | "asic";
  neuronsPerCore: number;
  /** Cores per mesh tile (default 1): core c sits on tile t = floor(c / coresPerTile) at x = t % mesh.x,
   *  y = floor(t / mesh.x); cores of one tile share its router. */
  coresPerTile?: number;
  axonsPerCore: number | null;
  pipelineDepth: number | null;
  /** Per-core memory budget in bits (BRAM or synaptic SRAM; null when the spec gives none). */
  memoryBitsPerCore: number | null;
  /** Multi-chip systems (absent: one chip): `count` chips on an x * y grid, each a tilesX * tilesY mesh of its
   *  own; the descriptor's mesh is the whole system's (x * tilesX by y * tilesY tiles), chip (cx, cy) holding
   *  tiles cx * tilesX .. and cy * tilesY ..; a hop across a chip boundary crosses an inter-chip link. */
  chips?: { count: number; x: number; y: number; tilesX: number; tilesY: number };
  cores: NeuronCore[];
}

export type Descriptor = CrossbarDescriptor | DigitalDescriptor;
