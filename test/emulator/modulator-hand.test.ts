// The controller stage by hand: one modulator (gain = 1) read by one synapse on fpga-ultrascale. The
// controller sits at mesh tile 0 with core a; b's core (the synapse memory holding the reader) is one tile
// east, so each step the word crosses the injection port (1 cycle at 300 MHz), one east-west hop (1 cycle)
// and b's ejection port (1 cycle): a 3-cycle stage before the neuron phase, 1 packet and 1 hop per step.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/digital/map.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import type { DigitalDescriptor } from "../../targets/descriptor/types.js";
import { costModel, emulate, EmulatorError, firstSpikeDifference } from "../../targets/emulator/index.js";

const spec = (): DigitalSpec => loadPreset("fpga-ultrascale").spec! as DigitalSpec;
const descriptor = (file: string): DigitalDescriptor => {
  const c = compile(file, nodeHost());
  expect(c.ir).toBeDefined();
  const m = mapDigital(c.ir!, spec());
  expect(m.descriptor).toBeDefined();
  return m.descriptor!;
};

describe("controller stage: one modulator, one reading synapse, fpga-ultrascale", () => {
  const d = descriptor("test/emulator/fixtures/mod-one.glia");
  const plainD = descriptor("test/emulator/fixtures/two.glia");

  it("the descriptor carries the word; cores a at (0,0), b at (1,0)", () => {
    expect(d.modulators).toEqual([
      { name: "gain", fmt: { signed: false, intBits: 1, fracBits: 15 }, range: { lo: 1, hi: 1 }, source: "enumerated" },
    ]);
    const [ca, cb] = [d.cores.find((x) => x.population === "a")!, d.cores.find((x) => x.population === "b")!];
    expect([ca.x, ca.y, cb.x, cb.y]).toEqual([0, 0, 1, 0]);
  });

  it("broadcast: 3 cycles, 1 packet and 1 hop per step on top of the modulator-free twin's cycles", () => {
    const r = emulate(d, costModel(spec()));
    const plain = emulate(plainD, costModel(spec()));
    const ref = runDescriptor(d, {}).result!;
    // gain = 1 exactly: the same spikes as two.glia, and the executor's
    expect(firstSpikeDifference(r.spikes, ref.spikes)).toBeNull();
    expect(firstSpikeDifference(r.spikes, plain.spikes)).toBeNull();
    expect(r.spikes.b!.steps.length).toBeGreaterThan(0);
    expect(r.broadcast_cycles_per_step).toBe(1 + 1 + 1);
    expect(r.broadcast_packets).toBe(r.steps);
    expect(r.broadcast_hops).toBe(r.steps);
    expect(plain.broadcast_cycles_per_step).toBe(0);
    for (let k = 0; k < r.steps; k++) expect(r.cyclesPerStep[k]).toBe(plain.cyclesPerStep[k]! + 3);
    // spike packets are untouched by the stage
    expect([r.packets, r.hops_x, r.hops_y]).toEqual([plain.packets, plain.hops_x, plain.hops_y]);
    // fpga-ultrascale cites no per-hop energy: the broadcast is charged 0 and both figures are listed
    expect(r.energy_breakdown_j.controller).toBe(0);
    expect(r.uncharged).toEqual(
      expect.arrayContaining(["energy.spikeLocal", "energy.hopX", "controller.modulatorEvaluation"]),
    );
    expect(plain.uncharged).not.toContain("controller.modulatorEvaluation");
  });

  it("broadcast energy: per packet a port crossing and per hop the hop figure, as spikes", () => {
    const s = spec();
    const e = { spikeLocal: 1.5e-12, hopX: 2.5e-12 }; // made-up figures for this test only
    const cited: DigitalSpec = {
      ...s,
      emulator: {
        ...s.emulator,
        energy: {
          ...s.emulator!.energy,
          spikeLocal: { value: e.spikeLocal, source: "test", table: "made up" },
          hopX: { value: e.hopX, source: "test", table: "made up" },
        },
      },
    };
    const r = emulate(d, costModel(cited));
    expect(r.energy_breakdown_j.controller).toBeCloseTo(r.steps * (e.spikeLocal + e.hopX), 20);
    expect(r.energy_breakdown_j.routing).toBeCloseTo(r.packets * e.spikeLocal + r.hops_x * e.hopX, 20);
    expect(r.energy_j).toBe(Object.values(r.energy_breakdown_j).reduce((a, x) => a + x, 0));
  });

  it("synapses read the broadcast word: gain = 0 in the descriptor's IR, emulator and executor alike", () => {
    const z = JSON.parse(JSON.stringify(d)) as DigitalDescriptor;
    const prog = z.ir.program as { modulators: { name: string; expr: unknown }[] };
    prog.modulators[0]!.expr = { k: "num", v: 0 };
    const r = emulate(z, costModel(spec()));
    const ref = runDescriptor(z, {}).result!;
    expect(firstSpikeDifference(r.spikes, ref.spikes)).toBeNull();
    // b (E_L = -49 mV, above its threshold) drifts to threshold at step 157 on its own; a's spikes through
    // w * gain = 2 mV bring that forward to step 127
    expect(Array.from(r.spikes.b!.steps)).toEqual([157]);
    expect(Array.from(emulate(d, costModel(spec())).spikes.b!.steps)).toEqual([127]);
  });

  it("a descriptor without the modulator words is refused with a message", () => {
    const z = JSON.parse(JSON.stringify(d)) as DigitalDescriptor;
    delete z.modulators;
    expect(() => emulate(z, costModel(spec()))).toThrow(EmulatorError);
    expect(() => emulate(z, costModel(spec()))).toThrow(/no modulator words for gain/);
  });
});
