// Whether a glia group is NEST's built-in `iaf_cond_exp`, decided from its equations (never from its name). In: a
// continuous-IR group, its scalar parameter values, the projections into it and the sign of their weights; out: the
// binding (tau_m, E_L, V_th, V_reset, t_ref, each conductance's port, time constant, reversal potential and scale)
// or why it is not one.
//
// iaf_cond_exp: C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) + I_e, dg_x/dt = -g_x/tau_x, spike
// when V >= V_th, V = V_reset, V clamped for t_ref; a positive weight (nS) jumps g_ex, a negative one g_in by its
// magnitude. A glia group is one when, with every parameter bound, it has iaf_psc_exp's shape (match.ts lifShape),
// every other state variable S decays alone, and V' = a V + c + sum_k S_k (b_k V + d_k) with a < 0 and b_k < 0:
// the form is read off at unit points and confirmed at pseudo-random ones (a product it does not capture, or a
// nonlinearity, shows there). Then tau_m = -1/a, E_L = -c/a, and S_k is the conductance g_k = -b_k C_m S_k with
// reversal potential E_k = -d_k/b_k (C_m is free: 250 pF). Weights arriving on S_k must be nonnegative (a
// conductance only jumps up); with two conductances, the one of the higher reversal potential is g_ex. NEST
// integrates with GSL's adaptive RKF45: agreement with glia is within a tolerance, not step for step.

import type { IRGroup, IRProjection } from "../../../compiler/ir/nodes.js";
import { evalExpr } from "../../network/eval.js";
import { C_M, lifShape, staticWeight, type LifShape, type MatchResult } from "./match.js";

export interface CondVar {
  name: string;
  tau: number;
  /** NEST conductance (S) per unit of the glia variable: -b_k C_m. */
  scale: number;
  /** reversal potential (V) */
  eRev: number;
  port: "ex" | "in";
}

export interface CondBinding {
  model: "iaf_cond_exp";
  v: string;
  tauM: number;
  eL: number;
  vTh: number;
  vReset: number;
  tRefSteps: number;
  strict: boolean;
  syn: CondVar[];
}

export type CondMatch = MatchResult<CondBinding>;

export function matchIafCondExp(
  g: IRGroup,
  scalars: Map<string, number>,
  incoming: IRProjection[],
  weightSign: (p: IRProjection) => number,
): CondMatch {
  const shaped = lifShape(g, scalars);
  if (!shaped.ok) return shaped as CondMatch;
  const { v, vTh, vReset, strict } = (shaped as { shape: LifShape }).shape;
  const names = g.state.map((s) => s.name);
  const odes = new Map(g.odes.map((o) => [o.name, o.rhs]));
  if (names.some((n) => !odes.has(n))) return { ok: false, why: "a state variable without an equation" };
  const others = names.filter((n) => n !== v);
  if (others.length === 0) return { ok: false, why: "no conductance" };
  if (others.length > 2) return { ok: false, why: "more than two conductances (iaf_cond_exp has g_ex and g_in)" };
  const f = (name: string, point: Record<string, number>): number => {
    try {
      return evalExpr(odes.get(name)!, (r) =>
        r.space === "state" ? (point[r.name] ?? 0) : r.space === "param" ? scalars.get(r.name) : undefined,
      );
    } catch {
      return NaN;
    }
  };
  if (!names.every((n) => Number.isFinite(f(n, {}))))
    return { ok: false, why: "equations reading something other than state and parameters" };
  const c = f(v, {});
  const a = f(v, { [v]: 1 }) - c;
  const d = new Map(others.map((s) => [s, f(v, { [s]: 1 }) - c]));
  const b = new Map(others.map((s) => [s, f(v, { [v]: 1, [s]: 1 }) - c - a - d.get(s)!]));
  const self = new Map(others.map((s) => [s, f(s, { [s]: 1 })]));
  let x = 777;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2;
  for (let t = 0; t < 8; t++) {
    const p: Record<string, number> = {};
    for (const n of names) p[n] = rnd();
    for (const s of others) {
      const want = f(s, p);
      const got = self.get(s)! * p[s]!;
      if (!(Math.abs(want - got) <= 1e-9 * (Math.abs(want) + Math.abs(got) + 1e-12)))
        return { ok: false, why: `${s}' is not a lone decay (${s}' = -${s}/tau)` };
    }
    const want = f(v, p);
    let got = a * p[v]! + c;
    for (const s of others) got += p[s]! * (b.get(s)! * p[v]! + d.get(s)!);
    const scale = Math.abs(want) + Math.abs(got) + Math.abs(c) + 1e-12;
    if (!(Math.abs(want - got) <= 1e-9 * scale))
      return { ok: false, why: `${v}' is not a leak plus conductances (a V + c + sum S (b V + d))` };
  }
  if (!(a < 0)) return { ok: false, why: `${v}' has no leak (-(${v} - E_L)/tau_m)` };
  const syn: CondVar[] = [];
  for (const s of others) {
    if (!(self.get(s)! < 0)) return { ok: false, why: `${s}' is not a decay` };
    const bs = b.get(s)!;
    if (!(bs < 0))
      return { ok: false, why: `${s} does not drive ${v} as a conductance (${v}' = ... + ${s} (E - ${v}) / tau)` };
    syn.push({ name: s, tau: -1 / self.get(s)!, scale: -bs * C_M, eRev: -d.get(s)! / bs, port: "ex" });
  }
  for (const p of incoming) {
    const sw = staticWeight(p);
    if (!sw)
      return {
        ok: false,
        why: `the synapse ${p.synapse} of ${p.name} (only \`post.S += w\` maps onto static_synapse)`,
      };
    if (!syn.some((s) => s.name === sw.target))
      return { ok: false, why: `${p.name} writing ${sw.target}, which is not a conductance` };
    if (weightSign(p) < 0)
      return { ok: false, why: `${p.name} lowering the conductance ${sw.target} (a negative weight)` };
  }
  if (syn.length === 2) {
    const [s1, s2] = syn as [CondVar, CondVar];
    (s1.eRev >= s2.eRev ? s2 : s1).port = "in";
  }
  return {
    ok: true,
    binding: {
      model: "iaf_cond_exp",
      v,
      tauM: -1 / a,
      eL: -c / a,
      vTh,
      vReset,
      tRefSteps: g.refractory?.steps ?? 0,
      strict,
      syn,
    },
  };
}
