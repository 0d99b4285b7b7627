// glia export --to brian2 on Brian2's C++ standalone device (`python run.py --device cpp_standalone`): the whole
// network generated as one C++ program and compiled with the system's g++, writing spikes.csv the same way as the
// runtime devices. One deterministic fixture, run with numpy and with cpp_standalone in one Python process: the two
// spikes.csv are identical, and equal glia's reference spike steps.
import { beforeAll, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { describePeer } from "../helpers/peers.js";
import { readSynapses } from "../helpers/traces.js";
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

const FIXTURE = "test/fixtures/brian2/lif_expsyn_exact.glia";

describePeer("glia export --to brian2 --device cpp_standalone", ["brian2"], () => {
  const root = tmpRoot();
  let results: JobResult[] = [];

  beforeAll(async () => {
    const e = await exportModel(FIXTURE, "brian2", root);
    expect(e.ok).toBe(true);
    results = runJobs(
      ["numpy", "cpp_standalone"].map((device) => ({
        script: path.join(root, "run.py"),
        data: path.join(root, "data"),
        out: path.join(root, `out-${device}`),
        steps: e.steps,
        seed: 1,
        device,
      })),
    );
  }, 900_000);

  it("cpp_standalone writes the numpy run's spikes.csv byte for byte, glia's spike steps", () => {
    expect(results.map((r) => ("error" in r ? r.error : "ok"))).toEqual(["ok", "ok"]);
    const numpy = fs.readFileSync(path.join(root, "out-numpy", "spikes.csv"), "utf8");
    const cpp = fs.readFileSync(path.join(root, "out-cpp_standalone", "spikes.csv"), "utf8");
    expect(cpp.trim().split("\n").length).toBeGreaterThan(10);
    expect(cpp).toBe(numpy);
    // the standalone project was really generated and compiled
    expect(fs.existsSync(path.join(root, "out-cpp_standalone", "cpp_standalone", "main.cpp"))).toBe(true);
    expect(readSpikes(path.join(root, "out-cpp_standalone", "spikes.csv"))).toEqual(gliaSpikes(gliaRun(FIXTURE)));
  });
});

// The same device with the two outputs added since: synapse records (a StateMonitor on the Synapses, written as
// synapses.csv) and poisson_count inputs (a group drawing `poisson(rate * dt)` events per step). The STDP fixture
// runs on glia's Poisson draws (`--poisson glia`), so numpy and cpp_standalone see the same input: spikes.csv and
// synapses.csv agree byte for byte or to round-off. cpp_standalone draws its own poisson_count events (its generator
// is not numpy's), so that run is held to glia's rates (within 5 %, one seed) instead of to numpy's file.
const STDP = "test/fixtures/nest/stdp_weights.glia";
const COUNT = "test/fixtures/export/poisson_count.glia";
const COUNT_STEPS = 5000;

describePeer("glia export --to brian2 --device cpp_standalone: synapse records, poisson_count", ["brian2"], () => {
  const root = tmpRoot();
  let results: JobResult[] = [];
  const job = (name: string, steps: number, device: string, poisson?: "glia"): Job => ({
    script: path.join(root, name, "run.py"),
    data: path.join(root, name, "data"),
    out: path.join(root, name, `out-${device}`),
    steps,
    seed: 1,
    device,
    ...(poisson ? { poisson } : {}),
  });

  beforeAll(async () => {
    const s = await exportModel(STDP, "brian2", path.join(root, "stdp"), { seed: 1 });
    expect(s.diagnostics.map((d) => d.code)).toEqual([]);
    const c = await exportModel(COUNT, "brian2", path.join(root, "count"), { seed: 1, steps: COUNT_STEPS });
    expect(c.diagnostics.filter((d) => d.severity !== "warning")).toEqual([]);
    results = runJobs(
      [
        job("stdp", s.steps, "numpy", "glia"),
        job("stdp", s.steps, "cpp_standalone", "glia"),
        job("count", COUNT_STEPS, "cpp_standalone"),
      ],
      1_500_000,
    );
  }, 1_800_000);

  it("STDP with a synapse record: cpp_standalone's spikes and synapses.csv are numpy's", () => {
    expect(results.map((r) => ("error" in r ? r.error : "ok"))).toEqual(["ok", "ok", "ok"]);
    const out = (device: string, f: string): string => path.join(root, "stdp", `out-${device}`, f);
    expect(fs.readFileSync(out("cpp_standalone", "spikes.csv"), "utf8")).toBe(
      fs.readFileSync(out("numpy", "spikes.csv"), "utf8"),
    );
    const numpy = readSynapses(out("numpy", "synapses.csv"));
    const cpp = readSynapses(out("cpp_standalone", "synapses.csv"));
    expect(cpp.header).toBe(numpy.header);
    const a = numpy.values.get("plastic.w")!;
    const b = cpp.values.get("plastic.w")!;
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    let worst = 0;
    let moved = 0;
    for (const [k, w] of a) {
      worst = Math.max(worst, Math.abs(b.get(k)! - w));
      if (!k.endsWith(":0") && w !== 0.5) moved++;
    }
    expect(moved).toBeGreaterThan(100); // STDP moved the weights
    expect(worst).toBeLessThanOrEqual(1e-12);
  });

  it("poisson_count on cpp_standalone: per-population spike counts within 5 % of glia's reference", () => {
    const glia = gliaRun(COUNT, { seed: 1, steps: COUNT_STEPS });
    const theirs = readSpikes(path.join(root, "count", "out-cpp_standalone", "spikes.csv"));
    const report = ["exc", "inh"].map(
      (p) => `${p}: glia ${glia.spikes[p]!.steps.length}, cpp ${theirs.get(p)!.length}`,
    );
    console.log(report.join("; "));
    for (const pop of ["exc", "inh"]) {
      const m = glia.spikes[pop]!.steps.length;
      expect(m).toBeGreaterThan(1000);
      expect([pop, Math.abs(theirs.get(pop)!.length - m) / m <= 0.05]).toEqual([pop, true]);
    }
    expect(theirs.get("probe") ?? []).toEqual([]);
  });
});
