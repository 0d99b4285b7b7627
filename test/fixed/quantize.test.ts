// The quantize pass and the bit-exact executor on hand-built discrete IR: a pure-decay neuron and a
// CUBA-like neuron against hand-computed integer sequences, saturate vs wrap, formats, the printer, the
// quantization report and what has no fixed-point form.
import { describe, expect, it } from "@jest/globals";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { execute } from "../../targets/fixed/executor.js";
import { DEFAULT_FIXED_SPEC } from "../../targets/fixed/index.js";
import type { FixedSpec } from "../../targets/fixed/ir.js";
import { printFixedIR, printReport } from "../../targets/fixed/print.js";
import { qfmt } from "../../targets/fixed/qformat.js";
import { quantize, type QuantizeOptions } from "../../targets/fixed/quantize.js";
import { b, group, n, program, projection, r, set, v } from "../reference/ir-helpers.js";

const SPEC: FixedSpec = { ...DEFAULT_FIXED_SPEC, name: "test-16" };
const watch = (pop: string, variable: string) => ({
  k: "state" as const,
  variable,
  target: { population: pop, start: 0, end: 1 },
  everySteps: 1,
});

function q(p: IRProgram, opts: Partial<QuantizeOptions> = {}) {
  const out = quantize(p, { spec: SPEC, ...opts });
  expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return out;
}

/** Raw words of a recorded trace (value * 2^fracBits). */
const raws = (values: Float64Array[], frac: number): number[] => values.map((row) => row[0]! * 2 ** frac);

describe("quantize: pure-decay neuron", () => {
  const decay = group("d", 1, { state: [v("x", 0.75)], update: [set("state", "x", b("*", n(0.9), r("state", "x")))] });
  const prog = program({ steps: 9, groups: [decay], monitors: [watch("d", "x")] });

  it("bounds x statically and multiplies by an integer decay with a shift", () => {
    const out = q(prog);
    const x = out.program!.groups[0]!.vars[0]!;
    // x0 = 0.75 and x' = 0.9 x: static range [0, 0.75] -> unsigned, 0 integer bits: UQ0.16
    expect(x.source).toBe("static");
    expect(x.fmt).toEqual(qfmt(false, 0, 16));
    expect(x.range).toEqual({ lo: 0, hi: 0.75 });
    // 0.9 -> m = round(0.9 * 2^16) = 58982 in a 16-bit multiplier; product UQ0.32, then >> 16 to x
    expect(printFixedIR(out.program!)).toContain("x = ((x * #58982)@UQ0.32s >> 16 rne)@UQ0.16s");
    expect(out.diagnostics).toEqual([]); // no profiling warning: the bound is static
  });

  it("runs the hand-computed integer sequence", () => {
    // x0 = 0.75 * 2^16 = 49152
    // x1 = rne(49152 * 58982 / 2^16) = rne(44236.5) = 44236 (tie -> even)
    // x2 = rne(44236 * 58982 / 2^16) = rne(39812.13) = 39812, and so on
    const res = execute(q(prog).program!).result;
    expect(raws(res.traces[0]!.values, 16)).toEqual([49152, 44236, 39812, 35831, 32248, 29023, 26121, 23509, 21158]);
  });

  it("truncation gives a different, also hand-checkable sequence", () => {
    // x1 = trunc(44236.5) = 44236; x2 = trunc(39812.13) = 39812; x3 = trunc(39812 * 58982 / 2^16 = 35830.56) = 35830
    // (nearest-even gave 35831 at x3)
    const res = execute(quantize(prog, { spec: { ...SPEC, rounding: "trunc" } }).program!).result;
    expect(raws(res.traces[0]!.values, 16).slice(0, 4)).toEqual([49152, 44236, 39812, 35830]);
  });
});

describe("quantize: CUBA-like neuron", () => {
  // v' = 0.875 v + 0.125 ge, ge' = 0.75 ge (both read the old state); spike source at steps 0 and 3
  // adds 0.25 to ge; spike when v > 0.5 (not reached). Formats fixed: v, ge in Q1.14.
  const neuron = group("n", 1, {
    state: [v("v", 0), v("ge", 0)],
    update: [
      set("state", "v", b("+", b("*", n(0.875), r("state", "v")), b("*", n(0.125), r("state", "ge")))),
      set("state", "ge", b("*", n(0.75), r("state", "ge"))),
    ],
    threshold: b(">", r("state", "v"), n(0.5)),
    reset: [set("state", "v", n(0))],
  });
  const src = { name: "src", k: "spike_times" as const, size: 1, times: [0, 3e-4], indices: [0, 0] };
  const syn = projection("s", ["src", 1], ["n", 1], { onPre: [set("post", "ge", b("+", r("post", "ge"), n(0.25)))] });
  const prog = program({
    steps: 9,
    groups: [neuron],
    sources: [src],
    projections: [syn],
    monitors: [watch("n", "v"), watch("n", "ge")],
  });
  const formats = { "n.v": qfmt(true, 1, 14), "n.ge": qfmt(true, 1, 14) };

  it("lowers to integer multipliers, aligned sums and an exact threshold compare", () => {
    const text = printFixedIR(q(prog, { formats }).program!);
    // 0.875 -> 57344 (UQ0.16), 0.125 -> 32768 (UQ-2.18); products Q1.30 and, summed in Q2.29
    expect(text).toContain(
      "v = ((((v * #57344)@Q1.30s >> 1 rne)@Q2.29s + ((ge * #32768)@Q-1.32s >> 3 rne)@Q2.29s)@Q2.29s >> 15 rne)@Q1.14s",
    );
    expect(text).toContain("ge = ((ge * #49152)@Q1.30s >> 16 rne)@Q1.14s");
    expect(text).toContain("spike when v > #8192"); // 0.5 * 2^14
    expect(text).toContain("post.ge = (((post.ge << 15)@Q2.29s + #134217728)@Q2.29s >> 15 rne)@Q1.14s");
  });

  it("matches the hand-computed integer sequence (raw words, 2^-14 units)", () => {
    // row k = state at the start of step k
    // step 0: v = 0, ge = 0; on pre: ge = 0 + 0.25 -> 4096
    // step 1: v = 0.125 * 4096 = 512; ge = 0.75 * 4096 = 3072
    // step 2: v = 0.875*512 + 0.125*3072 = 448 + 384 = 832; ge = 2304
    // step 3: v = 728 + 288 = 1016; ge = 1728, + 4096 (spike at step 3) = 5824
    // step 4: v = 889 + 728 = 1617; ge = 4368
    // step 5: v = 1414.875 + 546 = 1960.875 -> 1961; ge = 3276
    // step 6: v = 1715.875 + 409.5 = 2125.375 -> 2125; ge = 2457
    // step 7: v = 1859.375 + 307.125 = 2166.5 -> 2166 (tie to even); ge = 1842.75 -> 1843
    const res = execute(q(prog, { formats }).program!).result;
    expect(raws(res.traces[0]!.values, 14)).toEqual([0, 0, 512, 832, 1016, 1617, 1961, 2125, 2166]);
    expect(raws(res.traces[1]!.values, 14)).toEqual([0, 4096, 3072, 2304, 5824, 4368, 3276, 2457, 1843]);
    // nearest-away rounds the tie 2166.5 up
    const away = execute(quantize(prog, { spec: { ...SPEC, rounding: "nearest-away" }, formats }).program!).result;
    expect(raws(away.traces[0]!.values, 14)[8]).toBe(2167);
  });

  it("profiles ranges it cannot bound statically and reports each variable", () => {
    const out = quantize(prog, { spec: SPEC });
    // ge is written by synapses: no static bound -> profiled, warned; v depends on ge: one W1005, a table of both
    expect(out.diagnostics.map((d) => d.code)).toEqual(["W1005"]);
    const table = out.diagnostics[0]!.message.split("\n");
    expect(table[0]).toMatch(/^2 variables take their fixed-point formats from a \d+-step profiling run/);
    expect(
      table
        .slice(2)
        .map((l) => l.trim().split(/ +/)[0])
        .sort(),
    ).toEqual(["n.ge", "n.v"].sort());
    const ge = out.report.find((x) => x.variable === "ge")!;
    expect(ge.source).toBe("profile");
    expect(ge.profiledRange).toEqual({ lo: 0, hi: 0.25 + 0.75 ** 3 * 0.25 });
    expect(ge.saturations).toBe(0);
    expect(ge.maxAbsError!).toBeLessThanOrEqual(ge.ulp / 2);
    expect(printReport(out.report)).toMatch(/^variable +format +source/);
  });
});

describe("saturate and wrap", () => {
  // x = x + 0.3 in UQ0.8 (0 .. 255/256): +0.3 is 76.8 raw units, rounded per step to +77
  const acc = group("g", 1, { state: [v("x", 0)], update: [set("state", "x", b("+", r("state", "x"), n(0.3)))] });
  const prog = program({ steps: 8, groups: [acc], monitors: [watch("g", "x")] });
  const formats = { "g.x": qfmt(false, 0, 8) };

  it("saturates at the top of the format and counts it", () => {
    const out = execute(q(prog, { formats }).program!);
    expect(raws(out.result.traces[0]!.values, 8)).toEqual([0, 77, 154, 231, 255, 255, 255, 255]);
    expect(out.overflows["g.x"]).toBe(5); // the updates of steps 3..7 overflowed (step 7's result is not recorded)
  });

  it("wraps modulo 2^8 when the spec says wrap", () => {
    const out = execute(quantize(prog, { spec: { ...SPEC, overflow: "wrap" }, formats }).program!);
    // 231 + 77 = 308 -> 52; 129; 206; 283 -> 27
    expect(raws(out.result.traces[0]!.values, 8)).toEqual([0, 77, 154, 231, 52, 129, 206, 27]);
  });
});

describe("what has no fixed-point form", () => {
  it("reports E0802 for exp() of an unbounded argument, division by a value whose range holds 0, and unbounded modulators", () => {
    const g = group("g", 1, {
      state: [v("x", 0.5), v("y", 1)],
      update: [set("state", "x", { k: "call", fn: "exp", args: [r("state", "x")] })],
    });
    const out = quantize(program({ groups: [g] }), { spec: SPEC, profileSteps: 0 });
    expect(out.program).toBeUndefined();
    expect(out.diagnostics.map((d) => d.code)).toContain("E0802");
    const h = group("h", 1, {
      state: [v("x", 0.5), v("y", 0)],
      update: [set("state", "x", b("/", r("state", "x"), r("state", "y")))],
    });
    expect(
      quantize(program({ groups: [h] }), { spec: SPEC }).diagnostics.some(
        (d) => d.code === "E0802" && /division by `y`, whose range .* includes 0/.test(d.message),
      ),
    ).toBe(true);
    // a modulator is a broadcast word: bounded (here t-only, so every value is known) it lowers; unbounded it is refused
    const m = quantize(program({ groups: [], modulators: [{ name: "m", dim: "1", expr: n(1) }] }), { spec: SPEC });
    expect(m.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(m.program!.modulators!.map((x) => [x.name, x.source, x.range])).toEqual([
      ["m", "enumerated", { lo: 1, hi: 1 }],
    ]);
    const unbounded = quantize(
      program({
        groups: [],
        modulators: [
          {
            name: "u",
            dim: "1",
            expr: { k: "call", fn: "exp", args: [{ k: "ref", ref: { space: "popmean", name: "nowhere.v" } }] },
          },
        ],
      }),
      { spec: SPEC },
    );
    expect(
      unbounded.diagnostics.some((d) => d.code === "E0802" && /modulator u has no finite range/.test(d.message)),
    ).toBe(true);
  });

  it("rejects a spec with a word wider than 32 bits", () => {
    const out = quantize(program({ groups: [] }), { spec: { ...SPEC, accBits: 40 } });
    expect(out.diagnostics[0]!.message).toMatch(/accBits = 40/);
  });
});
