// Hardware refusals point at the source: every mapping/lowering error of HW_CASES has its exact code and
// span (the connect, population or ensheath statement, or the expression), related notes, and a hint, and
// formats as file:line:col, the source line and a caret under the span.

import { describe, expect, test } from "@jest/globals";
import { HW_CASES, type HardwareCase } from "./hardware-cases.js";
import { BASE } from "./cases.js";
import { compile } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { sortDiagnostics } from "../../compiler/diagnostics/diagnostic.js";
import { formatDiagnostic } from "../../compiler/diagnostics/format.js";
import { loadPreset } from "../../targets/hw/presets.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { mapDigital } from "../../targets/digital/map.js";
import { errors, spanText } from "../check/helpers.js";

const FILE = "hw.glia";

function mapped(c: HardwareCase): { diagnostics: Diagnostic[]; sources: Map<string, string> } {
  const r = compile(FILE, { readFile: (p) => (p === FILE ? c.source : undefined) });
  expect(errors(r.diagnostics)).toEqual([]); // the checker accepts it: only the hardware refuses
  const spec = loadPreset(c.hw).spec!;
  expect(spec.kind).toBe(c.map === "crossbar" ? "crossbar" : "digital");
  const m = spec.kind === "crossbar" ? mapCrossbar(r.ir!, spec) : mapDigital(r.ir!, spec, { profileSteps: 50 });
  expect(m.descriptor).toBeUndefined();
  return { diagnostics: sortDiagnostics(m.diagnostics), sources: r.sources };
}

describe("hardware diagnostics point at the source", () => {
  test.each(HW_CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { diagnostics, sources } = mapped(c);
    const errs = errors(diagnostics);
    expect(errs.map((d) => `${d.code} ${spanText(d)}`)).toEqual(c.errors);
    const first = errs[0]!;
    expect(c.source.slice(first.span.start, first.span.end)).toBe(c.text);
    expect(
      first.related.map((r) => `${r.span.line}:${r.span.col} ${c.source.slice(r.span.start, r.span.end)}`),
    ).toEqual(c.related);
    for (const d of errs) {
      expect(d.span.file).toBe(FILE);
      expect(d.hint).toBeTruthy();
      const lines = formatDiagnostic(d, sources).split("\n");
      expect(lines[0]).toBe(`${FILE}:${d.span.line}:${d.span.col}: error[${d.code}]: ${d.message}`);
      expect(lines[2]).toBe(`${d.span.line} | ${c.source.split("\n")[d.span.line - 1]}`);
      expect(lines[3]!.replace(/^\s*\| /, "").indexOf("^")).toBe(d.span.col - 1);
    }
  });

  test("tiles beyond the crossbar mesh: E0804 at the connect statement that needs the most tiles", () => {
    // reram-128 has no mesh limit; a 1x1 mesh (one 128-row tile) cannot hold 200 rows
    const src = `${BASE}network N {
  population a = LIF[200]
  population b = LIF[10]
  population c = LIF[4]
  connect a -> b with Static(w = 1 mV) onto ge all_to_all
  connect c -> b with Static(w = 1 mV) onto ge all_to_all
  run 5 ms
}
`;
    const r = compile(FILE, { readFile: (p) => (p === FILE ? src : undefined) });
    const base = loadPreset("reram-128").spec!;
    if (base.kind !== "crossbar") throw new Error("reram-128 is a crossbar spec");
    const one = { value: 1, source: "test", table: "a one-tile mesh" };
    const m = mapCrossbar(r.ir!, { ...base, mesh: { x: one, y: one } });
    const errs = errors(m.diagnostics);
    expect(errs.map((d) => `${d.code} ${spanText(d)}`)).toEqual(["E0804 14:3-14:57"]);
    expect(src.slice(errs[0]!.span.start, errs[0]!.span.end)).toBe(
      "connect a -> b with Static(w = 1 mV) onto ge all_to_all",
    );
    expect(errs[0]!.message).toMatch(
      /^the network needs 3 tiles of 128x128; the crossbar spec reram-128 has a 1x1 mesh \(1 tiles\)$/,
    );
    expect(errs[0]!.related.map((x) => `${x.span.line}:${x.span.col} ${x.message}`)).toEqual([
      "15:3 c_b: 1 tile piece(s)",
    ]);
    expect(errs[0]!.hint).toContain("packed into 3 tiles");
  });

  test("the existing messages keep their numbers", () => {
    const axons = errors(mapped(HW_CASES[0]!).diagnostics)[0]!;
    // every neuron has 300 inputs: no split fits, so exc keeps the 2 equal slices the neuron limit gives
    expect(axons.message).toBe("core 0 (exc[0:150]) needs 300 input axons; a truenorth core has 256");
    const sin = errors(mapped(HW_CASES.find((c) => c.name.includes("equation"))!).diagnostics)[0]!;
    expect(sin.message).toMatch(/^a: sin\(\) has no fixed-point form/);
  });
});
