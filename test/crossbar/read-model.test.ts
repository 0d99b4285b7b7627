// The crossbar read model (targets/crossbar/read-model.ts) by hand: one tile of 2 rows x 2 columns (one
// differential pair), known levels and words, reads with fixed noise draws -> exact ADC codes, a clipped
// read, the identity case (no noise, ADC step <= 1 word), the noise stream keying, and per-seed
// reproducibility of descriptor runs with reram-128's read noise.
import { describe, expect, it } from "@jest/globals";
import {
  accumulate,
  accumulateTarget,
  adcConvert,
  adcMaxCode,
  CrossbarReads,
} from "../../targets/crossbar/read-model.js";
import type { FxStmt } from "../../targets/fixed/ir.js";
import { fnv1a32, normal } from "../../targets/network/rng.js";
import type { CrossbarDescriptor } from "../../targets/descriptor/types.js";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { CrossbarSpec } from "../../targets/hw/spec.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { firstSpikeDifference } from "../../targets/emulator/check.js";

/** One 2x2 tile: row 0 holds level 3 on G+ (w = +3 levels), row 1 level 2 on G- (w = -2 levels). The weight
 *  format has 12 fraction bits and the scale is 2^-10 per level, so one level is u = 4 words: words +12, -8.
 *  Only the fields the read model uses are filled. */
function tile(sigma: number, adcBits: number, seed = 7): CrossbarDescriptor {
  const fmt = { signed: true, intBits: 0, fracBits: 12 };
  return {
    seed,
    device: {
      gOn: 1e-4,
      gOff: 1e-6,
      levels: 4,
      bitsPerCell: 2,
      deviceSigma: 0,
      readNoiseSigma: sigma,
      readVoltage: 0.5,
    },
    weightMaps: [{ projection: "p", scale: 2 ** -10, maxColumnLevels: 5, adcFullScale: 2 ** adcBits - 1 }],
    formats: { "out.I": fmt },
    projections: [
      {
        projection: "p",
        n: 2,
        weightVar: "w",
        vars: [{ name: "w", space: "param", fmt }],
        raw: { w: [12, -8] },
        scalars: {},
        post: { population: "out", start: 0, end: 1 },
        onPre: [
          {
            k: "assign",
            target: { space: "post", name: "I" },
            value: {
              k: "add",
              fmt,
              ovf: "saturate",
              a: { k: "var", ref: { space: "post", name: "I" }, fmt },
              b: { k: "var", ref: { space: "param", name: "w" }, fmt },
            },
          },
        ],
      },
    ],
    tiles: [
      {
        id: 0,
        x: 0,
        y: 0,
        rows: 2,
        cols: 2,
        prePopulation: "in",
        rowInputs: [0, 1],
        rowDelays: [0, 0],
        pairs: [{ projection: "p", population: "out", index: 0, input: "I" }],
        cells: [
          { row: 0, pair: 0, gPlus: 3, gMinus: 0, weight: 12, synapse: 0 },
          { row: 1, pair: 0, gPlus: 0, gMinus: 2, weight: -8, synapse: 1 },
        ],
        adcBits,
        columnsPerAdc: 1,
      },
    ],
  } as unknown as CrossbarDescriptor;
}

describe("ADC conversion by hand", () => {
  // full scale = the larger of the pair's positive (3 levels) and negative (2 levels) sums = 3 levels = 12 words;
  // a 3-bit ADC has codes -3..3, so lsb = 12 / 3 = 4 words; sigma 0.1 -> 0.1 * (4 - 1) levels * 4 = 1.2 words
  const lsb = 4,
    q = 3,
    sw = 1.2;
  it("codes of the four activations without noise", () => {
    expect(adcMaxCode(3)).toBe(3);
    expect(adcConvert(12 - 8, sw, 0, lsb, q)).toEqual({ code: 1, out: 4, clipped: false }); // both rows
    expect(adcConvert(12, sw, 0, lsb, q)).toEqual({ code: 3, out: 12, clipped: false }); // row 0
    expect(adcConvert(-8, sw, 0, lsb, q)).toEqual({ code: -2, out: -8, clipped: false }); // row 1
    expect(adcConvert(0, sw, 0, lsb, q)).toEqual({ code: 0, out: 0, clipped: false });
  });
  it("noise moves codes; beyond the range the code clips", () => {
    // row 0, n = +1: (12 + 1.2) / 4 = 3.3 -> 3 (in range); n = +2: 14.4 / 4 = 3.6 -> 4 -> clipped to 3
    expect(adcConvert(12, sw, 1, lsb, q)).toEqual({ code: 3, out: 12, clipped: false });
    expect(adcConvert(12, sw, 2, lsb, q)).toEqual({ code: 3, out: 12, clipped: true });
    // row 1, n = -2.5: (-8 - 3) / 4 = -2.75 -> -3 (in range); n = -4: -12.8 / 4 = -3.2 -> -3, not clipped
    expect(adcConvert(-8, sw, -2.5, lsb, q)).toEqual({ code: -3, out: -12, clipped: false });
    expect(adcConvert(-8, sw, -4, lsb, q)).toEqual({ code: -3, out: -12, clipped: false });
    // both rows, n = +1.5: (4 + 1.8) / 4 = 1.45 -> 1; n = +1.7: 6.04 / 4 = 1.51 -> 2 -> 8 words
    expect(adcConvert(4, sw, 1.5, lsb, q).out).toBe(4);
    expect(adcConvert(4, sw, 1.7, lsb, q).out).toBe(8);
    // ties round to even: 6 / 4 = 1.5 -> 2, 10 / 4 = 2.5 -> 2
    expect(adcConvert(6, 0, 0, lsb, q).code).toBe(2);
    expect(adcConvert(10, 0, 0, lsb, q).code).toBe(2);
  });
});

describe("periphery: signed accumulation for static synapses", () => {
  const uq = (i: number, f: number) => ({ signed: false, intBits: i, fracBits: f });
  // the quantized `post.ge += w` of a static synapse (CUBA exc_exc): ge = (ge << 15 + w << 18) >> 15
  const onPre: FxStmt[] = [
    {
      k: "assign",
      target: { space: "post", name: "ge" },
      value: {
        k: "shift",
        by: -15,
        fmt: uq(-4, 20),
        rnd: "nearest-even",
        ovf: "saturate",
        a: {
          k: "add",
          fmt: uq(-3, 35),
          ovf: "saturate",
          a: {
            k: "shift",
            by: 15,
            fmt: uq(-3, 35),
            rnd: "nearest-even",
            ovf: "saturate",
            a: { k: "var", ref: { space: "post", name: "ge" }, fmt: uq(-4, 20) },
          },
          b: {
            k: "shift",
            by: 18,
            fmt: uq(-3, 35),
            rnd: "nearest-even",
            ovf: "saturate",
            a: { k: "var", ref: { space: "param", name: "w" }, fmt: uq(-9, 17) },
          },
        },
      },
    },
  ];
  it("recognizes post.X += w up to shifts, nothing else", () => {
    expect(accumulateTarget(onPre, "w")).toBe("ge");
    expect(accumulateTarget(onPre, "v")).toBeNull();
    expect(accumulateTarget([...onPre, ...onPre], "w")).toBeNull();
  });
  it("adds round_ne(out * 2^shift) and saturates in X's format, counting", () => {
    const x = Float64Array.from([100, 5, 2 ** 16 - 3]);
    const c = { count: 0 };
    const acc = { variable: "ge", fmt: uq(-4, 20), shift: 3 }; // UQ-4.20: raw 0 .. 2^16 - 1
    accumulate(x, 0, 7, acc, c); // 100 + 56
    accumulate(x, 1, -2, acc, c); // 5 - 16 -> saturates at 0
    accumulate(x, 2, 1, acc, c); // 2^16 - 3 + 8 -> saturates at 2^16 - 1
    expect(Array.from(x)).toEqual([156, 0, 2 ** 16 - 1]);
    expect(c.count).toBe(2);
    const y = Float64Array.from([0, 0]);
    accumulate(y, 0, 5, { ...acc, shift: -1 }, c); // 2.5 -> 2 (ties to even)
    accumulate(y, 1, 7, { ...acc, shift: -1 }, c); // 3.5 -> 4
    expect(Array.from(y)).toEqual([2, 4]);
  });
});

describe("the read model on a 2x2 tile", () => {
  /** Activate `rows` at step k and flush: the output word of the pair (0 when nothing was applied). */
  const read = (r: CrossbarReads, rows: number[], k: number): number => {
    for (const s of rows) r.event(0, s);
    let out = 0;
    r.flush(k, (j, i) => {
      out = r.pairs[j]!.weights[i]!;
    });
    return out;
  };

  it("derives full scale, lsb and sigma from the tile; reads use the documented noise draw", () => {
    const r = new CrossbarReads(tile(0.1, 3));
    expect(r.active).toBe(true);
    expect(Array.from(r.fullScaleLevels)).toEqual([3]);
    expect(r.pairs[0]!.postIdx[0]).toBe(0);
    expect(r.acc[0]).toEqual({ variable: "I", fmt: { signed: true, intBits: 0, fracBits: 12 }, shift: 0 });
    const stream = fnv1a32("readnoise:0");
    for (let k = 0; k < 50; k++) {
      const rows = [[0], [1], [0, 1]][k % 3]!;
      const S = rows.reduce((a, s) => a + [12, -8][s]!, 0);
      const n = normal(7, stream, k * 2 + 0); // index = step * cols + 2 * pair
      const want = adcConvert(S, 0.1 * (4 - 1) * 4, n, 4, 3);
      expect([k, read(r, rows, k)]).toEqual([k, want.out]);
    }
    expect(r.stats.reads).toBe(50);
    expect(r.stats.conversions).toBe(50);
  });

  it("counts clips: sigma 1 (3 levels = 12 words) drives row 0 past code 3 about half the time", () => {
    const r = new CrossbarReads(tile(1, 3));
    let expected = 0;
    const stream = fnv1a32("readnoise:0");
    for (let k = 0; k < 400; k++) {
      if (adcConvert(12, 12, normal(7, stream, 2 * k), 4, 3).clipped) expected++;
      read(r, [0], k);
    }
    expect(r.stats.clips).toBe(expected);
    expect(expected).toBeGreaterThan(150);
    expect(expected).toBeLessThan(250);
  });

  it("no read noise and an ADC step <= 1 word is the identity: inactive, and every read returns the sum", () => {
    // 5 bits: q = 15, lsb = 12 / 15 = 0.8 words
    const r = new CrossbarReads(tile(0, 5));
    expect(r.active).toBe(false);
    expect([read(r, [0], 0), read(r, [1], 1), read(r, [0, 1], 2)]).toEqual([12, -8, 4]);
    expect(r.stats.clips).toBe(0);
    // 3 bits without noise still quantizes (lsb 4 words): active
    expect(new CrossbarReads(tile(0, 3)).active).toBe(true);
  });

  it("the same seed gives the same reads; another seed other reads", () => {
    const outs = (seed: number) => {
      const r = new CrossbarReads(tile(0.5, 4, seed));
      return Array.from({ length: 40 }, (_, k) => read(r, [0, 1], k));
    };
    expect(outs(7)).toEqual(outs(7));
    expect(outs(8)).not.toEqual(outs(7));
  });
});

describe("descriptor runs with read noise are reproducible per seed", () => {
  it("lsm_reram on reram-128: same descriptor seed, same spikes; another noise seed, other spikes", () => {
    const c = compile("examples/lsm_reram.glia", nodeHost());
    const d = mapCrossbar(c.ir!, loadPreset("reram-128").spec as CrossbarSpec, { profileSteps: 200 }).descriptor!;
    const duration = 100 * d.dt;
    const a = runDescriptor(d, { duration }),
      b = runDescriptor(JSON.parse(JSON.stringify(d)), { duration });
    expect(firstSpikeDifference(a.result!.spikes, b.result!.spikes)).toBeNull();
    expect(a.crossbar).toEqual(b.crossbar);
    // the run seed (sources) kept, the descriptor's seed (read noise) changed
    const c2 = runDescriptor({ ...d, seed: d.seed + 1 }, { duration, seed: d.seed });
    expect(firstSpikeDifference(a.result!.spikes, c2.result!.spikes)).not.toBeNull();
  });
});
