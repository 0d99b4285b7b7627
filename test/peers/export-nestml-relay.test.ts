// glia export --to nest, live: a NESTML synapse with `on post` and delays of a step or more, its presynaptic spikes
// relayed by parrot_neurons after glia's delay (targets/export/nest/relays.ts). test/fixtures/nest/vogels_isp_delay.glia:
// VogelsISP from inh to exc with delays of 0 to 10 steps and a transmission too weak to move a spike, so NEST's
// synapses see glia's pre and post spikes: each synapse's w after its last `on pre` must be glia's.
import { beforeAll, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { describePeer, PEERS_VENV } from "../helpers/peers.js";
import { readFinalSynapses } from "../helpers/traces.js";
import { exportModel, gliaRun, gliaSpikes, readSpikes, runJobs, tmpRoot, type JobResult } from "./export/exported.js";

const MODEL = "test/fixtures/nest/vogels_isp_delay.glia";

process.env.GLIA_NESTML_CACHE ??= path.join(PEERS_VENV, "nestml-cache");

describePeer("glia export --to nest: NESTML synapses with `on post` and a delay, relayed", ["nest", "nestml"], () => {
  const dir = path.join(tmpRoot(), "relay");
  let results: JobResult[] = [];
  let steps = 0;

  beforeAll(async () => {
    const a = await exportModel(MODEL, "nest", dir);
    expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // glia records w; the NEST script cannot read a relayed synapse's connections while running (W1016)
    expect(a.diagnostics.map((d) => d.code)).toEqual(["W1016"]);
    steps = a.steps;
    results = runJobs([
      { script: path.join(dir, "run.py"), data: path.join(dir, "data"), out: path.join(dir, "out"), steps, seed: 3 },
    ]);
  }, 1_800_000);

  it("glia's spike steps, and each synapse's w after its last `on pre` (0 to 10 steps after the spike) to 1e-12", () => {
    expect(results.map((r) => ("error" in r ? r.error : "ok"))).toEqual(["ok"]);
    const out = path.join(dir, "out");
    const glia = gliaRun(MODEL);
    expect(readSpikes(path.join(out, "spikes.csv"))).toEqual(gliaSpikes(glia));
    expect(fs.readFileSync(path.join(dir, "run.py"), "utf8")).toContain(
      'relay = nest.Create("parrot_neuron", SIZES["inh"])',
    );
    // glia's synapse order: the rows of data/proj_plastic.csv (pre, post, delay in steps)
    const rows = fs
      .readFileSync(path.join(dir, "data/proj_plastic.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").map(Number));
    const tr = glia.synapseTraces!.find((t) => t.projection === "plastic" && t.variable === "w")!;
    const spikesOf = (pop: string, e: number): number[] =>
      Array.from(glia.spikes[pop]!.steps).filter((_, x) => glia.spikes[pop]!.indices[x] === e);
    const nest = new Map(
      readFinalSynapses(path.join(out, "synapses_final.csv"))
        .filter((r) => r.variable === "w")
        .map((r) => [`${r.pre}:${r.post}`, r.value]),
    );
    let compared = 0;
    let delayed = 0;
    let worst = 0;
    let moved = 0;
    tr.synapses.forEach((s, c) => {
      const [pre, post, d] = rows[s]!;
      expect([tr.pre[c], tr.post[c]]).toEqual([pre, post]);
      // the steps `on pre` ran at; one in the run's last steps may not have reached NEST's synapse before the end
      const runs = spikesOf("inh", pre!).map((k) => k + d!);
      if (runs.length === 0 || runs.some((k) => k >= steps - 20 && k < steps + 20)) return;
      const k = Math.max(...runs.filter((x) => x < steps));
      // glia runs `on post` of step k after `on pre`: NEST's state after its last presynaptic spike lacks it
      if (spikesOf("exc", post!).includes(k)) return;
      const mine = tr.values[tr.steps.indexOf(k + 1)]![c]!;
      const theirs = nest.get(`${pre}:${post}`)!;
      worst = Math.max(worst, Math.abs(theirs - mine));
      if (Math.abs(mine - 1) > 0.01) moved++;
      if (d! > 0) delayed++;
      compared++;
    });
    expect(compared).toBeGreaterThan(20);
    expect(delayed).toBeGreaterThan(15);
    expect(moved).toBeGreaterThan(10); // the weights did move
    expect(worst).toBeLessThanOrEqual(1e-12);
  });
});
