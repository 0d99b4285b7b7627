// Which example families map onto the reram-128 crossbar and the fpga-ultrascale digital cores now that
// sigmoid/tanh/exp tables, heaviside, division and event-driven traces have fixed-point forms (short
// profiling runs). Calls the mappers read-only.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { CrossbarSpec, DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/digital/map.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";

const ir = (file: string): IRProgram => {
  const r = compile(`examples/${file}.glia`, dirHost(REPO_ROOT));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
};
const errors = (ds: { severity: string; code: string; message: string }[]): string[] =>
  ds.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);

describe("families on both presets", () => {
  for (const [file, tiles, cores] of [
    ["two_point_pyramidal", 2, 1],
    ["active_dendrites_nmda", 2, 1],
    ["lsm_reram", 9, 2],
  ] as const) {
    it(`${file}: ${tiles} reram-128 tiles, ${cores} fpga-ultrascale core(s)`, () => {
      const p = ir(file);
      const x = mapCrossbar(p, loadPreset("reram-128").spec as CrossbarSpec, { profileSteps: 200 });
      expect(errors(x.diagnostics)).toEqual([]);
      expect(x.descriptor!.tiles.length).toBe(tiles);
      const f = mapDigital(p, loadPreset("fpga-ultrascale").spec as DigitalSpec, { profileSteps: 200 });
      expect(errors(f.diagnostics)).toEqual([]);
      expect(f.descriptor!.cores.length).toBe(cores);
    });
  }
});

describe("families on fpga-ultrascale (on-chip plasticity, astrocyte stages)", () => {
  for (const [file, cores] of [
    ["stdp", 1],
    ["triplet_stdp", 1],
    ["homeostatic_lr", 1],
    ["reservoir_homeostasis", 2],
    ["ei_divisive_subtractive", 3],
    ["heterogeneous", 2],
    ["astro_tripartite", 2],
    ["astro_lsm_branching", 3],
  ] as const) {
    it(`${file}: ${cores} core(s)`, () => {
      const f = mapDigital(ir(file), loadPreset("fpga-ultrascale").spec as DigitalSpec, { profileSteps: 200 });
      expect(errors(f.diagnostics)).toEqual([]);
      expect(f.descriptor!.cores.length).toBe(cores);
    });
  }

  it("plastic families are refused by the crossbar with E0801 (fixed conductances)", () => {
    const x = mapCrossbar(ir("stdp"), loadPreset("reram-128").spec as CrossbarSpec, { profileSteps: 200 });
    expect(
      errors(x.diagnostics).some((m) => /^E0801 projection plastic \(STDP\) updates synapse state on chip/.test(m)),
    ).toBe(true);
  });
});
