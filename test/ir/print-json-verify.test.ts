// Tests for the IR printer (precedence, determinism), JSON round trip and the verifier.
import { describe, expect, test } from "@jest/globals";
import type { IRExpr, IRProgram } from "../../compiler/ir/nodes.js";
import { add, bin, call, div, mul, neg, num, ref, sel, sub } from "../../compiler/ir/expr.js";
import { printExpr, printIR } from "../../compiler/ir/print.js";
import { irFromJson, irToJson } from "../../compiler/ir/json.js";
import { verifyIR } from "../../compiler/ir/verify.js";
import { applyPass, group, program, projection, scalar } from "./helpers.js";

const x = ref("state", "x");
const y = ref("state", "y");
const z = ref("state", "z");

describe("printExpr", () => {
  test.each<[IRExpr, string]>([
    [add(x, mul(y, z)), "x + y * z"],
    [mul(add(x, y), z), "(x + y) * z"],
    [sub(x, sub(y, z)), "x - (y - z)"],
    [sub(sub(x, y), z), "x - y - z"],
    [div(x, mul(y, z)), "x / (y * z)"],
    [neg(add(x, y)), "-(x + y)"],
    [neg(neg(x)), "-(-x)"],
    [bin("pow", neg(x), num(2)), "(-x) ^ 2"],
    [neg(bin("pow", x, num(2))), "-x ^ 2"],
    [bin("pow", x, bin("pow", y, z)), "x ^ y ^ z"],
    [bin("pow", bin("pow", x, y), z), "(x ^ y) ^ z"],
    [sel(bin(">", x, y), x, sel(bin("<", x, z), y, z)), "x > y ? x : x < z ? y : z"],
    [mul(sel(bin(">", x, y), x, y), num(2)), "(x > y ? x : y) * 2"],
    [
      bin("and", bin("or", bin(">", x, y), bin("<", x, z)), { k: "not", a: bin("==", x, y) }),
      "(x > y or x < z) and not x == y",
    ],
    [mul(num(-0.5), x), "-0.5 * x"],
    [call("clip", x, num(0), ref("flag", "refractory")), "clip(x, 0, flag.refractory)"],
    [add(ref("pre", "v"), add(ref("poprate", "exc"), ref("popmean", "exc.v"))), "pre.v + (rate(exc) + mean(exc.v))"],
  ])("%#: %s", (e, want) => expect(printExpr(e)).toBe(want));

  test("numbers print in shortest round-trip form", () => {
    expect(printExpr(num(0.1 + 0.2))).toBe("0.30000000000000004");
    expect(printExpr(num(1e-12))).toBe("1e-12");
    expect(Number(printExpr(num(0.9950124791926823)))).toBe(0.9950124791926823);
  });
});

function sample(): IRProgram {
  const g = group({
    name: "n",
    size: 4,
    params: [
      scalar("tau", 0.02, "s"),
      {
        name: "h",
        dim: "V",
        init: { k: "dist", dist: "lognormal", args: [num(0), num(0.3)], scale: 0.02 },
        perElement: true,
      },
    ],
    state: [{ name: "v", dim: "V", init: { k: "expr", e: num(-0) }, perElement: false }],
    odes: [{ name: "v", rhs: div(neg(ref("state", "v")), ref("param", "tau")) }],
    threshold: bin(">", ref("state", "v"), num(1)),
    reset: [{ k: "assign", target: { space: "state", name: "v" }, value: num(0) }],
    refractory: { steps: 3, clamp: ["v"] },
  });
  return program({
    groups: [g],
    sources: [{ name: "src", k: "spike_times", size: 2, times: [0.001, 0.002], indices: [0, 1] }],
    projections: [
      projection({
        name: "p",
        pre: "src",
        post: "n",
        onPre: [{ k: "assign", target: { space: "post", name: "v" }, value: add(ref("post", "v"), num(1e-3)) }],
      }),
    ],
    monitors: [{ k: "state", variable: "v", target: { population: "n", start: 0, end: 2 }, everySteps: 10 }],
  });
}

describe("printIR", () => {
  test("deterministic and complete", () => {
    const text = printIR(sample());
    expect(printIR(sample())).toBe(text);
    expect(text).toContain("neuron group n = N[4]");
    expect(text).toContain("param h: V = lognormal(0, 0.3) * 0.02  (per element)");
    expect(text).toContain("v' = -v / tau");
    expect(text).toContain("projection p = src[0:1] -> n[0:1] with S all_to_all delay 0 steps");
    expect(text).toContain("record v of n[0:2] every 10 steps");
    const solved = printIR(applyPass("solve-odes", sample()));
    expect(solved).toContain("methods v: exact");
    expect(solved).toContain("v = flag.refractory ? v : v__new");
  });
});

describe("JSON", () => {
  test("round trip is exact (including -0) and the text is stable", () => {
    const p = applyPass("solve-odes", sample());
    const text = irToJson(p);
    expect(text.startsWith('{"glia_ir":1,')).toBe(true);
    const back = irFromJson(text);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.program).toEqual(p);
    expect(Object.is((back.program.groups[0]!.state[0]!.init as { e: { v: number } }).e.v, -0)).toBe(true);
    expect(irToJson(back.program)).toBe(text);
  });

  test("other versions and malformed input are rejected with a message, not a throw", () => {
    const r1 = irFromJson(JSON.stringify({ glia_ir: 2, program: {} }));
    expect(r1).toEqual({ ok: false, error: expect.stringContaining("unsupported glia IR version 2") });
    expect(irFromJson("{not json").ok).toBe(false);
    expect(irFromJson("[]").ok).toBe(false);
    const r2 = irFromJson(JSON.stringify({ glia_ir: 1, program: { version: 1, groups: "x" } }));
    expect(r2.ok).toBe(false);
  });
});

describe("verifyIR", () => {
  test("a well-formed program passes", () => {
    expect(verifyIR(sample())).toEqual([]);
    expect(verifyIR(applyPass("solve-odes", sample()))).toEqual([]);
  });

  const broken: [string, (p: IRProgram) => IRProgram, string][] = [
    [
      "unknown ref",
      (p) => ({ ...p, groups: [{ ...p.groups[0]!, threshold: ref("state", "nope") }] }),
      "unknown state nope",
    ],
    ["wrong space", (p) => ({ ...p, groups: [{ ...p.groups[0]!, threshold: ref("param", "v") }] }), "unknown param v"],
    [
      "assign to param",
      (p) => ({
        ...p,
        groups: [{ ...p.groups[0]!, reset: [{ k: "assign", target: { space: "param", name: "tau" }, value: num(1) }] }],
      }),
      "cannot assign to tau",
    ],
    [
      "local before let",
      (p) => ({
        ...p,
        groups: [
          {
            ...p.groups[0]!,
            reset: [
              { k: "assign", target: { space: "state", name: "v" }, value: ref("local", "q") },
              { k: "let", name: "q", value: num(1) },
            ],
          },
        ],
      }),
      "local q used before",
    ],
    [
      "non-finite",
      (p) => ({ ...p, groups: [{ ...p.groups[0]!, threshold: bin(">", ref("state", "v"), num(Infinity)) }] }),
      "non-finite",
    ],
    [
      "duplicate names",
      (p) => ({ ...p, groups: [{ ...p.groups[0]!, state: [...p.groups[0]!.state, ...p.groups[0]!.state] }] }),
      "duplicate name v",
    ],
    [
      "odes after solve",
      (p) => ({
        ...applyPass("solve-odes", p),
        groups: [{ ...applyPass("solve-odes", p).groups[0]!, odes: p.groups[0]!.odes }],
      }),
      "odes left after solve-odes",
    ],
    [
      "update before solve",
      (p) => ({
        ...p,
        groups: [{ ...p.groups[0]!, update: [{ k: "assign", target: { space: "state", name: "v" }, value: num(0) }] }],
      }),
      "update present before solve-odes",
    ],
    [
      "elapsed before event-driven",
      (p) => ({
        ...p,
        projections: [
          {
            ...p.projections[0]!,
            onPre: [{ k: "assign", target: { space: "post", name: "v" }, value: ref("elapsed", "elapsed") }],
          },
        ],
      }),
      "cannot be used here",
    ],
    [
      "bad slice",
      (p) => ({
        ...p,
        monitors: [],
        projections: [{ ...p.projections[0]!, post: { population: "n", start: 0, end: 9 } }],
      }),
      "outside 0..4",
    ],
    [
      "monitor of unknown var",
      (p) => ({ ...p, monitors: [{ ...p.monitors[0]!, variable: "zz" }] }),
      "zz is not a state variable",
    ],
  ];
  test.each(broken)("catches %s", (_name, breakIt, msg) => {
    const problems = verifyIR(breakIt(sample()));
    expect(problems.join("\n")).toContain(msg);
  });
});
