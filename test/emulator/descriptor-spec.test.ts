// Descriptors embed their hardware spec and its hash: `glia emulate desc.json` needs no --hw, a different --hw is
// E0805, an edited spec fails validation; emulate prints per-population spikes and rates and writes spikes.csv.

import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { validateDescriptor } from "../../targets/descriptor/validate.js";

const MODEL = "test/golden/cases/lif-exact/main.glia";

async function descriptor(): Promise<string> {
  const io = captureIo();
  expect(await runCli(["compile", MODEL, "--target", "fpga", "--hw", "fpga-ultrascale", "-o", "d.json"], io)).toBe(0);
  return io.files.get("d.json")!;
}

describe("descriptor spec and emulator output", () => {
  test("emulate desc.json runs on the embedded spec; a mismatched --hw is E0805", async () => {
    const text = await descriptor();
    const d = JSON.parse(text) as { spec: { name: string }; specHash: string };
    expect(d.spec.name).toBe("fpga-ultrascale");
    expect(d.specHash).toMatch(/^[0-9a-f]{64}$/);
    const ok = captureIo({ "d.json": text });
    expect(await runCli(["emulate", "d.json", "--out", "o"], ok)).toBe(0);
    expect(ok.stdout).toMatch(/^d\.json: 1000 steps on fpga-ultrascale/);
    expect(ok.stdout).toMatch(/^ {2}n +n= +1 +spikes= +6 +rate=60\.00 Hz$/m);
    expect(ok.stdout).toMatch(/energy \S+ J \(charged: synapticOp only; 15 costs uncharged, listed below\)/);
    const csv = ok.files.get("o/spikes.csv")!.trim().split("\n");
    expect(csv[0]).toBe("population,index,step,time_s");
    expect(csv).toHaveLength(7);
    // the report's charts have labelled axes: time on x, cycles per step and neuron (with population labels) on y
    const html = ok.files.get("o/report.html")!;
    expect(html.match(/>time \(s\)</g)).toHaveLength(2);
    expect(html).toMatch(/>cycles per step</);
    expect(html).toMatch(/>neuron</);
    expect(html).toMatch(/>n \(1\)</);
    const same = captureIo({ "d.json": text });
    expect(await runCli(["emulate", "d.json", "--hw", "fpga-ultrascale"], same)).toBe(0);
    const bad = captureIo({ "d.json": text });
    expect(await runCli(["emulate", "d.json", "--hw", "loihi"], bad)).toBe(1);
    expect(bad.stderr).toMatch(
      /error\[E0805\]: d\.json was mapped onto fpga-ultrascale \(spec hash [0-9a-f]{12}\) but --hw loihi is a different spec/,
    );
  }, 60000);

  test("an edited embedded spec no longer matches its hash", async () => {
    const d = JSON.parse(await descriptor()) as { spec: { clockHz: { value: number } } };
    d.spec.clockHz.value = 1e9;
    const v = validateDescriptor(JSON.stringify(d));
    expect(v.ok).toBe(false);
    expect(v.ok ? [] : v.errors[0]).toMatch(/^\/specHash: [0-9a-f]{64} is not the hash of the embedded spec/);
  }, 60000);

  test("emulate --json has per-population spikes and what the energy charges", async () => {
    const io = captureIo();
    expect(await runCli(["emulate", MODEL, "--hw", "fpga-ultrascale", "--json"], io)).toBe(0);
    const s = JSON.parse(io.stdout) as { populations: Record<string, unknown>; energy_charged: string[] };
    expect(s.populations).toEqual({ n: { n: 1, spikes: 6, rate_hz: 60 } });
    expect(s.energy_charged).toEqual(["synapticOp"]);
  }, 60000);
});
