// The `loihi` neuron mode inside the fixed executor. In: a FixedProgram whose spec asks for neuronMode
// "loihi"; out: which groups run as Lava's bit-accurate LIF (with why the others do not), and for each such
// group the int32 u/v/a_in arrays with update, threshold and reset phases and an a_in synapse handler.
//
// A group runs in loihi mode when matchLoihiLif accepts it and every projection touching it fits: into it,
// `on pre` is exactly `post.I = post.I + W` (I = the current the matcher calls u, W free of pre/post
// refs), nothing else writes or reads its variables. Each synapse's W becomes a_in = round(W c S / 2^6)
// (loihiInput); spikes accumulate into an int32 buffer (Lava's Dense a_buff is int32) that the next update
// consumes as int32 (lava-lif.ts: Lava's ports deliver int32, no 16-bit saturation or wrap), then clears. Phases: update = Lava's u/v
// step (lava-lif.ts arithmetic), threshold = v > vth << 6, reset = v = 0; monitors read v as v/S + Vr and
// I as u / (c S) in SI units.

import type { IRExpr, IRGroup, IRProjection, IRStmt, Ref } from "../../compiler/ir/nodes.js";
import { forEachRef, mentions } from "../../compiler/ir/expr.js";
import { evalExpr } from "../network/eval.js";
import { buildProjection, type PopulationFacts } from "../network/projection.js";
import type { Values } from "../network/init.js";
import { wrapSigned } from "./arith.js";
import type { FixedProgram } from "./ir.js";
import {
  ACT_SHIFT,
  clipV,
  DECAY_SHIFT,
  DECAY_UNITY,
  DM_OFFSET,
  DS_OFFSET,
  effectiveBias,
  effectiveVth,
  lavaWrapU,
  MAX_UV,
} from "./lava-lif.js";
import { loihiInput, matchLoihiLif, type LoihiMatch } from "./loihi-mode.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

export interface LoihiPlan {
  /** Groups that run in loihi mode, by name. */
  groups: Map<string, LoihiMatch>;
  /** Groups that keep the generic fixed-point path and why. */
  refused: { group: string; reason: string }[];
}

const refsIn = (e: IRExpr, out: Ref[]): Ref[] => {
  forEachRef(e, (r) => out.push(r));
  return out;
};

function stmtRefs(stmts: readonly IRStmt[], out: Ref[] = []): Ref[] {
  for (const s of stmts) {
    if (s.k === "if") {
      refsIn(s.c, out);
      stmtRefs(s.then, out);
      stmtRefs(s.otherwise, out);
      continue;
    }
    if (s.k === "assign") out.push(s.target);
    refsIn(s.value, out);
  }
  return out;
}

/** The weight expression W of `post.u = post.u + W` or `post.u - (-W)` (null when on pre is anything else). */
export function accumulateWeight(p: IRProjection, u: string): IRExpr | null {
  if (p.onPre.length !== 1 || p.continuous.length || p.onPost.length || p.eventDriven.length) return null;
  const s = p.onPre[0]!;
  if (s.k !== "assign" || s.target.space !== "post" || s.target.name !== u) return null;
  const v = s.value;
  if (v.k !== "bin" || (v.op !== "+" && v.op !== "-")) return null;
  const isU = (e: IRExpr): boolean => e.k === "ref" && e.ref.space === "post" && e.ref.name === u;
  // constant folding turns `post.I += -4 mV` into `post.I = post.I - 0.004`
  const w: IRExpr | null =
    v.op === "-" ? (isU(v.a) ? { k: "neg", a: v.b } : null) : isU(v.a) ? v.b : isU(v.b) ? v.a : null;
  if (!w || mentions(w, (r) => r.space !== "param" && r.space !== "state")) return null;
  return w;
}

/** What planLoihi reads of a program: the neuron mode, the groups (their float IR after quantize's
 *  decay-consistent rewrite) and the network (projections, currents, dt). The executor passes its
 *  FixedProgram; the emulator the same parts of a descriptor (targets/emulator/engine.ts). */
export interface LoihiPlanInput {
  spec: Pick<FixedProgram["spec"], "neuronMode">;
  groups: readonly { name: string; ir: IRGroup }[];
  ir: Pick<FixedProgram["ir"], "projections" | "currents" | "dt">;
}

/** Which groups of `fp` run in loihi mode (none unless fp.spec.neuronMode is "loihi"). */
export function planLoihi(fp: LoihiPlanInput, seed: number): LoihiPlan {
  const plan: LoihiPlan = { groups: new Map(), refused: [] };
  if (fp.spec.neuronMode !== "loihi") return plan;
  for (const g of fp.groups) {
    const m = matchLoihiLif(g.ir, fp.ir.dt, seed);
    if (!m.match) {
      plan.refused.push({ group: g.name, reason: m.reason ?? "does not fit" });
      continue;
    }
    let why: string | null = null;
    for (const p of fp.ir.projections) {
      const into = p.post.population === g.name,
        from = p.pre.population === g.name;
      if (!into && !from) continue;
      const all = stmtRefs([...p.onPre, ...p.onPost, ...p.continuous]);
      if (from && !into && all.some((r) => r.space === "pre")) {
        why = `projection ${p.name} reads its variables`;
        break;
      }
      if (into && !accumulateWeight(p, m.match.u)) {
        why = `projection ${p.name} does more than \`post.${m.match.u} += w\``;
        break;
      }
      if (into && from && all.some((r) => r.space === "pre")) {
        why = `projection ${p.name} reads its variables`;
        break;
      }
    }
    if (!why && fp.ir.currents.some((c) => c.target.population === g.name)) why = "a current is injected into it";
    if (why) plan.refused.push({ group: g.name, reason: why });
    else plan.groups.set(g.name, m.match);
  }
  return plan;
}

/** One group stepped as Lava's PyLifModelBitAcc. */
export class LoihiGroupRt {
  readonly u: Int32Array;
  readonly v: Int32Array;
  /** Accumulated synaptic input of the coming update (int32). */
  readonly aIn: Int32Array;
  private readonly uFactor: number;
  private readonly vFactor: number;
  private readonly bias: number;
  readonly vthEff: number;

  constructor(
    readonly size: number,
    readonly match: LoihiMatch,
    init: Values,
  ) {
    this.u = new Int32Array(size);
    this.v = new Int32Array(size);
    this.aIn = new Int32Array(size);
    const p = match.params;
    this.uFactor = DECAY_UNITY - (p.du + DS_OFFSET);
    this.vFactor = DECAY_UNITY - (p.dv + DM_OFFSET);
    this.bias = effectiveBias(p);
    this.vthEff = effectiveVth(p);
    const v0 = init.state.get(match.v),
      i0 = init.state.get(match.u);
    for (let e = 0; e < size; e++) {
      this.v[e] = clipV(math.round(((v0?.[e] ?? match.vr) - match.vr) * match.scale));
      this.u[e] = lavaWrapU(wrapSigned(math.round((i0?.[e] ?? 0) * match.c * match.scale), 24));
    }
  }

  /** u and v of every neuron, reading and then clearing a_in (Lava's arithmetic, lava-lif.ts). With `act`
   *  (the emulator's activity), act[e] = 1 when neuron e had input or its u or v changed; returns how many. */
  update(act?: Uint8Array): number {
    const u = this.u,
      v = this.v,
      a = this.aIn,
      uf = this.uFactor,
      vf = this.vFactor,
      bias = this.bias,
      n = this.size;
    const dsc = 2 ** -DECAY_SHIFT,
      sh = ACT_SHIFT,
      top = MAX_UV,
      span = 2 * MAX_UV;
    let na = 0;
    for (let e = 0; e < n; e++) {
      // |u| <= 2^23, factor < 2^12: products below 2^35 are exact; trunc = sign-magnitude >> 12; then int32 adds
      const d = math.trunc(u[e]! * uf * dsc);
      const x = (d + (a[e]! << sh)) | 0;
      let uu = x > top ? x - span : x;
      if (uu <= -top) uu = x + span;
      let vv = math.trunc(v[e]! * vf * dsc) + uu + bias;
      if (vv > top - 1) vv = top - 1;
      else if (vv < -top + 1) vv = -top + 1;
      if (act) {
        const on = a[e] !== 0 || uu !== u[e] || vv !== v[e];
        act[e] = on ? 1 : 0;
        if (on) na++;
      }
      u[e] = uu;
      v[e] = vv;
      a[e] = 0;
    }
    return na;
  }

  threshold(buf: Int32Array): number {
    let n = 0;
    const v = this.v,
      th = this.vthEff;
    for (let e = 0; e < this.size; e++) if (v[e]! > th) buf[n++] = e;
    return n;
  }

  reset(buf: Int32Array, n: number): void {
    for (let x = 0; x < n; x++) this.v[buf[x]!] = 0;
  }

  /** A variable of element e in SI units (v or the current), or undefined for others. */
  read(name: string, e: number): number | undefined {
    if (name === this.match.v) return this.v[e]! / this.match.scale + this.match.vr;
    if (name === this.match.u) return this.u[e]! / (this.match.c * this.match.scale);
    return undefined;
  }
}

/** Per-synapse a_in increments of a projection into a loihi-mode group from the model's weights (the values the
 *  network construction draws for `seed`), for synapses given in construction order (pre[s], post[s]): the one
 *  conversion of weights to a_in on every path (the fixed target; the descriptor runner and the emulator, whose
 *  synapse tables hold the weights rounded to the hardware's weight words). A synapse list that is not the
 *  construction's is an error (a string). */
export function modelSynapseInputs(
  p: IRProjection,
  m: LoihiMatch,
  facts: (population: string) => PopulationFacts,
  seed: number,
  dt: number,
  pre: ArrayLike<number>,
  post: ArrayLike<number>,
): Int32Array | string {
  const b = buildProjection(p, facts, seed, dt);
  if (b.csr.n !== pre.length) return `${p.name}: ${pre.length} synapses, the model builds ${b.csr.n}`;
  for (let s = 0; s < b.csr.n; s++)
    if (b.csr.pre[s] !== pre[s] || b.csr.post[s] !== post[s])
      return `${p.name}: synapse ${s} is ${pre[s]} -> ${post[s]}, the model builds ${b.csr.pre[s]} -> ${b.csr.post[s]}`;
  return synapseInputs(p, m, b.values, b.csr.n);
}

/** Per-synapse a_in increments for a projection into a loihi-mode group. */
export function synapseInputs(p: IRProjection, m: LoihiMatch, values: Values, n: number): Int32Array {
  const w = accumulateWeight(p, m.u)!;
  const out = new Int32Array(n);
  // the common weights, a (negated) parameter or state variable, read straight from its values: the same numbers
  // evalExpr gives, without an interpreter call per synapse (CUBA's 320,000 synapses: 0.15 s)
  const neg = w.k === "neg";
  const ref = neg ? w.a : w;
  if (ref.k === "ref" && (ref.ref.space === "param" || ref.ref.space === "state")) {
    const src = (ref.ref.space === "param" ? values.params : values.state).get(ref.ref.name);
    if (typeof src === "number") return out.fill(loihiInput(m, neg ? -src : src));
    if (src !== undefined && src.length >= n) {
      for (let s = 0; s < n; s++) out[s] = loihiInput(m, neg ? -src[s]! : src[s]!);
      return out;
    }
  }
  for (let s = 0; s < n; s++) {
    const x = evalExpr(w, (r) => {
      const src =
        r.space === "param" ? values.params.get(r.name) : r.space === "state" ? values.state.get(r.name) : undefined;
      return typeof src === "number" ? src : src?.[s];
    });
    out[s] = loihiInput(m, x);
  }
  return out;
}
