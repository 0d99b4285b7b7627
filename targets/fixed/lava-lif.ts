// The `loihi` neuron mode: Lava's bit-accurate LIF (lava-nc/lava, src/lava/proc/lif/models.py,
// PyLifModelBitAcc), reproduced exactly. In: per-neuron parameters (du, dv, bias mantissa/exponent, vth),
// int32 state u and v, int32 synaptic input a_in; out: the next u and v and the spiking neurons.
//
// Per step and neuron (all integers; products are exact 64-bit):
//   bias    = bias_exp >= 0 ? bias_mant << bias_exp : bias_mant >> -bias_exp      (arithmetic shift)
//   vth_eff = vth << 6
//   u       = sign(u * (4096 - (du + 1))) * (|u * (4096 - (du + 1))| >> 12)        (truncation toward 0)
//   u       = u + (a_in << 6)                                                 (int32 arithmetic)
//   u       = u > 2^23 ? u - 2^24 : u;  u = u <= -2^23 ? u + 2^24 : u             (Lava's wrap)
//   v       = sign(v * (4096 - dv)) * (|v * (4096 - dv)| >> 12) + u + bias
//   v       = clip(v, -2^23 + 1, 2^23 - 1)
//   spike   = v > vth_eff;  v = 0 where spike
// Note on the wrap: Lava tests `u > 2^23` and `u <= -2^23`, so u keeps values in (-2^23, 2^23]; 2^23
// itself stays and -2^23 becomes +2^23 (not [-2^23, 2^23), as a summary of the model might suggest).
// Note on a_in: the LIF's a_in port is annotated int16, but in Lava's Python models the data is int32: Dense
// (PyDenseModelBitAcc) sends its int32 a_buff and PyInPortVectorDense.recv adds it onto int16 zeros, which
// numpy promotes to int32. So a_in is neither saturated nor wrapped to 16 bits; a_in << 6 and the sum with the
// decayed u are int32 operations (wrapping only past 2^31), then u takes Lava's 24-bit wrap.

import { shiftFloor, shiftTowardZero, wrapSigned } from "./arith.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

export const DECAY_SHIFT = 12;
export const DECAY_UNITY = 1 << DECAY_SHIFT; // 4096
export const DS_OFFSET = 1; // u decays by du + 1
export const DM_OFFSET = 0; // v decays by dv
export const ACT_SHIFT = 6; // a_in << 6
export const VTH_SHIFT = 6; // vth << 6
export const MAX_UV = 2 ** 23;

export interface LoihiLifParams {
  du: number; // 0..4095
  dv: number; // 0..4095
  biasMant: number; // 13-bit signed: -4096..4095
  biasExp: number; // 3-bit: Lava allows any small integer; negative shifts right
  vth: number; // 17-bit unsigned: 0..131071
}

/** Problems with the parameters (empty when they are in the hardware's ranges). */
export function checkLoihiParams(p: LoihiLifParams): string[] {
  const out: string[] = [];
  const inRange = (name: string, x: number, lo: number, hi: number): void => {
    if (!Number.isInteger(x) || x < lo || x > hi) out.push(`${name} = ${x} is outside ${lo}..${hi}`);
  };
  inRange("du", p.du, 0, 4095);
  inRange("dv", p.dv, 0, 4095);
  inRange("bias_mant", p.biasMant, -4096, 4095);
  inRange("bias_exp", p.biasExp, -7, 7);
  inRange("vth", p.vth, 0, 131071);
  return out;
}

export function effectiveBias(p: LoihiLifParams): number {
  return p.biasExp >= 0 ? p.biasMant * 2 ** p.biasExp : shiftFloor(p.biasMant, -p.biasExp);
}

export const effectiveVth = (p: LoihiLifParams): number => p.vth * 2 ** VTH_SHIFT;

/** Lava's current wrap: (2^23 + k) becomes k - 2^23 ... applied once each way, as Lava does. */
export function lavaWrapU(x: number): number {
  let w = x > MAX_UV ? x - 2 * MAX_UV : x;
  if (w <= -MAX_UV) w = x + 2 * MAX_UV;
  return w;
}

export const clipV = (x: number): number => (x < -MAX_UV + 1 ? -MAX_UV + 1 : x > MAX_UV - 1 ? MAX_UV - 1 : x);

/** One neuron, one step. Returns the new u, v and whether it spiked (v is already reset to 0 then). */
export function loihiLifStep(
  p: LoihiLifParams,
  u: number,
  v: number,
  aIn: number,
): { u: number; v: number; spike: boolean } {
  const a = wrapSigned(aIn, 32); // int32 (see the note on a_in above)
  let uu = shiftTowardZero(u * (DECAY_UNITY - (p.du + DS_OFFSET)), DECAY_SHIFT); // |u| < 2^24, factor < 2^13: exact
  uu = lavaWrapU(wrapSigned(uu + wrapSigned(a * 2 ** ACT_SHIFT, 32), 32));
  let vv = shiftTowardZero(v * (DECAY_UNITY - (p.dv + DM_OFFSET)), DECAY_SHIFT) + uu + effectiveBias(p);
  vv = clipV(vv);
  const spike = vv > effectiveVth(p);
  return { u: uu, v: spike ? 0 : vv, spike };
}

/** A population of Loihi LIF neurons with per-population parameters, stepped in place. */
export class LoihiLifPopulation {
  readonly u: Int32Array;
  readonly v: Int32Array;

  constructor(
    readonly size: number,
    readonly params: LoihiLifParams,
  ) {
    this.u = new Int32Array(size);
    this.v = new Int32Array(size);
  }

  /** Steps every neuron with input aIn[e] (int32 values); writes spiking indices to `out`, returns how many. */
  step(aIn: ArrayLike<number>, out: Int32Array): number {
    let n = 0;
    for (let e = 0; e < this.size; e++) {
      const r = loihiLifStep(this.params, this.u[e]!, this.v[e]!, aIn[e] ?? 0);
      this.u[e] = r.u;
      this.v[e] = r.v;
      if (r.spike) out[n++] = e;
    }
    return n;
  }
}

/** Loihi parameters for a current-based LIF with decay factors a_u = exp(-dt/tau_syn) and a_v =
 *  exp(-dt/tau_mem) per step: du = round(4096 (1 - a_u)) - 1, dv = round(4096 (1 - a_v)), clamped to 0..4095. */
export function loihiDecays(aU: number, aV: number): { du: number; dv: number } {
  const clamp = (x: number): number => math.min(4095, math.max(0, x));
  return {
    du: clamp(math.round(DECAY_UNITY * (1 - aU)) - DS_OFFSET),
    dv: clamp(math.round(DECAY_UNITY * (1 - aV)) - DM_OFFSET),
  };
}
