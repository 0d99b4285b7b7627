// White noise in ODEs (xi, xi_NAME; issue 11 item 3). The exact Ornstein–Uhlenbeck update gives the stationary
// variance sigma^2 tau / 2 even at a coarse step (Euler–Maruyama does not: sigma^2 tau / 2 / (1 - h / (2 tau)));
// draws come from normal(seed, noise:POP.NAME, k * size + e), so reference, wasm-f64 (one and two threads) are
// identical, wasm f32 equal up to single-precision rounding and fixed point up to its words; xi_NAME shares one
// noise between the ODEs naming it; W1011 when `method exact` cannot take a variable's noise.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { printIR } from "../../compiler/ir/print.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunResult, Target } from "../../targets/target.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { fixedTarget } from "../../targets/fixed/index.js";
import { memoryHost } from "../helpers/dir-host.js";

/** x' = -x / tau + sigma * xi, sigma = 1 mV / sqrt(ms): stationary variance sigma^2 tau / 2 = 5 mV^2. */
const ou = (dt: string, method = "", n = 4000) => `neuron OU {
  parameters { tau: ms = 10 ms; sig: mV = 1 mV }
  state { x: mV = 0 mV }
  equations { x' = -x / tau + sig / sqrt(1 ms) * xi }
  ${method}
}
network N {
  dt = ${dt}
  seed = 7
  population p = OU[${n}]
  record x of p every 5 ms
  run 400 ms
}
`;
const ANALYTIC = 5e-6; // V^2

function build(text: string): { ir: IRProgram; warnings: string[] } {
  const c = compile("n.glia", memoryHost({ "n.glia": text }));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return { ir: c.ir!, warnings: c.diagnostics.filter((d) => d.severity === "warning").map((d) => d.code) };
}

function run(t: Target, ir: IRProgram, threads?: number): RunResult {
  const out = t.run(ir, threads ? { threads } : {});
  expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return out.result!;
}

/** Variance over every neuron and recorded step from t >= 100 ms (10 tau: stationary). */
function stationaryVariance(r: RunResult): number {
  const tr = r.traces[0]!;
  const xs: number[] = [];
  tr.steps.forEach((k, row) => {
    if (k * r.dt >= 0.1 - 1e-12) xs.push(...tr.values[row]!);
  });
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - m) * (b - m), 0) / xs.length;
}

describe("white noise", () => {
  test("the exact OU update has the analytical stationary variance sigma^2 tau / 2, Euler–Maruyama its known bias", () => {
    const exact = build(ou("1 ms"));
    expect(exact.ir.groups[0]!.methods).toEqual({ x: "exact" });
    // one step: x e^{-h/tau} + sigma sqrt(tau/2 (1 - e^{-2h/tau})) N
    const c = (1e-3 / Math.sqrt(1e-3)) * Math.sqrt((0.01 / 2) * -Math.expm1(-0.2));
    expect(printIR(exact.ir)).toContain(`${Math.exp(-0.1)} * x + ${c} * noise.xi`);
    const vExact = stationaryVariance(run(referenceTarget, exact.ir));
    expect(Math.abs(vExact / ANALYTIC - 1)).toBeLessThan(0.03);
    const em = build(ou("1 ms", "method euler"));
    expect(em.ir.groups[0]!.methods).toEqual({ x: "euler" });
    const vEm = stationaryVariance(run(referenceTarget, em.ir));
    // Euler–Maruyama: Var = sigma^2 h / (1 - (1 - h/tau)^2) = sigma^2 tau / 2 / (1 - h / (2 tau)) = 5.263 mV^2
    expect(Math.abs(vEm / (ANALYTIC / (1 - 0.05)) - 1)).toBeLessThan(0.03);
    expect(vEm / vExact).toBeGreaterThan(1.02);
  });

  test("reference, wasm-f64 (1 and 2 threads), wasm f32 and fixed point draw the same noise", () => {
    const { ir } = build(ou("0.1 ms", "", 256));
    const ref = run(referenceTarget, ir);
    for (const threads of [1, 2]) expect(run(wasmF64Target, ir, threads).traces).toEqual(ref.traces);
    const maxDiff = (r: RunResult) =>
      Math.max(
        ...r.traces[0]!.values.flatMap((row, i) => [...row].map((x, c) => Math.abs(x - ref.traces[0]!.values[i]![c]!))),
      );
    expect(maxDiff(run(wasmTarget, ir))).toBeLessThan(1e-8); // volts: f32 rounding of mV-sized values
    const fx = run(fixedTarget, ir);
    expect(maxDiff(fx)).toBeLessThan(5e-4); // the fixed words (state 16 bits) follow the same draws (0.13 mV measured)
    const v = stationaryVariance(fx);
    expect(Math.abs(v / ANALYTIC - 1)).toBeLessThan(0.1);
  });

  test("xi_NAME is one noise for the ODEs naming it; different names are independent", () => {
    const net = (a: string, b: string) => `neuron Two {
  state { x = 0; y = 0; z = 0 }
  equations { x' = -x / 10 ms + ${a} / sqrt(1 ms); y' = -y / 10 ms + ${a} / sqrt(1 ms); z' = -z / 10 ms + ${b} / sqrt(1 ms) }
}
network N {
  population p = Two[3]
  record x of p
  record y of p
  record z of p
  run 20 ms
}
`;
    const r = run(referenceTarget, build(net("xi_1", "xi_2")).ir);
    const [x, y, z] = r.traces;
    expect(y!.values).toEqual(x!.values);
    expect(z!.values[100]).not.toEqual(x!.values[100]);
  });

  test("multiplicative noise is Euler–Maruyama; under method exact with W1011", () => {
    const text = (method: string) => `neuron M {
  state { x = 1 }
  equations { x' = -x / 10 ms + 0.1 * x * xi / sqrt(1 ms) }
  ${method}
}
network N {
  population p = M[2]
  record x of p
  run 1 ms
}
`;
    const auto = build(text(""));
    expect(auto.ir.groups[0]!.methods).toEqual({ x: "euler" });
    expect(auto.warnings).toEqual([]);
    const named = build(text("method exact"));
    expect(named.ir.groups[0]!.methods).toEqual({ x: "euler" });
    expect(named.warnings).toEqual(["W1011"]);
    // x + h (-x / tau) + sqrt(h) (0.1 x / sqrt(1 ms)) N
    expect(printIR(auto.ir)).toMatch(/noise\.xi/);
  });
});
