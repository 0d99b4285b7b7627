// Preset capabilities (issue 12, item 4): each preset states the neuron and synapse dynamics its cores implement
// natively; Hodgkin-Huxley is refused on loihi with its reason (E0814, caret on the model), runs with
// --allow-approximate-cores and a warning naming the borrowed costs (W1014), and a LIF network still maps on loihi.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { lowerForHardware } from "../../targets/driver/hardware.js";
import { PRESETS } from "../../targets/hw/preset-names.js";
import { resolveHardwareSpec } from "../../targets/hw/resolve.js";
import type { HardwareSpec } from "../../targets/hw/spec.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { spawnSync } from "node:child_process";
import path from "node:path";

/** The built CLI (dist/, `npm run build`) on args, from the repository root. */
const runCli = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync("node", [path.join(REPO_ROOT, "bin", "glia.js"), ...args], { cwd: REPO_ROOT, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const ir = (file: string): IRProgram => {
  const r = compile(file, dirHost(REPO_ROOT));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
};
const spec = (name: string): HardwareSpec => resolveHardwareSpec(name).spec!;

describe("preset capabilities", () => {
  it("every preset states its cores' native neuron and synapse dynamics, with a source", () => {
    const caps = Object.fromEntries(PRESETS.map((n) => [n, spec(n).capabilities]));
    expect(Object.fromEntries(Object.entries(caps).map(([n, c]) => [n, [c?.neurons, c?.synapses]]))).toEqual({
      "fpga-ultrascale": ["fixed-point-ir", "fixed-point-ir"],
      loihi: ["lif", "learning-rules"],
      "loihi-sanafe": ["lif", "learning-rules"],
      "reram-128": ["fixed-point-ir", "static"],
      truenorth: ["lif", "static"],
    });
    for (const c of Object.values(caps)) expect(c!.source.length).toBeGreaterThan(3);
  });

  it("HH on loihi: E0814 with the caret on the model name, the population as related span, and the reason", () => {
    const m = lowerForHardware(ir("test/hw-ranges/hh_boltzmann.glia"), spec("loihi"));
    expect(m.descriptor).toBeUndefined();
    expect(m.diagnostics.map((d) => d.code)).toEqual(["E0814"]);
    const d = m.diagnostics[0]!;
    expect(d.severity).toBe("error");
    expect(d.message).toBe(
      "loihi: population cell (neuron model HHB) is not what its cores implement natively: it integrates v (exponential_euler): not linear dynamics; the cores implement a linear leaky integrate-and-fire compartment (exact linear decays, a threshold on one variable, a reset to constants)",
    );
    expect([d.span.file, d.span.line, d.span.col, d.span.endCol]).toEqual([
      "test/hw-ranges/hh_boltzmann.glia",
      4,
      8,
      10,
    ]);
    expect(d.related.map((r) => [r.message, r.span.line, r.span.col])).toEqual([["mapped here", 31, 3]]);
  });

  it("HH on fpga-ultrascale (a programmable datapath) maps without a capability diagnostic", () => {
    const m = lowerForHardware(ir("test/hw-ranges/hh_boltzmann.glia"), spec("fpga-ultrascale"));
    expect(m.descriptor).toBeDefined();
    expect(m.diagnostics.filter((d) => d.code === "E0814" || d.code === "W1014")).toEqual([]);
  });

  it("HH with the allowance: mapped, W1014 names the borrowed costs (Loihi's neuron update energies and latencies)", () => {
    const m = lowerForHardware(ir("test/hw-ranges/hh_boltzmann.glia"), spec("loihi"), { allowApproximateCores: true });
    expect(m.descriptor).toBeDefined();
    const w = m.diagnostics.filter((d) => d.code === "W1014");
    expect(w.length).toBe(1);
    expect(w[0]!.severity).toBe("warning");
    expect(w[0]!.message).toContain("programmable-core approximation");
    expect(w[0]!.message).toContain("neuronActive 72.8 pJ / 9.7 ns, neuronInactive 51.2 pJ / 6 ns");
  });

  it("static-weight cores refuse a plastic synapse (stdp on truenorth) with the synapse's reason", () => {
    const m = lowerForHardware(ir("examples/stdp.glia"), spec("truenorth"));
    const e = m.diagnostics.filter((d) => d.code === "E0814");
    expect(e.length).toBeGreaterThan(0);
    expect(e[0]!.message).toMatch(/projection \w+ \(synapse model \w+\) is not what its cores implement natively/);
  });

  it("LIF (current-based, refractory) still maps on loihi, with no capability diagnostic", () => {
    for (const file of ["test/golden/cases/stdp-event-driven/main.glia", "examples/lsm_reram.glia"]) {
      const m = lowerForHardware(ir(file), spec("loihi"));
      expect(m.diagnostics.filter((d) => d.code === "E0814" || d.code === "W1014")).toEqual([]);
      expect(m.descriptor).toBeDefined();
    }
  });

  it("CLI: glia emulate --hw loihi refuses HH (exit 1, E0814); with --allow-approximate-cores it runs and warns", () => {
    const no = runCli(["emulate", "test/hw-ranges/hh_boltzmann.glia", "--hw", "loihi", "--json"]);
    expect(no.code).toBe(1);
    expect(no.stderr).toContain("error[E0814]");
    const yes = runCli([
      "emulate",
      "test/hw-ranges/hh_boltzmann.glia",
      "--hw",
      "loihi",
      "--json",
      "--allow-approximate-cores",
    ]);
    expect(yes.code).toBe(0);
    expect(yes.stderr).toContain("warning[W1014]");
    const out = JSON.parse(yes.stdout) as { spikes_total: number };
    expect(out.spikes_total).toBe(8);
  });
});
