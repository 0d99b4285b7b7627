// Bit-exact agreement with the fixed-point executor on every example that maps: each examples/*.glia onto
// each crossbar and digital preset; where the mapper gives a descriptor, the emulator's spikes and synaptic
// events over 100 steps equal runDescriptor's (the executor on the same descriptor) exactly.
import { describe, expect, it } from "@jest/globals";
import { readdirSync } from "node:fs";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { CrossbarSpec, DigitalSpec } from "../../targets/hw/spec.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { mapDigital } from "../../targets/fpga/map.js";
import { runDescriptor } from "../../targets/descriptor/run.js";
import { costModel, emulate, EmulatorError, firstSpikeDifference } from "../../runtime/emulator/index.js";

const PRESETS = ["reram-128", "fpga-ultrascale", "loihi", "truenorth"];
const STEPS = 100;

describe("emulator == fixed executor on every example that maps", () => {
  it("examples x presets, 100 steps", () => {
    const checked: string[] = [];
    const refused: string[] = [];
    const emulatorRefused: string[] = [];
    for (const f of readdirSync("examples").filter((x) => x.endsWith(".glia")).sort()) {
      const c = compile(`examples/${f}`, nodeHost());
      expect(c.ir).toBeDefined();
      for (const preset of PRESETS) {
        const spec = loadPreset(preset).spec!;
        const m = spec.kind === "crossbar" ? mapCrossbar(c.ir!, spec as CrossbarSpec, { profileSteps: 200 }) : mapDigital(c.ir!, spec as DigitalSpec, { profileSteps: 200 });
        if (!m.descriptor) { refused.push(`${f}@${preset}`); continue; }
        const ran = runDescriptor(m.descriptor, { duration: STEPS * m.descriptor.dt });
        // heterogeneous.glia: the descriptor maps but its re-quantization without profiling refuses a
        // division whose divisor's static range includes 0 (E0802): no executor spikes to compare with
        if (!ran.result) { refused.push(`${f}@${preset} (runDescriptor)`); continue; }
        let r;
        try {
          r = emulate(m.descriptor, costModel(spec), { steps: STEPS });
        } catch (err) {
          if (!(err instanceof EmulatorError)) throw err;
          emulatorRefused.push(`${f}@${preset}: ${err.message}`);
          continue;
        }
        const diff = firstSpikeDifference(r.spikes, ran.result.spikes);
        expect({ example: f, preset, diff }).toEqual({ example: f, preset, diff: null });
        expect(r.synaptic_events).toBe(ran.result.synapticEvents);
        expect(r.spikes_total).toBe(ran.result.spikesTotal);
        checked.push(`${f}@${preset}`);
      }
    }
    // the pairs that map today (a mapping regression fails here, not silently)
    for (const pair of ["cuba.glia@reram-128", "cuba.glia@fpga-ultrascale", "coba.glia@fpga-ultrascale", "lsm_reram.glia@loihi", "stdp.glia@loihi",
      "triplet_stdp.glia@fpga-ultrascale", "homeostatic_lr.glia@truenorth", "inputs.glia@reram-128", "two_point_pyramidal.glia@truenorth"]) {
      expect(checked).toContain(pair);
    }
    expect(checked.length).toBeGreaterThanOrEqual(30);
    // known gap: projections ensheathed by astrocytes read the synapse's astrocyte (space "astro", targets/fixed
    // astro.ts); descriptors do not carry the synapse -> astrocyte map yet, so the emulator refuses them
    expect(emulatorRefused.filter((x) => !/: \S+: cannot read astro\./.test(x))).toEqual([]);
    expect(emulatorRefused.map((x) => x.split(":")[0]).every((x) => /^(astro_|li_rinzel)/.test(x))).toBe(true);
  });
});
