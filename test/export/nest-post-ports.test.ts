// `glia export --to nest` for NESTML synapses that read their postsynaptic neuron's state (post.X), in process (no
// Python): the synapse reads a continuous port post_X, paired in NESTML's neuron_synapse_pairs with the neuron's
// glia_seen_X, which the neuron sets right after its update (glia's handlers read post.X after the update, before the
// reset: targets/export/nest/post-ports.ts); every synapse variable stays in the synapse (strictly_synaptic_vars),
// the port is buffered at post spikes (post_spike_based). Refused with E0808 and a caret on the construct: pre.X, a
// post read of a variable synapses add to, and of an input, and a post read with a delay. The live runs are in
// test/peers/export-nestml-post.test.ts.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { exportNest, firstError } from "../helpers/cli-io.js";

const HLR = "examples/homeostatic_lr.glia";
const OJA = "test/fixtures/nest/oja_post_read.glia";
const SRC = fs.readFileSync(path.join(REPO_ROOT, HLR), "utf8");

describe("glia export --to nest: NESTML synapses reading post state", () => {
  test("homeostatic_lr: post.ca through a continuous port paired with the neuron's glia_seen_ca", async () => {
    const io = await exportNest(HLR);
    expect(io.stderr).toBe("");
    const syn = io.files.get("n/nestml/glia_afferents_cells_synapse.nestml")!;
    expect(syn).toContain("        post_spikes <- spike\n        post_ca real <- continuous\n");
    // both handlers read the port where glia reads post.ca
    expect(
      syn.match(/glia_l_eta real = \(0\.02 \* \(1\.0 \/ \(1\.0 \+ exp\(-\(\(0\.3 - post_ca\) \/ 0\.05\)\)\)\)\)/g),
    ).toHaveLength(2);
    const neuron = io.files.get("n/nestml/glia_cells_neuron.nestml")!;
    expect(neuron).toContain("        glia_seen_ca real = 0.0\n");
    // set after the update, before the threshold (and so before emit_spike and the reset)
    expect(neuron).toContain(
      "        ca = glia_l_ca_new\n        glia_seen_ca = ca\n        glia_spiked boolean = false\n",
    );
    const script = io.files.get("n/run.py")!;
    expect(script).toContain(
      `"pairs": [{"neuron":"glia_cells_neuron","synapse":"glia_afferents_cells_synapse","post_ports":["post_spikes",["post_ca","glia_seen_ca"]]}]`,
    );
    expect(script).toContain(`"state": {"glia_afferents_cells_synapse":["w","x","y","glia_last"]}`);
    expect(script).toContain(`"continuous_state_buffering_method": "post_spike_based"`);
    expect(script).toContain(`"strictly_synaptic_vars": NESTML["state"]`);
  });

  test("Oja: w, which only `on post` changes, stays a synapse variable; post.y is the port", async () => {
    const io = await exportNest(OJA);
    expect(io.stderr).toBe("");
    const syn = io.files.get("n/nestml/glia_ff_synapse.nestml")!;
    expect(syn).toContain("        w = (w + (0.005 * (x - (post_y * w))))\n");
    expect(syn).toMatch(/^ {8}w real = 0\.0$/m);
    const script = io.files.get("n/run.py")!;
    expect(script).toContain(`"post_ports":["post_spikes",["post_y","glia_seen_y"]]`);
    expect(script).toContain(`"state": {"glia_ff_synapse":["w","x","glia_last"]}`);
    // the record of w is written (no W1016)
    expect(script).toContain(`"ff", "w", range(0, 160), 500`);
  });

  test("pre.y (the anti-Hebbian rule of hebbian_subspace_oja) is E0808 with the caret on pre.y", async () => {
    const io = await exportNest("examples/hebbian_subspace_oja.glia");
    const [msg, src, caret] = firstError(io.stderr);
    expect(msg).toMatch(
      /^examples\/hebbian_subspace_oja\.glia:68:24: error\[E0808\]: cannot export to nest: the synapse AntiHebbian of lat: .* and no NESTML synapse: a synapse reading pre\.y \(a NESTML synapse sees its postsynaptic neuron's state through continuous ports, never its presynaptic neuron's\)$/,
    );
    expect(src).toBe("68 |   on post { m += eta * pre.y }");
    expect(caret).toBe("   |                        ^^^^^");
    expect(io.files.size).toBe(0);
  });

  test("a post read of a variable synapses add to is E0808 at the read", async () => {
    const src = SRC.replace(
      "let eta = eta0 * sigmoid((ca_target - post.ca) / ca_width)\n    w = clip(w - eta",
      "let eta = eta0 * sigmoid((ca_target - post.ge / 1 mV) / ca_width)\n    w = clip(w - eta",
    );
    expect(src).not.toBe(SRC);
    const io = await exportNest("m.glia", { "m.glia": src });
    const [msg, , caret] = firstError(io.stderr);
    expect(msg).toBe(
      "m.glia:59:43: error[E0808]: cannot export to nest: the synapse MetaSTDP of afferents_cells reading post.ge: synapses add to post.ge (NEST adds them in the neuron's update, glia's handlers read it between their additions)",
    );
    expect(caret).toBe("   |                                           ^^^^^^^");
  });

  test("a synapse reading post state with a delay is E0808 at its connect", async () => {
    const src = SRC.replace("onto ge fixed_indegree(50)", "onto ge fixed_indegree(50) delay = 1 ms");
    const io = await exportNest("m.glia", { "m.glia": src });
    const [msg] = firstError(io.stderr);
    // `on post` with a delay is relayed (relays.ts); the post read with a delay is what stays refused
    expect(msg).toMatch(
      /^m\.glia:\d+:3: error\[E0808\]: cannot export to nest: the delay of 10 steps of afferents_cells's synapse MetaSTDP, which has a handler reading post\.ca/,
    );
    // without `on post`: the same reason
    const pre = src.replace(/ {2}on post \{[^}]*\}\n/, "");
    const io2 = await exportNest("m.glia", { "m.glia": pre });
    expect(firstError(io2.stderr)[0]).toContain(
      "which has a handler reading post.ca (NEST hands it the value when the spike is sent, not when it arrives)",
    );
  });
});
