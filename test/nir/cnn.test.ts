// A small CNN in NIR (Input 1x6x6 -> Conv2d 2x1x3x3, padding 1 -> LIF -> SumPool2d 2x2 -> Flatten -> Affine 4x18 ->
// LIF, the readout in a nested graph, edges out of order) imported by glia: its spikes equal those of a glia model
// written here from the same weights by a gather-form convolution (independent of the importer's scatter form),
// it runs on wasm (f64: identical; f32: runs), and `glia run` / `glia emulate --hw loihi` take the .nir directly
// (the emulator reports energy and its --check against the fixed-point executor passes).
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { captureIo } from "../helpers/cli-io.js";
import { compiled, importToDir, nirBytes, run, spikesOf, tmpDir } from "./helpers.js";
import { FC, KERNEL, cnnGraph, cnnInput, handWrittenCnn } from "./cnn-model.js";

describe("a CNN imported from NIR", () => {
  const dir = tmpDir("cnn");
  let file = "";
  it("imports (Conv2d, SumPool2d, Flatten, Affine, nested graph) and matches the hand-written glia model", async () => {
    const r = await importToDir(await nirBytes(cnnGraph()), dir, "cnn", { duration: 0.06, spikes: cnnInput() });
    expect(r.diagnostics).toEqual([]);
    file = r.file;
    expect(r.text).toContain(
      "population lif = NIR_LIF(tau = 0.01 s, r = 1, v_leak = 0, v_threshold = 0.8, v_reset = 0)[72]",
    );
    expect(r.text).toContain("population readout_lif = NIR_LIF(tau = 0.02 s");
    fs.writeFileSync(path.join(dir, "hand.glia"), handWrittenCnn(KERNEL, FC, "cnn-input.csv"));
    const mine = run(referenceTarget, compiled(file));
    const hand = run(referenceTarget, compiled(path.join(dir, "hand.glia")));
    expect(mine.synapses).toBe(hand.synapses);
    expect(spikesOf(mine, "lif")).toEqual(spikesOf(hand, "feat"));
    expect(spikesOf(mine, "readout_lif")).toEqual(spikesOf(hand, "out"));
    expect(mine.spikes.readout_lif!.steps.length).toBeGreaterThan(5);
    // wasm: f64 bit-identical to the reference, f32 runs the same network
    const ir = compiled(file);
    expect(spikesOf(run(wasmF64Target, ir), "readout_lif")).toEqual(spikesOf(mine, "readout_lif"));
    expect(run(wasmTarget, ir).synapses).toBe(mine.synapses);
  });

  it("glia run and glia emulate --hw loihi take the .nir file directly (energy, --check)", async () => {
    const nirFile = path.join(dir, "cnn.nir");
    fs.writeFileSync(nirFile, await nirBytes(cnnGraph()));
    const input = path.join(dir, "cnn-input.csv");
    const io = captureIo();
    io.host = nodeHost();
    const code = await runCli(["run", nirFile, "--nir-input", input, "--duration", "60ms", "--json"], io);
    expect(io.stderr).toBe("");
    expect(code).toBe(0);
    const ran = JSON.parse(io.stdout) as { populations: Record<string, { spikes: number }> };
    expect(ran.populations.readout_lif!.spikes).toBeGreaterThan(5);
    const io2 = captureIo();
    io2.host = nodeHost();
    const code2 = await runCli(
      ["emulate", nirFile, "--hw", "loihi", "--nir-input", input, "--duration", "60ms", "--json", "--check"],
      io2,
    );
    expect(code2).toBe(0);
    const em = JSON.parse(io2.stdout) as { energy_j: number; spikes_total: number; bit_exact_vs_fixed: boolean };
    expect(em.energy_j).toBeGreaterThan(0);
    expect(em.spikes_total).toBeGreaterThan(0);
    expect(em.bit_exact_vs_fixed).toBe(true);
  });
});
