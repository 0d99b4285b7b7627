// Hand-computed cases: a 2-neuron 1-synapse network on Loihi and on a 1-tile ReRAM crossbar; cycles of a
// spiking step and every energy component from the preset's numbers (Davies et al. 2018 Table 2 etc.).
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { CrossbarSpec, DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/fpga/map.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { runDescriptor } from "../../targets/descriptor/run.js";
import { costModel, emulate, firstSpikeDifference } from "../../runtime/emulator/index.js";

const FILE = "test/emulator/fixtures/two.glia";

describe("2 neurons, 1 synapse", () => {
  it("Loihi: spiking-step cycles and energy by hand", () => {
    const c = compile(FILE, nodeHost());
    const spec = loadPreset("loihi").spec! as DigitalSpec;
    const m = mapDigital(c.ir!, spec);
    const d = m.descriptor!;
    const r = emulate(d, costModel(spec));
    const ref = runDescriptor(d, {}).result!;
    expect(firstSpikeDifference(r.spikes, ref.spikes)).toBeNull();
    const aSpikes = r.spikes.a!.steps;
    expect(aSpikes.length).toBeGreaterThan(1);
    // cores: a and b on one core each; hops between their tiles
    const [ca, cb] = [d.cores.find((x) => x.population === "a")!, d.cores.find((x) => x.population === "b")!];
    const hopsX = Math.abs(ca.x - cb.x), hopsY = Math.abs(ca.y - cb.y);
    const tiles = new Set(d.cores.map((x) => `${x.x},${x.y}`)).size;
    // 0.1 ns cycles: neuron active 84, port 21, hop E/W 41, N/S 65, synaptic op 35
    const k = aSpikes[0]!;
    const barrier = Math.ceil((113 + ((465 - 113) * (tiles - 1)) / 31) * 10 - 1e-9);
    const spikeStep = 84 + 21 + hopsX * 41 + hopsY * 65 + 21 + 35;
    expect(r.cyclesPerStep[k]).toBe(Math.max(spikeStep, 84) + barrier);
    const nA = aSpikes.length;
    expect(r.synaptic_events).toBe(nA);
    const b = r.energy_breakdown_j;
    expect(b.synaptic).toBeCloseTo(nA * 23.6e-12, 18);
    expect(b.routing).toBeCloseTo(nA * (1.7e-12 + hopsX * 3.0e-12 + hopsY * 4.0e-12), 18);
    expect(b.neuron).toBeCloseTo(r.neuron_updates_active * 81e-12 + (r.neuron_updates - r.neuron_updates_active) * 52e-12, 18);
    expect(r.neuron_updates).toBe(2 * r.steps);
    expect(r.energy_j).toBe(Object.values(b).reduce((s, x) => s + x, 0));
  });

  it("ReRAM 1 tile: crossbar read, ADC and DAC by hand", () => {
    const c = compile(FILE, nodeHost());
    const spec = loadPreset("reram-128").spec! as CrossbarSpec;
    const d = mapCrossbar(c.ir!, spec).descriptor!;
    expect(d.tiles.length).toBe(1);
    const r = emulate(d, costModel(spec));
    expect(firstSpikeDifference(r.spikes, runDescriptor(d, {}).result!.spikes)).toBeNull();
    const nA = r.spikes.a!.steps.length;
    // each spike of a activates 1 row (bit-serial, 1-bit DAC: 1 pulse); 1 pair = 2 used columns, one ADC
    expect(r.energy_breakdown_j.adc).toBeCloseTo(nA * 2 * 1.6e-12, 18);
    expect(r.energy_breakdown_j.dac).toBeCloseTo(nA * 1 * 0.39e-12, 18);
    expect(r.energy_breakdown_j.crossbar).toBeCloseTo(nA * 1 * 0.42e-12, 18);
  });
});
