// glia export --to nest, live: NESTML synapses that read their postsynaptic neuron's state (post.X through a
// continuous post port paired with the neuron's copy after its update: targets/export/nest/post-ports.ts), built by
// NESTML 8.3.0 and run on NEST 3.10, against glia's reference. Exactly: test/fixtures/nest/post_read_weights.glia,
// whose NESTML synapses move no spike, gives glia's spike steps and each synapse's w after its last presynaptic
// spike to round-off. On the examples NEST's delays are at least one step, so a NESTML synapse's zero-delay delivery
// acts one step later than glia's and spike steps part (the handlers run at glia's times with glia's values): spike
// counts are compared, per neuron, over 5 seeds, and the plastic weights' mean.
// examples/homeostatic_lr.glia (on pre and on post read post.ca), test/fixtures/nest/oja_post_read.glia (Oja's
// on post reads post.y; its w only on post changes, and stays in the synapse), and test/fixtures/nest/stdp_apost.glia
// (the post trace apost, which NESTML would have moved into the neuron, recorded from the synapse).
import { beforeAll, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { describePeer, PEERS_VENV } from "../helpers/peers.js";
import { readFinalSynapses } from "../helpers/traces.js";
import { exportNestSeeds, gliaRun, gliaSpikes, readSpikes, tmpRoot, type JobResult } from "./export/exported.js";

const HLR = "examples/homeostatic_lr.glia";
const OJA = "test/fixtures/nest/oja_post_read.glia";
const APOST = "test/fixtures/nest/stdp_apost.glia";
const EXACT = "test/fixtures/nest/post_read_weights.glia";
const SEEDS = [1, 2, 3, 4, 5];

process.env.GLIA_NESTML_CACHE ??= path.join(PEERS_VENV, "nestml-cache");

/** synapses.csv rows of one variable: step -> values in the file's synapse order. */
function synapseRecord(file: string, variable: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))) {
    if (r[1] !== variable) continue;
    const k = Number(r[5]);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(Number(r[7]));
  }
  return out;
}

/** Spikes per element of a population. */
function perElement(spikes: string[] | undefined, n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const s of spikes ?? []) c[Number(s.split(":")[1])]!++;
  return c;
}

const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;

describePeer("glia export --to nest: NESTML synapses reading post state", ["nest", "nestml"], () => {
  const root = tmpRoot();
  let dirs = new Map<string, string>();
  let results: JobResult[] = [];

  beforeAll(async () => {
    ({ dirs, results } = await exportNestSeeds(root, [
      [HLR, SEEDS],
      [OJA, SEEDS],
      [APOST, [14]],
      [EXACT, [5]],
    ]));
  }, 1_800_000);

  it("every export builds and runs", () => {
    expect(results.map((r) => ("error" in r ? r.error : "ok"))).toEqual(Array(2 * SEEDS.length + 2).fill("ok"));
  });

  it("post_read_weights: glia's spike steps, and each synapse's w after its last presynaptic spike to 1e-12", () => {
    const out = path.join(dirs.get(`${EXACT}:5`)!, "out");
    const glia = gliaRun(EXACT, { seed: 5 });
    const spikes = gliaSpikes(glia);
    expect(readSpikes(path.join(out, "spikes.csv"))).toEqual(spikes);
    const nest = new Map(
      readFinalSynapses(path.join(out, "synapses_final.csv")).map((r) => [
        `${r.projection}:${r.variable}:${r.pre}:${r.post}`,
        r.value,
      ]),
    );
    const seen: Record<string, { compared: number; moved: number; worst: number }> = {};
    for (const [proj, v, pre, post] of [
      ["ff", "w", "x_in", "out"],
      ["aff", "w", "afferents", "cells"],
      ["aff", "y", "afferents", "cells"],
    ] as const) {
      const tr = glia.synapseTraces!.find((t) => t.projection === proj && t.variable === v)!;
      const s = glia.spikes[pre]!;
      const last = (e: number): number => Math.max(-1, ...s.steps.filter((_, x) => s.indices[x] === e));
      const p = glia.spikes[post]!;
      const fired = (e: number, k: number): boolean => p.steps.some((x, i) => x === k && p.indices[i] === e);
      const r = { compared: 0, moved: 0, worst: 0 };
      tr.synapses.forEach((_, c) => {
        const k = last(tr.pre[c]!);
        // glia runs `on post` of step k after `on pre`; NEST hands it to the synapse with the next presynaptic spike
        // (and a spike in the last step has no recorded step after it)
        const row = tr.steps.indexOf(k + 1);
        if (k < 0 || fired(tr.post[c]!, k) || row < 0) return;
        const mine = tr.values[row]![c]!;
        const theirs = nest.get(`${proj}:${v}:${tr.pre[c]}:${tr.post[c]}`)!;
        r.worst = Math.max(r.worst, Math.abs(theirs - mine));
        if (Math.abs(mine - tr.values[0]![c]!) > 1e-3) r.moved++;
        r.compared++;
      });
      seen[`${proj}.${v}`] = r;
    }
    // measured (2026-12-07): ff.w 152 synapses within 3.3e-16, aff.w 150 within 2.2e-16, aff.y 150 within 2.2e-15
    const ok = (r: { compared: number; moved: number; worst: number }): boolean =>
      r.compared > 100 && r.moved > 50 && r.worst <= 1e-12;
    expect({ ff: ok(seen["ff.w"]!), aff: ok(seen["aff.w"]!), y: ok(seen["aff.y"]!), seen }).toEqual({
      ff: true,
      aff: true,
      y: true,
      seen,
    });
  });

  it("homeostatic_lr (post.ca in on pre and on post): spikes over 5 seeds within 1 %, each cell's within one", () => {
    let worst = 0;
    let mine = 0;
    let theirs = 0;
    for (const seed of SEEDS) {
      const glia = gliaRun(HLR, { seed });
      const nest = readSpikes(path.join(dirs.get(`${HLR}:${seed}`)!, "out", "spikes.csv"));
      const a = perElement(
        Array.from(glia.spikes.cells!.steps, (k, x) => `${k}:${glia.spikes.cells!.indices[x]}`),
        20,
      );
      const b = perElement(nest.get("cells"), 20);
      mine += a.reduce((s, x) => s + x, 0);
      theirs += b.reduce((s, x) => s + x, 0);
      a.forEach((x, i) => (worst = Math.max(worst, Math.abs(b[i]! - x))));
    }
    expect(mine).toBeGreaterThan(1000);
    // measured (2026-12-07): 1,912 in glia, 1,908 in NEST; 95 of the 100 cells equal, 5 one spike apart
    const within = Math.abs(theirs - mine) / mine <= 0.01;
    expect({ glia: mine, nest: theirs, within, worstCell: worst }).toEqual({
      glia: mine,
      nest: theirs,
      within: true,
      worstCell: worst <= 1 ? worst : "more than one spike",
    });
  });

  it("Oja (post.y in on post): each neuron's spike count over 5 seeds within one, the mean w within 0.015", () => {
    let worst = 0;
    let worstW = 0;
    for (const seed of SEEDS) {
      const glia = gliaRun(OJA, { seed });
      const dir = dirs.get(`${OJA}:${seed}`)!;
      const nest = readSpikes(path.join(dir, "out", "spikes.csv"));
      const a = perElement(
        Array.from(glia.spikes.out!.steps, (k, x) => `${k}:${glia.spikes.out!.indices[x]}`),
        4,
      );
      const b = perElement(nest.get("out"), 4);
      expect(Math.min(...a)).toBeGreaterThan(20);
      a.forEach((x, i) => (worst = Math.max(worst, Math.abs(b[i]! - x))));
      // w, which only `on post` changes (NESTML would have moved it into the neuron: one per neuron), per record
      const tr = glia.synapseTraces!.find((t) => t.projection === "ff" && t.variable === "w")!;
      const theirs = synapseRecord(path.join(dir, "out", "synapses.csv"), "w");
      expect([...theirs.keys()]).toEqual(tr.steps);
      tr.steps.forEach((k, r) => {
        const g = Array.from(tr.values[r]!);
        const n = theirs.get(k)!;
        expect(n.length).toBe(g.length);
        worstW = Math.max(worstW, Math.abs(mean(n) - mean(g)));
      });
    }
    // measured (2026-12-07): 17 of 20 neurons equal, 3 one spike apart; the mean w up to 0.0102 apart (NEST's
    // higher), single weights up to 0.20: the post cells fire a step or two later in NEST, the pairings move
    expect({ worstNeuron: worst, worstMeanW: worstW <= 0.015 }).toEqual({
      worstNeuron: worst <= 1 ? worst : "more than one spike",
      worstMeanW: true,
    });
  });

  it("STDP's apost, which only `on post` increments, is recorded from the synapse (no W1016)", () => {
    const dir = dirs.get(`${APOST}:14`)!;
    const glia = gliaRun(APOST, { seed: 14 });
    const tr = glia.synapseTraces!.find((t) => t.projection === "plastic" && t.variable === "apost")!;
    const theirs = synapseRecord(path.join(dir, "out", "synapses.csv"), "apost");
    expect([...theirs.keys()]).toEqual(tr.steps);
    // at step 0 every trace is 0 in both; later each synapse's apost as of its last event, negative in both: glia's
    // as of its last pre or post spike, NEST's as of its last presynaptic spike (a post spike reaches the synapse
    // with the next presynaptic one), so glia's is the more negative (measured at step 10,000: mean -0.0042 in glia,
    // -0.0014 in NEST). That the value is glia's to round-off where the spikes are: post_read_weights' y, above.
    expect(theirs.get(0)!.every((x) => x === 0)).toBe(true);
    const n = theirs.get(tr.steps.at(-1)!)!;
    const g = Array.from(tr.values.at(-1)!);
    expect(n.length).toBe(200);
    expect(n.every((x) => x <= 0) && g.every((x) => x <= 0)).toBe(true);
    expect(n.filter((x) => x < 0).length).toBe(200);
    expect(mean(n)).toBeGreaterThanOrEqual(mean(g));
  });
});
