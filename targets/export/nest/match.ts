// Which NEST built-in model a glia group is, decided from its equations (never from its name). In: a continuous-IR
// group, its scalar parameter values, the projections into it; out: the iaf_psc_exp binding (tau_m, E_L, V_th,
// V_reset, t_ref, each synaptic variable's port, time constant and current scale) or why none fits.
//
// iaf_psc_exp: C_m dV/dt = -(C_m/tau_m)(V - E_L) + I_ex + I_in + I_e, dI_x/dt = -I_x/tau_x, spike when V >= V_th,
// V = V_reset, V clamped for t_ref. A glia group is one when, with every parameter bound: one state variable V is
// the threshold's and the reset's (V > or >= a constant; V = a constant; only V clamped), every other state
// variable S decays alone (S' = -S/tau_S), and V' = a V + sum_k b_k S_k + c with a < 0. The affine form is read off
// by evaluating the right-hand sides at unit points and then confirmed at random points (any term it does not
// capture, a product or a nonlinearity, shows there). Then tau_m = -1/a, E_L = c tau_m, and a synaptic variable
// carries the current I_k = b_k C_m S_k (C_m is free: 250 pF). Its port is ex or in by the sign of the weights
// arriving on it: NEST routes a positive weight to I_syn_ex, a negative one to I_syn_in, so a variable fed by both
// signs needs tau_ex = tau_in.

import type { IRExpr, IRGroup, IRProjection, Ref } from "../../../compiler/ir/nodes.js";
import { evalExpr } from "../../network/eval.js";

export const C_M = 250e-12; // F: iaf_psc_exp's capacitance, a free choice (currents scale with it)

export interface SynVar {
  name: string;
  tau: number;
  /** NEST current (A) per unit of the glia variable: b_k C_m. */
  scale: number;
  port: "ex" | "in";
}

export interface IafBinding {
  model: "iaf_psc_exp";
  v: string;
  tauM: number;
  eL: number;
  vTh: number;
  vReset: number;
  tRefSteps: number;
  /** glia's threshold is `V > V_th` (NEST tests V >= V_th: the same except on an exact tie). */
  strict: boolean;
  syn: SynVar[];
  /** Inputs fed by current stimuli alone, entering V' as an added current: NEST's pA per glia SI unit (currents.ts). */
  stim?: ReadonlyMap<string, number>;
}

/** A matcher's answer: the built-in's binding, or why the group is not that built-in (one shape for every matcher). */
export type MatchResult<B> = { ok: true; binding: B } | { ok: false; why: string };

export type Match = MatchResult<IafBinding>;

/** Static synapse `post.S += W`: the variable S and the constant W, or undefined. */
export function staticWeight(p: IRProjection): { target: string; weight: IRExpr } | undefined {
  if (p.onPost.length + p.continuous.length + p.state.length + p.odes.length > 0 || p.ensheathedBy) return undefined;
  if (p.onPre.length !== 1) return undefined;
  const s = p.onPre[0]!;
  if (s.k !== "assign" || s.target.space !== "post") return undefined;
  const v = s.value;
  if (v.k !== "bin" || v.op !== "+" || v.a.k !== "ref" || v.a.ref.space !== "post" || v.a.ref.name !== s.target.name)
    return undefined;
  let foreign = false;
  const visit = (e: IRExpr): void => {
    if (e.k === "ref" && e.ref.space !== "param") foreign = true;
    if (e.k === "bin") {
      visit(e.a);
      visit(e.b);
    } else if (e.k === "neg") visit(e.a);
    else if (e.k !== "num" && e.k !== "ref") foreign = true;
  };
  visit(v.b);
  return foreign ? undefined : { target: s.target.name, weight: v.b };
}

/** The shape iaf_psc_exp and iaf_cond_exp share: a neuron on the network's clock, no inputs or aliases, scalar
 *  parameters, `V > constant` (or >=), the reset `V = constant`, only V clamped. */
export interface LifShape {
  v: string;
  vTh: number;
  vReset: number;
  strict: boolean;
  constant: (e: IRExpr) => number | undefined;
}

export function lifShape(g: IRGroup, scalars: Map<string, number>): { ok: true; shape: LifShape } | Match {
  if (g.kind !== "neuron") return { ok: false, why: "an astrocyte group" };
  if (g.stepEvery !== 1) return { ok: false, why: "a group on its own clock" };
  if (g.inputs.length > 0) return { ok: false, why: `the input ${g.inputs[0]!.name}` };
  if (g.aliases.length > 0) return { ok: false, why: `the alias ${g.aliases[0]!.name}` };
  for (const p of g.params) if (!scalars.has(p.name)) return { ok: false, why: `the per-element parameter ${p.name}` };
  const th = g.threshold;
  if (!th || th.k !== "bin" || (th.op !== ">" && th.op !== ">=") || th.a.k !== "ref" || th.a.ref.space !== "state")
    return { ok: false, why: "a threshold that is not `V > constant`" };
  const v = th.a.ref.name;
  const lookupConst = (r: Ref): number | undefined => (r.space === "param" ? scalars.get(r.name) : undefined);
  const constant = (e: IRExpr): number | undefined => {
    try {
      return evalExpr(e, lookupConst);
    } catch {
      return undefined;
    }
  };
  const vTh = constant(th.b);
  if (vTh === undefined) return { ok: false, why: "a threshold that is not `V > constant`" };
  const r = g.reset;
  if (r.length !== 1 || r[0]!.k !== "assign" || r[0]!.target.name !== v || r[0]!.target.space !== "state")
    return { ok: false, why: "a reset other than `V = constant`" };
  const vReset = constant(r[0]!.value);
  if (vReset === undefined) return { ok: false, why: "a reset other than `V = constant`" };
  if (g.refractory && g.refractory.clamp.some((c) => c !== v))
    return { ok: false, why: `refractoriness clamping ${g.refractory.clamp.join(", ")}` };
  return { ok: true, shape: { v, vTh, vReset, strict: th.op === ">", constant } };
}

export function matchIafPscExp(
  g: IRGroup,
  scalars: Map<string, number>,
  incoming: IRProjection[],
  weightSign: (p: IRProjection) => number,
  /** the postsynaptic variable a matched short-term plasticity synapse (match-tsodyks.ts) adds to */
  plasticTarget: (p: IRProjection) => string | undefined = () => undefined,
): Match {
  const shaped = lifShape(g, scalars);
  if (!shaped.ok) return shaped;
  const { v, vTh, vReset, strict, constant } = (shaped as { shape: LifShape }).shape;
  const names = g.state.map((s) => s.name);
  const odes = new Map(g.odes.map((o) => [o.name, o.rhs]));
  if (names.some((n) => !odes.has(n))) return { ok: false, why: "a state variable without an equation" };
  const others = names.filter((n) => n !== v);
  // the right-hand sides as functions of the state
  const rhs = (name: string, state: Map<string, number>): number | undefined => {
    try {
      return evalExpr(odes.get(name)!, (ref) =>
        ref.space === "state" ? state.get(ref.name) : ref.space === "param" ? scalars.get(ref.name) : undefined,
      );
    } catch {
      return undefined;
    }
  };
  const at = (values: Record<string, number>): Map<string, number> => new Map(names.map((n) => [n, values[n] ?? 0]));
  const coeffs = new Map<string, Map<string, number>>();
  const offset = new Map<string, number>();
  for (const n of names) {
    const c0 = rhs(n, at({}));
    if (c0 === undefined)
      return { ok: false, why: `the equation of ${n} reads something other than state and parameters` };
    offset.set(n, c0);
    const row = new Map<string, number>();
    for (const m of names) row.set(m, rhs(n, at({ [m]: 1e-3 }))! / 1e-3 - c0 / 1e-3);
    coeffs.set(n, row);
  }
  // confirm the affine form at pseudo-random points (deterministic)
  let x = 12345;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2;
  for (let trial = 0; trial < 8; trial++) {
    const point: Record<string, number> = {};
    for (const n of names) point[n] = rnd();
    for (const n of names) {
      const want = rhs(n, at(point))!;
      let got = offset.get(n)!;
      for (const m of names) got += coeffs.get(n)!.get(m)! * point[m]!;
      const scale = Math.abs(want) + Math.abs(got) + Math.abs(offset.get(n)!) + 1e-12;
      if (!(Math.abs(want - got) <= 1e-7 * scale))
        return { ok: false, why: `the equation of ${n} is not linear in the state` };
    }
  }
  const a = coeffs.get(v)!.get(v)!;
  if (!(a < 0)) return { ok: false, why: `${v}' has no leak (-${v}/tau_m)` };
  const tauM = -1 / a;
  const syn: SynVar[] = [];
  for (const s of others) {
    const row = coeffs.get(s)!;
    const self = row.get(s)!;
    if (
      !(self < 0) ||
      names.some((m) => m !== s && Math.abs(row.get(m)!) > 1e-9 * Math.abs(self)) ||
      Math.abs(offset.get(s)!) > 1e-15
    )
      return { ok: false, why: `${s}' is not a lone decay (${s}' = -${s}/tau)` };
    const init = g.state.find((x) => x.name === s)!.init;
    if (init.k !== "expr" || constant(init.e) !== 0)
      return { ok: false, why: `${s} starting at a value other than 0 (iaf_psc_exp's currents start at 0)` };
    const b = coeffs.get(v)!.get(s)!;
    if (!(b > 0)) return { ok: false, why: `${s} does not drive ${v} as a current (${v}' = ... + ${s}/tau_m)` };
    syn.push({ name: s, tau: -1 / self, scale: b * C_M, port: "ex" });
  }
  if (syn.length > 2)
    return { ok: false, why: "more than two synaptic variables (iaf_psc_exp has I_syn_ex and I_syn_in)" };
  // ports by the sign of what arrives
  const signs = new Map<string, Set<number>>(syn.map((s) => [s.name, new Set()]));
  for (const p of incoming) {
    const target = staticWeight(p)?.target ?? plasticTarget(p);
    if (!target)
      return {
        ok: false,
        why: `the synapse ${p.synapse} of ${p.name} (only \`post.S += w\` maps onto static_synapse)`,
      };
    const set = signs.get(target);
    if (!set) return { ok: false, why: `${p.name} writing ${target}, which is not a synaptic current` };
    set.add(weightSign(p));
  }
  const mixed = syn.filter((s) => signs.get(s.name)!.size > 1);
  if (syn.length === 2) {
    const [s1, s2] = syn as [SynVar, SynVar];
    const neg1 = signs.get(s1.name)!.has(-1);
    const neg2 = signs.get(s2.name)!.has(-1);
    if (mixed.length > 0 && s1.tau !== s2.tau)
      return { ok: false, why: `${mixed[0]!.name} receiving weights of both signs (NEST routes them to two currents)` };
    if (neg1 && !neg2) s1.port = "in";
    else s2.port = "in";
    if (neg1 && neg2 && s1.tau !== s2.tau)
      return { ok: false, why: "both synaptic variables receiving negative weights" };
  }
  return {
    ok: true,
    binding: {
      model: "iaf_psc_exp",
      v,
      tauM,
      eL: offset.get(v)! * tauM,
      vTh,
      vReset,
      tRefSteps: g.refractory?.steps ?? 0,
      strict,
      syn,
    },
  };
}
