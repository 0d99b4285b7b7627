// The `loihi` neuron mode of the fixed target: recognizes a current-based LIF group in the discrete IR and
// maps it to Lava's bit-accurate LIF (lava-lif.ts). In: an IRGroup (discrete); out: Loihi parameters (du, dv,
// bias mantissa/exponent, vth) with the scales between volts and Loihi's integer u/v, or why it does not fit.
//
// A group fits when: two state variables, no inputs, uniform parameters, no refractory period (Lava's LIF
// has none), threshold `v > Vt`, reset `v = Vr`, and its update is the affine map
//     v' = a_v v + c I + b_v,   I' = a_u I   (0 < a_u, a_v < 1)
// (probed by evaluating the update at three points and checked at a fourth). In coordinates x = v - Vr the
// map is x' = a_v x + c I + (b_v + (a_v - 1) Vr), so Loihi's v is x * S, its u is c I * S, its bias is
// (b_v + (a_v - 1) Vr) S and vth << 6 = (Vt - Vr) S with S = 2^22 / (Vt - Vr) (vth = 65536). du, dv come from
// a_u, a_v (loihiDecays). A synaptic `post.I += w` becomes a_in = round(w c S / 2^6) (int16). Loihi adds
// the new u to v in the same step, the float model the old I: the mode is Loihi's dynamics, not the model's.

import type { IRExpr, IRGroup, IRStmt, Ref } from "../../compiler/ir/nodes.js";
import { evalExpr } from "../network/eval.js";
import { initGroup } from "../network/init.js";
import { ACT_SHIFT, checkLoihiParams, loihiDecays, type LoihiLifParams } from "./lava-lif.js";

export const LOIHI_VTH = 65536;

export interface LoihiMatch {
  v: string;
  u: string;
  params: LoihiLifParams;
  /** Loihi v units per volt of (v - Vr). */
  scale: number;
  vr: number;
  /** The coefficient c of I in v' (a_in = round(w c scale / 2^6)). */
  c: number;
}

function runUpdate(
  stmts: readonly IRStmt[],
  lookup: (r: Ref) => number | undefined,
  out: Map<string, number>,
  locals: Map<string, number>,
): void {
  const look = (r: Ref): number | undefined =>
    r.space === "local" ? locals.get(r.name) : r.space === "flag" ? 0 : lookup(r);
  for (const s of stmts) {
    if (s.k === "let") locals.set(s.name, evalExpr(s.value, look));
    else if (s.k === "assign") {
      const x = evalExpr(s.value, look);
      if (s.target.space === "local") locals.set(s.target.name, x);
      else out.set(s.target.name, x);
    } else runUpdate(evalExpr(s.c, look) ? s.then : s.otherwise, lookup, out, locals);
  }
}

const isNum = (e: IRExpr): e is { k: "num"; v: number } => e.k === "num";

export function matchLoihiLif(g: IRGroup, netDt: number, seed: number): { match?: LoihiMatch; reason?: string } {
  if (g.kind !== "neuron" || g.state.length !== 2)
    return { reason: "needs exactly two state variables (v and a current)" };
  if (g.inputs.length) return { reason: "has input variables" };
  if (g.refractory) return { reason: "has a refractory period (Lava's LIF has none)" };
  const th = g.threshold;
  if (!th || th.k !== "bin" || th.op !== ">" || th.a.k !== "ref" || th.a.ref.space !== "state" || !isNum(th.b))
    return { reason: "threshold is not `v > constant`" };
  const v = th.a.ref.name,
    vt = th.b.v;
  const u = g.state.find((s) => s.name !== v)!.name;
  const rs = g.reset;
  if (
    rs.length !== 1 ||
    rs[0]!.k !== "assign" ||
    rs[0]!.target.space !== "state" ||
    rs[0]!.target.name !== v ||
    !isNum(rs[0]!.value)
  )
    return { reason: "reset is not `v = constant`" };
  const vr = rs[0]!.value.v;
  if (!(vt > vr)) return { reason: "threshold is not above the reset" };
  const init = initGroup(g, seed, netDt);
  const params = new Map<string, number>();
  for (const [k, x] of init.params) {
    if (typeof x !== "number") return { reason: `parameter ${k} differs per neuron` };
    params.set(k, x);
  }
  const step = (x: number, i: number): [number, number] => {
    const out = new Map<string, number>();
    runUpdate(
      g.update,
      (r) =>
        r.space === "state"
          ? r.name === v
            ? x
            : r.name === u
              ? i
              : undefined
          : r.space === "param"
            ? params.get(r.name)
            : r.space === "dt"
              ? netDt
              : undefined,
      out,
      new Map(),
    );
    return [out.get(v) ?? x, out.get(u) ?? i];
  };
  let p0: [number, number], pv: [number, number], pu: [number, number], pt: [number, number];
  try {
    p0 = step(0, 0);
    pv = step(1e-3, 0);
    pu = step(0, 1e-3);
    pt = step(-0.07, 0.02);
  } catch {
    return { reason: "the update cannot be evaluated on constants" };
  }
  const av = (pv[0] - p0[0]) / 1e-3,
    c = (pu[0] - p0[0]) / 1e-3,
    au = (pu[1] - p0[1]) / 1e-3,
    uv = (pv[1] - p0[1]) / 1e-3;
  const bv = p0[0];
  const close = (a: number, b: number): boolean =>
    Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) + 1e-12;
  if (!close(pt[0], av * -0.07 + c * 0.02 + bv) || !close(pt[1], au * 0.02 + p0[1]))
    return { reason: "the update is not affine" };
  if (Math.abs(uv) > 1e-12 || Math.abs(p0[1]) > 1e-15) return { reason: "the current does not decay on its own" };
  if (!(av > 0 && av < 1 && au > 0 && au < 1)) return { reason: "decay factors are not in (0, 1)" };
  const scale = 2 ** 22 / (vt - vr);
  const bias = (bv + (av - 1) * vr) * scale;
  let biasExp = 0;
  while (Math.abs(Math.round(bias / 2 ** biasExp)) > 4095 && biasExp < 7) biasExp++;
  const lp: LoihiLifParams = {
    ...loihiDecays(au, av),
    biasMant: Math.round(bias / 2 ** biasExp) + 0 /* no -0 */,
    biasExp,
    vth: LOIHI_VTH,
  };
  const bad = checkLoihiParams(lp);
  if (bad.length) return { reason: `Loihi parameters out of range: ${bad.join("; ")}` };
  return { match: { v, u, params: lp, scale, vr, c } };
}

/** A synaptic weight added to the current, as Loihi's int16 a_in. */
export function loihiInput(m: LoihiMatch, w: number): number {
  return Math.round((w * m.c * m.scale) / 2 ** ACT_SHIFT);
}
