// The emulator's bench row: how fast the cycle-accurate emulator (targets/emulator) runs a config mapped
// onto a hardware preset. In: a BenchConfig and a BenchContext; out: an EngineRow whose sim_s is the
// emulator's wall time and whose extras are emulated cycles, cycles/s and emulated synaptic events/s.

import { compile } from "../../compiler/pipeline.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { configSource, MODEL_EXAMPLE, type BenchConfig } from "./configs.js";
import { perSecond, type BenchContext, type BenchEngine, type EngineOutcome } from "./engine.js";
import { variantPath } from "./glia-engine.js";
import { posix } from "node:path";
import { loadPreset } from "../../targets/hw/presets.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { mapDigital } from "../../targets/digital/map.js";
import * as emu from "../../targets/emulator/index.js";

/**
 * The emulator steps every synaptic event in JavaScript and is ~100x slower than the wasm target; its
 * speed is a rate, so it runs the first EMULATED_S of the configuration (stated in the row).
 */
export const EMULATED_S = 0.1;

/** `preset`: a digital or crossbar preset that holds the network (loihi's cores are too small for CUBA). */
export function emulatorEngine(
  preset = "fpga-ultrascale",
  applies: (c: BenchConfig) => boolean = (c) => c.name === "cuba",
): BenchEngine {
  return {
    name: `emulator-${preset}`,
    role: "emulator",
    applies,
    async measure(config: BenchConfig, ctx: BenchContext): Promise<EngineOutcome> {
      const hw = loadPreset(preset);
      if (!hw.spec)
        return {
          kind: "unavailable",
          reason: `hardware preset ${preset}: ${hw.diagnostics.map((d) => d.message).join("; ")}`,
        };
      const spec = hw.spec;
      const examplePath = posix.join(ctx.root, MODEL_EXAMPLE[config.model]);
      const example = ctx.host.readFile(examplePath);
      if (example === undefined) return { kind: "unavailable", reason: `cannot read ${examplePath}` };
      const variant = configSource(config, example);
      if ("problem" in variant) return { kind: "unavailable", reason: variant.problem };
      const entry = variantPath(ctx.root, config);
      const host = { readFile: (p: string) => (p === entry ? variant.text : ctx.host.readFile(p)) };

      const t0 = performance.now();
      const compiled = compile(entry, host);
      if (hasErrors(compiled.diagnostics) || !compiled.ir)
        return { kind: "diagnostics", diagnostics: compiled.diagnostics, sources: compiled.sources };
      const mapped = spec.kind === "crossbar" ? mapCrossbar(compiled.ir, spec) : mapDigital(compiled.ir, spec);
      if (!mapped.descriptor)
        return { kind: "diagnostics", diagnostics: mapped.diagnostics, sources: compiled.sources };
      const compileS = (performance.now() - t0) / 1000;
      const descriptor = mapped.descriptor;
      const steps = Math.round(Math.min(config.duration, EMULATED_S) / descriptor.dt);
      let r;
      try {
        r = emu.emulate(descriptor, emu.costModel(spec), { steps });
      } catch (err) {
        if (!(err instanceof emu.EmulatorError)) throw err;
        return { kind: "unavailable", reason: `emulator: ${err.message}` };
      }
      const spikes: Record<string, number> = {};
      for (const [name, s] of Object.entries(r.spikes)) spikes[name] = s.steps.length;
      return {
        kind: "row",
        row: {
          engine: `emulator-${preset}`,
          compile_s: compileS,
          sim_s: r.wallS,
          total_s: compileS + r.wallS,
          steps: r.steps,
          spikes,
          spikes_total: r.spikes_total,
          synapses: descriptor.stats.synapses,
          synaptic_events: r.synaptic_events,
          events_per_s: perSecond(r.synaptic_events, r.wallS),
          steps_per_s: perSecond(r.steps, r.wallS),
          peak_rss_bytes: null,
          bytes_per_synapse: null,
          extra: {
            emulated_s: r.steps * r.dt,
            emulated_cycles: r.cycles,
            cycles_per_s: perSecond(r.cycles, r.wallS),
            clock_hz: r.clockHz,
            hardware_real_time_factor: r.real_time_factor,
          },
        },
      };
    },
  };
}
