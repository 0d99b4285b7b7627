// The analysis window in the language (issue 11): `window = [FROM, TO]` in a network gives the same rates over
// [FROM, TO) as `glia run --window FROM:TO`; the command-line option overrides it. Invalid windows: E0530 with
// exact spans; a stray name in a network is still "expected a network item" (E0112), `window` is no reserved
// word.
import { describe, expect, test } from "@jest/globals";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { check, errors } from "../check/helpers.js";

const net = (window: string) => `import "std/lif.glia"
import "std/static.glia"
network W {
  dt = 0.1 ms
  seed = 2
  population zeta = LIF(E_L = -50 mV)[20]
  input drive = poisson(rate = 400 Hz)[50]
  connect drive -> zeta with Static(w = 2 mV) onto ge fixed_indegree(10)
  record spikes of zeta, drive
  ${window}
  run 400 ms
}
`;

async function summary(source: string, args: string[] = []): Promise<{ window?: Record<string, unknown> }> {
  const io = captureIo({ "w.glia": source });
  expect(await runCli(["run", "w.glia", "--json", "--target", "reference", ...args], io)).toBe(0);
  return JSON.parse(io.stdout) as { window?: Record<string, unknown> };
}

describe("window = [FROM, TO] in a network", () => {
  test("the same window as --window FROM:TO; the option overrides the setting", async () => {
    const inLanguage = await summary(net("window = [100 ms, 300 ms]"));
    const option = await summary(net(""), ["--window", "100ms:300ms"]);
    expect(inLanguage.window).toMatchObject({ start_s: 0.1, end_s: 0.3, first_step: 1000, end_step: 3000 });
    expect(inLanguage.window).toEqual(option.window);
    const zeta = (inLanguage.window!.populations as Record<string, { spikes: number }>).zeta!;
    expect(zeta.spikes).toBeGreaterThan(0);
    expect(await summary(net(""))).not.toHaveProperty("window");
    const overridden = await summary(net("window = [100 ms, 300 ms]"), ["--window", "0ms:50ms"]);
    expect(overridden.window).toMatchObject({ start_s: 0, end_s: 0.05, first_step: 0, end_step: 500 });
  });

  test("a model may still name something `window`", () => {
    const src = `neuron M { state { window = 0 }; equations { window' = -window / 10 ms } }
network Q {
  population p = M[1]
  record window of p
  run 1 ms
}
`;
    expect(errors(check(src).diagnostics)).toEqual([]);
  });

  const small = (line: string) => `neuron M {
  state { v = 0 }
  equations { v' = -v / 10 ms }
}
network Q {
  population p = M[2]
  record v of p
  ${line}
  run 400 ms
}
`;
  const located = (source: string): string[] => {
    const lines = source.split("\n");
    const c = check(source);
    return errors([...c.parseErrors, ...c.diagnostics]).map(
      (d) =>
        `${d.code} ${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol} ${lines[d.span.line - 1]!.slice(d.span.col - 1, d.span.endCol)}`,
    );
  };
  test.each([
    ["end before start", "window = [300 ms, 100 ms]", ["E0530 8:12-8:27 [300 ms, 100 ms]"]],
    ["not a list", "window = 300 ms", ["E0530 8:12-8:17 300 ms"]],
    ["three values", "window = [0 ms, 1 ms, 2 ms]", ["E0530 8:12-8:29 [0 ms, 1 ms, 2 ms]"]],
    ["not a time", "window = [0 ms, 2 mV]", ["E0530 8:19-8:22 2 mV"]],
    ["negative", "window = [-1 ms, 2 ms]", ["E0530 8:13-8:17 -1 ms"]],
    ["a stray name", "windows = [0 ms, 2 ms]", ["E0112 8:3-8:9 windows"]],
  ])("%s", (_name, line, want) => {
    expect(located(small(line))).toEqual(want);
  });
});
