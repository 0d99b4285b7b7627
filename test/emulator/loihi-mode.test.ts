// `glia emulate --hw loihi` runs the preset's neuron mode: the groups `run --target fixed --hw loihi` steps as
// Lava's bit-accurate LIF are LIF compartments in the emulator too (targets/emulator/loihi.ts), so the emulator,
// the descriptor runner (emulate --check) and the fixed target agree bit for bit: on a CUBA-like network
// without refractoriness (the generic datapath differed from step 8 on) and on every example that maps onto
// the loihi preset.
import { describe, expect, it } from "@jest/globals";
import { readdirSync } from "node:fs";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { mapDigital } from "../../targets/digital/map.js";
import { makeFixedTarget } from "../../targets/fixed/index.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { costModel, emulate, EmulatorError, firstSpikeDifference } from "../../targets/emulator/index.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

const CUBA = `
import "std/static.glia"
neuron CurLIF {
  parameters {
    taum: ms = 20 ms
    taus: ms = 5 ms
    Vt: mV = -50 mV
    Vr: mV = -60 mV
    El: mV = -49 mV
  }
  state {
    v: mV = uniform(Vr, Vt)
    I: mV = 0 mV
  }
  equations {
    v' = (I - (v - El)) / taum
    I' = -I / taus
  }
  method exact
  spike when v > Vt { v = Vr }
}
network CubaLoihi {
  dt = 1 ms
  seed = 1
  population exc = CurLIF[400]
  population inh = CurLIF[100]
  connect exc -> exc, inh with Static(w = 0.8 mV) onto I fixed_probability(0.05) allow_self
  connect inh -> exc, inh with Static(w = -4 mV) onto I fixed_probability(0.05) allow_self
  record spikes of exc, inh
  run 300 ms
}
`;
import { sweepable } from "../helpers/examples.js";

const loihi = loadPreset("loihi").spec as DigitalSpec;
/** The loihi preset with 125 neurons per core (several cores, tiles and routes for 500 neurons). */
const loihi125: DigitalSpec = { ...loihi, neuronsPerCore: { value: 125, source: "test", table: "125 per core" } };

function fixedRun(ir: IRProgram, profileSteps?: number, duration?: number) {
  const out = makeFixedTarget(undefined, profileSteps).run(ir, { hw: "loihi", duration });
  expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return out;
}

describe("emulate --hw loihi: Lava's LIF compartments, bit for bit with run --target fixed --hw loihi", () => {
  const c = compile("cuba.glia", memoryHost({ "cuba.glia": CUBA }, dirHost(REPO_ROOT)));
  const ir = c.ir!;

  it("a CUBA-like network without refractoriness: emulator = descriptor runner = fixed target", () => {
    expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const fixed = fixedRun(ir);
    // every group runs in loihi mode (no note that one fell back to the generic path)
    expect(fixed.diagnostics.filter((d) => d.message.startsWith("loihi mode"))).toEqual([]);
    const m = mapDigital(ir, loihi125);
    expect(m.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const d = m.descriptor!;
    expect(d.cores.length).toBe(4 + 1);
    const emu = emulate(d, costModel(loihi125));
    const ran = runDescriptor(d);
    expect(ran.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    const f = fixed.result!;
    expect(f.populations.exc!.spikes).toBeGreaterThan(500);
    expect(firstSpikeDifference(emu.spikes, ran.result!.spikes)).toBeNull();
    expect(firstSpikeDifference(emu.spikes, f.spikes)).toBeNull();
    expect(emu.spikes_total).toBe(f.spikesTotal);
    expect(emu.synaptic_events).toBe(f.synapticEvents);
  });

  it("the generic datapath gives other spikes (the mode is what makes them agree)", () => {
    const generic: DigitalSpec = { ...loihi125, neuronMode: "generic" };
    const emu = emulate(mapDigital(ir, generic).descriptor!, costModel(generic));
    expect(firstSpikeDifference(emu.spikes, fixedRun(ir).result!.spikes)).not.toBeNull();
  });

  it("every example that maps onto loihi, 100 steps: emulator = fixed target on the recorded populations", () => {
    const checked: string[] = [];
    for (const f of readdirSync(`${REPO_ROOT}/examples`)
      .filter((x) => x.endsWith(".glia") && sweepable(x))
      .sort()) {
      const e = compile(`examples/${f}`, nodeHost());
      if (!e.ir) continue;
      const m = mapDigital(e.ir, loihi, { profileSteps: 200 });
      if (!m.descriptor) continue;
      const steps = 100;
      let emu;
      try {
        emu = emulate(m.descriptor, costModel(loihi), { steps });
      } catch (err) {
        if (!(err instanceof EmulatorError)) throw err;
        continue;
      }
      const fixed = makeFixedTarget(undefined, 200).run(e.ir, { hw: "loihi", duration: steps * e.ir.dt });
      if (!fixed.result) continue;
      expect({ f, diff: firstSpikeDifference(emu.spikes, fixed.result.spikes) }).toEqual({ f, diff: null });
      checked.push(f);
    }
    // cuba.glia (7 cores) too: its folded inhibitory weight is the descriptor's signed word on the fixed
    // target since lower.ts rounds a subtracted constant with its sign (test/emulator/folded-weight.test.ts)
    expect(checked).toEqual(expect.arrayContaining(["cuba.glia", "lsm_reram.glia", "stdp.glia"]));
  });
});
