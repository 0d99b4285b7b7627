// Steps in pairs between the threads' barriers (targets/wasm/step-batch.ts): a network whose recurrent
// projections deliver through input rings with delays of at least one step and whose Poisson background is
// one_to_one from sources sharded alike runs two steps per barrier on 2 and 3 threads, with spikes and
// synaptic events identical to one thread's in f32 and f64, for odd and even step counts, in chunks (progress)
// and when stopped early; a delay that may round to 0 steps keeps one barrier per step.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult } from "../../targets/target.js";
import { simulateWasm } from "../../targets/wasm/host-run.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

function build(source: string): IRProgram {
  const c = compile("a.glia", memoryHost({ "a.glia": source }, dirHost(REPO_ROOT)));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}

/** Recurrent E/I with normal delays clipped at `low`, and a poisson_count background per population. */
function network(low: string): string {
  return `
neuron Lif {
  parameters { taum: ms = 10 ms; taus: ms = 0.5 ms; Vt: mV = -50 mV; Vr: mV = -65 mV; El: mV = -65 mV }
  state { v: mV = uniform(Vr, Vt); I: mV = 0 mV }
  equations { v' = (I - (v - El)) / taum; I' = -I / taus }
  method exact
  spike when v > Vt { v = Vr }
  refractory 2 ms clamp v
}
synapse Psc {
  parameters { w: mV = 0 mV }
  on pre { post.I += w }
}
network Net {
  dt = 0.1 ms
  seed = 11
  population exc = Lif[400]
  population inh = Lif[100]
  connect exc -> exc, inh with Psc(w = normal(4 mV, 0.4 mV)) onto I fixed_probability(0.1)
      delay = truncated_normal(1.5 ms, 0.75 ms, ${low}, 10 ms)
  connect inh -> exc, inh with Psc(w = -16 mV) onto I fixed_probability(0.1)
      delay = truncated_normal(0.75 ms, 0.375 ms, ${low}, 10 ms)
  input bg_exc = poisson_count(rate = 8 Hz * 300)[400]
  connect bg_exc -> exc with Psc(w = 6 mV) onto I one_to_one
  input bg_inh = poisson_count(rate = 8 Hz * 250)[100]
  connect bg_inh -> inh with Psc(w = 6 mV) onto I one_to_one
  record spikes of exc, inh
  run 100 ms
}
`;
}

function expectSame(a: RunResult, b: RunResult): void {
  expect(b.steps).toBe(a.steps);
  expect(b.synapticEvents).toBe(a.synapticEvents);
  for (const pop of Object.keys(a.spikes)) {
    expect(Array.from(b.spikes[pop]!.steps)).toEqual(Array.from(a.spikes[pop]!.steps));
    expect(Array.from(b.spikes[pop]!.indices)).toEqual(Array.from(a.spikes[pop]!.indices));
    expect(b.populations[pop]!.spikes).toBe(a.populations[pop]!.spikes);
  }
}

describe("steps in pairs between thread barriers", () => {
  const paired = build(network("0.1 ms"));

  test("2 and 3 threads run in pairs with the spikes and events of 1 thread (f32, f64; odd and even steps)", () => {
    for (const precision of ["f32", "f64"] as const) {
      for (const duration of [0.1, 0.0997]) {
        const one = simulateWasm(paired, { threads: 1, duration }, precision);
        expect(one.info.batch).toBe(1);
        expect(one.result.spikesTotal).toBeGreaterThan(1000);
        for (const threads of [2, 3]) {
          const many = simulateWasm(paired, { threads, duration }, precision);
          expect(many.info.threads).toBe(threads);
          expect(many.info.batch).toBe(2);
          expectSame(one.result, many.result);
        }
      }
    }
  });

  test("in chunks (progress) and stopped early: the same spikes, stopped after a whole pair", () => {
    const duration = 0.0503; // 503 steps: chunks of 5 steps end after even and odd steps alike
    const one = simulateWasm(paired, { threads: 1, duration }, "f32").result;
    const progress: number[] = [];
    const chunked = simulateWasm(paired, { threads: 2, duration, onProgress: (f) => progress.push(f) }, "f32");
    expect(chunked.info.batch).toBe(2);
    expect(progress.at(-1)).toBe(1);
    expectSame(one, chunked.result);

    let asked = 0;
    const stopping: RunOptions = { threads: 2, duration, shouldStop: () => ++asked >= 3 };
    const stopped = simulateWasm(paired, stopping, "f32").result;
    expect(stopped.interrupted).toEqual({ of: 503 });
    expect(stopped.steps % 2).toBe(0);
    // every spike of the steps run was recorded (the last pair delivered and counted)
    for (const pop of Object.keys(one.spikes)) {
      const before = Array.from(one.spikes[pop]!.steps).filter((k) => k < stopped.steps);
      expect(Array.from(stopped.spikes[pop]!.steps)).toEqual(before);
    }
  });

  test("a delay that can round to 0 steps keeps a barrier per step (same spikes)", () => {
    const zero = build(network("0 ms"));
    const one = simulateWasm(zero, { threads: 1, duration: 0.05 }, "f32");
    const two = simulateWasm(zero, { threads: 2, duration: 0.05 }, "f32");
    expect(two.info.batch).toBe(1);
    expectSame(one.result, two.result);
  });
});
