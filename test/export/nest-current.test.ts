// `glia export --to nest` for current stimuli, in process (no Python): examples/inputs.glia's step and CSV currents
// into LIFCurrent's input I_ext (v' = ... + I_ext / C_m: iaf_psc_exp's I_stim / C_m) become dc_generators into
// iaf_psc_exp's current input at 1.25 pA per pA (C_m 250 pF against 200 pF); an adapting neuron's stimuli from t = 0
// go into a NESTML neuron's continuous port, with its parameter stim_head_I_ext for steps 0 and 1; an input entering
// otherwise keeps the group a NESTML neuron; a stimulus into aeif_cond_alpha_astro's SIC is refused at the `current`
// statement (E0808). Live: test/peers/export-nest-current.test.ts.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const read = (f: string): string => fs.readFileSync(path.join(REPO_ROOT, f), "utf8");
const INPUTS = read("examples/inputs.glia");
const ASTRO = read("examples/astro_sic_adex.glia");
const ADAPT = read("test/fixtures/nest/adapt_current_t0.glia");
const LIF = read("compiler/stdlib/lif.glia");

async function nestExport(src: string, extra: Record<string, string> = {}): Promise<ReturnType<typeof captureIo>> {
  const io = captureIo({
    "m.glia": src,
    "data/input_spikes.csv": "index,time_ms\n0,5\n",
    "data/ramp_current.csv": "time_ms,value_SI\n0,0\n50,1e-10\n",
    ...extra,
  });
  await runCli(["export", "m.glia", "--to", "nest", "-o", "x"], io);
  return io;
}

describe("glia export --to nest: current stimuli", () => {
  test("examples/inputs.glia: LIFCurrent as iaf_psc_exp, its stimuli dc_generators into the current input", async () => {
    const io = captureIo();
    expect(await runCli(["export", "examples/inputs.glia", "--to", "nest", "-o", "n"], io)).toBe(0);
    expect([...io.files.keys()].some((f) => f.includes("nestml"))).toBe(false);
    const py = io.files.get("n/run.py")!;
    expect(py).toContain('pop = nest.Create("iaf_psc_exp", 8, params=');
    // glia's 1 A of I_ext moves v as NEST's 1.25e12 pA of I_stim: C_m 250 pF (iaf_psc_exp's) against LIFCurrent's 200
    expect(py).toContain(
      'head_current(nodes["cells"], "cells", "I_e", 0, 8, [value_at(at, k) * 1250000000000 for k in range(HEAD_STEPS)])',
    );
    expect(py).toContain("params = dc_stretches(at, 1250000000000)");
    expect(py).toContain('nest.Connect(gen, nodes["cells"][4:8], syn_spec={"delay": DT * 1e3, "receptor_type": 0})');
    // the postlude runs through advance(), which takes the head steps one at a time
    expect(py).toContain("HEAD_STEPS = 2");
    expect(py).toContain("advance(nodes, rest)");
    expect(py).not.toContain("nest.Simulate(rest)");
    expect(io.files.get("n/data/current_0.csv")).toBe("step,value\n0,0\n1000,2.5e-10\n2000,0\n");
    expect(io.files.get("n/README.md")).toContain("current stimuli are dc_generators");
  });

  test("a nonzero value at t = 0 is exported: the value of steps 0 and 1 is the neuron's constant current", async () => {
    const src = INPUTS.replace("values = [0 pA, 250 pA, 0 pA]", "values = [10 pA, 250 pA, 0 pA]");
    const io = await nestExport(src);
    expect(io.stderr).toBe("");
    expect(io.files.get("x/data/current_0.csv")).toBe("step,value\n0,1e-11\n1000,2.5e-10\n2000,0\n");
    expect(io.files.get("x/run.py")).toContain('head_current(nodes["cells"], "cells", "I_e", 0, 8, ');
  });

  test("an adapting neuron: a NESTML neuron with a continuous port and a head parameter per stimulated input", async () => {
    const io = await nestExport(ADAPT);
    expect(io.stderr).toBe("");
    const model = io.files.get("x/nestml/glia_cell_neuron.nestml")!;
    expect(model).toContain("        stim_head_I_ext real = 0.0\n");
    expect(model).toContain("        stim_I_ext real <- continuous\n");
    // glia's phase 0: the stimulus joins the input before the update, which then clears it
    expect(model.indexOf("        I_ext += stim_I_ext + stim_head_I_ext\n")).toBeLessThan(
      model.indexOf("        I_ext = 0.0\n"),
    );
    const py = io.files.get("x/run.py")!;
    expect(py).toContain(
      'head_current(nodes["cell"], "cell", "stim_head_I_ext", 0, 3, [value_at(at, k) * 1 for k in range(HEAD_STEPS)])',
    );
    expect(py).toContain('nest.Connect(gen, nodes["cell"][1:3], syn_spec={"delay": DT * 1e3, "receptor_type": 0})');
  });

  test("an input that is no added current of the membrane (v' reads I_ext times v) keeps the group a NESTML neuron", async () => {
    const lif = LIF.replace(
      "v' = (g_L * (E_L - v) + I_syn + I_ext + I_bias) / C_m",
      "v' = (g_L * (E_L - v) + I_syn + I_ext * (1 + v / (10 mV)) + I_bias) / C_m",
    );
    expect(lif).not.toBe(LIF);
    const src = INPUTS.replace('import "std/lif.glia"', 'import "lif.glia"');
    const io = await nestExport(src, { "lif.glia": lif });
    expect(io.stderr).toBe("");
    expect(io.files.get("x/run.py")).not.toContain('nest.Create("iaf_psc_exp"');
    expect(io.files.get("x/nestml/glia_cells_neuron.nestml")).toContain("stim_I_ext real <- continuous");
  });

  test("a state record of the stimulated input keeps LIFCurrent a NESTML neuron (iaf_psc_exp has no recordable for it)", async () => {
    const io = await nestExport(
      INPUTS.replace("  record v of cells[0:2]\n", "  record v of cells[0:2]\n  record I_ext of cells[0:2]\n"),
    );
    expect(io.stderr).toBe("");
    expect(io.files.get("x/run.py")).not.toContain('nest.Create("iaf_psc_exp"');
    expect(io.files.get("x/run.py")).toContain(
      'STATE_RECORDS = [("cells", "v", "v", 1, 0, 2, 1), ("cells", "I_ext", "I_ext"',
    );
  });

  test("a current into a built-in's input (aeif_cond_alpha_astro's SIC) is refused at its `current`", async () => {
    const src = ASTRO.replace(
      "  record spikes of cells\n",
      "  current I_sic of cells = steps(times = [1 ms], values = [5 pA])\n  record spikes of cells\n",
    );
    const line = src.split("\n").findIndex((l) => l.startsWith("  current I_sic")) + 1;
    const io = await nestExport(src);
    expect(io.stderr).toContain(
      `m.glia:${line}:3: error[E0808]: cannot export to nest: the current stimulus into cells.I_sic: cells is NEST's aeif_cond_alpha_astro, current stimuli are exported only into a NESTML neuron's input and into an input iaf_psc_exp adds to its membrane as a current (checked step for step there)`,
    );
    expect([...io.files.keys()].some((f) => f.startsWith("x/"))).toBe(false);
  });
});
