// Integer-valued settings have no slack around 0 (issue 17): `seed = 1e-12` used to pass the integer check
// (|x - round(x)| < 1e-9) and run as seed 0; the same slack let `fixed_indegree(n = 1 + 1e-10)`, a slice bound
// of 1e-12 and a csv_list index of 0.9999999999 through. Rounding of constant arithmetic (`0.1 * 30`) still
// counts as an integer. Each case: exit code, diagnostic code and span (file:line:col) through the CLI in-process.
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { isIntegral } from "../../compiler/check/const-value.js";

const NET = (body: string): string => `neuron N {
  parameters { tau: ms = 10 ms }
  state { v: mV = 0 mV }
  equations { v' = -v / tau }
  spike when v > 1 mV { v = 0 mV }
}
synapse S {
  parameters { w: mV = 1 mV }
  on pre { post.v += w }
}
network T {
  population a = N[10]
${body}
  run 1 ms
}
`;

function lineCol(src: string, needle: string): string {
  const i = src.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = src.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

async function check(files: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const io = captureIo(files);
  const code = await runCli(["check", "a.glia"], io);
  expect(io.stderr).not.toMatch(/internal error/);
  return { code, stderr: io.stderr };
}

const CASES: { name: string; body: string; code: string; at: string; files?: Record<string, string> }[] = [
  { name: "seed = 1e-12", body: "  seed = 1e-12", code: "E0303", at: "1e-12" },
  { name: "seed = 7 + 1e-9", body: "  seed = 7 + 1e-9", code: "E0303", at: "7 + 1e-9" },
  {
    name: "a degree of 1 + 1e-10",
    body: "  connect a -> a with S onto v fixed_indegree(n = 1 + 1e-10)",
    code: "E0502",
    at: "1 + 1e-10",
  },
  { name: "a slice bound of 1e-12", body: "  record v of a[1e-12:3]", code: "E0503", at: "1e-12:" },
  {
    name: "a csv_list index of 0.9999999999",
    body: '  connect a -> a with S onto v csv_list("l.csv")',
    code: "E0605",
    at: '"l.csv"',
    files: { "l.csv": "pre,post\n0,1\n0.9999999999,2\n" },
  },
];

describe("integer-valued settings: no slack around 0 (issue 17)", () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const src = NET(c.body);
      const { code, stderr } = await check({ "a.glia": src, ...c.files });
      expect(code).toBe(1);
      expect(stderr).toContain(`error[${c.code}]`);
      expect(stderr).toContain(`a.glia:${lineCol(src, c.at)}`);
    });
  }

  test("constant arithmetic that rounds (0.1 * 3 * 10 = 3.0000000000000004) is still an integer", async () => {
    expect(0.1 * 3 * 10).not.toBe(3);
    expect(isIntegral(0.1 * 3 * 10)).toBe(true);
    expect(isIntegral(1e-12)).toBe(false);
    expect(isIntegral(1e6 + 1e-4)).toBe(false);
    expect(isIntegral(0)).toBe(true);
    const { code, stderr } = await check({ "a.glia": NET("  seed = 0.1 * 3 * 10\n  record v of a[0.1 * 3 * 10:7]") });
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
