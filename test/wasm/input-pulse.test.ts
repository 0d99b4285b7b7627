// f32 wasm follows the input semantics of docs/internals.md (phases 0-3): an input written by an event
// acts on the next step's update only, and a reset that writes an input (never fused into the element
// loop) keeps its write for the next update, as the reference does.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { memoryHost } from "../helpers/dir-host.js";
import { inputPulseSource } from "../fixtures/input-pulse.js";

const PULSE = inputPulseSource(5);

const RESET_INPUT = `
neuron Kick {
  parameters { tau: ms = 10 ms; C: pF = 100 pF }
  state { v: mV = 0 mV; c: 1 = 0 }
  inputs { I: pA }
  equations { v' = -v / tau + I / C + 2 mV / ms; c' = 0 / ms }
  method euler
  spike when v > 1 mV { v = 0 mV; I = 30 pA; c = c + 1 }
}
network N {
  dt = 0.1 ms
  population n = Kick[6]
  record v of n
  record spikes of n
  run 5 ms
}
`;

describe("inputs on the f32 wasm target", () => {
  test("the spike of step 10 moves v in step 11 only (every lane)", () => {
    const c = compile("p.glia", memoryHost({ "p.glia": PULSE }));
    expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const r = wasmTarget.run(c.ir!, {});
    expect(r.diagnostics).toEqual([]);
    const dt = 1e-4,
      tau = 0.01,
      C = 100e-12,
      w = 50e-12;
    for (let e = 0; e < 5; e++) {
      const v = r.result!.traces[0]!.values.map((row) => row[e]!);
      expect(v[11]).toBe(0);
      expect(v[12]).toBeCloseTo((dt * w) / C, 9);
      expect(v[13]).toBeCloseTo(v[12]! * (1 - dt / tau), 9);
    }
  });

  test("a reset writing an input: same spikes and traces as the reference", () => {
    const c = compile("k.glia", memoryHost({ "k.glia": RESET_INPUT }));
    expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const ref = referenceTarget.run(c.ir!, {}).result!;
    expect(ref.populations.n!.spikes).toBeGreaterThan(6);
    for (const t of [wasmTarget, wasmF64Target]) {
      const w = t.run(c.ir!, {});
      expect(w.diagnostics).toEqual([]);
      expect(Array.from(w.result!.spikes.n!.steps)).toEqual(Array.from(ref.spikes.n!.steps));
      const last = ref.traces[0]!.values.at(-1)!;
      w.result!.traces[0]!.values.at(-1)!.forEach((x, col) => expect(Math.abs(x - last[col]!)).toBeLessThan(1e-7));
    }
  });
});
