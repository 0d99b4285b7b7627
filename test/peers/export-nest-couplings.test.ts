// glia export --to nest with continuous couplings, live: run.py's per-step exchange (targets/export/nest/couplings.ts)
// evaluates every `continuous` block before each step from the NESTML neurons' state and adds it into their inputs,
// glia's phase 0. examples/gap_junctions.glia (one-way junctions all to all, and pairwise ones on a ring) and
// test/fixtures/nest/couplings_exact.glia (subtractive and divisive couplings, asymmetric gap junctions with per-synapse
// conductances into an input a spiking synapse also adds to; every spiking synapse with a one-step delay): glia's
// spike steps and v bit for bit. examples/ei_divisive_subtractive.glia (its exc -> som, pv synapses have glia's zero
// delay, one step in NEST): the same spike count per population, some spikes in other steps.
import { beforeAll, expect, it } from "@jest/globals";
import * as path from "node:path";
import { describePeer, PEERS_VENV } from "../helpers/peers.js";
import { exportModel, gliaRun, gliaSpikes, readSpikes, runJobs, tmpRoot, type JobResult } from "./export/exported.js";
import { readTraces } from "../helpers/traces.js";

const GAP = "examples/gap_junctions.glia";
const EXACT = "test/fixtures/nest/couplings_exact.glia";
const EI = "examples/ei_divisive_subtractive.glia";
const MODELS = [GAP, EXACT, EI];

process.env.GLIA_NESTML_CACHE ??= path.join(PEERS_VENV, "nestml-cache");

/** The largest |v_NEST - v_glia| over every recorded value of `file`'s reference run, and how many there were. */
function worstV(file: string, traces: string): { worst: number; n: number } {
  const got = readTraces(traces);
  let worst = 0;
  let n = 0;
  for (const tr of gliaRun(file).traces) {
    const theirs = got.get(`${tr.population}.${tr.variable}`)!;
    tr.steps.forEach((k, r) =>
      tr.values[r]!.forEach((x, e) => {
        worst = Math.max(worst, Math.abs(theirs.get(`${e}:${k}`)! - x));
        n++;
      }),
    );
  }
  return { worst, n };
}

describePeer("glia export --to nest: continuous couplings", ["nest", "nestml"], () => {
  const root = tmpRoot();
  const dir = (f: string): string => path.join(root, path.basename(f, ".glia"));
  let results: JobResult[] = [];

  beforeAll(async () => {
    const jobs = [];
    for (const f of MODELS) {
      const e = await exportModel(f, "nest", dir(f));
      expect(e.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      jobs.push({
        script: path.join(dir(f), "run.py"),
        data: path.join(dir(f), "data"),
        out: path.join(dir(f), "out"),
        steps: e.steps,
        seed: 1,
      });
    }
    results = runJobs(jobs);
  }, 1_800_000);

  it("examples/gap_junctions.glia: glia's spike steps exactly, v bit for bit", () => {
    expect(results.map((r) => ("error" in r ? r.error : "ok"))).toEqual(["ok", "ok", "ok"]);
    const out = path.join(dir(GAP), "out");
    const spikes = readSpikes(path.join(out, "spikes.csv"));
    expect(spikes).toEqual(gliaSpikes(gliaRun(GAP)));
    // measured 2026-12-07: 61 spikes (cells 43, ring 18), 6,000 values of v, largest difference 0
    expect([...spikes.values()].reduce((a, s) => a + s.length, 0)).toBe(61);
    expect(worstV(GAP, path.join(out, "traces.csv"))).toEqual({ worst: 0, n: 6000 });
  });

  it("subtractive, divisive and asymmetric gap couplings with one-step synapses: glia's spike steps, v bit for bit", () => {
    const out = path.join(dir(EXACT), "out");
    const spikes = readSpikes(path.join(out, "spikes.csv"));
    expect(spikes).toEqual(gliaSpikes(gliaRun(EXACT)));
    // measured 2026-12-07: cells 26, exc 18, som 51, pv 52 spikes; 16,000 values of v, largest difference 0
    expect(Object.fromEntries([...spikes].map(([p, s]) => [p, s.length]))).toEqual({
      cells: 26,
      exc: 18,
      som: 51,
      pv: 52,
    });
    expect(worstV(EXACT, path.join(out, "traces.csv"))).toEqual({ worst: 0, n: 16000 });
  });

  it("examples/ei_divisive_subtractive.glia (zero-delay synapses: one step in NEST): equal spike counts per population", () => {
    const r = results[2]!;
    if ("error" in r) throw new Error(r.error);
    const glia = gliaRun(EI);
    // measured 2026-12-07 (5,000 steps): exc 60, som 42, pv 42 on both; 8 of the 144 spikes in other steps
    for (const [pop, p] of Object.entries(glia.populations))
      expect([pop, r.populations[pop]!.spikes]).toEqual([pop, p.spikes]);
  });
});
