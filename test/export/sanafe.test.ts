// `glia export --to sanafe` without the peer: what it writes (network.yaml with glia's placement, arch.yaml from
// --hw, run.py, README.md) and what it refuses (E0808 at the construct): a group that is not a Loihi LIF compartment,
// a preset not in Loihi neuron mode; --hw is a usage error for an engine that does not take it.
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";

const FF = "test/fixtures/sanafe/feedforward.glia";

const REFRACTORY = `import "std/static.glia"
neuron R {
  parameters { taum: ms = 20 ms  taus: ms = 5 ms  Vt: mV = -50 mV  Vr: mV = -60 mV }
  state { v: mV = Vr  I: mV = 0 mV }
  equations {
    v' = (I - (v - Vr)) / taum
    I' = -I / taus
  }
  method exact
  spike when v > Vt { v = Vr }
  refractory 2 ms clamp v
}
network N {
  dt = 1 ms
  input src = poisson(rate = 20 Hz)[10]
  population a = R[10]
  connect src -> a with Static(w = 1 mV) onto I all_to_all
  record spikes of a
  run 10 ms
}
`;

describe("glia export --to sanafe", () => {
  it("writes network.yaml (placement of --hw), arch.yaml, run.py and README.md", async () => {
    const io = captureIo();
    expect(await runCli(["export", FF, "--to", "sanafe", "-o", "out"], io)).toBe(0);
    expect([...io.files.keys()].sort()).toEqual(["out/README.md", "out/arch.yaml", "out/network.yaml", "out/run.py"]);
    const net = io.files.get("out/network.yaml")!;
    // loihi places 1024 neurons per core: hidden and out on cores 0.0 and 0.1, the 100 Poisson inputs on a free
    // core of that tile, one input soma unit each, all to all: 100 x 100 synapses per projection
    expect(net).toContain("  - hidden.0..99: [core: 0.0]");
    expect(net).toContain("  - out.0..99: [core: 0.1]");
    expect(net).toContain('  - src__t0.99: [core: 0.2, soma: "loihi_inputs[99]"]');
    expect(net.split("\n").filter((l) => l.includes(" -> ")).length).toBe(20000);
    expect(net).toContain("threshold: 65536.0");
    const arch = io.files.get("out/arch.yaml")!;
    // loihi's own costs: Davies et al. 2018's 23.6 pJ synaptic op, the measured barrier interpolated at every tile count
    expect(arch).toContain("energy_process_spike: 2.36e-11");
    expect(arch).toContain("sync_model: table");
    expect(arch).toMatch(/latency_sync: \{ 1: 6e-7, 2: 1e-6, 3: 1\.2e-6, 4: 1\.4e-6, 5: /);
    expect(io.stdout).toBe("glia: exported to sanafe: 4 files in out\n");
  });

  it("refuses a group that is not a Loihi LIF compartment (E0808 at its model)", async () => {
    const io = captureIo({ "r.glia": REFRACTORY });
    expect(await runCli(["export", "r.glia", "--to", "sanafe", "-o", "out"], io)).toBe(1);
    expect(io.stderr).toContain(
      "r.glia:2:8: error[E0808]: cannot export to sanafe: R of a: not a Loihi LIF compartment (has a refractory period (Lava's LIF has none))",
    );
    expect(io.files.size).toBe(0);
  });

  it("refuses a preset whose neurons are not Loihi compartments (E0808)", async () => {
    const io = captureIo();
    expect(await runCli(["export", FF, "--to", "sanafe", "--hw", "fpga-ultrascale", "-o", "out"], io)).toBe(1);
    expect(io.stderr).toContain(
      "error[E0808]: cannot export to sanafe: --hw fpga-ultrascale: SANA-FE's LIF soma is Loihi's compartment",
    );
    expect(io.files.size).toBe(0);
  });

  it("dense projections on SANA-FE's dense synapse unit, as glia's emulator charges them (synapticOpDense)", async () => {
    const io = captureIo();
    expect(await runCli(["export", FF, "--to", "sanafe", "--hw", "loihi-sanafe", "-o", "out"], io)).toBe(0);
    const net = io.files.get("out/network.yaml")!;
    // hidden and out receive only all-to-all projections: both groups on the dense unit, none on the sparse one
    expect(net.match(/synapse_hw_name: loihi_dense_synapse/g)?.length).toBe(2);
    expect(net).not.toContain("synapse_hw_name: loihi_sparse_synapse");
    const arch = io.files.get("out/arch.yaml")!;
    expect(arch).toMatch(
      /- name: loihi_dense_synapse\n\s+attributes:\n\s+model: current_based\n\s+energy_process_spike: 3\.55e-11\n\s+latency_process_spike: 3\.8e-9/,
    );
    expect(arch).toMatch(/- name: loihi_sparse_synapse\n(.*\n){2}\s+energy_process_spike: 3\.36e-11/);
    // the emulator charges the same ops the dense unit's cost: all of the synaptic energy at 35.5 pJ
    const e = captureIo();
    expect(await runCli(["emulate", FF, "--hw", "loihi-sanafe", "--duration", "100ms", "--json"], e)).toBe(0);
    const r = JSON.parse(e.stdout);
    expect(r.synaptic_events).toBeGreaterThan(1000);
    expect(r.energy_breakdown_j.synaptic).toBeCloseTo(r.synaptic_events * 3.55e-11, 15);
  });

  it("a group with dense and sparse projections in: sparse unit where both cost the same, refused where not", async () => {
    const ff = fs.readFileSync(FF, "utf8");
    const mixed = ff.replace(
      "  record spikes",
      "  connect out -> hidden with Static(w = 1 mV) onto I fixed_probability(0.1)\n  record spikes",
    );
    expect(mixed).not.toBe(ff);
    const own = captureIo({ "m.glia": mixed });
    expect(await runCli(["export", "m.glia", "--to", "sanafe", "-o", "out"], own)).toBe(0);
    // loihi gives no dense cost: hidden (mixed) on the sparse unit, out (dense only) on the dense one
    expect(own.files.get("out/network.yaml")!).toMatch(/- name: hidden\n.*synapse_hw_name: loihi_sparse_synapse/);
    expect(own.files.get("out/network.yaml")!).toMatch(/- name: out\n.*synapse_hw_name: loihi_dense_synapse/);
    const eq = captureIo({ "m.glia": mixed });
    expect(await runCli(["export", "m.glia", "--to", "sanafe", "--hw", "loihi-sanafe", "-o", "out"], eq)).toBe(1);
    expect(eq.stderr).toMatch(
      /error\[E0808\]: cannot export to sanafe: hidden receives dense \(src_hidden\) and sparse \(out_hidden\) projections: SANA-FE 2\.2 takes the synapse unit from the post neuron/,
    );
    expect(eq.files.size).toBe(0);
  });

  it("refuses a network that needs several chips (E0808 naming the chips and the uncharged inter-chip hops)", async () => {
    // five populations of 100 on the 4-core test part: five cores, two chips
    const pops = [0, 1, 2, 3, 4].map((i) => `  population p${i} = CurLIF[100]`).join("\n");
    const links = [0, 1, 2, 3]
      .map((i) => `  connect p${i} -> p${i + 1} with Static(w = 2 mV) onto I fixed_probability(0.1)`)
      .join("\n");
    const ff = fs.readFileSync(FF, "utf8");
    const chain =
      ff.slice(0, ff.indexOf("network FeedForward")) +
      `network Chain {\n  dt = 1 ms\n  seed = 1\n  input src = poisson(rate = 20 Hz)[100]\n${pops}\n` +
      `  connect src -> p0 with Static(w = 3 mV) onto I all_to_all\n${links}\n  record spikes of p4\n  run 20 ms\n}\n`;
    const io = captureIo({ "chain.glia": chain });
    const hw = "test/emulator/fixtures/loihi-4core.json";
    expect(await runCli(["export", "chain.glia", "--to", "sanafe", "--hw", hw, "-o", "out"], io)).toBe(1);
    expect(io.stderr).toContain(
      "error[E0808]: cannot export to sanafe: the network needs 2 chips of loihi-4core (2 x 1 chips of 1 x 1 tiles, 5 cores): SANA-FE 2.2's architecture is one chip",
    );
    expect(io.stderr).toContain("interChipHop energy and latency in glia's emulator) would go uncharged");
    expect(io.files.size).toBe(0);
    // the same chain on one chip of loihi exports
    const one = captureIo({ "chain.glia": chain });
    expect(await runCli(["export", "chain.glia", "--to", "sanafe", "-o", "out"], one)).toBe(0);
  });

  it("--hw is a usage error for an engine that does not take it", async () => {
    const io = captureIo();
    expect(await runCli(["export", FF, "--to", "brian2", "--hw", "loihi", "-o", "out"], io)).toBe(2);
    expect(io.stderr).toMatch(/glia: .*--hw/);
  });
});
