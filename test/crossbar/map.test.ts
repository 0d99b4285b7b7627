// Crossbar mapping: tile counts against the lower bound, differential pairs against signed weights,
// seeded device variation, diagnostics for missing hardware features and for networks that do not fit,
// CUBA (N = 4000) and the liquid state machine on reram-128, and descriptors running on the executor.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { loadPreset, presetText } from "../../targets/hw/presets.js";
import { loadHardwareSpec, type CrossbarSpec } from "../../targets/hw/spec.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import type { CrossbarDescriptor } from "../../targets/descriptor/types.js";

const host = (files: Record<string, string> = {}) => memoryHost(files, dirHost(REPO_ROOT));
const ir = (file: string, files: Record<string, string> = {}): IRProgram => {
  const r = compile(file, host(files));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
};
const reram = (): CrossbarSpec => loadPreset("reram-128").spec as CrossbarSpec;
/** reram-128 with extra fields (cited as test inputs). */
function variant(extra: (s: Record<string, unknown>) => void): CrossbarSpec {
  const s = JSON.parse(presetText("reram-128")) as Record<string, unknown>;
  extra(s);
  const r = loadHardwareSpec(JSON.stringify(s), "variant.json");
  expect(r.diagnostics).toEqual([]);
  return r.spec as CrossbarSpec;
}
const cite = (value: number) => ({ value, source: "glia test input", table: "test" });

/** An input of `pre` Poisson neurons onto `post` LIF neurons, all to all, weights drawn from [-1, 2] mV. */
const dense = (pre: number, post: number) => `
import "std/static.glia"
import "std/lif.glia"
network Dense {
  dt = 0.1 ms
  seed = 5
  input src = poisson(rate = 20 Hz)[${pre}]
  population out = LIF(E_L = -60 mV, V_th = -50 mV, V_reset = -60 mV, t_ref = 2 ms)[${post}]
  connect src -> out with Static(w = uniform(-1 mV, 2 mV)) onto ge all_to_all
  record spikes of out
  run 50 ms
}`;

describe("crossbar mapping", () => {
  it("uses the lower bound of tiles for dense blocks (rows x column pairs)", () => {
    for (const [pre, post, tiles] of [
      [128, 64, 1],
      [256, 64, 2],
      [256, 128, 4],
      [384, 192, 9],
    ] as const) {
      const r = mapCrossbar(ir("d.glia", { "d.glia": dense(pre, post) }), reram(), { profileSteps: 100 });
      const d = r.descriptor!;
      expect([pre, post, d.tiles.length]).toEqual([pre, post, tiles]);
      expect(d.stats.lowerBound).toBe(tiles);
      expect(validateDescriptor(JSON.parse(JSON.stringify(d))).ok).toBe(true);
    }
  });

  it("differential pairs reproduce signed weights within one level (no variation: exactly the level step)", () => {
    const d = mapCrossbar(ir("d.glia", { "d.glia": dense(128, 64) }), reram(), { profileSteps: 100 }).descriptor!;
    const t = d.projections[0]!;
    const wm = d.weightMaps[0]!;
    expect(d.device.levels).toBe(4);
    expect(wm.scale).toBeGreaterThan(0);
    let pos = 0,
      neg = 0;
    for (const tile of d.tiles)
      for (const c of tile.cells) {
        // the float weight from the IR: uniform(-1 mV, 2 mV); the level difference approximates w / scale
        const fmt = t.vars.find((v) => v.name === t.weightVar)!.fmt;
        const word = t.raw[t.weightVar]![c.synapse]!;
        expect(word).toBe(c.weight);
        expect(c.gPlus === 0 || c.gMinus === 0).toBe(true);
        const levelsOf = c.gPlus - c.gMinus;
        const back = (word * 2 ** -fmt.fracBits) / wm.scale; // the weight word in level units
        expect(Math.abs(back - levelsOf)).toBeLessThanOrEqual(0.5);
        if (levelsOf > 0) pos++;
        if (levelsOf < 0) neg++;
      }
    expect(pos).toBeGreaterThan(0);
    expect(neg).toBeGreaterThan(0);
  });

  it("seeded device variation: the same seed gives the same words, and words move off the ideal levels", () => {
    const hw = variant((s) => {
      (s.device as Record<string, unknown>).deviceToDeviceSigma = cite(0.05);
    });
    const p = ir("d.glia", { "d.glia": dense(128, 64) });
    const a = mapCrossbar(p, hw, { profileSteps: 100 }).descriptor!;
    const b = mapCrossbar(p, hw, { profileSteps: 100 }).descriptor!;
    const ideal = mapCrossbar(p, reram(), { profileSteps: 100 }).descriptor!;
    const wa = a.projections[0]!.raw[a.projections[0]!.weightVar]!,
      wb = b.projections[0]!.raw[b.projections[0]!.weightVar]!;
    const wi = ideal.projections[0]!.raw[ideal.projections[0]!.weightVar]!;
    expect(wa).toEqual(wb);
    expect(a.device.deviceSigma).toBe(0.05);
    const differ = wa.filter((w, s) => w !== wi[s]).length;
    expect(differ).toBeGreaterThan(wa.length / 4);
    // the descriptor with variation runs on the executor
    const run = runDescriptor(a, { duration: 0.02 });
    expect(run.result?.synapses).toBe(128 * 64);
  });

  it("rejects astrocytes and on-chip plasticity with what and where", () => {
    const astro = mapCrossbar(ir("examples/astro_tripartite.glia"), reram());
    expect(astro.descriptor).toBeUndefined();
    expect(astro.diagnostics.map((d) => d.code)).toContain("E0801");
    expect(astro.diagnostics.map((d) => d.message).join("\n")).toMatch(
      /astrocyte population astrocytes \(\d+ astrocytes\).*reram-128 has none/,
    );
    const stdp = mapCrossbar(ir("examples/stdp.glia"), reram());
    expect(stdp.diagnostics.map((d) => d.message).join("\n")).toMatch(
      /projection plastic .*updates synapse state on chip/,
    );
  });

  it("CUBA (N = 4000): 2016 tiles of 128x128 on reram-128, a valid descriptor; on a 4x4 mesh it does not fit", () => {
    const p = ir("examples/cuba.glia");
    const r = mapCrossbar(p, reram(), { profileSteps: 300 });
    const d = r.descriptor!;
    // exc rows 3200 -> 25 blocks x (3200 + 800 pairs -> 63 blocks); inh rows 800 -> 7 x 63
    expect(d.tiles.length).toBe(25 * 63 + 7 * 63);
    expect(d.stats.synapses).toBe(d.projections.reduce((a, t) => a + t.n, 0));
    expect(d.tiles.reduce((a, t) => a + t.cells.length, 0)).toBe(d.stats.synapses);
    const small = variant((s) => {
      s.mesh = { x: cite(4), y: cite(4) };
    });
    const no = mapCrossbar(p, small, { profileSteps: 300 });
    expect(no.descriptor).toBeUndefined();
    const e = no.diagnostics.find((x) => x.code === "E0804")!;
    expect(e.message).toBe(
      "the network needs 2016 tiles of 128x128; the crossbar spec reram-128 has a 4x4 mesh (16 tiles)",
    );
    expect(e.hint).toMatch(/exc_exc \+ exc_inh: 3200 rows x 4000 column pairs -> 25 x 63 pieces/);
    expect(e.hint).toMatch(/packed into 2016 tiles \(lower bound 2013, area bound 1954\)$/);
  });

  it("CUBA's 2016 tiles: exc at its row bound (1575), inh at the product-tile optimum (441); 1954 unreachable", () => {
    const d = mapCrossbar(ir("examples/cuba.glia"), reram(), { profileSteps: 300 }).descriptor!;
    const R = 128;
    const P = 64;
    const count = (pre: string): number => d.tiles.filter((t) => t.prePopulation === pre).length;
    // rows and pairs of each pre population's group, from the descriptor's synapse tables
    const shape = (pre: string): { rows: number; pairs: number } => {
      const ts = d.projections.filter((t) => t.pre.population === pre);
      const rows = new Set(ts.flatMap((t) => t.preIndex)).size;
      const pairs = ts.reduce((a, t) => a + new Set(t.postIndex).size, 0);
      return { rows, pairs };
    };
    const exc = shape("exc");
    const inh = shape("inh");
    expect([exc, inh]).toEqual([
      { rows: 3200, pairs: 4000 },
      { rows: 800, pairs: 4000 },
    ]);
    // row bound: every row in ceil(pairs / P) tiles, R rows per tile
    const rowBound = (g: typeof exc): number => Math.ceil((g.rows * Math.ceil(g.pairs / P)) / R);
    // product tiles: pair slots >= pairs x ceil(rows / R) plus the rows' unused slots over R
    const productBound = (g: typeof exc): number =>
      Math.ceil((g.pairs * Math.ceil(g.rows / R) + (g.rows * (Math.ceil(g.pairs / P) * P - g.pairs)) / R) / P);
    expect(count("exc")).toBe(rowBound(exc));
    expect(count("exc")).toBe(1575);
    expect(count("inh")).toBe(productBound(inh));
    expect(count("inh")).toBe(441);
    expect(Math.ceil(((exc.rows + inh.rows) * 4000) / (R * P))).toBe(1954);
  });

  it("the liquid state machine maps onto reram-128 and its descriptor runs", () => {
    const d = mapCrossbar(ir("examples/lsm_reram.glia"), reram(), { profileSteps: 300 }).descriptor!;
    expect(d.tiles.length).toBe(9);
    const v = validateDescriptor(JSON.stringify(d));
    expect(v.ok).toBe(true);
    const run = runDescriptor(d, { duration: 0.1 });
    expect(run.result!.spikesTotal).toBeGreaterThan(0);
  });
});

describe("descriptor validation", () => {
  let base: CrossbarDescriptor;
  const fresh = (): CrossbarDescriptor => {
    base ??= mapCrossbar(ir("d.glia", { "d.glia": dense(128, 64) }), reram(), { profileSteps: 100 }).descriptor!;
    return JSON.parse(JSON.stringify(base)) as CrossbarDescriptor;
  };
  const errors = (d: unknown): string[] => {
    const v = validateDescriptor(d);
    return v.ok ? [] : v.errors;
  };

  it("accepts the mapper's output", () => expect(errors(fresh())).toEqual([]));
  it("rejects a missing field", () => {
    const d = fresh() as unknown as Record<string, unknown>;
    delete d.tiles;
    expect(errors(d)).toContain('(top level): missing field "tiles"');
    const e = fresh();
    delete (e.tiles[0] as unknown as Record<string, unknown>).rowInputs;
    expect(errors(e)).toContain('/tiles/0: missing field "rowInputs"');
  });
  it("rejects wrong sizes", () => {
    const d = fresh();
    d.projections[0]!.raw[d.projections[0]!.weightVar]!.pop();
    expect(errors(d).join("\n")).toMatch(/\/projections\/0\/raw\/w: 8191 words for n = 8192 synapses/);
    const e = fresh();
    e.tiles[0]!.rowInputs.push(...Array.from({ length: 5 }, () => 0));
    expect(errors(e).join("\n")).toMatch(/\/tiles\/0\/rowInputs: 133 rows used on a tile of 128 rows/);
  });
  it("rejects out-of-range levels and weights that disagree with the synapse table", () => {
    const d = fresh();
    d.tiles[0]!.cells[3]!.gPlus = 4;
    expect(errors(d)).toContain("/tiles/0/cells/3/gPlus: level 4 is out of range (the device has 4 levels, 0..3)");
    const e = fresh();
    e.tiles[0]!.cells[0]!.weight += 1;
    expect(errors(e).join("\n")).toMatch(/\/tiles\/0\/cells\/0\/weight: .* but the synapse table holds/);
  });
  it("rejects other versions and non-descriptors", () => {
    const d = fresh() as unknown as Record<string, unknown>;
    d.glia_descriptor = 1;
    expect(errors(d)).toEqual(["/glia_descriptor: version 1 is not supported (expected 2)"]);
    expect(errors("{")).toEqual([expect.stringMatching(/^not valid JSON/)]);
  });
});
