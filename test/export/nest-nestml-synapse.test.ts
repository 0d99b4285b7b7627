// `glia export --to nest` for NESTML synapses and the ports of NESTML neurons, in process (no Python): a plastic
// synapse is written on glia's discrete form (the event-driven closed-form advance over glia's `elapsed`, in SI, at
// glia's handler times), never NESTML's equations and integrate_odes; a neuron with several target variables gets
// an excitatory / inhibitory port pair per variable (NESTML 8.3.0 adds |w| to an unqualified port of such a neuron);
// a synapse with `on post` and a delay leaves from parrot_neurons that relay its presynaptic spikes after glia's delay
// (relays.ts). The live runs are in test/peers/export-nestml.test.ts and export-nestml-relay.test.ts.
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

  test("a synapse with `on post` and a delay: its presynaptic spikes relayed by parrot_neurons after glia's delay", async () => {
    const src = SRC.replace("onto gi fixed_probability(0.5)", "onto gi fixed_probability(0.5) delay = 1 ms");
    const io = captureIo({ "m.glia": src });
    expect(await runCli(["export", "m.glia", "--to", "nest", "-o", "x"], io)).toBe(0);
    const line = src.split("\n").findIndex((l) => l.startsWith("  record w of plastic")) + 1;
    // the record is glia's only: NEST's relayed connections are not read while it runs
    expect(io.stderr).toContain(
      `m.glia:${line}:3: warning[W1016]: the nest script does not record plastic.w: its presynaptic spikes reach the synapse through parrot_neurons (a delay with \`on post\`), whose connections are not read`,
    );
    const py = io.files.get("x/run.py")!;
    expect(py).toContain('            relay = nest.Create("parrot_neuron", SIZES["inh"])\n');
    expect(py).toContain(
      '            nest.Connect(nodes["inh"], relay, "one_to_one", syn_spec={"delay": float(d) * DT * 1e3})\n',
    );
    expect(py).toContain("        delay[late] = DT * 1e3\n");
    expect(py.indexOf("delay[late] = DT * 1e3")).toBeLessThan(
      py.indexOf('spec = {"synapse_model": "glia_plastic_synapse'),
    );
    expect(io.files.get("x/README.md")).toContain("Relayed NESTML synapses (plastic)");
  });

  test("without a delay no relay", async () => {
    const io = captureIo();
    expect(await runCli(["export", FILE, "--to", "nest", "-o", "n"], io)).toBe(0);
    expect(io.files.get("n/run.py")).not.toContain('nest.Create("parrot_neuron", SIZES["inh"])');
    expect(io.files.get("n/README.md")).not.toContain("Relayed");
  });
});
