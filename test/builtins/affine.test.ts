// The checker's linearity test (AST, compiler/check/linear.ts) and the passes' coefficient extraction (IR,
// compiler/passes/linear.ts) share one rule (compiler/builtins/affine.ts): on the same right-hand sides,
// lowered to IR by the real builder, they agree on which are affine, and the extracted coefficient is right.
// In: source expressions in x (the variable) and a (a parameter = 2); out: pass/fail per expression.

import { describe, expect, it } from "@jest/globals";
import { linearity } from "../../compiler/check/linear.js";
import { affine } from "../../compiler/passes/linear.js";
import { lowerExpr } from "../../compiler/ir/build-expr.js";
import { evalNumber } from "../../compiler/ir/evaluate.js";
import type { Ref } from "../../compiler/ir/nodes.js";
import { parseSource } from "../../compiler/syntax/parse.js";

/** expression -> the coefficient of x when affine (a = 2), or null when not. */
const CASES: [string, number | null][] = [
  ["a * x + 1", 2],
  ["x / a", 0.5],
  ["-x + a", -1],
  ["x - (a + x)", 0],
  ["(x + a) * (a - 1)", 1],
  ["exp(a) * x", Math.exp(2)],
  ["a", 0],
  ["a / x", null],
  ["x * x", null],
  ["(x + a) * (x - 1)", null],
  ["exp(x)", null],
  ["min(x, a)", null],
  ["x ^ 2", null],
  ["1 / (a * x)", null],
];

function parseRhs(src: string) {
  const parsed = parseSource(
    `neuron N {\n  parameters { a = 2 }\n  state { x = 0 }\n  equations { x' = (${src}) / 1 ms }\n}\n`,
    "t.glia",
  );
  expect(parsed.diagnostics).toEqual([]);
  const eq = parsed.ast.models[0]!.equations[0]!;
  if (eq.kind !== "Ode" || eq.value.kind !== "Binary") throw new Error("expected an ODE x' = (...) / 1 ms");
  return eq.value.left;
}

describe.each(CASES)("x' = %s", (src, coeff) => {
  it(coeff === null ? "is not affine in x, by both" : "is affine in x, by both, with the right coefficient", () => {
    const ast = parseRhs(src);
    const lin = linearity(ast, (name) => (name === "x" ? "var" : "const"));
    const resolve = (name: string): Ref | undefined =>
      name === "x" ? { space: "state", name } : name === "a" ? { space: "param", name } : undefined;
    const aff = affine(lowerExpr(ast, { resolve }), new Set(["x"]));
    expect(lin.kind === "nonlinear").toBe(coeff === null);
    expect(aff === null).toBe(coeff === null);
    if (coeff !== null) {
      const c = aff!.coeffs.get("x");
      const value = c ? evalNumber(c, (r) => (r.space === "param" && r.name === "a" ? 2 : undefined)) : 0;
      expect(value).toBeCloseTo(coeff, 12);
    }
  });
});
