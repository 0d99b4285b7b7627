// CUBA (Vogels & Abbott 2005; Brette et al. 2007 benchmark 2), N = 4000, 1 s, seed 1, on the
// float64 reference target: the mean rate matches Brian2's (same parameters, different RNG, so
// statistics are compared) and runs are deterministic for a fixed seed.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";

// Brian2 2.5.1 cpp_standalone running this network (N 4000, 1 s, seed 1; a peer run, not vendored):
// 22463 spikes -> 5.616 Hz; numpy target (other RNG): 22461 spikes.
const BRIAN2_RATE_HZ = 22463 / 4000;

describe("CUBA on the reference target", () => {
  const compiled = compile("examples/cuba.glia", dirHost(REPO_ROOT));
  test("compiles without errors", () => {
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test("mean rate within 10 % of Brian2, deterministic for a seed", () => {
    const a = referenceTarget.run(compiled.ir!, {});
    const b = referenceTarget.run(compiled.ir!, {});
    expect(a.diagnostics).toEqual([]);
    const ra = a.result!;
    const rb = b.result!;
    const n = ra.populations.exc!.n + ra.populations.inh!.n;
    expect(n).toBe(4000);
    const rate = ra.spikesTotal / (n * ra.steps * ra.dt);
    expect(Math.abs(rate - BRIAN2_RATE_HZ) / BRIAN2_RATE_HZ).toBeLessThan(0.1);
    // in-degree ~ 0.02 * 4000 = 80 -> ~320k synapses, as Brian2 built (319792)
    expect(Math.abs(ra.synapses - 320000) / 320000).toBeLessThan(0.01);
    expect(rb.spikesTotal).toBe(ra.spikesTotal);
    expect(Array.from(rb.spikes.exc!.steps)).toEqual(Array.from(ra.spikes.exc!.steps));
    expect(Array.from(rb.spikes.exc!.indices)).toEqual(Array.from(ra.spikes.exc!.indices));
  });

  test("another seed gives another network and other spikes", () => {
    const a = referenceTarget.run(compiled.ir!, { duration: 0.2 });
    const c = referenceTarget.run(compiled.ir!, { duration: 0.2, seed: 2 });
    expect(c.result!.synapses).not.toBe(a.result!.synapses);
    expect(Array.from(c.result!.spikes.exc!.indices)).not.toEqual(Array.from(a.result!.spikes.exc!.indices));
  });
});
