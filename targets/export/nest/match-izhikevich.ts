// Whether a glia group is NEST's built-in `izhikevich`, decided from its equations (never from its name). In: a
// continuous-IR group, its scalar parameter values, the projections into it; out: the izhikevich binding (a, b, c,
// d, V_th, I_e, the scale k from glia's v to NEST's mV number, the initial values) or why it is not one.
//
// NEST's izhikevich (consistent_integration = true, forward Euler on the ms grid): V' = 0.04 V^2 + 5 V + 140 - U +
// I_e, U' = a (b V - U), spike when V >= V_th, V = c, U += d, no refractoriness; an incoming spike adds its weight
// to V. glia's v is NEST's V times a scale k (k = 1 for the dimensionless form `/ 1 ms`, 1e-3 for volts), so in SI
// v' = 1e3 (0.04/k v^2 + 5 v + 140 k - u + k I_e) and u' = 1e3 a (b v - u). With every parameter bound, the right-
// hand sides are read off as polynomials (v'' coefficients by central differences at the origin) and confirmed at
// pseudo-random points: v' must have 5e3 on v, -1e3 on u, a positive v^2 term (which gives k) and nothing else.

import type { IRExpr, IRGroup, IRProjection, Ref } from "../../../compiler/ir/nodes.js";
import { evalExpr } from "../../network/eval.js";
import { staticWeight, type MatchResult } from "./match.js";

export interface IzhBinding {
  model: "izhikevich";
  v: string;
  u: string;
  /** glia's v (and u) per NEST mV. */
  k: number;
  a: number;
  b: number;
  c: number;
  d: number;
  vTh: number;
  iE: number;
  strict: boolean;
}

export type IzhMatch = MatchResult<IzhBinding>;

export function matchIzhikevich(g: IRGroup, scalars: Map<string, number>, incoming: IRProjection[]): IzhMatch {
  if (g.kind !== "neuron") return { ok: false, why: "an astrocyte group" };
  if (g.stepEvery !== 1) return { ok: false, why: "a group on its own clock" };
  if (g.inputs.length > 0) return { ok: false, why: `the input ${g.inputs[0]!.name}` };
  if (g.aliases.length > 0) return { ok: false, why: `the alias ${g.aliases[0]!.name}` };
  for (const p of g.params) if (!scalars.has(p.name)) return { ok: false, why: `the per-element parameter ${p.name}` };
  if (g.state.length !== 2 || g.odes.length !== 2)
    return { ok: false, why: `${g.state.length} state variables, not two` };
  const th = g.threshold;
  if (!th || th.k !== "bin" || (th.op !== ">" && th.op !== ">=") || th.a.k !== "ref" || th.a.ref.space !== "state")
    return { ok: false, why: "a threshold that is not `v >= constant`" };
  const v = th.a.ref.name;
  const u = g.state.find((s) => s.name !== v)!.name;
  const constant = (e: IRExpr): number | undefined => {
    try {
      return evalExpr(e, (r: Ref) => (r.space === "param" ? scalars.get(r.name) : undefined));
    } catch {
      return undefined;
    }
  };
  const rhsOf = (name: string): IRExpr | undefined => g.odes.find((o) => o.name === name)?.rhs;
  const f = (name: string, vv: number, uu: number): number => {
    try {
      return evalExpr(rhsOf(name)!, (r) =>
        r.space === "state" ? (r.name === v ? vv : uu) : r.space === "param" ? scalars.get(r.name) : undefined,
      );
    } catch {
      return NaN;
    }
  };
  if (!rhsOf(v) || !rhsOf(u)) return { ok: false, why: "a state variable without an equation" };
  const h = 1;
  const quad = (name: string): [number, number, number, number] => {
    const c0 = f(name, 0, 0);
    return [
      (f(name, h, 0) + f(name, -h, 0) - 2 * c0) / (2 * h * h),
      (f(name, h, 0) - f(name, -h, 0)) / (2 * h),
      (f(name, 0, h) - c0) / h,
      c0,
    ];
  };
  const [A, B, D, C] = quad(v);
  const [Au, Bu, Du, Cu] = quad(u);
  if (![A, B, C, D, Au, Bu, Du, Cu].every(Number.isFinite))
    return { ok: false, why: "equations reading something other than state and parameters" };
  let x = 4242;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 200;
  for (let t = 0; t < 8; t++) {
    const pv = rnd();
    const pu = rnd();
    for (const [name, [qa, qb, qd, qc]] of [
      [v, [A, B, D, C]],
      [u, [Au, Bu, Du, Cu]],
    ] as const) {
      const want = f(name, pv, pu);
      const got = qa * pv * pv + qb * pv + qd * pu + qc;
      if (!(Math.abs(want - got) <= 1e-9 * (Math.abs(want) + Math.abs(got) + 1)))
        return { ok: false, why: `the equation of ${name} is not a polynomial of degree 2 in ${v} alone plus ${u}` };
    }
  }
  const near = (p: number, q: number): boolean => Math.abs(p - q) <= 1e-9 * Math.abs(q);
  if (!(A > 0) || !near(B, 5e3) || !near(D, -1e3))
    return { ok: false, why: `${v}' is not (0.04 ${v}^2 + 5 ${v} + 140 - ${u} + I) / ms` };
  const k = 40 / A;
  const iE = C / (1e3 * k) - 140;
  if (Au !== 0 || Cu !== 0 || !(Du < 0)) return { ok: false, why: `${u}' is not a (b ${v} - ${u}) / ms` };
  const a = -Du / 1e3;
  const b = Bu / (1e3 * a);
  const vTh = constant(th.b);
  if (vTh === undefined) return { ok: false, why: "a threshold that is not `v >= constant`" };
  // reset: v = c; u += d (either order), nothing else
  let c: number | undefined;
  let d: number | undefined;
  for (const s of g.reset) {
    if (s.k !== "assign" || s.target.space !== "state") return { ok: false, why: "a reset other than `v = c; u += d`" };
    if (s.target.name === v) c = constant(s.value);
    else if (s.target.name === u) {
      const e = s.value;
      if (e.k === "bin" && e.op === "+" && e.a.k === "ref" && e.a.ref.space === "state" && e.a.ref.name === u)
        d = constant(e.b);
    }
  }
  if (g.reset.length !== 2 || c === undefined || d === undefined)
    return { ok: false, why: "a reset other than `v = c; u += d`" };
  if (g.refractory) return { ok: false, why: "refractoriness (NEST's izhikevich has none)" };
  for (const p of incoming) {
    const sw = staticWeight(p);
    if (!sw || sw.target !== v)
      return { ok: false, why: `the synapse ${p.synapse} of ${p.name} (izhikevich takes \`post.${v} += w\` only)` };
  }
  return {
    ok: true,
    binding: { model: "izhikevich", v, u, k, a, b, c: c / k, d: d / k, vTh: vTh / k, iE, strict: th.op === ">" },
  };
}
