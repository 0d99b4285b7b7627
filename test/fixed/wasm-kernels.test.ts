// The fixed executor's wasm kernels (kernel "wasm") against its generated JS (kernel "js"): bit for bit equal
// spikes, overflow counts and state (every variable of every element, recorded every few steps) on a small
// CUBA and on pure-decay networks that saturate or wrap, under each deterministic rounding mode.
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile } from "../../compiler/pipeline.js";
import type { IRMonitor, IRProgram } from "../../compiler/ir/nodes.js";
import { DEFAULT_FIXED_SPEC } from "../../targets/fixed/index.js";
import type { FixedSpec } from "../../targets/fixed/ir.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { qfmt, type QFormat, type Rounding } from "../../targets/fixed/qformat.js";
import { executeFixed } from "../../targets/fixed/wasm-exec.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

function program(src: string): IRProgram {
  const r = compile("t.glia", memoryHost({ "t.glia": src }, dirHost(REPO_ROOT)));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const ir = r.ir!;
  // record every state variable of every element every 5 steps, and all spikes
  const monitors: IRMonitor[] = [];
  for (const g of ir.groups) {
    const all = { population: g.name, start: 0, end: g.size };
    monitors.push({ k: "spikes", target: all, everySteps: 1 });
    for (const s of g.state) monitors.push({ k: "state", target: all, variable: s.name, everySteps: 5 });
  }
  return { ...ir, monitors };
}

function both(ir: IRProgram, spec: FixedSpec, profileSteps: number, formats?: Record<string, QFormat>) {
  const q = quantize(ir, { spec, profileSteps, formats });
  expect(q.program).toBeDefined();
  const js = executeFixed(q.program!, {}, "js"), wasm = executeFixed(q.program!, {}, "wasm");
  return { js, wasm };
}

function expectSame(js: ReturnType<typeof both>["js"], wasm: ReturnType<typeof both>["wasm"]): void {
  expect(wasm.kernelNotes).toEqual([]); // every group ran its update in wasm
  expect(wasm.overflows).toEqual(js.overflows);
  for (const [name, s] of Object.entries(js.result.spikes)) {
    expect(Array.from(wasm.result.spikes[name]!.steps)).toEqual(Array.from(s.steps));
    expect(Array.from(wasm.result.spikes[name]!.indices)).toEqual(Array.from(s.indices));
  }
  expect(wasm.result.traces.length).toBe(js.result.traces.length);
  js.result.traces.forEach((t, i) => {
    const w = wasm.result.traces[i]!;
    expect(w.steps).toEqual(t.steps);
    // first differing (row, element), or null: one assertion per trace keeps the comparison fast
    let diff: string | null = null;
    t.values.forEach((row, r) => row.forEach((x, c) => { if (diff === null && !Object.is(w.values[r]![c], x)) diff = `${t.variable} row ${r} col ${c}: ${w.values[r]![c]} vs ${x}`; }));
    expect(diff).toBeNull();
  });
}

const SMALL_CUBA = fs.readFileSync(path.join(REPO_ROOT, "examples/cuba.glia"), "utf8")
  .replace("CubaLIF[3200]", "CubaLIF[400]").replace("CubaLIF[800]", "CubaLIF[100]")
  .replaceAll("fixed_probability(0.02)", "fixed_probability(0.16)").replace("run 1 s", "run 100 ms");

/** Decaying variables from random negative or positive starts, and y pulled towards 40 mV while its format
 *  (forced) ends at 2^-6 V = 15.6 mV, so it saturates or wraps; a threshold and reset on x. */
const DECAY = `
neuron Leaky {
  parameters { tau: ms = 30 ms
    taug: ms = 7 ms
    Emax: mV = 40 mV }
  state { x: mV = uniform(-20 mV, 20 mV)
    y: mV = 0 mV
    g: mV = uniform(-3 mV, 3 mV) }
  equations { x' = -x / tau
    y' = (Emax - y + g) / tau
    g' = -g / taug }
  method exact
  spike when x > 18 mV { x = -15 mV }
}
network Decay {
  dt = 0.5 ms
  seed = 9
  population a = Leaky[203]
  record x of a
  record y of a
  record g of a
  run 150 ms
}
`;

describe("fixed executor: wasm kernels equal the generated JS bit for bit", () => {
  it("small CUBA (500 neurons, 100 ms): spikes, overflows and every state variable", () => {
    const { js, wasm } = both(program(SMALL_CUBA), DEFAULT_FIXED_SPEC, 300);
    expect(js.result.spikesTotal).toBeGreaterThan(100);
    expectSame(js, wasm);
  });

  for (const rounding of ["nearest-even", "nearest-away", "trunc", "floor"] as Rounding[]) {
    for (const overflow of ["saturate", "wrap"] as const) {
      it(`pure decay with ${overflow} past the profiled range, ${rounding} rounding`, () => {
        const spec: FixedSpec = { ...DEFAULT_FIXED_SPEC, stateBits: 12, coefBits: 12, rounding, overflow, headroomBits: 0 };
        const { js, wasm } = both(program(DECAY), spec, 10, { "a.y": qfmt(true, -6, 17) });
        expect(js.result.spikesTotal).toBeGreaterThan(0);
        expect(js.overflows["a.y"]).toBeGreaterThan(0);
        expectSame(js, wasm);
      });
    }
  }

  it("stochastic rounding stays on the generated JS, with a note", () => {
    const spec: FixedSpec = { ...DEFAULT_FIXED_SPEC, rounding: "stochastic" };
    const { js, wasm } = both(program(DECAY), spec, 10);
    expect(wasm.kernelNotes).toEqual([{ group: "a", reason: "stochastic rounding draws from the JS-side LFSR" }]);
    expect(Array.from(wasm.result.spikes.a!.indices)).toEqual(Array.from(js.result.spikes.a!.indices));
  });
});
