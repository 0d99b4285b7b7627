// The emulator as an emit target (`glia emulate FILE --hw SPEC`): map the discrete IR onto the spec
// (lowerForHardware), or take a descriptor read from a .json file, then run the cycle-accurate emulator.
// In: the IR or a descriptor, the spec, options (--duration, --json, --out DIR, --check); out: the summary
// (text or one JSON object: per-population spikes and rates, what the energy charges), summary.json, spikes.csv,
// traces.csv (the state monitors, as `glia run --out` writes them) and report.html in DIR, and the run as a
// RunResult (with the descriptor's words) for --compare; --check: the first spike that differs from
// the fixed-point executor on the same descriptor is a failure. A run past the step, element or memory limits is
// E0807 before anything is built. The emulator's run-time guard: the first overflow of a fixed-point format is
// E0811 naming variable, owner, element and step (EmitOptions.numericGuard: "warn" a warning, false nothing).

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
  utilizationText,
  type EmulationResult,
} from "../emulator/index.js";
import type { EmitOptions, EmitResult, Emitter, FixedPointInfo, RunResult } from "../target.js";
import { formatName, ulp } from "../fixed/qformat.js";
import { decayShifts } from "../fixed/decay-consistent.js";
import { spikesCsv, tracesCsv } from "../report/csv.js";
import { unitsOf } from "../report/units.js";
import { irFromJson } from "../../compiler/ir/json.js";
import { lowerForHardware } from "./hardware.js";
import { memoryBudget, resourceDiagnostics } from "../network/budget.js";
import { descriptorResources } from "../descriptor/resources.js";
import { MAX_STEPS } from "../network/resources.js";
import { overflowDiagnostic } from "../fixed/guard.js";

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
    const m = lowerForHardware(ir, options.spec!, {
      neuronsPerCore: options.neuronsPerCore,
      allowApproximateCores: options.allowApproximateCores === true,
    });
    if (!m.descriptor) return { diagnostics: m.diagnostics };
    const r = emulateDescriptor(m.descriptor, options, networkSpan(ir), ir);
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

/** Emulate a descriptor on `options.spec`; `source` is the network declaration and `program` the IR (with its
 *  spans) when it came from a model. */
export function emulateDescriptor(
  descriptor: Descriptor,
  options: EmitOptions,
  source?: Span,
  program?: IRProgram,
): EmitResult {
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
  if (options.duration !== undefined && steps < 1)
    return {
      diagnostics: [
        {
          code: "E0516",
          severity: "error",
          message: `--duration ${options.duration} s is shorter than one step of dt = ${descriptor.dt} s, so nothing would be emulated`,
          span: source ?? syntheticSpan("--duration"),
          related: [],
          hint: "give a duration of at least one dt",
        },
      ],
    };
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
    result = emulate(descriptor, costModel(spec), {
      steps,
      onProgress: options.onProgress,
      numericGuard: options.numericGuard,
    });
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
  // the emulator's own guard: the first overflow of a fixed-point format (E0811; a warning with "warn")
  // (at the population or connect of a model, else at the descriptor file, whose embedded IR has no spans)
  if (result.firstOverflow && options.numericGuard !== false) {
    const ir = program ?? irFromJson(JSON.stringify(descriptor.ir));
    const named = "ok" in ir ? (ir.ok ? ir.program : undefined) : ir;
    const warn = options.numericGuard === "warn";
    const at = program ? undefined : syntheticSpan(file);
    if (named) diagnostics.push(overflowDiagnostic(named, result.firstOverflow, "emulator", warn, at));
    if (named && !warn) return { diagnostics };
  }
  if (options.check) {
    const ran = runDescriptor(
      descriptor,
      { duration: steps * descriptor.dt, numericGuard: options.numericGuard },
      source,
    );
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
  for (const s of (descriptor.ir.program as { sources?: { name: string; size: number }[] }).sources ?? [])
    sizes[s.name] = s.size;
  const summary = emulationSummary(result, bitExact, sizes);
  const run = emulatedRun(descriptor, result, summary.populations);
  const files = options.out
    ? [
        { path: `${options.out}/summary.json`, content: JSON.stringify(summary, null, 2) + "\n" },
        { path: `${options.out}/spikes.csv`, content: spikesCsv(run) },
        ...(run.traces.length
          ? [{ path: `${options.out}/traces.csv`, content: tracesCsv(run, unitsOf(descriptorIr(descriptor))) }]
          : []),
        { path: `${options.out}/report.html`, content: emulationReportHtml(result, sizes, bitExact) },
      ]
    : [];
  const stdout = options.json
    ? JSON.stringify(summary, null, 2) + "\n"
    : summaryText(file, spec, result, summary, bitExact, options.out);
  return { stdout, files, diagnostics, run };
}

/** The emulator's spikes and state traces as a RunResult, for the CSV writers and the fidelity report. */
export function emulatedRun(d: Descriptor, result: EmulationResult, populations: RunResult["populations"]): RunResult {
  return {
    fixedPoint: descriptorPointInfo(d, result),
    target: `emulator (${result.preset})`,
    dt: result.dt,
    steps: result.steps,
    seed: 0,
    populations,
    spikes: result.spikes,
    traces: result.traces,
    rates: [],
    spikesTotal: result.spikes_total,
    synapses: 0,
    synapticEvents: result.synaptic_events,
    simWallS: result.wallS,
    setupWallS: 0,
  };
}

function summaryText(
  file: string,
  spec: HardwareSpec,
  result: EmulationResult,
  summary: ReturnType<typeof emulationSummary>,
  bitExact: boolean | null,
  out: string | undefined,
): string {
  let s = `${file}: ${result.steps} steps on ${spec.name} (${result.kind})\n`;
  for (const [name, p] of Object.entries(summary.populations))
    s += `  ${name.padEnd(12)} n=${String(p.n).padStart(6)}  spikes=${String(p.spikes).padStart(8)}  rate=${p.rate_hz.toFixed(2)} Hz\n`;
  s += `  cycles ${result.cycles} (${summary.cycles_per_step_mean.toFixed(1)} per step), latency ${result.latency_s.toExponential(3)} s, real-time factor ${result.real_time_factor.toExponential(3)}\n`;
  const charged = summary.energy_charged;
  const energyCosts = result.uncharged.filter((u) => u.startsWith("energy."));
  const what = energyCosts.length
    ? ` (charged: ${charged.join(", ") || "nothing"} only; ${result.uncharged.length} costs uncharged, listed below)`
    : "";
  s += `  energy ${result.energy_j.toExponential(3)} J${what}, ${result.energy_per_bio_second_j.toExponential(3)} J per biological second, power ${result.power_w.toExponential(3)} W, ${result.energy_per_synaptic_event_j.toExponential(3)} J per synaptic event\n`;
  for (const [k, v] of Object.entries(result.energy_breakdown_j))
    if (v) s += `    ${k.padEnd(10)} ${v.toExponential(3)} J\n`;
  s += `  spikes ${result.spikes_total}, synaptic events ${result.synaptic_events}, neuron updates ${result.neuron_updates}${result.astrocyte_updates + result.astrocyte_events ? `, astrocyte updates ${result.astrocyte_updates}, astrocyte-stage ops ${result.astrocyte_events}` : ""}${result.kind === "crossbar" ? `, ADC clips ${result.adc_clips}` : ""}${result.broadcast_packets ? `, modulator broadcasts ${result.broadcast_packets} packets (${result.broadcast_cycles_per_step} cycles per step)` : ""}${bitExact === null ? "" : `, bit exact vs fixed: ${bitExact}`}\n`;
  s += `  packets ${result.packets}, hops ${result.hops} (${result.mean_hops_per_packet.toFixed(3)} per packet) on ${result.placement.length} tile(s): ${result.placement.map((t) => `${t.tile}@(${t.x},${t.y})`).join(" ")}\n`;
  if (result.chips > 1)
    s += `  ${result.chips} chips, ${result.core_utilization.length} cores; ${result.chip_hops} hops over inter-chip links\n`;
  if (result.host_packets)
    s += `  input spikes injected by the host: ${result.host_packets} packets (one message each at its destination core, no mesh hops)\n`;
  s += utilizationText(result.core_utilization);
  if (result.uncharged.length) s += `  no cited cost (charged 0): ${result.uncharged.join(", ")}\n`;
  for (const u of result.untraced) s += `  not recorded: ${u}\n`;
  if (out) s += `  wrote ${out}/summary.json, spikes.csv, ${result.traces.length ? "traces.csv, " : ""}report.html\n`;
  return s;
}

/** The discrete IR a descriptor embeds (validated descriptors hold a well-formed one). */
function descriptorIr(d: Descriptor): IRProgram {
  const parsed = irFromJson(JSON.stringify(d.ir));
  if (!parsed.ok) throw new Error(`descriptor: embedded IR: ${parsed.error}`); // emulate() parsed it already
  return parsed.program;
}

/** The emulator's words for the fidelity report: the descriptor's formats, the datapath's overflow counts and
 *  the decays the coefficient grid moved. */
function descriptorPointInfo(d: Descriptor, r: EmulationResult): FixedPointInfo {
  const formats: FixedPointInfo["formats"] = {};
  for (const [k, f] of Object.entries(d.formats))
    formats[k] = { format: formatName(f), ulp: ulp(f), intBits: f.intBits, fracBits: f.fracBits, signed: f.signed };
  const decays = decayShifts(descriptorIr(d), d.fixed);
  return {
    spec: d.preset,
    stateBits: d.fixed.stateBits,
    overflow: d.fixed.overflow,
    formats,
    overflows: r.overflows,
    ...(decays.length ? { decays } : {}),
  };
}
