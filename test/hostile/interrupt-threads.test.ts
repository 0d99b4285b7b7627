// Stopping a threaded wasm run early (issue 17): RunOptions.shouldStop (Ctrl-C) used to be honoured by one-thread
// runs only, a threaded run went on to the end. Now the workers run one stop interval at a time and every thread
// stops where thread 0 does: a run on 2 and 3 threads asked to stop at its third question ends at step
// 3 * STOP_EVERY, flagged `interrupted`, with exactly the spikes of an uninterrupted run of that many steps (and a
// run never asked to stop is unchanged). In-process, on the target (the CLI path is in interrupt.test.ts).
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { RunResult } from "../../targets/target.js";
import { simulateWasm } from "../../targets/wasm/host-run.js";
import { STOP_EVERY } from "../../targets/schedule/step.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

const SRC = `
import "std/stdp.glia"
import "std/lif.glia"
network S {
  dt = 0.1 ms
  seed = 5
  input aff = poisson(rate = 20 Hz)[300]
  population cells = LIF(E_L = -74 mV, V_th = -54 mV, V_reset = -60 mV, t_ref = 2 ms)[400]
  connect plastic: aff -> cells with STDP(J_syn = 2.5 mV, w_max = 1, A_pre = 0.01, A_post = -0.0105) onto ge fixed_probability(0.5) delay = uniform(0 ms, 3 ms)
  record spikes of cells, aff
  run 10 s
}
`;

function spikesOf(r: RunResult): Record<string, [number[], number[]]> {
  const out: Record<string, [number[], number[]]> = {};
  for (const [pop, s] of Object.entries(r.spikes)) out[pop] = [Array.from(s.steps), Array.from(s.indices)];
  return out;
}

describe("threaded wasm runs stop early like one-thread runs", () => {
  const c = compile("a.glia", memoryHost({ "a.glia": SRC }, dirHost(REPO_ROOT)));
  const ir = c.ir!;
  const stopAt = 3 * STOP_EVERY;

  test("the program compiles and runs 100,000 steps unless stopped", () => {
    expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(ir.steps).toBe(100000);
  });

  for (const threads of [2, 3]) {
    test(`${threads} threads: stopped at the third question, at step ${stopAt}, spikes as a run of that length`, () => {
      let asked = 0;
      const stopped = simulateWasm(ir, { threads, shouldStop: () => ++asked === 3 }, "f32").result;
      expect(stopped.threads).toBe(threads);
      expect(stopped.steps).toBe(stopAt);
      expect(stopped.interrupted).toEqual({ of: 100000 });
      const whole = simulateWasm(ir, { threads: 1, duration: stopAt * ir.dt }, "f32").result;
      expect(whole.steps).toBe(stopAt);
      expect(spikesOf(stopped)).toEqual(spikesOf(whole));
      expect(stopped.populations).toEqual(whole.populations);
      expect(stopped.synapticEvents).toBe(whole.synapticEvents);
    }, 60000);
  }

  test("2 threads, never asked to stop: the same spikes as without shouldStop", () => {
    const duration = 0.5;
    const plain = simulateWasm(ir, { threads: 2, duration }, "f32").result;
    let asked = 0;
    const asking = simulateWasm(ir, { threads: 2, duration, shouldStop: () => (asked++, false) }, "f32").result;
    expect(asked).toBeGreaterThan(1);
    expect(asking.interrupted).toBeUndefined();
    expect(spikesOf(asking)).toEqual(spikesOf(plain));
    expect(asking.synapticEvents).toBe(plain.synapticEvents);
  }, 60000);
});
