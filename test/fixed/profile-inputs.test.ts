// Profiling sees inputs fed only by `continuous` blocks (gap junctions): monitors record at the start
// of a step, when such inputs are 0, so profileRun probes the value each update actually used.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { profileRun } from "../../targets/fixed/range.js";
import { memoryHost } from "../helpers/dir-host.js";

const SRC = `
neuron Cell {
  parameters { tau: ms = 10 ms; C: pF = 100 pF }
  state { v: mV = 0 mV }
  inputs { I_gap: pA }
  equations { v' = -v / tau + I_gap / C }
}
synapse Gap {
  parameters { g: nS = 1 nS }
  continuous { post.I_gap += g * (pre.v - post.v) }
}
neuron Driven {
  parameters { tau: ms = 10 ms; drive: mV = 20 mV }
  state { v: mV = 0 mV }
  equations { v' = (drive - v) / tau }
}
network N {
  dt = 0.1 ms
  population src = Driven[2]
  population n = Cell[2]
  connect src -> n with Gap one_to_one
  run 20 ms
}
`;

describe("profiling inputs", () => {
  test("an input written only by a continuous block gets its real range", () => {
    const c = compile("gap.glia", memoryHost({ "gap.glia": SRC }));
    expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const r = profileRun(c.ir!, 200);
    const range = r.profile!.ranges.get("n.I_gap")!;
    // src.v rises toward 20 mV and n.v lags: the coupling current is positive, up to 1 nS x ~17 mV
    expect(range.hi).toBeGreaterThan(5e-12);
    expect(range.hi).toBeLessThan(2e-11);
    expect(range.lo).toBeGreaterThanOrEqual(0);
    // the profiled program is not changed: the probes exist only inside the profiling run
    expect(c.ir!.groups.find((g) => g.name === "n")!.state.map((v) => v.name)).toEqual(["v"]);
  });
});
