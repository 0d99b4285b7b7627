// The word thresholds of a poisson_count source in wasm (targets/wasm/lower-count.ts countThresholds): for each
// element, a word below T1 is 0 events, below T2 exactly 1, below T3 exactly 2 (the kernels append those lanes
// without the inversion), at or above T3 the inversion decides. Checked against the inversion itself
// (compiler/builtins/poisson-count.ts) at every threshold and its neighbours, for means from 0 to 100 per step,
// and the lane table after the thresholds (row m: the lanes of the bits of m, ascending).
import { describe, expect, test } from "@jest/globals";
import { poissonCount } from "../../compiler/builtins/poisson-count.js";
import { countThresholds, countThresholdWords } from "../../targets/wasm/lower-count.js";

const LAMBDAS = [0, 1e-300, 1e-12, 2.5e-10, 0.0128, 0.128, 0.232, 0.5, 1.6, 2.9, 20, 100];

describe("poisson_count word thresholds", () => {
  const lam = Float64Array.from(LAMBDAS);
  const q0 = lam.map((x) => Math.exp(-x));
  const pad = Math.ceil(lam.length / 4) * 4;
  const words = countThresholds(lam, q0, pad);
  const row = pad + 8;
  const t = (tier: number, e: number): number => words[tier * row + e]! >>> 0;

  test("a word below T3 has as many events as thresholds it reaches; T1 <= T2 <= T3", () => {
    let checked = 0;
    let twos = 0;
    for (let e = 0; e < lam.length; e++) {
      const [t1, t2, t3] = [t(0, e), t(1, e), t(2, e)];
      expect([e, t1 <= t2 && t2 <= t3]).toEqual([e, true]);
      const probes = new Set<number>([0, 1, 0xffffffff, 0xfffffffe]);
      for (const x of [t1, t2, t3])
        for (const d of [-2, -1, 0, 1, 2]) probes.add(Math.min(0xffffffff, Math.max(0, x + d)));
      for (const w of probes) {
        if (w >= t3) continue; // the inversion decides
        const tiers = (w >= t1 ? 1 : 0) + (w >= t2 ? 1 : 0);
        const count = poissonCount(w * 2 ** -32, lam[e]!, q0[e]!);
        expect([e, w, count]).toEqual([e, w, tiers]);
        checked++;
        if (tiers === 2) twos++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(twos).toBeGreaterThan(10);
  });

  test("padding lanes never count without the inversion; the lane table lists each mask's bits", () => {
    expect(words.length).toBe(countThresholdWords(pad));
    for (let tier = 0; tier < 3; tier++)
      for (let e = lam.length; e < row; e++) expect(words[tier * row + e]! >>> 0).toBe(0xffffffff);
    const table = 3 * row;
    for (let m = 0; m < 16; m++) {
      const lanes = [0, 1, 2, 3].filter((l) => (m >> l) & 1);
      expect(Array.from(words.subarray(table + 4 * m, table + 4 * m + lanes.length))).toEqual(lanes);
    }
  });
});
