// Loading hardware specs: JSON text to a validated crossbar or digital-core spec. In: JSON text and its file
// name; out: the spec, or E0803 diagnostics that name the JSON path and what was expected..

import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import { CROSSBAR_SCHEMA, DIGITAL_SCHEMA } from "./schemas.js";
import { loadStandalone, schemaHash } from "./standalone.js";
import type { CoreCapabilities } from "./capabilities.js";

/** A number with where it comes from. */
export interface Cited {
  value: number;
  source: string;
  table: string;
  note?: string;
}

export interface WordWidths {
  state?: Cited;
  weight?: Cited;
  decay?: Cited;
  input?: Cited;
  accumulator?: Cited;
  /** Per-synapse delay field (digital cores): delays of 0 .. 2^bits - 1 steps; absent: not limited. */
  delay?: Cited;
}

export interface CrossbarSpec {
  name: string;
  description?: string;
  kind: "crossbar";
  tile: { rows: Cited; cols: Cited };
  cell: { bitsPerCell: Cited; conductanceLevels?: Cited };
  device: {
    gOn: Cited;
    gOff: Cited;
    readVoltage?: Cited;
    readPulse?: Cited;
    deviceToDeviceSigma?: Cited;
    readNoiseSigma?: Cited;
  };
  adc: { bits: Cited; columnsPerAdc: Cited };
  input: { encoding: "spike" | "bit-serial" | "pwm" | "amplitude"; dacBits?: Cited };
  periphery?: WordWidths;
  clockHz?: Cited;
  mesh?: { x: Cited; y: Cited };
  emulator?: EmulatorCosts;
  /** Neuron and synapse dynamics the cores implement natively (capabilities.ts); absent: not checked. */
  capabilities?: CoreCapabilities;
}

export interface DigitalSpec {
  name: string;
  description?: string;
  kind: "digital";
  platform?: "fpga" | "asic";
  /** Neuron cores per chip. */
  neuronCores?: Cited;
  /** Chips a multi-chip system of this part may join (default 1): meshes extended chip to chip, a hop across a
   *  chip boundary charged the emulator's interChipHop energy and latency on top of the on-chip hop. */
  maxChips?: Cited;
  neuronsPerCore?: Cited;
  /** Cores sharing one mesh tile (router); default 1. */
  coresPerTile?: Cited;
  axonsPerCore?: Cited;
  pipelineDepth?: Cited;
  clockHz?: Cited;
  asynchronous?: boolean;
  /** Neuron datapath of the fixed target (default generic): "loihi" steps current-based LIF groups with Lava's bit-accurate LIF. */
  neuronMode?: "generic" | "loihi";
  timestep?: Cited;
  synapticMemoryBytesPerCore?: Cited;
  bram?: { sizeBits: Cited; widthBits: Cited };
  words: WordWidths & { state: Cited; weight: Cited };
  energyPerSynapticEvent?: Cited;
  mesh?: { x: Cited; y: Cited };
  emulator?: EmulatorCosts;
  /** Neuron and synapse dynamics the cores implement natively (capabilities.ts); absent: not checked. */
  capabilities?: CoreCapabilities;
}

/** Costs the cycle-accurate emulator charges (targets/hw/schemas.ts EMULATOR_SCHEMA). */
export interface EmulatorCosts {
  timeQuantumHz?: Cited;
  energy?: Partial<
    Record<
      | "synapticOp"
      | "synapticOpDense"
      | "neuronActive"
      | "neuronInactive"
      | "neuronSpike"
      | "learningUpdate"
      | "astrocyteUpdate"
      | "spikeLocal"
      | "hopX"
      | "hopY"
      | "interChipHop"
      | "cellRead"
      | "rowRead"
      | "adcConversion"
      | "dacConversion"
      | "staticPower",
      Cited
    >
  >;
  latency?: Partial<
    Record<
      | "synapticOp"
      | "synapticOpDense"
      | "neuronActive"
      | "neuronInactive"
      | "neuronSpike"
      | "learningUpdate"
      | "spikeLocal"
      | "messageOut"
      | "messageIn"
      | "hopX"
      | "hopY"
      | "interChipHop"
      | "crossbarRead"
      | "adcConversion",
      Cited
    >
  >;
  barrier?: (Cited & { tiles: number })[];
}

export type HardwareSpec = CrossbarSpec | DigitalSpec;

// ajv is CommonJS: its default export arrives as the module object under NodeNext
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ??
  AjvModule) as unknown as typeof AjvModule.default;
type SpecKind = "crossbar" | "digital";
const SCHEMAS: Record<SpecKind, { $id: string }> = {
  crossbar: CROSSBAR_SCHEMA as { $id: string },
  digital: DIGITAL_SCHEMA as { $id: string },
};
/** Each kind's schema id (the key its validator has in specAjv and in the generated file). */
export const SPEC_SCHEMA_IDS: Record<SpecKind, string> = {
  crossbar: SCHEMAS.crossbar.$id,
  digital: SCHEMAS.digital.$id,
};
/** ajv's options for the spec schemas (ajv's code optimiser is off: it shortens the generated code, not what it
 *  accepts). */
const SPEC_AJV_OPTIONS = { allErrors: true, strict: true, code: { optimize: false } } as const;
/** The file the build writes the spec validators to, next to this module's compiled file (standalone.ts). */
export const SPEC_VALIDATORS_FILE = "spec-validators.cjs";
export const SPEC_SCHEMA_HASH = schemaHash(SCHEMAS, SPEC_AJV_OPTIONS);
const validators: Partial<Record<SpecKind, ValidateFunction>> = {};
let ajv: InstanceType<typeof Ajv> | null = null;
let generatedTried = false;

/** An ajv instance holding the spec schemas under their kinds; `source` keeps the code for standalone output. */
export function specAjv(source = false): InstanceType<typeof Ajv> {
  return new Ajv({
    ...SPEC_AJV_OPTIONS,
    code: { ...SPEC_AJV_OPTIONS.code, source },
    schemas: Object.values(SCHEMAS),
  });
}

/** The kind's validator: the build's generated one when it is there and current, else compiled once per process
 *  and only when a spec of that kind is loaded (compiling costs 0.1-0.5 s each). `compiled`: always compile. */
export function specValidator(kind: SpecKind, compiled = false): ValidateFunction {
  if (compiled) return specAjv().getSchema(SPEC_SCHEMA_IDS[kind])!;
  if (!generatedTried) {
    generatedTried = true;
    Object.assign(
      validators,
      loadStandalone(import.meta.url, SPEC_VALIDATORS_FILE, SPEC_SCHEMA_HASH, ["crossbar", "digital"]) ?? {},
    );
  }
  let v = validators[kind];
  if (!v) {
    ajv ??= specAjv();
    v = validators[kind] = ajv.getSchema(SPEC_SCHEMA_IDS[kind])!;
  }
  return v;
}

/** One ajv error as "path: what was expected". */
export function describeError(e: ErrorObject): string {
  const path = e.instancePath === "" ? "(top level)" : e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `${path}: missing field "${String(p.missingProperty)}"`;
    case "additionalProperties":
      return `${path}: unknown field "${String(p.additionalProperty)}"`;
    case "type":
      return `${path}: expected ${String(p.type)}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `${path}: expected a value ${String(p.comparison)} ${String(p.limit)}`;
    case "enum":
      return `${path}: expected one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(", ")}`;
    case "const":
      return `${path}: expected ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${path}: ${e.message ?? e.keyword}`;
  }
}

export function loadHardwareSpec(text: string, file = "<spec>"): { spec?: HardwareSpec; diagnostics: Diagnostic[] } {
  const diag = (message: string, hint?: string): Diagnostic => ({
    code: "E0803",
    severity: "error",
    message: `${file}: ${message}`,
    span: syntheticSpan(file),
    related: [],
    hint,
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { diagnostics: [diag(`not valid JSON (${(err as Error).message})`)] };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return { diagnostics: [diag("(top level): expected an object")] };
  const kind = (data as { kind?: unknown }).kind;
  if (kind !== "crossbar" && kind !== "digital")
    return { diagnostics: [diag(`/kind: expected "crossbar" or "digital"`, "every spec names its kind")] };
  const validate = specValidator(kind);
  if (!validate(data)) {
    // the most specific errors first; duplicates (same text) once
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const e of validate.errors ?? []) {
      const m = describeError(e);
      if (seen.has(m)) continue;
      seen.add(m);
      out.push(diag(m, "every number is an object { value, source, table } citing where it comes from"));
    }
    return { diagnostics: out };
  }
  const spec = data as HardwareSpec;
  if (spec.kind === "crossbar" && !(spec.device.gOn.value > spec.device.gOff.value)) {
    return {
      diagnostics: [diag("/device/gOn: expected a value > /device/gOff/value (on conductance above off conductance)")],
    };
  }
  if (
    spec.kind === "crossbar" &&
    spec.cell.conductanceLevels &&
    spec.cell.conductanceLevels.value < 2 ** spec.cell.bitsPerCell.value
  ) {
    return {
      diagnostics: [
        diag(`/cell/conductanceLevels: expected at least 2^bitsPerCell = ${2 ** spec.cell.bitsPerCell.value}`),
      ],
    };
  }
  const widths = wordWidthProblems(spec);
  if (widths.length) return { diagnostics: widths.map((m) => diag(m)) };
  return { spec, diagnostics: [] };
}

/** Word widths that no datapath can use: state, weight and decay words of fewer than 2 bits (a signed word needs
 *  a sign and a magnitude bit; the fixed target would silently widen them), an accumulator narrower than the
 *  state or weight words it sums. */
function wordWidthProblems(spec: HardwareSpec): string[] {
  const w = spec.kind === "digital" ? spec.words : spec.periphery;
  const base = spec.kind === "digital" ? "/words" : "/periphery";
  if (!w) return [];
  const out: string[] = [];
  for (const k of ["state", "weight", "decay", "input"] as const) {
    const v = w[k]?.value;
    if (v !== undefined && v < 2)
      out.push(`${base}/${k}/value: expected a value >= 2 (a ${v}-bit word holds no signed number)`);
  }
  const acc = w.accumulator?.value;
  for (const k of ["state", "weight"] as const) {
    const v = w[k]?.value;
    if (acc !== undefined && v !== undefined && acc < v)
      out.push(`${base}/accumulator/value: ${acc} bits, narrower than the ${v}-bit ${k} words it accumulates`);
  }
  return out;
}
