// Tests for the fold pass and the simplification rule table.
import { describe, expect, test } from "@jest/globals";
import type { IRExpr } from "../../compiler/ir/nodes.js";
import { add, bin, bool, call, div, mul, neg, num, ref, sel, sub } from "../../compiler/ir/expr.js";
import { printExpr } from "../../compiler/ir/print.js";
import { simplify, RULES } from "../../compiler/passes/rules.js";
import { constantParams } from "../../compiler/passes/fold.js";
import { applyPass, group, perElem, program, projection, scalar } from "../ir/helpers.js";

const x = ref("state", "x");
const y = ref("state", "y");
const s = (e: IRExpr): string => printExpr(simplify(e));

describe("rule table", () => {
  test.each([
    [mul(x, num(1)), "x"],
    [mul(num(1), x), "x"],
    [add(x, num(0)), "x"],
    [add(num(0), x), "x"],
    [sub(x, num(0)), "x"],
    [div(x, num(1)), "x"],
    [mul(num(0), add(x, y)), "0"],
    [mul(x, num(-1)), "-x"],
    [neg(neg(x)), "x"],
    [{ k: "not", a: { k: "not", a: bool(true) } } as IRExpr, "true"],
    [add(x, neg(y)), "x - y"],
    [sub(x, neg(y)), "x + y"],
    [add(x, num(-2)), "x - 2"],
    [call("pow", x, num(1)), "x"],
    [call("pow", x, num(2)), "x * x"],
    [call("pow", x, num(0)), "1"],
    [bin("pow", x, num(2)), "x * x"],
    [sel(bool(true), x, y), "x"],
    [sel(bin("<", num(1), num(2)), x, y), "x"],
    [sel(bin(">", x, y), add(x, num(1)), add(x, num(1))), "x + 1"],
    [bin("and", bin(">", x, y), bool(true)), "x > y"],
    [bin("or", bool(false), bin(">", x, y)), "x > y"],
  ])("%#: simplifies to %s", (e, want) => {
    expect(s(e)).toBe(want);
  });

  test("constant arithmetic folds with IEEE semantics, one operation at a time", () => {
    expect(simplify(add(num(0.1), num(0.2)))).toEqual(num(0.1 + 0.2));
    expect(simplify(div(num(1), num(3)))).toEqual(num(1 / 3));
    expect(simplify(call("exp", mul(num(-0.1), num(2))))).toEqual(num(Math.exp(-0.2)));
    expect(simplify(neg(num(3)))).toEqual(num(-3));
  });

  test("0 * x is kept when x may be infinite or NaN", () => {
    expect(s(mul(num(0), div(x, y)))).toBe("0 * (x / y)");
    expect(s(mul(num(0), call("exp", x)))).toBe("0 * exp(x)");
  });

  test("reassociation is never done (it would change rounding)", () => {
    expect(s(add(add(x, num(0.1)), num(0.2)))).toBe("x + 0.1 + 0.2");
  });

  test("every rule has a unique name", () => {
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });
});

describe("foldConstants", () => {
  const g = group({
    name: "n",
    params: [
      scalar("tau", 0.02),
      scalar("k", 2),
      { ...scalar("tau2", 0), init: { k: "expr", e: mul(ref("param", "tau"), ref("param", "k")) } },
      perElem("het", 3),
    ],
    state: [{ name: "v", dim: "1", init: { k: "expr", e: mul(ref("param", "k"), num(1)) }, perElement: false }],
    odes: [
      {
        name: "v",
        rhs: div(neg(x.k === "ref" ? ref("state", "v") : x), add(ref("param", "tau2"), ref("param", "het"))),
      },
    ],
  });

  test("scalar params (also computed from other params) become numbers; per-element ones stay", () => {
    expect([...constantParams(g.params)]).toEqual([
      ["tau", 0.02],
      ["k", 2],
      ["tau2", 0.04],
    ]);
    const p = applyPass("fold", program({ groups: [g] }));
    const f = p.groups[0]!;
    expect(printExpr(f.odes[0]!.rhs)).toBe("-v / (0.04 + het)");
    expect(f.state[0]!.init).toEqual({ k: "expr", e: num(2) });
    expect(p.passes).toEqual(["fold"]);
  });

  test("the input program is not mutated", () => {
    const before = JSON.stringify(g);
    applyPass("fold", program({ groups: [g] }));
    expect(JSON.stringify(g)).toBe(before);
  });

  test("pre./post. refs to scalar params of the partner group fold in projections", () => {
    const pr = projection({
      name: "p",
      pre: "n",
      post: "n",
      onPre: [{ k: "assign", target: { space: "post", name: "v" }, value: add(ref("post", "v"), ref("pre", "tau")) }],
    });
    const p = applyPass("fold", program({ groups: [g], projections: [pr] }));
    expect(printExpr((p.projections[0]!.onPre[0] as { value: IRExpr }).value)).toBe("post.v + 0.02");
  });
});
