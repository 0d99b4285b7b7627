// Synapse records (`record w of PROJ every T`) in exported scripts, live: test/fixtures/nest/stdp_weights.glia
// (pair-based STDP, 200 Poisson afferents onto one LIF cell, w recorded every 500 ms of a 1 s run) exported to
// Brian2 and to NEST over 5 seeds, each script run on glia's Poisson draws (--poisson glia), its synapses.csv read
// with the same reader as glia's own (targets/report/csv.ts synapsesCsv of the reference's run) and compared per
// recorded period. Brian2 runs glia's STDP step for step: every recorded weight to round-off. NEST runs it as a
// NESTML synapse, whose weights agree within a stated tolerance (the reasons: see the NEST test).
import { beforeAll, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile } from "../../compiler/pipeline.js";
import { synapsesCsv } from "../../targets/report/csv.js";
import { unitsOf } from "../../targets/report/units.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { describePeer, PEERS_VENV } from "../helpers/peers.js";
import { readSynapses } from "../helpers/traces.js";
import {
  jobIn,
  exportModel,
  gliaRun,
  gliaSpikes,
  readSpikes,
  runJobs,
  tmpRoot,
  type JobResult,
} from "./export/exported.js";

const STDP = "test/fixtures/nest/stdp_weights.glia";
const SEEDS = [1, 2, 3, 4, 5];
const RECORDED = [0, 5000, 10000];

process.env.GLIA_NESTML_CACHE ??= path.join(PEERS_VENV, "nestml-cache");

/** glia's reference run of one seed, written as `glia run --out` writes synapses.csv, and read back. */
function gliaSynapses(seed: number, dir: string): ReturnType<typeof readSynapses> & { spikes: Map<string, string[]> } {
  const ir = compile(STDP, dirHost(REPO_ROOT)).ir!;
  const result = gliaRun(STDP, { seed });
  const file = path.join(dir, `glia${seed}.csv`);
  fs.writeFileSync(file, synapsesCsv(result, unitsOf(ir)));
  return { ...readSynapses(file), spikes: gliaSpikes(result) };
}

for (const engine of ["brian2", "nest"] as const) {
  describePeer(
    `glia export --to ${engine}: synapse records`,
    engine === "nest" ? ["nest", "nestml"] : ["brian2"],
    () => {
      const root = tmpRoot();
      const dirs: string[] = [];
      let results: JobResult[] = [];

      beforeAll(async () => {
        for (const seed of SEEDS) {
          const dir = path.join(root, `stdp${seed}`);
          const e = await exportModel(STDP, engine, dir, { seed });
          // the record is written: no W1016, no error
          expect(e.diagnostics.map((d) => d.code)).toEqual([]);
          dirs.push(dir);
        }
        results = runJobs(
          dirs.map((dir, n) => jobIn(dir, 10_001, SEEDS[n]!, { poisson: "glia" })),
          1_500_000,
        );
      }, 1_800_000);

      it(`writes synapses.csv in glia's format: the same header and rows as glia's, per recorded period`, () => {
        expect(results.map((r) => ("error" in r ? r.error : "ok"))).toEqual(SEEDS.map(() => "ok"));
        SEEDS.forEach((seed, n) => {
          const mine = gliaSynapses(seed, root);
          const theirs = readSynapses(path.join(dirs[n]!, "out", "synapses.csv"));
          expect(theirs.header).toBe(mine.header);
          expect([...theirs.values.keys()]).toEqual(["plastic.w"]);
          expect([...theirs.values.get("plastic.w")!.keys()].sort()).toEqual(
            [...mine.values.get("plastic.w")!.keys()].sort(),
          );
          expect(new Set([...mine.values.get("plastic.w")!.keys()].map((k) => Number(k.split(":")[1])))).toEqual(
            new Set(RECORDED),
          );
        });
      });

      if (engine === "brian2")
        it("Brian2: the same post spikes, and every recorded weight of every period to round-off (1e-12)", () => {
          let worst = 0;
          let changed = 0;
          SEEDS.forEach((seed, n) => {
            const mine = gliaSynapses(seed, root);
            expect(readSpikes(path.join(dirs[n]!, "out", "spikes.csv")).get("post_cell")).toEqual(
              mine.spikes.get("post_cell"),
            );
            const theirs = readSynapses(path.join(dirs[n]!, "out", "synapses.csv")).values.get("plastic.w")!;
            for (const [key, w] of mine.values.get("plastic.w")!) {
              worst = Math.max(worst, Math.abs(theirs.get(key)! - w));
              if (!key.endsWith(":0") && w !== 0.5) changed++;
            }
          });
          expect(changed).toBeGreaterThan(1000); // STDP moved the weights
          expect(worst).toBeLessThanOrEqual(1e-12);
        });
      else
        it("NEST: per period and seed, the mean weight within 0.01 and every weight within 0.05 of glia's", () => {
          // NEST's STDP is not glia's step for step: the NESTML synapse applies a postsynaptic spike's change when the
          // next presynaptic spike reaches it (NEST updates a synapse only at its presynaptic events), so a weight read
          // between the two lacks it; and the post cell's spikes fall a step or two after glia's (the exported
          // neuron receives the synapses' input one step later), which moves pairings across the STDP window. Measured
          // (5 seeds, steps 5000 and 10000): NEST's mean lower by up to 0.0054 (the pending potentiation), the worst
          // single weight 0.037 off
          const report: string[] = [];
          const bad: string[] = [];
          SEEDS.forEach((seed, n) => {
            const mine = gliaSynapses(seed, root).values.get("plastic.w")!;
            const theirs = readSynapses(path.join(dirs[n]!, "out", "synapses.csv")).values.get("plastic.w")!;
            for (const k of RECORDED) {
              const keys = [...mine.keys()].filter((x) => x.endsWith(`:${k}`));
              const mean = (m: Map<string, number>): number => keys.reduce((a, x) => a + m.get(x)!, 0) / keys.length;
              const worst = keys.reduce((a, x) => Math.max(a, Math.abs(theirs.get(x)! - mine.get(x)!)), 0);
              const dMean = Math.abs(mean(theirs) - mean(mine));
              report.push(
                `seed ${seed} step ${k}: mean ${mean(mine).toFixed(5)} vs ${mean(theirs).toFixed(5)}, worst ${worst.toFixed(4)}`,
              );
              if (k === 0) expect(worst).toBe(0);
              if (!(dMean <= 0.01 && worst <= 0.05)) bad.push(report.at(-1)!);
            }
          });
          console.log(report.join("\n"));
          expect(bad).toEqual([]);
        });
    },
  );
}
