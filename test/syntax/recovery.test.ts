// Error recovery: one run reports many independent errors and keeps the intact parts of the AST.
import { expect, test } from "@jest/globals";
import { MAX_NESTING, parseSource } from "../../compiler/syntax/parse.js";
import { DSL_SKETCH } from "./fixtures.js";

test("three independent errors give at least three diagnostics", () => {
  const src = [
    "neuron A {",
    "  parameters { tau: ms = 20 ms ) }", // stray ')'
    "  state { v: mV = 0 mV }",
    "}",
    "synapse S {",
    "  on pre { astro.w = 1 }", // read-only target
    "}",
    "neuron B {",
    "  equations { v' = (1 + ) / tau }", // missing operand
    "  state { v = 0 }",
    "}",
    "network N { population p = A[10]; run 1 s }",
  ].join("\n");
  const r = parseSource(src, "r.glia");
  expect(r.diagnostics.length).toBeGreaterThanOrEqual(3);
  expect(r.diagnostics.map((d) => `${d.code} ${d.span.line}`)).toEqual(
    expect.arrayContaining(["E0110 2", "E0115 6", "E0110 9"]),
  );
  // the parts around the errors survive
  expect(r.ast.models.map((m) => m.name)).toEqual(["A", "S", "B"]);
  expect(r.ast.models[2]!.state.map((d) => d.name)).toEqual(["v"]);
  expect(r.ast.networks[0]!.items.map((i) => i.kind)).toEqual(["Population", "Run"]);
});

test("errors in several network items are each reported", () => {
  const src = "network N {\n  population = LIF[10]\n  connect a -> b with S() all_to_all\n  record of a\n  run\n}";
  const r = parseSource(src, "n.glia");
  expect(r.diagnostics.map((d) => d.span.line)).toEqual([2, 4, 6]);
  expect(r.ast.networks[0]!.items.some((i) => i.kind === "Connect")).toBe(true);
});

test("junk between top-level blocks is skipped up to the next block", () => {
  const r = parseSource("neuron A { }\n}}} 42 + foo\nneuron B { }\n", "j.glia");
  expect(r.diagnostics).toHaveLength(1);
  expect(r.ast.models.map((m) => m.name)).toEqual(["A", "B"]);
});

test("empty, blank and comment-only files are fine", () => {
  for (const src of ["", "   \n\n", "# nothing here\n# at all"]) {
    const r = parseSource(src, "e.glia");
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.models).toEqual([]);
  }
});

test("very deep nesting is refused with a diagnostic instead of exhausting the stack", () => {
  const deep = `neuron A { parameters { x = ${"(".repeat(MAX_NESTING + 5)}1${")".repeat(MAX_NESTING + 5)} } }`;
  const r = parseSource(deep, "d.glia");
  expect(r.diagnostics.map((d) => d.code)).toEqual(["E0118"]);
  expect(r.diagnostics[0]!.message).toContain("nested too deeply");
  const minus = `neuron A { parameters { x = ${"-".repeat(5000)}1 } }`;
  expect(parseSource(minus, "m.glia").diagnostics[0]!.message).toContain("nested too deeply");
});

test("moderate nesting is fine", () => {
  const src = `neuron A { parameters { x = ${"(".repeat(50)}1${")".repeat(50)} } }`;
  expect(parseSource(src, "n.glia").diagnostics).toEqual([]);
});

test("a truncated file reports an unclosed block, not a crash", () => {
  const cut = DSL_SKETCH.slice(0, DSL_SKETCH.indexOf("spike when"));
  const r = parseSource(cut, "cut.glia");
  expect(r.diagnostics.map((d) => d.code)).toEqual(["E0113"]);
  expect(r.ast.models[0]!.equations).toHaveLength(3);
});
