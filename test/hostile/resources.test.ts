// Resource limits before allocation (issue 17): a population of 1e12, --duration 1e20 s (wasm and reference),
// dt = 1e-12 ms with run 1 s, run 1e9 s, a delay of 1e9 ms (wasm memory could not grow; the reference target
// climbed past 4 GB) and `emulate --duration 1e9s` on a model or a descriptor (an invalid typed array length)
// each answer E0807 with the numbers and a caret on the item responsible, within seconds, before any typed array
// or wasm memory is sized.
// Also: the estimator's synapse bounds per connectivity rule, and a normal network passes the check.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";
import { compile } from "../../compiler/pipeline.js";
import { checkResources, MAX_STEPS, synapseBound } from "../../targets/network/resources.js";
import type { IRProjection } from "../../compiler/ir/nodes.js";

const BUDGET_MS = 15000;

function network(o: { size?: string; dt?: string; run?: string; delay?: string } = {}): string {
  return `import "std/static.glia"
neuron N {
  parameters { tau: ms = 10 ms }
  state { v: mV = 0 mV }
  equations { v' = -v / tau }
  spike when v > 1 mV { v = 0 mV }
}
network Net {
  dt = ${o.dt ?? "0.1 ms"}
  population a = N[${o.size ?? "10"}]
  connect a -> a with Static(w = 1 mV) onto v fixed_probability(0.1) delay = ${o.delay ?? "1 ms"}
  record spikes of a
  run ${o.run ?? "1 ms"}
}
`;
}

/** `line:col` (1-based) of `needle` in `src`. */
function at(src: string, needle: string): string {
  const i = src.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in source`);
  const before = src.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

async function cli(
  args: string[],
  src: string,
  files: Record<string, string> = {},
  file = "a.glia",
): Promise<{ code: number; stderr: string }> {
  const io = captureIo({ "a.glia": src, ...files });
  const t0 = performance.now();
  const code = await runCli([args[0]!, file, ...args.slice(1)], io);
  expect(performance.now() - t0).toBeLessThan(BUDGET_MS);
  expect(io.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  for (const [f, content] of io.files) files[f] = content; // written files become sources of the next call
  return { code, stderr: io.stderr };
}

describe("resource limits are checked before allocation (E0807)", () => {
  test.each(["wasm", "reference", "fixed"])("a population of 1e12 on %s: caret on the population", async (target) => {
    const src = network({ size: "1e12" });
    const r = await cli(["run", "--target", target], src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(src, "population a")}: error[E0807]`);
    expect(r.stderr).toContain("1000000000000 elements");
  });

  test.each(["wasm", "reference"])("--duration 1e20s on %s: the step count, at --duration", async (target) => {
    const r = await cli(["run", "--target", target, "--duration", "1e20s"], network());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--duration:1:1: error[E0807]");
    expect(r.stderr).toContain(`limit of ${MAX_STEPS} steps`);
  });

  test("dt = 1e-12 ms with run 1 s: caret on the run statement, dt as related span", async () => {
    const src = network({ dt: "1e-12 ms", run: "1 s" });
    const r = await cli(["run"], src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(src, "run 1 s")}: error[E0807]`);
    expect(r.stderr).toContain("1.000e+15 steps");
    expect(r.stderr).toContain(`a.glia:${at(src, "dt = 1e-12")}: note: dt is set here`);
  });

  test("run 1e9 s: caret on the run statement", async () => {
    const src = network({ run: "1e9 s" });
    const r = await cli(["run", "--target", "reference"], src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(src, "run 1e9 s")}: error[E0807]`);
  });

  test.each(["wasm", "reference"])("a delay of 1e9 ms on %s: the delay ring, caret on the connect", async (target) => {
    const src = network({ delay: "1e9 ms" });
    const r = await cli(["run", "--target", target], src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(src, "connect a")}: error[E0807]`);
    expect(r.stderr).toMatch(/delay ring of a_a \(10000000000 steps\)/);
  });

  test("emulate --duration 1e9s: the step count, at --duration", async () => {
    const r = await cli(["emulate", "--hw", "loihi", "--duration", "1e9s"], network());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--duration:1:1: error[E0807]");
    expect(r.stderr).toContain("10000000000000 steps");
  });

  test("emulate DESCRIPTOR --duration 1e9s: the step count, at --duration", async () => {
    const files: Record<string, string> = {};
    expect((await cli(["compile", "--target", "fpga", "--hw", "loihi", "-o", "d.json"], network(), files)).code).toBe(
      0,
    );
    expect(Object.keys(files)).toEqual(["d.json"]);
    const r = await cli(["emulate", "--hw", "loihi", "--duration", "1e9s"], network(), files, "d.json");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--duration:1:1: error[E0807]");
    expect(r.stderr).toContain("10000000000000 steps");
  });

  test("a normal network passes, and its estimate is the network's", () => {
    const file = path.join(REPO_ROOT, "examples/cuba.glia");
    const c = compile(file, dirHost(REPO_ROOT));
    expect(c.ir).toBeDefined();
    expect(fs.existsSync(file)).toBe(true);
    const { estimate, diagnostics } = checkResources(c.ir!, {}, 2 ** 32);
    expect(diagnostics).toEqual([]);
    expect(estimate.steps).toBe(10000);
    expect(estimate.neurons).toBe(4000);
    const synapses = Object.values(estimate.synapses).reduce((a, b) => a + b, 0);
    expect(synapses).toBeGreaterThan(0.02 * 4000 * 4000);
    expect(synapses).toBeLessThan(0.03 * 4000 * 4000);
    // the same network refused under a budget it cannot fit
    expect(checkResources(c.ir!, {}, 1e5).diagnostics.map((d) => d.code)).toEqual(["E0807"]);
  });
});

describe("synapse upper bounds per connectivity rule", () => {
  const pr = (rule: IRProjection["rule"]): IRProjection =>
    ({
      rule,
      pre: { population: "a", start: 0, end: 100 },
      post: { population: "b", start: 0, end: 50 },
    }) as IRProjection;
  test("exact rules and a bounded probability", () => {
    expect(synapseBound(pr({ k: "all_to_all" }))).toBe(5000);
    expect(synapseBound(pr({ k: "one_to_one" }))).toBe(50);
    expect(synapseBound(pr({ k: "fixed_indegree", n: 3 }))).toBe(150);
    expect(synapseBound(pr({ k: "fixed_outdegree", n: 3 }))).toBe(300);
    expect(synapseBound(pr({ k: "from_list", pre: [1, 2], post: [3, 4] }))).toBe(2);
    const p = synapseBound(pr({ k: "fixed_probability", p: 0.1 }));
    expect(p).toBeGreaterThan(500);
    expect(p).toBeLessThanOrEqual(5000);
  });
});
