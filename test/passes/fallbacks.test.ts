// Passes report instead of falling back silently: a named method that cannot be honoured (W1004, W1007),
// an event-driven equation without a closed form (W1008), a verifier failure after a pass (E0701), and a
// program with no network (E0515). Each asserts the code and the span it points at.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile, PASSES } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { spanFromOffsets } from "../../compiler/diagnostics/span.js";
import { div, mul, ref } from "../../compiler/ir/expr.js";
import { runPasses, type Pass } from "../../compiler/passes/manager.js";
import { memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { applyPassReporting, group, program, projection, scalar } from "../ir/helpers.js";

const IZH = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/izhikevich-euler/main.glia"), "utf8");
const V_EQ = "v' = (0.04 * v^2 + 5 * v + 140 - u + I) / 1 ms";

/** Line, column and length of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): { line: number; col: number; length: number } {
  const start = text.indexOf(needle);
  expect(start).toBeGreaterThanOrEqual(0);
  const s = spanFromOffsets("a.glia", text, start, start + needle.length);
  return { line: s.line, col: s.col, length: needle.length };
}
const where = (d: Diagnostic) => ({
  code: d.code,
  severity: d.severity,
  line: d.span.line,
  col: d.span.col,
  length: d.span.end - d.span.start,
});
const compileText = (src: string) => compile("a.glia", memoryHost({ "a.glia": src }), { verify: true });

describe("named methods that fall back to rk4 are warnings at the equation", () => {
  test("method exact on the nonlinear Izhikevich v: W1004 at v's equation; u stays exact", () => {
    const src = IZH.replace("method euler", "method exact");
    const r = compileText(src);
    expect(r.diagnostics.map(where)).toEqual([{ code: "W1004", severity: "warning", ...at(src, V_EQ) }]);
    expect(r.diagnostics[0]!.message).toContain("v is integrated with rk4");
    expect(r.diagnostics[0]!.hint).toContain("method rk4");
    expect(r.diagnostics[0]!.related.map((x) => x.message)).toEqual(["population n uses Izhikevich"]);
    expect(r.ir!.groups[0]!.methods).toEqual({ v: "rk4", u: "exact" });
  });

  test("method exponential_euler on v' = 0.04 v^2 + ...: W1007 at v's equation", () => {
    const src = IZH.replace("method euler", "method exponential_euler");
    const r = compileText(src);
    expect(r.diagnostics.map(where)).toEqual([{ code: "W1007", severity: "warning", ...at(src, V_EQ) }]);
    expect(r.ir!.groups[0]!.methods).toEqual({ v: "rk4", u: "exponential_euler" });
  });

  test("two populations of one model: one warning (same equation)", () => {
    const src = IZH.replace("method euler", "method exact").replace(
      "population n = Izhikevich[1]",
      "population n = Izhikevich[1]\n  population m = Izhikevich[2]",
    );
    expect(compileText(src).diagnostics.map((d) => d.code)).toEqual(["W1004"]);
  });

  test("automatic choice and honoured methods report nothing", () => {
    expect(compileText(IZH).diagnostics).toEqual([]);
    expect(compileText(IZH.replace("method euler", "method rk4")).diagnostics).toEqual([]);
    expect(compileText(IZH.replace("  method euler\n", "")).diagnostics).toEqual([]);
  });
});

describe("event-driven", () => {
  test("an ODE not linear in its own variable: W1008 at the equation, Euler step over elapsed", () => {
    const text = "synapse S { equations { x' = x * x / tau } }";
    const span = spanFromOffsets("s.glia", text, text.indexOf("x'"), text.indexOf(" }"));
    const x = ref("state", "x");
    const pr = projection({
      name: "p",
      pre: "n",
      post: "n",
      params: [scalar("tau", 0.02)],
      state: [{ name: "x", dim: "1", init: { k: "expr", e: ref("param", "tau") }, perElement: false }],
      odes: [{ name: "x", rhs: div(mul(x, x), ref("param", "tau")), span }],
      onPre: [{ k: "assign", target: { space: "state", name: "x" }, value: x }],
    });
    const r = applyPassReporting("event-driven", program({ groups: [group({ name: "n" })], projections: [pr] }));
    expect(r.diagnostics.map((d) => ({ code: d.code, span: d.span }))).toEqual([{ code: "W1008", span }]);
    expect(r.diagnostics[0]!.message).toContain("advanced by one Euler step");
    expect(r.ir.projections[0]!.eventDriven).toEqual(["x"]);
  });
});

describe("the pass manager", () => {
  const src = IZH;
  const built = compile("a.glia", memoryHost({ "a.glia": src }), { stopAfter: "build" }).ir!;

  test("records every pass under its own name (fold-discrete is not fold)", () => {
    const r = runPasses(built, PASSES, { verify: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.ir.passes).toEqual(PASSES.map((p) => p.name));
    expect(r.ir.passes).toContain("fold-discrete");
  });

  test("a verifier failure after a pass is E0701 naming the pass, not a throw; the passes after it do not run", () => {
    const breaks: Pass = {
      name: "drops-state",
      run: (ir) => ({ ...ir, groups: ir.groups.map((g) => ({ ...g, state: [] })) }),
    };
    const seen: string[] = [];
    const r = runPasses(built, [PASSES[0]!, breaks, PASSES[1]!], { verify: true, onStage: (name) => seen.push(name) });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0701"]);
    expect(r.diagnostics[0]!.message).toMatch(
      /^IR verification failed after drops-state: group n: ode for v, which is not a state variable/,
    );
    expect(r.diagnostics[0]!.span).toEqual(built.spans!.network);
    expect(seen).toEqual(["build", "inline-aliases"]);
    expect(r.ir.passes).toEqual(["inline-aliases"]);
    // without verify the broken IR goes through and nothing is reported
    expect(runPasses(built, [breaks], {}).diagnostics).toEqual([]);
  });
});

describe("a program without a network", () => {
  test("compile reports E0515 at the start of the entry file", () => {
    const lib = IZH.slice(0, IZH.indexOf("network One"));
    const r = compile("lib.glia", memoryHost({ "lib.glia": lib }));
    expect(r.diagnostics.map((d) => ({ code: d.code, file: d.span.file, line: d.span.line, col: d.span.col }))).toEqual(
      [{ code: "E0515", file: "lib.glia", line: 1, col: 1 }],
    );
    expect(r.ir).toBeUndefined();
    expect(r.built).toBeUndefined();
  });

  test("a network in an imported file is enough", () => {
    const lib = IZH.replace("network One", "network Imported");
    const r = compile("main.glia", memoryHost({ "main.glia": 'import "lib.glia"\n', "lib.glia": lib }));
    expect(r.diagnostics).toEqual([]);
    expect(r.ir!.network).toBe("Imported");
  });
});
