// The target registry: every back end glia can run or emit, one line each. In: a kind and a name; out: the
// entry: its name, kind (`run`: simulate and return a RunResult; `emit`: print text / write files), the IR it
// consumes (continuous, discrete, or fixed = quantized for the --hw spec's widths), the options it takes, the
// command that reaches it, and how it is loaded (a lazy import: `glia check` loads none, and only the wasm
// targets load binaryen). Adding a target: a folder exporting a Target or an Emitter (targets/target.ts) and
// one line in TARGETS; tests and embedders add theirs with registerTarget. Light to import (types and
// names only): the CLI reads it to declare its options.

import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { QuantizeResult } from "../fixed/quantize.js";
import type { Emitter, Target } from "../target.js";

/** The IR a target consumes: as built (before any pass), after every pass, or quantized to fixed point. */
export type IRForm = "continuous" | "discrete" | "fixed";

/** Options a target may take, with how each is written and what it means; a target's entry says which it
 *  takes (required or not, a default, the values allowed). The command line declares each option once. */
export const OPTIONS = {
  hw: { usage: "--hw PRESET|spec.json", type: "hardware preset or spec .json (targets/hw/resolve.ts)" },
  threads: { usage: "--threads N", type: "positive integer" },
  out: { usage: "-o FILE", type: "output path" },
  emit: { usage: "--emit STAGE", type: "one of the target's stages" },
  duration: { usage: "--duration TIME", type: "biological time" },
  json: { usage: "--json", type: "flag" },
  check: { usage: "--check", type: "flag" },
  allowApproximateCores: { usage: "--allow-approximate-cores", type: "flag" },
} as const;
export type OptionName = keyof typeof OPTIONS;

export interface OptionUse {
  required?: boolean;
  /** Shown in help; what the target does without the option. */
  default?: string;
  /** The values allowed (else any value of the option's type). */
  choices?: readonly string[];
}

interface EntryBase {
  name: string;
  about: string;
  options: Partial<Record<OptionName, OptionUse>>;
}
export interface RunEntry extends EntryBase {
  kind: "run";
  consumes: "discrete";
  load(): Promise<Target>;
}
export type EmitEntry = EntryBase & {
  kind: "emit";
  /** The command reaching it: `compile --target NAME` (default), or a command of its own (`glia emulate`,
   *  `glia export --to NAME`). */
  command?: "compile" | "emulate" | "export";
  /** `compile --emit STAGE` with no --target selects this target. */
  emitStage?: string;
} & (
    | { consumes: "continuous" | "discrete"; load(): Promise<Emitter<IRProgram>> }
    | { consumes: "fixed"; load(): Promise<Emitter<QuantizeResult>> }
  );
export type TargetEntry = RunEntry | EmitEntry;

const hwRequired = { hw: { required: true } } as const;

export const TARGETS: TargetEntry[] = [
  {
    name: "wasm",
    kind: "run",
    consumes: "discrete",
    options: { threads: { default: "all cores from 16k neurons, else 1" } },
    about: "f32x4 SIMD kernels: the everyday target",
    load: async () => (await import("../wasm/index.js")).wasmTarget,
  },
  {
    name: "wasm-f64",
    kind: "run",
    consumes: "discrete",
    options: { threads: { default: "all cores from 16k neurons, else 1" } },
    about: "the wasm lowering in float64 (agrees with the reference)",
    load: async () => (await import("../wasm/index.js")).wasmF64Target,
  },
  {
    name: "reference",
    kind: "run",
    consumes: "discrete",
    options: {},
    about: "float64 interpreter: the ground truth",
    load: async () => (await import("../reference/index.js")).referenceTarget,
  },
  {
    name: "fixed",
    kind: "run",
    consumes: "discrete",
    options: { hw: { default: "default-16" } },
    about: "bit-exact integer datapath (--hw sets the widths)",
    load: async () => (await import("../fixed/index.js")).fixedTarget,
  },
  {
    name: "fixed",
    kind: "emit",
    consumes: "fixed",
    options: { hw: { default: "default-16" }, emit: { default: "ir", choices: ["ir"] } },
    about: "the fixed-point IR and the quantization report",
    load: async () => (await import("../fixed/emit-ir.js")).fixedIrEmitter,
  },
  {
    name: "wat",
    kind: "emit",
    consumes: "discrete",
    emitStage: "wat",
    options: {},
    about: "the wasm kernel module as WebAssembly text",
    load: async () => (await import("../wasm/emit-wat.js")).watEmitter,
  },
  {
    name: "crossbar",
    kind: "emit",
    consumes: "discrete",
    options: { ...hwRequired, out: { required: true }, allowApproximateCores: {} },
    about: "map onto a crossbar spec: the descriptor JSON",
    load: async () => (await import("./hardware.js")).crossbarEmitter,
  },
  {
    name: "fpga",
    kind: "emit",
    consumes: "discrete",
    options: { ...hwRequired, out: { required: true }, allowApproximateCores: {} },
    about: "map onto a digital spec (fpga-ultrascale, loihi, truenorth): the descriptor JSON",
    load: async () => (await import("./hardware.js")).fpgaEmitter,
  },
  {
    name: "emulator",
    kind: "emit",
    consumes: "discrete",
    command: "emulate",
    options: { ...hwRequired, duration: {}, json: {}, out: {}, check: {}, allowApproximateCores: {} },
    about: "cycles, latency and energy on the spec (the cycle-accurate emulator)",
    load: async () => (await import("./emulate.js")).emulatorEmitter,
  },
  {
    name: "nir",
    kind: "emit",
    consumes: "continuous",
    command: "export",
    options: { out: { required: true } },
    about: "a NIR file (HDF5): LIF/CubaLIF/IF/LI populations, static weights as Linear, delays as Delay",
    load: async () => (await import("../nir/export.js")).loadNirExporter(),
  },
  {
    name: "brian2",
    kind: "emit",
    consumes: "continuous",
    command: "export",
    options: { out: { required: true } },
    about: "a Brian2 script (run.py) and glia's network as CSV files, in the directory -o names",
    load: async () => (await import("../export/brian2/index.js")).brian2Exporter,
  },
  {
    name: "nest",
    kind: "emit",
    consumes: "continuous",
    command: "export",
    options: { out: { required: true } },
    about: "a PyNEST script (NEST built-ins matched by their equations) and glia's network as CSV files",
    load: async () => (await import("../export/nest/index.js")).nestExporter,
  },
  {
    name: "sanafe",
    kind: "emit",
    consumes: "discrete",
    command: "export",
    options: { out: { required: true }, hw: { default: "loihi" }, duration: {} },
    about: "a SANA-FE network + mapping (glia's placement) and the --hw preset as a SANA-FE architecture",
    load: async () => (await import("../export/sanafe/index.js")).sanafeExporter,
  },
];

/** A command line the registry refuses (unknown target, an option the target does not take, a missing one);
 *  the CLI reports it as a usage error. */
export class TargetOptionError extends Error {}

/** The default of `glia run --target`. */
export const DEFAULT_RUN_TARGET = "wasm";

/** Adds a target (tests, embedders); a second entry of the same kind, command and name is refused. */
export function registerTarget(entry: TargetEntry): void {
  if (findTarget(entry.kind, entry.name, commandOf(entry)))
    throw new Error(`target ${entry.kind} ${entry.name} is registered already`);
  TARGETS.push(entry);
}

export type Command = "run" | "compile" | "emulate" | "export";

function commandOf(e: TargetEntry): Command {
  return e.kind === "run" ? "run" : (e.command ?? "compile");
}

/** The entry `command --target name` reaches (`run`: run targets; `compile`, `emulate`: emit targets). */
export function findTarget(kind: "run", name: string, command?: "run"): RunEntry | undefined;
export function findTarget(
  kind: "emit",
  name: string,
  command?: "compile" | "emulate" | "export",
): EmitEntry | undefined;
export function findTarget(kind: "run" | "emit", name: string, command?: string): TargetEntry | undefined;
export function findTarget(
  kind: "run" | "emit",
  name: string,
  command: string = kind === "run" ? "run" : "compile",
): TargetEntry | undefined {
  return TARGETS.find((e) => e.kind === kind && e.name === name && commandOf(e) === command);
}

/** Names reachable from a command, in registry order. */
export function targetNames(command: Command): string[] {
  return TARGETS.filter((e) => commandOf(e) === command).map((e) => e.name);
}
