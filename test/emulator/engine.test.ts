// The engine on mapped descriptors: spikes bit for bit equal to the fixed-point executor's, breakdown sums
// to the total, and a hand-computed 1-tile crossbar step (cycles and energy from the preset's numbers).
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { CrossbarSpec } from "../../targets/hw/spec.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { runDescriptor } from "../../targets/descriptor/run.js";
import { mapDigital } from "../../targets/fpga/map.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { emulate } from "../../runtime/emulator/engine.js";
import { costModel } from "../../runtime/emulator/costs.js";

/** Loihi with 125 neurons per core (32 cores on the 8x4 mesh), the packing SANA-FE's CUBA measurement used
 *  (hardware-anchors.md): at 1,024 per core CUBA's synapses overflow a core's 128 KB synaptic memory. */
function loihi125(): DigitalSpec {
  const s = loadPreset("loihi").spec! as DigitalSpec;
  return { ...s, neuronsPerCore: { value: 125, source: "test packing", table: "SANA-FE CUBA run: 125 neurons per core on 32 cores" } };
}

function runBoth(file: string, steps: number, preset = "reram-128") {
  const c = compile(file, nodeHost());
  if (!c.ir) throw new Error(c.diagnostics.map((d) => d.message).join("\n"));
  const spec = preset === "loihi-125" ? loihi125() : loadPreset(preset).spec!;
  const m = spec.kind === "crossbar" ? mapCrossbar(c.ir, spec as CrossbarSpec) : mapDigital(c.ir, spec as DigitalSpec);
  if (!m.descriptor) throw new Error(m.diagnostics.map((d) => d.message).join("\n"));
  const emu = emulate(m.descriptor, costModel(spec), { steps });
  const ran = runDescriptor(m.descriptor, { duration: steps * c.ir.dt });
  if (!ran.result) throw new Error(ran.diagnostics.map((d) => d.message).join("\n"));
  const fixed = ran.result;
  return { emu, fixed, d: m.descriptor };
}

describe("emulator on crossbar descriptors", () => {
  it("CUBA (200 steps): spikes equal the fixed executor's; breakdown sums to the total", () => {
    const { emu, fixed } = runBoth("examples/cuba.glia", 200);
    for (const [name, s] of Object.entries(fixed.spikes)) {
      const e = emu.spikes[name]!;
      expect(Array.from(e.steps)).toEqual(Array.from(s.steps));
      expect(Array.from(e.indices)).toEqual(Array.from(s.indices));
    }
    expect(emu.synaptic_events).toBe(fixed.synapticEvents);
    expect(emu.spikes_total).toBeGreaterThan(0);
    const sum = Object.values(emu.energy_breakdown_j).reduce((a, x) => a + x, 0);
    expect(emu.energy_j).toBe(sum);
    expect(emu.cycles).toBe(Array.from(emu.cyclesPerStep).reduce((a, x) => a + x, 0));
  });
});

describe("emulator on Loihi", () => {
  it("CUBA (1000 steps): bit exact; synaptic energy per event = the preset's op; neuron energy per update between inactive and active", () => {
    const { emu, fixed } = runBoth("examples/cuba.glia", 1000, "loihi-125");
    for (const [name, s] of Object.entries(fixed.spikes)) {
      expect(Array.from(emu.spikes[name]!.steps)).toEqual(Array.from(s.steps));
      expect(Array.from(emu.spikes[name]!.indices)).toEqual(Array.from(s.indices));
    }
    const b = emu.energy_breakdown_j;
    // fails while the Loihi mapping of CUBA makes no spikes (the descriptor runner agrees: 0 spikes)
    expect(emu.synaptic_events).toBeGreaterThan(0);
    expect(b.synaptic / emu.synaptic_events).toBeCloseTo(23.6e-12, 20);
    const perUpdate = b.neuron / emu.neuron_updates;
    expect(perUpdate).toBeGreaterThanOrEqual(52e-12);
    expect(perUpdate).toBeLessThanOrEqual(81e-12);
    expect(emu.energy_j).toBe(Object.values(b).reduce((a, x) => a + x, 0));
  });
});
