// Tile placement (targets/digital/map.ts placeTiles) and the emulator's mean hops per packet: occupied tiles
// form the compact block with the least mean hop energy under uniform all-to-all traffic (8 tiles on Loihi's
// 8x4 mesh as 4x2, not a row of 8), the placement is in the emulation summary, and an all-to-all network on 8
// tiles sends its packets over the mean distance computed here from the placement and the spikes.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { placeTiles } from "../../targets/digital/map.js";
import { mapDigital } from "../../targets/digital/map.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { costModel, emulate, emulationSummary } from "../../targets/emulator/index.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

/** Mean Manhattan distance over all ordered pairs of positions (a tile to itself included: 0 hops). */
function meanPairHops(pos: { x: number; y: number }[]): number {
  let s = 0;
  for (const a of pos) for (const b of pos) s += Math.abs(a.x - b.x) + Math.abs(a.y - b.y);
  return s / (pos.length * pos.length);
}

const LOIHI_MESH = { x: 8, y: 4 };
/** The loihi preset's hop energies (east-west, north-south). */
const LOIHI_HOP = (() => {
  const e = (loadPreset("loihi").spec as DigitalSpec).emulator!.energy!;
  return { x: e.hopX!.value, y: e.hopY!.value };
})();

describe("placeTiles", () => {
  it("8 tiles on Loihi's 8x4 mesh with its hop energies: a 4x2 block, 1.75 mean hops (a row of 8: 2.625)", () => {
    const p = placeTiles(8, LOIHI_MESH, LOIHI_HOP);
    expect(p).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((t) => ({ x: t % 4, y: Math.floor(t / 4) })));
    expect(meanPairHops(p)).toBeCloseTo(1.75, 12);
    expect(meanPairHops(Array.from({ length: 8 }, (_, t) => ({ x: t, y: 0 })))).toBeCloseTo(2.625, 12);
  });

  it("equal hop weights: rows of 3, 3, 2 (fewer hops, 1.6875, than the 4x2 block's 1.75)", () => {
    const p = placeTiles(8, LOIHI_MESH);
    expect(p).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((t) => ({ x: t % 3, y: Math.floor(t / 3) })));
    expect(meanPairHops(p)).toBeCloseTo(1.6875, 12);
  });

  it("every count: distinct cells inside the mesh, never more mean hops than row-major order", () => {
    for (const mesh of [LOIHI_MESH, { x: 4, y: 4 }, { x: 16, y: 2 }])
      for (let n = 1; n <= mesh.x * mesh.y; n++) {
        const p = placeTiles(n, mesh, LOIHI_HOP);
        expect(p.length).toBe(n);
        expect(new Set(p.map((c) => `${c.x},${c.y}`)).size).toBe(n);
        for (const c of p) expect(c.x < mesh.x && c.y < mesh.y && c.x >= 0 && c.y >= 0).toBe(true);
        const rowMajor = Array.from({ length: n }, (_, t) => ({ x: t % mesh.x, y: Math.floor(t / mesh.x) }));
        const cost = (q: { x: number; y: number }[]): number => {
          let s = 0;
          for (const a of q)
            for (const b of q) s += LOIHI_HOP.x * Math.abs(a.x - b.x) + LOIHI_HOP.y * Math.abs(a.y - b.y);
          return s;
        };
        expect(cost(p)).toBeLessThanOrEqual(cost(rowMajor) * (1 + 1e-12));
      }
  });
});

describe("emulator: mean hops per packet on an all-to-all network over 8 tiles", () => {
  // 128 tonic neurons, 4 per core: 32 cores on 8 tiles of 4; every spike goes to every core
  const src = `
neuron Tonic {
  parameters { tau: ms = 20 ms }
  state { v: mV = uniform(-60 mV, -50 mV) }
  equations { v' = (-40 mV - v) / tau }
  spike when v > -50 mV { v = -60 mV }
}
synapse Nudge {
  parameters { w }
  on pre { post.target += w }
}
network AllToAll {
  dt = 1 ms
  seed = 5
  population p = Tonic[128]
  connect p -> p with Nudge(w = 0.01 mV) onto v all_to_all allow_self
  record spikes of p
  run 60 ms
}
`;
  const c = compile("a2a.glia", memoryHost({ "a2a.glia": src }, dirHost(REPO_ROOT)));
  const base = loadPreset("loihi").spec as DigitalSpec;
  const spec: DigitalSpec = { ...base, neuronsPerCore: { value: 4, source: "test", table: "4 neurons per core" } };

  it("places the 8 tiles as a 4x2 block and sends packets over the placement's mean distance", () => {
    expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const m = mapDigital(c.ir!, spec);
    expect(m.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const d = m.descriptor!;
    expect(d.cores.length).toBe(32);
    const r = emulate(d, costModel(spec));
    const s = emulationSummary(r, null);
    expect(s.placement.map((t) => [t.x, t.y])).toEqual(placeTiles(8, LOIHI_MESH, LOIHI_HOP).map((q) => [q.x, q.y]));
    expect(s.placement.map((t) => t.units)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((t) => [0, 1, 2, 3].map((u) => 4 * t + u)),
    );
    // expected: every spike of neuron i (core floor(i/4)) is one packet to each of the 32 cores
    const spikes = r.spikes.p!;
    expect(spikes.steps.length).toBeGreaterThan(100);
    let hops = 0;
    for (const i of spikes.indices) {
      const a = d.cores[Math.floor(i / 4)]!;
      for (const b of d.cores) hops += Math.abs(a.x - b.x) + Math.abs(a.y - b.y);
    }
    const packets = spikes.indices.length * 32;
    expect(s.packets).toBe(packets);
    expect(s.hops).toBe(hops);
    expect(s.mean_hops_per_packet).toBeCloseTo(hops / packets, 12);
    // uniform traffic: close to the placement's all-pairs mean (1.75), far below a row's 2.625
    expect(Math.abs(s.mean_hops_per_packet - meanPairHops(placeTiles(8, LOIHI_MESH, LOIHI_HOP)))).toBeLessThan(0.05);
  });
});
