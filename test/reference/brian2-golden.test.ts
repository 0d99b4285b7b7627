// Brian2 golden spike times (test/fixtures/brian2, see PROVENANCE.md): each case, written in glia,
// compiled through the whole pipeline and run on the reference target, spikes in exactly Brian2's steps.
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";

interface GoldenCase {
  n_spikes: number;
  spike_steps: number[];
}
const golden = JSON.parse(fs.readFileSync(`${REPO_ROOT}/test/fixtures/brian2/golden.json`, "utf8")) as {
  cases: Record<string, GoldenCase>;
};

describe("Brian2 golden spike steps on the reference target", () => {
  for (const name of [
    "lif_const_exact",
    "lif_const_euler",
    "lif_expsyn_exact",
    "lif_expsyn_euler",
    "izhikevich_euler",
  ]) {
    it(name, () => {
      const compiled = compile(`test/fixtures/brian2/${name}.glia`, dirHost(REPO_ROOT), { verify: true });
      expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const out = referenceTarget.run(compiled.ir!, {});
      expect(out.diagnostics).toEqual([]);
      const res = out.result!;
      expect(res.steps).toBe(10000);
      expect(Array.from(res.spikes.cell!.steps)).toEqual(golden.cases[name]!.spike_steps);
    });
  }
});
