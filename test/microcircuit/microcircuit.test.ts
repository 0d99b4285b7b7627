// The Potjans & Diesmann (2014) microcircuit at scale 0.1 (examples/microcircuit.glia with `let scale = 0.1`):
// the synapse count the published tables give, per-population rates over 100-500 ms within stated ranges around
// the full-scale reference rates, and the irregularity and synchrony `glia run` reports beside them.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { REPO_ROOT } from "../helpers/dir-host.js";

const POPS = ["L23e", "L23i", "L4e", "L4i", "L5e", "L5i", "L6e", "L6i"] as const;
const N_FULL = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948];
// connection probabilities, row = post, column = pre (P&D 2014 Table 5)
const P = [
  [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0, 0.0076, 0],
  [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0, 0.0042, 0],
  [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0],
  [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0, 0.1057, 0],
  [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0],
  [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0],
  [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
  [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
];
const SCALE = 0.1;

/**
 * Accepted rates (Hz) at scale 0.1 over 100-500 ms. Reference: the full-scale rates NEST's PyNEST example lists
 * (full_mean_rates: 0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851); the scaled network with DC
 * compensation keeps them only approximately and 0.4 s of a 771-neuron population is a short sample, so each
 * range spans about 0.3x to 1.6x the reference (L2/3e and L6e, below 1.1 Hz, from 0.15 and 0.3 Hz). Measured
 * here (seed 55): 0.35, 1.96, 3.86, 4.88, 6.64, 7.64, 0.85, 6.96.
 */
const RANGES: Record<(typeof POPS)[number], [number, number]> = {
  L23e: [0.15, 1.5],
  L23i: [1.0, 4.8],
  L4e: [2.0, 7.0],
  L4i: [2.5, 9.4],
  L5e: [3.0, 12.4],
  L5i: [3.5, 13.9],
  L6e: [0.3, 1.8],
  L6i: [3.0, 12.6],
};

/** The synapses the example must build at this scale: recurrent fixed_total_number counts (P&D eq. 1, times
 *  scale^2) plus one background synapse per neuron (its own poisson_count element). */
function expectedSynapses(): number {
  const n = N_FULL.map((x) => Math.floor(x * SCALE + 0.5));
  let total = 0;
  for (let a = 0; a < 8; a++)
    for (let b = 0; b < 8; b++) {
      const p = P[a]![b]!;
      if (p === 0) continue;
      const prod = N_FULL[a]! * N_FULL[b]!;
      const k = Math.floor(Math.log(1 - p) / Math.log((prod - 1) / prod) + 0.5);
      total += Math.floor(k * SCALE * SCALE + 0.5);
    }
  for (let a = 0; a < 8; a++) total += n[a]!; // one poisson_count background element per neuron
  return total;
}

describe("cortical microcircuit, scale 0.1", () => {
  test("synapse count, rates over 100-500 ms, CV of ISI and synchrony", async () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, "examples", "microcircuit.glia"), "utf8");
    const scaled = source.replace(/let scale = 1\b/, `let scale = ${SCALE}`);
    expect(scaled).not.toBe(source);
    const io = captureIo({ "mc.glia": scaled });
    const code = await runCli(["run", "mc.glia", "--json", "--duration", "500ms", "--window", "100ms:500ms"], io);
    expect(io.stderr).toBe("");
    expect(code).toBe(0);
    const s = JSON.parse(io.stdout);
    expect(s.synapses).toBe(expectedSynapses());
    const sizes = N_FULL.map((x) => Math.floor(x * SCALE + 0.5));
    POPS.forEach((p, a) => expect(s.populations[p].n).toBe(sizes[a]));
    for (const p of POPS) {
      const rate = s.window.populations[p].rate_hz as number;
      const [lo, hi] = RANGES[p];
      expect({ p, rate, inRange: rate >= lo && rate <= hi }).toEqual({ p, rate, inRange: true });
      const st = s.spike_statistics.populations[p];
      // asynchronous irregular: no population bursts (Poisson trains give 1), and irregular where measured
      expect(st.synchrony).toBeGreaterThan(0.3);
      expect(st.synchrony).toBeLessThan(12);
      if (st.cv_neurons >= 20) {
        expect(st.cv_isi).toBeGreaterThan(0.2);
        expect(st.cv_isi).toBeLessThan(1.5);
      }
    }
    expect(s.spike_statistics).toMatchObject({ start_s: 0.1, end_s: 0.5 });
    expect(s.spike_statistics.bin_s).toBeCloseTo(0.003, 12);
  }, 300_000);
});
