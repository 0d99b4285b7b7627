// JSON Schemas (draft-07) of the hardware specs: a memristor crossbar spec and a digital-core (FPGA or
// neuromorphic ASIC) spec. In: nothing; out: schema objects for ajv.
//
// Every number in a spec is a cited number: { "value": <number>, "source": "<paper or tool>",
// "table": "<table, page or section>" }, so a preset cannot hold a figure without saying where it is from.
// Fields no source gives for a device are left out (they are optional), never guessed.

type Schema = Record<string, unknown>;

const cited = (numberSchema: Schema, description: string): Schema => ({
  type: "object",
  description,
  required: ["value", "source", "table"],
  additionalProperties: false,
  properties: {
    value: numberSchema,
    source: { type: "string", minLength: 3 },
    table: { type: "string", minLength: 1 },
    note: { type: "string" },
  },
});

/** A closed object: only the listed properties, `required` among them. */
const group = (required: string[], properties: Record<string, unknown>): Schema => ({
  type: "object",
  required,
  additionalProperties: false,
  properties,
});

const int = (minimum: number, maximum?: number): Schema => ({
  type: "integer",
  minimum,
  ...(maximum !== undefined ? { maximum } : {}),
});
const pos: Schema = { type: "number", exclusiveMinimum: 0 };
const nonneg: Schema = { type: "number", minimum: 0 };
/** Bounds far beyond any device (per-operation energies are pJ to nJ, latencies ns to us): a number past them is
 *  a unit mistake, refused before it turns into an Infinity joule report. */
const MAX_ENERGY_J = 1e-6;
const MAX_STATIC_POWER_W = 1e3;
const MAX_LATENCY_S = 1e-3;
const MAX_CLOCK_HZ = 1e12;
/** Sizes past any chip (Loihi: 128 cores of 1024 neurons, 4096 axons, 128 KiB of synapse memory per core): a count
 *  past them would size the mapping's arrays, so it is refused as a mistake, not allocated. */
const MAX_CORES = 2 ** 20;
const MAX_CHIPS = 2 ** 14;
const MAX_NEURONS_PER_CORE = 2 ** 20;
const MAX_AXONS_PER_CORE = 2 ** 24;
const MAX_MEMORY_BYTES = 2 ** 40;
/** Device figures past any memristor (uS to mS conductances, sub-volt reads, ns pulses) or tick (us to ms). */
const MAX_CONDUCTANCE_S = 1;
const MAX_READ_VOLTAGE_V = 100;
const MAX_TIME_S = 1;
const upTo = (base: Schema, maximum: number): Schema => ({ ...base, maximum });

const header = {
  $schema: { type: "string" },
  name: { type: "string", minLength: 1 },
  description: { type: "string" },
};

const wordWidths = (required: string[]): Schema => ({
  type: "object",
  required,
  additionalProperties: false,
  properties: {
    state: cited(int(1, 32), "membrane/state word width in bits"),
    weight: cited(int(1, 32), "synaptic weight width in bits"),
    decay: cited(int(1, 32), "decay multiplier width in bits"),
    input: cited(int(1, 32), "synaptic input width in bits"),
    accumulator: cited(int(1, 64), "accumulator width in bits"),
    delay: cited(int(1, 16), "per-synapse delay field width in bits (delays of 0 .. 2^bits - 1 steps)"),
  },
});

/** Per-operation energy (J) and latency (s) the cycle-accurate emulator charges (targets/emulator/costs.ts);
 *  every field optional and cited, an operation without a cited cost is reported as uncharged. */
/** The operations a spec may give an energy for (the emulator charges each, targets/emulator/costs.ts). */
export const EMULATOR_ENERGY = [
  "synapticOp",
  "synapticOpDense",
  "neuronActive",
  "neuronInactive",
  "neuronSpike",
  "learningUpdate",
  "astrocyteUpdate",
  "spikeLocal",
  "hopX",
  "hopY",
  "interChipHop",
  "cellRead",
  "rowRead",
  "adcConversion",
  "dacConversion",
  "staticPower",
] as const;
/** The operations a spec may give a latency for. */
export const EMULATOR_LATENCY = [
  "synapticOp",
  "synapticOpDense",
  "neuronActive",
  "neuronInactive",
  "neuronSpike",
  "learningUpdate",
  "spikeLocal",
  "messageOut",
  "messageIn",
  "hopX",
  "hopY",
  "interChipHop",
  "crossbarRead",
  "adcConversion",
] as const;
const EMULATOR_SCHEMA: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    timeQuantumHz: cited(upTo(pos, MAX_CLOCK_HZ), "emulator clock for chips without one (cycles per second)"),
    energy: {
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(
        EMULATOR_ENERGY.map((k) => [
          k,
          cited(
            upTo(nonneg, k === "staticPower" ? MAX_STATIC_POWER_W : MAX_ENERGY_J),
            `energy of one ${k} in joules (staticPower: watts)`,
          ),
        ]),
      ),
    },
    latency: {
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(
        EMULATOR_LATENCY.map((k) => [k, cited(upTo(nonneg, MAX_LATENCY_S), `latency of one ${k} in seconds`)]),
      ),
    },
    barrier: {
      type: "array",
      description: "measured barrier latency (s) by occupied tiles",
      items: {
        type: "object",
        required: ["tiles", "value", "source", "table"],
        additionalProperties: false,
        properties: {
          tiles: int(1),
          value: upTo(pos, MAX_LATENCY_S),
          source: { type: "string", minLength: 3 },
          table: { type: "string", minLength: 1 },
          note: { type: "string" },
        },
      },
    },
  },
};

/** What the cores implement natively (targets/hw/capabilities.ts); cited like a number. */
const CAPABILITIES: Schema = {
  type: "object",
  description: "neuron and synapse dynamics the cores implement natively",
  required: ["neurons", "synapses", "source", "table"],
  additionalProperties: false,
  properties: {
    neurons: { enum: ["lif", "fixed-point-ir"] },
    synapses: { enum: ["static", "learning-rules", "fixed-point-ir"] },
    source: { type: "string", minLength: 3 },
    table: { type: "string", minLength: 1 },
    note: { type: "string" },
  },
};

export const CROSSBAR_SCHEMA: Schema = {
  $id: "https://glia.dev/schemas/crossbar.json",
  title: "glia memristor crossbar spec",
  type: "object",
  required: ["name", "kind", "tile", "cell", "device", "adc", "input"],
  additionalProperties: false,
  properties: {
    ...header,
    kind: { const: "crossbar" },
    tile: group(["rows", "cols"], {
      rows: cited(int(1, 4096), "crossbar rows per tile"),
      cols: cited(int(1, 4096), "crossbar columns per tile"),
    }),
    cell: group(["bitsPerCell"], {
      bitsPerCell: cited(int(1, 8), "bits stored per memristor cell"),
      conductanceLevels: cited(int(2, 256), "distinct programmable conductance levels"),
    }),
    device: group(["gOn", "gOff"], {
      gOn: cited(upTo(pos, MAX_CONDUCTANCE_S), "on (low-resistance) conductance in siemens"),
      gOff: cited(upTo(pos, MAX_CONDUCTANCE_S), "off (high-resistance) conductance in siemens"),
      readVoltage: cited(upTo(pos, MAX_READ_VOLTAGE_V), "read voltage in volts"),
      readPulse: cited(upTo(pos, MAX_TIME_S), "read pulse width in seconds"),
      deviceToDeviceSigma: cited(
        { type: "number", minimum: 0, maximum: 1 },
        "relative device-to-device conductance variation (sigma)",
      ),
      readNoiseSigma: cited({ type: "number", minimum: 0, maximum: 1 }, "relative read / output noise (sigma)"),
    }),
    adc: group(["bits", "columnsPerAdc"], {
      bits: cited(int(1, 16), "ADC resolution in bits"),
      columnsPerAdc: cited(int(1, 4096), "columns sharing one ADC"),
    }),
    input: group(["encoding"], {
      encoding: { enum: ["spike", "bit-serial", "pwm", "amplitude"] },
      dacBits: cited(int(1, 16), "input DAC resolution in bits"),
    }),
    periphery: wordWidths([]),
    clockHz: cited(upTo(pos, MAX_CLOCK_HZ), "periphery clock in Hz"),
    mesh: group(["x", "y"], { x: cited(int(1, 1024), "tiles along x"), y: cited(int(1, 1024), "tiles along y") }),
    emulator: EMULATOR_SCHEMA,
    capabilities: CAPABILITIES,
  },
};

export const DIGITAL_SCHEMA: Schema = {
  $id: "https://glia.dev/schemas/digital.json",
  title: "glia digital neuron-core spec (FPGA or neuromorphic ASIC)",
  type: "object",
  required: ["name", "kind", "words"],
  additionalProperties: false,
  properties: {
    ...header,
    kind: { const: "digital" },
    platform: { enum: ["fpga", "asic"] },
    neuronCores: cited(int(1, MAX_CORES), "neuron cores (per chip)"),
    maxChips: cited(
      int(1, MAX_CHIPS),
      "chips a system of this part may join (default 1): their meshes extend each other's, a hop between chips crosses an inter-chip link (emulator energy/latency interChipHop)",
    ),
    neuronsPerCore: cited(int(1, MAX_NEURONS_PER_CORE), "neurons (compartments) per core"),
    coresPerTile: cited(int(1, 64), "neuron cores sharing one mesh tile (router); default 1"),
    axonsPerCore: cited(int(1, MAX_AXONS_PER_CORE), "input axons per core"),
    pipelineDepth: cited(int(1, 64), "stages of the neuron update pipeline"),
    clockHz: cited(upTo(pos, MAX_CLOCK_HZ), "clock in Hz"),
    asynchronous: { type: "boolean" },
    neuronMode: {
      enum: ["generic", "loihi"],
      description:
        "neuron datapath of the fixed target: generic Q-format updates, or Lava's bit-accurate LIF for groups that fit",
    },
    timestep: cited(upTo(pos, MAX_TIME_S), "hardware time step (tick) in seconds"),
    synapticMemoryBytesPerCore: cited(int(1, MAX_MEMORY_BYTES), "synaptic state memory per core in bytes"),
    bram: group(["sizeBits", "widthBits"], {
      sizeBits: cited(int(1, MAX_MEMORY_BYTES * 8), "bits per block RAM"),
      widthBits: cited(int(1, 144), "block RAM port width"),
    }),
    words: wordWidths(["state", "weight"]),
    energyPerSynapticEvent: cited(upTo(nonneg, MAX_ENERGY_J), "energy per synaptic event in joules"),
    mesh: group(["x", "y"], { x: cited(int(1, 1024), "tiles along x"), y: cited(int(1, 1024), "tiles along y") }),
    emulator: EMULATOR_SCHEMA,
    capabilities: CAPABILITIES,
  },
};
