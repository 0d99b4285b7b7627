// The --nir-convention rules on one LIF driven by a pulse train (docs/nir.md): for each convention the glia model
// the importer writes must spike at the steps of that convention's recurrence, written out here independently
// (glia's timing: an input spike in step k acts on the update of step k + 1). The file is snnTorch-style
// (r = tau / dt), so the stepped conventions see a jump of w per input spike and the Dirac one r w / tau.
import { describe, expect, it } from "@jest/globals";
import { CONVENTION_NAMES, type ConventionName } from "../../compiler/nir/conventions.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target } from "../../targets/wasm/index.js";
import { compiled, graph, importToDir, nirBytes, node, run, tmpDir } from "./helpers.js";

const DT = 1e-3;
const TAU = 5e-3;
const W = 0.55;
const R = TAU / DT;
const THR = 1;
/** input spike times (ms): sparse, then every step */
const PULSES = [
  ...Array.from({ length: 10 }, (_, k) => 2 + 4 * k),
  ...Array.from({ length: 12 }, (_, k) => 45 + k),
  ...Array.from({ length: 8 }, (_, k) => 62 + 2 * k),
];
const STEPS = 90;

const pulseGraph = (): ReturnType<typeof graph> =>
  graph(
    {
      in: node("Input", { shape: [1] }),
      w: node("Linear", { weight: { shape: [1, 1], data: [W] } }),
      lif: node("LIF", { tau: [TAU], r: [R], v_leak: [0], v_threshold: [THR], v_reset: [0] }),
      out: node("Output", { shape: [1] }),
    },
    [
      ["lif", "out"],
      ["w", "lif"],
      ["in", "w"],
    ],
  );

/** The spike steps each convention's rule gives (see docs/nir.md, "Conventions"). */
function expectedSteps(convention: ConventionName): number[] {
  // on a LIF, snnTorch's Synaptic convention is its Leaky one (it differs on CubaLIF only)
  const c = convention === "snntorch-synaptic" ? "snntorch" : convention;
  const input = new Set(PULSES);
  const beta = 1 - DT / TAU;
  const decay = Math.exp(-DT / TAU);
  const out: number[] = [];
  let v = 0;
  let pending = 0; // what the input spikes of the previous step hold for this step's update
  for (let k = 0; k < STEPS; k++) {
    v = c === "nir" ? v * decay : beta * v + (DT / TAU) * R * pending;
    const spiked = c === "sinabs" ? v >= THR : v > THR;
    pending = 0;
    // after the threshold: this step's input spikes are delivered, then resets run
    if (input.has(k)) {
      if (c === "nir") v += (R * W) / TAU;
      else pending = W;
    }
    if (spiked) {
      out.push(k);
      if (c === "nir" || c === "norse") v = 0;
      else if (c === "sinabs") v -= THR;
      else v -= THR / beta;
    }
  }
  return out;
}

describe("NIR time-discretization conventions on a LIF driven by a pulse train", () => {
  const dir = tmpDir("conv");
  for (const c of CONVENTION_NAMES) {
    it(`${c}: glia's spikes follow the convention's recurrence (reference and wasm-f64)`, async () => {
      const bytes = await nirBytes(pulseGraph());
      const spikes = PULSES.map((t) => [0, t] as [number, number]);
      const r = await importToDir(bytes, dir, `pulse_${c}`, { convention: c, duration: STEPS * DT, spikes });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const ir = compiled(r.file);
      const want = expectedSteps(c);
      expect(want.length).toBeGreaterThan(3);
      for (const target of [referenceTarget, wasmF64Target]) {
        const res = run(target, ir);
        expect(Array.from(res.spikes.lif!.steps)).toEqual(want);
      }
    });
  }

  it("the conventions differ on the same file (the measured spike steps)", () => {
    const all = Object.fromEntries(CONVENTION_NAMES.map((c) => [c, expectedSteps(c)]));
    // Dirac inputs of area r w / tau = 550: a spike one step after each input spike, except where the input
    // arrives in the step of a spike (the reset runs after delivery and drops it: every other step of 45-56)
    expect(all.nir).toEqual([
      3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 46, 48, 50, 52, 54, 56, 63, 65, 67, 69, 71, 73, 75, 77,
    ]);
    // the stepped conventions integrate jumps of w = 0.55 (beta = 0.8): sparse pulses never reach the threshold
    expect(all.snntorch).toEqual([47, 50, 52, 55, 65, 71, 77]);
    expect(all.norse).toEqual([47, 50, 53, 56, 67, 73]);
    expect(all.sinabs).toEqual([47, 49, 51, 53, 55, 65, 71, 77]);
  });

  it("snntorch-synaptic: a CubaLIF spikes as snnTorch's Synaptic recurrence (v reads the same step's current)", async () => {
    const tauSyn = 4e-3;
    const tauMem = 8e-3;
    const alpha = 1 - DT / tauSyn;
    const beta = 1 - DT / tauMem;
    const w = 0.3;
    const cuba = graph(
      {
        in: node("Input", { shape: [1] }),
        w: node("Linear", { weight: { shape: [1, 1], data: [w] } }),
        lif: node("CubaLIF", {
          tau_syn: [tauSyn],
          tau_mem: [tauMem],
          r: [tauMem / DT],
          v_leak: [0],
          v_threshold: [THR],
          v_reset: [0],
          w_in: [tauSyn / DT],
        }),
        out: node("Output", { shape: [1] }),
      },
      [
        ["in", "w"],
        ["w", "lif"],
        ["lif", "out"],
      ],
    );
    // snnTorch Synaptic, written out: syn = alpha syn + x, mem = beta mem + syn - reset * threshold (reset: the
    // previous step spiked), spike when mem > threshold; x of step k is the input spike of step k - 1 (glia's timing)
    const input = new Set(PULSES);
    const synaptic = (sameStep: boolean): number[] => {
      const out: number[] = [];
      let syn = 0;
      let mem = 0;
      let reset = false;
      for (let k = 0; k < STEPS; k++) {
        const x = input.has(k - 1) ? w : 0;
        const old = syn;
        syn = alpha * syn + x;
        mem = beta * mem + (sameStep ? syn : old) - (reset ? THR : 0);
        reset = mem > THR;
        if (reset) out.push(k);
      }
      return out;
    };
    const spikes = PULSES.map((t) => [0, t] as [number, number]);
    const steps: Record<string, number[]> = {};
    for (const c of ["snntorch-synaptic", "snntorch"] as const) {
      const r = await importToDir(await nirBytes(cuba), dir, `cuba_${c}`, {
        convention: c,
        duration: STEPS * DT,
        spikes,
      });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const ir = compiled(r.file);
      for (const target of [referenceTarget, wasmF64Target]) {
        steps[c] = Array.from(run(target, ir).spikes.lif!.steps);
        expect(steps[c]).toEqual(synaptic(c === "snntorch-synaptic"));
      }
    }
    expect(steps["snntorch-synaptic"]!.length).toBeGreaterThan(3);
    // the same step's current makes a difference on this train
    expect(steps["snntorch-synaptic"]).not.toEqual(steps.snntorch);
  });
});
