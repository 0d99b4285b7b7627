// The emulator's own overflow guard and `glia emulate --numeric-guard error|warn|off` (issue 17). A ramp whose
// fixed-point format is profiled over the model's 5 ms run saturates at step 156 when emulated for 50 ms: the
// emulator used to saturate silently and exit 0 (only `--check`, through the fixed-point executor, said so).
// Now it is E0811 naming variable, population, neuron and step, exactly as the fixed target names it, at the
// population (a model) or at the descriptor file (a .json); warn: a warning and the summary, exit 0; off: silent.
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo, type CapturedIo } from "../helpers/cli-io.js";
import { RAMP } from "./ramp-fixture.js";

/** The crossbar presets map populations through their synapses (a population with none has no tile): the ramp
 *  with a one-to-one projection that never fires (the ramp stops at 1000 mV; it saturates first). */
const RAMP_XBAR = RAMP.replace(
  "network Net {",
  "synapse S {\n  parameters { w: mV = 0 mV }\n  on pre { post.v += w }\n}\nnetwork Net {",
).replace("  record spikes", "  connect n -> n with S(w = 1 mV) onto v one_to_one\n  record spikes");
const FIRST = "v of population n overflowed its fixed-point format at neuron 0 in step 156 (t = 0.0156 s)";

async function cli(
  args: string[],
  io: CapturedIo = captureIo({ "a.glia": RAMP }),
): Promise<CapturedIo & { code: number }> {
  const code = await runCli(args, io);
  expect(io.stderr).not.toMatch(/internal error/);
  return Object.assign(io, { code });
}

describe("glia emulate: the first overflow of a fixed-point format (E0811)", () => {
  for (const [hw, src, line] of [
    ["loihi", RAMP, 9],
    ["fpga-ultrascale", RAMP, 9],
    ["reram-128", RAMP_XBAR, 13],
  ] as const) {
    test(`${hw}: an error at the population, as the fixed target names it; no summary`, async () => {
      const args = ["--hw", hw, "--duration", "50ms"];
      const fixed = await cli(["run", "a.glia", "--target", "fixed", ...args], captureIo({ "a.glia": src }));
      expect(fixed.code).toBe(1);
      expect(fixed.stderr).toContain(`a.glia:${line}:3: error[E0811]: fixed target: ${FIRST}`);
      const r = await cli(["emulate", "a.glia", ...args], captureIo({ "a.glia": src }));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`a.glia:${line}:3: error[E0811]: emulator target: ${FIRST}`);
      expect(r.stdout).toBe("");
    });
  }

  test("--numeric-guard warn: a warning and the summary, exit 0; off: nothing said", async () => {
    const warn = await cli(["emulate", "a.glia", "--hw", "loihi", "--duration", "50ms", "--numeric-guard", "warn"]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toContain(`a.glia:9:3: warning[E0811]: emulator target: ${FIRST}`);
    expect(warn.stdout).toContain("a.glia: 500 steps on loihi");
    const off = await cli(["emulate", "a.glia", "--hw", "loihi", "--duration", "50ms", "--numeric-guard", "off"]);
    expect(off.code).toBe(0);
    expect(off.stderr).not.toContain("E0811");
    // --check with warn: the descriptor run warns too, and both runs' spikes agree
    const check = await cli([
      "emulate",
      "a.glia",
      "--hw",
      "loihi",
      "--duration",
      "50ms",
      "--check",
      "--numeric-guard",
      "warn",
    ]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("bit exact vs fixed: true");
  });

  test("the model's own run (which the profile covers) is clean", async () => {
    const r = await cli(["emulate", "a.glia", "--hw", "loihi"]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("E0811");
  });

  test("a descriptor .json: the error at the file", async () => {
    const io = captureIo({ "a.glia": RAMP });
    const compiled = await cli(["compile", "a.glia", "--target", "fpga", "--hw", "loihi", "-o", "a.json"], io);
    expect(compiled.code).toBe(0);
    const desc = captureIo({ "a.json": io.files.get("a.json")! });
    const r = await cli(["emulate", "a.json", "--hw", "loihi", "--duration", "50ms"], desc);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a.json:1:1: error[E0811]: emulator target: ${FIRST}`);
    expect(r.stdout).toBe("");
  });

  test("--numeric-guard takes error, warn or off", async () => {
    const r = await cli(["emulate", "a.glia", "--hw", "loihi", "--numeric-guard", "maybe"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--numeric-guard");
  });
});
