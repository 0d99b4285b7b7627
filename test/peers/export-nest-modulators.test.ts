// glia export --to nest with network modulators, live: run.py evaluates every modulator before each step (glia's phase
// 0: declaration order, t_k, rate(POP) from POP's spikes of step k-1) and sets it into the NESTML neurons that read it;
// a synapse reads its neuron's copy, made after the update (targets/export/nest/modulators.ts). Exactly:
// test/fixtures/nest/modulator_weights.glia (a group whose equation reads mod.pull of an input's rate, synapses reading
// mod.novelty of t in `on post` and mod.attention of t and of rate(cells) in both handlers; the plastic synapses move
// no spike) gives glia's spike steps and each synapse's w after its last presynaptic spike to round-off. On
// examples/izhikevich_reservoir_3factor.glia and examples/soft_hebbian_wta.glia every synapse between neurons has
// glia's zero delay, one step in NEST (the stated tolerance of every NEST export), so spike steps part: per-population
// spike counts over 5 seeds are compared.
import { beforeAll, expect, it } from "@jest/globals";
import * as path from "node:path";
import { describePeer, PEERS_VENV } from "../helpers/peers.js";
import { readFinalSynapses } from "../helpers/traces.js";
import { exportNestSeeds, gliaRun, gliaSpikes, readSpikes, tmpRoot, type JobResult } from "./export/exported.js";

const IZH = "examples/izhikevich_reservoir_3factor.glia";
const WTA = "examples/soft_hebbian_wta.glia";
const EXACT = "test/fixtures/nest/modulator_weights.glia";
const SEEDS = [1, 2, 3, 4, 5];

process.env.GLIA_NESTML_CACHE ??= path.join(PEERS_VENV, "nestml-cache");

describePeer("glia export --to nest: network modulators", ["nest", "nestml"], () => {
  const root = tmpRoot();
  let dirs = new Map<string, string>();
  let results: JobResult[] = [];

  beforeAll(async () => {
    ({ dirs, results } = await exportNestSeeds(root, [
      [EXACT, [5]],
      [IZH, SEEDS],
      [WTA, SEEDS],
    ]));
  }, 1_800_000);

  it("every export builds and runs", () => {
    expect(results.map((r) => ("error" in r ? r.error : "ok"))).toEqual(Array(1 + 2 * SEEDS.length).fill("ok"));
  });

  it("modulator_weights: glia's spike steps, and each synapse's w after its last presynaptic spike to 1e-12", () => {
    const out = path.join(dirs.get(`${EXACT}:5`)!, "out");
    const glia = gliaRun(EXACT, { seed: 5 });
    expect(readSpikes(path.join(out, "spikes.csv"))).toEqual(gliaSpikes(glia));
    const nest = new Map(
      readFinalSynapses(path.join(out, "synapses_final.csv")).map((r) => [
        `${r.projection}:${r.variable}:${r.pre}:${r.post}`,
        r.value,
      ]),
    );
    const seen: Record<string, { compared: number; moved: number; worst: number }> = {};
    for (const [proj, pre, post] of [
      ["ff", "x_in", "out"],
      ["aff", "x_in", "cells"],
    ] as const) {
      const tr = glia.synapseTraces!.find((t) => t.projection === proj && t.variable === "w")!;
      const s = glia.spikes[pre]!;
      const last = (e: number): number => Math.max(-1, ...s.steps.filter((_, x) => s.indices[x] === e));
      const p = glia.spikes[post]!;
      const fired = (e: number, k: number): boolean => p.steps.some((x, i) => x === k && p.indices[i] === e);
      const r = { compared: 0, moved: 0, worst: 0 };
      tr.synapses.forEach((_, c) => {
        const k = last(tr.pre[c]!);
        // glia runs `on post` of step k after `on pre`; NEST hands it to the synapse with the next presynaptic spike
        const row = tr.steps.indexOf(k + 1);
        if (k < 0 || fired(tr.post[c]!, k) || row < 0) return;
        const mine = tr.values[row]![c]!;
        const theirs = nest.get(`${proj}:w:${tr.pre[c]}:${tr.post[c]}`)!;
        r.worst = Math.max(r.worst, Math.abs(theirs - mine));
        if (Math.abs(mine - tr.values[0]![c]!) > 1e-3) r.moved++;
        r.compared++;
      });
      seen[proj] = r;
    }
    const ok = (r: { compared: number; moved: number; worst: number }): boolean =>
      r.compared >= 100 && r.moved >= 50 && r.worst <= 1e-12;
    expect({ ff: ok(seen.ff!), aff: ok(seen.aff!), seen }).toEqual({ ff: true, aff: true, seen });
  });

  for (const [file, tolerance] of [
    [IZH, 0.05],
    [WTA, 0.05],
  ] as const)
    it(`${path.basename(file)}: per-population spike counts over 5 seeds within ${tolerance * 100} %`, () => {
      const glia = new Map<string, number>();
      const nest = new Map<string, number>();
      SEEDS.forEach((seed, i) => {
        const r = results[1 + (file === IZH ? 0 : SEEDS.length) + i]!;
        if ("error" in r) throw new Error(r.error);
        for (const [pop, p] of Object.entries(gliaRun(file, { seed }).populations))
          glia.set(pop, (glia.get(pop) ?? 0) + p.spikes);
        for (const [pop, p] of Object.entries(r.populations)) nest.set(pop, (nest.get(pop) ?? 0) + p.spikes);
      });
      const within = [...glia].map(([pop, n]) => [pop, Math.abs((nest.get(pop) ?? 0) - n) <= tolerance * n]);
      expect({ glia, nest, within: Object.fromEntries(within) }).toEqual({
        glia,
        nest,
        within: Object.fromEntries([...glia.keys()].map((pop) => [pop, true])),
      });
    });
});
