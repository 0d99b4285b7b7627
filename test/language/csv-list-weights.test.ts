// csv_list weight and delay columns (issue 11, item 1): an imported weighted network runs with its real
// weights and delays on every execution target, and the checker rejects a column beside an argument
// that sets the same value, a weight column without `w`, and a header/row mismatch (file and line).

import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { fixedTarget } from "../../targets/fixed/index.js";
import type { Target } from "../../targets/target.js";
import { memoryHost } from "../helpers/dir-host.js";
import { check, errors } from "../check/helpers.js";

const DT = 1e-4; // 0.1 ms

/** A random weighted list 12 -> 9 (seeded LCG), weights in mV, delays in ms (whole and half steps). */
function weightedList(): { csv: string; rows: { pre: number; post: number; w: number; d: number }[] } {
  let x = 12345;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows: { pre: number; post: number; w: number; d: number }[] = [];
  for (let k = 0; k < 60; k++) {
    rows.push({
      pre: Math.floor(rnd() * 12),
      post: Math.floor(rnd() * 9),
      w: Math.round((rnd() * 4 - 1) * 1000) / 1000,
      d: Math.round(rnd() * 40) / 10,
    });
  }
  const csv = ["pre,post,weight_mV,delay_ms", ...rows.map((r) => `${r.pre},${r.post},${r.w},${r.d}`)].join("\n");
  return { csv, rows };
}

/** Input i spikes once at (1 + i) ms; each post element sums what arrives (no decay, no threshold reached). */
const SRC = `
neuron Sum {
  parameters { th: mV = 1000 mV }
  state { v: mV = 0 mV }
  equations { v' = 0 mV / 1 ms }
  spike when v > th { v = 0 mV }
}
synapse Static { parameters { w } on pre { post.target += w } }
network Imported {
  dt = 0.1 ms
  input src = spike_times(times = [1 ms, 2 ms, 3 ms, 4 ms, 5 ms, 6 ms, 7 ms, 8 ms, 9 ms, 10 ms, 11 ms, 12 ms],
                          indices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])[12]
  population p = Sum[9]
  connect src -> p with Static onto v csv_list("net.csv")
  record v of p
  run 20 ms
}
`;

describe("csv_list weights and delays on every target", () => {
  const { csv, rows } = weightedList();
  const c = compile("main.glia", memoryHost({ "main.glia": SRC, "net.csv": csv }), { verify: true });
  test("compiles", () => expect(errors(c.diagnostics)).toEqual([]));
  // expected trace from the file itself: the spike of input i at step 10*(i+1) adds w at that step + delay;
  // the trace row k holds the value at the start of step k, so an event of step s shows from row s+1
  const steps = 200;
  const expected = Array.from({ length: steps }, () => new Float64Array(9));
  for (const r of rows) {
    const at = 10 * (r.pre + 1) + Math.round(r.d / 0.1 + 1e-9);
    for (let k = at + 1; k < steps; k++) expected[k]![r.post]! += r.w * 1e-3;
  }
  const cases: [Target, number][] = [
    [referenceTarget, 1e-15],
    [wasmF64Target, 1e-15],
    [wasmTarget, 1e-6],
    [fixedTarget, 2e-4],
  ];
  for (const [target, tol] of cases) {
    test(`${target.name}: every post element sums the file's weights at the file's delays`, () => {
      const r = target.run(c.ir!, {});
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const tr = r.result!.traces[0]!;
      let worst = 0;
      for (let k = 0; k < steps; k++)
        for (let q = 0; q < 9; q++) worst = Math.max(worst, Math.abs(tr.values[k]![q]! - expected[k]![q]!));
      expect(worst).toBeLessThanOrEqual(tol);
      // the final sums are the file's row sums (not 0, not one `w` for all)
      const last = tr.values[steps - 1]!;
      for (let q = 0; q < 9; q++) {
        const want = rows.filter((x) => x.post === q).reduce((s, x) => s + x.w * 1e-3, 0);
        expect(Math.abs(last[q]! - want)).toBeLessThanOrEqual(tol);
      }
    });
  }
  test("the IR keeps the list's weights (SI) and delays (s) per row", () => {
    const rule = c.ir!.projections[0]!.rule;
    expect(rule.k).toBe("from_list");
    if (rule.k !== "from_list") return;
    expect(rule.weights).toEqual(rows.map((r) => r.w * 1e-3));
    expect(rule.delays).toEqual(rows.map((r) => r.d * 1e-3));
  });
  test("a plain `weight` column is in SI and a file without a weight column keeps the argument", () => {
    const si = csv.replace("weight_mV", "weight").replace(/^(\d+),(\d+),([-\d.]+),/gm, (_m, a, b, w) => {
      return `${a},${b},${Number(w) * 1e-3},`;
    });
    const c2 = compile("main.glia", memoryHost({ "main.glia": SRC, "net.csv": si }));
    expect(errors(c2.diagnostics)).toEqual([]);
    const r2 = referenceTarget.run(c2.ir!, {}).result!.traces[0]!.values[steps - 1]!;
    const r1 = referenceTarget.run(c.ir!, {}).result!.traces[0]!.values[steps - 1]!;
    for (let q = 0; q < 9; q++) expect(r2[q]).toBeCloseTo(r1[q]!, 12);
    const plain = "pre,post\n0,0\n0,1\n";
    const src3 = SRC.replace("with Static onto", "with Static(w = 2 mV) onto");
    const c3 = compile("main.glia", memoryHost({ "main.glia": src3, "net.csv": plain }));
    expect(errors(c3.diagnostics)).toEqual([]);
    const v3 = referenceTarget.run(c3.ir!, {}).result!.traces[0]!.values[steps - 1]!;
    expect([v3[0], v3[1], v3[2]]).toEqual([2e-3, 2e-3, 0]);
  });
  test(`DT is the network's step`, () => expect(c.ir!.dt).toBe(DT));
});

/** Invalid inputs: exact codes and spans (the network starts on line 4). */
const BASE = `neuron Sum { state { v: mV = 0 mV } equations { v' = 0 mV / 1 ms } spike when v > 1 volt { v = 0 mV } }
synapse Static { parameters { w } on pre { post.target += w } }
synapse NoW { parameters { g: mV = 1 mV } on pre { post.target += g } }
network N {
  input s = spike_times(times = [1 ms], indices = [0])[3]
  population p = Sum[3]
`;
const net = (line: string) => `${BASE}${line}\n  run 5 ms\n}\n`;

describe("csv_list: invalid inputs", () => {
  const weighted = { "l.csv": "pre,post,weight_mV,delay_ms\n0,1,2.5,1\n1,2,-1,0.5\n" };
  const cases: [string, string, Record<string, string>, string[]][] = [
    [
      "w argument and weight column",
      '  connect s -> p with Static(w = 1 mV) onto v csv_list("l.csv")',
      weighted,
      ["E0525 7:30-7:37 w = 1 mV"],
    ],
    [
      "delay option and delay column",
      '  connect s -> p with Static onto v csv_list("l.csv") delay = 1 ms',
      weighted,
      ["E0525 7:63-7:66 1 ms"],
    ],
    [
      "weight column, synapse without w",
      '  connect s -> p with NoW onto v csv_list("l.csv")',
      weighted,
      ['E0526 7:43-7:49 "l.csv"'],
    ],
    [
      "weight column in the wrong unit",
      '  connect s -> p with NoW2 onto v csv_list("l.csv")',
      weighted,
      ['E0307 7:44-7:50 "l.csv"'],
    ],
    [
      "row with fewer columns than the header",
      '  connect s -> p with Static onto v csv_list("l.csv")',
      { "l.csv": "pre,post,weight_mV\n0,1,2\n1,2\n" },
      ['E0605 7:46-7:52 "l.csv"'],
    ],
    [
      "unknown unit in the weight column",
      '  connect s -> p with Static onto v csv_list("l.csv")',
      { "l.csv": "pre,post,weight_mVolt\n0,1,2\n" },
      ['E0605 7:46-7:52 "l.csv"'],
    ],
    [
      "no weight column and no w",
      '  connect s -> p with Static onto v csv_list("l.csv")',
      { "l.csv": "pre,post\n0,1\n" },
      ["E0210 7:23-7:28 Static"],
    ],
  ];
  test.each(cases)("%s", (name, line, data, want) => {
    const extra = name.includes("wrong unit")
      ? "synapse NoW2 { parameters { w: nS = 1 nS } on pre { post.target += w / 1 nS * 1 mV } }\n"
      : "";
    // the extra synapse goes before the network: spans are reported one line further down
    const source = extra ? net(line).replace("network N", `${extra}network N`) : net(line);
    const errs = errors(check(source, data).diagnostics);
    const shift = extra ? 1 : 0;
    const lines = source.split("\n");
    const text = (d: (typeof errs)[number]): string =>
      lines[d.span.line - 1]!.slice(d.span.col - 1, d.span.line === d.span.endLine ? d.span.endCol : undefined);
    expect(
      errs.map(
        (d) => `${d.code} ${d.span.line - shift}:${d.span.col}-${d.span.endLine - shift}:${d.span.endCol} ${text(d)}`,
      ),
    ).toEqual(want);
  });
  test("the row mismatch names the file and the line", () => {
    const r = check(net('  connect s -> p with Static onto v csv_list("l.csv")'), {
      "l.csv": "pre,post,weight_mV\n0,1,2\n1,2\n",
    });
    expect(errors(r.diagnostics)[0]!.message).toBe(
      "l.csv:3: expected 3 columns (pre,post,weight) as the header says, found 2",
    );
  });
});
