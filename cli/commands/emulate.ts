// `glia emulate FILE|desc.json --hw PRESET [--duration D] [--json] [--out DIR] [--check]`: map a model (or
// load a descriptor) and run the cycle-accurate emulator. In: a file and options; out: cycles, latency,
// energy (text or one JSON object), report.html in DIR; --check fails on the first spike that differs from
// the fixed-point executor on the same descriptor.

import { existsSync, readFileSync } from "node:fs";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan, type Span } from "../../compiler/diagnostics/span.js";
import { networkSpan } from "../../compiler/ir/spans.js";
import { compile } from "../../compiler/pipeline.js";
import type { Descriptor } from "../../targets/descriptor/types.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { mapDigital } from "../../targets/digital/map.js";
import { loadPreset } from "../../targets/hw/presets.js";
import { loadHardwareSpec, type HardwareSpec } from "../../targets/hw/spec.js";
import { costModel, emulate, emulationReportHtml, EmulatorError, firstSpikeDifference } from "../../targets/emulator/index.js";
import { reportDiagnostics } from "../report-diagnostics.js";
import { makeProgress } from "../progress.js";
import { EXIT, type CliIo } from "../io.js";

export interface EmulateFlags {
  hw: string;
  duration?: number;
  json: boolean;
  out?: string;
  check: boolean;
}

/** E0801 at `at` (the network declaration when FILE is a model), else at the file itself (a descriptor). */
const diag = (file: string, message: string, hint?: string, at?: Span): Diagnostic => ({ code: "E0801", severity: "error", message, span: at ?? syntheticSpan(file), related: [], hint });

export async function emulateCommand(file: string, flags: EmulateFlags, io: CliIo): Promise<number> {
  const empty = new Map<string, string>();
  let spec: HardwareSpec | undefined;
  const hw = existsSync(flags.hw) && flags.hw.endsWith(".json") ? loadHardwareSpec(readFileSync(flags.hw, "utf8"), flags.hw) : loadPreset(flags.hw);
  if (reportDiagnostics(hw.diagnostics, empty, io) || !(spec = hw.spec)) return EXIT.diagnostics;

  let descriptor: Descriptor | undefined;
  let sources: ReadonlyMap<string, string> = empty;
  let source: Span | undefined; // the network declaration, when FILE is a model
  if (file.endsWith(".json")) {
    const text = io.host.readFile(file);
    if (text === undefined) return reportDiagnostics([diag(file, `cannot read ${file}`, "give a .glia model or a descriptor written by `glia compile --target crossbar|fpga -o FILE`")], empty, io), EXIT.diagnostics;
    const v = validateDescriptor(text);
    if (!v.ok) return reportDiagnostics(v.errors.map((e) => diag(file, `${file}: ${e}`, "a descriptor as written by `glia compile --target crossbar|fpga -o FILE`")), empty, io), EXIT.diagnostics;
    descriptor = v.descriptor;
  } else {
    const compiled = compile(file, io.host);
    sources = compiled.sources;
    if (reportDiagnostics(compiled.diagnostics, sources, io) || !compiled.ir) return EXIT.diagnostics;
    source = networkSpan(compiled.ir);
    const m = spec.kind === "crossbar" ? mapCrossbar(compiled.ir, spec) : mapDigital(compiled.ir, spec);
    if (reportDiagnostics(m.diagnostics, sources, io) || !m.descriptor) return EXIT.diagnostics;
    descriptor = m.descriptor;
  }
  if (descriptor.kind !== spec.kind) return reportDiagnostics([diag(file, `${file} is a ${descriptor.kind} descriptor but --hw ${flags.hw} is a ${spec.kind} spec`, `give --hw the spec the descriptor was compiled for (${descriptor.preset})`)], empty, io), EXIT.diagnostics;

  const steps = flags.duration !== undefined ? Math.round(flags.duration / descriptor.dt) : descriptor.steps;
  const progress = makeProgress(io.isTTY && !flags.json, `emulate ${spec.name}`);
  let result;
  try {
    result = emulate(descriptor, costModel(spec), { steps, onProgress: (f) => progress.update(f) });
  } catch (err) {
    progress.stop();
    if (!(err instanceof EmulatorError)) throw err;
    return reportDiagnostics([diag(file, `emulator: ${err.message}`, "`glia run --target fixed --hw PRESET` runs the same network without the cycle model", source)], sources, io), EXIT.diagnostics;
  }
  progress.stop();

  let bitExact: boolean | null = null;
  if (flags.check) {
    const ran = runDescriptor(descriptor, { duration: steps * descriptor.dt }, source);
    if (reportDiagnostics(ran.diagnostics, sources, io) || !ran.result) return EXIT.diagnostics;
    const first = firstSpikeDifference(result.spikes, ran.result.spikes);
    bitExact = first === null;
    if (first) {
      io.err(`glia: emulate --check: spikes differ from the fixed-point executor first at step ${first.step}, ${first.population}[${first.neuron}] (spike only in the ${first.onlyIn} run)\n`);
      return EXIT.diagnostics;
    }
  }
  const sizes = Object.fromEntries(descriptor.neurons.map((n) => [n.population, n.size]));
  const summary = {
    network: result.network, preset: result.preset, kind: result.kind, dt: result.dt, steps: result.steps, clock_hz: result.clockHz,
    cycles: result.cycles, cycles_per_step_mean: result.steps ? result.cycles / result.steps : 0, cycles_per_step_max: result.cyclesPerStep.reduce((a, x) => Math.max(a, x), 0),
    latency_s: result.latency_s, latency_per_step_s: result.latency_per_step_s, real_time_factor: result.real_time_factor, throughput_sops: result.throughput_sops,
    energy_j: result.energy_j, energy_breakdown_j: result.energy_breakdown_j, power_w: result.power_w,
    energy_per_synaptic_event_j: result.energy_per_synaptic_event_j, energy_per_inference_j: result.energy_per_inference_j,
    neuron_updates: result.neuron_updates, neuron_updates_active: result.neuron_updates_active, synaptic_events: result.synaptic_events,
    learning_updates: result.learning_updates, astrocyte_updates: result.astrocyte_updates, astrocyte_events: result.astrocyte_events, adc_clips: result.adc_clips, spikes_total: result.spikes_total, hops: result.hops, hops_x: result.hops_x, hops_y: result.hops_y, packets: result.packets, contention_wait_cycles: result.contention_wait_cycles,
    broadcast_packets: result.broadcast_packets, broadcast_hops: result.broadcast_hops, broadcast_cycles_per_step: result.broadcast_cycles_per_step,
    pipeline_stall_cycles: result.pipeline_stall_cycles, bit_exact_vs_fixed: bitExact, uncharged: result.uncharged, emulator_wall_s: result.wallS,
  };
  if (flags.out) {
    io.writeFile(`${flags.out}/summary.json`, JSON.stringify(summary, null, 2) + "\n");
    io.writeFile(`${flags.out}/report.html`, emulationReportHtml(result, sizes, bitExact));
  }
  if (flags.json) io.out(JSON.stringify(summary, null, 2) + "\n");
  else {
    io.out(`${file}: ${result.steps} steps on ${spec.name} (${result.kind})\n`);
    io.out(`  cycles ${result.cycles} (${summary.cycles_per_step_mean.toFixed(1)} per step), latency ${result.latency_s.toExponential(3)} s, real-time factor ${result.real_time_factor.toExponential(3)}\n`);
    io.out(`  energy ${result.energy_j.toExponential(3)} J, power ${result.power_w.toExponential(3)} W, ${result.energy_per_synaptic_event_j.toExponential(3)} J per synaptic event\n`);
    for (const [k, v] of Object.entries(result.energy_breakdown_j)) if (v) io.out(`    ${k.padEnd(10)} ${v.toExponential(3)} J\n`);
    io.out(`  spikes ${result.spikes_total}, synaptic events ${result.synaptic_events}, neuron updates ${result.neuron_updates}${result.astrocyte_updates + result.astrocyte_events ? `, astrocyte updates ${result.astrocyte_updates}, astrocyte-stage ops ${result.astrocyte_events}` : ""}${result.kind === "crossbar" ? `, ADC clips ${result.adc_clips}` : ""}${result.broadcast_packets ? `, modulator broadcasts ${result.broadcast_packets} packets (${result.broadcast_cycles_per_step} cycles per step)` : ""}${bitExact === null ? "" : `, bit exact vs fixed: ${bitExact}`}\n`);
    if (result.uncharged.length) io.out(`  no cited cost (charged 0): ${result.uncharged.join(", ")}\n`);
    if (flags.out) io.out(`  wrote ${flags.out}/summary.json, report.html\n`);
  }
  return EXIT.ok;
}
