// Whether a glia group is NEST's built-in `aeif_cond_exp` (adaptive exponential integrate-and-fire with
// exponential conductances) or `aeif_cond_alpha_astro` (the same with alpha conductances and the slow inward current
// of astrocytes), decided from its equations (never from its name). In: a continuous-IR group, its scalar
// parameters, the projections into it, their weights' signs; out: the binding or why it is not one.
//
// aeif_cond_exp: C dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_T)/Delta_T) - g_ex (V - E_ex) - g_in (V - E_in)
// - w + I_e, tau_w dw/dt = a (V - E_L) - w, dg_x/dt = -g_x/tau_x; spike when V >= V_peak, V = V_reset, w += b, V
// clamped for t_ref. With every parameter bound, glia's v' at w = 0 and no conductance is h(v) = alpha v + c0 +
// E exp(v/Delta): second differences on an even grid remove the linear part, and the ratio of two of them is
// exp(step/Delta) exactly, which gives Delta, then E, then alpha and c0; the coefficient of w (-kappa), the
// conductances' (b_k v + d_k) and w' = p v + q w + r are read at unit points; the whole form is then confirmed at
// pseudo-random points. C is free (250 pF): g_L = -alpha C, glia's w is NEST's w / (kappa C), E_L from w' (a != 0)
// or from the leak with I_e = 0. NEST integrates with GSL's adaptive RKF45 and, unlike glia, detects the spike and
// resets inside the step and evaluates the right-hand side at min(V, V_peak): spikes agree within a step.
//
// aeif_cond_alpha_astro: the same membrane plus + I_SIC (the sum of the sic_connections' currents), with alpha
// conductances: ddg_x/dt = -dg_x/tau_x, dg_x/dt = dg_x - g_x/tau_x (a spike of weight W nS adds W e/tau_x to dg_x).
// glia's group has exactly one input I (what the astrocytes' continuous coupling writes, match-astro.ts): its
// coefficient in v' is 1/C, which fixes C; each conductance G in v' pairs with one variable D outside v' with
// G' = c D - G/tau and D' = -D/tau (the same tau), so NEST's dg is c D in NEST's units; synapses write D.

import type { IRExpr, IRGroup, IRProjection, Ref } from "../../../compiler/ir/nodes.js";
import { evalExpr } from "../../network/eval.js";
import { C_M, staticWeight, type MatchResult } from "./match.js";
import type { CondVar } from "./match-cond.js";

/** A conductance; with alpha conductances also its derivative variable `d` (NEST's dg_x = c d in NEST's units). */
export type AeifSyn = CondVar & { d?: string; c?: number };

interface AeifCommon {
  v: string;
  w: string;
  /** NEST's w (A) per unit of glia's w */
  wScale: number;
  /** C_m (F): free for aeif_cond_exp (C_M), 1 / (the input's coefficient in v') for aeif_cond_alpha_astro */
  cm: number;
  /** aeif_cond_alpha_astro: the input the SIC couplings write */
  sic?: string;
  gL: number;
  eL: number;
  deltaT: number;
  vT: number;
  vPeak: number;
  vReset: number;
  a: number;
  b: number;
  tauW: number;
  iE: number;
  tRefSteps: number;
  strict: boolean;
  syn: AeifSyn[];
}

/** One literal model per member, so that a test of `model` narrows the binding. */
export type AeifBinding = (AeifCommon & { model: "aeif_cond_exp" }) | (AeifCommon & { model: "aeif_cond_alpha_astro" });

export type AeifMatch = MatchResult<AeifBinding>;

export function matchAeifCondExp(
  g: IRGroup,
  scalars: Map<string, number>,
  incoming: IRProjection[],
  weightSign: (p: IRProjection) => number,
): AeifMatch {
  return matchAeif(g, scalars, incoming, weightSign, "aeif_cond_exp");
}

/** aeif_cond_alpha_astro; `incoming` without the SIC couplings (continuous blocks into the input, match-astro.ts). */
export function matchAeifCondAlphaAstro(
  g: IRGroup,
  scalars: Map<string, number>,
  incoming: IRProjection[],
  weightSign: (p: IRProjection) => number,
): AeifMatch {
  return matchAeif(g, scalars, incoming, weightSign, "aeif_cond_alpha_astro");
}

function matchAeif(
  g: IRGroup,
  scalars: Map<string, number>,
  incoming: IRProjection[],
  weightSign: (p: IRProjection) => number,
  model: AeifBinding["model"],
): AeifMatch {
  const alpha = model === "aeif_cond_alpha_astro";
  if (g.kind !== "neuron") return { ok: false, why: "an astrocyte group" };
  if (g.stepEvery !== 1) return { ok: false, why: "a group on its own clock" };
  if (!alpha && g.inputs.length > 0) return { ok: false, why: `the input ${g.inputs[0]!.name}` };
  if (alpha && g.inputs.length !== 1) return { ok: false, why: "not exactly one input (the astrocytes' SIC)" };
  const sic = alpha ? g.inputs[0]!.name : undefined;
  if (g.aliases.length > 0) return { ok: false, why: `the alias ${g.aliases[0]!.name}` };
  for (const p of g.params) if (!scalars.has(p.name)) return { ok: false, why: `the per-element parameter ${p.name}` };
  const constant = (e: IRExpr): number | undefined => {
    try {
      return evalExpr(e, (r: Ref) => (r.space === "param" ? scalars.get(r.name) : undefined));
    } catch {
      return undefined;
    }
  };
  const shape = spikeShape(g, constant);
  if ("why" in shape) return shape;
  const { v, vPeak, vReset, w, bJump, strict } = shape;
  if (g.refractory && g.refractory.clamp.some((c) => c !== v))
    return { ok: false, why: `refractoriness clamping ${g.refractory.clamp.join(", ")}` };
  const names = g.state.map((s) => s.name);
  const odes = new Map(g.odes.map((o) => [o.name, o.rhs]));
  if (names.some((n) => !odes.has(n))) return { ok: false, why: "a state variable without an equation" };
  const f = (name: string, p: Record<string, number>): number => {
    try {
      return evalExpr(odes.get(name)!, (r) =>
        r.space === "state" || r.space === "input"
          ? (p[r.name] ?? 0)
          : r.space === "param"
            ? scalars.get(r.name)
            : undefined,
      );
    } catch {
      return NaN;
    }
  };
  const h = (x: number): number => f(v, { [v]: x });
  const ex = readExponential(h, vReset);
  if (!ex) return { ok: false, why: `${v}' has no exponential spike current (Delta_T exp((${v} - V_T)/Delta_T))` };
  const { deltaT, expAt } = ex;
  // the rest is read near the reset (far from it the exponential swamps every other term)
  const x1 = vReset;
  const x2 = vReset + 1e-3;
  const lin = (y: number): number => h(y) - expAt(y);
  const slope = (lin(x2) - lin(x1)) / (x2 - x1);
  const c0 = lin(x1) - slope * x1;
  const kappa = -(f(v, { [v]: x1, [w]: 1 }) - h(x1));
  const kIn = sic === undefined ? 0 : f(v, { [v]: x1, [sic]: 1 }) - h(x1);
  const others = names.filter((n) => n !== v && n !== w);
  const inV = (s: string): boolean => f(v, { [v]: x1, [s]: 1 }) - h(x1) !== 0;
  const gs = alpha ? others.filter(inV) : others;
  const ds = others.filter((s) => !gs.includes(s));
  if (gs.length > 2) return { ok: false, why: `more than two conductances (${model} has g_ex and g_in)` };
  const pairOf = alpha ? pairAlpha(gs, ds, f) : new Map<string, string>();
  if (typeof pairOf === "string") return { ok: false, why: pairOf };
  const bk = new Map<string, number>();
  const dk = new Map<string, number>();
  for (const s of gs) {
    const at1 = f(v, { [v]: x1, [s]: 1 }) - h(x1);
    const at2 = f(v, { [v]: x2, [s]: 1 }) - h(x2);
    bk.set(s, (at2 - at1) / (x2 - x1));
    dk.set(s, at1 - bk.get(s)! * x1);
  }
  const pw = f(w, { [v]: 1 }) - f(w, {});
  const qw = f(w, { [w]: 1 }) - f(w, {});
  const rw = f(w, {});
  const self = new Map(others.map((s) => [s, f(s, { [s]: 1 })]));
  const cross = new Map(gs.filter((s) => pairOf.has(s)).map((s) => [s, f(s, { [pairOf.get(s)!]: 1 })]));
  let x = 99;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2;
  for (let t = 0; t < 8; t++) {
    const p: Record<string, number> = {};
    for (const n of names) p[n] = rnd();
    if (sic !== undefined) p[sic] = rnd() * 1e-9;
    p[v] = vReset + 0.01 * rnd(); // near the operating range, where the exponential is finite
    const close = (want: number, got: number, what: string): string | undefined =>
      Math.abs(want - got) <= 1e-6 * (Math.abs(want) + Math.abs(got) + 1e-12) ? undefined : what;
    let got = slope * p[v]! + c0 + expAt(p[v]!) - kappa * p[w]! + kIn * (sic === undefined ? 0 : p[sic]!);
    for (const s of gs) got += p[s]! * (bk.get(s)! * p[v]! + dk.get(s)!);
    const bad =
      close(f(v, p), got, `${v}' is not a leak, an exponential, conductances${sic ? `, ${sic}` : ""} and -${w}`) ??
      close(f(w, p), pw * p[v]! + qw * p[w]! + rw, `${w}' is not (a (${v} - E_L) - ${w}) / tau_w`) ??
      gs
        .map((s) =>
          alpha
            ? close(f(s, p), cross.get(s)! * p[pairOf.get(s)!]! + self.get(s)! * p[s]!, `${s}' is not D - ${s}/tau`)
            : close(f(s, p), self.get(s)! * p[s]!, `${s}' is not a lone decay`),
        )
        .find((y) => y) ??
      ds.map((d) => close(f(d, p), self.get(d)! * p[d]!, `${d}' is not a lone decay`)).find((y) => y);
    if (bad) return { ok: false, why: bad };
  }
  if (!(slope < 0)) return { ok: false, why: `${v}' has no leak` };
  if (!(kappa > 0) || !(qw < 0))
    return {
      ok: false,
      why: `${w} is no adaptation current (${w}' = (a (${v} - E_L) - ${w}) / tau_w, ${v}' = ... - ${w} / C)`,
    };
  if (sic !== undefined && !(kIn > 0))
    return { ok: false, why: `${sic} is no current into ${v} (${v}' = ... + ${sic} / C)` };
  const cm = sic === undefined ? C_M : 1 / kIn;
  const gL = -slope * cm;
  // E exp((x - V_T)/Delta) with E = g_L Delta / C: V_T from the exponential's value at the reset
  const vT = vReset - deltaT * Math.log((expAt(vReset) * cm) / (gL * deltaT));
  const tauW = -1 / qw;
  const wScale = kappa * cm;
  const a = pw * tauW * wScale;
  const eL = a !== 0 ? (-rw * tauW * wScale) / a : -c0 / slope;
  const iE = (c0 + (gL / cm) * -eL) * cm; // c0 = (g_L E_L + I_e) / C
  const syn = conductances(gs, { self, cross, bk, dk, pairOf }, cm, v);
  if (typeof syn === "string") return { ok: false, why: syn };
  const wrong = incoming.find((p) => {
    const sw = staticWeight(p);
    return !sw || !syn.some((s) => (alpha ? s.d : s.name) === sw.target) || weightSign(p) < 0;
  });
  if (wrong)
    return {
      ok: false,
      why: `the synapse ${wrong.synapse} of ${wrong.name} (only \`post.${alpha ? "dg" : "g"} += w\`, w >= 0, onto a conductance${alpha ? "'s derivative" : ""})`,
    };
  if (syn.length === 2) {
    const [s1, s2] = syn as [AeifSyn, AeifSyn];
    (s1.eRev >= s2.eRev ? s2 : s1).port = "in";
  }
  const common: AeifCommon = {
    v,
    w,
    wScale,
    cm,
    ...(sic !== undefined ? { sic } : {}),
    gL,
    eL,
    deltaT,
    vT,
    vPeak,
    vReset,
    a,
    b: bJump * wScale,
    tauW,
    iE: Math.abs(iE) < 1e-9 * Math.abs(gL * eL) ? 0 : iE,
    tRefSteps: g.refractory?.steps ?? 0,
    strict,
    syn,
  };
  return {
    ok: true,
    binding: alpha ? { ...common, model: "aeif_cond_alpha_astro" } : { ...common, model: "aeif_cond_exp" },
  };
}

/** The exponential of h(v) = alpha v + c0 + E exp(v/Delta): second differences on an even grid from the reset
 *  remove the linear part, and the ratio of two is exp(step/Delta); undefined when there is none. */
function readExponential(
  h: (x: number) => number,
  vReset: number,
): { deltaT: number; expAt: (x: number) => number } | undefined {
  const step = 5e-4;
  const d2 = (x: number): number => h(x) - 2 * h(x + step) + h(x + 2 * step);
  const d0 = d2(vReset);
  const ratio = d2(vReset + step) / d0;
  // an exponential: a ratio above 1 (Delta_T under 0.5 V), the same one step further (a quadratic has ratio 1)
  const again = d2(vReset + 2 * step) / d2(vReset + step);
  if (!(Number.isFinite(ratio) && ratio > 1.001 && d0 > 0 && Math.abs(again - ratio) <= 1e-6 * ratio)) return undefined;
  const deltaT = step / Math.log(ratio);
  return { deltaT, expAt: (x) => (d0 / (1 - Math.exp(step / deltaT)) ** 2) * Math.exp((x - vReset) / deltaT) };
}

/** The conductances as NEST sees them (time constant, scale in S per unit, reversal potential; alpha: the driving
 *  variable and its coefficient), or why one is not a conductance. */
function conductances(
  gs: string[],
  read: {
    self: Map<string, number>;
    cross: Map<string, number>;
    bk: Map<string, number>;
    dk: Map<string, number>;
    pairOf: Map<string, string>;
  },
  cm: number,
  v: string,
): AeifSyn[] | string {
  const { self, cross, bk, dk, pairOf } = read;
  const syn: AeifSyn[] = [];
  for (const s of gs) {
    if (!(self.get(s)! < 0) || !(bk.get(s)! < 0))
      return `${s} does not drive ${v} as a conductance (${v}' = ... + ${s} (E - ${v}) / tau)`;
    const d = pairOf.get(s);
    if (
      d !== undefined &&
      (!(cross.get(s)! > 0) || Math.abs(self.get(d)! - self.get(s)!) > 1e-9 * Math.abs(self.get(s)!))
    )
      return `${d}' and ${s}' are not an alpha conductance (the same tau in both)`;
    syn.push({
      name: s,
      tau: -1 / self.get(s)!,
      scale: -bk.get(s)! * cm,
      eRev: -dk.get(s)! / bk.get(s)!,
      port: "ex",
      ...(d !== undefined ? { d, c: cross.get(s)! } : {}),
    });
  }
  return syn;
}

/** Alpha conductances: each conductance G (in v') is driven by exactly one variable D outside v' (G' = c D - G/tau),
 *  and every such D drives one G: G -> D, or why not. */
function pairAlpha(
  gs: string[],
  ds: string[],
  f: (name: string, p: Record<string, number>) => number,
): Map<string, string> | string {
  const pairOf = new Map<string, string>();
  for (const s of gs) {
    const d = ds.filter((x) => f(s, { [x]: 1 }) !== 0);
    if (d.length !== 1) return `${s}' is not D - ${s}/tau (an alpha conductance)`;
    pairOf.set(s, d[0]!);
  }
  if (ds.length !== pairOf.size || new Set(pairOf.values()).size !== ds.length)
    return `${ds[0]} is not the derivative of one conductance (alpha: D' = -D/tau, G' = D - G/tau)`;
  return pairOf;
}

/** The threshold `v > V_peak`, the reset `v = c; w += b`: the variables and constants, or why not. */
function spikeShape(
  g: IRGroup,
  constant: (e: IRExpr) => number | undefined,
):
  { v: string; vPeak: number; vReset: number; w: string; bJump: number; strict: boolean } | { ok: false; why: string } {
  const th = g.threshold;
  if (!th || th.k !== "bin" || (th.op !== ">" && th.op !== ">=") || th.a.k !== "ref" || th.a.ref.space !== "state")
    return { ok: false, why: "a threshold that is not `V > constant`" };
  const v = th.a.ref.name;
  const vPeak = constant(th.b);
  if (vPeak === undefined) return { ok: false, why: "a threshold that is not `V > constant`" };
  // reset: v = c; w += b
  let vReset: number | undefined;
  let w: string | undefined;
  let bJump: number | undefined;
  for (const s of g.reset) {
    if (s.k !== "assign" || s.target.space !== "state") return { ok: false, why: "a reset other than `v = c; w += b`" };
    const e = s.value;
    if (s.target.name === v) vReset = constant(e);
    else if (
      e.k === "bin" &&
      e.op === "+" &&
      e.a.k === "ref" &&
      e.a.ref.space === "state" &&
      e.a.ref.name === s.target.name
    ) {
      w = s.target.name;
      bJump = constant(e.b);
    }
  }
  if (g.reset.length !== 2 || vReset === undefined || w === undefined || bJump === undefined)
    return { ok: false, why: "a reset other than `v = c; w += b`" };
  return { v, vPeak, vReset, w, bJump, strict: th.op === ">" };
}
