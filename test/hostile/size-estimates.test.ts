// Resource estimates (issue 17), the cases test/hostile/resources.test.ts leaves: delays drawn from normal and
// lognormal distributions count in the delay-ring estimate (their draws are bounded: |z| <= MAX_NORMAL_DRAW), and
// `glia compile` emitters (wat, the fixed-point IR, hardware descriptors) run the same check before they size
// anything. Each case runs the CLI in-process and asserts the exit code, E0807 and its caret.
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { MAX_NORMAL_DRAW, maxDelaySteps } from "../../targets/network/resources.js";
import { num } from "../../compiler/ir/expr.js";
import type { IRInit } from "../../compiler/ir/nodes.js";

const BUDGET_MS = 30000;

function network(o: { size?: string; delay?: string } = {}): string {
  return `import "std/static.glia"
neuron N {
  parameters { tau: ms = 10 ms }
  state { v: mV = 0 mV }
  equations { v' = -v / tau }
  spike when v > 1 mV { v = 0 mV }
}
network Net {
  dt = 0.1 ms
  population a = N[${o.size ?? "10"}]
  connect a -> a with Static(w = 1 mV) onto v fixed_probability(0.1) delay = ${o.delay ?? "1 ms"}
  record spikes of a
  run 1 ms
}
`;
}

function at(src: string, needle: string): string {
  const i = src.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in source`);
  const before = src.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

async function cli(args: string[], src: string): Promise<{ code: number; stderr: string; files: Map<string, string> }> {
  const io = captureIo({ "a.glia": src });
  const t0 = performance.now();
  const code = await runCli([args[0]!, "a.glia", ...args.slice(1)], io);
  expect(performance.now() - t0).toBeLessThan(BUDGET_MS);
  expect(io.stderr).not.toMatch(/internal error|Invalid typed array|Maximum call stack/);
  return { code, stderr: io.stderr, files: io.files };
}

describe("normal and lognormal delays count in the delay-ring estimate", () => {
  test("the bound of a draw: the largest normal the generator gives, in steps", () => {
    expect(MAX_NORMAL_DRAW).toBeCloseTo(6.6604, 4);
    const dist = (d: "uniform" | "normal" | "lognormal", a: number, b: number): IRInit => ({
      k: "dist",
      dist: d,
      args: [num(a), num(b)],
      scale: 1e4,
    });
    expect(maxDelaySteps(dist("uniform", 1e-3, 3e-3))).toBeCloseTo(30, 9);
    expect(maxDelaySteps(dist("normal", 2e-3, 1e-4))).toBeCloseTo((2e-3 + 1e-4 * MAX_NORMAL_DRAW) * 1e4, 9);
    expect(maxDelaySteps(dist("lognormal", -7, 0.5))).toBeCloseTo(Math.exp(-7 + 0.5 * MAX_NORMAL_DRAW) * 1e4, 9);
    expect(maxDelaySteps(dist("normal", -1, 0.1))).toBe(0);
  });

  test.each([
    ["normal(1e9 ms, 1 ms)", /delay ring of a_a \(10000000067 steps\)/], // (1e9 ms + 6.66 sd) / dt
    ["lognormal(30, 1) * 1 ms", /delay ring of a_a \(/],
  ])("delay = %s on reference and wasm: E0807 at the connect", async (delay, ring) => {
    const src = network({ delay });
    for (const target of ["reference", "wasm"]) {
      const r = await cli(["run", "--target", target], src);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`a.glia:${at(src, "connect a")}: error[E0807]`);
      expect(r.stderr).toMatch(ring);
    }
  });

  test("a normal delay of a few ms runs", async () => {
    const r = await cli(["run", "--target", "reference"], network({ delay: "normal(2 ms, 0.5 ms)" }));
    expect(r.code).toBe(0);
  });
});

describe("compile emitters run the resource check before sizing anything", () => {
  test.each([
    [["compile", "--emit", "wat"]],
    [["compile", "--target", "fixed", "--hw", "loihi"]],
    [["compile", "--target", "fpga", "--hw", "loihi", "-o", "d.json"]],
    [["compile", "--target", "crossbar", "--hw", "reram-128", "-o", "d.json"]],
  ])("a population of 1e12 neurons: %j is E0807 at the population", async (args) => {
    const src = network({ size: "1000000000000" });
    const r = await cli(args, src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(src, "population a")}: error[E0807]`);
    expect(r.files.size).toBe(0);
  });

  test("a delay of 1e9 ms: compile --emit wat is E0807 at the connect", async () => {
    const src = network({ delay: "1e9 ms" });
    const r = await cli(["compile", "--emit", "wat"], src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(src, "connect a")}: error[E0807]`);
  });
});
