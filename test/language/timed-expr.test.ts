// timed_array inside a larger expression (issue 11): a Poisson rate or a current may be an expression of one
// timed_array and constants (`2 * timed_array([...], 50 ms) + 10 Hz`); value m of the result is the expression at
// value m. Runs exactly as the timed array of those values written out, on every target; invalid uses with exact
// codes and spans.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { fixedTarget } from "../../targets/fixed/index.js";
import type { RunResult } from "../../targets/target.js";
import { memoryHost } from "../helpers/dir-host.js";
import { check, errors } from "../check/helpers.js";

const src = (rate: string, current: string) => `
neuron Cell {
  state { v: mV = 0 mV }
  inputs { I: mV }
  equations { v' = (-v + I) / 10 ms }
}
network T {
  dt = 0.1 ms
  seed = 3
  population p = Cell[2]
  input src = poisson(rate = ${rate})[200]
  current I of p = ${current}
  record spikes of src
  record v of p every 1 ms
  run 150 ms
}
`;
const SCALED = src(
  "2 * timed_array([0 Hz, 100 Hz, 20 Hz], 50 ms) + 10 Hz",
  "2 * timed_array(values = [1 mV, 3 mV], step = 20 ms) + 0.5 mV",
);
const WRITTEN_OUT = src(
  "timed_array([10 Hz, 210 Hz, 50 Hz], 50 ms)",
  "timed_array(values = [2.5 mV, 6.5 mV], step = 20 ms)",
);

const run = (source: string, target = referenceTarget): RunResult => {
  const c = compile("t.glia", memoryHost({ "t.glia": source }), { verify: true });
  expect(errors(c.diagnostics)).toEqual([]);
  return target.run(c.ir!, {}).result!;
};
const spikes = (r: RunResult) => [Array.from(r.spikes.src!.steps), Array.from(r.spikes.src!.indices)];
const trace = (r: RunResult) => r.traces[0]!.values.map((row) => Array.from(row));

describe("timed_array inside an expression", () => {
  test("the IR holds the expression's value at each of the array's values", () => {
    const c = compile("t.glia", memoryHost({ "t.glia": SCALED }), { verify: true });
    expect(errors(c.diagnostics)).toEqual([]);
    const source = c.ir!.sources[0]!;
    expect(source.k === "poisson" && source.timed).toEqual({ values: [10, 210, 50], dt: 0.05 });
    const cur = c.ir!.currents[0]!;
    expect(cur.k === "steps" && cur.times).toEqual([0, 0.02]);
    expect(cur.k === "steps" && cur.values.map((v) => Math.round(v * 1e7) / 1e7)).toEqual([0.0025, 0.0065]);
  });
  test("runs as the timed array of those values written out, on reference, wasm f32/f64 and fixed", () => {
    for (const target of [referenceTarget, wasmF64Target, wasmTarget, fixedTarget]) {
      const a = run(SCALED, target);
      const b = run(WRITTEN_OUT, target);
      expect(spikes(a)).toEqual(spikes(b));
      expect(trace(a)).toEqual(trace(b));
    }
    const r = run(SCALED);
    // rates 10, 210, 50 Hz for 50 ms each over 200 elements: about 2700 spikes
    expect(r.populations.src!.spikes).toBeGreaterThan(2400);
    expect(r.populations.src!.spikes).toBeLessThan(3000);
    // the current: v relaxes towards 2.5 mV, then from 20 ms towards 6.5 mV
    const v = trace(r).map((row) => row[0]!);
    expect(v[19]!).toBeGreaterThan(0.0015);
    expect(v[19]!).toBeLessThan(0.0025);
    expect(v[140]!).toBeCloseTo(0.0065, 6);
  });

  const located = (source: string): string[] => {
    const lines = source.split("\n");
    const c = check(source);
    return errors([...c.parseErrors, ...c.diagnostics]).map(
      (d) =>
        `${d.code} ${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol} ${lines[d.span.line - 1]!.slice(d.span.col - 1, d.span.endCol)}`,
    );
  };
  const OK_CURRENT = "timed_array([1 mV], 10 ms)";
  test.each([
    [
      "two timed arrays",
      src("timed_array([1 Hz], 10 ms) + timed_array([2 Hz], 10 ms)", OK_CURRENT),
      ["E0204 11:59-11:69 timed_array"],
    ],
    [
      "a rate not in Hz",
      src("2 * timed_array([1 mV], 10 ms)", OK_CURRENT),
      ["E0301 11:30-11:59 2 * timed_array([1 mV], 10 ms)"],
    ],
    [
      "a non-constant part",
      src("timed_array([1 Hz], 10 ms) * t / 1 s", OK_CURRENT),
      ["E0204 11:30-11:65 timed_array([1 Hz], 10 ms) * t / 1 s"],
    ],
    [
      "a data column inside an expression",
      src('2 * timed_array(csv_column("r.csv", "rate_Hz"), 10 ms)', OK_CURRENT),
      ["E0204 11:34-11:44 timed_array"],
    ],
    ["a current expression without a timed array", src("5 Hz", "2 mV + 1 mV"), ["E0204 12:20-12:30 2 mV + 1 mV"]],
    [
      "a current in the wrong unit",
      src("5 Hz", "3 * timed_array([1 Hz], 10 ms)"),
      ["E0301 12:20-12:49 3 * timed_array([1 Hz], 10 ms)"],
    ],
    [
      "a rate above one spike per step",
      src("timed_array([1 Hz, 2 Hz], 10 ms) * 6000", OK_CURRENT),
      ["E0527 11:30-11:68 timed_array([1 Hz, 2 Hz], 10 ms) * 6000"],
    ],
  ])("%s", (_name, source, want) => {
    expect(located(source)).toEqual(want);
  });
});
