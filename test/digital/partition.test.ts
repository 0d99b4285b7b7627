// Automatic partitioning onto digital cores (targets/digital/partition.ts, issue 12 item 3): populations split
// into the fewest equal slices within a core's neurons, synapse memory and input axons. CUBA (4000 LIF) and a
// 1000-neuron all-to-all network map onto the stock loihi preset (both failed with E0804 at 1024 neurons per
// core), `glia emulate --check` stays bit-exact, the per-core utilization is in the JSON and the text, and
// `--neurons-per-core N` overrides the partition.
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { runCli } from "../../cli/main.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { captureIo } from "../helpers/cli-io.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { mapDigital } from "../../targets/digital/map.js";
import type { CoreUse } from "../../targets/emulator/index.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glia-partition-"));
const loihi = loadPreset("loihi").spec as DigitalSpec;

/** n LIF neurons, all-to-all among themselves, driven by 100 Poisson inputs (10 % each). */
const allToAll = (n: number): string => `import "std/static.glia"
neuron L {
  parameters { tau: ms = 20 ms }
  state { v = 0; I = 0 }
  equations {
    v' = (I - v) / tau
    I' = -I / 5 ms
  }
  method exact
  spike when v > 1 { v = 0 }
}
network A2A {
  dt = 1 ms
  input x = poisson(rate = 50 Hz)[100]
  population p = L[${n}]
  connect x -> p with Static(w = 0.3) onto I fixed_probability(0.1)
  connect p -> p with Static(w = 0.002) onto I all_to_all
  record spikes of p
  run 50 ms
}
`;

const write = (name: string, text: string): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const irOf = (file: string): IRProgram => {
  const r = compile(file, nodeHost());
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
};

async function cli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string; files: Map<string, string> }> {
  const io = captureIo();
  io.host = nodeHost();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr, files: io.files };
}

/** Every core within the loihi limits; slices of one population differ by at most one neuron. */
function expectWithinLimits(use: CoreUse[]): void {
  for (const u of use) {
    expect(u.neurons_frac).toBeLessThanOrEqual(1);
    expect(u.synapse_frac!).toBeLessThanOrEqual(1);
    expect(u.axons_frac!).toBeLessThanOrEqual(1);
  }
  for (const pop of new Set(use.map((u) => u.population))) {
    const sizes = use.filter((u) => u.population === pop).map((u) => u.neurons);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  }
}

describe("automatic partitioning onto digital cores", () => {
  it("1000-neuron all-to-all on loihi: 16 cores of 62-63 (15 would overflow); emulate --check bit-exact", async () => {
    const file = write("a2a.glia", allToAll(1000));
    const ir = irOf(file);
    const d = mapDigital(ir, loihi, { profileSteps: 50 });
    expect(d.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    expect(d.descriptor!.cores.map((c) => c.end - c.start)).toEqual(
      Array.from({ length: 16 }, (_, j) => Math.floor(((j + 1) * 1000) / 16) - Math.floor((j * 1000) / 16)),
    );
    // the fewest cores: 67 neurons per core (15 cores) do not fit a core's synapse memory
    const fewer = mapDigital(ir, loihi, { profileSteps: 50, neuronsPerCore: 67 });
    expect(fewer.diagnostics.find((x) => x.code === "E0804")!.message).toMatch(
      /^core 0 \(p\[0:67\]\) needs \d+ bits of synapse memory \(\d+ synapses\); a loihi core has 1048576$/,
    );
    // at 1024 neurons per core (the mapping before partitioning) it needs 19 MB of bits on one core
    const old = mapDigital(ir, loihi, { profileSteps: 50, neuronsPerCore: 1024 });
    expect(old.diagnostics.find((x) => x.code === "E0804")!.message).toMatch(
      /^core 0 \(p\[0:1000\]\) needs \d{8} bits/,
    );
    const r = await cli(["emulate", file, "--hw", "loihi", "--check", "--json"]);
    expect(r.code).toBe(0);
    const em = JSON.parse(r.stdout) as {
      bit_exact_vs_fixed: boolean;
      spikes_total: number;
      core_utilization: CoreUse[];
    };
    expect(em.bit_exact_vs_fixed).toBe(true);
    expect(em.spikes_total).toBeGreaterThan(100);
    expect(em.core_utilization).toHaveLength(16);
    expectWithinLimits(em.core_utilization);
    // the synapse memory is the binding limit: every core above 85 % of it
    for (const u of em.core_utilization) expect(u.synapse_frac!).toBeGreaterThan(0.85);
  });

  it("CUBA (4000 LIF) on the stock loihi preset: 7 cores, emulate --check bit-exact, utilization in the text", async () => {
    const cuba = path.join(REPO_ROOT, "examples/cuba.glia");
    const r = await cli(["emulate", cuba, "--hw", "loihi", "--duration", "20ms", "--check", "--json"]);
    expect(r.code).toBe(0);
    const em = JSON.parse(r.stdout) as {
      bit_exact_vs_fixed: boolean;
      spikes_total: number;
      core_utilization: CoreUse[];
    };
    expect(em.bit_exact_vs_fixed).toBe(true);
    expect(em.core_utilization.map((u) => `${u.population}[${u.start}:${u.end}]`)).toEqual([
      "exc[0:640]",
      "exc[640:1280]",
      "exc[1280:1920]",
      "exc[1920:2560]",
      "exc[2560:3200]",
      "inh[0:400]",
      "inh[400:800]",
    ]);
    expectWithinLimits(em.core_utilization);
    const t = await cli(["emulate", cuba, "--hw", "loihi", "--duration", "2ms"]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(
      / {2}7 core\(s\): neurons 39\.1 % to 62\.5 % \(mean [\d.]+ %\), synapse memory [\d.]+ % to [\d.]+ %/,
    );
    expect(t.stdout).toMatch(
      / {4}core 0 exc\[0:640\]: 640 neurons \(62\.5 %\), \d+ synapses in \d+ bits \([\d.]+ %\), \d+ axons/,
    );
  });

  it("--neurons-per-core N: slices of exactly N; beyond a core's size or on a crossbar spec refused", async () => {
    const file = write("a2a300.glia", allToAll(300));
    const out = path.join(dir, "d.json");
    const ok = await cli(["compile", file, "--target", "fpga", "--hw", "loihi", "--neurons-per-core", "40", "-o", out]);
    expect(ok.stderr).toContain("0 errors");
    expect(ok.code).toBe(0);
    const d = JSON.parse(ok.files.get(out)!) as { cores: { start: number; end: number }[] };
    expect(d.cores.map((c) => c.end - c.start)).toEqual([40, 40, 40, 40, 40, 40, 40, 20]);
    // automatic: 300 x 300 all-to-all does not fit one core's memory: 2 cores of 150
    const auto = mapDigital(irOf(file), loihi, { profileSteps: 50 });
    expect(auto.descriptor!.cores.map((c) => c.end - c.start)).toEqual([150, 150]);
    const big = await cli([
      "compile",
      file,
      "--target",
      "fpga",
      "--hw",
      "loihi",
      "--neurons-per-core",
      "2000",
      "-o",
      out,
    ]);
    expect(big.code).not.toBe(0);
    expect(big.stderr).toContain("error[E0804]: --neurons-per-core 2000: a loihi core holds 1 to 1024 neurons");
    fs.writeFileSync(out, ok.files.get(out)!);
    const desc = await cli(["emulate", out, "--hw", "loihi", "--neurons-per-core", "40"]);
    expect(desc.code).not.toBe(0);
    expect(desc.stderr).toContain("error[E0801]: --neurons-per-core applies when mapping a model");
    const xbar = await cli(["emulate", file, "--hw", "reram-128", "--neurons-per-core", "40"]);
    expect(xbar.code).not.toBe(0);
    expect(xbar.stderr).toContain(
      "error[E0801]: --neurons-per-core applies to digital cores; reram-128 is a crossbar spec",
    );
  });
});
