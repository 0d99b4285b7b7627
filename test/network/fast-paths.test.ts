// The fast paths of network construction against slow straightforward implementations kept here:
// Philox words (int32 JS and the runtime's batched SIMD fill) vs a BigInt Philox4x32-10, connectivity vs
// the per-draw number[] algorithm, batched/constant initial values and delays vs per-element evaluation.
import { afterEach, describe, expect, it } from "@jest/globals";
import type { ConnectRule, IRInit, IRProjection } from "../../compiler/ir/nodes.js";
import { buildConnectivity, ROW_STRIDE, type Csr } from "../../targets/network/connectivity.js";
import { drawsView, fillDraws, MAX_VIEW, useRuntimeDraws } from "../../targets/network/draws.js";
import { evalExpr } from "../../targets/network/eval.js";
import { initDelays, initGroup, initSynapses } from "../../targets/network/init.js";
import { normal, philox4x32_10, sampleDist, streams, uniform01 } from "../../targets/network/rng.js";
import { b, group, n, projection, r, v } from "../reference/ir-helpers.js";

afterEach(() => useRuntimeDraws(true));

/** Philox4x32-10 with BigInt products: the textbook definition, slow. */
function slowPhilox(c: number[], k: number[]): number[] {
  const M = 0xffffffffn;
  let [x0, x1, x2, x3] = c.map((w) => BigInt(w >>> 0)) as [bigint, bigint, bigint, bigint];
  let k0 = BigInt(k[0]! >>> 0),
    k1 = BigInt(k[1]! >>> 0);
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + 0x9e3779b9n) & M;
      k1 = (k1 + 0xbb67ae85n) & M;
    }
    const p0 = 0xd2511f53n * x0,
      p1 = 0xcd9e8d57n * x2;
    [x0, x1, x2, x3] = [((p1 >> 32n) ^ x1 ^ k0) & M, p1 & M, ((p0 >> 32n) ^ x3 ^ k1) & M, p0 & M];
  }
  return [x0, x1, x2, x3].map(Number);
}

/** Deterministic test words (xorshift32). */
function words(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

describe("fast Philox", () => {
  it("philox4x32_10 equals the BigInt definition on random and extreme counters and keys", () => {
    const next = words(12345);
    const cases: number[][] = [
      [0, 0, 0, 0, 0, 0],
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
      [0x80000000, 0x7fffffff, 1, 0xffff, 0x10000, 0xffff0000],
    ];
    for (let t = 0; t < 3000; t++) cases.push([next(), next(), next(), next(), next(), next()]);
    for (const c of cases)
      expect(Array.from(philox4x32_10(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!))).toEqual(
        slowPhilox(c.slice(0, 4), c.slice(4)),
      );
  });

  it("uniform01/normal use counter (index mod 2^32, floor(index / 2^32), stream, 0) up to 2^53", () => {
    const next = words(99);
    for (let t = 0; t < 300; t++) {
      const index = (next() % 2 ** 21) * 2 ** 32 + next(); // up to 2^53
      const seed = next(),
        stream = next();
      const w = slowPhilox([index % 2 ** 32, Math.floor(index / 2 ** 32), stream, 0], [seed, 0]);
      expect(uniform01(seed, stream, index)).toBe(w[0]! * 2 ** -32);
      const u1 = (w[0]! + 1) * 2 ** -32,
        u2 = w[1]! * 2 ** -32;
      expect(normal(seed, stream, index)).toBe(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
  });
});

describe("batched draws", () => {
  // first indices: small, crossing 2^32 inside a batch and inside a 4-lane block, near 2^43 and 2^53
  const firsts = [0, 7, 2 ** 32 - 5, 2 ** 32 - 2, 3 * 2 ** 32 + 1, 2 ** 43 - 3, 2 ** 53 - 200];
  for (const kind of ["uniform01", "normal"] as const) {
    it(`fillDraws(${kind}) equals the scalar draws, with and without the runtime`, () => {
      const one = kind === "uniform01" ? uniform01 : normal;
      for (const runtime of [true, false]) {
        useRuntimeDraws(runtime);
        for (const first of firsts) {
          const out = new Float64Array(103);
          fillDraws(kind, 0xdeadbeef, 0x9e3779b9, first, out);
          for (let k = 0; k < out.length; k++) expect(out[k]).toBe(one(0xdeadbeef, 0x9e3779b9, first + k));
        }
      }
    });
  }

  it("fills more than one runtime chunk and hands out views", () => {
    const big = new Float64Array(MAX_VIEW + 37);
    fillDraws("uniform01", 3, 4, 2 ** 32 - MAX_VIEW, big);
    for (const k of [0, 1, MAX_VIEW - 1, MAX_VIEW, MAX_VIEW + 36])
      expect(big[k]).toBe(uniform01(3, 4, 2 ** 32 - MAX_VIEW + k));
    const view = drawsView("uniform01", 5, 6, 17 * ROW_STRIDE, 9);
    for (let k = 0; k < 9; k++) expect(view[k]).toBe(uniform01(5, 6, 17 * ROW_STRIDE + k));
  });
});

// ---- connectivity: the straightforward algorithm (one scalar draw at a time, number[] pairs)
function slowConnectivity(
  proj: IRProjection,
  prePop: number,
  postPop: number,
  seed: number,
): { pre: number[]; post: number[] } {
  const { pre, post, rule } = proj;
  const noSelf = pre.population === post.population && !proj.allowSelf;
  const stream = streams.conn(proj.name);
  const nPre = pre.end - pre.start,
    nPost = post.end - post.start;
  const ps: number[] = [],
    qs: number[] = [];
  const choose = (k: number, start: number, count: number, exclude: number, element: number): number[] => {
    const list: number[] = [];
    for (let x = start; x < start + count; x++) if (x !== exclude) list.push(x);
    for (let m = 0; m < k; m++) {
      const rr = m + Math.floor(uniform01(seed, stream, element * ROW_STRIDE + m) * (list.length - m));
      [list[m], list[rr]] = [list[rr]!, list[m]!];
    }
    return list.slice(0, k);
  };
  if (rule.k === "fixed_probability") {
    const lq = Math.log(1 - rule.p);
    for (let i = pre.start; i < pre.end; i++) {
      let x = -1;
      for (let m = 0; ; m++) {
        x += rule.p >= 1 ? 1 : 1 + Math.floor(Math.log(1 - uniform01(seed, stream, i * ROW_STRIDE + m)) / lq);
        if (x >= nPost) break;
        if (!(noSelf && i === post.start + x)) {
          ps.push(i);
          qs.push(post.start + x);
        }
      }
    }
  } else if (rule.k === "fixed_outdegree") {
    for (let i = pre.start; i < pre.end; i++)
      for (const j of choose(rule.n, post.start, nPost, noSelf ? i : -1, i).sort((x, y) => x - y)) {
        ps.push(i);
        qs.push(j);
      }
  } else if (rule.k === "fixed_indegree") {
    const rows: number[][] = Array.from({ length: prePop }, () => []);
    for (let j = post.start; j < post.end; j++)
      for (const i of choose(rule.n, pre.start, nPre, noSelf ? j : -1, j)) rows[i]!.push(j);
    rows.forEach((row, i) => {
      for (const j of row) {
        ps.push(i);
        qs.push(j);
      }
    });
  }
  void postPop;
  return { pre: ps, post: qs };
}

/** Index of the first difference of two integer sequences (length included), or -1 (cheap on 10^5 elements). */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const m = Math.min(a.length, b.length);
  for (let k = 0; k < m; k++) if (a[k] !== b[k]) return k;
  return a.length === b.length ? -1 : m;
}

function expectCsrOf(c: Csr, want: { pre: number[]; post: number[] }, postPop: number): void {
  expect(c.n).toBe(want.pre.length);
  expect(firstDiff(c.pre, want.pre)).toBe(-1);
  expect(firstDiff(c.post, want.post)).toBe(-1);
  const rowOf: number[] = [];
  for (let p = 0; p + 1 < c.rowStart.length; p++)
    for (let s = c.rowStart[p]!; s < c.rowStart[p + 1]!; s++) rowOf.push(p);
  expect(firstDiff(rowOf, want.pre)).toBe(-1);
  expect(c.postStart.length).toBe(postPop + 1);
  const bySlow = want.post.map((_, s) => s).sort((x, y) => want.post[x]! - want.post[y]! || x - y);
  expect(firstDiff(c.postSyn, bySlow)).toBe(-1);
}

describe("fast connectivity equals the straightforward algorithm", () => {
  const cases: [string, ConnectRule, [string, number, number, number], [string, number, number, number], boolean][] = [
    // [label, rule, [pre pop, size, start, end], [post pop, size, start, end], allowSelf]
    ["sparse, no self", { k: "fixed_probability", p: 0.02 }, ["a", 400, 0, 400], ["a", 400, 0, 400], false],
    ["dense rows refill their batch", { k: "fixed_probability", p: 0.6 }, ["a", 120, 0, 120], ["a", 300, 0, 300], true],
    [
      "rows longer than one batch (MAX_VIEW draws)",
      { k: "fixed_probability", p: 0.99 },
      ["a", 3, 0, 3],
      ["b", 70000, 0, 70000],
      false,
    ],
    [
      "very sparse (<1 per row)",
      { k: "fixed_probability", p: 0.0007 },
      ["a", 900, 0, 900],
      ["b", 1000, 0, 1000],
      false,
    ],
    ["slices, self dropped", { k: "fixed_probability", p: 0.1 }, ["a", 200, 50, 180], ["a", 200, 20, 160], false],
    ["p = 1", { k: "fixed_probability", p: 1 }, ["a", 30, 0, 30], ["a", 30, 0, 30], false],
    ["outdegree", { k: "fixed_outdegree", n: 9 }, ["a", 60, 0, 60], ["a", 60, 0, 60], false],
    ["indegree over slices", { k: "fixed_indegree", n: 6 }, ["a", 80, 10, 70], ["b", 50, 5, 45], false],
  ];
  for (const [label, rule, pre, post, allowSelf] of cases) {
    for (const runtime of [true, false]) {
      it(`${label} (${runtime ? "runtime" : "JS"} draws)`, () => {
        useRuntimeDraws(runtime);
        const proj: IRProjection = {
          ...projection("pq", [pre[0], pre[1]], [post[0], post[1]]),
          rule,
          allowSelf,
          pre: { population: pre[0], start: pre[2], end: pre[3] },
          post: { population: post[0], start: post[2], end: post[3] },
        };
        for (const seed of [1, 0xfffffffe])
          expectCsrOf(
            buildConnectivity(proj, pre[1], post[1], seed),
            slowConnectivity(proj, pre[1], post[1], seed),
            post[1],
          );
      });
    }
  }
});

describe("initial values and delays: fast paths equal per-element evaluation", () => {
  const pre = initGroup(
    group("a", 50, { state: [v("x", { k: "dist", dist: "normal", args: [n(1), n(0.5)], scale: 1 })] }),
    3,
    1e-4,
  );
  const proj = (delay: IRInit, params: IRInit[]): IRProjection => ({
    ...projection("w", ["a", 50], ["a", 50], { rule: { k: "fixed_probability", p: 0.3 }, delay }),
    params: params.map((init, k) => v(`p${k}`, init, true)),
  });
  const inits: IRInit[] = [
    { k: "expr", e: n(2.5) },
    { k: "dist", dist: "uniform", args: [n(-1), n(3)], scale: 1 },
    { k: "dist", dist: "normal", args: [n(0.2), n(0.05)], scale: 2 },
    { k: "dist", dist: "lognormal", args: [n(-1), n(0.3)], scale: 1e-3 },
    { k: "dist", dist: "normal", args: [r("pre", "x"), n(0.1)], scale: 1 }, // varies: the per-synapse path
    { k: "expr", e: b("*", r("index", "j"), n(0.5)) },
  ];
  for (const runtime of [true, false]) {
    it(`per-synapse values (${runtime ? "runtime" : "JS"} draws)`, () => {
      useRuntimeDraws(runtime);
      const p = proj({ k: "expr", e: n(3) }, inits);
      const csr = buildConnectivity(p, 50, 50, 7);
      const vals = initSynapses(p, csr, pre, pre, 7, 1e-4);
      inits.forEach((init, k) => {
        const got = vals.params.get(`p${k}`) as Float64Array;
        expect(got.length).toBe(csr.n);
        for (let s = 0; s < csr.n; s++) {
          const look = (ref: { space: string; name: string }): number | undefined =>
            ref.space === "pre"
              ? pre.state.get(ref.name)![csr.pre[s]!]
              : ref.space === "index"
                ? ref.name === "i"
                  ? csr.pre[s]
                  : csr.post[s]
                : undefined;
          const want =
            init.k === "table"
              ? init.values[s]!
              : init.k === "expr"
                ? evalExpr(init.e, look)
                : sampleDist(
                    init.dist,
                    init.args.map((a) => evalExpr(a, look)),
                    7,
                    streams.weight("w", `p${k}`),
                    s,
                  ) * init.scale;
          expect(got[s]).toBe(want);
        }
      });
    });

    it(`delays: constant, drawn and per-synapse (${runtime ? "runtime" : "JS"} draws)`, () => {
      useRuntimeDraws(runtime);
      const delays: [IRInit, (s: number, csr: Csr) => number][] = [
        [{ k: "expr", e: n(2.5) }, () => 3], // Math.round(2.5) = 3
        [{ k: "expr", e: n(-4) }, () => 0],
        [
          { k: "dist", dist: "uniform", args: [n(0), n(7)], scale: 1 },
          (s) => Math.round(sampleDist("uniform", [0, 7], 5, streams.delay("w"), s)),
        ],
        [
          { k: "dist", dist: "normal", args: [n(4), n(2)], scale: 1 },
          (s) => Math.max(0, Math.round(sampleDist("normal", [4, 2], 5, streams.delay("w"), s))),
        ],
        [{ k: "expr", e: r("index", "j") }, (s, csr) => csr.post[s]!],
      ];
      for (const [delay, want] of delays) {
        const p = proj(delay, []);
        const csr = buildConnectivity(p, 50, 50, 5);
        const d = initDelays(p, csr, initSynapses(p, csr, pre, pre, 5, 1e-4), pre, pre, 5, 1e-4);
        expect(d.length).toBe(csr.n);
        for (let s = 0; s < csr.n; s++) expect(d[s]).toBe(want(s, csr));
      }
    });
  }

  it("a non-finite constant delay is an error only when there are synapses", () => {
    const bad = proj({ k: "expr", e: b("/", n(1), n(0)) }, []);
    const csr = buildConnectivity(bad, 50, 50, 5);
    expect(csr.n).toBeGreaterThan(0);
    expect(() => initDelays(bad, csr, initSynapses(bad, csr, pre, pre, 5, 1e-4), pre, pre, 5, 1e-4)).toThrow(/finite/);
    const none = { ...bad, rule: { k: "fixed_probability", p: 0 } } as IRProjection;
    const empty = buildConnectivity(none, 50, 50, 5);
    expect(initDelays(none, empty, initSynapses(none, empty, pre, pre, 5, 1e-4), pre, pre, 5, 1e-4).length).toBe(0);
  });
});
