// A network no synapse maps onto a crossbar (examples/adex.glia: one AdEx neuron driven by a current) gets one
// tile that holds the neuron periphery only (no rows or column pairs in use); the emulator runs it bit-exact with
// the descriptor's fixed-point run. That run (targets/emulator/oracle.ts) profiles when the lowering needs a
// subexpression's range (AdEx's exp argument: refused as E0802 without it, on every preset, before).

import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";

const MODEL = "examples/adex.glia";

describe("a crossbar network without synapses", () => {
  test("compile --target crossbar: one tile, periphery only", async () => {
    const io = captureIo();
    expect(await runCli(["compile", MODEL, "--target", "crossbar", "--hw", "reram-128", "-o", "x.json"], io)).toBe(0);
    expect(io.stdout).toMatch(/AdExStep -> reram-128: 1 tiles \(lower bound 0\), 0 synapses, mesh 1x1/);
    const d = JSON.parse(io.files.get("x.json")!) as {
      tiles: { id: number; rowInputs: number[]; pairs: unknown[]; cells: unknown[] }[];
      periphery: { population: string; start: number; end: number }[];
    };
    expect(d.tiles).toHaveLength(1);
    expect(d.tiles[0]).toMatchObject({ id: 0, rowInputs: [], pairs: [], cells: [] });
    expect(d.periphery).toEqual([{ population: "cell", start: 0, end: 1, tiles: [] }]);
  }, 60000);

  for (const hw of ["reram-128", "fpga-ultrascale"])
    test(`emulate --check on ${hw}: the 11 spikes of the fixed target, bit-exact`, async () => {
      const io = captureIo();
      expect(await runCli(["emulate", MODEL, "--hw", hw, "--check", "--json"], io)).toBe(0);
      const r = JSON.parse(io.stdout) as {
        bit_exact_vs_fixed: boolean;
        populations: Record<string, { spikes: number }>;
        synaptic_events: number;
      };
      expect(r.bit_exact_vs_fixed).toBe(true);
      expect(r.populations.cell!.spikes).toBe(11);
      expect(r.synaptic_events).toBe(0);
      const f = captureIo();
      expect(await runCli(["run", MODEL, "--target", "fixed", "--hw", hw, "--json"], f)).toBe(0);
      expect(
        (JSON.parse(f.stdout) as { populations: Record<string, { spikes: number }> }).populations.cell!.spikes,
      ).toBe(11);
    }, 60000);
});
