// Crossbar reads with read noise and ADC quantization (targets/crossbar/read-model.ts) on both paths: the
// emulator's spikes equal the fixed-point executor's on the same descriptor, with reram-128's cited read
// noise on, and both count the same ADC clips.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadPreset, presetText } from "../../targets/hw/presets.js";
import { loadHardwareSpec, type CrossbarSpec } from "../../targets/hw/spec.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { emulate } from "../../targets/emulator/engine.js";
import { costModel } from "../../targets/emulator/costs.js";
import { firstSpikeDifference } from "../../targets/emulator/check.js";
import type { CrossbarDescriptor } from "../../targets/descriptor/types.js";

function mapped(file: string): { d: CrossbarDescriptor; spec: CrossbarSpec } {
  const c = compile(file, nodeHost());
  if (!c.ir) throw new Error(c.diagnostics.map((d) => d.message).join("\n"));
  const spec = loadPreset("reram-128").spec as CrossbarSpec;
  const m = mapCrossbar(c.ir, spec, { profileSteps: 200 });
  if (!m.descriptor) throw new Error(m.diagnostics.map((d) => d.message).join("\n"));
  return { d: m.descriptor, spec };
}

describe("crossbar read noise and ADC: emulator == executor", () => {
  it("lsm_reram on reram-128 (read noise 0.06, 5-bit ADC), 100 steps: same spikes, same ADC clips", () => {
    const { d, spec } = mapped("examples/lsm_reram.glia");
    expect(d.device.readNoiseSigma).toBe(0.06);
    const steps = 100;
    const emu = emulate(d, costModel(spec), { steps });
    const ran = runDescriptor(d, { duration: steps * d.dt });
    expect(ran.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    expect(ran.crossbar).toBeDefined();
    expect(firstSpikeDifference(emu.spikes, ran.result!.spikes)).toBeNull();
    expect(emu.spikes_total).toBeGreaterThan(0);
    expect(emu.adc_clips).toBe(ran.crossbar!.clips);
    expect(ran.crossbar!.reads).toBeGreaterThan(0);
    expect(ran.crossbar!.conversions).toBeGreaterThan(ran.crossbar!.reads);
    // the noise is real: the same descriptor without read noise spikes differently
    const quiet = runDescriptor({ ...d, device: { ...d.device, readNoiseSigma: 0 } }, { duration: steps * d.dt });
    expect(firstSpikeDifference(quiet.result!.spikes, ran.result!.spikes)).not.toBeNull();
  });

  it("8-row tiles and read noise 1 (3 levels per read) clip some reads; still the same spikes and clips (lsm_reram, 100 steps)", () => {
    // small tiles have small full scales, so strong noise reaches the ADC's range ends (test inputs, not cited)
    const s = JSON.parse(presetText("reram-128")) as { tile: { rows: unknown }; device: { readNoiseSigma: unknown } };
    s.tile.rows = { value: 8, source: "glia test input", table: "test" };
    s.device.readNoiseSigma = { value: 1, source: "glia test input", table: "test" };
    const spec = loadHardwareSpec(JSON.stringify(s), "small.json").spec as CrossbarSpec;
    const d = mapCrossbar(compile("examples/lsm_reram.glia", nodeHost()).ir!, spec, { profileSteps: 200 }).descriptor!;
    const emu = emulate(d, costModel(spec), { steps: 100 });
    const ran = runDescriptor(d, { duration: 100 * d.dt });
    expect(firstSpikeDifference(emu.spikes, ran.result!.spikes)).toBeNull();
    expect(ran.crossbar!.clips).toBeGreaterThan(0);
    expect(emu.adc_clips).toBe(ran.crossbar!.clips);
  });

  it("the column path with (almost) no noise and a 16-bit ADC gives the per-synapse path's spikes (lsm_reram, 300 steps)", () => {
    const { d } = mapped("examples/lsm_reram.glia");
    const fine = (sigma: number): CrossbarDescriptor => ({
      ...d,
      device: { ...d.device, readNoiseSigma: sigma },
      tiles: d.tiles.map((t) => ({ ...t, adcBits: 16 })),
    });
    const duration = 300 * d.dt;
    const perSynapse = runDescriptor(fine(0), { duration }),
      columns = runDescriptor(fine(1e-12), { duration });
    expect(perSynapse.crossbar).toBeUndefined(); // identity model: the per-synapse path
    expect(columns.crossbar!.reads).toBeGreaterThan(0);
    expect(columns.crossbar!.clips).toBe(0);
    expect(firstSpikeDifference(columns.result!.spikes, perSynapse.result!.spikes)).toBeNull();
    expect(perSynapse.result!.spikesTotal).toBeGreaterThan(0);
  });

  it("CUBA on reram-128 (2016 tiles), 100 steps: same spikes", () => {
    const { d, spec } = mapped("examples/cuba.glia");
    const steps = 100;
    const emu = emulate(d, costModel(spec), { steps });
    const ran = runDescriptor(d, { duration: steps * d.dt });
    expect(firstSpikeDifference(emu.spikes, ran.result!.spikes)).toBeNull();
    expect(emu.adc_clips).toBe(ran.crossbar!.clips);
    expect(emu.spikes_total).toBeGreaterThan(0);
  });
});
