// Hostile numbers (issue 17): literals beyond float64, constants that are infinite or NaN, division by a
// constant zero, a time constant of 0 (formerly an endless matrix exponential), a negative refractory
// period, dt longer than the run, and a NaN that arises during a run. Each case goes through the CLI
// in-process and asserts the exit code, the diagnostic code and its span (file:line:col), and that the
// answer came quickly (the tau = 0 and 1e-400 cases used to hang in compile/run).
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";
import { compile, PASSES } from "../../compiler/pipeline.js";
import { runPasses } from "../../compiler/passes/manager.js";
import { expm, propagator } from "../../compiler/passes/expm.js";
import { num } from "../../compiler/ir/expr.js";

const LIF = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/lif-exact/main.glia"), "utf8");
const BUDGET_MS = 20000;

const capture = captureIo;

/** `line:col` (1-based) of the `nth` occurrence of `needle` in `src`. */
function at(src: string, needle: string, nth = 0): string {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = src.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`${needle} not in source`);
  }
  const before = src.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

/** Replaces `from` (which must occur) in the LIF source. */
function lif(from: string, to: string): string {
  expect(LIF).toContain(from);
  return LIF.replace(from, to);
}

async function cli(args: string[], src: string): Promise<{ code: number; stderr: string; stdout: string; ms: number }> {
  const io = capture({ "a.glia": src });
  const t0 = performance.now();
  const code = await runCli([args[0]!, "a.glia", ...args.slice(1)], io);
  const ms = performance.now() - t0;
  expect(ms).toBeLessThan(BUDGET_MS);
  expect(io.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  return { code, stderr: io.stderr, stdout: io.stdout, ms };
}

interface Case {
  name: string;
  src: string;
  code: string;
  /** the text the caret starts on (its `nth` occurrence) */
  span: [string, number?];
  /** also run it (the compile-time cases must stop before any target) */
  run?: boolean;
  /** found after the checker (instances, the solver): `check` passes, `run` reports it */
  afterCheck?: boolean;
  message?: RegExp;
}

const CASES: Case[] = [
  {
    name: "tau = 0 ms in v' = .../tau: division by zero at the divisor (used to hang in expm)",
    src: lif("tau: ms = 10 ms", "tau: ms = 0 ms"),
    code: "E0311",
    span: ["tau }"],
    run: true,
    message: /`tau` is 0/,
  },
  {
    name: "tau = 1e-400 ms: the literal underflows to 0 (used to hang in expm)",
    src: lif("tau: ms = 10 ms", "tau: ms = 1e-400 ms"),
    code: "E0117",
    span: ["1e-400"],
    run: true,
    message: /too small/,
  },
  {
    name: "1e400 is too large for float64",
    src: lif("RI: mV = 20 mV", "RI: mV = 1e400 mV"),
    code: "E0117",
    span: ["1e400"],
    run: true,
    message: /too large/,
  },
  {
    name: "a constant division by zero",
    src: lif("RI: mV = 20 mV", "RI: mV = 20 mV / 0"),
    code: "E0311",
    span: ["0\n"],
    run: true,
  },
  {
    name: "0/0 (NaN) as a constant",
    src: lif("RI: mV = 20 mV", "RI: mV = 0 mV / 0"),
    code: "E0311",
    span: ["0\n", 0],
  },
  {
    name: "sqrt(-1): a NaN constant",
    src: lif("RI: mV = 20 mV", "RI: mV = sqrt(-1) * 1 mV"),
    code: "E0310",
    span: ["sqrt("],
    message: /NaN/,
  },
  {
    name: "a product of finite constants that overflows",
    src: lif("RI: mV = 20 mV", "RI: mV = 1e200 mV * 1e200"),
    code: "E0310",
    span: ["1e200 mV"],
    message: /infinity/,
  },
  {
    name: "a literal that overflows once its unit is applied",
    src: lif("RI: mV = 20 mV", "RI: mV = 20 mV\n    R: Gohm = 1e300 Gohm"),
    code: "E0310",
    span: ["1e300"],
  },
  {
    name: "a literal that underflows to 0 once its unit is applied",
    src: lif("tau: ms = 10 ms", "tau: ms = 1e-322 ms"),
    code: "E0310",
    span: ["1e-322"],
  },
  {
    name: "v /= 0 in a reset",
    src: lif("{ v = v_reset }", "{ v /= 0 }"),
    code: "E0311",
    span: ["0 }"],
  },
  {
    name: "a negative refractory period",
    src: lif("refractory 2 ms", "refractory -2 ms"),
    code: "E0416",
    span: ["-2 ms"],
    run: true,
  },
  {
    name: "tau = 0 ms given by the population: reported at the divisor, the population related",
    src: lif("population n = LIF[1]", "population n = LIF(tau = 0 ms)[1]"),
    code: "E0311",
    span: ["tau }"],
    run: true,
    message: /population n instantiates LIF/,
  },
  {
    name: "a negative refractory period given by the population",
    src: lif("population n = LIF[1]", "population n = LIF(tau = -5 ms)[1]").replace(
      "refractory 2 ms",
      "refractory tau",
    ),
    code: "E0416",
    span: ["tau clamp"],
    run: true,
  },
  {
    name: "a growing linear system whose exact propagator overflows in one step",
    src: lif("tau: ms = 10 ms", "tau: ms = 1e-290 s").replace("(v_rest - v + RI) / tau", "(v - v_rest + RI) / tau"),
    code: "E0310",
    span: ["v' ="],
    run: true,
    message: /overflows/,
    afterCheck: true,
  },
  {
    name: "dt longer than the run: no step would be simulated",
    src: lif("dt = 0.1 ms", "dt = 200 ms"),
    code: "E0516",
    span: ["100 ms"],
    run: true,
  },
];

describe("hostile numbers", () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const where = `a.glia:${at(c.src, c.span[0], c.span[1])}: error[${c.code}]`;
      const r = await cli(["check"], c.src);
      expect(r.code).toBe(c.afterCheck ? 0 : 1);
      if (!c.afterCheck) expect(r.stderr).toContain(where);
      if (c.message && !c.afterCheck) expect(r.stderr).toMatch(c.message);
      if (c.run) {
        const ran = await cli(["run", "--target", "reference", "--json"], c.src);
        expect(ran.code).toBe(1);
        // --json: the failure as an error object on stdout, the diagnostics on stderr
        const e = JSON.parse(ran.stdout);
        expect(e.ok).toBe(false);
        expect(e.error.diagnostics.some((d: { code: string }) => d.code === c.code)).toBe(true);
        expect(ran.stderr).toContain(where);
        if (c.message) expect(ran.stderr).toMatch(c.message);
      }
    });
  }

  // sqrt of a state variable that goes negative: x reaches 0 at t = 10 ms; v is NaN from step 100 on,
  // which is not a step the chunked guard scans at (every 32), so the re-run names it exactly
  const RUNTIME_NAN = `neuron N {
  parameters { tau: ms = 10 ms }
  state {
    v: mV = 0 mV
    x: 1 = 1
  }
  equations {
    v' = (sqrt(x) * 1 mV - v) / tau
    x' = -1 / tau
  }
  spike when v > 1 mV { v = 0 mV }
}
network Net {
  dt = 0.1 ms
  population n = N[3]
  record spikes of n
  run 100 ms
}
`;

  test("a NaN during the run: E0806 names the variable, population, neuron and first step; exit 1", async () => {
    const r = await cli(["run", "--target", "reference"], RUNTIME_NAN);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(RUNTIME_NAN, "population n")}: error[E0806]`);
    expect(r.stderr).toMatch(/v of population n became NaN at neuron 0 in step 100 \(t = 0\.01 s\)/);
    expect(r.stderr).toContain(`a.glia:${at(RUNTIME_NAN, "v: mV")}: note: v is declared here`);
    expect(r.stdout).not.toMatch(/spikes=/);
  });

  test("the wasm targets guard too: wasm-f64 names step 100 as the reference does, f32 the same variable", async () => {
    const f64 = await cli(["run", "--target", "wasm-f64"], RUNTIME_NAN);
    expect(f64.code).toBe(1);
    expect(f64.stderr).toContain(`a.glia:${at(RUNTIME_NAN, "population n")}: error[E0806]`);
    expect(f64.stderr).toMatch(/wasm-f64 target: v of population n became NaN at neuron 0 in step 100 /);
    const f32 = await cli(["run", "--target", "wasm", "--threads", "2"], RUNTIME_NAN);
    expect(f32.code).toBe(1);
    expect(f32.stderr).toMatch(/wasm target: v of population n became NaN at neuron 0 in step 10\d /);
    // the guard's re-run joins the threads every step: 2 threads name 1 thread's step, not a later one's state
    const one = await cli(["run", "--target", "wasm", "--threads", "1"], RUNTIME_NAN);
    const step = (s: string): string | undefined => /became NaN at neuron 0 in step (\d+)/.exec(s)?.[1];
    expect(step(f32.stderr)).toBe(step(one.stderr));
  });

  test("--duration shorter than one step: E0516, exit 1, nothing run", async () => {
    const r = await cli(["run", "--target", "reference", "--duration", "0.01ms"], LIF);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.glia:${at(LIF, "Single")}: error[E0516]`);
    expect(r.stdout).toBe("");
  });

  test("a division by zero in a branch a constant condition never takes is no error (check and run)", async () => {
    const src = lif("RI: mV = 20 mV", "RI: mV = 20 mV\n    tk: ms = 0 ms")
      .replace("(v_rest - v + RI) / tau", "(v_rest - v + RI) / tau + (tk > 0 ms ? (v_rest - v) / tk : 0 mV / ms)")
      .replace("{ v = v_reset }", "{\n    v = v_reset\n    if tk > 0 ms { v = v_reset * (1 ms / tk) }\n  }");
    const r = await cli(["check"], src);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const ran = await cli(["run", "--target", "reference", "--json"], src);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).populations.n.spikes).toBe(6); // as without the dead branches
  });

  test("the same model over a run that ends before the NaN is fine (the guard has no false alarm)", async () => {
    const r = await cli(["run", "--target", "reference", "--json"], RUNTIME_NAN.replace("run 100 ms", "run 9 ms"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).steps).toBe(90);
  });

  test("IR whose time constant is 0 (past the checker): the fold pass reports E0311, no later pass runs", () => {
    const built = compile("a.glia", memoryHost({ "a.glia": LIF }), { stopAfter: "build" });
    const ir = built.built!;
    const tau = ir.groups[0]!.params.find((p) => p.name === "tau")!;
    tau.init = { k: "expr", e: num(0) };
    const t0 = performance.now();
    const ran = runPasses(ir, PASSES);
    expect(performance.now() - t0).toBeLessThan(BUDGET_MS);
    const err = ran.diagnostics.find((d) => d.severity === "error")!;
    expect(err.code).toBe("E0311");
    expect(`${err.span.line}:${err.span.col}`).toBe(at(LIF, "tau }"));
    expect(ran.ir.passes).not.toContain("solve-odes");
  });

  test("expm refuses a non-finite matrix, propagator returns undefined (no endless squaring)", () => {
    expect(() => expm([[-Infinity]])).toThrow(RangeError);
    expect(() =>
      expm([
        [NaN, 0],
        [0, 1],
      ]),
    ).toThrow(RangeError);
    expect(propagator([[-Infinity]], 1e-4)).toBeUndefined();
    expect(propagator([[1e300]], 1e300)).toBeUndefined(); // A h overflows
    expect(propagator([[1e290]], 1e-4)).toBeUndefined(); // e^(1e286) overflows
    expect(propagator([[-1e290]], 1e-4)!.P[0]![0]).toBe(0); // decays to 0: finite, fine
  });
});
