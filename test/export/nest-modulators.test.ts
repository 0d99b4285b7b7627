// `glia export --to nest` for network modulators, in process (no Python): run.py evaluates every modulator before each
// step (modulate(), in declaration order at t_k, rate(POP) from POP's spikes of step k-1) and sets it into the NESTML
// neurons' parameter glia_mod_NAME; a group reading mod.NAME reads that parameter, a synapse reads it as a post read
// of its neuron's copy glia_seen_glia_mod_NAME (targets/export/nest/modulators.ts). Refused with E0808 and a caret on
// the construct: mean(POP.var), rate() of a poisson_count input. The live runs are in
// test/peers/export-nest-modulators.test.ts.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { exportNest, firstError } from "../helpers/cli-io.js";

const IZH = "examples/izhikevich_reservoir_3factor.glia";
const WTA = "examples/soft_hebbian_wta.glia";
const EXACT = "test/fixtures/nest/modulator_weights.glia";
const read = (f: string): string => fs.readFileSync(path.join(REPO_ROOT, f), "utf8");

describe("glia export --to nest: network modulators", () => {
  test("izhikevich_reservoir_3factor: mod.attention a parameter of the readout, read by its synapse as a post port", async () => {
    const io = await exportNest(IZH);
    expect(io.stderr).toBe("");
    const neuron = io.files.get("n/nestml/glia_out_neuron.nestml")!;
    expect(neuron).toContain("        glia_mod_attention real = 0.0\n");
    // the copy the synapse reads, set after the update (glia's handlers of step k read step k's modulator)
    expect(neuron).toContain("        glia_seen_glia_mod_attention = glia_mod_attention\n        glia_spiked boolean");
    // r_target is a per-element parameter read by the synapse: a copy as a state variable's
    expect(neuron).toContain("        glia_seen_r_target = r_target\n");
    const syn = io.files.get("n/nestml/glia_exc_out_synapse.nestml")!;
    expect(syn).toContain("        post_glia_mod_attention real <- continuous\n");
    expect(
      syn.match(/w = clip\(\(w \+ \(\(\(0\.01 \* post_glia_mod_attention\) \* glia_l_err\) \* elig\)\), 0\.0, 1\.0\)/g),
    ).toHaveLength(2);
    const script = io.files.get("n/run.py")!;
    expect(script).toContain(`["post_glia_mod_attention","glia_seen_glia_mod_attention"]`);
    expect(script).toContain(`MODULATORS = ["attention"]`);
    expect(script).toContain(`MOD_HOLDERS = [("out", "glia_mod_attention", "attention")]`);
    // rate(exc): exc's spikes of step k-1 / (160 dt), 0 in step 0
    expect(script).toContain(`    rate_exc = np.divide(np.float64(spikes_in_step("exc", k - 1)), 160 * DT)\n`);
    expect(script).toContain(
      `        MOD["attention"] = float(((1.0 if np.sin(np.divide(((np.float64(2) * np.float64(3.141592653589793)) * t), np.float64(0.2))) > 0 else 0.0) * np.divide(1.0, 1.0 + np.exp(-(np.divide((rate_exc - np.float64(5)), np.float64(5)))))))\n`,
    );
    // one step at a time, modulate() before couple() and the step
    expect(script).toContain(
      "            if MODULATORS:\n                modulate(nodes, DONE[0] + i)\n            couple(nodes)\n            nest.Run(DT * 1e3)",
    );
    expect(io.files.get("n/README.md")).toContain("Network modulators (attention): run.py runs one step at a time");
  });

  test("soft_hebbian_wta: both SoftHebb projections share one NESTML synapse paired with outputs", async () => {
    const io = await exportNest(WTA);
    expect(io.stderr).toBe("");
    expect([...io.files.keys()].filter((f) => f.startsWith("n/nestml/")).sort()).toEqual([
      "n/nestml/glia_outputs_neuron.nestml",
      "n/nestml/glia_pattern_a_outputs_synapse.nestml",
    ]);
    const syn = io.files.get("n/nestml/glia_pattern_a_outputs_synapse.nestml")!;
    expect(syn).toContain("        w = clip((w + ((0.02 * post_glia_mod_novelty) * (min(x, 1.0) - w))), 0.0, 1.0)\n");
    const script = io.files.get("n/run.py")!;
    expect(script).toContain(
      `"pairs": [{"neuron":"glia_outputs_neuron","synapse":"glia_pattern_a_outputs_synapse","post_ports":["post_spikes",["post_glia_mod_novelty","glia_seen_glia_mod_novelty"]]}], "synapses": ["glia_pattern_a_outputs_synapse"]`,
    );
    // both projections connect through the co-generated synapse
    expect(script.match(/"synapse_model": "glia_pattern_a_outputs_synapse__with_glia_outputs_neuron"/g)).toHaveLength(
      2,
    );
    expect(script).toContain(
      `        MOD["novelty"] = float(np.exp(np.divide((-(t - (np.float64(0.25) * np.floor(np.divide(t, np.float64(0.25)))))), np.float64(0.1))))\n`,
    );
  });

  test("a group reading a modulator in its equation is a NESTML neuron reading the parameter; inputs' rates from data/", async () => {
    const io = await exportNest(EXACT);
    expect(io.stderr).toBe("");
    const neuron = io.files.get("n/nestml/glia_out_neuron.nestml")!;
    expect(neuron).toContain("        glia_mod_novelty real = 0.0\n        glia_mod_pull real = 0.0\n");
    expect(neuron).toContain("        glia_l_v_b real = (((-0.06) + glia_mod_pull) / 0.01)\n");
    const cells = io.files.get("n/nestml/glia_cells_neuron.nestml")!;
    expect(cells).toContain("        glia_mod_attention real = 0.0\n");
    expect(cells).not.toContain("glia_mod_pull");
    const script = io.files.get("n/run.py")!;
    expect(script).toContain(
      `MOD_HOLDERS = [("out", "glia_mod_novelty", "novelty"), ("out", "glia_mod_pull", "pull"), ("cells", "glia_mod_attention", "attention")]`,
    );
    // an earlier modulator read by a later one; the input's counts from glia's draws
    expect(script).toContain(`np.exp(-(np.divide((MOD["activity"] - np.float64(1000)), np.float64(1000))))`);
    expect(script).toContain(`    for name in ["x_in"]:\n`);
  });

  test("a modulator nothing reads: no per-step loop", async () => {
    const src = read(WTA).replace("mod.novelty", "1");
    const io = await exportNest("w.glia", { "w.glia": src });
    expect(io.stderr).toBe("");
    const script = io.files.get("n/run.py")!;
    expect(script).toContain("MODULATORS = []  # network modulators (targets/export/nest/modulators.ts): none read\n");
    expect(script).not.toContain("def modulate(");
    expect(io.files.get("n/README.md")).not.toContain("Network modulators");
  });

  test("mean(POP.var) in a modulator is E0808 at the mean", async () => {
    const src = read(WTA).replace(
      "  modulator novelty =",
      "  modulator depol: mV = mean(outputs.v)\n  modulator novelty =",
    );
    const io = await exportNest("w.glia", { "w.glia": src });
    const [msg, line, caret] = firstError(io.stderr);
    expect(msg).toBe("w.glia:41:25: error[E0808]: cannot export to nest: mean(outputs.v) in the modulator 'depol'");
    expect(line).toBe("41 |   modulator depol: mV = mean(outputs.v)");
    expect(caret).toBe("   |                         ^^^^^^^^^^^^^^^");
    expect(io.files.size).toBe(0);
  });

  test("rate() of a poisson_count input in a modulator is E0808 at the rate", async () => {
    const src = read(WTA).replace(
      "  modulator novelty =",
      "  input counts = poisson_count(rate = 10 Hz)[4]\n  modulator busy: Hz = rate(counts)\n  modulator novelty =",
    );
    const io = await exportNest("w.glia", { "w.glia": src });
    const [msg, , caret] = firstError(io.stderr);
    expect(msg).toBe(
      "w.glia:42:24: error[E0808]: cannot export to nest: rate(counts) of a poisson_count input in the modulator 'busy'",
    );
    expect(caret).toBe("   |                        ^^^^^^^^^^^^");
  });

  test("a synapse reading a modulator with a delay is E0808 naming mod.NAME", async () => {
    const src = read(WTA).replace(
      "connect pattern_a -> outputs with SoftHebb(J_syn = 5 mV) onto ge all_to_all",
      "connect pattern_a -> outputs with SoftHebb(J_syn = 5 mV) onto ge all_to_all delay = 1 ms",
    );
    const io = await exportNest("w.glia", { "w.glia": src });
    expect(firstError(io.stderr)[0]).toMatch(
      /^w\.glia:\d+:3: error\[E0808\]: cannot export to nest: the delay of 2 steps of pattern_a_outputs's synapse SoftHebb, which has a handler reading mod\.novelty \(NEST hands it the value when the spike is sent, not when it arrives\)$/,
    );
  });
});
