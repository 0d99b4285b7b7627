// Hostile depth, part 2 (issue 17): alias chains written in reverse order (`a0 = a1`, `a1 = a2`, ... 10,000 long)
// check, compile and run; when each alias adds a level (`a0 = a1 + 0 mV`, ...) or doubles its predecessor
// (`a_k = (a_(k-1) + a_(k-1)) / 2`), inlining would produce an expression past MAX_EXPR_DEPTH levels or
// MAX_INLINED_NODES nodes, which is E0417 at the first alias that crosses the limit; long sums nested in brackets
// past MAX_EXPR_DEPTH are E0118 at the expression. These used to exhaust the stack (exit 70) or hang. Each case
// goes through the CLI in-process and asserts the exit code, the diagnostic code and its span.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";
import { MAX_EXPR_DEPTH } from "../../compiler/syntax/depth.js";
import { MAX_INLINED_NODES } from "../../compiler/check/rules/aliases.js";

const LIF = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/lif-exact/main.glia"), "utf8");
const EQ = "v' = (v_rest - v + RI) / tau";
const BUDGET_MS = 60000;

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

/** `line:col` (1-based) of the first occurrence of `needle` in `src`. */
function at(src: string, needle: string): string {
  const i = src.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = src.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

function spikes(stdout: string): number {
  const m = /spikes=\s*(\d+)/.exec(stdout);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

/** `a0 = a1 STEP`, ..., `a(n-2) = a(n-1) STEP`, `a(n-1) = v_rest - v + RI`, `v' = a0 / tau`. */
function reverseChain(n: number, step: string): string {
  const lines = Array.from({ length: n - 1 }, (_, i) => `    a${i} = a${i + 1}${step}`);
  return lif(`${lines.join("\n").trimStart()}\n    a${n - 1} = v_rest - v + RI\n    v' = a0 / tau`);
}

/** `a0 = v_rest - v + RI`, `a_k = (a_(k-1) + a_(k-1)) / 2`: every alias doubles the inlined size. */
function doubling(n: number): string {
  const lines = [
    "a0 = v_rest - v + RI",
    ...Array.from({ length: n - 1 }, (_, i) => `    a${i + 1} = (a${i} + a${i}) / 2`),
  ];
  return lif(`${lines.join("\n")}\n    v' = a${n - 1} / tau`);
}

const COMMANDS = [["check"], ["compile", "--emit", "ir"], ["run", "--target", "reference"]];

describe("alias chains that stay small work in any order", () => {
  let baseline = -1;
  test("baseline", async () => {
    const r = await cli(["run", "--target", "reference"], lif(EQ));
    expect(r.code).toBe(0);
    baseline = spikes(r.stdout);
  });

  test.each([
    ["10,000 aliases in reverse order", reverseChain(10000, "")],
    ["1,400 aliases in reverse order, each adding a level", reverseChain(1400, " + 0 mV")],
    ["12 doubling aliases (20,000 nodes inlined)", doubling(12)],
  ])(
    "%s: check, compile, run with the baseline's spikes",
    async (_name, src) => {
      expect((await cli(["check"], src)).code).toBe(0);
      expect((await cli(["compile", "--emit", "ir"], src)).code).toBe(0);
      const run = await cli(["run", "--target", "reference"], src);
      expect(run.code).toBe(0);
      expect(spikes(run.stdout)).toBe(baseline);
    },
    180000,
  );

  test("a 10,000-alias reverse chain runs on wasm too", async () => {
    const run = await cli(["run", "--target", "wasm-f64"], reverseChain(10000, ""));
    expect(run.code).toBe(0);
    expect(spikes(run.stdout)).toBe(baseline);
  }, 120000);
});

describe("aliases past the inlining limits are E0417 at the first alias that crosses them", () => {
  test.each(COMMANDS)(
    "10,000 reverse aliases each adding a level: %s",
    async (...args) => {
      const src = reverseChain(10000, " + 0 mV");
      const r = await cli(args, src);
      expect(r.code).toBe(1);
      // a(n-1) is 3 levels deep; each alias above adds one, so a_k is n - 1 - k + 3 levels deep
      const k = 10000 - 1 + 3 - (MAX_EXPR_DEPTH + 1);
      expect(r.stderr).toContain(`a.glia:${at(src, `a${k} = `)}: error[E0417]: alias \`a${k}\``);
      expect(r.stderr).toContain(`${MAX_EXPR_DEPTH + 1} levels deep (limit ${MAX_EXPR_DEPTH})`);
      expect(r.stderr).toMatch(/hint: aliases are substituted/);
      expect(r.stderr.match(/error\[/g)).toHaveLength(1);
    },
    120000,
  );

  test.each(COMMANDS)(
    "40 doubling aliases: %s",
    async (...args) => {
      const src = doubling(40);
      const r = await cli(args, src);
      expect(r.code).toBe(1);
      // a0 has 5 nodes; (a + a) / 2 has twice as many plus 3
      let k = 0;
      for (let size = 5; size <= MAX_INLINED_NODES; size = 2 * size + 3) k++;
      expect(r.stderr).toContain(`a.glia:${at(src, `a${k} = `)}: error[E0417]: alias \`a${k}\``);
      expect(r.stderr).toContain(`nodes (limit ${MAX_INLINED_NODES.toLocaleString("en-US")})`);
      expect(r.stderr.match(/error\[/g)).toHaveLength(1);
    },
    60000,
  );

  test("an equation using a large alias many times is E0417 at the equation", async () => {
    const uses = Array.from({ length: 8 }, () => "a16").join(" + ");
    const lines = doubling(17).replace("v' = a16 / tau", `v' = (${uses}) / 8 / tau`);
    const r = await cli(["check"], lines);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(lines, "(a16 + a16")}: error[E0417]: with its aliases inlined`);
  }, 60000);

  test("a cycle through 10,000 aliases is E0214, found without recursion", async () => {
    const src = reverseChain(10000, "").replace("a9999 = v_rest - v + RI", "a9999 = a0");
    const r = await cli(["check"], src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(src, "a0 = ")}: error[E0214]`);
  }, 60000);
});

describe("long sums nested in brackets past MAX_EXPR_DEPTH are E0118 at the expression", () => {
  test.each(COMMANDS)(
    "60 levels of 990-term sums: %s",
    async (...args) => {
      let e = "RI";
      for (let i = 0; i < 60; i++) e = `(${e} + v_rest - v${" + 0 mV".repeat(990)})`;
      const src = lif(`v' = (${e} - RI) / tau`);
      const r = await cli(args, src);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `a.glia:${at(src, "v' = ").replace(/:(\d+)$/, (_m, c: string) => `:${Number(c) + 5}`)}: error[E0118]`,
      );
      expect(r.stderr).toMatch(new RegExp(`tree is \\d+ levels deep \\(limit ${MAX_EXPR_DEPTH}\\)`));
    },
    60000,
  );
});
