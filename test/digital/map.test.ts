// Digital-core mapping (fpga-ultrascale, loihi, truenorth): descriptors run on the executor exactly as the
// direct fixed-point run, CUBA (N = 4000) core counts, limits with numbers, families, and the CLI command.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { runCli } from "../../cli/main.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/digital/map.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { withWeightParams } from "../../targets/descriptor/build.js";
import { execute } from "../../targets/fixed/executor.js";
import { quantize } from "../../targets/fixed/quantize.js";
import type { DigitalDescriptor } from "../../targets/descriptor/types.js";

const ir = (file: string): IRProgram => {
  const r = compile(file, dirHost(REPO_ROOT));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
};
const hw = (name: string): DigitalSpec => loadPreset(name).spec as DigitalSpec;

describe("digital-core mapping", () => {
  it("a descriptor's spikes on the executor equal the direct fixed-point run (lsm_reram, coba)", () => {
    for (const [file, pop] of [
      ["examples/lsm_reram.glia", "liquid_e"],
      ["examples/coba.glia", "exc"],
    ] as const) {
      const p = ir(file);
      const d = mapDigital(p, hw("fpga-ultrascale"), { profileSteps: 300 }).descriptor!;
      expect(validateDescriptor(JSON.stringify(d)).ok).toBe(true);
      const duration = 0.05;
      const a = runDescriptor(JSON.parse(JSON.stringify(d)) as DigitalDescriptor, { duration });
      const q = quantize(withWeightParams(p), { spec: d.fixed, profileSteps: 0, formats: d.formats });
      const b = execute(q.program!, { duration });
      expect(a.result!.spikesTotal).toBeGreaterThan(0);
      expect(Array.from(a.result!.spikes[pop]!.steps)).toEqual(Array.from(b.result.spikes[pop]!.steps));
      expect(Array.from(a.result!.spikes[pop]!.indices)).toEqual(Array.from(b.result.spikes[pop]!.indices));
    }
  });

  it("CUBA (N = 4000): 5 cores (4 x 800 + 800) on fpga-ultrascale; 7 cores on loihi (1024 per core: too much synapse memory)", () => {
    const p = ir("examples/cuba.glia");
    const d = mapDigital(p, hw("fpga-ultrascale"), { profileSteps: 300 }).descriptor!;
    // equal slices (balanced neuron updates): 3200 as 4 x 800, not 1024 + 1024 + 1024 + 128
    expect(d.cores.map((c) => `${c.population}[${c.start}:${c.end}]`)).toEqual([
      "exc[0:800]",
      "exc[800:1600]",
      "exc[1600:2400]",
      "exc[2400:3200]",
      "inh[0:800]",
    ]);
    expect(d.stats.lowerBound).toBe(5);
    const entries = d.cores.reduce((a, c) => a + c.synapses.reduce((x, m) => x + m.target.length, 0), 0);
    expect(entries).toBe(d.stats.synapses);
    expect(validateDescriptor(JSON.stringify(d)).ok).toBe(true);
    // the language's seeds are below 2^32 (the Philox key word): a descriptor with another seed is refused
    for (const seed of [2 ** 32, 1e30, -1]) {
      const v = validateDescriptor(JSON.stringify({ ...d, seed }));
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.errors.some((e) => e.includes("/seed"))).toBe(true);
    }
    expect(validateDescriptor(JSON.stringify({ ...d, seed: 2 ** 32 - 1 })).ok).toBe(true);
    // loihi: 1024 neurons per core would need 1,551,730 bits of synapse memory on core 0 (a core has 1,048,576):
    // the automatic partition splits exc into 5 cores of 640 and inh into 2 of 400 (test/digital/partition.test.ts)
    const l = mapDigital(p, hw("loihi"), { profileSteps: 300 });
    expect(l.descriptor!.cores.map((c) => `${c.population}[${c.start}:${c.end}]`)).toEqual([
      "exc[0:640]",
      "exc[640:1280]",
      "exc[1280:1920]",
      "exc[1920:2560]",
      "exc[2560:3200]",
      "inh[0:400]",
      "inh[400:800]",
    ]);
    const old = mapDigital(p, hw("loihi"), { profileSteps: 300, neuronsPerCore: 1024 });
    expect(old.descriptor).toBeUndefined();
    expect(old.diagnostics.find((x) => x.code === "E0804")!.message).toBe(
      "core 0 (exc[0:1024]) needs 1551730 bits of synapse memory (81670 synapses); a loihi core has 1048576",
    );
  });

  it("truenorth: the liquid fits one core per population; CUBA's 80 inputs per neuron: slices within 256 axons", () => {
    const d = mapDigital(ir("examples/lsm_reram.glia"), hw("truenorth"), { profileSteps: 300 }).descriptor!;
    expect(d.cores.map((c) => [c.population, c.end - c.start])).toEqual([
      ["liquid_e", 108],
      ["liquid_i", 27],
    ]);
    expect(d.neuronsPerCore).toBe(256);
    const p = ir("examples/cuba.glia");
    const c = mapDigital(p, hw("truenorth"), { profileSteps: 300 }).descriptor!;
    const axons = c.cores.map((k) => k.synapses.reduce((a, m) => a + m.axons.length, 0));
    expect(Math.max(...axons)).toBeLessThanOrEqual(256);
    expect(c.cores.length).toBeLessThanOrEqual(4096);
    // 256 neurons per core (the old mapping) needs more than 256 axons per core
    const old = mapDigital(p, hw("truenorth"), { profileSteps: 300, neuronsPerCore: 256 });
    expect(old.diagnostics.find((x) => x.code === "E0804")!.message).toMatch(
      /^core 0 \(exc\[0:256\]\) needs \d{4} input axons; a truenorth core has 256$/,
    );
  });

  it("rejects corrupted core memories", () => {
    const d = mapDigital(ir("examples/lsm_reram.glia"), hw("fpga-ultrascale"), { profileSteps: 300 }).descriptor!;
    const bad = JSON.parse(JSON.stringify(d)) as DigitalDescriptor;
    bad.cores[0]!.synapses[0]!.target[0] = 500;
    const v = validateDescriptor(bad);
    expect(v.ok ? [] : v.errors).toEqual([
      expect.stringMatching(/^\/cores\/0\/synapses\/0\/target\/0: local neuron 500 on a core of 108 neurons$/),
    ]);
    const bad2 = JSON.parse(JSON.stringify(d)) as DigitalDescriptor;
    bad2.cores[1]!.synapses[0]!.axonStart.pop();
    const v2 = validateDescriptor(bad2);
    expect(v2.ok).toBe(false);
  });

  it("glia compile --target fpga|crossbar --hw PRESET -o FILE writes a valid descriptor", async () => {
    const io = captureIo();
    expect(
      await runCli(
        ["compile", "examples/lsm_reram.glia", "--target", "fpga", "--hw", "fpga-ultrascale", "-o", "out.json"],
        io,
      ),
    ).toBe(0);
    expect(io.stdout).toMatch(/^LSMReRAM -> fpga-ultrascale: 2 cores \(lower bound 2\), 5028 synapses/);
    expect(validateDescriptor(io.files.get("out.json")!).ok).toBe(true);
    expect(
      await runCli(
        ["compile", "examples/lsm_reram.glia", "--target", "crossbar", "--hw", "reram-128", "-o", "x.json"],
        io,
      ),
    ).toBe(0);
    expect(io.stdout).toMatch(/LSMReRAM -> reram-128: 9 tiles \(lower bound 9\)/);
    expect(
      await runCli(
        ["compile", "examples/lsm_reram.glia", "--target", "crossbar", "--hw", "fpga-ultrascale", "-o", "y.json"],
        io,
      ),
    ).toBe(1);
    expect(io.stderr).toMatch(/fpga-ultrascale is a digital spec; --target crossbar needs a crossbar spec/);
    expect(await runCli(["compile", "examples/lsm_reram.glia", "--target", "fpga", "-o", "y.json"], io)).toBe(2);
  });
});
