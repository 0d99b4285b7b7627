// Run-time numeric guards (issue 17) and `--numeric-guard error | warn | off`: on the fixed target the first
// overflow of a fixed-point format (here: a ramp profiled over the model's 5 ms run, then run for 50 ms, so its
// profiled format saturates at 2^-6 V = 15.625 mV, step 156) is E0811 naming the variable, population, neuron
// and step, exit 1; warn runs on with a warning, off says nothing. On reference and wasm, warn turns E0806 (a NaN
// during the run) into a warning and the run gives its result.
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { RAMP } from "./ramp-fixture.js";

const NAN = `neuron N {
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
  run 20 ms
}
`;

async function run(src: string, args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const io = captureIo({ "a.glia": src });
  const code = await runCli(["run", "a.glia", "--json", ...args], io);
  expect(io.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  return { code, stderr: io.stderr, stdout: io.stdout };
}

const FIRST =
  /error\[E0811\]: fixed target: v of population n overflowed its fixed-point format at neuron 0 in step 156 \(t = 0\.0156 s\)/;

describe("fixed target: the first overflow of a format (E0811)", () => {
  test("is an error naming variable, population, neuron and step; no result", async () => {
    const r = await run(RAMP, ["--target", "fixed", "--duration", "50ms"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("a.glia:9:3: error[E0811]");
    expect(r.stderr).toMatch(FIRST);
    // --json: the failure as one error object, no result
    const out = JSON.parse(r.stdout) as { ok: boolean; error: { diagnostics: { code: string }[] } };
    expect(out.ok).toBe(false);
    expect(out.error.diagnostics.map((d) => d.code)).toContain("E0811");
  });

  test("--numeric-guard warn: a warning, and the run's result", async () => {
    const r = await run(RAMP, ["--target", "fixed", "--duration", "50ms", "--numeric-guard", "warn"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning\[E0811\]: fixed target: v of population n overflowed .* at neuron 0 in step 156 /,
    );
    expect(JSON.parse(r.stdout).steps).toBe(500);
  });

  test("--numeric-guard off: nothing said; the model's own run (which its profile covers) is clean", async () => {
    const off = await run(RAMP, ["--target", "fixed", "--duration", "50ms", "--numeric-guard", "off"]);
    expect(off.code).toBe(0);
    expect(off.stderr).not.toContain("E0811");
    const own = await run(RAMP, ["--target", "fixed"]);
    expect(own.code).toBe(0);
    expect(own.stderr).not.toContain("E0811");
  });
});

describe("float targets: --numeric-guard warn turns E0806 into a warning", () => {
  test.each(["reference", "wasm-f64"])("%s", async (target) => {
    const err = await run(NAN, ["--target", target]);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/error\[E0806\]: [\w-]+ target: v of population n became NaN at neuron 0 in step 100 /);
    const warn = await run(NAN, ["--target", target, "--numeric-guard", "warn"]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toMatch(
      /warning\[E0806\]: [\w-]+ target: v of population n became NaN at neuron 0 in step 100 /,
    );
    expect(JSON.parse(warn.stdout).steps).toBe(200);
  });
});
