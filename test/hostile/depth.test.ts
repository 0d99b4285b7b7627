// Hostile depth (issue 17): 10,000-deep brackets, prefix runs, `^` and `?:` chains are refused before parsing with
// E0118 at the first token past the limit (they used to exhaust the stack, exit 70); a 100,000-term sum and a
// 50,000-factor product are long but flat, so they check, compile and run (long chains become balanced trees).
// Each case goes through the CLI in-process and asserts the exit code, the diagnostic code and its span.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";
import { parseSource } from "../../compiler/syntax/parse.js";
import { MAX_NESTING } from "../../compiler/syntax/nesting.js";
import { LONG_CHAIN } from "../../compiler/syntax/cst-expr.js";
import type { Expr } from "../../compiler/syntax/ast.js";

const LIF = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/lif-exact/main.glia"), "utf8");
const EQ = "v' = (v_rest - v + RI) / tau";
const BUDGET_MS = 30000;

/** The LIF model with its equation replaced and a run long enough to spike. */
function lif(eq: string): string {
  expect(LIF).toContain(EQ);
  return LIF.replace(EQ, eq).replace("run 100 ms", "run 30 ms");
}

async function cli(args: string[], src: string): Promise<{ code: number; stderr: string; stdout: string }> {
  const io = captureIo({ "a.glia": src });
  const t0 = performance.now();
  const code = await runCli([args[0]!, "a.glia", ...args.slice(1)], io);
  expect(performance.now() - t0).toBeLessThan(BUDGET_MS);
  expect(io.stderr).not.toMatch(/internal error|Maximum call stack|at .*\.ts:\d+/);
  return { code, stderr: io.stderr, stdout: io.stdout };
}

/** `line:col` (1-based) of the `nth` (0-based) occurrence of `needle` in `src` after the equation's start. */
function at(src: string, needle: string, nth: number): string {
  let i = src.indexOf("v' = ");
  for (let k = 0; k <= nth; k++) i = src.indexOf(needle, i + 1);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = src.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

// The equation sits inside two blocks (`neuron {`, `equations {`), which count as two levels.
const BLOCKS = 2;
const DEEP = 10000;

describe("nesting past the limit is E0118 at the first token past it, exit 1", () => {
  const cases: { name: string; src: string; needle: string; nth: number }[] = [
    {
      name: "10,000 nested parentheses",
      src: lif(`v' = ${"(".repeat(DEEP)}${EQ.slice(5)}${")".repeat(DEEP)}`),
      needle: "(",
      nth: MAX_NESTING - BLOCKS,
    },
    {
      name: "10,000 nested brackets",
      src: lif(`v' = ${"[".repeat(DEEP)}1${"]".repeat(DEEP)} * 0 mV/ms + ${EQ.slice(5)}`),
      needle: "[",
      nth: MAX_NESTING - BLOCKS,
    },
    {
      name: "a 10,000-long ^ chain",
      src: lif(`${EQ} * ${"1^".repeat(DEEP)}1`),
      needle: "^",
      nth: MAX_NESTING - BLOCKS,
    },
    {
      name: "10,000 prefix minus signs",
      src: lif(`v' = ${"-".repeat(DEEP)}${EQ.slice(5)}`),
      needle: "-",
      nth: MAX_NESTING - BLOCKS,
    },
    {
      name: "a 10,000-long ?: chain",
      src: lif(`v' = ${"v > 1 mV ? 0 mV / tau : ".repeat(DEEP)}${EQ.slice(5)}`),
      needle: "?",
      nth: MAX_NESTING - BLOCKS,
    },
  ];
  for (const c of cases) {
    test.each([["check"], ["compile", "--emit", "ir"], ["run", "--target", "reference"]])(
      `${c.name}: %s`,
      async (...args) => {
        const r = await cli(args, c.src);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`a.glia:${at(c.src, c.needle, c.nth)}: error[E0118]`);
        expect(r.stderr).toMatch(/nested too deeply/);
        expect(r.stderr).toMatch(/hint:/);
      },
    );
  }

  test("nesting just under the limit parses", () => {
    const depth = MAX_NESTING - BLOCKS - 1; // EQ brings one more pair
    const src = lif(`v' = ${"(".repeat(depth)}${EQ.slice(5)}${")".repeat(depth)}`);
    expect(parseSource(src, "a.glia").diagnostics).toEqual([]);
    const pow = lif(`${EQ} * ${"1^".repeat(MAX_NESTING - BLOCKS - 1)}1`);
    expect(parseSource(pow, "a.glia").diagnostics).toEqual([]);
  });

  test("many short ^ and ?: expressions side by side are not deep", () => {
    const src = lif(`v' = ${EQ.slice(5)} * (${"2^2^2 * ".repeat(300)}1)\n  w' = 0 mV / tau`);
    const r = parseSource(src.replace("state { v: mV = v_rest }", "state { v: mV = v_rest\n w: mV = 0 mV }"), "a.glia");
    expect(r.diagnostics).toEqual([]);
  });
});

/** Spike count of population n in a `run --target reference` summary. */
function spikes(stdout: string): number {
  const m = /spikes=\s*(\d+)/.exec(stdout);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

describe("long flat chains are not deep: they check, compile and run", () => {
  let baseline = -1;
  test("baseline", async () => {
    const r = await cli(["run", "--target", "reference"], lif(EQ));
    expect(r.code).toBe(0);
    baseline = spikes(r.stdout);
    expect(baseline).toBeGreaterThan(0);
  });

  const chains: [string, string][] = [
    ["a 100,000-term sum", `v' = (v_rest - v + RI${" + 0 mV".repeat(100000)}) / tau`],
    ["a 50,000-term sum of state terms", `v' = (v_rest - v + RI${" + v - v".repeat(25000)}) / tau`],
    ["a 50,000-factor product", `${EQ}${" * 1".repeat(50000)}`],
    ["a unit annotation of 50,000 factors", `${EQ}`],
    [
      "a chain of 5,000 aliases (inlined without recursion)",
      `a0 = v_rest - v + RI\n${Array.from({ length: 4999 }, (_, i) => `    a${i + 1} = a${i}`).join("\n")}\n    v' = a4999 / tau`,
    ],
  ];
  for (const [name, eq] of chains) {
    test(`${name}: check, compile --emit ir, run --target reference (same spikes)`, async () => {
      let src = lif(eq);
      if (name.startsWith("a unit annotation"))
        src = src.replace("RI: mV = 20 mV", `RI: mV${" * ms / ms".repeat(25000)} = 20 mV${" * ms / ms".repeat(25000)}`);
      expect((await cli(["check"], src)).code).toBe(0);
      const ir = await cli(["compile", "--emit", "ir"], src);
      expect(ir.code).toBe(0);
      expect(ir.stdout).toContain("neuron group n");
      const run = await cli(["run", "--target", "reference"], src);
      expect(run.code).toBe(0);
      expect(spikes(run.stdout)).toBe(baseline);
    }, 120000);
  }
});

/** Value of a numeric AST (numbers and + - * / only). */
function evaluate(e: Expr): number {
  if (e.kind === "Number") return e.value;
  if (e.kind !== "Binary") throw new Error(`unexpected ${e.kind}`);
  const [a, b] = [evaluate(e.left), evaluate(e.right)];
  return e.op === "+" ? a + b : e.op === "-" ? a - b : e.op === "*" ? a * b : a / b;
}

function height(e: Expr): number {
  return e.kind === "Binary" ? 1 + Math.max(height(e.left), height(e.right)) : 0;
}

function paramExpr(expr: string): Expr {
  const r = parseSource(`neuron A { parameters { x = ${expr} } }`, "a.glia");
  expect(r.diagnostics).toEqual([]);
  const value = r.ast.models[0]!.parameters[0]!.value;
  expect(value).toBeDefined();
  return value!;
}

describe("chain shape", () => {
  test("a chain up to LONG_CHAIN operators stays left-deep (float order unchanged)", () => {
    const e = paramExpr(Array.from({ length: LONG_CHAIN + 1 }, (_, i) => i + 1).join(" + "));
    expect(height(e)).toBe(LONG_CHAIN);
    expect(e.kind === "Binary" && e.right).toEqual(expect.objectContaining({ kind: "Number", value: LONG_CHAIN + 1 }));
  });

  test("a longer chain of mixed + and - is balanced and keeps its value (exact integers)", () => {
    const n = 5 * LONG_CHAIN;
    const ops = Array.from({ length: n }, (_, i) => ((i * 7) % 3 === 0 ? "-" : "+"));
    const src = ["1", ...ops.map((o, i) => `${o} ${i + 2}`)].join(" ");
    let expected = 1;
    ops.forEach((o, i) => (expected = o === "+" ? expected + (i + 2) : expected - (i + 2)));
    const e = paramExpr(src);
    expect(height(e)).toBeLessThanOrEqual(Math.ceil(Math.log2(n + 1)));
    expect(evaluate(e)).toBe(expected);
  });

  test("a longer chain of mixed * and / is balanced and keeps its value (powers of two, exact)", () => {
    const n = 3 * LONG_CHAIN;
    const ops = Array.from({ length: n }, (_, i) => (i % 5 < 2 ? "/" : "*"));
    const src = ["1", ...ops.map((o) => `${o} 2`)].join(" ");
    const exponent = ops.reduce((k, o) => (o === "*" ? k + 1 : k - 1), 0);
    const e = paramExpr(src);
    expect(height(e)).toBeLessThanOrEqual(Math.ceil(Math.log2(n + 1)));
    expect(evaluate(e)).toBe(2 ** exponent);
  });
});
