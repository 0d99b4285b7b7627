// Hand-computed cases: a 2-neuron 1-synapse network on Loihi and on a 1-tile ReRAM crossbar; cycles of a
// spiking step and every energy component from the preset's numbers (Davies et al. 2018 Table 2 etc.).
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { CrossbarSpec, DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/digital/map.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { costModel, emulate, firstSpikeDifference } from "../../targets/emulator/index.js";

const FILE = "test/emulator/fixtures/two.glia";

describe("2 neurons, 1 synapse", () => {
  // Loihi: 4 cores per tile (SANA-FE arch/loihi.yaml), so cores a and b share tile (0, 0): a's spikes are
  // spikes within a tile (one port crossing, Table 2: 2.1 ns; 111 pJ per message) and the barrier is the 1-tile
  // one (0.6 us). With one core per tile (an override) b's core sits one tile east: injection + one east-west
  // hop + ejection, 2 tiles (1.0 us).
  const loihi = (coresPerTile?: number): DigitalSpec => {
    const s = loadPreset("loihi").spec! as DigitalSpec;
    return coresPerTile === undefined
      ? s
      : { ...s, coresPerTile: { value: coresPerTile, source: "test", table: "one core per tile" } };
  };
  for (const [label, cpt, tiles, hopsX, spikeStep] of [
    // 0.1 ns cycles: neuron active 97, its spike 300, the message sent 51, port 21, hop E/W 41, the message
    // received 160, synaptic op 35
    ["4 cores per tile: a -> b within a tile", undefined, 1, 0, 97 + 300 + 51 + 21 + 160 + 35],
    ["1 core per tile: a -> b one hop east", 1, 2, 1, 97 + 300 + 51 + 21 + 41 + 21 + 160 + 35],
  ] as const) {
    it(`Loihi, ${label}: spiking-step cycles and energy by hand`, () => {
      const c = compile(FILE, nodeHost());
      const spec = loihi(cpt);
      const d = mapDigital(c.ir!, spec).descriptor!;
      const r = emulate(d, costModel(spec));
      const ref = runDescriptor(d, {}).result!;
      expect(firstSpikeDifference(r.spikes, ref.spikes)).toBeNull();
      const aSpikes = r.spikes.a!.steps;
      expect(aSpikes.length).toBeGreaterThan(1);
      const [ca, cb] = [d.cores.find((x) => x.population === "a")!, d.cores.find((x) => x.population === "b")!];
      expect([ca.x, ca.y, cb.x, cb.y]).toEqual([0, 0, hopsX, 0]);
      expect(new Set(d.cores.map((x) => `${x.x},${x.y}`)).size).toBe(tiles);
      const k = aSpikes[0]!;
      // barrier: SANA-FE's measured table, 0.6 us for 1 tile, 1.0 us for 2
      const barrier = tiles === 1 ? 6000 : 10000;
      expect(r.cyclesPerStep[k]).toBe(spikeStep + barrier);
      const nA = aSpikes.length;
      expect(r.synaptic_events).toBe(nA);
      expect([r.packets, r.hops_x, r.hops_y]).toEqual([nA, nA * hopsX, 0]);
      const b = r.energy_breakdown_j;
      expect(b.synaptic).toBeCloseTo(nA * 23.6e-12, 18);
      expect(b.routing).toBeCloseTo(nA * (111e-12 + hopsX * 3.0e-12), 18);
      const fired = nA + r.spikes.b!.steps.length;
      expect(b.neuron).toBeCloseTo(
        r.neuron_updates_active * 72.8e-12 + (r.neuron_updates - r.neuron_updates_active) * 51.2e-12 + fired * 69.3e-12,
        18,
      );
      expect(r.neuron_updates).toBe(2 * r.steps);
      expect(r.energy_j).toBe(Object.values(b).reduce((s, x) => s + x, 0));
    });
  }

  it("static power x emulated time: charged when the spec cites a figure, else 0 and listed as uncharged", () => {
    const c = compile(FILE, nodeHost());
    const preset = loihi();
    const d = mapDigital(c.ir!, preset).descriptor!;
    const plain = emulate(d, costModel(preset));
    // no preset cites a static (leakage) power: Davies et al. 2018 Table 2 and SANA-FE give per-operation costs only
    expect(plain.energy_breakdown_j.static).toBe(0);
    expect(plain.uncharged).toContain("energy.staticPower");
    const P = 0.025;
    const withStatic: DigitalSpec = {
      ...preset,
      emulator: {
        ...preset.emulator,
        energy: {
          ...preset.emulator!.energy,
          staticPower: { value: P, source: "test", table: "a made-up figure for this test only" },
        },
      },
    };
    const cm = costModel(withStatic);
    expect(cm.uncharged).not.toContain("energy.staticPower");
    const r = emulate(d, cm);
    expect(r.cycles).toBe(plain.cycles);
    expect(r.energy_breakdown_j.static).toBeCloseTo(P * r.latency_s, 18);
    expect(r.energy_breakdown_j.static).toBeGreaterThan(0);
    expect(r.energy_j - r.energy_breakdown_j.static).toBeCloseTo(plain.energy_j, 18);
  });

  it("ReRAM 1 tile: crossbar read, ADC and DAC by hand", () => {
    const c = compile(FILE, nodeHost());
    const spec = loadPreset("reram-128").spec! as CrossbarSpec;
    const d = mapCrossbar(c.ir!, spec).descriptor!;
    expect(d.tiles.length).toBe(1);
    const r = emulate(d, costModel(spec));
    expect(firstSpikeDifference(r.spikes, runDescriptor(d, {}).result!.spikes)).toBeNull();
    const nA = r.spikes.a!.steps.length;
    // each spike of a activates 1 row (bit-serial, 1-bit DAC: 1 pulse); 1 pair = 2 used columns whose
    // difference is one ADC conversion
    expect(r.energy_breakdown_j.adc).toBeCloseTo(nA * 1 * 1.6e-12, 18);
    expect(r.energy_breakdown_j.dac).toBeCloseTo(nA * 1 * 0.39e-12, 18);
    expect(r.energy_breakdown_j.crossbar).toBeCloseTo(nA * 1 * 0.42e-12, 18);
  });
});
