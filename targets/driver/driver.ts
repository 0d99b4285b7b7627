// The driver of the back half: every command past the front end goes through here. In: a target name (looked
// up in registry.ts), the file, the options given, a SourceHost and a `report` callback; out: the RunResult
// (runTarget) or the emit target's text and files (emitTarget). The driver checks the options against the
// entry (TargetOptionError: a usage error), resolves --hw once (targets/hw/resolve.ts), compiles, hands the
// target the IR form it consumes (quantizing for `fixed`), and reports each stage's diagnostics.

import { resourceDiagnostics } from "../network/budget.js";
import { compile, type CompileOptions } from "../../compiler/pipeline.js";
import type { SourceHost } from "../../compiler/syntax/load.js";
import type { HardwareSpec } from "../hw/spec.js";
import { HW_USAGE, resolveHardwareSpec } from "../hw/resolve.js";
import { fixedSpecFor } from "../fixed/hw-option.js";
import { DEFAULT_FIXED_SPEC } from "../fixed/index.js";
import { quantize } from "../fixed/quantize.js";
import type { EmitOptions, EmitResult, RunOptions, Target } from "../target.js";
import {
  findTarget,
  OPTIONS,
  TargetOptionError,
  targetNames,
  TARGETS,
  type EmitEntry,
  type OptionName,
  type TargetEntry,
} from "./registry.js";
import { compileAndRun, type CompiledRun, type Report } from "./run.js";
import { emulateDescriptor, readDescriptorFile } from "./emulate.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import type { Descriptor } from "../descriptor/types.js";
import { specHash } from "../descriptor/spec-hash.js";
import { loadHardwareSpec } from "../hw/spec.js";

export { TargetOptionError };
export { lowerForHardware } from "./hardware.js";
export type { Report } from "./run.js";

type Given = Partial<Record<OptionName, string | number | boolean>>;
const flagOf = (o: OptionName): string => OPTIONS[o].usage.split(" ")[0]!;

/** Checks the options given (undefined = not given) against what `entry` declares. */
export function checkTargetOptions(entry: TargetEntry, given: Given): void {
  const label = `--target ${entry.name}`;
  for (const [name, value] of Object.entries(given) as [OptionName, string | number | boolean | undefined][]) {
    if (value === undefined) continue;
    const use = entry.options[name];
    if (!use) {
      const takers = targetsTaking(name, entry.kind === "run" ? "run" : (entry.command ?? "compile"));
      throw new TargetOptionError(
        `${flagOf(name)}: ${label} does not take it${takers.length ? ` (targets that do: ${takers.join(", ")})` : ""}`,
      );
    }
    if (use.choices && !use.choices.includes(String(value)))
      throw new TargetOptionError(`${label}: only ${flagOf(name)} ${use.choices.join(" | ")} is available`);
  }
  for (const [name, use] of Object.entries(entry.options) as [OptionName, { required?: boolean }][]) {
    if (use.required && given[name] === undefined)
      throw new TargetOptionError(`${label} needs ${name === "hw" ? `--hw ${HW_USAGE}` : OPTIONS[name].usage}`);
  }
}

/** The run target `name` (flag: how the command line spelled the choice, for the message). */
export async function loadRunTarget(name: string, flag = "--target"): Promise<Target> {
  const entry = findTarget("run", name);
  if (!entry)
    throw new TargetOptionError(`${flag}: unknown target '${name}' (targets: ${targetNames("run").join(", ")})`);
  return entry.load();
}

/** `glia run`: compile, run on target `name`. RunOptions.hw and .threads are checked against the entry. */
export async function runTarget(
  name: string,
  file: string,
  host: SourceHost,
  options: RunOptions,
  report: Report,
  compileOptions: CompileOptions = {},
): Promise<CompiledRun & { target: Target }> {
  const entry = findTarget("run", name);
  if (entry) checkTargetOptions(entry, { hw: options.hw, threads: options.threads });
  const target = await loadRunTarget(name);
  return { ...compileAndRun(file, host, target, options, report, compileOptions), target };
}

/** A second target on the same IR (`run --compare`), unchecked options: the first run's. */
export async function runAgain(
  name: string,
  ir: Parameters<Target["run"]>[0],
  options: RunOptions,
): Promise<ReturnType<Target["run"]>> {
  return (await loadRunTarget(name, "--compare")).run(ir, options);
}

/** The emit target `compile --target NAME` reaches, or the one `--emit STAGE` selects without --target. */
export function findEmitTarget(
  name: string | undefined,
  emitStage: string | undefined,
  command: "compile" | "emulate" | "export" = "compile",
): EmitEntry | undefined {
  if (name !== undefined) {
    const entry = findTarget("emit", name, command);
    if (!entry)
      throw new TargetOptionError(`--target: unknown target '${name}' (targets: ${targetNames(command).join(", ")})`);
    return entry;
  }
  return TARGETS.find(
    (e): e is EmitEntry => e.kind === "emit" && e.emitStage !== undefined && e.emitStage === emitStage,
  );
}

/** `--emit` stages that select an emit target (wat). */
export function emitStages(): string[] {
  return TARGETS.flatMap((e) => (e.kind === "emit" && e.emitStage !== undefined ? [e.emitStage] : []));
}

/** Names of the targets taking `option` from `command`, for usage messages. */
export function targetsTaking(option: OptionName, command: "run" | "compile" | "emulate" | "export"): string[] {
  const kind = command === "run" ? "run" : "emit";
  return [...new Set(targetNames(command).filter((n) => findTarget(kind, n, command)?.options[option]))];
}

/** Emit: check options, resolve --hw, compile, give the target its IR form. Undefined when a stage reported
 *  errors (through `report`); else the target's output, its diagnostics already reported. */
export async function emitTarget(
  entry: EmitEntry,
  options: EmitOptions,
  host: SourceHost,
  report: Report,
): Promise<EmitResult | undefined> {
  checkTargetOptions(entry, {
    hw: options.hw,
    out: options.out,
    emit: options.emit,
    duration: options.duration,
    json: options.json || undefined,
    check: options.check || undefined,
    allowApproximateCores: options.allowApproximateCores || undefined,
  });
  const spec = resolveSpec(options.hw, report);
  if (spec === null) return undefined;
  const opts: EmitOptions = { ...options, spec };
  const compiled = compile(options.file, host, { verify: options.verify });
  if (report(compiled.diagnostics, compiled.sources)) return undefined;
  const ir = entry.consumes === "continuous" ? compiled.built : compiled.ir;
  if (!ir) return undefined;
  // emitters size arrays from the IR too (layouts, descriptors, quantization): the run targets' check first
  if (compiled.ir && report(resourceDiagnostics(compiled.ir, { duration: options.duration }), compiled.sources))
    return undefined;
  let out: EmitResult;
  if (entry.consumes === "fixed")
    out = (await entry.load()).emit(quantize(ir, { spec: spec ? fixedSpecFor(spec) : DEFAULT_FIXED_SPEC }), opts);
  else out = (await entry.load()).emit(ir, opts);
  return report(out.diagnostics, compiled.sources) && out.stdout === undefined ? undefined : out;
}

/** `glia emulate DESC.json`: a descriptor written earlier, on the emulator entry's terms, on the spec it embeds
 *  (--hw may be left out; a --hw whose spec differs from the embedded one is E0805). */
export function emulateDescriptorFile(options: EmitOptions, host: SourceHost, report: Report): EmitResult | undefined {
  const entry = findTarget("emit", "emulator", "emulate")!;
  checkTargetOptions(
    { ...entry, options: { ...entry.options, hw: {} } },
    {
      hw: options.hw,
      out: options.out,
      duration: options.duration,
      json: options.json || undefined,
      check: options.check || undefined,
    },
  );
  const given = resolveSpec(options.hw, report);
  if (given === null) return undefined;
  const empty = new Map<string, string>();
  const read = readDescriptorFile(options.file, host, options.duration);
  if (report(read.diagnostics, empty) || !read.descriptor) return undefined;
  const spec = descriptorSpec(read.descriptor, given, options);
  if (report(spec.diagnostics, empty) || !spec.spec) return undefined;
  const out = emulateDescriptor(read.descriptor, { ...options, hw: options.hw ?? spec.spec.name, spec: spec.spec });
  return report(out.diagnostics, empty) && out.stdout === undefined ? undefined : out;
}

/** The spec a descriptor runs on: the one it embeds (checked against --hw when that is given too), else --hw. */
function descriptorSpec(
  d: Descriptor,
  given: HardwareSpec | undefined,
  options: EmitOptions,
): { spec?: HardwareSpec; diagnostics: Diagnostic[] } {
  const bad = (message: string, hint: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [{ code: "E0805", severity: "error", message, span: syntheticSpan(options.file), related: [], hint }],
  });
  if (!d.spec) {
    if (given) return { spec: given, diagnostics: [] };
    return bad(
      `${options.file} embeds no hardware spec (written before descriptors carried theirs): give --hw`,
      `regenerate it with \`glia compile FILE --target crossbar|fpga --hw ${d.preset} -o FILE\`, or pass --hw ${d.preset}`,
    );
  }
  const embedded = loadHardwareSpec(JSON.stringify(d.spec), `${options.file}#/spec`);
  if (!embedded.spec) return { diagnostics: embedded.diagnostics };
  if (given && specHash(given) !== d.specHash)
    return bad(
      `${options.file} was mapped onto ${d.spec.name} (spec hash ${d.specHash!.slice(0, 12)}) but --hw ${options.hw} is a different spec (${given.name}, hash ${specHash(given).slice(0, 12)})`,
      `leave --hw out to run on the embedded spec, or map the model onto ${given.name} again`,
    );
  return { spec: embedded.spec, diagnostics: [] };
}

/** The spec of --hw (undefined when not given), or null when it does not resolve (reported). */
function resolveSpec(hw: string | undefined, report: Report): HardwareSpec | undefined | null {
  if (hw === undefined) return undefined;
  const r = resolveHardwareSpec(hw);
  if (report(r.diagnostics, new Map()) || !r.spec) return null;
  return r.spec;
}
