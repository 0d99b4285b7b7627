// The target registry and the driver, through the real CLI entry (runCli, what bin/glia.js calls): a test-only
// emit target added by one registerTarget line is reachable as `glia compile FILE --target NAME`; an unknown
// target is a usage error listing the registry's names; options a target does not declare are refused; and the
// one hardware-spec resolver gives the same E0803 for a missing .json and an unknown preset in every command.
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { registerTarget, targetNames } from "../../targets/driver/registry.js";
import { captureIo, type CapturedIo } from "../helpers/cli-io.js";

// the one line that adds the target (its folder: test/registry/population-counts/)
registerTarget({
  name: "population-counts",
  kind: "emit",
  consumes: "discrete",
  options: {},
  about: "neurons and synapses per population",
  load: async () => (await import("./population-counts/emitter.js")).populationCountsEmitter,
});

const capture = (): CapturedIo => captureIo();

describe("target registry", () => {
  test("a registered emit target runs through `glia compile --target` and counts what the reference builds", async () => {
    const io = capture();
    expect(await runCli(["compile", "examples/lsm_reram.glia", "--target", "population-counts"], io)).toBe(0);
    const ref = capture();
    expect(
      await runCli(["run", "examples/lsm_reram.glia", "--target", "reference", "--duration", "1ms", "--json"], ref),
    ).toBe(0);
    const run = JSON.parse(ref.stdout);
    expect(io.stdout).toMatch(/^network LSMReRAM\n/);
    // every population with the reference's size; the projections' synapses sum to the reference's synapses
    for (const [name, p] of Object.entries(run.populations as Record<string, { n: number }>))
      expect(io.stdout).toContain(`population ${name}: ${p.n} neurons,`);
    const perProjection = [...io.stdout.matchAll(/^projection .*: (\d+) synapses$/gm)].map((m) => Number(m[1]));
    expect(perProjection.length).toBe(6); // spikes_in -> e, i; e -> e; e -> i; i -> e, i
    expect(perProjection.reduce((a, b) => a + b, 0)).toBe(run.synapses);
    const out = [...io.stdout.matchAll(/^population \S+: \d+ neurons, (\d+) synapses out, (\d+) in$/gm)];
    expect(out.reduce((a, m) => a + Number(m[1]), 0)).toBe(run.synapses);
    expect(out.reduce((a, m) => a + Number(m[2]), 0)).toBe(run.synapses);
  }, 60000);

  test("an unknown --target is a usage error listing the registry's names", async () => {
    const io = capture();
    expect(await runCli(["compile", "examples/cuba.glia", "--target", "nope"], io)).toBe(2);
    expect(targetNames("compile")).toEqual(
      expect.arrayContaining(["fixed", "wat", "crossbar", "fpga", "population-counts"]),
    );
    expect(io.stderr).toContain(
      `glia: --target: unknown target 'nope' (targets: ${targetNames("compile").join(", ")})`,
    );
    const run = capture();
    expect(await runCli(["run", "examples/cuba.glia", "--target", "nope"], run)).toBe(2);
    expect(run.stderr).toContain(targetNames("run").join(", "));
  });

  test("options a target does not declare, and missing required ones, are usage errors", async () => {
    const cases: [string[], string][] = [
      [
        ["run", "examples/cuba.glia", "--target", "reference", "--hw", "loihi"],
        "--hw: --target reference does not take it (targets that do: fixed)",
      ],
      [
        ["run", "examples/cuba.glia", "--target", "fixed", "--threads", "2"],
        "--threads: --target fixed does not take it (targets that do: wasm, wasm-f64)",
      ],
      [
        ["compile", "examples/cuba.glia", "--target", "fixed", "--emit", "wat"],
        "--target fixed: only --emit ir is available",
      ],
      [["compile", "examples/cuba.glia", "--hw", "loihi"], "--hw needs --target fixed | crossbar | fpga"],
      [
        ["compile", "examples/cuba.glia", "--target", "crossbar", "-o", "x.json"],
        "--target crossbar needs --hw PRESET|spec.json (presets: fpga-ultrascale, loihi, loihi-sanafe, reram-128, truenorth)",
      ],
      [["compile", "examples/cuba.glia", "--target", "fpga", "--hw", "loihi"], "--target fpga needs -o FILE"],
      [
        ["compile", "examples/cuba.glia", "--target", "population-counts", "--hw", "loihi"],
        "--hw: --target population-counts does not take it",
      ],
    ];
    for (const [argv, message] of cases) {
      const io = capture();
      expect({ argv, code: await runCli(argv, io) }).toEqual({ argv, code: 2 });
      expect(io.stderr).toContain(`glia: ${message}`);
    }
  });

  test("one hardware-spec resolver: a missing .json and an unknown preset give the same E0803 in every command", async () => {
    const commands = (hw: string): string[][] => [
      ["run", "examples/lsm_reram.glia", "--target", "fixed", "--hw", hw],
      ["compile", "examples/lsm_reram.glia", "--target", "fixed", "--hw", hw],
      ["compile", "examples/lsm_reram.glia", "--target", "crossbar", "--hw", hw, "-o", "x.json"],
      ["compile", "examples/lsm_reram.glia", "--target", "fpga", "--hw", hw, "-o", "x.json"],
      ["emulate", "examples/lsm_reram.glia", "--hw", hw],
    ];
    for (const argv of commands("no-such-spec.json")) {
      const io = capture();
      expect({ argv, code: await runCli(argv, io) }).toEqual({ argv, code: 1 });
      expect(io.stderr).toContain("error[E0803]: cannot read hardware spec no-such-spec.json: ENOENT");
    }
    for (const argv of commands("loihi3")) {
      const io = capture();
      expect({ argv, code: await runCli(argv, io) }).toEqual({ argv, code: 1 });
      expect(io.stderr).toContain('error[E0803]: unknown hardware preset "loihi3"');
      expect(io.stderr).toContain("presets: fpga-ultrascale, loihi, loihi-sanafe, reram-128, truenorth");
    }
  }, 120000);
});
