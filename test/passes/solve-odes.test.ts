// Tests for the solve-odes pass: method choice, the exact propagator against closed forms,
// exponential Euler, RK4 convergence order, Euler, refractory clamps and group clocks.
import { describe, expect, test } from "@jest/globals";
import type { IRExpr, IRGroup } from "../../compiler/ir/nodes.js";
import { add, call, div, mul, neg, num, ref, sub } from "../../compiler/ir/expr.js";
import { solveGroup as solveGroupReporting } from "../../compiler/passes/solve-odes.js";
import { Diagnostics } from "../../compiler/diagnostics/diagnostic.js";
import { verifyIR } from "../../compiler/ir/verify.js";
import { applyPass, group, perElem, program, scalar, simulate, run } from "../ir/helpers.js";

const solveGroup = (g: IRGroup, h: number): IRGroup => solveGroupReporting(g, h, new Diagnostics());

const S = (n: string): IRExpr => ref("state", n);
const P = (n: string): IRExpr => ref("param", n);
const st = (name: string, v = 0) => ({ name, dim: "1", init: { k: "expr" as const, e: num(v) }, perElement: false });
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** v' = (E_L - v + g) / tau_m, g' = -g / tau_s */
function lifSyn(tauM: number, tauS: number, EL: number): IRGroup {
  return group({
    name: "n",
    params: [scalar("tau_m", tauM, "s"), scalar("tau_s", tauS, "s"), scalar("E_L", EL, "V")],
    state: [st("v"), st("g")],
    odes: [
      { name: "v", rhs: div(add(sub(P("E_L"), S("v")), S("g")), P("tau_m")) },
      { name: "g", rhs: div(neg(S("g")), P("tau_s")) },
    ],
  });
}

describe("exact propagator", () => {
  const h = 1e-4;
  const N = 1000;
  const t = N * h;

  test("distinct time constants match the closed form to 1e-12", () => {
    const [tm, ts, EL] = [0.02, 0.005, -0.065];
    const g = solveGroup(lifSyn(tm, ts, EL), h);
    expect(g.methods).toEqual({ v: "exact", g: "exact" });
    const [v0, g0] = [-0.05, 0.01];
    const out = simulate(g, { v: v0, g: g0 }, N, h);
    const u = (v0 - EL) * Math.exp(-t / tm) + ((g0 * ts) / (ts - tm)) * (Math.exp(-t / ts) - Math.exp(-t / tm));
    expect(rel(out.v!, EL + u)).toBeLessThan(1e-12);
    expect(rel(out.g!, g0 * Math.exp(-t / ts))).toBeLessThan(1e-12);
  });

  test("coinciding time constants (tau_m == tau_syn): v has the t*exp(-t/tau) term", () => {
    const tau = 0.01;
    const g = solveGroup(lifSyn(tau, tau, 0), h);
    expect(g.methods).toEqual({ v: "exact", g: "exact" });
    const [v0, g0] = [0.002, 0.03];
    for (const n of [1, 37, N]) {
      const out = simulate(g, { v: v0, g: g0 }, n, h);
      const tt = n * h;
      expect(rel(out.v!, (v0 + (g0 * tt) / tau) * Math.exp(-tt / tau))).toBeLessThan(1e-12);
    }
  });

  test("a 3-variable chain with a triple eigenvalue", () => {
    const tau = 0.004;
    const grp = group({
      name: "c",
      params: [scalar("tau", tau)],
      state: [st("x"), st("y"), st("z")],
      odes: [
        { name: "x", rhs: div(neg(S("x")), P("tau")) },
        { name: "y", rhs: div(sub(S("x"), S("y")), P("tau")) },
        { name: "z", rhs: div(sub(S("y"), S("z")), P("tau")) },
      ],
    });
    const g = solveGroup(grp, h);
    expect(g.methods).toEqual({ x: "exact", y: "exact", z: "exact" });
    const out = simulate(g, { x: 1, y: 0, z: 0 }, N, h);
    const s = t / tau;
    expect(rel(out.x!, Math.exp(-s))).toBeLessThan(1e-12);
    expect(rel(out.y!, s * Math.exp(-s))).toBeLessThan(1e-12);
    expect(rel(out.z!, ((s * s) / 2) * Math.exp(-s))).toBeLessThan(1e-12);
  });

  test("an oscillator (complex eigenvalues) with a constant drive", () => {
    const w = 2 * Math.PI * 10;
    const grp = group({
      name: "o",
      params: [scalar("w2", w * w), scalar("c", 3)],
      state: [st("x"), st("y")],
      odes: [
        { name: "x", rhs: S("y") },
        { name: "y", rhs: add(neg(mul(P("w2"), S("x"))), P("c")) },
      ],
    });
    const g = solveGroup(grp, h);
    const out = simulate(g, { x: 1, y: 0 }, N, h);
    const xeq = 3 / (w * w); // x(t) = xeq + (1 - xeq) cos(wt)
    expect(Math.abs(out.x! - (xeq + (1 - xeq) * Math.cos(w * t)))).toBeLessThan(1e-12);
    expect(Math.abs(out.y! - -(1 - xeq) * w * Math.sin(w * t)) / w).toBeLessThan(1e-12);
  });

  test("inputs and other state enter only the affine part", () => {
    const grp = group({
      name: "n",
      params: [scalar("tau", 0.01)],
      state: [st("v"), st("w")],
      inputs: [st("I")],
      odes: [
        { name: "v", rhs: div(add(neg(S("v")), add(ref("input", "I"), S("w"))), P("tau")) },
        { name: "w", rhs: mul(S("w"), S("w")) }, // nonlinear: not in the linear system
      ],
    });
    const g = solveGroup(grp, h);
    expect(g.methods).toEqual({ v: "exact", w: "rk4" });
    const env = { state: { v: 0, w: 0.5 }, inputs: { I: 2 } };
    run(g.update, env);
    // v over one step with constant drive I + w_old
    expect(rel(env.state.v, 2.5 * (1 - Math.exp(-h / 0.01)))).toBeLessThan(1e-12);
  });
});

describe("exponential Euler", () => {
  test("exact for x' = -x/tau + c with tau per element (non-constant coefficient)", () => {
    const grp = group({
      name: "n",
      params: [perElem("tau", 0.02), scalar("c", 5)],
      state: [st("x")],
      odes: [{ name: "x", rhs: add(div(neg(S("x")), P("tau")), P("c")) }],
    });
    const h = 1e-3;
    const g = solveGroup(grp, h);
    expect(g.methods).toEqual({ x: "exponential_euler" });
    for (const tau of [0.02, 0.003]) {
      const out = simulate(g, { x: 1 }, 200, h, { params: { tau } });
      const t = 200 * h;
      expect(rel(out.x!, 5 * tau + (1 - 5 * tau) * Math.exp(-t / tau))).toBeLessThan(1e-12);
    }
  });

  test("a == 0 is guarded: x' = k x + c with k = 0 integrates c", () => {
    const grp = group({
      name: "n",
      params: [perElem("k", 0), scalar("c", 2)],
      state: [st("x")],
      odes: [{ name: "x", rhs: add(mul(P("k"), S("x")), P("c")) }],
    });
    const g = solveGroup(grp, 0.1);
    const out = simulate(g, { x: 1 }, 10, 0.1, { params: { k: 0 } });
    expect(out.x).toBeCloseTo(3, 12);
  });

  test("conditionally linear variables use it when not constant-coefficient", () => {
    const grp = group({
      name: "n",
      params: [scalar("tau", 0.01)],
      state: [st("x"), st("z")],
      odes: [
        { name: "x", rhs: div(neg(mul(S("x"), S("z"))), P("tau")) },
        { name: "z", rhs: call("sin", S("z")) },
      ],
    });
    expect(solveGroup(grp, 1e-3).methods).toEqual({ x: "exponential_euler", z: "rk4" });
  });

  test("when requested, it applies with a constant coefficient too", () => {
    const grp = lifSyn(0.02, 0.005, 0);
    const g = solveGroup({ ...grp, methodRequested: "exponential_euler" }, 1e-4);
    expect(g.methods).toEqual({ v: "exponential_euler", g: "exponential_euler" });
  });
});

describe("rk4", () => {
  /** logistic x' = r x (1 - x/K): x(t) = K / (1 + (K/x0 - 1) e^{-rt}) */
  const logistic = group({
    name: "l",
    params: [scalar("r", 5), scalar("K", 1)],
    state: [st("x")],
    odes: [{ name: "x", rhs: mul(mul(P("r"), S("x")), sub(num(1), div(S("x"), P("K")))) }],
  });
  const exact = (t: number) => 1 / (1 + (1 / 0.1 - 1) * Math.exp(-5 * t));

  test("chosen for a nonlinear ODE; fourth-order convergence (error ratio ~16 per halving)", () => {
    const T = 1;
    const errs = [20, 40, 80].map((n) => {
      const h = T / n;
      const g = solveGroup(logistic, h);
      expect(g.methods).toEqual({ x: "rk4" });
      return Math.abs(simulate(g, { x: 0.1 }, n, h).x! - exact(T));
    });
    const r1 = errs[0]! / errs[1]!;
    const r2 = errs[1]! / errs[2]!;
    expect(r1).toBeGreaterThan(13);
    expect(r1).toBeLessThan(19);
    expect(r2).toBeGreaterThan(14);
    expect(r2).toBeLessThan(18);
  });

  test("time-dependent right-hand sides use t at the stage times", () => {
    // x' = cos(w t): x(T) = sin(w T)/w; RK4 is Simpson's rule here, error O(h^4)
    const w = 3;
    const grp = group({
      name: "d",
      params: [],
      state: [st("x")],
      odes: [{ name: "x", rhs: call("cos", mul(num(w), ref("t", "t"))) }],
    });
    const h = 0.01;
    const g = solveGroup(grp, h);
    expect(g.methods).toEqual({ x: "rk4" });
    const out = simulate(g, { x: 0 }, 100, h);
    expect(Math.abs(out.x! - Math.sin(w) / w)).toBeLessThan(1e-9);
  });

  test("exact asked for a nonlinear system falls back to rk4 and records it", () => {
    const g = solveGroup({ ...logistic, methodRequested: "exact" }, 0.01);
    expect(g.methods).toEqual({ x: "rk4" });
  });
});

describe("euler, clamps, clocks, form", () => {
  test("euler when named: every variable from old values", () => {
    const g = solveGroup({ ...lifSyn(0.02, 0.005, 0), methodRequested: "euler" }, 1e-3);
    expect(g.methods).toEqual({ v: "euler", g: "euler" });
    const env = { state: { v: 1, g: 2 } };
    run(g.update, env);
    expect(env.state.v).toBeCloseTo(1 + 1e-3 * ((0 - 1 + 2) / 0.02), 14);
    expect(env.state.g).toBeCloseTo(2 + 1e-3 * (-2 / 0.005), 14);
  });

  test("clamped variables keep their value while refractory; others integrate", () => {
    const grp = { ...lifSyn(0.02, 0.005, 0), refractory: { steps: 20, clamp: ["v"] } };
    const g = solveGroup(grp, 1e-4);
    const env = { state: { v: 0.01, g: 0.02 }, refractory: true };
    run(g.update, env);
    expect(env.state.v).toBe(0.01);
    expect(env.state.g).toBeCloseTo(0.02 * Math.exp(-1e-4 / 0.005), 15);
    const free = { state: { v: 0.01, g: 0.02 }, refractory: false };
    run(g.update, free);
    expect(free.state.v).not.toBe(0.01);
  });

  test("groups on their own clock step by dt * stepEvery", () => {
    const grp = { ...lifSyn(0.02, 0.5, 0), stepEvery: 10 };
    const p = applyPass("solve-odes", program({ dt: 1e-4, groups: [grp] }));
    const env = { state: { v: 0, g: 1 } };
    run(p.groups[0]!.update, env);
    expect(rel(env.state.g, Math.exp(-1e-3 / 0.5))).toBeLessThan(1e-14);
  });

  test("the result verifies: no odes, update present, pass recorded", () => {
    const p = applyPass("solve-odes", program({ groups: [lifSyn(0.02, 0.005, 0)] }));
    expect(p.passes).toEqual(["solve-odes"]);
    expect(p.groups[0]!.odes).toEqual([]);
    expect(verifyIR(p)).toEqual([]);
  });
});
