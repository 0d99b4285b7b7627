// `glia import` on the command line: -o writes the glia file (and a long connection list as a data file beside
// it, with warning W1010), stdout without -o, E0601 for a missing file, exit 2 for an unknown convention.
import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { INLINE_GROUPS } from "../../compiler/nir/lower.js";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { captureIo } from "../helpers/cli-io.js";
import { fill, graph, nirBytes, node, tmpDir } from "./helpers.js";

const io = (): ReturnType<typeof captureIo> => {
  const c = captureIo();
  c.host = nodeHost();
  return c;
};

const lif = (n: number): ReturnType<typeof node> =>
  node("LIF", { tau: fill(n, 0.01), r: fill(n, 1), v_leak: fill(n, 0), v_threshold: fill(n, 1), v_reset: fill(n, 0) });

describe("glia import", () => {
  const dir = tmpDir("cli");
  it("prints the glia source, or writes it with -o", async () => {
    const file = path.join(dir, "small.nir");
    const w = { shape: [2, 2], data: [0.5, 0, 0.25, 1] };
    fs.writeFileSync(
      file,
      await nirBytes(
        graph({ in: node("Input", { shape: [2] }), fc: node("Linear", { weight: w }), lif: lif(2) }, [
          ["in", "fc"],
          ["fc", "lif"],
        ]),
      ),
    );
    const a = io();
    expect(await runCli(["import", file, "--nir-convention", "norse"], a)).toBe(0);
    expect(a.stdout).toContain("# Convention norse:");
    expect(a.stdout).toContain("connect in_lif: in -> lif with Static(w = 0.5) onto I from_list([0], [0]) allow_self");
    expect(a.stderr).toContain("warning[W1010]: NIR Input `in` carries no spikes");
    const b = io();
    const out = path.join(dir, "small.glia");
    expect(await runCli(["import", file, "-o", out], b)).toBe(0);
    expect(b.files.get(out)).toContain(
      "population lif = NIR_LIF(tau = 0.01 s, r = 1, v_leak = 0, v_threshold = 1, v_reset = 0)[2]",
    );
  });

  it("a projection with more distinct weights than fit inline goes to a csv_list file, its weights honoured", async () => {
    const n = Math.ceil(Math.sqrt(INLINE_GROUPS + 1));
    const file = path.join(dir, "dense.nir");
    const w = { shape: [n, n], data: Array.from({ length: n * n }, (_, k) => 0.001 * (k + 1)) };
    fs.writeFileSync(
      file,
      await nirBytes(
        graph({ in: node("Input", { shape: [n] }), fc: node("Linear", { weight: w }), lif: lif(n) }, [
          ["in", "fc"],
          ["fc", "lif"],
        ]),
      ),
    );
    const c = io();
    const out = path.join(dir, "dense.glia");
    expect(await runCli(["import", file, "-o", out], c)).toBe(0);
    expect(c.files.get(out)).toContain(
      'connect in_lif: in -> lif with Static onto v csv_list("dense.data/in_lif.csv") allow_self',
    );
    const csv = c.files.get(path.join(dir, "dense.data/in_lif.csv")) as string;
    expect(csv.split("\n")[0]).toBe("pre,post,weight,delay_ms");
    expect(csv.trim().split("\n").length).toBe(n * n + 1);
    // the file's weight column is what the network gets: a synapse monitor at step 0 reads every weight back
    const src = (c.files.get(out) as string).replace(/\n(\s*)run /, "\n$1record w of in_lif every 1000 ms\n$1run ");
    const withMonitor = path.join(dir, "dense-w.glia");
    fs.writeFileSync(withMonitor, src);
    fs.mkdirSync(path.join(dir, "dense.data"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dense.data/in_lif.csv"), csv);
    const compiled = compile(withMonitor, nodeHost());
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const res = referenceTarget.run(compiled.ir!, { duration: 0.002 }).result!;
    const mon = res.synapseTraces!.find((m) => m.projection === "in_lif")!;
    const got = new Map<string, number>();
    mon.synapses.forEach((_, k) => got.set(`${mon.pre[k]},${mon.post[k]}`, mon.values[0]![k]!));
    const rows = csv.trim().split("\n").slice(1);
    expect(got.size).toBe(rows.length);
    for (const row of rows) {
      const [pre, post, weight] = row.split(",");
      expect(got.get(`${pre},${post}`)).toBeCloseTo(Number(weight), 12);
    }
  });

  it("a missing file is E0601; an unknown convention is a usage error", async () => {
    const c = io();
    expect(await runCli(["import", path.join(dir, "nope.nir")], c)).toBe(1);
    expect(c.stderr).toContain("error[E0601]: cannot read file");
    const d = io();
    expect(await runCli(["import", path.join(dir, "small.nir"), "--nir-convention", "brian"], d)).toBe(2);
  });
});
