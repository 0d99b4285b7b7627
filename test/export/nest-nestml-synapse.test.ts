// `glia export --to nest` for NESTML synapses and the ports of NESTML neurons, in process (no Python): a plastic
// synapse is written on glia's discrete form (the event-driven closed-form advance over glia's `elapsed`, in SI, at
// glia's handler times), never NESTML's equations and integrate_odes; a neuron with several target variables gets
// an excitatory / inhibitory port pair per variable (NESTML 8.3.0 adds |w| to an unqualified port of such a neuron);
// a synapse with `on post` and a delay is refused at its connect (E0808). The live runs are in
// test/peers/export-nestml.test.ts.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const FILE = "test/fixtures/nest/vogels_isp_weights.glia";
const SRC = fs.readFileSync(path.join(REPO_ROOT, FILE), "utf8");

describe("glia export --to nest: NESTML synapses on glia's step", () => {
  test("VogelsISP: glia's handlers with the closed-form advance, no equations, no integrate_odes", async () => {
    const io = captureIo();
    expect(await runCli(["export", FILE, "--to", "nest", "-o", "n"], io)).toBe(0);
    const syn = io.files.get("n/nestml/glia_plastic_synapse.nestml")!;
    expect(syn).not.toContain("integrate_odes");
    expect(syn).not.toMatch(/^ {4}equations:/m);
    const pre = syn.slice(syn.indexOf("onReceive(pre_spikes):"), syn.indexOf("onReceive(post_spikes):"));
    // glia's time of the handler is NEST's event time less one step; the traces decay over glia's elapsed (s)
    expect(pre.split("\n").map((l) => l.trim())).toEqual([
      "onReceive(pre_spikes):",
      "glia_now real = (t - resolution()) / ms",
      "glia_l_cse_0 real = exp(((-50.0) * ((glia_now - glia_last) / 1000.0)))",
      "glia_l_x_new real = (x * glia_l_cse_0)",
      "glia_l_y_new real = (y * glia_l_cse_0)",
      "x = glia_l_x_new",
      "y = glia_l_y_new",
      "emit_spike(((1.5999999999999998e-8 * 0.0625) * w))",
      "x = (x + 1.0)",
      "w = clip((w + (0.05 * (y - 0.2))), 0.0, 10.0)",
      "glia_last = glia_now",
      "",
    ]);
    expect(syn).toContain(
      "        y = (y + 1.0)\n        w = clip((w + (0.05 * x)), 0.0, 10.0)\n        glia_last = glia_now\n",
    );
    // every synapse variable in SI, glia's values unchanged in the script
    expect(io.files.get("n/run.py")).toContain('spec.update({"w": syn["w"], "x": syn["x"], "y": syn["y"]})');
  });

  test("a neuron with two target variables: an excitatory / inhibitory port pair each, the difference added", async () => {
    const io = captureIo();
    expect(await runCli(["export", FILE, "--to", "nest", "-o", "n"], io)).toBe(0);
    const exc = io.files.get("n/nestml/glia_exc_neuron.nestml")!;
    for (const v of ["ge", "gi"]) {
      expect(exc).toContain(`        in_${v} <- excitatory spike\n        inneg_${v} <- inhibitory spike\n`);
      expect(exc).toContain(`        ${v} += (in_${v} - inneg_${v}) * s\n`);
    }
    expect(exc).toContain("        glia_unused_a <- spike\n        glia_unused_b <- spike\n");
    // one target: one unqualified port (its weights keep their sign)
    const inh = io.files.get("n/nestml/glia_inh_neuron.nestml")!;
    expect(inh).toContain("        in_ge <- spike\n");
    expect(inh).toContain("        ge += in_ge * s\n");
  });

  test("a synapse with `on post` and a delay is refused at its connect: NESTML orders post spikes by the delay", async () => {
    const src = SRC.replace("onto gi fixed_probability(0.5)", "onto gi fixed_probability(0.5) delay = 1 ms");
    const io = captureIo({ "m.glia": src });
    expect(await runCli(["export", "m.glia", "--to", "nest", "-o", "x"], io)).toBe(1);
    const line = src.split("\n").findIndex((l) => l.includes("connect plastic")) + 1;
    expect(io.stderr).toContain(
      `m.glia:${line}:3: error[E0808]: cannot export to nest: the delay of 10 steps of plastic's synapse VogelsISP, which has \`on post\``,
    );
    expect(io.files.has("x/run.py")).toBe(false);
  });
});
