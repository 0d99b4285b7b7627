// Tests for targets/network: connectivity rules (statistics, exact degrees, CSR order, determinism),
// astrocyte pool assignment, initial values and spike-list sources.
import { describe, expect, it } from "@jest/globals";
import type { ConnectRule, IRProjection } from "../../compiler/ir/nodes.js";
import { buildConnectivity, type Csr } from "../../targets/network/connectivity.js";
import { assignAstrocytes } from "../../targets/network/ensheath.js";
import { initGroup } from "../../targets/network/init.js";
import { makeSource } from "../../targets/network/sources.js";
import { group, n, projection, r, v } from "../reference/ir-helpers.js";

const proj = (rule: ConnectRule, pre: [string, number], post: [string, number], allowSelf = false): IRProjection => ({
  ...projection("p", pre, post),
  rule,
  allowSelf,
});

function checkCsrOrder(c: Csr): void {
  for (let s = 1; s < c.n; s++) {
    const ordered = c.pre[s - 1]! < c.pre[s]! || (c.pre[s - 1] === c.pre[s] && c.post[s - 1]! <= c.post[s]!);
    expect(ordered).toBe(true);
  }
  for (let p = 0; p + 1 < c.rowStart.length; p++)
    for (let s = c.rowStart[p]!; s < c.rowStart[p + 1]!; s++) expect(c.pre[s]).toBe(p);
  for (let q = 0; q + 1 < c.postStart.length; q++)
    for (let x = c.postStart[q]!; x < c.postStart[q + 1]!; x++) expect(c.post[c.postSyn[x]!]).toBe(q);
}

describe("connectivity", () => {
  it("fixed_probability gives binomial counts and no self-connections by default", () => {
    const c = buildConnectivity(proj({ k: "fixed_probability", p: 0.05 }, ["a", 400], ["a", 400]), 400, 400, 1);
    const trials = 400 * 399;
    const mean = trials * 0.05,
      sd = Math.sqrt(trials * 0.05 * 0.95);
    expect(Math.abs(c.n - mean)).toBeLessThan(5 * sd);
    for (let s = 0; s < c.n; s++) expect(c.pre[s]).not.toBe(c.post[s]);
    checkCsrOrder(c);
    const withSelf = buildConnectivity(proj({ k: "fixed_probability", p: 1 }, ["a", 20], ["a", 20], true), 20, 20, 1);
    expect(withSelf.n).toBe(400);
    expect(buildConnectivity(proj({ k: "fixed_probability", p: 0 }, ["a", 20], ["b", 20]), 20, 20, 1).n).toBe(0);
  });

  it("is deterministic in the seed", () => {
    const rule: ConnectRule = { k: "fixed_probability", p: 0.1 };
    const a = buildConnectivity(proj(rule, ["a", 100], ["b", 100]), 100, 100, 7);
    const b = buildConnectivity(proj(rule, ["a", 100], ["b", 100]), 100, 100, 7);
    const c = buildConnectivity(proj(rule, ["a", 100], ["b", 100]), 100, 100, 8);
    expect(Array.from(a.post)).toEqual(Array.from(b.post));
    expect(Array.from(a.pre)).toEqual(Array.from(b.pre));
    expect(a.n === c.n && Array.from(a.post).every((x, i) => x === c.post[i])).toBe(false);
  });

  it("draws a projection once per set of inputs: an equal projection (keys in any order) gets the same draw, any input changed a new one", () => {
    const rule: ConnectRule = { k: "fixed_probability", p: 0.1 };
    const p0 = proj(rule, ["a", 100], ["b", 100]);
    const a = buildConnectivity(p0, 100, 100, 11);
    // read back from JSON, an IR lists its keys in another order
    const reordered = JSON.parse(JSON.stringify({ ...p0, rule: { p: 0.1, k: "fixed_probability" } })) as IRProjection;
    expect(buildConnectivity(reordered, 100, 100, 11)).toBe(a);
    const changed: [string, Csr][] = [
      ["seed", buildConnectivity(p0, 100, 100, 12)],
      ["p", buildConnectivity({ ...p0, rule: { k: "fixed_probability", p: 0.2 } }, 100, 100, 11)],
      ["name (its stream)", buildConnectivity({ ...p0, name: "q" }, 100, 100, 11)],
      ["post slice", buildConnectivity({ ...p0, post: { ...p0.post, start: 10 } }, 100, 100, 11)],
      ["pre population size", buildConnectivity(p0, 120, 100, 11)],
    ];
    for (const [what, c] of changed) {
      expect([what, c]).not.toEqual([what, a]);
      checkCsrOrder(c);
    }
    // the cached draw is the draw: a projection drawn after many others are cached still gives the same synapses
    const again = buildConnectivity({ ...p0 }, 100, 100, 11);
    expect(Array.from(again.post)).toEqual(Array.from(a.post));
    expect(Array.from(again.pre)).toEqual(Array.from(a.pre));
  });

  it("fixed_indegree and fixed_outdegree give exact, distinct degrees", () => {
    const ind = buildConnectivity(proj({ k: "fixed_indegree", n: 7 }, ["a", 30], ["a", 30]), 30, 30, 3);
    checkCsrOrder(ind);
    for (let q = 0; q < 30; q++) {
      const pres = Array.from(ind.postSyn.slice(ind.postStart[q]!, ind.postStart[q + 1]!), (s) => ind.pre[s]!);
      expect(pres.length).toBe(7);
      expect(new Set(pres).size).toBe(7);
      expect(pres.includes(q)).toBe(false);
    }
    const out = buildConnectivity(proj({ k: "fixed_outdegree", n: 5 }, ["a", 10], ["b", 40]), 10, 40, 3);
    checkCsrOrder(out);
    for (let p = 0; p < 10; p++) {
      const posts = Array.from(out.post.slice(out.rowStart[p]!, out.rowStart[p + 1]!));
      expect(new Set(posts).size).toBe(5);
    }
    expect(() => buildConnectivity(proj({ k: "fixed_indegree", n: 30 }, ["a", 30], ["a", 30]), 30, 30, 3)).toThrow(
      /cannot choose/,
    );
  });

  it("builds all_to_all, one_to_one, from_list and slices with population indices", () => {
    const all = buildConnectivity(
      {
        ...proj({ k: "all_to_all" }, ["a", 10], ["b", 10]),
        pre: { population: "a", start: 2, end: 4 },
        post: { population: "b", start: 5, end: 8 },
      },
      10,
      10,
      1,
    );
    expect(Array.from(all.pre)).toEqual([2, 2, 2, 3, 3, 3]);
    expect(Array.from(all.post)).toEqual([5, 6, 7, 5, 6, 7]);
    const one = buildConnectivity(proj({ k: "one_to_one" }, ["a", 3], ["b", 3]), 3, 3, 1);
    expect(Array.from(one.post)).toEqual([0, 1, 2]);
    const list = buildConnectivity(
      proj({ k: "from_list", pre: [2, 0, 2], post: [1, 3, 0] }, ["a", 4], ["b", 4]),
      4,
      4,
      1,
    );
    expect(Array.from(list.pre)).toEqual([0, 2, 2]);
    expect(Array.from(list.post)).toEqual([3, 0, 1]);
  });
});

describe("astrocyte pools", () => {
  const c = buildConnectivity(proj({ k: "all_to_all" }, ["a", 3], ["b", 8]), 3, 8, 1);
  it("block assigns contiguous astrocytes by post element", () => {
    const a = assignAstrocytes("p", c, { population: "b", start: 0, end: 8 }, 4, "block", 1, 1);
    for (let s = 0; s < c.n; s++) expect(a[s]).toBe(Math.floor((c.post[s]! * 4) / 8));
  });
  it("random pools draw distinct astrocytes per post element, deterministically", () => {
    const a = assignAstrocytes("p", c, { population: "b", start: 0, end: 8 }, 10, "random", 2, 5);
    const b = assignAstrocytes("p", c, { population: "b", start: 0, end: 8 }, 10, "random", 2, 5);
    expect(Array.from(a)).toEqual(Array.from(b));
    for (let q = 0; q < 8; q++) {
      const used = new Set<number>();
      for (let s = 0; s < c.n; s++) if (c.post[s] === q) used.add(a[s]!);
      expect(used.size).toBeLessThanOrEqual(2);
    }
    for (const x of a) expect(x >= 0 && x < 10).toBe(true);
  });
});

describe("initial values and sources", () => {
  it("draws per-element values from distributions and evaluates expressions over params and index", () => {
    const g = group("g", 500, {
      params: [v("lo", -2), v("gain", { k: "expr", e: { k: "bin", op: "*", a: r("index", "i"), b: n(2) } }, true)],
      state: [
        v("x", { k: "dist", dist: "uniform", args: [r("param", "lo"), n(3)], scale: 1 }),
        v("y", { k: "expr", e: r("param", "gain") }),
      ],
    });
    const vals = initGroup(g, 9, 1e-4);
    expect(vals.params.get("lo")).toBe(-2);
    const x = vals.state.get("x")!;
    let mean = 0;
    for (const xi of x) {
      expect(xi >= -2 && xi < 3).toBe(true);
      mean += xi / 500;
    }
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.35);
    expect(vals.state.get("y")![7]).toBe(14);
    expect(Array.from(initGroup(g, 9, 1e-4).state.get("x")!)).toEqual(Array.from(x));
    expect(initGroup(g, 10, 1e-4).state.get("x")![0]).not.toBe(x[0]);
  });

  it("puts spike-list spikes into step floor(t/dt + 0.5), once per element and step", () => {
    const src = makeSource(
      { name: "s", k: "spike_times", size: 3, times: [0.00061, 0.0006, 0.0006, 0.00014], indices: [0, 2, 2, 1] },
      1,
      1e-4,
      100,
    );
    const out = new Int32Array(3);
    const hits: [number, number[]][] = [];
    for (let k = 0; k < 10; k++) {
      const m = src.step(k, out);
      if (m) hits.push([k, Array.from(out.slice(0, m))]);
    }
    expect(hits).toEqual([
      [1, [1]],
      [6, [0, 2]],
    ]);
  });
});
