// Astrocytes in digital descriptors: the synapse -> astrocyte map lives in the astrocyte field of the synapse
// memories (width for the population), equals what assignAstrocytes draws, is what runDescriptor executes
// (so the executor and the emulator consume the same data), and corrupted maps are rejected.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/digital/map.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { astroMaps } from "../../targets/descriptor/astro.js";
import { withWeightParams } from "../../targets/descriptor/build.js";
import { assignAstrocytes } from "../../targets/network/ensheath.js";
import type { Csr } from "../../targets/network/connectivity.js";
import { execute } from "../../targets/fixed/executor.js";
import { quantize } from "../../targets/fixed/quantize.js";
import type { DigitalDescriptor } from "../../targets/descriptor/types.js";
import { costModel, emulate, firstSpikeDifference } from "../../targets/emulator/index.js";

const ir = (file: string): IRProgram => {
  const r = compile(file, dirHost(REPO_ROOT));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
};
const hw = (name: string): DigitalSpec => loadPreset(name).spec as DigitalSpec;
const copy = (d: DigitalDescriptor): DigitalDescriptor => JSON.parse(JSON.stringify(d)) as DigitalDescriptor;
const errors = (d: unknown): string[] => {
  const v = validateDescriptor(d);
  return v.ok ? [] : v.errors;
};

describe("synapse -> astrocyte map in digital descriptors", () => {
  const tri = ir("examples/astro_tripartite.glia");
  const d = mapDigital(tri, hw("fpga-ultrascale"), { profileSteps: 200 }).descriptor!;
  const syn = d.projections.find((t) => t.projection === "syn")!;
  const cellsCore = d.cores.find((c) => c.population === "cells")!;
  const mem = cellsCore.synapses.find((m) => m.projection === "syn")!;

  it("astro_tripartite on fpga-ultrascale: the cells core stores a 1-bit astrocyte field (2 astrocytes), block rule by hand", () => {
    expect(d.glia_descriptor).toBe(2);
    expect(errors(JSON.parse(JSON.stringify(d)))).toEqual([]);
    expect(syn.astro!.population).toBe("astrocytes");
    expect(syn.astro!.onSynapsePre.length).toBe(1);
    expect(d.neurons.find((g) => g.population === "astrocytes")!.stepEvery).toBe(50); // dt 5 ms / 0.1 ms
    expect(d.neurons.find((g) => g.population === "cells")!.stepEvery).toBe(1);
    expect(cellsCore.stages).toEqual(["neuron-update", "astrocyte"]);
    expect(mem.astrocyte!.bits).toBe(1);
    expect(mem.astrocyte!.index.length).toBe(mem.target.length);
    // block(pool = 1), 4 cells, 2 astrocytes: cell q -> astrocyte floor(q * 2 / 4)
    for (let e = 0; e < mem.target.length; e++)
      expect(mem.astrocyte!.index[e]).toBe(Math.floor(((cellsCore.start + mem.target[e]!) * 2) / 4));
    // the AstroSIC coupling (astrocytes -> cells) is not ensheathed: no astrocyte field
    expect(cellsCore.synapses.find((m) => m.projection !== "syn")!.astrocyte).toBeNull();
    // entries: 8-bit weight + 2-bit target (4 cells, no delays); the 1-bit astrocyte field comes on top
    expect(mem.entryBits).toBe(8 + 2);
    expect(mem.target.length).toBe(80);
  });

  it("equals assignAstrocytes on every ensheathed projection (random rule too: astro_lsm_branching)", () => {
    for (const [file, preset] of [
      ["examples/astro_tripartite.glia", "loihi"],
      ["examples/astro_lsm_branching.glia", "fpga-ultrascale"],
    ] as const) {
      const p = ir(file);
      const desc = mapDigital(p, hw(preset), { profileSteps: 200 }).descriptor!;
      const maps = astroMaps(desc);
      let checked = 0;
      for (const pr of p.projections.filter((x) => x.ensheathedBy)) {
        const t = desc.projections.find((x) => x.projection === pr.name)!;
        const nA = p.groups.find((g) => g.name === pr.ensheathedBy!.astrocytes)!.size;
        const csr = { n: t.n, post: Int32Array.from(t.postIndex) } as unknown as Csr;
        const want = assignAstrocytes(
          pr.name,
          csr,
          pr.post,
          nA,
          pr.ensheathedBy!.rule,
          pr.ensheathedBy!.pool,
          p.seed >>> 0,
        );
        expect(Array.from(maps.get(pr.name)!)).toEqual(Array.from(want));
        checked += t.n;
      }
      expect(checked).toBeGreaterThan(0);
    }
  });

  it("runDescriptor executes the stored map: equal to the direct fixed-point run (random rule), and a changed map changes the run", () => {
    const p = ir("examples/astro_lsm_branching.glia");
    const desc = mapDigital(p, hw("fpga-ultrascale"), { profileSteps: 200 }).descriptor!;
    const duration = 0.1;
    const a = runDescriptor(copy(desc), { duration }).result!;
    const q = quantize(withWeightParams(p), { spec: desc.fixed, profileSteps: 0, formats: desc.formats });
    const b = execute(q.program!, { duration }).result;
    expect(a.spikesTotal).toBeGreaterThan(0);
    for (const pop of ["liquid", "inh"]) {
      expect(Array.from(a.spikes[pop]!.steps)).toEqual(Array.from(b.spikes[pop]!.steps));
      expect(Array.from(a.spikes[pop]!.indices)).toEqual(Array.from(b.spikes[pop]!.indices));
    }
    const traceOf = (r: typeof a): number[] =>
      r.traces.filter((t) => t.population === "astrocytes").flatMap((t) => t.values.flatMap((v) => Array.from(v)));
    expect(traceOf(a)).toEqual(traceOf(b));
    // every synapse moved to the next astrocyte: still valid, but the astrocytes integrate other synapses
    const moved = copy(desc);
    for (const c of moved.cores)
      for (const m of c.synapses) if (m.astrocyte) m.astrocyte.index = m.astrocyte.index.map((x) => (x + 1) % 10);
    expect(errors(moved)).toEqual([]);
    const c = runDescriptor(moved, { duration }).result!;
    expect(traceOf(c)).not.toEqual(traceOf(a));
    // ... and the emulator reads the same changed map
    const r = emulate(moved, costModel(hw("fpga-ultrascale")), { steps: 200 });
    const c200 = runDescriptor(moved, { duration: 200 * moved.dt }).result!;
    expect(firstSpikeDifference(r.spikes, c200.spikes)).toBeNull();
  });

  it("rejects corrupted astrocyte maps", () => {
    const path = `/cores/${cellsCore.id}/synapses/${cellsCore.synapses.indexOf(mem)}`;
    const short = copy(d);
    short.cores[cellsCore.id]!.synapses[cellsCore.synapses.indexOf(mem)]!.astrocyte!.index.pop();
    expect(errors(short)).toEqual([
      `${path}/astrocyte/index: ${mem.target.length - 1} entries, expected ${mem.target.length}`,
    ]);
    const out = copy(d);
    out.cores[cellsCore.id]!.synapses[cellsCore.synapses.indexOf(mem)]!.astrocyte!.index[3] = 2;
    expect(errors(out)).toEqual([`${path}/astrocyte/index/3: astrocyte 2 is outside astrocytes (size 2)`]);
    const narrow = copy(d);
    const nm = narrow.cores[cellsCore.id]!.synapses[cellsCore.synapses.indexOf(mem)]!;
    nm.astrocyte!.bits = 1;
    narrow.neurons.find((g) => g.population === "astrocytes")!.size = 4;
    for (const [k, xs] of Object.entries(narrow.neurons.find((g) => g.population === "astrocytes")!.initial))
      narrow.neurons.find((g) => g.population === "astrocytes")!.initial[k] = [...xs, ...xs];
    // consistently: the embedded IR's population and the core holding it grow too (else that is reported first)
    (narrow.ir.program as { groups: { name: string; size: number }[] }).groups.find(
      (g) => g.name === "astrocytes",
    )!.size = 4;
    const astroCore = narrow.cores.find((c) => c.population === "astrocytes")!;
    astroCore.end = astroCore.start + 4;
    for (const [k, xs] of Object.entries(astroCore.state)) astroCore.state[k] = [...xs, ...xs];
    nm.astrocyte!.index[0] = 3;
    expect(errors(narrow)).toContain(`${path}/astrocyte/index/0: astrocyte 3 does not fit the 1-bit field`);
    const missing = copy(d);
    missing.cores[cellsCore.id]!.synapses[cellsCore.synapses.indexOf(mem)]!.astrocyte = null;
    expect(errors(missing)).toEqual([
      `${path}/astrocyte: syn is ensheathed by astrocytes, but its synapse memory holds no astrocyte map`,
    ]);
    const extra = copy(d);
    const other = extra.cores[cellsCore.id]!.synapses.find((m) => m.projection !== "syn")!;
    other.astrocyte = { bits: 1, index: other.target.map(() => 0) };
    expect(errors(extra)).toEqual([
      `/cores/${cellsCore.id}/synapses/${cellsCore.synapses.findIndex((m) => m.projection !== "syn")}/astrocyte: ${other.projection} is not ensheathed, but its synapse memory holds an astrocyte map`,
    ]);
    const noStage = copy(d);
    noStage.cores[cellsCore.id]!.stages = ["neuron-update"];
    expect(errors(noStage)).toEqual([
      `/cores/${cellsCore.id}/stages: the core holds synapses ensheathed by astrocytes (syn) but has no "astrocyte" stage`,
    ]);
    // unvalidated: the runner and the emulator refuse an ensheathed projection without its map
    expect(runDescriptor(missing, { duration: 0.001 }).diagnostics.map((x) => x.message)).toEqual([
      "descriptor: syn is ensheathed by astrocytes, but no synapse memory holds its astrocyte map",
    ]);
    expect(() => emulate(missing, costModel(hw("fpga-ultrascale")), { steps: 1 })).toThrow(
      "syn: ensheathed by astrocytes, but no synapse memory holds its astrocyte map",
    );
    // the schema: a negative index, a missing field
    const neg = copy(d);
    neg.cores[cellsCore.id]!.synapses[cellsCore.synapses.indexOf(mem)]!.astrocyte!.index[0] = -1;
    expect(errors(neg).join("\n")).toMatch(/astrocyte\/index\/0/);
    const noField = copy(d) as unknown as { cores: { synapses: Record<string, unknown>[] }[] };
    delete noField.cores[cellsCore.id]!.synapses[0]!.astrocyte;
    expect(errors(noField).join("\n")).toMatch(/astrocyte/);
    // a descriptor of the previous format
    expect(errors({ ...copy(d), glia_descriptor: 1 })).toEqual([
      "/glia_descriptor: version 1 is not supported (expected 2)",
    ]);
  });
});
