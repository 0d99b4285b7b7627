// glia export --to brian2 for astrocytes ensheathing synapses and network modulators, live: the exported scripts
// (targets/export/brian2/astro-handlers.ts, modulators.ts) run under the pinned Brian2 with glia's Poisson draws, in
// one Python process, and every spike of every recorded population falls in the same step as in glia's reference:
// - examples/astro_tripartite.glia (on synapse_pre, astro.release, astrocytes on a 5 ms clock, 1 s);
// - examples/astro_lsm_branching.glia (on synapse_pre and on synapse_post, astro.drive in STDP, a 1 ms clock);
// - examples/astro_sic_adex.glia (Li-Rinzel on synapse_pre, rk4, the first 1.5 s: the SIC drives the cells from ~1.1 s);
// - examples/soft_hebbian_wta.glia (mod.novelty of t in on post);
// - examples/izhikevich_reservoir_3factor.glia (mod.attention of t and rate(exc) in on pre / on post).
// The astrocytes' recorded state equals glia's to float rounding (stated bound 1e-12 of its range).
import { beforeAll, expect, it } from "@jest/globals";
import * as path from "node:path";
import { describePeer } from "../helpers/peers.js";
import { readTraces } from "../helpers/traces.js";
import type { RunResult } from "../../targets/target.js";
import {
  exportModel,
  gliaRun,
  gliaSpikes,
  readSpikes,
  runJobs,
  tmpRoot,
  type Job,
  type JobResult,
} from "./export/exported.js";

const MODELS: { file: string; steps?: number; astro?: string[] }[] = [
  { file: "examples/astro_tripartite.glia", astro: ["astrocytes.ca"] },
  { file: "examples/astro_lsm_branching.glia", astro: ["astrocytes.pre_act", "astrocytes.post_act"] },
  { file: "examples/astro_sic_adex.glia", steps: 15_000, astro: ["astrocytes.IP3", "astrocytes.Ca"] },
  { file: "examples/soft_hebbian_wta.glia" },
  { file: "examples/izhikevich_reservoir_3factor.glia" },
];

describePeer("glia export --to brian2: astrocyte handlers and network modulators", ["brian2"], () => {
  const root = tmpRoot();
  const outs: string[] = [];
  const glia: RunResult[] = [];
  let results: JobResult[] = [];

  beforeAll(async () => {
    const jobs: Job[] = [];
    for (const [n, m] of MODELS.entries()) {
      const dir = path.join(root, `m${n}`);
      const e = await exportModel(m.file, "brian2", dir, { steps: m.steps });
      expect([m.file, e.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)]).toEqual([m.file, []]);
      outs.push(path.join(dir, "out"));
      jobs.push({
        script: path.join(dir, "run.py"),
        data: path.join(dir, "data"),
        out: outs[n]!,
        steps: e.steps,
        seed: 1,
        poisson: "glia",
      });
      glia.push(gliaRun(m.file, { steps: m.steps }));
    }
    results = runJobs(jobs);
  }, 1_200_000);

  it("every script runs", () => {
    MODELS.forEach((m, n) =>
      expect([m.file, "error" in results[n]! ? results[n].error : "ok"]).toEqual([m.file, "ok"]),
    );
  });

  it("every spike of every recorded population in glia's step", () => {
    MODELS.forEach((m, n) => {
      const theirs = readSpikes(path.join(outs[n]!, "spikes.csv"));
      const mine = gliaSpikes(glia[n]!);
      expect(theirs.size).toBeGreaterThan(0);
      for (const [pop, rows] of theirs) {
        expect(rows.length).toBeGreaterThan(0);
        expect([m.file, pop, rows]).toEqual([m.file, pop, mine.get(pop)]);
      }
    });
  });

  it("the astrocytes' recorded state equals glia's within 1e-12 of its range", () => {
    MODELS.forEach((m, n) => {
      if (!m.astro) return;
      const theirs = readTraces(path.join(outs[n]!, "traces.csv"));
      for (const v of m.astro) {
        const tr = glia[n]!.traces.find((t) => `${t.population}.${t.variable}` === v)!;
        const got = theirs.get(v)!;
        let lo = Infinity;
        let hi = -Infinity;
        for (const row of tr.values) for (const x of row) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
        let worst = 0;
        tr.steps.forEach((k, r) =>
          tr.indices.forEach((e, c) => {
            const have = got.get(`${e}:${k}`);
            worst = Math.max(worst, have === undefined ? Infinity : Math.abs(have - tr.values[r]![c]!) / (hi - lo));
          }),
        );
        expect([m.file, v, hi > lo, worst <= 1e-12]).toEqual([m.file, v, true, true]);
      }
    });
  });
});
