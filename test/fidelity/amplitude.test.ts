// The PSP/PSC amplitude measure of targets/fidelity/traces.ts on traces written out here: the moves in the
// direction of the reference's deflection (up for an excitatory PSP from rest, down for an inhibitory one),
// per event and in all; and which variables get it. In: hand-built RunResults and two models; out: the ratios,
// event counts, the smallest event, the synaptic inputs and PSP variables.

import { describe, expect, test } from "@jest/globals";
import { traceFidelity } from "../../targets/fidelity/traces.js";
import type { RunResult } from "../../targets/target.js";
import { compile } from "../../compiler/pipeline.js";
import { fidelityContext } from "../../targets/driver/fidelity.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";

/** A run recording one variable of one element: v(k) for k = 0..n-1. */
function run(values: number[]): RunResult {
  return {
    traces: [
      {
        population: "cell",
        variable: "v",
        indices: [0],
        steps: values.map((_, k) => k),
        values: values.map((x) => Float64Array.of(x)),
      },
    ],
  } as unknown as RunResult;
}

/** Three PSPs of heights h[i] from rest `rest` in direction `s`: a 2-step rise, a 3-step decay back. */
function psps(rest: number, s: number, h: number[]): number[] {
  const out = [rest];
  for (const x of h) out.push(rest + (s * x) / 2, rest + s * x, rest + (s * x) / 2, rest + (s * x) / 4, rest);
  return out;
}

describe("PSP amplitude ratio", () => {
  const ctx = { pspInputs: new Map([["cell.v", ["cell.I_syn"]]]) };
  test("excitatory PSPs from -70 mV: ratio, events, the smallest event", () => {
    const ref = run(psps(-0.07, 1, [2e-3, 1e-3, 1e-3]));
    const fixed = run(psps(-0.07, 1, [2e-3, 1e-3, 0]));
    const [t] = traceFidelity(fixed, ref, ctx);
    expect(t!.psp_of).toEqual(["cell.I_syn"]);
    expect(t!.amplitude_ratio).toBeCloseTo(0.75, 12);
    expect(t!.events).toBe(3);
    expect(t!.events_below).toBe(1);
    expect(t!.smallest_event).toMatchObject({ element: 0, step: 10, amplitude: 0 });
    expect(t!.smallest_event!.reference_amplitude).toBeCloseTo(1e-3, 12);
  });
  test("inhibitory PSPs (downward) measure the falls, not the rises of |v|", () => {
    const ref = run(psps(-0.07, -1, [2e-3, 2e-3]));
    const fixed = run(psps(-0.07, -1, [1e-3, 1e-3]));
    const [t] = traceFidelity(fixed, ref, ctx);
    expect(t!.amplitude_ratio).toBeCloseTo(0.5, 12);
    expect(t!.events_below).toBe(2);
  });
  test("a variable neither written by a synapse nor reading one has no amplitude", () => {
    const [t] = traceFidelity(run(psps(0, 1, [1])), run(psps(0, 1, [1])));
    expect(t!.amplitude_ratio).toBeUndefined();
    expect(t!.psp_of).toBeUndefined();
  });
});

describe("which variables carry PSPs (targets/driver/fidelity.ts fidelityContext)", () => {
  test("v of a current-based LIF reads I_syn; an astrocyte's Ca and h reading IP3 are no PSPs", () => {
    const tm = compile("test/fixtures/fidelity/tsodyks_psp.glia", dirHost(REPO_ROOT)).ir!;
    const a = fidelityContext(tm);
    expect([...a.synapticInputs!]).toEqual(["cell.I_syn"]);
    expect([...a.pspInputs!]).toEqual([["cell.v", ["cell.I_syn"]]]);
    const lr = compile("examples/li_rinzel_sic.glia", dirHost(REPO_ROOT)).ir!;
    const b = fidelityContext(lr);
    expect(b.synapticInputs!.has("astrocytes.IP3")).toBe(true);
    expect([...b.pspInputs!.keys()].filter((k) => k.startsWith("astrocytes."))).toEqual([]);
  });
});
