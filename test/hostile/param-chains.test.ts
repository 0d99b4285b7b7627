// Long parameter chains (issue 17): `p0 = p1`, `p1 = p2`, ... 10,000 parameters long used to overflow the call
// stack in the checker's constant scan (compiler/check/rules/numbers.ts) and then in the fold pass's parameter
// values (compiler/passes/fold.ts), exit 70. Both resolve a chain with an explicit stack now: the chain checks
// and runs, in either declaration order, and the value at its far end (a default or a population argument)
// reaches the equation that names its near end (the spike count depends on it), and a division by a zero
// that flows down the chain is still found (E0311 at the divisor).
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";

const N = 10000;

/** A model whose drive is p0, with p0 = p1 = ... = pN = `end` (declared forward or in reverse order). */
function chain(end: string, order: "forward" | "reverse", population = "N[2]"): string {
  const links = Array.from({ length: N }, (_, i) => `    p${i}: mV = p${i + 1}`);
  if (order === "reverse") links.reverse();
  return `neuron N {
  parameters {
${order === "reverse" ? `    p${N}: mV = ${end}\n${links.join("\n")}` : `${links.join("\n")}\n    p${N}: mV = ${end}`}
    tau: ms = 10 ms
  }
  state { v: mV = 0 mV }
  equations { v' = (p0 - v) / tau }
  spike when v > 0.5 mV { v = 0 mV }
}
network T {
  population a = ${population}
  record spikes of a
  run 50 ms
}
`;
}

async function cli(cmd: string, src: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo({ "a.glia": src });
  const code = await runCli([cmd, "a.glia", "--target", "reference"].slice(0, cmd === "run" ? 4 : 2), io);
  expect(io.stderr).not.toMatch(/internal error|Maximum call stack/);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

function spikes(stdout: string): number {
  const m = /a +n= +2 +spikes= +(\d+)/.exec(stdout);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

describe("10,000-long parameter chains (issue 17)", () => {
  test("forward order: checks and runs; the far end's 1 mV drives the neurons", async () => {
    const src = chain("1 mV", "forward");
    expect((await cli("check", src)).code).toBe(0);
    const r = await cli("run", src);
    expect(r.code).toBe(0);
    // v -> 1 mV with tau 10 ms crosses 0.5 mV after 6.9 ms (+ one step): 7 spikes per neuron in 50 ms
    expect(spikes(r.stdout)).toBe(14);
  }, 60000);

  test("reverse order, the far end given by the population: 0.4 mV never reaches the threshold", async () => {
    const src = chain("1 mV", "reverse", `N(p${N} = 0.4 mV)[2]`);
    const r = await cli("run", src);
    expect(r.code).toBe(0);
    expect(spikes(r.stdout)).toBe(0);
  }, 60000);

  test("a zero at the far end divides: E0311 at the divisor", async () => {
    const src = chain("1 mV", "forward").replace("tau: ms = 10 ms", "tau: ms = p0 / 1 mV * 0 ms");
    const r = await cli("check", src);
    expect(r.code).toBe(1);
    const line = src.split("\n").findIndex((l) => l.includes("(p0 - v) / tau")) + 1;
    expect(r.stderr).toContain(`error[E0311]`);
    expect(r.stderr).toContain(`a.glia:${line}:31:`);
  }, 60000);
});
