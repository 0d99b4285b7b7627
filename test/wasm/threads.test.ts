// Threaded wasm runs (targets/wasm/threads.ts): spikes identical to the single-thread run, on a
// 16k-neuron CUBA-like network and on a small network that exercises every sharded path (delays,
// on post with STDP, Poisson sources, state monitors, forced threads), with and without the end-of-step
// barrier (targets/wasm/step-sync.ts: double-buffered spike lists), on every shardable example, plus
// what cannot be sharded.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunResult } from "../../targets/target.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { simulateWasm } from "../../targets/wasm/host-run.js";
import { threadObstacle, ThreadPool } from "../../targets/wasm/threads.js";
import { buildConnectivity } from "../../targets/network/connectivity.js";
import { fillDraws, useRowHelpers } from "../../targets/network/draws.js";
import { compileRuntime } from "../../runtime/host/load.js";
import { readRuntimeBytes } from "../../runtime/host/node-bytes.js";
import { projection } from "../reference/ir-helpers.js";
import { needsEndBarrier } from "../../targets/wasm/step-sync.js";
import { buildLayout } from "../../targets/wasm/layout.js";
import { readdirSync } from "node:fs";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { sweepable } from "../helpers/examples.js";

function build(files: Record<string, string>, entry: string): IRProgram {
  const c = compile(entry, memoryHost(files, dirHost(REPO_ROOT)));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}

function cubaLike(n: number, duration: string): string {
  const ne = Math.round(n * 0.8);
  return `
neuron CubaLIF {
  parameters { taum: ms = 20 ms; taue: ms = 5 ms; taui: ms = 10 ms; Vt: mV = -50 mV; Vr: mV = -60 mV; El: mV = -49 mV }
  state { v: mV = uniform(Vr, Vt); ge: mV = 0 mV; gi: mV = 0 mV }
  equations { v' = (ge + gi - (v - El)) / taum; ge' = -ge / taue; gi' = -gi / taui }
  method exact
  spike when v > Vt { v = Vr }
  refractory 5 ms clamp v
}
synapse Static {
  parameters { w: mV = 0 mV }
  on pre { post.target += w }
}
network CUBA {
  dt = 0.1 ms
  seed = 3
  population exc = CubaLIF[${ne}]
  population inh = CubaLIF[${n - ne}]
  connect exc -> exc, inh with Static(w = 1.62 mV) onto ge fixed_probability(${80 / n}) allow_self
  connect inh -> exc, inh with Static(w = -9 mV) onto gi fixed_probability(${80 / n}) allow_self
  record spikes of exc, inh
  run ${duration}
}
`;
}

/** Poisson afferents onto LIF cells through STDP with per-synapse delays (on pre, on post, delay rings). */
function stdpNetwork(o: { seed: number; rate: string; cells: number; extra: string; duration: string }): string {
  return `
import "std/stdp.glia"
import "std/lif.glia"
network S {
  dt = 0.1 ms
  seed = ${o.seed}
  input aff = poisson(rate = ${o.rate})[300]
  population cells = LIF(E_L = -74 mV, V_th = -54 mV, V_reset = -60 mV, t_ref = 2 ms)[${o.cells}]
  connect plastic: aff -> cells with STDP(J_syn = 2.5 mV, w_max = 1, A_pre = 0.01, A_post = -0.0105) onto ge fixed_probability(0.5) delay = uniform(0 ms, 3 ms)
  record spikes of cells, aff
  ${o.extra}
  run ${o.duration}
}
`;
}

function expectSameSpikes(a: RunResult, b: RunResult): void {
  expect(b.populations).toEqual(a.populations);
  expect(b.synapticEvents).toBe(a.synapticEvents);
  for (const pop of Object.keys(a.spikes)) {
    expect(Array.from(b.spikes[pop]!.steps)).toEqual(Array.from(a.spikes[pop]!.steps));
    expect(Array.from(b.spikes[pop]!.indices)).toEqual(Array.from(a.spikes[pop]!.indices));
  }
}

describe("threaded wasm runs", () => {
  test("16k-neuron CUBA-like network: 1 and 2 threads give identical spikes (f32)", () => {
    const ir = build({ "c.glia": cubaLike(16000, "60 ms") }, "c.glia");
    expect(threadObstacle(ir)).toBeNull();
    const one = simulateWasm(ir, { threads: 1 }, "f32");
    const two = simulateWasm(ir, { threads: 2 }, "f32");
    expect(one.info.threads).toBe(1);
    expect(two.info.threads).toBe(2);
    expect(one.result.spikesTotal).toBeGreaterThan(1000);
    expectSameSpikes(one.result, two.result);
  });

  test("delays, STDP on post, Poisson inputs, state monitors: 1, 2 and 3 threads agree (f32 and f64)", () => {
    const ir = build(
      {
        "s.glia": stdpNetwork({
          seed: 5,
          rate: "20 Hz",
          cells: 37,
          extra: "record v of cells[0:5]",
          duration: "200 ms",
        }),
      },
      "s.glia",
    );
    expect(threadObstacle(ir)).toBeNull();
    for (const precision of ["f32", "f64"] as const) {
      const one = simulateWasm(ir, { threads: 1 }, precision);
      expect(one.result.populations.cells!.spikes).toBeGreaterThan(20);
      for (const threads of [2, 3]) {
        const many = simulateWasm(ir, { threads }, precision);
        expect(many.info.threads).toBe(threads);
        expectSameSpikes(one.result, many.result);
        expect(many.result.traces[0]!.values).toEqual(one.result.traces[0]!.values);
      }
    }
  });

  test("the public targets accept the threads option", () => {
    const ir = compile("examples/cuba.glia", dirHost(REPO_ROOT)).ir!;
    for (const t of [wasmTarget, wasmF64Target]) {
      const a = t.run(ir, { duration: 0.05, threads: 1 }).result!;
      const b = t.run(ir, { duration: 0.05, threads: 2 }).result!;
      expectSameSpikes(a, b);
    }
  });

  test("networks that cannot be sharded are named", () => {
    const ir = compile("examples/astro_tripartite.glia", dirHost(REPO_ROOT)).ir!;
    expect(threadObstacle(ir)).toMatch(/ensheathed/);
    const r = simulateWasm(ir, { threads: 2, duration: 0.01 }, "f32");
    expect(r.info.threads).toBe(1);
  });

  test("the end-of-step barrier goes only where no cross-thread read can race (step-sync)", () => {
    const cuba = build({ "c.glia": cubaLike(4000, "10 ms") }, "c.glia");
    expect(needsEndBarrier(cuba)).toBe(false);
    const layout = buildLayout(cuba, 1, 10, "f32", 1024, 2);
    expect(layout.endBarrier).toBe(false);
    for (const pl of layout.pops) expect(pl.parityBytes).toBeGreaterThan(0);
    // single-threaded layouts keep one copy and no barrier
    expect(buildLayout(cuba, 1, 10, "f32", 1024, 1).pops.every((pl) => pl.parityBytes === 0)).toBe(true);
    // a state monitor runs at the start of the step over every element: the barrier stays
    const monitored = build(
      { "c.glia": cubaLike(4000, "10 ms").replace("record spikes of exc, inh", "record v of exc[0:3]") },
      "c.glia",
    );
    expect(needsEndBarrier(monitored)).toBe(true);
    expect(buildLayout(monitored, 1, 10, "f32", 1024, 2).pops.every((pl) => pl.parityBytes === 0)).toBe(true);
    // a handler reading a pre-side state variable would see another thread's next step
    const readsPre = build(
      {
        "c.glia": cubaLike(4000, "10 ms").replace(
          "on pre { post.target += w }",
          "on pre { post.target += w * (pre.v < 0 mV ? 1 : 0) }",
        ),
      },
      "c.glia",
    );
    expect(needsEndBarrier(readsPre)).toBe(true);
    // a pre-side parameter is never written: no race
    const readsParam = build(
      {
        "c.glia": cubaLike(4000, "10 ms").replace(
          "on pre { post.target += w }",
          "on pre { post.target += w * (pre.Vt < 0 mV ? 1 : 0) }",
        ),
      },
      "c.glia",
    );
    expect(needsEndBarrier(readsParam)).toBe(false);
    // continuous couplings and modulators run in phase 0
    expect(needsEndBarrier(compile("examples/gap_junctions.glia", dirHost(REPO_ROOT)).ir!)).toBe(true);
    expect(needsEndBarrier(compile("examples/soft_hebbian_wta.glia", dirHost(REPO_ROOT)).ir!)).toBe(true);
  });

  test("double-buffered spike lists: delays, STDP on post, Poisson inputs agree on 1, 2 and 3 threads", () => {
    const extra =
      "connect rec: cells -> cells with STDP(J_syn = 0.5 mV, w_max = 1, A_pre = 0.01, A_post = -0.0105) onto ge fixed_probability(0.2)";
    const ir = build(
      { "s.glia": stdpNetwork({ seed: 9, rate: "25 Hz", cells: 61, extra, duration: "300 ms" }) },
      "s.glia",
    );
    expect(threadObstacle(ir)).toBeNull();
    expect(needsEndBarrier(ir)).toBe(false);
    for (const precision of ["f32", "f64"] as const) {
      const one = simulateWasm(ir, { threads: 1 }, precision);
      expect(one.result.populations.cells!.spikes).toBeGreaterThan(100);
      for (const threads of [2, 3]) expectSameSpikes(one.result, simulateWasm(ir, { threads }, precision).result);
    }
  });

  test("double-buffered spike lists with resets over the spike lists (a handler reads post.v)", () => {
    // the handler reads the post element's v, which the reset writes: the reset leaves the fused loop and
    // runs over the (parity) spike list after its barrier; no end-of-step barrier
    const ir = build(
      {
        "c.glia": cubaLike(20000, "40 ms").replace(
          "on pre { post.target += w }",
          "on pre { post.target += w * (post.v < -51 mV ? 1 : 0.5) }",
        ),
      },
      "c.glia",
    );
    expect(threadObstacle(ir)).toBeNull();
    expect(needsEndBarrier(ir)).toBe(false);
    const one = simulateWasm(ir, { threads: 1 }, "f32");
    expect(one.info.fused).toEqual([]);
    expect(one.result.spikesTotal).toBeGreaterThan(1000);
    for (const threads of [2, 3]) {
      const many = simulateWasm(ir, { threads }, "f32");
      expect(many.info.fused).toEqual([]);
      expectSameSpikes(one.result, many.result);
    }
  });

  test("every shardable example: 1 and 2 threads give identical spikes", () => {
    let sharded = 0;
    for (const file of readdirSync(`${REPO_ROOT}/examples`)
      .filter((f) => f.endsWith(".glia") && sweepable(f))
      .sort()) {
      const ir = compile(`examples/${file}`, dirHost(REPO_ROOT)).ir!;
      if (threadObstacle(ir) !== null) continue;
      sharded++;
      const one = simulateWasm(ir, { threads: 1, duration: 0.05 }, "f32");
      const two = simulateWasm(ir, { threads: 2, duration: 0.05 }, "f32");
      expect(two.info.threads).toBe(2);
      expectSameSpikes(one.result, two.result);
    }
    expect(sharded).toBeGreaterThan(10);
  });

  test("worker threads build connectivity rows: the same synapses as one thread, in the same order", () => {
    const bytes = readRuntimeBytes();
    if (!bytes.ok) throw new Error(bytes.problem);
    const pool = new ThreadPool(3, compileRuntime(bytes.bytes));
    const cases = [
      // whole populations (rows copied as they come) and slices with self-connections dropped (filtered)
      { ...projection("big", ["a", 30000], ["b", 2000]), rule: { k: "fixed_probability" as const, p: 0.01 } },
      {
        ...projection("sliced", ["a", 30000], ["a", 30000]),
        rule: { k: "fixed_probability" as const, p: 0.002 },
        pre: { population: "a", start: 1000, end: 29000 },
        post: { population: "a", start: 500, end: 28000 },
      },
    ];
    // count the chunks the workers built (they claim chunks only once started, so try a few times)
    let theirs = 0;
    const helpers = pool.rowHelpers().map((h) => ({
      start: (job: Parameters<typeof h.start>[0]) => {
        const wait = h.start(job);
        return () => {
          const chunks = wait();
          theirs += chunks.length;
          return chunks;
        };
      },
    }));
    const bytesOf = (a: Int32Array, n: number): Buffer => Buffer.from(a.buffer, a.byteOffset, 4 * n);
    try {
      for (let attempt = 0; attempt < 5 && theirs === 0; attempt++) {
        for (const proj of cases) {
          const size = (name: string): number => (name === "a" ? 30000 : 2000);
          const alone = buildConnectivity(proj, size(proj.pre.population), size(proj.post.population), 7);
          useRowHelpers(helpers);
          let shared;
          try {
            shared = buildConnectivity(proj, size(proj.pre.population), size(proj.post.population), 7);
          } finally {
            useRowHelpers([]);
          }
          expect(alone.n).toBeGreaterThan(100000);
          expect(shared.n).toBe(alone.n);
          expect(Buffer.compare(bytesOf(shared.pre, shared.n), bytesOf(alone.pre, alone.n))).toBe(0);
          expect(Buffer.compare(bytesOf(shared.post, shared.n), bytesOf(alone.post, alone.n))).toBe(0);
          expect(Array.from(shared.rowStart)).toEqual(Array.from(alone.rowStart));
        }
      }
      expect(theirs).toBeGreaterThan(0);
    } finally {
      pool.close();
    }
  });

  test("worker threads share large draw fills: the same values as one thread", () => {
    const bytes = readRuntimeBytes();
    if (!bytes.ok) throw new Error(bytes.problem);
    const pool = new ThreadPool(3, compileRuntime(bytes.bytes));
    let parts = 0;
    const helpers = pool.rowHelpers().map((h) => ({
      start: (job: Parameters<typeof h.start>[0]) => h.start(job),
      fill: (job: Parameters<NonNullable<typeof h.fill>>[0]) => {
        parts++;
        return h.fill!(job);
      },
    }));
    try {
      // an index range across 2^32 (the counter's high word), a fill of several parts per thread, and a short one
      for (const [kind, first, n] of [
        ["normal", 2 ** 32 - 1500000, 3500001],
        ["uniform01", 12345, 300000],
        ["normal", 0, 1000],
      ] as const) {
        const alone = new Float64Array(n);
        fillDraws(kind, 55, 0xdeadbeef, first, alone);
        const shared = new Float64Array(n);
        useRowHelpers(helpers);
        try {
          fillDraws(kind, 55, 0xdeadbeef, first, shared);
        } finally {
          useRowHelpers([]);
        }
        expect(Buffer.compare(Buffer.from(shared.buffer), Buffer.from(alone.buffer))).toBe(0);
      }
      expect(parts).toBeGreaterThan(3);
    } finally {
      pool.close();
    }
  });
});
