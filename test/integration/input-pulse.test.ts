// An input written by a synaptic event acts on the next step's state update as a one-step pulse
// (docs/internals.md, step phases 0-3), on every target.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target } from "../../targets/wasm/index.js";
import { memoryHost } from "../helpers/dir-host.js";
import { inputPulseSource } from "../fixtures/input-pulse.js";

const SRC = inputPulseSource(1);

describe("inputs written by events", () => {
  const c = compile("p.glia", memoryHost({ "p.glia": SRC }));
  test("compiles", () => expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]));
  for (const target of [referenceTarget, wasmF64Target]) {
    test(`${target.name}: the spike of step 10 moves v in step 11 only`, () => {
      const r = target.run(c.ir!, {});
      expect(r.diagnostics).toEqual([]);
      const v = r.result!.traces[0]!.values.map((row) => row[0]!);
      const dt = 1e-4,
        tau = 0.01,
        C = 100e-12,
        w = 50e-12;
      // rows are the values at the start of each step: the pulse is used by step 11's update
      expect(v[11]).toBe(0);
      expect(v[12]).toBeCloseTo((dt * w) / C, 15);
      expect(v[13]).toBeCloseTo(v[12]! * (1 - dt / tau), 15);
    });
  }
});
