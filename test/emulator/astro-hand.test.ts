// Hand-computed astrocyte stage: one astrocyte, 2 neurons, 1 ensheathed synapse (fixtures/astro-one.glia) on
// Loihi (Davies et al. 2018 Table 2: neuron update active 8.4 ns / 81 pJ, synaptic op 3.5 ns, spike within a
// tile 2.1 ns, 1-tile barrier 113 ns; the preset charges an astrocyte update as an active neuron update, 81 pJ)
// and on fpga-ultrascale (no cited astrocyte energy: charged 0 and listed as uncharged).
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/digital/map.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { costModel, emulate, firstSpikeDifference } from "../../targets/emulator/index.js";

const FILE = "test/emulator/fixtures/astro-one.glia";
const spec = (name: string): DigitalSpec => loadPreset(name).spec! as DigitalSpec;

describe("one astrocyte, 2 neurons, 1 ensheathed synapse", () => {
  const ir = compile(FILE, nodeHost()).ir!;

  it("Loihi: the astrocyte's own clock, one astrocyte-stage op per event, cycles and energy by hand", () => {
    const hw = spec("loihi");
    const d = mapDigital(ir, hw).descriptor!;
    const [ca, cb, cg] = ["a", "b", "glia"].map((p) => d.cores.find((c) => c.population === p)!);
    expect([ca!.stages, cb!.stages, cg!.stages]).toEqual([
      ["neuron-update"],
      ["neuron-update", "astrocyte"],
      ["astrocyte-update"],
    ]);
    expect(cb!.synapses[0]!.astrocyte).toEqual({ bits: 1, index: [0] });
    expect(new Set(d.cores.map((c) => `${c.x},${c.y}`)).size).toBe(1); // 4 cores per tile: one tile
    const r = emulate(d, costModel(hw));
    const ref = runDescriptor(d, {}).result!;
    expect(firstSpikeDifference(r.spikes, ref.spikes)).toBeNull();
    const traceOf = (x: typeof ref): number[] =>
      x.traces.filter((t) => t.population === "glia").flatMap((t) => t.values.flatMap((v) => Array.from(v)));
    expect(Math.max(...traceOf(ref))).toBeGreaterThan(0); // the astrocyte integrated a's spikes
    const aSpikes = r.spikes.a!.steps;
    const nA = aSpikes.length;
    expect(nA).toBeGreaterThan(1);
    // astrocyte dt 1 ms = 10 steps of 0.1 ms: 500 steps -> 50 updates; each spike of a passes b's astrocyte
    // stage once (the synapse_pre handler and the read of astro.gain by on pre)
    expect(r.steps).toBe(500);
    expect(r.astrocyte_updates).toBe(50);
    expect(r.astrocyte_events).toBe(nA);
    expect(r.neuron_updates).toBe(2 * 500);
    expect(r.energy_breakdown_j.astrocyte).toBeCloseTo((50 + nA) * 81e-12, 18);
    expect(r.uncharged).not.toContain("energy.astrocyteUpdate");
    // a spiking step, in 0.1 ns cycles: a's active update 97, its spike 300, the message sent 51, the port
    // within the tile 21, b receives it 160, b's synaptic op 35, then b's astrocyte stage 97 (an active neuron
    // update's latency); then the 1-tile barrier 6000
    for (const k of aSpikes) expect(r.cyclesPerStep[k]).toBe(97 + 300 + 51 + 21 + 160 + 35 + 97 + 6000);
    // without the astrocyte stage the same spike takes 97 + 300 + 51 + 21 + 160 + 35 (test/emulator/hand.test.ts)
    expect(r.energy_j).toBe(Object.values(r.energy_breakdown_j).reduce((s, x) => s + x, 0));
  });

  it("the astrocyte updates at steps k % 10 == 0 only", () => {
    const hw = spec("loihi");
    const d = mapDigital(ir, hw).descriptor!;
    for (const [steps, updates] of [
      [1, 1],
      [10, 1],
      [11, 2],
      [25, 3],
    ] as const) {
      const r = emulate(d, costModel(hw), { steps });
      expect([steps, r.astrocyte_updates]).toEqual([steps, updates]);
    }
  });

  it("fpga-ultrascale: no cited astrocyte energy (charged 0, listed); the stage still takes its cycle", () => {
    const hw = spec("fpga-ultrascale");
    const cm = costModel(hw);
    expect(cm.uncharged).toContain("energy.astrocyteUpdate");
    expect(cm.c.astrocyteUpdate).toBe(cm.c.neuronActive);
    const d = mapDigital(ir, hw).descriptor!;
    const r = emulate(d, cm);
    expect(firstSpikeDifference(r.spikes, runDescriptor(d, {}).result!.spikes)).toBeNull();
    expect(r.energy_breakdown_j.astrocyte).toBe(0);
    expect(r.astrocyte_updates).toBe(50);
    expect(r.astrocyte_events).toBe(r.spikes.a!.steps.length);
  });
});
