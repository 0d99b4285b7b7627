// Whether glia's astrocytes and their couplings are NEST's astrocyte_lr_1994, sic_connection and tripartite synapses,
// decided from the equations at sample points (never from names). In: the continuous IR, the network's scalar
// values; out: per astrocyte group its astrocyte_lr_1994 parameters, per coupling its sic_connection weight, per
// ensheathed projection the IP3 jump of its third-factor connections, or why one is not NEST's.
//
// astrocyte_lr_1994 (NEST units uM, ms; Li & Rinzel 1994, with Ca clamped to [0, Ca_tot] inside the right-hand side):
//   IP3' = (IP3_0 - IP3) / tau_IP3
//   Ca'  = J_chan - J_pump + J_leak,  J_chan = r rate_IP3R m^3 n^3 h^3 (Ca_ER - Ca),  J_leak = r rate_L (Ca_ER - Ca),
//          J_pump = rate_SERCA Ca^2 / (Km_SERCA^2 + Ca^2),  Ca_ER = (Ca_tot - Ca) / r,  m = IP3 / (IP3 + Kd_IP3_1),
//          n = Ca / (Ca + Kd_act)
//   h'   = alpha_h (1 - h) - k_IP3R Ca h,  alpha_h = k_IP3R Kd_inh (IP3 + Kd_IP3_1) / (IP3 + Kd_IP3_2)
// A glia astrocyte with three state variables is one when, for some assignment of them to IP3, Ca, h, the parameters
// read off its right-hand sides reproduce them at pseudo-random points: tau_IP3 and IP3_0 from IP3' at two points;
// k_IP3R from h' at h = 1; Kd_inh, Kd_IP3_1, Kd_IP3_2 from alpha_h(IP3) = h'(h = 0) at three points (a linear
// system); Ca' at h = 0 is A - B Ca - rate_SERCA Ca^2 / (Km^2 + Ca^2) with A = rate_L Ca_tot, B = rate_L (1 + r)
// (five points, a linear system in Km^2, A Km^2, B Km^2, A - rate_SERCA, B); the channel term Ca'(h = 1) - Ca'(h =
// 0) = (rate_IP3R / rate_L) m^3 n^3 (A - B Ca) gives Kd_act and rate_IP3R / rate_L (its cube root is linear in Ca);
// Ca_tot is where Ca' stops changing with Ca (the clamp: within [0, Ca_tot] only A and B matter), then rate_L =
// A / Ca_tot and r = B / rate_L - 1. NEST integrates with GSL's adaptive RKF45 (no glia method is that; rk4 comes
// closest) on the kernel's resolution: a glia astrocyte on its own slower clock is refused.
//
// sic_connection: NEST's astrocyte sends SIC = SIC_scale ln((Ca - SIC_th) / 1 nM) when Ca exceeds SIC_th by more
// than 1 nM (else 0), the neuron (aeif_cond_alpha_astro) receives the sum of weight * SIC over its connections. A
// projection from a matched astrocyte is one when its only handler is a continuous block adding f(pre.Ca) to the
// neuron's input, with f = W ln(1000 (Ca - th) / 1 uM) above th + 1 nM and 0 below: the kink is found by bisection,
// W read off above it, the form confirmed at pseudo-random Ca; SIC_scale = 1, weight = W (pA).
//
// Tripartite synapses: a projection ensheathed by a matched astrocyte group whose `on synapse_pre` is `IP3 += c`
// (and no `on synapse_post`, no astro.X read by the synapse: NEST's third-factor synapses carry no
// gliotransmission back) is NEST's tripartite wiring: the primary synapse, a third_in connection from its presynaptic
// element to its astrocyte (weight 1, delta_IP3 = c, the primary's delay) and the SIC couplings glia declares.

import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt, Ref } from "../../../compiler/ir/nodes.js";
import { mentions } from "../../../compiler/ir/expr.js";
import { inlineGroupAliases } from "../../../compiler/passes/inline-aliases.js";
import { evalExpr } from "../../network/eval.js";
import type { MatchResult } from "./match.js";

/** astrocyte_lr_1994 in NEST's units (uM, ms), with glia's variable names. */
export interface AstroBinding {
  model: "astrocyte_lr_1994";
  ip3: string;
  ca: string;
  h: string;
  params: Record<string, number>;
  /** glia's `on synapse_pre { IP3 += c }`: c in uM (NEST's delta_IP3), undefined without that handler */
  deltaIP3?: number;
  strict: false;
}

export interface SicBinding {
  /** the neuron input the coupling writes */
  input: string;
  /** NEST's sic_connection weight (pA) with SIC_scale 1 */
  weight: number;
  /** SIC_th (uM) */
  th: number;
}

const UM = 1e-3; // 1 uM in SI (mol/m^3)

/** Solves a small dense linear system (partial pivoting); undefined when singular. */
function solve(M: number[][], y: number[]): number[] | undefined {
  const n = y.length;
  const a = M.map((r, i) => [...r, y[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (!(Math.abs(a[p]![c]!) > 0)) return undefined;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((r, i) => r[n]! / r[i]!);
}

/** NEST's right-hand side (uM/ms, 1/ms) at (IP3, Ca, h) in uM. */
function nestRhs(p: Record<string, number>, ip3: number, ca: number, h: number): [number, number, number] {
  const c = Math.max(0, Math.min(ca, p.Ca_tot!));
  const m = ip3 / (ip3 + p.Kd_IP3_1!);
  const n = c / (c + p.Kd_act!);
  const er = (p.Ca_tot! - c) / p.ratio_ER_cyt!;
  const chan = p.ratio_ER_cyt! * p.rate_IP3R! * m ** 3 * n ** 3 * h ** 3 * (er - c);
  const pump = (p.rate_SERCA! * c * c) / (p.Km_SERCA! ** 2 + c * c);
  const leak = p.ratio_ER_cyt! * p.rate_L! * (er - c);
  const alphaH = (p.k_IP3R! * p.Kd_inh! * (ip3 + p.Kd_IP3_1!)) / (ip3 + p.Kd_IP3_2!);
  return [(p.IP3_0! - ip3) / p.tau_IP3!, chan - pump + leak, alphaH * (1 - h) - p.k_IP3R! * c * h];
}

export function matchAstrocyteLr1994(g: IRGroup, scalars: Map<string, number>): MatchResult<AstroBinding> {
  if (g.kind !== "astrocyte") return { ok: false, why: "not an astrocyte group" };
  if (g.stepEvery !== 1)
    return {
      ok: false,
      why: "an astrocyte on its own clock (NEST's astrocyte_lr_1994 steps at the kernel resolution)",
    };
  if (g.inputs.length > 0) return { ok: false, why: `the input ${g.inputs[0]!.name}` };
  for (const p of g.params) if (!scalars.has(p.name)) return { ok: false, why: `the per-element parameter ${p.name}` };
  if (g.onSynapsePost.length > 0)
    return { ok: false, why: "`on synapse_post` (NEST's astrocyte hears presynaptic spikes only)" };
  const names = g.state.map((s) => s.name);
  if (names.length !== 3) return { ok: false, why: "not three state variables (IP3, Ca, h_IP3R)" };
  const flat = inlineGroupAliases(g);
  const odes = new Map(flat.odes.map((o) => [o.name, o.rhs]));
  if (names.some((n) => !odes.has(n))) return { ok: false, why: "a state variable without an equation" };
  let why = "";
  for (const [ip3, ca, h] of [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ].map((o) => o.map((k) => names[k]!))) {
    const r = readAstro(odes, scalars, ip3!, ca!, h!);
    if (typeof r === "string") {
      why ||= r;
      continue;
    }
    const jump = synapsePreJump(g.onSynapsePre, ip3!, scalars);
    if (jump === null) return { ok: false, why: "an `on synapse_pre` other than `IP3 += c`" };
    return {
      ok: true,
      binding: {
        model: "astrocyte_lr_1994",
        ip3: ip3!,
        ca: ca!,
        h: h!,
        params: r,
        ...(jump !== undefined ? { deltaIP3: jump / UM } : {}),
        strict: false,
      },
    };
  }
  return { ok: false, why };
}

/** The parameters for one assignment of the state variables, or why they do not reproduce glia's equations. */
function readAstro(
  odes: Map<string, IRExpr>,
  scalars: Map<string, number>,
  ip3: string,
  ca: string,
  h: string,
): Record<string, number> | string {
  // glia's right-hand sides in NEST's units: concentrations in uM (uM/ms equals SI mol/m^3/s), h' per ms
  const f = (x: string, I: number, C: number, H: number): number => {
    try {
      const v = evalExpr(odes.get(x)!, (r: Ref) =>
        r.space === "state"
          ? { [ip3]: I * UM, [ca]: C * UM, [h]: H }[r.name]
          : r.space === "param"
            ? scalars.get(r.name)
            : undefined,
      );
      return x === h ? v * 1e-3 : v;
    } catch {
      return NaN;
    }
  };
  const fI = (I: number): number => f(ip3, I, 0.1, 0.5);
  const slopeI = (fI(0.3) - fI(0.1)) / 0.2;
  if (!(slopeI < 0)) return `${ip3}' is not (IP3_0 - ${ip3}) / tau_IP3`;
  const tauIP3 = -1 / slopeI;
  const ip30 = fI(0.1) * tauIP3 + 0.1;
  // h' at h = 1 is -k_IP3R Ca
  const kIP3R = -f(h, 0.2, 0.1, 1) / 0.1;
  if (!(kIP3R > 0)) return `${h}' has no inactivation by Ca (-k_IP3R Ca ${h})`;
  // alpha_h(I) / k = Kd_inh (I + K1) / (I + K2): y K2 - Kd_inh I - Kd_inh K1 = -y I at three points
  const Is = [0.05, 0.2, 0.8];
  const ys = Is.map((I) => f(h, I, 0.1, 0) / kIP3R);
  const s1 = solve(
    Is.map((I, i) => [ys[i]!, -I, -1]),
    Is.map((I, i) => -ys[i]! * I),
  );
  if (!s1) return `${h}' is not alpha_h(${ip3}) (1 - ${h}) - k_IP3R Ca ${h}`;
  const [K2, Kinh, P] = s1 as [number, number, number];
  const K1 = P / Kinh;
  // Ca' at h = 0: A - B C - rS C^2 / (K + C^2); F K - A K + B K C - (A - rS) C^2 + B C^3 = -F C^2
  const Cs = [0.02, 0.05, 0.1, 0.2, 0.4];
  const F0 = (C: number): number => f(ca, 0.2, C, 0);
  const s2 = solve(
    Cs.map((C) => [F0(C), -1, C, -C * C, C ** 3]),
    Cs.map((C) => -F0(C) * C * C),
  );
  if (!s2) return `${ca}' is not NEST's leak and pump`;
  const [Km2, AK, , AmRS, B] = s2 as [number, number, number, number, number];
  const A = AK / Km2;
  const rateSERCA = A - AmRS;
  // channel: G(I, C) = c m^3 n^3 (A - B C); (C^3 (A - B C) m^3 / G)^(1/3) = (C + Kd_act) / c^(1/3)
  const m3 = (0.2 / (0.2 + K1)) ** 3;
  const z = (C: number): number => Math.cbrt((C ** 3 * (A - B * C) * m3) / (f(ca, 0.2, C, 1) - F0(C)));
  const sigma = (z(0.1) - z(0.05)) / 0.05;
  const kdAct = z(0.05) / sigma - 0.05;
  const chanOverLeak = sigma ** -3;
  // Ca_tot: where Ca' stops changing with Ca (the upper clamp), searched above the leak's zero A / B
  const at = (C: number): number => f(ca, 0.2, C, 0.5);
  let lo = A / B;
  let hi = lo;
  for (let k = 0; k < 60 && at(hi) !== at(hi * 2); k++) hi *= 2;
  if (!(at(hi) === at(hi * 2)) || !(lo > 0)) return `${ca} is not clamped to [0, Ca_tot] (NEST clamps it)`;
  if (at(lo) === at(hi)) return `${ca}' does not depend on ${ca} below its clamp`;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (at(mid) === at(hi)) hi = mid;
    else lo = mid;
  }
  const caTot = hi;
  const rateL = A / caTot;
  const ratio = B / rateL - 1;
  const p: Record<string, number> = {
    Ca_tot: caTot,
    IP3_0: ip30,
    Kd_IP3_1: K1,
    Kd_IP3_2: K2,
    Kd_act: kdAct,
    Kd_inh: Kinh,
    Km_SERCA: Math.sqrt(Km2),
    k_IP3R: kIP3R,
    rate_IP3R: chanOverLeak * rateL,
    rate_L: rateL,
    rate_SERCA: rateSERCA,
    ratio_ER_cyt: ratio,
    tau_IP3: tauIP3,
  };
  if (Object.values(p).some((x) => !(Number.isFinite(x) && x > 0)))
    return `the equations of ${ip3}, ${ca}, ${h} are not astrocyte_lr_1994's (a parameter read off is not positive)`;
  // confirm at pseudo-random points inside the clamp, and below 0 (NEST clamps Ca there too)
  let x = 4242;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let t = 0; t < 12; t++) {
    const I = 0.01 + 2 * rnd();
    const C = t === 11 ? -0.05 : 0.001 + 0.95 * caTot * rnd();
    const H = rnd();
    const want = nestRhs(p, I, C, H);
    const got = [f(ip3, I, C, H), f(ca, I, C, H), f(h, I, C, H)];
    for (let k = 0; k < 3; k++)
      if (!(Math.abs(want[k]! - got[k]!) <= 1e-7 * (Math.abs(want[k]!) + Math.abs(got[k]!)) + 1e-15))
        return `${[ip3, ca, h][k]}' is not astrocyte_lr_1994's (${ip3}, ${ca}, ${h} as IP3, Ca, h_IP3R)`;
  }
  return p;
}

/** `on synapse_pre { IP3 += c }`: c (SI); undefined without handler; null for any other handler. */
function synapsePreJump(stmts: IRStmt[], ip3: string, scalars: Map<string, number>): number | undefined | null {
  if (stmts.length === 0) return undefined;
  const s = stmts[0]!;
  if (stmts.length !== 1 || s.k !== "assign" || s.target.space !== "state" || s.target.name !== ip3) return null;
  const v = s.value;
  if (v.k !== "bin" || v.op !== "+" || v.a.k !== "ref" || v.a.ref.space !== "state" || v.a.ref.name !== ip3)
    return null;
  try {
    return evalExpr(v.b, (r) => (r.space === "param" ? scalars.get(r.name) : undefined));
  } catch {
    return null;
  }
}

/** A continuous coupling from a matched astrocyte that is NEST's sic_connection, or why not. */
export function matchSicConnection(
  p: IRProjection,
  astro: AstroBinding,
  post: IRGroup,
  synScalars: Map<string, number>,
  perSynapse: string[],
): MatchResult<SicBinding> {
  if (p.onPre.length + p.onPost.length + p.state.length + p.odes.length > 0 || p.ensheathedBy)
    return { ok: false, why: "a coupling with handlers or state besides its continuous block" };
  if (perSynapse.length > 0) return { ok: false, why: `the per-synapse value ${perSynapse[0]}` };
  const assigns = p.continuous.filter((s) => s.k === "assign");
  const a = assigns[0];
  if (
    assigns.length !== 1 ||
    p.continuous.some((s) => s.k === "if") ||
    !a ||
    a.k !== "assign" ||
    a.target.space !== "post" ||
    !post.inputs.some((i) => i.name === a.target.name)
  )
    return { ok: false, why: "not one addition into an input of the neuron" };
  const input = a.target.name;
  // the amount added, as a function of the astrocyte's Ca (uM); other state read at fixed values must not matter
  const amount = (caUM: number, other: number): number => {
    const locals = new Map<string, number>();
    const look = (r: Ref): number | undefined =>
      r.space === "pre"
        ? r.name === astro.ca
          ? caUM * UM
          : other
        : r.space === "post"
          ? r.name === input
            ? 0
            : undefined
          : r.space === "param"
            ? synScalars.get(r.name)
            : r.space === "local"
              ? locals.get(r.name)
              : undefined;
    try {
      for (const s of p.continuous) {
        if (s.k === "let") locals.set(s.name, evalExpr(s.value, look));
        else if (s.k === "assign") return evalExpr(s.value, look) * 1e12; // pA
      }
    } catch {
      return NaN;
    }
    return NaN;
  };
  if (p.continuous.some((s) => s.k === "let" && mentions(s.value, (r) => r.space === "post")))
    return { ok: false, why: "a coupling that reads the neuron" };
  // the kink th + 1 nM: the largest Ca with nothing added
  let lo = -1;
  let hi = 1;
  for (let k = 0; k < 40 && amount(hi, 0.3) === 0; k++) hi *= 2;
  if (!(amount(lo, 0.3) === 0) || !(amount(hi, 0.3) > 0))
    return { ok: false, why: "no SIC threshold (nothing below, a current above)" };
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (amount(mid, 0.3) === 0) lo = mid;
    else hi = mid;
  }
  const th = lo - 1e-3;
  const probe = th + 0.5;
  const weight = amount(probe, 0.3) / Math.log(1000 * (probe - th));
  let x = 777;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let t = 0; t < 12; t++) {
    const C = th - 0.2 + 2 * rnd();
    const y = 1000 * (C - th);
    const want = y > 1 ? weight * Math.log(y) : 0;
    const got = amount(C, rnd());
    if (!(Math.abs(want - got) <= 1e-7 * (Math.abs(want) + Math.abs(got)) + 1e-9 * Math.abs(weight)))
      return {
        ok: false,
        why: `the coupling is not W ln((pre.${astro.ca} - SIC_th) / 1 nM) above SIC_th + 1 nM and 0 below (NEST's sic_connection)`,
      };
  }
  return { ok: true, binding: { input, weight, th } };
}

/** Whether a synapse reads its ensheathing astrocyte (astro.X): gliotransmission NEST's tripartite synapse lacks. */
export function readsAstro(p: IRProjection): boolean {
  const stmt = (s: IRStmt): boolean =>
    s.k === "if" ? mentions(s.c, isAstro) || s.then.some(stmt) || s.otherwise.some(stmt) : mentions(s.value, isAstro);
  return [...p.onPre, ...p.onPost, ...p.continuous].some(stmt);
}
const isAstro = (r: Ref): boolean => r.space === "astro";

/** The astrocyte groups, SIC couplings and ensheathed projections of a program that NEST's built-ins express. */
export interface AstroPlan {
  astro: Map<string, AstroBinding>;
  sic: Map<string, SicBinding>;
  /** ensheathed projections (their primary synapse is matched as any other) and their astrocyte groups */
  ensheathed: Map<string, string>;
}

/** The refusal for an astrocyte construct, with its place. */
export interface AstroRefusal {
  span: IRProjection["span"];
  what: string;
}

export function planAstro(
  ir: IRProgram,
  groupScalars: Map<string, Map<string, number>>,
  proj: (name: string) => { scalars: Map<string, number>; columns: string[] },
): { plan: AstroPlan; refusals: AstroRefusal[] } {
  const plan: AstroPlan = { astro: new Map(), sic: new Map(), ensheathed: new Map() };
  const refusals: AstroRefusal[] = [];
  for (const g of ir.groups.filter((x) => x.kind === "astrocyte")) {
    const m = matchAstrocyteLr1994(g, groupScalars.get(g.name)!);
    if (m.ok) plan.astro.set(g.name, m.binding);
    else
      refusals.push({
        span: g.modelSpan ?? g.span,
        what: `${g.model} of ${g.name}: its equations are not NEST's astrocyte_lr_1994 (${m.why})`,
      });
  }
  for (const p of ir.projections) {
    const a = plan.astro.get(p.pre.population);
    const post = ir.groups.find((x) => x.name === p.post.population);
    if (a && post && p.continuous.length > 0) {
      const info = proj(p.name);
      const m = matchSicConnection(p, a, post, info.scalars, info.columns);
      if (m.ok) plan.sic.set(p.name, m.binding);
      else
        refusals.push({
          span: p.handlerSpans?.continuous ?? p.modelSpan ?? p.span,
          what: `the coupling ${p.synapse} of ${p.name}: not NEST's sic_connection (${m.why})`,
        });
    }
    if (p.ensheathedBy) {
      const by = plan.astro.get(p.ensheathedBy.astrocytes);
      if (!by) continue; // the astrocyte group's refusal says why
      if (by.deltaIP3 === undefined || readsAstro(p))
        refusals.push({
          span: p.ensheathSpan ?? p.span,
          what: `the tripartite synapses of ${p.name}: ${readsAstro(p) ? "the synapse reads its astrocyte (astro.X), which NEST's tripartite synapses do not carry" : `${p.ensheathedBy.astrocytes} has no \`on synapse_pre { IP3 += c }\``}`,
        });
      else plan.ensheathed.set(p.name, p.ensheathedBy.astrocytes);
    }
  }
  // one SIC_th per astrocyte group (NEST's is the astrocyte's parameter)
  for (const [name, s] of plan.sic) {
    const p = ir.projections.find((x) => x.name === name)!;
    const other = [...plan.sic].find(
      ([n, t]) =>
        n !== name && ir.projections.find((x) => x.name === n)!.pre.population === p.pre.population && t.th !== s.th,
    );
    if (other)
      refusals.push({
        span: p.handlerSpans?.continuous ?? p.span,
        what: `the couplings ${name} and ${other[0]} from ${p.pre.population}: two SIC thresholds (NEST's SIC_th belongs to the astrocyte)`,
      });
  }
  return { plan, refusals };
}
