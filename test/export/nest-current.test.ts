// `glia export --to nest` for current stimuli, in process (no Python): examples/inputs.glia's step and CSV currents
// into LIFCurrent's input I_ext become dc_generators into a continuous port of its NESTML neuron, each stretch one
// step early; a stimulus with a nonzero value at t = 0 (which no NEST device reaches) and one into a built-in's input
// (aeif_cond_alpha_astro's SIC) are refused at the `current` statement (E0808). Live: test/peers/export-nest-current.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const INPUTS = fs.readFileSync(path.join(REPO_ROOT, "examples/inputs.glia"), "utf8");
const ASTRO = fs.readFileSync(path.join(REPO_ROOT, "examples/astro_sic_adex.glia"), "utf8");

async function nestErrors(src: string): Promise<string> {
  const io = captureIo({
    "m.glia": src,
    "data/input_spikes.csv": "index,time_ms\n0,5\n",
    "data/ramp_current.csv": "time_ms,value_SI\n0,0\n50,1e-10\n",
  });
  expect(await runCli(["export", "m.glia", "--to", "nest", "-o", "x"], io)).toBe(1);
  return io.stderr;
}

describe("glia export --to nest: current stimuli", () => {
  test("examples/inputs.glia: a NESTML neuron with a continuous port per stimulated input, fed by dc_generators", async () => {
    const io = captureIo();
    expect(await runCli(["export", "examples/inputs.glia", "--to", "nest", "-o", "n"], io)).toBe(0);
    const model = io.files.get("n/nestml/glia_cells_neuron.nestml")!;
    expect(model).toContain("        stim_I_ext real <- continuous\n");
    // glia's phase 0: the stimulus joins the input before the update, which then clears it
    expect(model.indexOf("        I_ext += stim_I_ext\n")).toBeLessThan(model.indexOf("        I_ext = 0.0\n"));
    const py = io.files.get("n/run.py")!;
    expect(py).toContain('cur = load(data, "current_0.csv")');
    expect(py).toContain('cur = load(data, "current_1.csv")');
    expect(py).toContain('p = {"amplitude": at[s], "start": (s - 1) * DT * 1e3}');
    expect(py).toContain('nest.Connect(gen, nodes["cells"][4:8], syn_spec={"delay": DT * 1e3, "receptor_type": 0})');
    expect(io.files.get("n/data/current_0.csv")).toBe("step,value\n0,0\n1000,2.5e-10\n2000,0\n");
    expect(io.files.get("n/README.md")).toContain("current stimuli are dc_generators");
  });

  test("a nonzero value at t = 0 is refused at its `current` (no NEST device reaches step 0)", async () => {
    const src = INPUTS.replace("values = [0 pA, 250 pA, 0 pA]", "values = [10 pA, 250 pA, 0 pA]");
    const line = src.split("\n").findIndex((l) => l.includes("10 pA, 250 pA")) + 1;
    expect(await nestErrors(src)).toContain(
      `m.glia:${line}:3: error[E0808]: cannot export to nest: the current stimulus into cells.I_ext: its value at t = 0 is 1e-11 (SI), not 0`,
    );
  });

  test("a current into a built-in's input (aeif_cond_alpha_astro's SIC) is refused at its `current`", async () => {
    const src = ASTRO.replace(
      "  record spikes of cells\n",
      "  current I_sic of cells = steps(times = [1 ms], values = [5 pA])\n  record spikes of cells\n",
    );
    const line = src.split("\n").findIndex((l) => l.startsWith("  current I_sic")) + 1;
    expect(await nestErrors(src)).toContain(
      `m.glia:${line}:3: error[E0808]: cannot export to nest: the current stimulus into cells.I_sic: cells is NEST's aeif_cond_alpha_astro, current stimuli are exported only into a NESTML neuron's input (checked step for step there)`,
    );
  });
});
