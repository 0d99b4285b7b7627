// glia export --to nest with current stimuli, live: `current VAR of POP = steps(...) | csv_current(...) |
// timed_array(...)` becomes dc_generators (one per stretch of a nonzero value, one step early) into a continuous
// port of the NESTML neuron (targets/export/nest/script.ts, nestml.ts). A LIFCurrent pair driven only by a step
// current and a timed_array (switching at consecutive steps, so a one-step shift would show) against glia's
// reference: identical spike steps and v; and examples/inputs.glia (every input generator) exported and run.
import { beforeAll, expect, it } from "@jest/globals";
import * as path from "node:path";
import { describePeer, PEERS_VENV } from "../helpers/peers.js";
import { exportModel, gliaRun, gliaSpikes, readSpikes, runJobs, tmpRoot, type JobResult } from "./export/exported.js";
import { readTraces } from "../helpers/traces.js";

const STEP = "test/fixtures/nest/lif_step_current.glia";
const INPUTS = "examples/inputs.glia";

process.env.GLIA_NESTML_CACHE ??= path.join(PEERS_VENV, "nestml-cache");

/** The largest |v_NEST - v_glia| / 70 mV over every recorded element and step (`n` values expected). */
function worstV(glia: ReturnType<typeof gliaRun>, traces: string, n: number): number {
  const tr = glia.traces.find((t) => `${t.population}.${t.variable}` === "cell.v" || t.variable === "v")!;
  const got = readTraces(traces).get(`${tr.population}.v`)!;
  let worst = 0;
  let seen = 0;
  tr.steps.forEach((k, r) =>
    tr.values[r]!.forEach((x, e) => {
      worst = Math.max(worst, Math.abs(got.get(`${e}:${k}`)! - x) / 0.07);
      seen++;
    }),
  );
  expect(seen).toBe(n);
  return worst;
}

describePeer("glia export --to nest: current stimuli", ["nest", "nestml"], () => {
  const root = tmpRoot();
  const stepDir = path.join(root, "step");
  const inputsDir = path.join(root, "inputs");
  let results: JobResult[] = [];

  beforeAll(async () => {
    const a = await exportModel(STEP, "nest", stepDir);
    expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const b = await exportModel(INPUTS, "nest", inputsDir);
    expect(b.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    results = runJobs([
      {
        script: path.join(stepDir, "run.py"),
        data: path.join(stepDir, "data"),
        out: path.join(stepDir, "out"),
        steps: a.steps,
        seed: 1,
      },
      {
        script: path.join(inputsDir, "run.py"),
        data: path.join(inputsDir, "data"),
        out: path.join(inputsDir, "out"),
        steps: b.steps,
        seed: 17,
      },
    ]);
  }, 1_800_000);

  it("a LIF driven by a step current and a timed_array: glia's spike steps exactly, v bit for bit", () => {
    expect(results.map((r) => ("error" in r ? r.error : "ok"))).toEqual(["ok", "ok"]);
    const out = path.join(stepDir, "out");
    const glia = gliaRun(STEP);
    const spikes = readSpikes(path.join(out, "spikes.csv"));
    expect(spikes).toEqual(gliaSpikes(glia));
    expect(spikes.get("cell")!.length).toBe(8);
    const worst = worstV(glia, path.join(out, "traces.csv"), 5000);
    // the NESTML update block is glia's exact propagator with glia's numbers, and the dc_generator passes glia's SI
    // current unchanged: only float rounding differs (the order of the sums)
    expect(worst).toBe(0);
  });

  it("examples/inputs.glia (Poisson, spike lists, CSV spikes, a step and a CSV current): glia's spikes and v", () => {
    const r = results[1]!;
    expect("error" in r ? r.error : "ok").toBe("ok");
    const out = path.join(inputsDir, "out");
    const glia = gliaRun(INPUTS);
    // the exported script replays glia's own Poisson draws (its default, --poisson glia), so the run is glia's step for
    // step (with --poisson nest, NEST's poisson_generator draws other trains: then only the rates compare)
    expect(readSpikes(path.join(out, "spikes.csv"))).toEqual(gliaSpikes(glia));
    expect(worstV(glia, path.join(out, "traces.csv"), 6000)).toBe(0);
  });
});
