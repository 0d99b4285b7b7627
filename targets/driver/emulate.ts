// The emulator as an emit target (`glia emulate FILE --hw SPEC`): map the discrete IR onto the spec
// (lowerForHardware), or take a descriptor read from a .json file, then run the cycle-accurate emulator.
// In: the IR or a descriptor, the spec, options (--duration, --json, --out DIR, --check); out: the summary
// (text or one JSON object), summary.json and report.html in DIR; --check: the first spike that differs from
// the fixed-point executor on the same descriptor is a failure. A run past the step, element or memory limits is
// E0807 before anything is built.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan, type Span } from "../../compiler/diagnostics/span.js";
import { networkSpan } from "../../compiler/ir/spans.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { SourceHost } from "../../compiler/syntax/load.js";
import type { Descriptor } from "../descriptor/types.js";
import { validateDescriptor } from "../descriptor/validate.js";
import type { HardwareSpec } from "../hw/spec.js";
import { runDescriptor } from "../emulator/oracle.js";
import {
  costModel,
  emulate,
  emulationReportHtml,
  emulationSummary,
  EmulatorError,
  firstSpikeDifference,
  type EmulationResult,
} from "../emulator/index.js";
import type { EmitOptions, EmitResult, Emitter } from "../target.js";
import { lowerForHardware } from "./hardware.js";
import { memoryBudget, resourceDiagnostics } from "../network/budget.js";
import { descriptorResources } from "../descriptor/resources.js";
import { MAX_STEPS } from "../network/resources.js";

/** E0801 at `at` (the network declaration when FILE is a model), else at the file itself (a descriptor). */
const diag = (file: string, message: string, hint?: string, at?: Span): Diagnostic => ({
  code: "E0801",
  severity: "error",
  message,
  span: at ?? syntheticSpan(file),
  related: [],
  hint,
});

export const emulatorEmitter: Emitter<IRProgram> = {
  name: "emulator",
  emit(ir, options) {
    const tooBig = resourceDiagnostics(ir, { duration: options.duration });
    if (tooBig.length > 0) return { diagnostics: tooBig };
    const m = lowerForHardware(ir, options.spec!, options.allowApproximateCores === true);
    if (!m.descriptor) return { diagnostics: m.diagnostics };
    const r = emulateDescriptor(m.descriptor, options, networkSpan(ir));
    return { ...r, diagnostics: [...m.diagnostics, ...r.diagnostics] };
  },
};

/** A descriptor .json file (as `glia compile --target crossbar|fpga -o FILE` writes) read and validated: every
 *  problem is E0805 naming its JSON path, and a run (of `duration` s, else the descriptor's steps) past the
 *  resource limits is E0807 (its path too), before the emulator or the descriptor runner sizes anything. */
export function readDescriptorFile(
  file: string,
  host: SourceHost,
  duration?: number,
): { descriptor?: Descriptor; diagnostics: Diagnostic[] } {
  const text = host.readFile(file);
  if (text === undefined)
    return {
      diagnostics: [
        diag(
          file,
          `cannot read ${file}`,
          "give a .glia model or a descriptor written by `glia compile --target crossbar|fpga -o FILE`",
        ),
      ],
    };
  const v = validateDescriptor(text);
  if (!v.ok)
    return {
      diagnostics: v.errors.map((e) => ({
        ...diag(file, `${file}: ${e}`, "a descriptor as written by `glia compile --target crossbar|fpga -o FILE`"),
        code: "E0805",
      })),
    };
  const tooBig = descriptorResources(v.descriptor, { duration }, memoryBudget(), file);
  if (tooBig.length > 0) return { diagnostics: tooBig };
  return { descriptor: v.descriptor, diagnostics: [] };
}

/** Emulate a descriptor on `options.spec`; `source` is the network declaration when it came from a model. */
export function emulateDescriptor(descriptor: Descriptor, options: EmitOptions, source?: Span): EmitResult {
  const spec = options.spec!,
    file = options.file;
  if (descriptor.kind !== spec.kind)
    return {
      diagnostics: [
        diag(
          file,
          `${file} is a ${descriptor.kind} descriptor but --hw ${options.hw} is a ${spec.kind} spec`,
          `give --hw the spec the descriptor was compiled for (${descriptor.preset})`,
        ),
      ],
    };
  const steps = options.duration !== undefined ? Math.round(options.duration / descriptor.dt) : descriptor.steps;
  if (!(steps <= MAX_STEPS))
    return {
      diagnostics: [
        {
          code: "E0807",
          severity: "error",
          message: `--duration ${options.duration} s is ${steps} steps of dt = ${descriptor.dt} s, more than the limit of ${MAX_STEPS} steps`,
          span: syntheticSpan("--duration"),
          related: [],
          hint: "shorten the run",
        },
      ],
    };
  let result: EmulationResult;
  try {
    result = emulate(descriptor, costModel(spec), { steps, onProgress: options.onProgress });
  } catch (err) {
    if (!(err instanceof EmulatorError)) throw err;
    return {
      diagnostics: [
        diag(
          file,
          `emulator: ${err.message}`,
          "`glia run --target fixed --hw PRESET` runs the same network without the cycle model",
          source,
        ),
      ],
    };
  }
  let bitExact: boolean | null = null;
  const diagnostics: Diagnostic[] = [];
  if (options.check) {
    const ran = runDescriptor(descriptor, { duration: steps * descriptor.dt }, source);
    diagnostics.push(...ran.diagnostics);
    if (!ran.result || ran.diagnostics.some((d) => d.severity === "error")) return { diagnostics };
    const first = firstSpikeDifference(result.spikes, ran.result.spikes);
    bitExact = first === null;
    if (first)
      return {
        failure: `emulate --check: spikes differ from the fixed-point executor first at step ${first.step}, ${first.population}[${first.neuron}] (spike only in the ${first.onlyIn} run)`,
        diagnostics,
      };
  }
  const sizes = Object.fromEntries(descriptor.neurons.map((n) => [n.population, n.size]));
  const summary = emulationSummary(result, bitExact);
  const files = options.out
    ? [
        { path: `${options.out}/summary.json`, content: JSON.stringify(summary, null, 2) + "\n" },
        { path: `${options.out}/report.html`, content: emulationReportHtml(result, sizes, bitExact) },
      ]
    : [];
  const stdout = options.json
    ? JSON.stringify(summary, null, 2) + "\n"
    : summaryText(file, spec, result, summary.cycles_per_step_mean, bitExact, options.out);
  return { stdout, files, diagnostics };
}

function summaryText(
  file: string,
  spec: HardwareSpec,
  result: EmulationResult,
  cyclesPerStep: number,
  bitExact: boolean | null,
  out: string | undefined,
): string {
  let s = `${file}: ${result.steps} steps on ${spec.name} (${result.kind})\n`;
  s += `  cycles ${result.cycles} (${cyclesPerStep.toFixed(1)} per step), latency ${result.latency_s.toExponential(3)} s, real-time factor ${result.real_time_factor.toExponential(3)}\n`;
  s += `  energy ${result.energy_j.toExponential(3)} J, power ${result.power_w.toExponential(3)} W, ${result.energy_per_synaptic_event_j.toExponential(3)} J per synaptic event\n`;
  for (const [k, v] of Object.entries(result.energy_breakdown_j))
    if (v) s += `    ${k.padEnd(10)} ${v.toExponential(3)} J\n`;
  s += `  spikes ${result.spikes_total}, synaptic events ${result.synaptic_events}, neuron updates ${result.neuron_updates}${result.astrocyte_updates + result.astrocyte_events ? `, astrocyte updates ${result.astrocyte_updates}, astrocyte-stage ops ${result.astrocyte_events}` : ""}${result.kind === "crossbar" ? `, ADC clips ${result.adc_clips}` : ""}${result.broadcast_packets ? `, modulator broadcasts ${result.broadcast_packets} packets (${result.broadcast_cycles_per_step} cycles per step)` : ""}${bitExact === null ? "" : `, bit exact vs fixed: ${bitExact}`}\n`;
  s += `  packets ${result.packets}, hops ${result.hops} (${result.mean_hops_per_packet.toFixed(3)} per packet) on ${result.placement.length} tile(s): ${result.placement.map((t) => `${t.tile}@(${t.x},${t.y})`).join(" ")}\n`;
  if (result.uncharged.length) s += `  no cited cost (charged 0): ${result.uncharged.join(", ")}\n`;
  if (out) s += `  wrote ${out}/summary.json, report.html\n`;
  return s;
}
