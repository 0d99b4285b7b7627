// The loihi neuron mode in the fixed executor: one-neuron networks fed by spike lists reproduce hand-computed
// Lava PyLifModelBitAcc sequences bit for bit (decay with truncation, spikes, wrap of u, clip of v, int32
// accumulation of a_in), groups the matcher refuses keep the generic path with a note, and `glia run
// --target fixed --hw loihi` runs a small network end to end.
import { describe, expect, it } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { execute } from "../../targets/fixed/executor.js";
import { DEFAULT_FIXED_SPEC, makeFixedTarget } from "../../targets/fixed/index.js";
import { loihiLifStep } from "../../targets/fixed/lava-lif.js";
import { matchLoihiLif, type LoihiMatch } from "../../targets/fixed/loihi-mode.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { decayConsistent } from "../../targets/fixed/decay-consistent.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

// a_u = 0.75 (du = 1023), a_v = 0.5 (dv = 2048), El = Vr (bias 0), vth << 6 = 65536 << 6 = 2^22
const TAUS = `${1 / Math.log(4 / 3)} ms`,
  TAUM = `${1 / Math.log(2)} ms`;

function source(w: string, spikes: { times: string; indices: string; n: number }, extra = ""): string {
  return `
import "std/static.glia"
neuron CurLIF {
  parameters { taum: ms = ${TAUM}
    taus: ms = ${TAUS}
    Vt: mV = -50 mV
    Vr: mV = -60 mV
    El: mV = -60 mV }
  state { v: mV = -60 mV
    I: mV = 0 mV }
  equations { v' = (I - (v - El)) / taum
    I' = -I / taus }
  method exact
  spike when v > Vt { v = Vr }
  ${extra}
}
network One {
  dt = 1 ms
  input src = spike_times(times = [${spikes.times}], indices = [${spikes.indices}])[${spikes.n}]
  population p = CurLIF[1]
  connect src -> p with Static(w = ${w}) onto I all_to_all
  record v of p
  record I of p
  record spikes of p
  run 8 ms
}
`;
}

function ir(src: string): IRProgram {
  const r = compile("one.glia", memoryHost({ "one.glia": src }, dirHost(REPO_ROOT)));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
}

const LOIHI_SPEC = { ...DEFAULT_FIXED_SPEC, stateBits: 24, neuronMode: "loihi" as const };

/** The matcher's view of the test neuron as quantize sees it (after decays are put on the coefficient
 *  grid): for the weight giving a chosen a_in and for reading traces. */
function theMatch(): LoihiMatch {
  const p = decayConsistent(ir(source("1 mV", { times: "1 ms", indices: "0", n: 1 })), LOIHI_SPEC);
  return matchLoihiLif(p.groups[0]!, p.dt, p.seed).match!;
}

/** The weight (in mV, printed in full) whose a_in is `a`. */
const weightFor = (m: LoihiMatch, a: number): string => `${((a * 64) / (m.c * m.scale)) * 1e3} mV`;

function runLoihi(src: string) {
  const p = ir(src);
  const q = quantize(p, { spec: LOIHI_SPEC, profileSteps: 8 });
  expect(q.program).toBeDefined();
  const out = execute(q.program!, {});
  expect(out.loihiRefused).toEqual([]);
  const snapped = decayConsistent(p, LOIHI_SPEC);
  const m = matchLoihiLif(snapped.groups[0]!, snapped.dt, snapped.seed).match!;
  const tv = out.result.traces.find((t) => t.variable === "v")!,
    ti = out.result.traces.find((t) => t.variable === "I")!;
  // traces are SI floats: back to Loihi integers (exact: one unit is 2.4e-9 V, far above float64 error)
  const v = tv.values.map((r) => Math.round((r[0]! - m.vr) * m.scale));
  const u = ti.values.map((r) => Math.round(r[0]! * m.c * m.scale));
  return { out, m, v, u, spikes: Array.from(out.result.spikes.p!.steps) };
}

describe("loihi mode in the fixed executor", () => {
  const m = theMatch();

  it("maps the test neuron to du 1023, dv 2048, bias 0", () => {
    expect(m.params).toEqual({ du: 1023, dv: 2048, biasMant: 0, biasExp: 0, vth: 65536 });
  });

  it("decays u and v with truncation toward zero (lava-lif.test's sequence)", () => {
    // spike at 1 ms: a_in = 5 reaches the update of step 2 (events act on the next update)
    const r = runLoihi(source(weightFor(m, 5), { times: "1 ms", indices: "0", n: 1 }));
    expect(r.out.loihi.p!.params.du).toBe(1023);
    // recorded at the start of steps 0..7: steps 0-2 untouched; then 320, 240, 180, 135, 101 (lava-lif.test)
    expect(r.u).toEqual([0, 0, 0, 320, 240, 180, 135, 101]);
    expect(r.v).toEqual([0, 0, 0, 320, 400, 380, 325, 263]);
    expect(r.spikes).toEqual([]);
    // negative mirror: -101.25 -> -101, -162.5 -> -162
    const n = runLoihi(source(weightFor(m, -5), { times: "1 ms", indices: "0", n: 1 }));
    expect(n.u).toEqual([0, 0, 0, -320, -240, -180, -135, -101]);
    expect(n.v).toEqual([0, 0, 0, -320, -400, -380, -325, -263]);
  });

  it("spikes when v > 2^22 and resets v to 0", () => {
    // a_in = 100000: u = 6400000 > 4194304 spike (v -> 0); u = 4800000 spike; u = 3600000, v = 3600000 no spike;
    // u = 2700000, v = 1800000 + 2700000 = 4500000 spike; u = 2025000, v = 2025000; u = 1518750, v = 1012500 + 1518750
    const r = runLoihi(source(weightFor(m, 100000), { times: "1 ms", indices: "0", n: 1 }));
    expect(r.spikes).toEqual([2, 3, 5]);
    expect(r.u).toEqual([0, 0, 0, 6400000, 4800000, 3600000, 2700000, 2025000]);
    expect(r.v).toEqual([0, 0, 0, 0, 0, 3600000, 0, 2025000]);
    expect(Array.from(r.out.loihi.p!.u)).toEqual([1518750]);
    expect(Array.from(r.out.loihi.p!.v)).toEqual([1012500 + 1518750]);
  });

  it("wraps u past 2^23 and clips v at -2^23 + 1, with a_in summed in int32 from simultaneous spikes", () => {
    // two spikes at 1 ms, a_in 70000 each: 140000 (no 16-bit wrap: Lava's ports carry int32)
    // step 2: u = 140000 << 6 = 8960000 > 2^23 -> 8960000 - 2^24 = -7817216; v = -7817216
    // step 3: u = -7817216 * 3072 / 4096 = -5862912; v = -3908608 - 5862912 = -9771520 -> clip -8388607
    // step 4: u = -4397184; v = trunc(-4194303.5) = -4194303, - 4397184 = -8591487 -> clip -8388607
    // step 5: u = -3297888; v = -4194303 - 3297888 = -7492191
    // step 6: u = -2473416; v = -3746095 (trunc of -3746095.5) - 2473416 = -6219511
    const r = runLoihi(source(weightFor(m, 70000), { times: "1 ms, 1 ms", indices: "0, 1", n: 2 }));
    expect(r.u).toEqual([0, 0, 0, -7817216, -5862912, -4397184, -3297888, -2473416]);
    expect(r.v).toEqual([0, 0, 0, -7817216, -8388607, -8388607, -7492191, -6219511]);
    // the same sequence from lava-lif.ts's one-neuron step, driven by the a_in series
    let u = 0,
      v = 0;
    const seq: number[] = [];
    for (const a of [0, 0, 140000, 0, 0, 0, 0, 0]) {
      const s = loihiLifStep(m.params, u, v, a);
      u = s.u;
      v = s.v;
      seq.push(v);
    }
    expect(seq.slice(0, 7)).toEqual(r.v.slice(1));
    expect(Array.from(r.out.loihi.p!.v)).toEqual([seq[7]]);
  });

  it("keeps the generic path for groups the matcher refuses, with a note", () => {
    const p = ir(source("1 mV", { times: "1 ms", indices: "0", n: 1 }, "refractory 2 ms"));
    const ran = makeFixedTarget({ ...DEFAULT_FIXED_SPEC, neuronMode: "loihi" }).run(p, {});
    expect(ran.result).toBeDefined();
    const note = ran.diagnostics.find((d) => d.severity === "note");
    expect(note?.code).toBe("E0801");
    expect(note?.message).toContain("group p runs on the generic fixed-point path: has a refractory period");
    // and without loihi mode nothing is said
    expect(
      makeFixedTarget(DEFAULT_FIXED_SPEC)
        .run(p, {})
        .diagnostics.filter((d) => d.severity === "note"),
    ).toEqual([]);
  });

  it("glia run --target fixed --hw loihi runs a small network end to end", async () => {
    const net = `
import "std/static.glia"
neuron CurLIF {
  parameters { taum: ms = 20 ms
    taus: ms = 5 ms
    Vt: mV = -50 mV
    Vr: mV = -60 mV
    El: mV = -60 mV }
  state { v: mV = -60 mV
    I: mV = 0 mV }
  equations { v' = (I - (v - El)) / taum
    I' = -I / taus }
  method exact
  spike when v > Vt { v = Vr }
}
network Small {
  dt = 1 ms
  seed = 3
  input drive = poisson(rate = 200 Hz)[50]
  population exc = CurLIF[40]
  population inh = CurLIF[10]
  connect drive -> exc, inh with Static(w = 3 mV) onto I fixed_probability(0.3)
  connect exc -> inh with Static(w = 2 mV) onto I fixed_probability(0.5)
  connect inh -> exc with Static(w = -4 mV) onto I fixed_probability(0.5)
  record spikes of exc, inh
  run 200 ms
}
`;
    const io = captureIo({ "small.glia": net });
    expect(await runCli(["run", "small.glia", "--target", "fixed", "--hw", "loihi", "--json"], io)).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(j.target).toBe("fixed");
    expect(io.stderr).not.toContain("generic fixed-point path"); // both groups ran as Lava's LIF
    expect(j.populations.exc.spikes).toBeGreaterThan(0);
    expect(j.populations.inh.spikes).toBeGreaterThan(0);
    // the same run through the target API: both groups in loihi mode, deterministic
    const p = compile("small.glia", io.host).ir!;
    const a = makeFixedTarget().run(p, { hw: "loihi" }).result!,
      b = makeFixedTarget().run(p, { hw: "loihi" }).result!;
    expect(a.populations.exc.spikes).toBe(j.populations.exc.spikes);
    expect(Array.from(a.spikes.exc!.indices)).toEqual(Array.from(b.spikes.exc!.indices));
  });
});
