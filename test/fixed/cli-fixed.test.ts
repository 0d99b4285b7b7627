// The fixed target through the CLI: compile --target fixed --emit ir (fixed IR + quantization report),
// run --target fixed --hw PRESET, and the --compare fidelity report (text and JSON), on a small CUBA.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo, type CapturedIo } from "../helpers/cli-io.js";

const SMALL = fs
  .readFileSync(path.join(REPO_ROOT, "examples/cuba.glia"), "utf8")
  .replace("CubaLIF[3200]", "CubaLIF[400]")
  .replace("CubaLIF[800]", "CubaLIF[100]")
  .replaceAll("fixed_probability(0.02)", "fixed_probability(0.16)")
  .replace("run 1 s", "run 200 ms");

const capture = (): CapturedIo => captureIo({ "small.glia": SMALL });

describe("glia CLI, fixed target", () => {
  test("compile --target fixed --emit ir prints the fixed IR and the quantization report", async () => {
    const io = capture();
    expect(await runCli(["compile", "small.glia", "--target", "fixed", "--emit", "ir"], io)).toBe(0);
    expect(io.stdout).toContain("glia fixed ir: network CUBA");
    expect(io.stdout).toContain("spec default-16: state 16 bits, weights 8");
    expect(io.stdout).toMatch(/exc\.v\s+Q-2\.17\s+profile/);
    expect(io.stdout).toContain("max abs error");
  });

  test("--hw loihi sets the widths; an unknown preset is E0803", async () => {
    const io = capture();
    expect(await runCli(["compile", "small.glia", "--target", "fixed", "--hw", "loihi"], io)).toBe(0);
    expect(io.stdout).toContain("spec loihi: state 24 bits, weights 9");
    const bad = capture();
    expect(await runCli(["run", "small.glia", "--target", "fixed", "--hw", "nope"], bad)).toBe(1);
    expect(bad.stderr).toContain("E0803");
  });

  test("run --target fixed --compare reference --json has the fidelity report", async () => {
    const io = capture();
    expect(await runCli(["run", "small.glia", "--target", "fixed", "--compare", "reference", "--json"], io)).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(j.target).toBe("fixed");
    const f = j.fidelity;
    expect(f.reference).toBe("reference");
    expect(f.vp_q_per_ms).toBe(0.1);
    expect(f.vr_tau_ms).toBe(10);
    expect(f.neurons_compared).toBe(500);
    for (const pop of ["exc", "inh"]) {
      expect(f.populations[pop].reference_spikes).toBeGreaterThan(0);
      expect(Math.abs(f.populations[pop].rate_deviation_pct)).toBeLessThan(25);
    }
    expect(f.victor_purpura).toBeGreaterThan(0);
    expect(f.van_rossum).toBeGreaterThan(0);
  });

  test("run --compare prints the text report; --vp-q is validated", async () => {
    const io = capture();
    expect(
      await runCli(
        ["run", "small.glia", "--target", "fixed", "--compare", "reference", "--duration", "50ms", "--vp-q", "0.5"],
        io,
      ),
    ).toBe(0);
    expect(io.stdout).toContain(
      "fidelity: fixed against reference (Victor-Purpura q = 0.5/ms, van Rossum tau = 10 ms)",
    );
    expect(
      await runCli(["run", "small.glia", "--target", "fixed", "--compare", "reference", "--vp-q", "-1"], capture()),
    ).toBe(2);
  });
});
