// Profiled subexpression ranges in event handlers (issue 12, item 1, extended from group updates): a synapse's
// on-pre dividing by (v/mV + 100) and an astrocyte's on synapse_pre dividing by 1 - ip3/ip3_sat
// (test/hw-ranges/handlers.glia). Without a profiling run each is refused (E0802, exact spans: the interval of
// the whole state format holds 0); with it both compile on fpga-ultrascale and loihi, the divisor words cover
// the profiled ranges, and the runs give the reference's spikes.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { makeFixedTarget } from "../../targets/fixed/index.js";
import { resolveHardware } from "../../targets/fixed/hw-option.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { profileRun } from "../../targets/fixed/range.js";
import type { QFormat } from "../../targets/fixed/qformat.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";

const FILE = "test/hw-ranges/handlers.glia";
const p: IRProgram = (() => {
  const r = compile(FILE, dirHost(REPO_ROOT));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
})();
const errors = (ds: readonly Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === "error");
const where = (d: { span: { file: string; line: number; col: number; endLine: number; endCol: number } }) => [
  d.span.file,
  d.span.line,
  d.span.col,
  d.span.endLine,
  d.span.endCol,
];

describe("handler subexpressions get their profiled ranges", () => {
  it("the profiling run records both divisors by handler key", () => {
    const prof = profileRun(p, 5000).profile!;
    const byKey = [...prof.handlerSubexpressions].map(([k, r]) => [k, r] as const);
    const syn = byKey.find(([k]) => k === "syn|(+ (/ post:v #0.001) #100)")![1];
    // v within -70..-50 mV
    expect(syn.lo).toBeGreaterThan(29);
    expect(syn.hi).toBeLessThan(50.1);
    const astro = byKey.find(([k]) => k === "astrocytes@syn|(- #1 (/ astro:ip3 #0.00005))")![1];
    // ip3 below 0.022 uM against ip3_sat 0.05 uM
    expect(astro.lo).toBeGreaterThan(0.5);
    expect(astro.hi).toBeLessThanOrEqual(1);
  }, 60000);

  for (const hw of ["fpga-ultrascale", "loihi"]) {
    const spec = resolveHardware(hw).spec!;
    // "before": the state formats the profile picks, given outright, and no profiling run (so no profiled
    // subexpression ranges, as handlers had before)
    const given = (q: IRProgram) => {
      const report = quantize(q, { spec }).report;
      const formats: Record<string, QFormat> = {};
      for (const r of report) {
        const m = /^(U?)Q(-?\d+)\.(-?\d+)$/.exec(r.format)!;
        formats[`${r.owner}.${r.variable}`] = { signed: m[1] === "", intBits: Number(m[2]), fracBits: Number(m[3]) };
      }
      return quantize(q, { spec, profileSteps: 0, formats }).diagnostics;
    };
    it(`${hw}: without profiled handler ranges the astrocyte's division is refused, with the caret on it`, () => {
      const ds = errors(given(p));
      expect(ds.map((d) => d.code)).toEqual(["E0802"]);
      expect(ds[0]!.message).toMatch(
        /^syn: `5e-7 \/ \(1 - astro\.ip3 \/ 0\.00005\)` divides by `1 - astro\.ip3 \/ 0\.00005`, whose range \[-0\.\d+, 1\] includes 0, so a sum has no finite range$/,
      );
      expect(where(ds[0]!)).toEqual([FILE, 21, 27, 21, 61]);
    });
    it(`${hw}: without profiled handler ranges the synapse's division is refused (astrocyte handler left out)`, () => {
      const noAstro: IRProgram = {
        ...p,
        groups: p.groups.map((g) => (g.kind === "astrocyte" ? { ...g, onSynapsePre: [] } : g)),
      };
      const ds = errors(given(noAstro));
      expect(ds.map((d) => d.code)).toEqual(["E0802"]);
      expect(ds[0]!.message).toBe(
        "syn: `8e-11 * (1 + astro.ip3 / 0.001) * 30 / (post.v / 0.001 + 100)` divides by `post.v / 0.001 + 100`, whose range [-150, 350] includes 0, so a sum has no finite range",
      );
      expect(where(ds[0]!)).toEqual([FILE, 30, 19, 30, 61]);
    });
    it(`${hw}: with them both compile and run with the reference's 9 spikes, each within 3 % of its step`, () => {
      const q = quantize(p, { spec });
      expect(errors(q.diagnostics)).toEqual([]);
      const out = makeFixedTarget().run(p, { hw });
      expect(errors(out.diagnostics)).toEqual([]);
      const ref = referenceTarget.run(p, {}).result!;
      const a = Array.from(out.result!.spikes.cell!.steps),
        b = Array.from(ref.spikes.cell!.steps);
      expect(b.length).toBe(9);
      expect(a.length).toBe(b.length);
      // measured: reference 514 1040 1601 2129 2654 3204 3729 4251 4803; fpga-ultrascale 518 1048 1603 2135 2701
      // 3231 3755 4303 4831 (+1.8 % at most); loihi 520 1063 1611 2147 2706 3240 3803 4336 4902 (+2.2 % at most)
      a.forEach((s, i) => expect(Math.abs(s - b[i]!)).toBeLessThanOrEqual(0.03 * b[i]!));
    }, 60000);
  }
});
