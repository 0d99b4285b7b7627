// Post indices as byte deltas (targets/wasm/post-deltas.ts): the bytes and extension words of a hand-made block
// order, the count that chooses the encoding, and a dense network stored with deltas whose spikes and synaptic
// events are the reference's in f64 and identical on 1, 2 and 3 threads in f32.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunResult } from "../../targets/target.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { simulateWasm } from "../../targets/wasm/host-run.js";
import { blockOrder } from "../../targets/wasm/synapse-order.js";
import { buildLayout } from "../../targets/wasm/layout.js";
import {
  DELTA_ESC,
  DELTA_NEXT,
  DELTA_RUN,
  deltaExtWords,
  encodeDeltas,
  Words,
} from "../../targets/wasm/post-deltas.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { LIF_STATIC } from "../helpers/lif-static.js";

describe("byte deltas of a block order", () => {
  // 2 rows over 2 threads (posts 0..511, 512..1023); row 0: delay 3 onto 0, 1, 2, 300, 300 (a multapse) and delay
  // 0 onto 900, delay 1 onto 901, 1000; row 1: delay 2 onto 5 and 600
  const post = Int32Array.from([0, 1, 2, 300, 300, 900, 901, 1000, 5, 600]);
  const delays = Int32Array.from([3, 3, 3, 3, 3, 0, 1, 1, 2, 2]);
  const rowStart = Int32Array.from([0, 8, 10]);
  const ranges = [
    { lo: 0, hi: 512 },
    { lo: 512, hi: 1024 },
  ];

  test("steps below 253 in the byte, larger ones and each new delay's post (and step above one) in extension words", () => {
    const o = blockOrder(rowStart, delays, post, 2, ranges)!;
    const bytes = new Uint8Array(10);
    const ext = new Words();
    const extStart = encodeDeltas(o, post, ranges, bytes, 0, ext);
    // block 0: a new delay (3) at post 0, steps 1, 1, 298 (escape), 0; block 1: 900 - 512 = 388 at delay 0
    // (escape), the next delay (+1) at 389, step 99; block 2: a new delay (+2) at 5; block 3: a new delay at 88
    expect(Array.from(bytes)).toEqual([DELTA_RUN, 1, 1, DELTA_ESC, 0, DELTA_ESC, DELTA_NEXT, 99, DELTA_RUN, DELTA_RUN]);
    expect(Array.from(ext.data.subarray(0, ext.length))).toEqual([3, 0, 298, 388, 389, 2, 5, 2, 88]);
    expect(Array.from(extStart)).toEqual([0, 3, 5, 7, 9]);
    expect(deltaExtWords(rowStart, delays, post, 2, ranges)).toBe(ext.length);
  });

  test("posts that do not ascend within a row: no delta encoding", () => {
    const down = Int32Array.from([0, 1, 2, 300, 200, 900, 901, 1000, 5, 600]);
    expect(deltaExtWords(rowStart, delays, down, 2, ranges)).toBe(-1);
  });
});

function build(source: string): IRProgram {
  const c = compile("a.glia", memoryHost({ "a.glia": source }, dirHost(REPO_ROOT)));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}

function expectSameSpikes(a: RunResult, b: RunResult): void {
  for (const pop of Object.keys(a.spikes)) {
    expect(Array.from(b.spikes[pop]!.steps)).toEqual(Array.from(a.spikes[pop]!.steps));
    expect(Array.from(b.spikes[pop]!.indices)).toEqual(Array.from(a.spikes[pop]!.indices));
  }
}

describe("a dense network with per-synapse delays stored as byte deltas", () => {
  const ir = build(`${LIF_STATIC}network Dense {
  dt = 0.1 ms
  seed = 5
  population exc = Lif[800]
  population inh = Lif[200]
  connect exc -> exc, inh with Static(w = normal(0.2 mV, 0.03 mV)) onto ge fixed_probability(0.5)
      delay = truncated_normal(1.5 ms, 0.5 ms, 0.1 ms, 10 ms)
  connect inh -> exc, inh with Static(w = normal(-0.8 mV, 0.1 mV)) onto gi fixed_probability(0.5)
      delay = truncated_normal(0.8 ms, 0.4 ms, 0 ms, 10 ms)
  record spikes of exc, inh
  run 60 ms
}
`);

  test("laid out with deltas: under 1.5 bytes a synapse", () => {
    for (const threads of [1, 2]) {
      const layout = buildLayout(ir, 5, 10, "f64", 1024, threads);
      const withDeltas = layout.projs.filter((pj) => pj.accum!.deltas).map((pj) => pj.proj.name);
      expect(withDeltas).toEqual(["exc_exc", "exc_inh", "inh_exc", "inh_inh"]);
      for (const pj of layout.projs) expect(pj.accum!.flagBits).toBe(0);
      // 8 bytes of f64 weight, 1 byte of delta, the extension words and block tables
      const exc = layout.projs[0]!;
      expect(exc.bytes / exc.n).toBeLessThan(8 + 1.6);
    }
  });

  test("f64: spikes and events as the reference's; f32: 1, 2 and 3 threads identical", () => {
    const ref = referenceTarget.run(ir, {}).result!;
    expect(ref.populations["exc"]!.spikes).toBeGreaterThan(500);
    for (const threads of [1, 2]) {
      const w64 = simulateWasm(ir, { threads }, "f64").result;
      expect(w64.synapticEvents).toBe(ref.synapticEvents);
      expectSameSpikes(ref, w64);
    }
    const one = simulateWasm(ir, { threads: 1 }, "f32");
    for (const threads of [2, 3]) {
      const many = simulateWasm(ir, { threads }, "f32");
      expectSameSpikes(one.result, many.result);
      expect(many.result.synapticEvents).toBe(one.result.synapticEvents);
    }
  });
});
