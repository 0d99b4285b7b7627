// `--compare reference` beyond spikes: recorded traces (max and RMS error, PSC amplitude ratio), frozen state with
// the bits it needs, the verdict line and the word widths that would pass; on `glia run --target fixed` and on
// `glia emulate`. In: fixtures under test/fixtures/fidelity and a golden LIF case; out: assertions on the JSON
// fidelity report and the text.

import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import type { FidelityReport } from "../../targets/fidelity/report.js";

async function compare(file: string, extra: string[] = []): Promise<{ f: FidelityReport; text: string }> {
  const hw = extra.includes("--hw") ? [] : ["--hw", "fpga-ultrascale"];
  const args = ["run", file, "--target", "fixed", ...hw, "--compare", "reference", ...extra];
  const io = captureIo();
  expect(await runCli([...args, "--json"], io)).toBe(0);
  const f = (JSON.parse(io.stdout) as { fidelity: FidelityReport }).fidelity;
  const t = captureIo();
  expect(await runCli(args, t)).toBe(0);
  return { f, text: t.stdout };
}

describe("fidelity: traces, frozen state, verdict", () => {
  test("a Li-Rinzel astrocyte on 16-bit state: IP3 freezes, the report says where and what it needs", async () => {
    const { f, text } = await compare("test/fixtures/fidelity/frozen_ip3.glia");
    const ip3 = f.traces.find((t) => t.variable === "IP3")!;
    expect(ip3.format).toBe("UQ-7.23");
    const z = ip3.frozen!;
    expect(z).toBeDefined();
    // the word stops while the reference still moves, by less than an LSB per update and more than one in all
    expect(z.reference_change_per_update).toBeLessThan(z.lsb);
    expect(Math.abs(z.reference_value - z.value)).toBeGreaterThan(z.lsb);
    expect(z.frac_bits_needed).toBeGreaterThan(z.frac_bits);
    expect(z.word_bits_needed).toBeGreaterThan(16);
    expect(f.verdict.pass).toBe(false);
    expect(f.verdict.failures).toContain("astrocytes.IP3 frozen");
    expect(text).toMatch(/FROZEN: astrocytes\.IP3\[0\] holds .* it needs \d+ fraction bits \(has 23\)/);
    expect(text).toMatch(/^verdict: FAIL: .*astrocytes\.IP3 frozen/m);
    // the suggestion was measured: a re-run with those words passes
    expect(f.verdict.suggestion).toMatch(/^suggested: \d+-bit state, \d+-bit weight, \d+-bit coefficient words pass/);
  }, 60000);

  test("Tsodyks-Markram on 16-bit state: PSCs within 1 %, the depressed PSPs on v vanish, the report says so", async () => {
    const { f, text } = await compare("test/fixtures/fidelity/tsodyks_psp.glia");
    const isyn = f.traces.find((t) => t.variable === "I_syn")!;
    expect(isyn.synaptic_input).toBe(true);
    expect(isyn.amplitude_ratio!).toBeGreaterThan(0.99);
    expect(isyn.amplitude_ratio!).toBeLessThan(1.01);
    expect(isyn.events).toBe(20);
    expect(isyn.events_below).toBe(0);
    // v integrates I_syn: its PSPs are measured too. Measured: 46.4 % in all; 99.5 %, 78.1 %, 27.4 % for the first
    // three, then 0 of 0.17-0.19 mV for the remaining 17 (every step's change rounds to zero on)
    const v = f.traces.find((t) => t.variable === "v")!;
    expect(v.synaptic_input).toBe(false);
    expect(v.psp_of).toEqual(["cell.I_syn"]);
    expect(v.format).toBe("Q-2.17");
    expect(v.amplitude_ratio!).toBeGreaterThan(0.4);
    expect(v.amplitude_ratio!).toBeLessThan(0.5);
    expect(v.events).toBe(20);
    expect(v.events_below).toBe(19);
    expect(v.smallest_event!.amplitude).toBe(0);
    expect(v.smallest_event!.reference_amplitude).toBeGreaterThan(1.7e-4);
    expect(f.verdict.pass).toBe(false);
    expect(f.verdict.failures).toContain("cell.v PSP amplitude 46.4 % of the reference");
    expect(text).toMatch(/^ {4}cell\.I_syn +UQ-31\.47 .* 100\.4 %$/m);
    expect(text).toMatch(/^ {4}cell\.v +Q-2\.17 .* 46\.4 % \(PSP\)$/m);
    expect(text).toMatch(
      /^ {2}SHRUNKEN: cell\.v: the PSPs \(driven by cell\.I_syn\) add up to 0\.002861 against 0\.006166 in reference per element: 46\.4 % .*; 19 of 20 events below 80 %$/m,
    );
    expect(text).toMatch(/^ {4}smallest: the event at step \d+ \(element 0\): 0 against 1\.\d+e-4 \(0\.0 %\)$/m);
    expect(text).toMatch(/^verdict: FAIL: .*cell\.v PSP amplitude 46\.4 % of the reference/m);
    // wider words pass (measured by re-running)
    expect(f.verdict.suggestion).toMatch(/^suggested: 24-bit state/);
  }, 60000);

  test("emulate --compare reference reports the same shrunken PSPs (the emulator is bit-exact with fixed)", async () => {
    const io = captureIo();
    const args = [
      "emulate",
      "test/fixtures/fidelity/tsodyks_psp.glia",
      "--hw",
      "fpga-ultrascale",
      "--compare",
      "reference",
    ];
    expect(await runCli(args, io)).toBe(0);
    expect(io.stdout).toMatch(/^ {4}cell\.v +Q-2\.17 .* 46\.4 % \(PSP\)$/m);
    expect(io.stdout).toMatch(/^ {2}SHRUNKEN: cell\.v: .* 19 of 20 events below 80 %$/m);
    expect(io.stdout).toMatch(/^verdict: FAIL: .*cell\.v PSP amplitude 46\.4 % of the reference/m);
  }, 60000);

  test("a decay stalling a few LSBs above zero is rounding, not frozen state (Tsodyks-Markram PSCs, 90 ms tails)", async () => {
    // dep.I and fac.I decay to ~2.7e-14 A on 49 fraction bits (15 LSBs, 0.05 % of their 50 pA peaks) while the
    // reference goes on to 1e-83: more than one LSB off, under FROZEN_MIN_OFFSET of the range, so not flagged
    const { f, text } = await compare("examples/tsodyks_markram.glia");
    for (const v of ["dep", "fac"]) {
      const t = f.traces.find((x) => x.population === v && x.variable === "I")!;
      expect(t.frozen).toBeUndefined();
      expect(t.max_abs_error).toBeGreaterThan(t.lsb!);
      expect(t.amplitude_ratio!).toBeGreaterThan(0.95);
      expect(t.amplitude_ratio!).toBeLessThan(1.05);
    }
    expect(text).not.toMatch(/FROZEN/);
  }, 60000);

  test("LIF on loihi: the 12-bit decay grid shortens tau 0.6 %, the report says so and that 16-bit coefficients pass", async () => {
    // 24-bit state: the words are fine; the decay exp(-0.1/10) = 0.990050 lands on 4055/4096 = 0.989990, so
    // each interspike interval is one step short: 6 spikes, 1..6 steps early (reference 138 296 454 612 770 928,
    // loihi 137 294 451 608 765 922), and v's trace off by up to the 15 mV reset around each
    const { f, text } = await compare("test/golden/cases/lif-exact/main.glia", ["--hw", "loihi"]);
    expect(f.decays).toEqual([
      {
        variable: "n.v",
        decay: expect.closeTo(Math.exp(-0.01), 14),
        grid_decay: 4055 / 4096,
        coef_bits: 12,
        tau_s: expect.closeTo(0.01, 15),
        grid_tau_s: expect.closeTo(9.94e-3, 5),
      },
    ]);
    expect(f.populations.n!.max_shift_steps).toBe(-6);
    expect(f.verdict.failures).toEqual([
      "n.v RMS error 14.7 % of its range (n.v tau 9.940 ms for 10.00 ms on the 12-bit decay grid: its spikes drift up to 6 steps early, and the traces with them)",
    ]);
    expect(f.verdict.suggestion).toBe(
      "suggested: 24-bit state, 9-bit weight, 16-bit coefficient words pass (re-run on the fixed target with them)",
    );
    expect(text).toMatch(/^ {2}n +spikes 6 vs 6 .* spikes up to 6 steps early$/m);
    expect(text).toMatch(
      /^ {2}TIME CONSTANT: n\.v decays by 0\.989990 per update on the 12-bit coefficient grid \(float 0\.990050\): tau 9\.940 ms against 10\.00 ms \(-0\.60 %\)/m,
    );
    // the emulator runs the same words and says the same
    const io = captureIo();
    const args = ["emulate", "test/golden/cases/lif-exact/main.glia", "--hw", "loihi", "--compare", "reference"];
    expect(await runCli(args, io)).toBe(0);
    expect(io.stdout).toMatch(/^ {2}TIME CONSTANT: n\.v decays by 0\.989990/m);
    expect(io.stdout).toMatch(
      /^verdict: FAIL: n\.v RMS error 14\.7 % of its range \(n\.v tau 9\.940 ms for 10\.00 ms/m,
    );
  }, 60000);

  test("a clean LIF passes", async () => {
    const { f, text } = await compare("test/golden/cases/lif-exact/main.glia");
    expect(f.verdict).toEqual({ pass: true, failures: [] });
    expect(f.traces[0]!.rel_rms_error!).toBeLessThan(0.001);
    expect(text).toMatch(/^verdict: PASS/m);
  }, 60000);

  test("emulate --compare reference: the emulator's spikes against float, and a verdict", async () => {
    const io = captureIo();
    const args = [
      "emulate",
      "test/golden/cases/lif-exact/main.glia",
      "--hw",
      "fpga-ultrascale",
      "--compare",
      "reference",
    ];
    expect(await runCli(args, io)).toBe(0);
    expect(io.stdout).toMatch(/^ {2}n +n= +1 +spikes= +6 +rate=60\.00 Hz$/m);
    expect(io.stdout).toMatch(/fidelity: emulator \(fpga-ultrascale\) against reference/);
    expect(io.stdout).toMatch(/n +spikes 6 vs 6/);
    // the emulator reads its traces from the neuron memory's words: the fixed target's error, to the digit
    expect(io.stdout).toMatch(/^ {4}n\.v +Q-3\.18 +5\.712e-6 +2\.280e-6 +0\.02 %/m);
    expect(io.stdout).toMatch(/^ {2}saturations: none$/m);
    expect(io.stdout).toMatch(/^verdict: PASS/m);
  }, 60000);

  test("emulate --out writes spikes.csv and traces.csv in run --out's formats", async () => {
    const emu = captureIo();
    expect(
      await runCli(["emulate", "test/golden/cases/lif-exact/main.glia", "--hw", "fpga-ultrascale", "--out", "e"], emu),
    ).toBe(0);
    const run = captureIo();
    const args = [
      "run",
      "test/golden/cases/lif-exact/main.glia",
      "--target",
      "fixed",
      "--hw",
      "fpga-ultrascale",
      "--out",
      "r",
    ];
    expect(await runCli(args, run)).toBe(0);
    for (const f of ["spikes.csv", "traces.csv"]) {
      const a = emu.files.get(`e/${f}`)!.split("\n"),
        b = run.files.get(`r/${f}`)!.split("\n");
      expect(a[0]).toBe(b[0]);
      expect(a.length).toBe(b.length);
    }
    expect(emu.files.get("e/spikes.csv")).toBe(run.files.get("r/spikes.csv"));
  }, 60000);
});
