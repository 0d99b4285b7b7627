// Accumulating projections (targets/wasm/accumulate.ts, lower-accumulate.ts): which projections qualify and
// which share an input ring; the block storage order (synapse-order.ts blockOrder); and runs with per-synapse
// delays that agree with the reference (events exactly, spikes in f64, counts within 5 % in f32 over a chaotic
// 300 ms) and across 1, 2 and 3 threads.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunResult } from "../../targets/target.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { simulateWasm } from "../../targets/wasm/host-run.js";
import { accumulations } from "../../targets/wasm/accumulate.js";
import { blockOrder, inStorageOrder, runFlags } from "../../targets/wasm/synapse-order.js";
import { buildLayout } from "../../targets/wasm/layout.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { LIF_STATIC } from "../helpers/lif-static.js";

function build(source: string): IRProgram {
  const c = compile("a.glia", memoryHost({ "a.glia": source }, dirHost(REPO_ROOT)));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}

/** A CUBA-like network with normally distributed per-synapse delays; `extra` adds connections. */
function network(extra = ""): string {
  return `${LIF_STATIC}synapse Shunt {
  parameters { w: mV = 0 mV }
  on pre { post.target = post.target * 0.99 + w }
}
network Net {
  dt = 0.1 ms
  seed = 7
  population exc = Lif[800]
  population inh = Lif[200]
  connect exc -> exc, inh with Static(w = normal(1.6 mV, 0.2 mV)) onto ge fixed_probability(0.08)
      delay = truncated_normal(1.5 ms, 0.75 ms, 0.1 ms, 10 ms)
  connect inh -> exc, inh with Static(w = -9 mV) onto gi fixed_probability(0.08)
      delay = truncated_normal(0.8 ms, 0.4 ms, 0 ms, 10 ms)
  ${extra}
  record spikes of exc, inh
  run 300 ms
}
`;
}

function expectSameSpikes(a: RunResult, b: RunResult): void {
  for (const pop of Object.keys(a.spikes)) {
    expect(Array.from(b.spikes[pop]!.steps)).toEqual(Array.from(a.spikes[pop]!.steps));
    expect(Array.from(b.spikes[pop]!.indices)).toEqual(Array.from(a.spikes[pop]!.indices));
  }
}

describe("which projections accumulate", () => {
  test("post.X += w qualifies and shares a ring per (population, variable); a handler reading X does not", () => {
    const plain = accumulations(build(network()));
    expect([...plain.values()].map((a) => [a.variable, a.key])).toEqual([
      ["ge", "exc.ge"],
      ["ge", "inh.ge"],
      ["gi", "exc.gi"],
      ["gi", "inh.gi"],
    ]);
    // a shunting projection onto exc.ge reads post.ge: it does not accumulate, and exc.ge rings are not shared
    const mixed = accumulations(
      build(network("connect inh -> exc with Shunt(w = -0.1 mV) onto ge fixed_probability(0.05) delay = 1 ms")),
    );
    const names = [...mixed.keys()];
    expect(names).toHaveLength(4);
    expect([...mixed.values()].map((a) => a.key).filter((k) => k.startsWith("projection"))).toHaveLength(1);
    expect([...mixed.values()].some((a) => a.key === "exc.ge")).toBe(false);
  });
});

describe("block storage order", () => {
  test("rows split by thread block, runs of one delay (at most 255 each), a permutation within each row", () => {
    // 2 rows; row 0 has 300 synapses of delay 3 onto posts 0..299 and 3 onto post 900 (delays 1, 0, 1)
    const n0 = 303;
    const post = new Int32Array(n0 + 2);
    const delays = new Int32Array(n0 + 2);
    for (let s = 0; s < 300; s++) {
      post[s] = s;
      delays[s] = 3;
    }
    post.set([900, 900, 901], 300);
    delays.set([1, 0, 1], 300);
    post.set([5, 600], n0);
    delays.set([2, 2], n0);
    const rowStart = Int32Array.from([0, n0, n0 + 2]);
    const o = blockOrder(rowStart, delays, post, 2, [
      { lo: 0, hi: 512 },
      { lo: 512, hi: 1024 },
    ])!;
    expect(Array.from(o.blockSyn)).toEqual([0, 300, 303, 304, 305]);
    const word = (d: number, c: number): number => (c << 8) | d;
    expect(Array.from(o.words)).toEqual([word(3, 255), word(3, 45), word(0, 1), word(1, 2), word(2, 1), word(2, 1)]);
    expect(Array.from(o.blockSeg)).toEqual([0, 2, 4, 5, 6]);
    expect(Array.from(o.perm.subarray(300, 303))).toEqual([301, 300, 302]); // delay 0 first, then 1 (stable)
    expect([...o.perm].sort((a, b) => a - b)).toEqual([...Array(n0 + 2).keys()]);
    // the runs as flags in the posts (relative to the thread's first element) and gap bytes
    const ranges = [
      { lo: 0, hi: 512 },
      { lo: 512, hi: 1024 },
    ];
    const f = runFlags(o, inStorageOrder(post, o.perm), ranges)!;
    expect(f.flagBits).toBe(2);
    expect(Array.from(f.gaps)).toEqual([3, 2, 2]); // block 0 starts at 3, block 2 at 2, block 3 at 2
    expect(Array.from(f.gapStart)).toEqual([0, 1, 1, 2, 3]);
    expect(f.post[0]).toBe(0x8000);
    expect(f.post[1]).toBe(1);
    expect(Array.from(f.post.subarray(300))).toEqual([388, 0x4000 | 388, 389, 0x8000 | 5, 0x8000 | 88]);
    const wide = [
      { lo: 0, hi: 20000 },
      { lo: 20000, hi: 40000 },
    ];
    expect(runFlags(o, inStorageOrder(post, o.perm), wide)!.flagBits).toBe(1);
    expect(runFlags(o, inStorageOrder(post, o.perm), [{ lo: 0, hi: 40000 }])).toBeNull();
    delays[0] = 256;
    expect(blockOrder(rowStart, delays, post, 2, [{ lo: 0, hi: 1024 }])).toBeNull();
  });
});

describe("runs with per-synapse delays", () => {
  const ir = build(network());

  test("laid out with input rings (no row ring), under 8 bytes a synapse in f32", () => {
    const layout = buildLayout(ir, 7, 10, "f32", 1024);
    for (const pj of layout.projs) {
      expect(pj.accum).not.toBeNull();
      expect(pj.ring).toBeNull();
      expect(pj.segAt).toBe(0);
    }
    expect(layout.projs.filter((pj) => pj.accum!.apply)).toHaveLength(4);
    // runs flagged in the posts; inh -> exc (rows of 64 synapses over 800 posts, delays from 0) as byte deltas
    expect(layout.projs.map((pj) => pj.accum!.flagBits)).toEqual([2, 2, 0, 2]);
    expect(layout.projs.map((pj) => pj.accum!.deltas)).toEqual([false, false, true, false]);
    expect(layout.synapseBytes / layout.synapses).toBeLessThan(8);
  });

  test("f64: spikes and synaptic events as the reference's; f32: events as the reference's", () => {
    const ref = referenceTarget.run(ir, {}).result!;
    expect(ref.synapticEvents).toBeGreaterThan(10000);
    const w64 = simulateWasm(ir, { threads: 1 }, "f64").result;
    expect(w64.synapticEvents).toBe(ref.synapticEvents);
    expectSameSpikes(ref, w64);
    const w32 = simulateWasm(ir, { threads: 1 }, "f32").result;
    for (const pop of ["exc", "inh"])
      expect(Math.abs(w32.populations[pop]!.spikes - ref.populations[pop]!.spikes)).toBeLessThan(
        0.05 * ref.populations[pop]!.spikes,
      );
  });

  test("1, 2 and 3 threads give identical spikes and events (f32)", () => {
    const one = simulateWasm(ir, { threads: 1 }, "f32");
    for (const threads of [2, 3]) {
      const many = simulateWasm(ir, { threads }, "f32");
      expect(many.info.threads).toBe(threads);
      expectSameSpikes(one.result, many.result);
      expect(many.result.synapticEvents).toBe(one.result.synapticEvents);
    }
  });
});

describe("one flag bit: a post population above 2^14 elements on one thread", () => {
  // 60 drivers onto 20,000 neurons with mixed delays: posts need 15 bits, so each run's delay comes from a gap byte
  const ir = build(`
neuron Lif {
  parameters { taum: ms = 10 ms; Vt: mV = -50 mV; Vr: mV = -60 mV }
  state { v: mV = uniform(-60 mV, -50.5 mV); ge: mV = 0 mV }
  equations { v' = (ge - (v - Vr) + 10.2 mV) / taum; ge' = -ge / 3 ms }
  method exact
  spike when v > Vt { v = Vr }
}
synapse Static {
  parameters { w: mV = 0 mV }
  on pre { post.target += w }
}
network Wide {
  dt = 0.1 ms
  seed = 3
  population drive = Lif[60]
  population big = Lif[20000]
  connect drive -> big with Static(w = normal(3 mV, 0.5 mV)) onto ge fixed_probability(0.05)
      delay = truncated_normal(2 ms, 1.5 ms, 0 ms, 8 ms)
  connect big -> big with Static(w = normal(0.5 mV, 0.1 mV)) onto ge fixed_probability(0.0004)
      delay = truncated_normal(1.5 ms, 0.75 ms, 0.1 ms, 8 ms)
  record spikes of drive, big
  run 40 ms
}
`);

  test("laid out with 1 flag bit; f64 spikes and events as the reference's; 2 threads (2 flag bits) the same", () => {
    expect(buildLayout(ir, 3, 10, "f64", 1024).projs.map((pj) => pj.accum?.flagBits)).toEqual([1, 1]);
    expect(buildLayout(ir, 3, 10, "f64", 1024, 2).projs.map((pj) => pj.accum?.flagBits)).toEqual([2, 2]);
    const ref = referenceTarget.run(ir, {}).result!;
    expect(ref.populations["big"]!.spikes).toBeGreaterThan(1000);
    for (const threads of [1, 2]) {
      const w64 = simulateWasm(ir, { threads }, "f64").result;
      expect(w64.synapticEvents).toBe(ref.synapticEvents);
      expectSameSpikes(ref, w64);
    }
  });
});
