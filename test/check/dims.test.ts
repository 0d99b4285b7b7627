// Dimension inference and instantiation checks on real source text: clean models stay clean,
// wrong dimensions are flagged with the documented messages and spans.

import { describe, expect, test } from "@jest/globals";
import { check, brief, errors, CUBA, LIF } from "./helpers.js";

const net = (body: string) => `network N {\n  dt = 0.1 ms\n${body}\n  run 10 ms\n}\n`;

describe("dimension inference", () => {
  test("the CUBA benchmark is clean", () => {
    const r = check(CUBA);
    expect(r.parseErrors).toEqual([]);
    expect(brief(r.diagnostics)).toEqual([]);
  });

  test("v' = v is flagged with both dimensions", () => {
    const r = check(`neuron N {\n  state { v: mV = 0 mV }\n  equations { v' = v }\n}\n`);
    expect(brief(r.diagnostics)).toEqual(["E0302 3:20-3:20 v' must be V/s but the right side is V"]);
    expect(r.diagnostics[0]!.hint).toMatch(/tau/);
  });

  test("adding a voltage and a current names both", () => {
    const r = check(
      `neuron N {\n  parameters { I0: pA = 1 pA }\n  state { v: mV = 0 mV }\n  equations { v' = (v + I0) / 1 ms }\n}\n`,
    );
    expect(brief(r.diagnostics)).toEqual(["E0301 4:20-4:27 cannot add V and A"]);
  });

  test("products, quotients, powers and sqrt combine dimensions", () => {
    const r = check(`neuron N {
  parameters { R: Mohm = 10 Mohm; Cm: pF = 200 pF; I0: nA = 1 nA; k = 2 }
  state { v: mV = 0 mV }
  equations {
    tau: ms = R * Cm
    vv: mV = sqrt(v^2 + (R * I0)^k)
    v' = (R * I0 - vv) / tau
  }
}\n`);
    expect(brief(r.diagnostics)).toEqual([]);
  });

  test("a dimensioned base needs a constant exponent", () => {
    const r = check(`neuron N {\n  state { v: mV = 0 mV; n = 1 }\n  equations { n' = 0 / 1 s; v' = v^n / 1 s }\n}\n`);
    expect(errors(r.diagnostics).map((d) => d.code)).toEqual(["E0304"]);
  });

  test("exp of a voltage must be dimensionless; exp(v / 1 mV) is fine", () => {
    const bad = check(`neuron N {\n  state { v: mV = 0 mV }\n  equations { v' = exp(v) * 1 mV / 1 ms }\n}\n`);
    expect(brief(bad.diagnostics)).toEqual([
      "E0303 3:24-3:24 the argument of `exp` must be dimensionless, but it is V",
    ]);
    const good = check(`neuron N {\n  state { v: mV = 0 mV }\n  equations { v' = exp(v / 1 mV) * 1 mV / 1 ms }\n}\n`);
    expect(brief(good.diagnostics)).toEqual([]);
  });

  test("conditions are booleans and booleans are not numbers", () => {
    const r = check(`neuron N {
  parameters { th: mV = 1 mV }
  state { v: mV = 0 mV }
  equations { v' = (v > th) / 1 ms }
  spike when v { v = 0 mV }
}\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0306", "E0305"]);
  });

  test("annotation and value must agree (E0307); undeclared units are E0211 with did-you-mean", () => {
    const r = check(
      `neuron N {\n  parameters { tau: ms = 20 mV; g: nSS = 1 nS }\n  state { v = 0 }\n  equations { v' = -v / tau * g / 1 nS }\n}\n`,
    );
    expect(brief(r.diagnostics)).toEqual([
      "E0307 2:26-2:30 `tau` is declared in s but its value is V",
      "E0211 2:36-2:38 unknown unit `nSS`",
    ]);
    expect(r.diagnostics[1]!.hint).toBe("did you mean `nS`?");
  });

  test("an undeclared unit-like name gets the units hint", () => {
    const r = check(`neuron N {\n  state { v: mV = 0 mV }\n  equations { v' = -v / ms }\n}\n`);
    expect(r.diagnostics[0]!.code).toBe("E0201");
    expect(r.diagnostics[0]!.hint).toBe("units are written after a number: 1 ms");
  });
});

describe("synapse instantiation", () => {
  const CUR = `neuron Cur {
  parameters { Cm: pF = 200 pF }
  state { v: mV = 0 mV }
  inputs { I: pA }
  equations { v' = I / Cm }
  spike when v > 10 mV { v = 0 mV }
}\n`;

  test("a generic weight in mV onto ge (mV) is fine", () => {
    const r = check(
      `${LIF}${net("  population a = LIF[10]\n  connect a -> a with Static(w = 1 mV) onto ge all_to_all")}`,
    );
    expect(brief(errors(r.diagnostics))).toEqual([]);
  });

  test("the same weight onto a current input is flagged at the synapse, noting the connect", () => {
    const r = check(
      `${LIF}${CUR}${net("  population a = LIF[10]\n  population c = Cur[10]\n  connect a -> c with Static(w = 1 mV) onto I all_to_all")}`,
    );
    const errs = errors(r.diagnostics);
    expect(brief(errs)).toEqual(["E0301 25:44-25:59 cannot add V to `post.target` in A"]);
    expect(errs[0]!.related[0]!.message).toBe("synapse Static used here, from a to c");
    expect(errs[0]!.related[0]!.span.line).toBe(37);
  });

  test("pre./post. resolve in the connected models", () => {
    const src = `${LIF}
synapse Gap { parameters { g = 0.1 } continuous { post.ge += g * (pre.v - post.v); post.gx += 1 mV } }
${net("  population a = LIF[10]\n  connect a -> a with Gap all_to_all")}`;
    const r = check(src);
    // ge is a state variable, not an input; gx does not exist
    expect(errors(r.diagnostics).map((d) => d.code)).toEqual(["E0409", "E0207"]);
  });

  test("astro.X needs an ensheathing astrocyte population", () => {
    const src = `${LIF}
synapse Mod { parameters { w: mV = 1 mV } on pre { post.target += w * astro.m } }
astrocyte Astro { state { ca = 0 } equations { ca' = -ca / 1 s } on synapse_pre { ca += 1 } expose m = ca }
${net("  population a = LIF[10]\n  population g = Astro[2]\n  connect p: a -> a with Mod onto ge all_to_all\n  connect q: a -> a with Mod onto ge all_to_all\n  ensheath p with g random(pool = 1)")}`;
    const r = check(src);
    const errs = errors(r.diagnostics);
    expect(errs.map((d) => d.code)).toEqual(["E0408"]);
    expect(errs[0]!.message).toMatch(/projection q is not ensheathed/);
  });

  test("generic neuron parameters take the dimension of the population argument", () => {
    const src = `neuron G { parameters { tau } state { v = 1 } equations { v' = -v / tau } }
${net("  population a = G(tau = 10 ms)[4]\n  population b = G(tau = 10 mV)[4]")}`;
    const r = check(src);
    expect(brief(errors(r.diagnostics))).toEqual([
      "E0302 1:64-1:71 v' must be 1/s but the right side is m^-2*kg^-1*s^3*A",
    ]);
  });
});

describe("other model rules", () => {
  test("event-driven synapse ODEs must be decoupled linear", () => {
    const ok = check(
      `synapse Tr { parameters { tau: ms = 20 ms; A_pre = 0.01 } state { x = 0; w = 0.5 } equations { x' = -x / tau + A_pre / tau } on pre { x += A_pre; w += x } }`,
    );
    expect(errors(ok.diagnostics)).toEqual([]);
    const bad = check(
      `synapse Tr { parameters { tau: ms = 20 ms } state { x = 0; y = 0 } equations { x' = -x * x / tau; y' = (x - y) / tau } on pre { x += 1 } }`,
    );
    expect(bad.diagnostics.filter((d) => d.code === "E0410").map((d) => d.message)).toEqual([
      "synapse ODE x' is not of the form a*x + b: product of the variable with itself",
      "synapse ODE y' is not of the form a*y + b: `x` changes between events",
    ]);
  });

  test("unused parameters and state are warned about, uses in any section count", () => {
    const r = check(`neuron N {
  parameters { a = 1; b = 2; c: ms = 1 ms; unused = 3 }
  state { v = 0; w = 0; dead = 0 }
  equations { v' = a / c }
  spike when v > b { w += 1 }
  refractory c clamp w
}\n`);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "W1001 parameter `unused` of N is never used",
      "W1001 state variable `dead` of N is never used",
    ]);
  });

  test("modulators have dimensions and mod.X is checked against the network", () => {
    const src = `${LIF}
synapse R { parameters { w: mV = 1 mV } on pre { post.target += w * mod.reward / 1 Hz + mod.rewrd } }
${net("  population a = LIF[10]\n  modulator reward = rate(a)\n  connect a -> a with R onto ge all_to_all")}`;
    const r = check(src);
    const errs = errors(r.diagnostics);
    expect(errs.map((d) => d.code)).toEqual(["E0514"]);
    expect(errs[0]!.hint).toBe("did you mean `mod.reward`?");
  });
});
