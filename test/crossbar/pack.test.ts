// Tile packing: partial pieces share tiles (shared rows side by side, other rows block-diagonally), tiles
// never mix pre populations, the lower bounds, and a sliced network that packs into one tile and still
// validates, runs, and matches its synapse tables.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { CrossbarSpec } from "../../targets/hw/spec.js";
import { packTiles, tileLowerBound, type PackGroup } from "../../targets/crossbar/pack.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
const grp = (pre: string, a: number, b: number, cols: number, delay = 0): PackGroup => ({
  pre,
  rows: range(a, b),
  delays: range(a, b).map(() => delay),
  cols,
});

describe("packTiles", () => {
  it("stacks partial pieces of one population block-diagonally and never mixes populations", () => {
    const { tiles } = packTiles([grp("a", 0, 40, 20), grp("a", 40, 100, 30), grp("b", 0, 10, 5)], 128, 64);
    expect(tiles.length).toBe(2);
    expect(tiles[0]!.pre).toBe("a");
    expect(tiles[0]!.rowInputs).toEqual(range(0, 100).sort((x, y) => (x < 40 ? 1 : 0) - (y < 40 ? 1 : 0) || x - y));
    expect(tiles[0]!.pairs).toBe(50);
    expect(tiles[1]!.pre).toBe("b");
  });

  it("shares rows of the same element and delay; a different delay takes its own row", () => {
    const same = packTiles([grp("a", 0, 100, 30), grp("a", 0, 50, 20)], 128, 64);
    expect(same.tiles.length).toBe(1);
    expect(same.tiles[0]!.rowInputs.length).toBe(100);
    const other = packTiles([grp("a", 0, 100, 30), grp("a", 0, 50, 20, 3)], 128, 64);
    expect(other.tiles.length).toBe(2);
  });

  it("full pieces keep the grid order; the remainders fill free pairs", () => {
    // 300 rows x 150 pairs: row blocks 128, 128, 44; column chunks 64, 64, 22
    const { tiles, pieceOf } = packTiles([grp("a", 0, 300, 150)], 128, 64);
    expect(tiles.length).toBe(9);
    expect(pieceOf[0]![0]![0]!.pairAt).toBe(0);
    expect(tiles[0]!.pieces[0]).toBe(pieceOf[0]![0]![0]);
    // with a second group of 80 rows x 40 pairs: its piece stacks next to the 44-row x 22-pair corner
    const two = packTiles([grp("a", 0, 300, 150), grp("a", 300, 380, 40)], 128, 64);
    expect(two.tiles.length).toBe(9);
    const corner = two.tiles.find((t) => t.pieces.length === 2)!;
    expect(corner.rowInputs.length).toBe(124);
    expect(corner.pairs).toBe(62);
  });

  it("lower bounds: area over all populations; rows, columns and area per population", () => {
    // CUBA's shape: exc 3200 rows x 4000 pairs, inh 800 x 4000 on 128 x 64
    const b = tileLowerBound([grp("exc", 0, 3200, 4000), grp("inh", 0, 800, 4000)], 128, 64);
    expect(b.area).toBe(1954);
    expect(b.bound).toBe(1575 + 438);
    // the liquid state machine's shape: three populations, 135 pairs each -> 3 tiles each
    expect(tileLowerBound([grp("in", 0, 64, 135), grp("e", 0, 108, 135), grp("i", 0, 27, 135)], 128, 64)).toEqual({
      area: 4,
      bound: 9,
    });
  });
});

describe("mapping with packing", () => {
  const net = `
import "std/static.glia"
import "std/lif.glia"
network Sliced {
  dt = 0.1 ms
  seed = 3
  input src = poisson(rate = 200 Hz)[80]
  population a = LIF(E_L = -60 mV, V_th = -50 mV, V_reset = -60 mV, t_ref = 2 ms)[20]
  population b = LIF(E_L = -60 mV, V_th = -50 mV, V_reset = -60 mV, t_ref = 2 ms)[20]
  population c = LIF(E_L = -60 mV, V_th = -50 mV, V_reset = -60 mV, t_ref = 2 ms)[20]
  connect src[0:40] -> a with Static(w = uniform(0 mV, 3 mV)) onto ge all_to_all
  connect src[40:80] -> b with Static(w = uniform(0 mV, 3 mV)) onto ge all_to_all
  connect src -> c with Static(w = uniform(-1 mV, 3 mV)) onto ge all_to_all
  record spikes of a, b, c
  run 20 ms
}`;
  it("three slices of one input share one tile; the descriptor validates and runs", () => {
    const r = compile("s.glia", memoryHost({ "s.glia": net }, dirHost(REPO_ROOT)));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const m = mapCrossbar(r.ir!, loadPreset("reram-128").spec as CrossbarSpec, { profileSteps: 100 });
    const d = m.descriptor!;
    expect(d.tiles.length).toBe(1);
    expect(d.stats.lowerBound).toBe(1);
    const t = d.tiles[0]!;
    expect(t.rowInputs.length).toBe(80);
    expect(t.pairs.length).toBe(60);
    expect(t.cells.length).toBe(40 * 20 + 40 * 20 + 80 * 20);
    expect(validateDescriptor(JSON.parse(JSON.stringify(d))).ok).toBe(true);
    // every row input reaches the tile through the routing table
    const routed = new Set<number>();
    for (const rt of d.routing)
      for (const x of rt.routes) if (x.population === "src") for (let e = x.start; e < x.end; e++) routed.add(e);
    expect([...routed].sort((x, y) => x - y)).toEqual(range(0, 80));
    const run = runDescriptor(d, { duration: 0.02 });
    expect(run.result!.synapses).toBe(3200);
    expect(run.result!.spikesTotal).toBeGreaterThan(0);
  });
});
