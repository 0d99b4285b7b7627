// Lava's bit-accurate LIF (PyLifModelBitAcc) reproduced bit for bit: hand-computed sequences with the
// arithmetic written out, negative values (truncation toward zero), bias exponents, wrap of u, clip of v.
import { describe, expect, it } from "@jest/globals";
import {
  checkLoihiParams,
  effectiveBias,
  effectiveVth,
  loihiDecays,
  loihiLifStep,
  LoihiLifPopulation,
  type LoihiLifParams,
} from "../../targets/fixed/lava-lif.js";

function run(p: LoihiLifParams, aIn: number[], u0 = 0, v0 = 0): { u: number[]; v: number[]; s: boolean[] } {
  let u = u0,
    v = v0;
  const out = { u: [] as number[], v: [] as number[], s: [] as boolean[] };
  for (const a of aIn) {
    const r = loihiLifStep(p, u, v, a);
    u = r.u;
    v = r.v;
    out.u.push(u);
    out.v.push(v);
    out.s.push(r.spike);
  }
  return out;
}

// du = 1023: u factor 4096 - 1024 = 3072 (0.75); dv = 2048: v factor 2048 (0.5)
const P: LoihiLifParams = { du: 1023, dv: 2048, biasMant: 0, biasExp: 0, vth: 10 }; // vth_eff = 640

describe("Lava PyLifModelBitAcc", () => {
  it("decays u and v with truncation (hand-computed)", () => {
    // step 0: u = 0 + 5<<6 = 320;             v = 0 + 320 = 320
    // step 1: u = 320*3072>>12 = 240;         v = 320*2048>>12 = 160, + 240 = 400
    // step 2: u = 737280>>12 = 180;           v = 200 + 180 = 380
    // step 3: u = 552960>>12 = 135;           v = 190 + 135 = 325
    // step 4: u = 414720/4096 = 101.25 -> 101; v = 162.5 -> 162, + 101 = 263
    const r = run(P, [5, 0, 0, 0, 0]);
    expect(r.u).toEqual([320, 240, 180, 135, 101]);
    expect(r.v).toEqual([320, 400, 380, 325, 263]);
    expect(r.s.some((x) => x)).toBe(false);
  });

  it("truncates negative products toward zero, not toward -inf", () => {
    // mirror image: -101.25 -> -101 (floor would give -102), -162.5 -> -162 (floor: -163)
    const r = run(P, [-5, 0, 0, 0, 0]);
    expect(r.u).toEqual([-320, -240, -180, -135, -101]);
    expect(r.v).toEqual([-320, -400, -380, -325, -263]);
  });

  it("spikes when v > vth << 6 and resets v to 0", () => {
    // step 0: u = 20<<6 = 1280, v = 1280 > 640 spike -> 0
    // step 1: u = 960, v = 0 + 960 spike;  step 2: u = 720, v = 720 spike
    // step 3: u = 540, v = 540 (no);       step 4: u = 405, v = 270 + 405 = 675 spike
    // step 5: u = 1244160>>12 = 303 (303.75), v = 303; step 6: u = 227 (227.25), v = 151 (151.5) + 227 = 378
    const r = run(P, [20, 0, 0, 0, 0, 0, 0]);
    expect(r.s).toEqual([true, true, true, false, true, false, false]);
    expect(r.u).toEqual([1280, 960, 720, 540, 405, 303, 227]);
    expect(r.v).toEqual([0, 0, 0, 540, 0, 303, 378]);
    expect(effectiveVth(P)).toBe(640);
    // exactly at threshold does not spike (strict >)
    expect(loihiLifStep({ ...P, du: 4095, dv: 4095 }, 0, 0, 10).spike).toBe(false); // v = 640
    expect(loihiLifStep({ ...P, du: 4095, dv: 4095 }, 0, 0, 10).v).toBe(640);
  });

  it("applies the bias mantissa/exponent, arithmetic shift for negative exponents", () => {
    expect(effectiveBias({ ...P, biasMant: 3, biasExp: 2 })).toBe(12);
    expect(effectiveBias({ ...P, biasMant: 100, biasExp: -3 })).toBe(12); // 12.5 -> 12
    expect(effectiveBias({ ...P, biasMant: -100, biasExp: -3 })).toBe(-13); // numpy >> on -100: floor(-12.5)
    // du = dv = 4095: u factor 0, v factor 1 (|v| * 1 >> 12 = 0 for small v): v = bias each step
    const q = { du: 4095, dv: 4095, biasMant: -100, biasExp: -3, vth: 100 };
    expect(run(q, [0, 0, 0]).v).toEqual([-13, -13, -13]);
    // dv = 0: v integrates the bias: 12, 24, 36, ... spikes at v > 64 (vth 1 << 6): 12*6 = 72 at step 5
    const r = run({ du: 4095, dv: 0, biasMant: 100, biasExp: -3, vth: 1 }, [0, 0, 0, 0, 0, 0, 0]);
    expect(r.v).toEqual([12, 24, 36, 48, 60, 0, 12]);
    expect(r.s[5]).toBe(true);
  });

  it("wraps u like Lava: > 2^23 subtracts 2^24, <= -2^23 adds 2^24 (2^23 itself stays)", () => {
    const big = { du: 0, dv: 0, biasMant: 0, biasExp: 0, vth: 131071 };
    // u0 = 8388508: 8388508 * 4095 = 34350940260 >> 12 = 8386460; + 32767<<6 = 2097088 -> 10483548 > 2^23
    //   -> 10483548 - 16777216 = -6293668
    expect(loihiLifStep(big, 8388508, 0, 32767).u).toBe(-6293668);
    expect(loihiLifStep(big, -8388508, 0, -32768).u).toBe(-8386460 - 2097152 + 16777216); // 6293604
    // u0 = 4096 * 1984: decays to 4095 * 1984 = 8124480; + 4127 << 6 = 264128 -> exactly 2^23: kept
    expect(loihiLifStep(big, 4096 * 1984, 0, 4127).u).toBe(2 ** 23);
    // and the mirror, exactly -2^23, becomes +2^23
    expect(loihiLifStep(big, -4096 * 1984, 0, -4127).u).toBe(2 ** 23);
  });

  it("clips v to [-2^23 + 1, 2^23 - 1]", () => {
    // dv = 0 (no decay), du = 4095 (u = a_in << 6): v0 = -8388598, a_in = -1: v = -8388598 - 64 -> clip -8388607
    const q = { du: 4095, dv: 0, biasMant: 0, biasExp: 0, vth: 131071 };
    const r = loihiLifStep(q, 0, -8388598, -1);
    expect(r.u).toBe(-64);
    expect(r.v).toBe(-8388607);
    // top: 8388598 + 64 -> 8388607 (clipped), which is above vth_eff = 131071 << 6 = 8388544: spike, v = 0
    const t = loihiLifStep(q, 0, 8388598, 1);
    expect([t.v, t.spike]).toEqual([0, true]);
    // below the clip but above threshold also spikes; below threshold stays
    expect(loihiLifStep(q, 0, 8388000, 1)).toEqual({ u: 64, v: 8388064, spike: false });
  });

  it("treats a_in as int32 (Lava's ports deliver int32) and steps populations in place", () => {
    // 65539 << 6 = 4194496: no 16-bit wrap; past 2^23 the 24-bit wrap of u applies: 140000 << 6 = 8960000 - 2^24
    expect(loihiLifStep({ ...P, du: 4095, dv: 4095 }, 0, 0, 65536 + 3).u).toBe(4194496);
    expect(loihiLifStep({ ...P, du: 4095, dv: 4095 }, 0, 0, 140000).u).toBe(8960000 - 16777216);
    // a_in << 6 is an int32 shift: 2^26 << 6 = 2^32 wraps to 0
    expect(loihiLifStep({ ...P, du: 4095, dv: 4095 }, 0, 0, 2 ** 26).u).toBe(0);
    const pop = new LoihiLifPopulation(3, P);
    const out = new Int32Array(3);
    expect(pop.step([5, 20, -5], out)).toBe(1);
    expect(Array.from(out.slice(0, 1))).toEqual([1]);
    expect(Array.from(pop.v)).toEqual([320, 0, -320]);
    expect(Array.from(pop.u)).toEqual([320, 1280, -320]);
  });

  it("checks parameter ranges and derives decays from time constants", () => {
    expect(checkLoihiParams(P)).toEqual([]);
    expect(checkLoihiParams({ ...P, du: 4096, vth: -1 })).toHaveLength(2);
    // a_u = 0.75 -> du = 1024 - 1 = 1023; a_v = 0.5 -> dv = 2048
    expect(loihiDecays(0.75, 0.5)).toEqual({ du: 1023, dv: 2048 });
  });
});
