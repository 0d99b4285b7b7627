// `--weight-bits 16` (targets/wasm/weight-codes.ts): per-synapse parameters stored as u16 codes of one affine
// scale per projection. The codes' error bound, the layout's bytes, the W1015 warning with its numbers, and runs
// against the same network with values in the run's precision: spike counts within 3 % per population (a chaotic
// 1 s CUBA-like network with normally drawn weights and delays: the codes' 1e-5 relative errors change spike
// times as another seed would; measured differences 0-0.6 %, seed 7 against 8 without codes 0.7 %), on 1 and 2
// threads, f32 and f64 kernels; the CLI flag and its refusals.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { buildLayout } from "../../targets/wasm/layout.js";
import { quantize } from "../../targets/wasm/weight-codes.js";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { LIF_STATIC } from "../helpers/lif-static.js";

const SOURCE = `${LIF_STATIC}network Net {
  dt = 0.1 ms
  seed = 7
  population exc = Lif[800]
  population inh = Lif[200]
  connect exc -> exc, inh with Static(w = normal(1.6 mV, 0.2 mV)) onto ge fixed_probability(0.08)
      delay = truncated_normal(1.5 ms, 0.75 ms, 0.1 ms, 10 ms)
  connect inh -> exc, inh with Static(w = normal(-4.5 mV, 0.5 mV)) onto gi fixed_probability(0.08) delay = 0.8 ms
  record spikes of exc, inh
  run 1 s
}
`;

function build(source: string): IRProgram {
  const c = compile("a.glia", memoryHost({ "a.glia": source }, dirHost(REPO_ROOT)));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}

describe("16-bit codes", () => {
  test("every value decodes within half an LSB (plus f32 rounding); the extremes exactly representable", () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => 1e-10 * (1 + Math.sin(i * 0.37)));
    for (const precision of ["f32", "f64"] as const) {
      const { codes, report } = quantize(values, precision, "p", "w");
      const lsb = report.lsb;
      expect(lsb).toBeCloseTo((report.hi - report.lo) / 65535, 20);
      expect(Math.min(...codes.codes)).toBe(0);
      expect(Math.max(...codes.codes)).toBe(65535);
      expect(report.maxAbsError).toBeLessThanOrEqual(lsb * (precision === "f32" ? 0.6 : 0.5000001));
      expect(report.maxAbsError).toBeGreaterThan(0);
      expect(report.maxRelError).toBeGreaterThanOrEqual(report.maxAbsError / 2e-10);
    }
  });
});

describe("16-bit codes' error report", () => {
  test("the largest absolute and relative errors are those of every synapse's decoded value, exactly", () => {
    // values of both signs, zeros and a wide range of magnitudes (relative errors from tiny to huge)
    const values = Float64Array.from({ length: 20000 }, (_, i) =>
      i % 97 === 0 ? 0 : (i % 3 === 0 ? -1 : 1) * 1e-10 * Math.exp(6 * Math.sin(i * 0.731)),
    );
    for (const precision of ["f32", "f64"] as const) {
      const { codes, report } = quantize(values, precision, "p", "w");
      const r = precision === "f32" ? Math.fround : (x: number): number => x;
      let maxAbs = 0,
        maxRel = 0;
      values.forEach((v, s) => {
        const err = Math.abs(r(codes.lo + r(codes.lsb * codes.codes[s]!)) - v);
        maxAbs = Math.max(maxAbs, err);
        if (v !== 0) maxRel = Math.max(maxRel, err / Math.abs(v));
      });
      expect({ maxAbs: report.maxAbsError, maxRel: report.maxRelError }).toEqual({ maxAbs, maxRel });
    }
  });
});

describe("runs with 16-bit weights", () => {
  const ir = build(SOURCE);

  test("2 bytes less per synapse (f32), 6 less (f64)", () => {
    const f32 = buildLayout(ir, 7, 10, "f32", 1024);
    const w16 = buildLayout(ir, 7, 10, "f32", 1024, 1, undefined, 16);
    const f64 = buildLayout(ir, 7, 10, "f64", 1024, 1, undefined, 16);
    expect(f32.synapses).toBe(w16.synapses);
    expect((f32.synapseBytes - w16.synapseBytes) / f32.synapses).toBeCloseTo(2, 2);
    expect(f64.synapseBytes).toBe(w16.synapseBytes);
    expect(w16.quantized.map((q) => `${q.projection}.${q.parameter}`)).toHaveLength(ir.projections.length);
  });

  for (const [target, threads] of [
    [wasmTarget, 1],
    [wasmTarget, 2],
    [wasmF64Target, 1],
    [wasmF64Target, 2],
  ] as const) {
    test(`${target.name}, ${threads} thread(s): W1015 per projection with its numbers; counts within 3 %`, () => {
      const plain = target.run(ir, { threads });
      expect(plain.diagnostics).toEqual([]);
      const coded = target.run(ir, { threads, weightBits: 16 });
      const warnings = coded.diagnostics;
      expect(warnings.map((d) => [d.code, d.severity])).toEqual(ir.projections.map(() => ["W1015", "warning"]));
      for (const d of warnings) {
        expect(d.message).toMatch(
          /\.w stored in 16 bits over \[-?[\d.e+-]+, -?[\d.e+-]+\] \(SI units\), LSB [\d.e+-]+: max absolute error [\d.e+-]+, max relative error [\d.e+-]+ over \d+ synapses/,
        );
        const rel = Number(/max relative error ([\d.e+-]+)/.exec(d.message)![1]);
        expect(rel).toBeGreaterThan(0);
        expect(rel).toBeLessThan(1e-3);
        expect(d.span.line).toBeGreaterThan(0);
      }
      const a = plain.result!;
      const b = coded.result!;
      expect(b.synapses).toBe(a.synapses);
      expect(b.bytesPerSynapse!).toBeLessThan(a.bytesPerSynapse! - 1.9);
      for (const pop of ["exc", "inh"]) {
        const n = a.populations[pop]!.spikes;
        expect(n).toBeGreaterThan(5000);
        expect(Math.abs(b.populations[pop]!.spikes - n)).toBeLessThanOrEqual(0.03 * n);
      }
    });
  }

  test("nothing to store in 16 bits (constant weights): one W1015 saying so, the same spikes", () => {
    const constant = build(
      SOURCE.replace("normal(1.6 mV, 0.2 mV)", "1.6 mV").replace("normal(-4.5 mV, 0.5 mV)", "-4.5 mV"),
    );
    const plain = wasmTarget.run(constant, { threads: 1 });
    const coded = wasmTarget.run(constant, { threads: 1, weightBits: 16 });
    expect(coded.diagnostics.map((d) => d.code)).toEqual(["W1015"]);
    expect(coded.diagnostics[0]!.message).toContain("applies to nothing");
    expect(Array.from(coded.result!.spikes["exc"]!.indices)).toEqual(Array.from(plain.result!.spikes["exc"]!.indices));
  });
});

describe("glia run --weight-bits", () => {
  test("16 on wasm warns; other widths and other targets are usage errors", async () => {
    const io = captureIo({ "a.glia": SOURCE });
    expect(await runCli(["run", "a.glia", "--duration", "20ms", "--weight-bits", "16", "--threads", "1"], io)).toBe(0);
    expect(io.stderr).toContain("warning[W1015]");
    const bad = captureIo({ "a.glia": SOURCE });
    expect(await runCli(["run", "a.glia", "--weight-bits", "8"], bad)).toBe(2);
    expect(bad.stderr).toContain("--weight-bits: expected 16, got '8'");
    const ref = captureIo({ "a.glia": SOURCE });
    expect(await runCli(["run", "a.glia", "--target", "reference", "--weight-bits", "16"], ref)).toBe(2);
    expect(ref.stderr).toContain("only the wasm targets");
  });
});
