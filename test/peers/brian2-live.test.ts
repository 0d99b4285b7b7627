// Brian2 live, in the same test run: test/peers/brian2/lif_golden.py runs under the peers' Brian2 (pinned in
// test/peers/requirements.txt) and its spike steps must equal glia's on the reference and wasm-f64 targets for
// the five deterministic cases of test/fixtures/brian2 (the stored golden.json came from Brian2 2.5.1; this
// checks the pinned release too).
import { beforeAll, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target } from "../../targets/wasm/index.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { describePeer, runPeerScript } from "../helpers/peers.js";

const CASES = ["lif_const_exact", "lif_const_euler", "lif_expsyn_exact", "lif_expsyn_euler", "izhikevich_euler"];

describePeer("Brian2 (live) and glia: identical spike steps", ["brian2"], () => {
  let brian: Record<string, { spike_steps: number[] }>;
  beforeAll(() => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "glia-brian2-")), "golden.json");
    runPeerScript(path.join(REPO_ROOT, "test/peers/brian2/lif_golden.py"), ["--out", out]);
    brian = (JSON.parse(fs.readFileSync(out, "utf8")) as { cases: typeof brian }).cases;
  });
  for (const name of CASES) {
    it(name, () => {
      const compiled = compile(`test/fixtures/brian2/${name}.glia`, dirHost(REPO_ROOT), { verify: true });
      expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const expected = brian[name]!.spike_steps;
      expect(expected.length).toBeGreaterThan(10);
      for (const target of [referenceTarget, wasmF64Target]) {
        const res = target.run(compiled.ir!, {}).result!;
        expect(Array.from(res.spikes.cell!.steps)).toEqual(expected);
      }
    });
  }
});
