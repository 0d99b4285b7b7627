// Whether a glia synapse is NEST's `tsodyks2_synapse` (Tsodyks-Markram short-term plasticity as in Fuhrmann et al.
// 2002), decided from what its equations and its `on pre` do (never from its name). In: a continuous-IR projection
// and its scalar parameter values; out: the binding (U, tau_rec, tau_fac, the delivered weight A and the
// postsynaptic variable it adds to) or why it is not one.
//
// tsodyks2_synapse keeps u (utilization) and x (resources). Between spikes u decays to 0 with tau_fac and x recovers
// to 1 with tau_rec; at a presynaptic spike u += U (1 - u), the weight sent is A u x, then x -= u x. NEST keeps u as
// the utilization the next spike sends with (its u = U is glia's u = 0 before the first spike: with u = 0 NEST's
// first spike sends nothing, measured on NEST 3.10; with u = U the PSC amplitudes are glia's). A glia synapse
// is one when: two state variables, one with u' = -u / tau_f, the other with x' = (1 - x) / tau_d (read off at unit
// points, confirmed at pseudo-random points), no `on post`, no continuous block, not ensheathed, u starting at 0 and
// x at 1 (NEST's first interval then does not matter), and `on pre`, run by a small interpreter at pseudo-random
// (u, x), gives exactly u+ = u + U (1 - u), x+ = x - u+ x and adds A u+ x to one postsynaptic variable (U read at
// u = 0, A at u = 0, x = 1). NEST's tsodyks_synapse is another model: its resources pass through an active state y
// (decaying with tau_psc) before they recover, where glia's recover at once.

import type { IRExpr, IRProjection, IRStmt } from "../../../compiler/ir/nodes.js";
import { evalExpr } from "../../network/eval.js";
import type { MatchResult } from "./match.js";

export interface TsodyksBinding {
  model: "tsodyks2_synapse";
  /** The postsynaptic variable `on pre` adds to. */
  target: string;
  /** A: the amount added at u = x = 1 (glia's units of the target). */
  weight: number;
  U: number;
  tauRec: number;
  tauFac: number;
}

/** Runs `on pre` on one synapse state; returns the state after it and what it added to each post variable. */
function runPre(
  stmts: IRStmt[],
  state: Map<string, number>,
  params: Map<string, number>,
): { state: Map<string, number>; post: Map<string, number> } | undefined {
  const s = new Map(state);
  const post = new Map<string, number>();
  const locals = new Map<string, number>();
  const look = (r: { space: string; name: string }): number | undefined =>
    r.space === "state"
      ? s.get(r.name)
      : r.space === "param"
        ? params.get(r.name)
        : r.space === "local"
          ? locals.get(r.name)
          : r.space === "post"
            ? (post.get(r.name) ?? 0)
            : undefined;
  const ev = (e: IRExpr): number => evalExpr(e, look);
  const exec = (list: IRStmt[]): void => {
    for (const st of list) {
      if (st.k === "let") locals.set(st.name, ev(st.value));
      else if (st.k === "if") exec(ev(st.c) !== 0 ? st.then : st.otherwise);
      else if (st.target.space === "state") s.set(st.target.name, ev(st.value));
      else if (st.target.space === "local") locals.set(st.target.name, ev(st.value));
      else if (st.target.space === "post") post.set(st.target.name, ev(st.value));
      else throw new Error(`writes ${st.target.space}.${st.target.name}`);
    }
  };
  try {
    exec(stmts);
  } catch {
    return undefined;
  }
  return { state: s, post };
}

export function matchTsodyks(p: IRProjection, scalars: Map<string, number>): MatchResult<TsodyksBinding> {
  if (p.ensheathedBy) return { ok: false, why: "ensheathed by astrocytes" };
  if (p.onPost.length > 0)
    return { ok: false, why: "`on post` (short-term plasticity depends on presynaptic spikes only)" };
  if (p.continuous.length > 0) return { ok: false, why: "a continuous coupling" };
  for (const v of p.params) if (!scalars.has(v.name)) return { ok: false, why: `the per-synapse parameter ${v.name}` };
  const names = p.state.map((v) => v.name);
  if (names.length !== 2) return { ok: false, why: `${names.length} synapse state variables, not two (u, x)` };
  const odes = new Map(p.odes.map((o) => [o.name, o.rhs]));
  if (names.some((n) => !odes.has(n))) return { ok: false, why: "a synapse state variable without an equation" };
  const f = (name: string, at: Record<string, number>): number => {
    try {
      return evalExpr(odes.get(name)!, (r) =>
        r.space === "state" ? (at[r.name] ?? 0) : r.space === "param" ? scalars.get(r.name) : undefined,
      );
    } catch {
      return NaN;
    }
  };
  // u' = -u / tau_f: zero at u = 0; x' = (1 - x) / tau_d: zero at x = 1
  let u: string | undefined;
  let x: string | undefined;
  let tauFac = NaN;
  let tauRec = NaN;
  for (const n of names) {
    const other = names.find((m) => m !== n)!;
    const at0 = f(n, { [n]: 0, [other]: 0.5 });
    const at1 = f(n, { [n]: 1, [other]: 0.5 });
    if (at0 === 0 && at1 < 0) {
      u = n;
      tauFac = -1 / at1;
    } else if (at1 === 0 && at0 > 0) {
      x = n;
      tauRec = 1 / at0;
    }
  }
  if (!u || !x)
    return {
      ok: false,
      why: "the synapse equations are not u' = -u / tau_fac and x' = (1 - x) / tau_rec (u decaying to 0, x recovering to 1)",
    };
  let seed = 4242;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * (Math.abs(a) + Math.abs(b) + 1e-300);
  for (let t = 0; t < 8; t++) {
    const pu = rnd();
    const px = rnd();
    const at = { [u]: pu, [x]: px };
    if (!close(f(u, at), -pu / tauFac) || !close(f(x, at), (1 - px) / tauRec))
      return {
        ok: false,
        why: `the synapse equations are not ${u}' = -${u} / tau_fac and ${x}' = (1 - ${x}) / tau_rec`,
      };
  }
  for (const v of p.state) {
    const init = v.init.k === "expr" ? tryEval(v.init.e, scalars) : undefined;
    if (init !== (v.name === u ? 0 : 1))
      return { ok: false, why: `${v.name} starting at a value other than ${v.name === u ? 0 : 1}` };
  }
  // on pre, read off at u = 0, x = 1, then confirmed at pseudo-random states
  const first = runPre(
    p.onPre,
    new Map([
      [u, 0],
      [x, 1],
    ]),
    scalars,
  );
  if (!first || first.post.size !== 1)
    return { ok: false, why: "`on pre` does not add to exactly one postsynaptic variable" };
  const [target, sent] = [...first.post][0]!;
  const U = first.state.get(u)!;
  const A = sent / U;
  if (!(U > 0 && U <= 1) || !Number.isFinite(A))
    return { ok: false, why: `\`on pre\` is not ${u} += U (1 - ${u}) with 0 < U <= 1` };
  for (let t = 0; t < 8; t++) {
    const pu = rnd();
    const px = rnd();
    const r = runPre(
      p.onPre,
      new Map([
        [u, pu],
        [x, px],
      ]),
      scalars,
    );
    const u1 = pu + U * (1 - pu);
    if (!r || !close(r.state.get(u)!, u1))
      return { ok: false, why: `\`on pre\` is not ${u} += U (1 - ${u}) (facilitation before release)` };
    if (!close(r.post.get(target) ?? NaN, A * u1 * px))
      return { ok: false, why: `\`on pre\` does not deliver A ${u} ${x} with the facilitated ${u}` };
    if (!close(r.state.get(x)!, px - u1 * px))
      return { ok: false, why: `\`on pre\` is not ${x} -= ${u} ${x} after the release` };
  }
  return { ok: true, binding: { model: "tsodyks2_synapse", target, weight: A, U, tauRec, tauFac } };
}

function tryEval(e: IRExpr, scalars: Map<string, number>): number | undefined {
  try {
    return evalExpr(e, (r) => (r.space === "param" ? scalars.get(r.name) : undefined));
  } catch {
    return undefined;
  }
}
