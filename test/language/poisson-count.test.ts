// poisson_count inputs (issue 15, item 4): every element emits an independent Poisson(rate * dt) count of
// events per step, each delivered through its synapses. The checker's refusals (codes and spans); the counts'
// distribution (mean, variance, probabilities); the very same counts on every target (reference, wasm f64 and
// f32 on 1 and 2 threads, fixed, the descriptor runner and the Loihi emulator, which injects one host message
// per event); `post.X += w` adds count * w; the crossbar mapping and the SANA-FE exporter refuse it.

import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { fixedTarget } from "../../targets/fixed/index.js";
import { poissonCount } from "../../compiler/builtins/poisson-count.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { CrossbarSpec, DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/digital/map.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { emulate } from "../../targets/emulator/engine.js";
import { costModel } from "../../targets/emulator/costs.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { sanafeExporter } from "../../targets/export/sanafe/index.js";
import type { RunResult } from "../../targets/target.js";
import { memoryHost } from "../helpers/dir-host.js";
import { check, errors } from "../check/helpers.js";

const MODEL = `neuron Sum {
  parameters { th: mV = 1000 mV }
  state { v: mV = 0 mV }
  inputs { I: mV }
  equations { v' = I / 1 ms }
  spike when v > th { v = 0 mV }
}
synapse Static { parameters { w } on pre { post.target += w } }
neuron Lif {
  parameters { tau: ms = 10 ms  tau_s: ms = 0.5 ms  th: mV = 15 mV  C: pF = 250 pF }
  state { v: mV = 0 mV  I_syn: pA = 0 pA }
  equations {
    v' = -v / tau + I_syn / C
    I_syn' = -I_syn / tau_s
  }
  spike when v > th { v = 0 mV }
}
synapse PSC { parameters { w: pA } on pre { post.I_syn += w } }
`;

/** Errors as `CODE line:col-endLine:endCol text`. */
function located(source: string): string[] {
  const lines = source.split("\n");
  return errors(check(source).diagnostics).map(
    (d) =>
      `${d.code} ${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol} ${lines[d.span.line - 1]!.slice(d.span.col - 1, d.span.line === d.span.endLine ? d.span.endCol : undefined)}`,
  );
}

function compiled(src: string): IRProgram {
  const c = compile("n.glia", memoryHost({ "n.glia": src }), { verify: true });
  expect(errors(c.diagnostics)).toEqual([]);
  return c.ir!;
}

describe("poisson_count: the checker", () => {
  // line 21 of each network: the input statement
  const net = (rate: string, dt = "0.1 ms") =>
    `${MODEL}network N {\n  dt = ${dt}\n  input drive = poisson_count(rate = ${rate})[10]\n  population p = Sum[10]\n  connect drive -> p with Static(w = 1 mV) onto v one_to_one\n  run 10 ms\n}\n`;
  test("rates in Hz above one event per step are fine; a mean above 100 per step is E0531 at the rate", () => {
    expect(located(net("16 kHz"))).toEqual([]);
    expect(located(net("1000 kHz"))).toEqual([]); // 100 events per step: the limit itself
    expect(located(net("1 MHz"))).toEqual([]); // the same rate, in MHz
    expect(located(net("1.5 MHz"))).toEqual(["E0531 21:38-21:44 1.5 MHz"]);
    expect(located(net("1500 kHz"))).toEqual(["E0531 21:38-21:45 1500 kHz"]);
    expect(located(net("uniform(1 kHz, 2000 kHz)"))).toEqual(["E0531 21:38-21:61 uniform(1 kHz, 2000 kHz)"]);
  });
  test("a rate in other units or negative is E0301; a timed array is E0532", () => {
    expect(located(net("5 mV"))).toEqual(["E0301 21:38-21:41 5 mV"]);
    expect(located(net("-2 Hz"))).toEqual(["E0301 21:38-21:42 -2 Hz"]);
    expect(located(net("timed_array([1 Hz, 2 Hz], 5 ms)"))).toEqual([
      "E0532 21:38-21:68 timed_array([1 Hz, 2 Hz], 5 ms)",
    ]);
    expect(located(net("2 * timed_array([1 Hz, 2 Hz], 5 ms)"))).toEqual([
      "E0532 21:38-21:72 2 * timed_array([1 Hz, 2 Hz], 5 ms)",
    ]);
  });
  test("a drawn rate above 100 events per step is refused by every target, with the element and its rate", () => {
    const ir = compiled(net("900 kHz + 100 kHz * i"));
    for (const t of [referenceTarget, wasmF64Target, wasmTarget, fixedTarget]) {
      const r = t.run(ir, {});
      expect(r.result).toBeUndefined();
      expect(
        r.diagnostics.filter((d) => d.code === "E0801").map((d) => d.message.replace(/^[\w-]+ target: /, "")),
      ).toEqual([
        "poisson_count source drive: 8 of 10 elements have rate * dt > 100 (element 9: 1800000 Hz, 180 events per step)",
      ]);
    }
  });
});

describe("poisson_count: the counts", () => {
  test("the draw is Poisson: probabilities by inversion match the pmf at the uniform's quantiles", () => {
    const lam = 1.6;
    const q0 = Math.exp(-lam);
    let F = 0;
    let p = q0;
    for (let k = 0; k < 12; k++) {
      // just below and at F(k): the count is k below it, k + 1 at it
      const next = F + p;
      expect(poissonCount(F + 0.5 * p, lam, q0)).toBe(k);
      F = next;
      p = (p * lam) / (k + 1);
    }
    expect(poissonCount(0, 0, 1)).toBe(0);
    expect(poissonCount(0.999999, 0, 1)).toBe(0);
    expect(poissonCount(1 - 2 ** -53, 100, Math.exp(-100))).toBeLessThan(300); // ends for any u
  });

  test("per element and step: mean and variance rate * dt, P(0) = exp(-rate * dt); per step: mean and variance N rate * dt", () => {
    const N = 400;
    const steps = 250;
    const lam = 1.6; // 16 kHz at 0.1 ms
    const ir = compiled(
      `${MODEL}network N {\n  dt = 0.1 ms\n  seed = 9\n  input drive = poisson_count(rate = 16 kHz)[${N}]\n  record spikes of drive\n  run 25 ms\n}\n`,
    );
    const r = referenceTarget.run(ir, {}).result!;
    const s = r.spikes["drive"]!;
    const counts = new Float64Array(N * steps);
    for (let x = 0; x < s.steps.length; x++) counts[s.steps[x]! * N + s.indices[x]!]!++;
    const n = counts.length;
    const mean = counts.reduce((a, c) => a + c, 0) / n;
    const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (n - 1);
    // standard errors over 100,000 draws: mean sqrt(lam / n) = 0.004; variance sqrt(lam (1 + 2 lam) / n) = 0.0083
    expect(Math.abs(mean - lam)).toBeLessThan(4 * Math.sqrt(lam / n));
    expect(Math.abs(variance - lam)).toBeLessThan(4 * Math.sqrt((lam * (1 + 2 * lam)) / n));
    const zeros = counts.reduce((a, c) => a + (c === 0 ? 1 : 0), 0) / n;
    const p0 = Math.exp(-lam);
    expect(Math.abs(zeros - p0)).toBeLessThan(4 * Math.sqrt((p0 * (1 - p0)) / n));
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(5); // several events of one element in a step
    // the step's total: Poisson(N lam), 250 samples (standard errors 1.6 for the mean, 57 for the variance)
    const totals = new Float64Array(steps);
    for (let k = 0; k < steps; k++) for (let e = 0; e < N; e++) totals[k]! += counts[k * N + e]!;
    const tm = totals.reduce((a, c) => a + c, 0) / steps;
    const tv = totals.reduce((a, c) => a + (c - tm) ** 2, 0) / (steps - 1);
    expect(Math.abs(tm - N * lam)).toBeLessThan(4 * Math.sqrt((N * lam) / steps));
    expect(Math.abs(tv - N * lam)).toBeLessThan(4 * N * lam * Math.sqrt(2 / (steps - 1)));
    expect(r.populations["drive"]!.spikes).toBe(s.steps.length); // counts are events
  });

  test("per-element rates (rate = 1 kHz * i): each element's mean count is its rate * dt", () => {
    const ir = compiled(
      `${MODEL}network N {\n  dt = 0.1 ms\n  input drive = poisson_count(rate = 5 kHz * i)[5]\n  record spikes of drive\n  run 400 ms\n}\n`,
    );
    const s = referenceTarget.run(ir, {}).result!.spikes["drive"]!;
    const per = [0, 0, 0, 0, 0];
    for (const e of s.indices) per[e]!++;
    per.forEach((c, e) => {
      const want = 0.5 * e * 4000; // lambda = 0.5 e per step, 4000 steps
      expect(Math.abs(c - want)).toBeLessThanOrEqual(4 * Math.sqrt(want) + (e === 0 ? 0 : 1));
    });
  });
});

describe("poisson_count: the same counts on every path", () => {
  const LIF = `${MODEL}network N {
  dt = 0.1 ms
  seed = 3
  population p = Lif[40]
  input bg = poisson_count(rate = 16 kHz)[40]
  connect bg -> p with PSC(w = 87.8 pA) onto I_syn one_to_one
  connect p -> p with PSC(w = -100 pA) onto I_syn fixed_indegree(5) delay = 1 ms
  record spikes of p, bg
  run 60 ms
}
`;
  const spikesOf = (r: RunResult, name: string) => ({
    steps: Array.from(r.spikes[name]!.steps),
    indices: Array.from(r.spikes[name]!.indices),
  });

  test("reference, wasm (f64, f32; 1 and 2 threads) and fixed: identical counts; post.X += w adds count * w", () => {
    const ir = compiled(`${MODEL}network N {
  dt = 0.1 ms
  seed = 12
  input drive = poisson_count(rate = 12 kHz)[6]
  population p = Sum[6]
  connect drive -> p with Static(w = 1 mV) onto v one_to_one
  record spikes of drive
  record v of p
  run 30 ms
}
`);
    const runs: [string, RunResult][] = [
      ["reference", referenceTarget.run(ir, {}).result!],
      ["wasm-f64", wasmF64Target.run(ir, {}).result!],
      ["wasm-f64 2 threads", wasmF64Target.run(ir, { threads: 2 }).result!],
      ["wasm", wasmTarget.run(ir, {}).result!],
      ["wasm 2 threads", wasmTarget.run(ir, { threads: 2 }).result!],
      ["fixed", fixedTarget.run(ir, { numericGuard: "warn" }).result!],
    ];
    const ref = spikesOf(runs[0]![1], "drive");
    expect(ref.steps.length).toBeGreaterThan(300); // 6 * 300 steps * 1.2
    const perElem = [0, 0, 0, 0, 0, 0];
    for (const e of ref.indices) perElem[e]!++;
    for (const [name, r] of runs) {
      expect([name, spikesOf(r, "drive")]).toEqual([name, ref]);
      // v of element e is 1 mV per event delivered before the last recorded step (delay 0: phase 3 of step k
      // adds to v, which the monitor of step k + 1 sees)
      const tr = r.traces[0]!;
      const lastStep = tr.steps[tr.steps.length - 1]!;
      const before = [0, 0, 0, 0, 0, 0];
      ref.steps.forEach((k, x) => {
        if (k < lastStep) before[ref.indices[x]!]!++;
      });
      const v = tr.values[tr.values.length - 1]!;
      const tol = name === "fixed" ? 1e-4 : name.startsWith("wasm ") || name === "wasm" ? 1e-5 : 1e-12;
      before.forEach((c, e) =>
        expect([name, e, Math.abs(v[e]! - c * 1e-3) <= tol * Math.max(1, c)]).toEqual([name, e, true]),
      );
    }
    expect(perElem.every((c) => c > 0)).toBe(true);
  });

  test("wasm draws the counts in its kernels (word thresholds, 8 lanes a block, each thread its shard): the reference's counts for means 0 to 2.9 per step on 37 elements, 1 to 3 threads", () => {
    // element e: rate 0.8 kHz * e (lambda 0.08 e: 0 at e = 0, so exp(-lambda) = 1; mostly 0 or 1 event at
    // small e, often 2 or more at large e); 37 elements: blocks of 8 past the end of the population and past
    // each thread's shard
    const ir = compiled(
      `${MODEL}network N {\n  dt = 0.1 ms\n  seed = 21\n  input drive = poisson_count(rate = 0.8 kHz * i)[37]\n  record spikes of drive\n  run 50 ms\n}\n`,
    );
    const ref = spikesOf(referenceTarget.run(ir, {}).result!, "drive");
    const per = new Array<number>(37).fill(0);
    for (const e of ref.indices) per[e]!++;
    expect(per[0]).toBe(0);
    expect(per.slice(1).every((c) => c > 0)).toBe(true);
    let multi = 0; // (step, element) pairs with two or more events
    for (let x = 1; x < ref.steps.length; x++)
      if (ref.steps[x] === ref.steps[x - 1] && ref.indices[x] === ref.indices[x - 1]) multi++;
    expect(multi).toBeGreaterThan(1000);
    for (const threads of [1, 2, 3])
      for (const [name, t] of [
        ["wasm", wasmTarget],
        ["wasm-f64", wasmF64Target],
      ] as const)
        expect([name, threads, spikesOf(t.run(ir, { threads }).result!, "drive")]).toEqual([name, threads, ref]);
  });

  test("LIF neurons driven one_to_one: reference and wasm-f64 spike alike; f32 and fixed at the same rate", () => {
    const ir = compiled(LIF);
    const ref = referenceTarget.run(ir, {}).result!;
    const bg = spikesOf(ref, "bg");
    const p = spikesOf(ref, "p");
    expect(p.steps.length).toBeGreaterThan(50);
    for (const threads of [1, 2]) {
      const w64 = wasmF64Target.run(ir, { threads }).result!;
      expect(spikesOf(w64, "bg")).toEqual(bg);
      expect(spikesOf(w64, "p")).toEqual(p);
      expect(w64.synapticEvents).toBe(ref.synapticEvents);
      const w32 = wasmTarget.run(ir, { threads }).result!;
      expect(spikesOf(w32, "bg")).toEqual(bg);
      expect(Math.abs(w32.spikes["p"]!.steps.length - p.steps.length)).toBeLessThanOrEqual(0.1 * p.steps.length);
    }
    const fx = fixedTarget.run(ir, { numericGuard: "warn" }).result!;
    expect(spikesOf(fx, "bg")).toEqual(bg);
    expect(Math.abs(fx.spikes["p"]!.steps.length - p.steps.length)).toBeLessThanOrEqual(0.1 * p.steps.length);
  });

  test("Loihi: the emulator injects one host message per event, bit-exact with the descriptor runner", () => {
    const ir = compiled(LIF);
    const spec = loadPreset("loihi").spec! as DigitalSpec;
    const m = mapDigital(ir, spec);
    expect(errors(m.diagnostics)).toEqual([]);
    const steps = 600;
    const emu = emulate(m.descriptor!, costModel(spec), { steps });
    const ran = runDescriptor(m.descriptor!, { duration: steps * ir.dt, numericGuard: "warn" });
    const fixed = ran.result!;
    for (const name of ["bg", "p"]) {
      expect(Array.from(emu.spikes[name]!.steps)).toEqual(Array.from(fixed.spikes[name]!.steps));
      expect(Array.from(emu.spikes[name]!.indices)).toEqual(Array.from(fixed.spikes[name]!.indices));
    }
    const ref = referenceTarget.run(ir, {}).result!;
    expect(Array.from(fixed.spikes["bg"]!.steps)).toEqual(Array.from(ref.spikes["bg"]!.steps));
    const events = fixed.spikes["bg"]!.steps.length;
    expect(events).toBeGreaterThan(steps * 40);
    expect(emu.host_packets).toBe(events); // one per event: each bg element has one synapse
  });
});

describe("poisson_count: paths that cannot carry it refuse", () => {
  const SRC = `${MODEL}network N {
  dt = 0.1 ms
  population p = Lif[4]
  input bg = poisson_count(rate = 16 kHz)[4]
  connect bg -> p with PSC(w = 87.8 pA) onto I_syn one_to_one
  record spikes of p
  run 10 ms
}
`;
  const at = (d: { span: { line: number; col: number; endLine: number; endCol: number } }) =>
    `${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol}`;
  test("a crossbar mapping: E0801 at the input, the projection related", () => {
    const ir = compiled(SRC);
    const m = mapCrossbar(ir, loadPreset("reram-128").spec! as CrossbarSpec);
    expect(m.descriptor).toBeUndefined();
    const d = errors(m.diagnostics);
    expect(d.map((x) => `${x.code} ${at(x)}`)).toEqual(["E0801 22:3-22:44"]);
    expect(d[0]!.message).toMatch(/input bg is poisson_count/);
    expect(d[0]!.related.map(at)).toEqual(["23:3-23:61"]);
  });
  test("the SANA-FE exporter: E0808 naming the construct, at the input (Brian2 and NEST export it: test/export/poisson-count.test.ts)", () => {
    const ir = compiled(SRC);
    for (const ex of [sanafeExporter]) {
      const r = ex.emit(ir, { out: "out", file: "n.glia" });
      expect(r.files ?? []).toEqual([]);
      const d = errors(r.diagnostics);
      expect(d.map((x) => `${x.code} ${at(x)} ${x.message}`)).toEqual([
        `E0808 22:3-22:44 cannot export to ${ex.name}: the poisson_count input bg (several events per element and step)`,
      ]);
    }
  });
});
