// poisson_count inputs exported to Brian2 and NEST, live (targets/export/count-sources.ts): test/fixtures/export/
// poisson_count.glia, an E-I network of the microcircuit's neurons, each with its own poisson_count background
// element (one_to_one), over 5 seeds: per-population rates within 5 % of glia's reference; and the counts
// themselves, read back from a probe population that never spikes (its I_syn jumps by events * w each step, so
// c_k = (I_{k+1} - I_k e^{-dt/tau_syn}) / w): per element parity (rates 25 and 26 kHz, lambda = 2.5 and 2.6 events per
// step), mean and variance within 4 standard errors of lambda and the share of empty steps within 4 standard
// errors of e^{-lambda}, as a Poisson count has (Brian2: `poisson(rate * dt)` in a group; NEST: poisson_generator).
import { beforeAll, expect, it } from "@jest/globals";
import * as path from "node:path";
import { describePeer } from "../helpers/peers.js";
import { readTraces } from "../helpers/traces.js";
import { jobIn, exportModel, gliaRun, readSpikes, runJobs, tmpRoot, type JobResult } from "./export/exported.js";

const FILE = "test/fixtures/export/poisson_count.glia";
const SEEDS = [1, 2, 3, 4, 5];
const STEPS = 5000;
const DT = 1e-4;
const TAU = 5e-4;
const W = 10e-12;

/** Per element parity: the counts of the probe's steps, read from its I_syn trace (traces.csv). */
function probeCounts(file: string): { counts: number[][]; worstResidual: number } {
  const tr = readTraces(file).get("probe.I_syn")!;
  const counts: number[][] = [[], []];
  let worstResidual = 0;
  const decay = Math.exp(-DT / TAU);
  for (let e = 0; e < 20; e++)
    for (let k = 0; k + 1 < STEPS; k++) {
      const c = (tr.get(`${e}:${k + 1}`)! - tr.get(`${e}:${k}`)! * decay) / W;
      worstResidual = Math.max(worstResidual, Math.abs(c - Math.round(c)));
      counts[e % 2]!.push(Math.round(c));
    }
  return { counts, worstResidual };
}

for (const engine of ["brian2", "nest"] as const) {
  describePeer(`glia export --to ${engine}: poisson_count inputs`, [engine], () => {
    const root = tmpRoot();
    const dirs: string[] = [];
    let results: JobResult[] = [];

    beforeAll(async () => {
      for (const seed of SEEDS) {
        const dir = path.join(root, `pc${seed}`);
        const e = await exportModel(FILE, engine, dir, { seed, steps: STEPS });
        expect(e.diagnostics.filter((d) => d.severity !== "warning")).toEqual([]);
        dirs.push(dir);
      }
      results = runJobs(
        dirs.map((dir, n) => jobIn(dir, STEPS, SEEDS[n]!)),
        1_500_000,
      );
    }, 1_800_000);

    it("per-population rates over 5 seeds within 5 % of glia's reference", () => {
      expect(results.map((r) => ("error" in r ? r.error : "ok"))).toEqual(SEEDS.map(() => "ok"));
      const mine = new Map<string, number>();
      const theirs = new Map<string, number>();
      SEEDS.forEach((seed, n) => {
        const glia = gliaRun(FILE, { seed, steps: STEPS });
        const spikes = readSpikes(path.join(dirs[n]!, "out", "spikes.csv"));
        for (const pop of ["exc", "inh"]) {
          mine.set(pop, (mine.get(pop) ?? 0) + glia.spikes[pop]!.steps.length);
          theirs.set(pop, (theirs.get(pop) ?? 0) + spikes.get(pop)!.length);
        }
      });
      console.log(
        ["exc", "inh"]
          .map((pop) => `${pop}: glia ${mine.get(pop)} spikes, ${engine} ${theirs.get(pop)} (5 seeds)`)
          .join("; "),
      );
      for (const pop of ["exc", "inh"]) {
        const m = mine.get(pop)!;
        expect(m).toBeGreaterThan(5000); // tens of Hz, driven by the background
        expect([pop, Math.abs(theirs.get(pop)! - m) / m <= 0.05]).toEqual([pop, true]);
      }
      // summary.json: NEST's poisson_generator events are not recorded, so no count is given (not a false 0); Brian2's
      // group is recorded like any population
      const r = results[0] as Exclude<JobResult, { error: string }>;
      for (const src of ["bg_exc", "bg_inh", "bg_probe"])
        if (engine === "nest") expect([src, r.populations[src]!.spikes]).toEqual([src, null]);
        else expect(r.populations[src]!.spikes).toBeGreaterThan(0);
    });

    it("the events per step are Poisson(rate * dt): mean, variance and P(0) within 4 standard errors", () => {
      const { counts, worstResidual } = probeCounts(path.join(dirs[0]!, "out", "traces.csv"));
      expect(worstResidual).toBeLessThan(1e-6); // whole events
      [2.5, 2.6].forEach((lambda, parity) => {
        const c = counts[parity]!;
        const n = c.length;
        const mean = c.reduce((a, x) => a + x, 0) / n;
        const variance = c.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
        const p0 = c.filter((x) => x === 0).length / n;
        const q0 = Math.exp(-lambda);
        expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / n));
        // Var of the sample variance of a Poisson count: (mu4 - sigma^4 (n-3)/(n-1)) / n, mu4 = lambda (1 + 3 lambda)
        expect(Math.abs(variance - lambda)).toBeLessThan(4 * Math.sqrt((lambda * (1 + 3 * lambda) - lambda ** 2) / n));
        expect(Math.abs(p0 - q0)).toBeLessThan(4 * Math.sqrt((q0 * (1 - q0)) / n));
        // a binomial(N, lambda / N) count (Brian2's PoissonInput with small N) would have variance lambda (1 - lambda / N)
      });
    });
  });
}
