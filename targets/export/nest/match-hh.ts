// Whether a glia group is NEST's built-in `hh_psc_alpha` (Hodgkin-Huxley with alpha-shaped current synapses), decided
// from its equations (never from its name). In: a continuous-IR group, its scalar parameters, the projections into
// it, their weights' signs; out: the binding (g_Na, g_K, g_L, E_Na, E_K, E_L, t_ref, each synaptic pair's port, time
// constant and scale) or why it is not one.
//
// hh_psc_alpha (mV, ms, pA, pF, nS): C_m V' = -(g_Na m^3 h (V - E_Na) + g_K n^4 (V - E_K) + g_L (V - E_L)) + I_e
// + I_ex + I_in; each gate x' = alpha_x(V) (1 - x) - beta_x(V) x with NEST's fixed rate functions (alpha_m = 0.1 (V +
// 40) / (1 - exp(-(V + 40)/10)), beta_m = 4 exp(-(V + 65)/18), alpha_h = 0.07 exp(-(V + 65)/20), beta_h = 1 / (1 +
// exp(-(V + 35)/10)), alpha_n = 0.01 (V + 55) / (1 - exp(-(V + 55)/10)), beta_n = 0.125 exp(-(V + 65)/80)); each
// synapse dI' = -dI/tau, I' = dI - I/tau, a spike of weight w adding w e/tau to dI. It spikes when V >= 0 mV and V fell
// in the step (at the action potential's peak), not while refractory (t_ref; nothing is clamped, no reset).
//
// A glia group is one when, with every parameter bound: each gate's right-hand side, read at x = 0 and x = 1, gives
// NEST's alpha and beta at sample voltages (SI: per second, volts) and is confirmed at pseudo-random points; V' with
// the gates at 0 or 1 gives g_L/C, g_Na/C, E_Na, g_K/C, E_K (C is free: 100 pF) and the leak's reversal (I_e = 0:
// glia's constant current and E_L only enter as g_L E_L + I, which NEST's E_L carries); each synaptic pair is read at
// unit points; the whole V' is confirmed at pseudo-random points. The spike rule must be NEST's peak detection as glia
// can state it: `spike when V >= 0 mV and D < 0`, D an expression equal to a positive multiple of V' (V falling at
// the end of the step, where NEST compares V with the step's start: spikes within one step), with an empty reset and
// refractoriness clamping nothing.

import type { IRExpr, IRGroup, IRProjection, Ref } from "../../../compiler/ir/nodes.js";
import { evalExpr } from "../../network/eval.js";
import { staticWeight, type MatchResult } from "./match.js";

export const HH_C_M = 100e-12; // F: hh_psc_alpha's default capacitance (a free choice: conductances scale with it)

export interface HhSyn {
  /** glia's current variable (NEST's I_syn_x) and its derivative variable (NEST's dI_syn_x) */
  i: string;
  di: string;
  tau: number;
  /** NEST current (A) per unit of glia's current variable */
  scale: number;
  /** glia's di' contribution to i': i' = c di - i / tau */
  c: number;
  port: "ex" | "in";
}

export interface HhBinding {
  model: "hh_psc_alpha";
  v: string;
  m: string;
  h: string;
  n: string;
  gNa: number;
  gK: number;
  gL: number;
  eNa: number;
  eK: number;
  eL: number;
  tRefSteps: number;
  /** glia's threshold is V > 0 (NEST: V >= 0): the same except on an exact tie */
  strict: boolean;
  syn: HhSyn[];
}

// NEST's rate functions (V in mV, per ms)
const RATES = {
  m: [
    (V: number): number => (0.1 * (V + 40)) / (1 - Math.exp(-(V + 40) / 10)),
    (V: number): number => 4 * Math.exp(-(V + 65) / 18),
  ],
  h: [
    (V: number): number => 0.07 * Math.exp(-(V + 65) / 20),
    (V: number): number => 1 / (1 + Math.exp(-(V + 35) / 10)),
  ],
  n: [
    (V: number): number => (0.01 * (V + 55)) / (1 - Math.exp(-(V + 55) / 10)),
    (V: number): number => 0.125 * Math.exp(-(V + 65) / 80),
  ],
} as const;

const PEAK =
  "the peak detection (V's maximum above 0 mV: `spike when V >= 0 mV and D < 0`, D a positive multiple of V')";

const close = (a: number, b: number, tol = 1e-9): boolean =>
  Math.abs(a - b) <= tol * (Math.abs(a) + Math.abs(b) + 1e-300);

export function matchHhPscAlpha(
  g: IRGroup,
  scalars: Map<string, number>,
  incoming: IRProjection[],
  weightSign: (p: IRProjection) => number,
): MatchResult<HhBinding> {
  if (g.kind !== "neuron") return { ok: false, why: "an astrocyte group" };
  if (g.stepEvery !== 1) return { ok: false, why: "a group on its own clock" };
  if (g.inputs.length > 0) return { ok: false, why: `the input ${g.inputs[0]!.name}` };
  for (const p of g.params) if (!scalars.has(p.name)) return { ok: false, why: `the per-element parameter ${p.name}` };
  const names = g.state.map((s) => s.name);
  const odes = new Map(g.odes.map((o) => [o.name, o.rhs]));
  if (names.some((n) => !odes.has(n))) return { ok: false, why: "a state variable without an equation" };
  const aliases = new Map(g.aliases.map((a) => [a.name, a.expr]));
  const evalAt = (e: IRExpr, p: Record<string, number>): number => {
    const look = (r: Ref): number | undefined =>
      r.space === "state"
        ? (p[r.name] ?? 0)
        : r.space === "param"
          ? scalars.get(r.name)
          : r.space === "alias" && aliases.has(r.name)
            ? evalExpr(aliases.get(r.name)!, look)
            : undefined;
    try {
      return evalExpr(e, look);
    } catch {
      return NaN;
    }
  };
  const f = (name: string, p: Record<string, number>): number => evalAt(odes.get(name)!, p);
  const rule = peakRule(g.threshold, evalAt);
  if ("why" in rule) return rule;
  const { v, down, strict } = rule;
  if (g.reset.length > 0) return { ok: false, why: "a reset (hh_psc_alpha's action potential is its own: no reset)" };
  if (g.refractory && g.refractory.clamp.length > 0)
    return { ok: false, why: `refractoriness clamping ${g.refractory.clamp.join(", ")} (hh_psc_alpha clamps nothing)` };
  const others = names.filter((x) => x !== v);
  const gates = findGates(v, others, f);
  for (const gate of ["m", "h", "n"] as const)
    if (!gates.has(gate))
      return {
        ok: false,
        why: `no gate with NEST's ${gate} rates (${gate}' = alpha_${gate}(V) (1 - ${gate}) - beta_${gate}(V) ${gate}, hh_psc_alpha's rate functions in mV and ms)`,
      };
  const m = gates.get("m")!;
  const h = gates.get("h")!;
  const n = gates.get("n")!;
  // synaptic pairs: di' = -di / tau, i' = c di - i / tau
  const rest = others.filter((x) => x !== m && x !== h && x !== n);
  const syn: HhSyn[] = [];
  const lone = rest.filter((x) => f(x, { [x]: 1 }) < 0 && rest.every((y) => y === x || f(x, { [y]: 1, [x]: 0 }) === 0));
  for (const di of lone) {
    const tau = -1 / f(di, { [di]: 1 });
    const i = rest.find((y) => y !== di && f(y, { [di]: 1 }) > 0);
    if (!i) continue;
    const c = f(i, { [di]: 1 });
    if (!close(f(i, { [i]: 1 }), -1 / tau)) return { ok: false, why: `${i}' is not ${di} - ${i} / tau_${di}` };
    syn.push({ i, di, tau, scale: NaN, c, port: "ex" });
  }
  if (syn.length * 2 !== rest.length)
    return { ok: false, why: "state variables other than V, the three gates and alpha-shaped synaptic currents" };
  if (syn.length > 2)
    return { ok: false, why: "more than two synaptic currents (hh_psc_alpha has I_syn_ex and I_syn_in)" };
  // V' read off with the gates at 0 or 1
  const vAt = (V: number, p: Record<string, number>): number => f(v, { [m]: 0, [h]: 0, [n]: 0, ...p, [v]: V });
  const line = (p: Record<string, number>): [number, number] => {
    const a = (vAt(0.01, p) - vAt(-0.07, p)) / 0.08;
    return [a, vAt(0, p)];
  };
  const [aL, c0] = line({});
  const [aNa0, cNa0] = line({ [m]: 1, [h]: 1 });
  const [aK0, cK0] = line({ [n]: 1 });
  const gL = -aL * HH_C_M;
  const gNa = -(aNa0 - aL) * HH_C_M;
  const gK = -(aK0 - aL) * HH_C_M;
  const eNa = (cNa0 - c0) / (aL - aNa0);
  const eK = (cK0 - c0) / (aL - aK0);
  const eL = -c0 / aL;
  if (!(gL > 0 && gNa > 0 && gK > 0))
    return { ok: false, why: `${v}' is not a leak, a sodium (m^3 h) and a potassium (n^4) current` };
  for (const s of syn) {
    s.scale = (vAt(-0.065, { [s.i]: 1 }) - vAt(-0.065, {})) * HH_C_M;
    if (!(s.scale > 0)) return { ok: false, why: `${s.i} does not drive ${v} as a current` };
    for (const x of [s.i, s.di]) {
      const init = g.state.find((y) => y.name === x)!.init;
      if (init.k !== "expr" || evalAt(init.e, {}) !== 0)
        return { ok: false, why: `${x} starting at a value other than 0` };
    }
  }
  let seed = 777;
  let ratio0 = NaN;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let t = 0; t < 12; t++) {
    const p: Record<string, number> = { [v]: -0.09 + 0.13 * rnd(), [m]: rnd(), [h]: rnd(), [n]: rnd() };
    for (const s of syn) {
      p[s.i] = rnd() - 0.5;
      p[s.di] = rnd() - 0.5;
    }
    const V = p[v]!;
    let want =
      (-(gNa * p[m]! ** 3 * p[h]! * (V - eNa) + gK * p[n]! ** 4 * (V - eK) + gL * (V - eL)) +
        syn.reduce((acc, s) => acc + s.scale * p[s.i]!, 0)) /
      HH_C_M;
    if (!close(f(v, p), want, 1e-8))
      return { ok: false, why: `${v}' is not (-(g_Na m^3 h (V - E_Na) + g_K n^4 (V - E_K) + g_L (V - E_L)) + I) / C` };
    for (const [gate, x] of gates) {
      const [alpha, beta] = RATES[gate];
      want = 1e3 * (alpha(V * 1e3) * (1 - p[x]!) - beta(V * 1e3) * p[x]!);
      if (!close(f(x, p), want, 1e-8)) return { ok: false, why: `${x}' is not hh_psc_alpha's ${gate} gate` };
    }
    for (const s of syn) {
      if (!close(f(s.di, p), -p[s.di]! / s.tau) || !close(f(s.i, p), s.c * p[s.di]! - p[s.i]! / s.tau))
        return { ok: false, why: `${s.i}, ${s.di} are not an alpha-shaped current` };
    }
    // D: a positive multiple of V'
    const d = evalAt(down, p);
    const ratio = d / f(v, p);
    if (t === 0) ratio0 = ratio;
    if (!(ratio > 0) || !close(ratio, ratio0, 1e-9))
      return { ok: false, why: `a threshold other than ${PEAK}: D is not a positive multiple of ${v}'` };
  }
  const portsWhy = setPorts(syn, incoming, weightSign);
  if (portsWhy) return { ok: false, why: portsWhy };
  return {
    ok: true,
    binding: {
      model: "hh_psc_alpha",
      v,
      m,
      h,
      n,
      gNa,
      gK,
      gL,
      eNa,
      eK,
      eL,
      tRefSteps: g.refractory?.steps ?? 0,
      strict,
      syn,
    },
  };
}

/** The spike rule `V >= 0 and D < 0` (V >= 0 or V > 0; D compared with 0): V, D and whether V's test is strict. */
function peakRule(
  th: IRExpr | null,
  evalAt: (e: IRExpr, p: Record<string, number>) => number,
): { v: string; down: IRExpr; strict: boolean } | { ok: false; why: string } {
  if (!th || th.k !== "bin" || th.op !== "and") return { ok: false, why: `a threshold other than ${PEAK}` };
  const [up, down] = [th.a, th.b];
  if (
    up.k !== "bin" ||
    (up.op !== ">=" && up.op !== ">") ||
    up.a.k !== "ref" ||
    up.a.ref.space !== "state" ||
    evalAt(up.b, {}) !== 0 ||
    down.k !== "bin" ||
    down.op !== "<" ||
    evalAt(down.b, {}) !== 0
  )
    return { ok: false, why: `a threshold other than ${PEAK}` };
  return { v: up.a.ref.name, down: down.a, strict: up.op === ">" };
}

/** Which state variables are NEST's m, h, n gates: x' read at x = 0 and 1 gives alpha and beta at sample voltages. */
function findGates(
  v: string,
  others: string[],
  f: (name: string, p: Record<string, number>) => number,
): Map<"m" | "h" | "n", string> {
  // SI: per second (1e3 per ms), V in volts
  const gates = new Map<"m" | "h" | "n", string>();
  const probeV = [-0.09, -0.07, -0.065, -0.05, -0.03, -0.01, 0.02];
  for (const x of others) {
    for (const gate of ["m", "h", "n"] as const) {
      if (gates.has(gate)) continue;
      const [alpha, beta] = RATES[gate];
      const fits = probeV.every((V) => {
        const a = f(x, { [v]: V, [x]: 0 });
        const b = -f(x, { [v]: V, [x]: 1 });
        return close(a, 1e3 * alpha(V * 1e3)) && close(b, 1e3 * beta(V * 1e3));
      });
      if (fits) {
        gates.set(gate, x);
        break;
      }
    }
  }
  return gates;
}

/** Incoming static synapses onto a derivative variable; the sign of the weights picks each current's port. Returns
 *  why not, or undefined. */
function setPorts(syn: HhSyn[], incoming: IRProjection[], weightSign: (p: IRProjection) => number): string | undefined {
  const signs = new Map<string, Set<number>>(syn.map((s) => [s.di, new Set()]));
  for (const p of incoming) {
    const sw = staticWeight(p);
    const set = sw ? signs.get(sw.target) : undefined;
    if (!sw || !set)
      return `the synapse ${p.synapse} of ${p.name} (only \`post.dI += w\` onto an alpha current's derivative)`;
    set.add(weightSign(p));
  }
  if (syn.length === 2) {
    const [s1, s2] = syn as [HhSyn, HhSyn];
    const neg1 = signs.get(s1.di)!.has(-1);
    const neg2 = signs.get(s2.di)!.has(-1);
    if ((signs.get(s1.di)!.size > 1 || signs.get(s2.di)!.size > 1 || (neg1 && neg2)) && s1.tau !== s2.tau)
      return "a synaptic current receiving weights of both signs (NEST routes them to two currents)";
    (neg1 && !neg2 ? s1 : s2).port = "in";
  } else if (syn.length === 1 && signs.get(syn[0]!.di)!.has(-1)) {
    if (signs.get(syn[0]!.di)!.size > 1)
      return `${syn[0]!.di} receiving weights of both signs (NEST routes them to two currents)`;
    syn[0]!.port = "in";
  }
  return undefined;
}
