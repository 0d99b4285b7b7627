// The wasm target's numeric guard scans synapse state too (issue 17): a plastic weight that overflows (here
// multiplied by 1e10 at every presynaptic spike) used to run on with infinite weights and exit 0 on wasm, the
// guard scanning neuron state only. Now it is E0806 at the connect statement naming the variable, projection,
// synapse number and step, exit 1; on wasm-f64 (one thread or two, mixed or uniform delays, where synapses are
// stored in another order than they are numbered) the same synapse and step as the reference target; wasm (f32)
// overflows sooner, at 3.4e38. `--numeric-guard warn` makes it a warning and the run exits 0.
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";

/** A weight multiplied by 1e10 at each presynaptic spike (`events`), or growing by e per step from a random start
 *  (`continuous`: every synapse overflows in the same step, the largest start first, so the one named depends on
 *  mapping storage order back to synapse numbers). */
const GROW = (delay: string, how: "events" | "continuous" = "events"): string => `neuron N {
  parameters { tau: ms = 10 ms }
  state { v: mV = 0 mV }
  equations { v' = -v / tau }
  spike when v > 1 mV { v = 0 mV }
}
synapse Grow {
${
  how === "events"
    ? `  state { w: 1 = 1 }
  on pre {
    w = w * 1e10
    post.v += 1e-30 mV
  }`
    : `  state { w: 1 = uniform(1, 2) }
  equations { w' = w / 0.1 ms }
  on pre { post.v += (w > 0 ? 1 : 0) * 1e-30 mV }`
}
}
network T {
  dt = 0.1 ms
  input src = poisson(rate = 500 Hz)[20]
  population a = N[10]
  connect g: src -> a with Grow onto v fixed_probability(0.5)${delay}
  run 100 ms
}
`;
/** `a.glia:LINE:3:`, where the connect statement starts. */
const connectAt = (src: string): string =>
  `a.glia:${src.split("\n").findIndex((l) => l.includes("connect g:")) + 1}:3:`;

async function run(src: string, args: string[]): Promise<{ code: number; stderr: string; first: string }> {
  const io = captureIo({ "a.glia": src });
  const code = await runCli(["run", "a.glia", ...args], io);
  expect(io.stderr).not.toMatch(/internal error/);
  return { code, stderr: io.stderr, first: io.stderr.split("\n")[0]! };
}

/** "synapse S in step K" of the E0806 message. */
function where(first: string): string {
  const m = /w of projection g became infinity at (synapse \d+ in step \d+) /.exec(first);
  expect(m).not.toBeNull();
  return m![1]!;
}

describe("wasm guards synapse state (issue 17)", () => {
  for (const [name, delay, how] of [
    ["mixed delays", " delay = uniform(0.1 ms, 2 ms)", "events"],
    ["uniform delay", "", "events"],
    ["continuous growth, mixed delays", " delay = uniform(0.1 ms, 2 ms)", "continuous"],
  ] as const) {
    test(`${name}: wasm-f64 (1 and 2 threads) names the synapse and step the reference names`, async () => {
      const src = GROW(delay, how);
      const ref = await run(src, ["--target", "reference"]);
      expect(ref.code).toBe(1);
      expect(ref.first).toContain(`${connectAt(src)} error[E0806]: reference target:`);
      for (const threads of ["1", "2"]) {
        const w = await run(src, ["--target", "wasm-f64", "--threads", threads]);
        expect(w.code).toBe(1);
        expect(w.first).toContain(`${connectAt(src)} error[E0806]: wasm-f64 target:`);
        expect(where(w.first)).toBe(where(ref.first));
      }
    }, 60000);
  }

  test("wasm (f32): E0806 at the connect, exit 1; --numeric-guard warn: a warning, exit 0", async () => {
    const src = GROW(" delay = uniform(0.1 ms, 2 ms)");
    const r = await run(src, ["--target", "wasm"]);
    expect(r.code).toBe(1);
    expect(r.first).toContain(`${connectAt(src)} error[E0806]: wasm target:`);
    where(r.first);
    const warned = await run(src, ["--target", "wasm", "--numeric-guard", "warn"]);
    expect(warned.code).toBe(0);
    expect(warned.first).toContain(`${connectAt(src)} warning[E0806]: wasm target:`);
  }, 60000);
});
