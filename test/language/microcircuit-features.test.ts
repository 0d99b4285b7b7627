// The language features the cortical microcircuit needs (issue 15): network constants (`let`), the
// fixed_total_number rule and truncated_normal draws. Values from the real construction, invalid uses with
// exact codes and spans.
import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProjection } from "../../compiler/ir/nodes.js";
import { buildConnectivity } from "../../targets/network/connectivity.js";
import { initSynapses, initDelays } from "../../targets/network/init.js";
import { normal, streams } from "../../targets/network/rng.js";
import { memoryHost } from "../helpers/dir-host.js";
import { brief, check, errors } from "../check/helpers.js";

const MODELS = `
neuron Cell {
  parameters { tau: ms = 10 ms }
  state { v: mV = 0 mV; I: pA = 0 pA }
  equations { v' = -v / tau + I / 250 pF; I' = -I / 0.5 ms }
  spike when v > 15 mV { v = 0 mV }
}
synapse PSC {
  parameters { w: pA }
  on pre { post.I += w }
}
`;

function build(net: string): { ir: NonNullable<ReturnType<typeof compile>["ir"]>; diags: string[] } {
  const r = compile("m.glia", memoryHost({ "m.glia": MODELS + net }));
  return { ir: r.ir!, diags: r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code) };
}

describe("network constants (let)", () => {
  test("are substituted into sizes, arguments, rule arguments and delays; later lets read earlier ones", () => {
    const { ir, diags } = build(`
network Net {
  let scale = 0.5
  let n = floor(40 * scale)
  let w0 = 87.8 pA / sqrt(scale)
  population a = Cell[n]
  population b = Cell[2 * n]
  connect a -> b with PSC(w = w0) onto I fixed_total_number(floor(100 * scale)) delay = 1 ms * scale
  run 10 ms
}`);
    expect(diags).toEqual([]);
    expect(ir.groups.map((g) => [g.name, g.size])).toEqual([
      ["a", 20],
      ["b", 40],
    ]);
    const p = ir.projections[0]!;
    expect(p.rule).toEqual({ k: "fixed_total_number", n: 50 });
  });

  test("errors: unit or built-in names (E0205), a second let (E0202), use before the let (E0201)", () => {
    const src = `${MODELS}
network Net {
  let ms = 2
  let N = 3
  let k = 1
  let k = 2
  population a = Cell[m]
  let m = 4
  run 10 ms
}`;
    const c = check(src);
    expect(brief(errors([...c.parseErrors, ...c.diagnostics])).map((s) => s.split(" ").slice(0, 2).join(" "))).toEqual([
      "E0205 14:7-14:8",
      "E0205 15:7-15:7",
      "E0202 17:7-17:7",
      "E0201 18:23-18:23",
    ]);
  });

  test("a constant that would inline past the size limits is E0417", () => {
    const lets = ["let a0 = 1"];
    for (let k = 1; k <= 24; k++) lets.push(`let a${k} = a${k - 1} + a${k - 1}`);
    const c = check(`${MODELS}\nnetwork Net {\n${lets.join("\n")}\npopulation p = Cell[1]\nrun 1 ms\n}`);
    const codes = errors([...c.parseErrors, ...c.diagnostics]).map((d) => d.code);
    expect(codes[0]).toBe("E0417");
  });
});

describe("fixed_total_number", () => {
  const proj = (n: number, allowSelf: boolean, same = false): IRProjection => {
    const { ir } = build(`
network Net {
  population a = Cell[30]
  population b = Cell[17]
  connect a -> ${same ? "a" : "b"} with PSC(w = 1 pA) onto I fixed_total_number(${n})${allowSelf ? " allow_self" : ""}
  run 1 ms
}`);
    return ir.projections[0]!;
  };

  test("exactly n synapses in CSR order, pre and post uniform, multapses kept", () => {
    const c = buildConnectivity(proj(20000, false), 30, 17, 3);
    expect(c.n).toBe(20000);
    let unordered = 0;
    for (let s = 1; s < c.n; s++)
      if (!(c.pre[s - 1]! < c.pre[s]! || (c.pre[s - 1] === c.pre[s] && c.post[s - 1]! <= c.post[s]!))) unordered++;
    expect(unordered).toBe(0);
    const perPre = new Array(30).fill(0);
    const perPost = new Array(17).fill(0);
    let repeats = 0;
    for (let s = 0; s < c.n; s++) {
      perPre[c.pre[s]!]++;
      perPost[c.post[s]!]++;
      if (s > 0 && c.pre[s] === c.pre[s - 1] && c.post[s] === c.post[s - 1]) repeats++;
    }
    // binomial counts: mean n/30 (sd ~25) and n/17 (sd ~33); 6 sd bounds
    for (const x of perPre) expect(Math.abs(x - 20000 / 30)).toBeLessThan(6 * 25);
    for (const x of perPost) expect(Math.abs(x - 20000 / 17)).toBeLessThan(6 * 33);
    expect(repeats).toBeGreaterThan(0); // 510 pairs for 20,000 synapses: multapses
    let misplaced = 0;
    for (let p = 0; p < 30; p++)
      for (let s = c.rowStart[p]!; s < c.rowStart[p + 1]!; s++) if (c.pre[s] !== p) misplaced++;
    expect(misplaced).toBe(0);
    // deterministic
    expect(Array.from(buildConnectivity(proj(20000, false), 30, 17, 3).post)).toEqual(Array.from(c.post));
  });

  test("within one population: no self-connection unless allow_self", () => {
    const c = buildConnectivity(proj(5000, false, true), 30, 30, 1);
    expect(c.n).toBe(5000);
    let self = 0;
    for (let s = 0; s < c.n; s++) if (c.pre[s] === c.post[s]) self++;
    expect(self).toBe(0);
    const selfAllowed = buildConnectivity(proj(5000, true, true), 30, 30, 1);
    let selfs = 0;
    for (let s = 0; s < selfAllowed.n; s++) if (selfAllowed.pre[s] === selfAllowed.post[s]) selfs++;
    expect(selfs).toBeGreaterThan(0); // 5000 / 30 expected
  });

  test("a count that is not a non-negative integer is E0502 at the count", () => {
    const c = check(`${MODELS}
network Net {
  population a = Cell[3]
  connect a -> a with PSC(w = 1 pA) onto I fixed_total_number(2.5)
  run 1 ms
}`);
    expect(brief(errors(c.diagnostics))).toEqual([
      "E0502 15:63-15:65 the total number of synapses must be an integer in [0, 2^31), not 2.5",
    ]);
  });
});

describe("truncated_normal", () => {
  const net = (w: string, delay: string): IRProjection =>
    build(`
network Net {
  dt = 0.1 ms
  seed = 9
  population a = Cell[200]
  connect a -> a with PSC(w = ${w}) onto I fixed_total_number(20000) delay = ${delay}
  run 1 ms
}`).ir.projections[0]!;

  test("every draw lies in [lo, hi]; a draw already inside is normal's draw; bounds follow a negative factor", () => {
    const p = net(
      "-4 * truncated_normal(87.8 pA, 70 pA, 0 pA, 1 nA)",
      "truncated_normal(1.5 ms, 0.75 ms, 0.1 ms, 100 ms)",
    );
    // -4 * w: the mean -351.2 pA, sd 280 pA, bounds swapped to [-4 nA, 0]
    expect(p.params.find((v) => v.name === "w")!.init).toMatchObject({ k: "dist", dist: "truncated_normal" });
    const csr = buildConnectivity(p, 200, 200, 9);
    const values = initSynapses(p, csr, undefined, undefined, 9, 1e-4);
    const w = values.params.get("w") as Float64Array;
    const stream = streams.weight(p.name, "w");
    let inside = 0,
      outOfBounds = 0,
      notFirst = 0;
    for (let s = 0; s < csr.n; s++) {
      if (!(w[s]! <= 0 && w[s]! >= -4e-9)) outOfBounds++;
      const first = -351.2e-12 + 280e-12 * normal(9, stream, s);
      if (first <= 0) {
        inside++;
        if (Math.abs(w[s]! - first) > 1e-24) notFirst++;
      }
    }
    expect([outOfBounds, notFirst]).toEqual([0, 0]);
    expect(inside).toBeGreaterThan(0.85 * csr.n); // P(first draw negative) = P(z < 1.254) = 0.895
    const delays = initDelays(p, csr, values, undefined, undefined, 9, 1e-4);
    let short = 0,
      zero = 0;
    for (let s = 0; s < csr.n; s++) {
      if (delays[s]! < 1) zero++; // redrawn below dt: at least one step
      if (delays[s] === 1) short++;
    }
    expect(zero).toBe(0);
    expect(short).toBeGreaterThan(0);
  });

  test("bounds that exclude every draw stop the run with a message naming them", () => {
    const p = net("truncated_normal(1 pA, 1 pA, 100 pA, 200 pA)", "1 ms");
    const csr = buildConnectivity(p, 200, 200, 9);
    expect(() => initSynapses(p, csr, undefined, undefined, 9, 1e-4)).toThrow(/no draw within the bounds/);
  });

  test("four arguments of one dimension (E0208, E0301)", () => {
    const c = check(`${MODELS}
network Net {
  population a = Cell[3]
  connect a -> a with PSC(w = truncated_normal(1 pA, 1 pA, 0 pA)) onto I all_to_all
  connect a -> a with PSC(w = truncated_normal(1 pA, 1 pA, 0 pA, 2 ms)) onto I all_to_all
  run 1 ms
}`);
    expect(errors(c.diagnostics).map((d) => d.code)).toEqual(["E0208", "E0301"]);
  });
});
