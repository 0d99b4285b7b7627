// Per-neuron values (issue 11, item 2): the element index `i` and population size `N` in initial
// values and population arguments, arguments that read the model's parameters, initial values that read
// other state (`u = b * v`, any declaration order), and a random parameter drawn once per neuron and used
// by several others (Izhikevich 2003). Same values on every target; invalid uses with exact codes/spans.

import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { fixedTarget } from "../../targets/fixed/index.js";
import { initGroup } from "../../targets/network/init.js";
import { memoryHost } from "../helpers/dir-host.js";
import { lowerForHardware } from "../../targets/driver/hardware.js";
import { emulateDescriptor } from "../../targets/driver/emulate.js";
import { resolveHardwareSpec } from "../../targets/hw/resolve.js";
import { check, errors } from "../check/helpers.js";

const SRC = `
neuron Izh2003 {
  parameters {
    r = uniform(0, 1)
    a = 0.02
    b = 0.2
    c: mV = -65 mV + 15 mV * r^2
    d: mV = 8 mV - 6 mV * r^2
  }
  state {
    u: mV = b * v
    v: mV = -65 mV + 5 mV * i / N
  }
  inputs { I: mV }
  equations {
    v' = (0.04 * v^2 / 1 mV + 5 * v + 140 mV - u + I) / 1 ms
    u' = a * (b * v - u) / 1 ms
  }
  method euler
  spike when v >= 30 mV { v = c; u += d }
}
network Izh {
  dt = 0.5 ms
  seed = 5
  population exc = Izh2003[40]
  population inh = Izh2003(a = 0.02 + 0.08 * r, b = 0.25 - 0.05 * r, c = -65 mV, d = 2 mV + 0.1 mV * (i % 3))[10]
  current I of exc = steps(times = [0 ms], values = [10 mV])
  current I of inh = steps(times = [0 ms], values = [10 mV])
  record spikes of exc, inh
  run 300 ms
}
`;

describe("per-neuron values", () => {
  const c = compile("izh.glia", memoryHost({ "izh.glia": SRC }), { verify: true });
  test("compiles", () => expect(errors(c.diagnostics)).toEqual([]));
  const group = (name: string) => c.ir!.groups.find((g) => g.name === name)!;

  test("i and N, u = b * v declared before v, r drawn once per neuron and shared by c and d", () => {
    const exc = initGroup(group("exc"), c.ir!.seed, c.ir!.dt);
    const v = exc.state.get("v")!;
    const u = exc.state.get("u")!;
    const r = exc.params.get("r") as Float64Array;
    const cc = exc.params.get("c") as Float64Array;
    const d = exc.params.get("d") as Float64Array;
    for (let k = 0; k < 40; k++) {
      expect(v[k]).toBeCloseTo(-0.065 + (0.005 * k) / 40, 15);
      expect(u[k]).toBe(0.2 * v[k]!);
      expect(cc[k]).toBeCloseTo(-0.065 + 0.015 * r[k]! ** 2, 15);
      expect(d[k]).toBeCloseTo(0.008 - 0.006 * r[k]! ** 2, 15);
    }
    // r is a draw per neuron (not one value for all), in [0, 1)
    expect(new Set(r).size).toBe(40);
    expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r)).toBeLessThan(1);
    const inh = initGroup(group("inh"), c.ir!.seed, c.ir!.dt);
    const ri = inh.params.get("r") as Float64Array;
    const ai = inh.params.get("a") as Float64Array;
    const bi = inh.params.get("b") as Float64Array;
    const di = inh.params.get("d") as Float64Array;
    for (let k = 0; k < 10; k++) {
      expect(ai[k]).toBeCloseTo(0.02 + 0.08 * ri[k]!, 15);
      expect(bi[k]).toBeCloseTo(0.25 - 0.05 * ri[k]!, 15);
      expect(di[k]).toBeCloseTo(0.002 + 0.0001 * (k % 3), 15);
      expect(inh.state.get("u")![k]).toBe(bi[k]! * inh.state.get("v")![k]!);
    }
    // c is one constant for the population: the fold pass binds it into the code (no per-neuron array)
    expect(inh.params.has("c")).toBe(false);
  });

  test("the same per-neuron draws on every target: identical spikes on reference and wasm-f64, close on f32 and fixed", () => {
    const ref = referenceTarget.run(c.ir!, {}).result!;
    const f64 = wasmF64Target.run(c.ir!, {}).result!;
    const f32 = wasmTarget.run(c.ir!, {}).result!;
    const fx = fixedTarget.run(c.ir!, {}).result!;
    for (const pop of ["exc", "inh"]) {
      expect(Array.from(f64.spikes[pop]!.steps)).toEqual(Array.from(ref.spikes[pop]!.steps));
      expect(Array.from(f64.spikes[pop]!.indices)).toEqual(Array.from(ref.spikes[pop]!.indices));
      const n = ref.populations[pop]!.spikes;
      expect(n).toBeGreaterThan(50);
      expect(Math.abs(f32.populations[pop]!.spikes - n)).toBeLessThanOrEqual(Math.ceil(n * 0.02));
      expect(Math.abs(fx.populations[pop]!.spikes - n)).toBeLessThanOrEqual(Math.ceil(n * 0.02));
    }
    // hardware descriptors carry one value per neuron: the emulator is bit exact with the fixed executor
    for (const preset of ["loihi", "fpga-ultrascale"]) {
      const spec = resolveHardwareSpec(preset).spec!;
      // Izhikevich is not Loihi's LIF compartment: mapped as a programmable-core approximation (W1014)
      const m = lowerForHardware(c.ir!, spec, { allowApproximateCores: true });
      expect(m.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const e = emulateDescriptor(m.descriptor!, { file: "izh.glia", hw: preset, spec, json: true, check: true });
      expect(e.failure).toBeUndefined();
      const summary = JSON.parse(e.stdout!) as { bit_exact_vs_fixed: boolean; spikes_total: number };
      expect(summary.bit_exact_vs_fixed).toBe(true);
      expect(summary.spikes_total).toBeGreaterThan(100);
    }
    // per-neuron c and d make the neurons differ: not every neuron fires the same count
    const counts = new Map<number, number>();
    const s = ref.spikes["exc"]!;
    for (let k = 0; k < s.indices.length; k++) counts.set(s.indices[k]!, (counts.get(s.indices[k]!) ?? 0) + 1);
    expect(new Set(counts.values()).size).toBeGreaterThan(1);
  });
});

const M = `neuron M {
  parameters { b = 0.2; tau: ms = 10 ms }
  state { v: mV = -65 mV; u: mV = b * v }
  equations { v' = -v / tau; u' = -u / tau }
  spike when v > 0 mV { v = -65 mV }
}
`;
const net = (pop: string, model = M) => `${model}network N {\n  ${pop}\n  run 1 ms\n}\n`;

describe("per-neuron values: invalid inputs", () => {
  const cases: [string, string, string[]][] = [
    [
      "j in a neuron's equation (i and N are readable there: test/language/element-index.test.ts)",
      net("population p = M[3]", M.replace("v' = -v / tau", "v' = -v / tau * j")),
      ["E0201 4:31-4:31 j"],
    ],
    [
      "state initial values in a cycle",
      net("population p = M[3]", M.replace("v: mV = -65 mV", "v: mV = u / b")),
      ["E0415 3:11-3:11 v"],
    ],
    [
      "a parameter reading a state variable",
      net("population p = M[3]", M.replace("b = 0.2", "b = v / 1 mV")),
      ["E0414 2:20-2:20 v"],
    ],
    [
      "population arguments in a cycle",
      net("population p = M(b = tau / 1 ms, tau = b * 1 ms)[3]"),
      ["E0415 8:20-8:33 b = tau / 1 ms"],
    ],
    ["j is not a population index", net("population p = M(b = j)[3]"), ["E0201 8:24-8:24 j"]],
    ["state is not readable in population arguments", net("population p = M(b = v / 1 mV)[3]"), ["E0201 8:24-8:24 v"]],
  ];
  test.each(cases)("%s", (_name, source, want) => {
    const errs = errors(check(source).diagnostics);
    const lines = source.split("\n");
    expect(
      errs.map(
        (d) =>
          `${d.code} ${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol} ${lines[d.span.line - 1]!.slice(d.span.col - 1, d.span.endCol)}`,
      ),
    ).toEqual(want);
  });
});

describe("per-neuron values from a data-file column", () => {
  const LIF = `neuron L {
  parameters { tau_m: ms = 10 ms; V_th: mV = -50 mV; E_L: mV = -45 mV }
  state { v: mV = -60 mV + 1 mV * i }
  equations { v' = (E_L - v) / tau_m }
  spike when v > V_th { v = -60 mV }
}
`;
  const CELLS = "id,V_th_mV,tau_m_ms,gain\n0,-50,20,1\n1,-52,15,2\n2,-48,25,3\n3,-51,18,4\n";
  const src = (args: string, size = 4) =>
    `${LIF}network C {\n  dt = 0.1 ms\n  population p = L(${args})[${size}]\n  record spikes of p\n  run 200 ms\n}\n`;
  test("csv_column(file, column): one value per neuron in the header's unit, on every target", () => {
    const s = src('V_th = csv_column("cells.csv", "V_th_mV"), tau_m = csv_column("cells.csv", "tau_m_ms")');
    const c = compile("c.glia", memoryHost({ "c.glia": s, "cells.csv": CELLS }), { verify: true });
    expect(errors(c.diagnostics)).toEqual([]);
    const g = initGroup(c.ir!.groups[0]!, 0, 1e-4);
    expect(Array.from(g.params.get("V_th") as Float64Array)).toEqual([-50, -52, -48, -51].map((x) => x * 1e-3));
    expect(Array.from(g.params.get("tau_m") as Float64Array).map((x) => Math.round(x * 1e6))).toEqual([
      20000, 15000, 25000, 18000,
    ]);
    const ref = referenceTarget.run(c.ir!, {}).result!;
    const f64 = wasmF64Target.run(c.ir!, {}).result!;
    const fx = fixedTarget.run(c.ir!, {}).result!;
    expect(Array.from(f64.spikes["p"]!.steps)).toEqual(Array.from(ref.spikes["p"]!.steps));
    // the neurons differ by their file values: each fires at its own rate
    const per = (r: typeof ref) => [0, 1, 2, 3].map((q) => r.spikes["p"]!.indices.filter((x) => x === q).length);
    expect(new Set(per(ref)).size).toBeGreaterThan(1);
    expect(per(fx)).toEqual(per(ref));
  });
  const located = (source: string): string[] => {
    const lines = source.split("\n");
    return errors(check(source, { "cells.csv": CELLS }).diagnostics).map(
      (d) =>
        `${d.code} ${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol} ${lines[d.span.line - 1]!.slice(d.span.col - 1, d.span.endCol)} ${d.message}`,
    );
  };
  test("invalid columns: exact codes, spans, file and line", () => {
    expect(located(src('V_th = csv_column("cells.csv", "V_th_mV")', 5))).toEqual([
      'E0605 9:38-9:48 "cells.csv" cells.csv:5: column V_th_mV has 4 values for 5 elements',
    ]);
    expect(located(src('V_th = csv_column("cells.csv", "V_th")'))).toEqual([
      'E0605 9:38-9:48 "cells.csv" cells.csv:1: no column `V_th` in the header `id,V_th_mV,tau_m_ms,gain`',
    ]);
    expect(located(src('V_th = csv_column("cells.csv", "tau_m_ms")'))).toEqual([
      'E0307 9:27-9:61 csv_column("cells.csv", "tau_m_ms") `V_th` of L is in V but the argument is s',
    ]);
    expect(located(src('tau_m = csv_column("cells.csv", "tau_m") * 1 ms'))).toEqual([
      "E0204 9:28-9:37 csv_column `csv_column` can only be the whole value of a population argument",
    ]);
  });
});
