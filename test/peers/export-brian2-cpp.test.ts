// glia export --to brian2 on Brian2's C++ standalone device (`python run.py --device cpp_standalone`): the whole
// network generated as one C++ program and compiled with the system's g++, writing spikes.csv the same way as the
// runtime devices. One deterministic fixture, run with numpy and with cpp_standalone in one Python process: the two
// spikes.csv are identical, and equal glia's reference spike steps.
import { beforeAll, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { describePeer } from "../helpers/peers.js";
import { exportModel, gliaRun, gliaSpikes, readSpikes, runJobs, tmpRoot, type JobResult } from "./export/exported.js";

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
