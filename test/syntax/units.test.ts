// Units after numbers are gated by the unit table; type annotations accept any unit name.
import { describe, expect, test } from "@jest/globals";
import { diagnosticsOf, exprOf, firstDiag, onlyModel, show, showUnit } from "./helpers.js";

describe("units after a number", () => {
  const CASES: [string, string][] = [
    ["20 ms", "[20 ms]"],
    ["1.62 mV", "[1.62 mV]"],
    ["0.006 /ms", "[0.006 (1/ms)]"],
    ["2e-4 /(uM*ms)", "[0.0002 (1/(uM*ms))]"],
    ["1 mol/metre^3", "[1 (mol/metre^3)]"],
    ["5 mV/ms", "[5 (mV/ms)]"],
    ["3 ms^-1", "[3 ms^-1]"],
    ["2 nS*mV", "[2 (nS*mV)]"],
    ["20 ms / tau", "(/ [20 ms] tau)"],
    ["20 / tau", "(/ 20 tau)"],
    ["10 * mV", "(* 10 mV)"],
    ["1 / (ms * x)", "(/ 1 (* ms x))"],
    ["(ge - v) / 10 ms", "(/ (- ge v) [10 ms])"],
    ["2 ms ^ x", "(^ [2 ms] x)"],
    ["1e3 Hz * t", "(* [1000 Hz] t)"],
    ["-65 mV", "(neg [65 mV])"],
    ["20ms", "[20 ms]"],
  ];
  test.each(CASES)("%s", (src, expected) => {
    expect(show(exprOf(src))).toBe(expected);
  });
});

describe("a unit symbol that starts the next declaration is not a unit", () => {
  test("x = 1 newline E_L: mV = ...", () => {
    const m = onlyModel("neuron T { parameters {\n x = 1\n E_L: mV = -70 mV\n} }");
    expect(m.parameters.map((p) => p.name)).toEqual(["x", "E_L"]);
  });
  test("a unit symbol followed by '=' or ':' starts a declaration", () => {
    // declaring a unit symbol is reported by the checker (E0205); the parser keeps them apart
    const m = onlyModel("neuron T { state { x = 1\n ms = 2\n nA: mV = 1 mV } }");
    expect(m.state.map((p) => `${p.name}=${p.value && show(p.value)}`)).toEqual(["x=1", "ms=2", "nA=[1 mV]"]);
  });
  test("a unit symbol followed by ' starts an ODE", () => {
    const m = onlyModel("neuron T { equations { x' = 1 /ms\n mV' = 2 /ms } }");
    expect(m.equations.map((e) => `${e.kind}:${e.name}=${show(e.value)}`)).toEqual([
      "Ode:x=[1 (1/ms)]",
      "Ode:mV=[2 (1/ms)]",
    ]);
  });
  test("statements: a unit symbol followed by an assignment operator starts the next statement", () => {
    for (const op of ["=", "+=", "-=", "*=", "/="]) {
      const m = onlyModel(`synapse T { on pre { x = 1\n nS ${op} 2 } }`);
      expect(m.handlers[0]!.body).toHaveLength(2);
    }
  });
  test("names that are not unit symbols never start a unit", () => {
    // V, S, A are variable names (the volt is spelled out): `2 V` is not a unit, and a second
    // declaration on the same line needs ';', so the typo is reported instead of declaring V
    const d = diagnosticsOf("neuron T { parameters { x = 2 V } }");
    expect(d.map((x) => `${x.code} ${x.span.line}:${x.span.col}`)).toEqual(["E0110 1:31"]);
    expect(diagnosticsOf("neuron T { parameters { tau = 20 msec } }")[0]!.hint).toContain("did you mean 'ms'?");
  });
  test("value-less declarations on separate lines or separated by ';' are fine", () => {
    const m = onlyModel("synapse T { parameters { w; d\n k = 1; g } }");
    expect(m.parameters.map((p) => p.name)).toEqual(["w", "d", "k", "g"]);
  });
});

describe("type annotations", () => {
  test("plain, derived, dimensionless and unknown units", () => {
    const m = onlyModel(
      "neuron T { parameters { a: ms; b: 1/ms; c: mV/ms; d: mol/metre^3; e: 1; f: 1/(uM*ms); g: blarg } }",
    );
    expect(m.parameters.map((p) => showUnit(p.unit!))).toEqual([
      "ms",
      "(1/ms)",
      "(mV/ms)",
      "(mol/metre^3)",
      "1",
      "(1/(uM*ms))",
      "blarg",
    ]);
  });
  test("alias, expose and modulator annotations", () => {
    const m = onlyModel("astrocyte T { equations { I_syn: nA = 1 nA } expose level: 1/s = 2 /s }");
    const alias = m.equations[0]!;
    expect(alias.kind === "Alias" && showUnit(alias.unit!)).toBe("nA");
    expect(showUnit(m.exposes[0]!.unit!)).toBe("(1/s)");
  });
  test("a number other than 1 in a unit is E0114", () => {
    expect(firstDiag("neuron T { parameters { k: 2/ms = 1 } }")).toBe("E0114 1:28");
  });
  test("a non-integer exponent is E0114", () => {
    const d = diagnosticsOf("neuron T { parameters { k = 1 ms^1.5 } }");
    expect(d.map((x) => `${x.code} ${x.span.col}`)).toEqual(["E0114 34"]);
  });
  test("unit spans point at the symbol", () => {
    const m = onlyModel("neuron T { parameters { tau: ms = 20 ms } }");
    const u = m.parameters[0]!.unit!;
    expect([u.span.col, u.span.endCol]).toEqual([30, 31]);
    const v = m.parameters[0]!.value!;
    expect(v.kind === "Number" && v.unit && [v.unit.span.col, v.unit.span.endCol]).toEqual([38, 39]);
  });
});
