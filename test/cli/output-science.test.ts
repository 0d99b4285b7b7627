// What `glia run` gives a scientist (issue 11, item 7): rates over a --window, mean_rate_hz over neurons only,
// units in the CSV headers, traces.svg beside the raster (populations in declaration order), an error object
// under --json, one error for a reserved word used as a name, the "wrote" line naming every file, and a
// closed pipe ending quietly.
import { describe, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { captureIo } from "../helpers/cli-io.js";
import { REPO_ROOT } from "../helpers/dir-host.js";

const NET = `import "std/lif.glia"
import "std/static.glia"
network W {
  dt = 0.1 ms
  seed = 2
  population zeta = LIF(E_L = -50 mV)[20]
  input drive = poisson(rate = 400 Hz)[50]
  population alpha = LIF[10]
  connect drive -> zeta with Static(w = 2 mV) onto ge fixed_indegree(10)
  connect zeta -> alpha with Static(w = 3 mV) onto ge all_to_all
  record spikes of alpha, drive, zeta
  record v of zeta[0:3]
  run 400 ms
}
`;

describe("run output for a scientist", () => {
  test("--window gives the spike-monitored populations' rates over [from, to); mean_rate_hz is over neurons", async () => {
    const io = captureIo({ "w.glia": NET });
    const code = await runCli(["run", "w.glia", "--json", "--target", "reference", "--window", "100ms:300ms"], io);
    expect(code).toBe(0);
    const s = JSON.parse(io.stdout);
    const pops = s.populations as Record<string, { n: number; spikes: number; rate_hz: number }>;
    const neurons = pops.zeta!.spikes + pops.alpha!.spikes;
    expect(s.mean_rate_hz).toBeCloseTo(neurons / (30 * 0.4), 10);
    expect(pops.drive!.rate_hz).toBeGreaterThan(300); // the input is not in the mean
    expect(s.window).toMatchObject({ start_s: 0.1, end_s: 0.3, first_step: 1000, end_step: 3000 });
    expect(Object.keys(s.window.populations)).toEqual(["alpha", "drive", "zeta"]);
    const z = s.window.populations.zeta;
    expect(z.rate_hz).toBeCloseTo(z.spikes / (20 * 0.2), 10);
    expect(z.spikes).toBeLessThan(pops.zeta!.spikes);
  });

  test("--out writes units in the CSV headers, traces.svg, the raster in declaration order; the wrote line lists all", async () => {
    const io = captureIo({ "w.glia": NET });
    expect(await runCli(["run", "w.glia", "--target", "reference", "--out", "o"], io)).toBe(0);
    const names = [...io.files.keys()].map((f) => path.basename(f));
    expect(names).toEqual(["summary.json", "spikes.csv", "traces.csv", "raster.svg", "traces.svg"]);
    expect(io.stdout).toContain(`wrote o/${names.join(", ")}\n`);
    expect(io.files.get(path.join("o", "traces.csv"))!.split("\n")[0]).toBe(
      "population,variable,index,step,time_s,value_V",
    );
    const svg = io.files.get(path.join("o", "traces.svg"))!;
    expect(svg).toContain("zeta.v (mV)");
    expect((svg.match(/<polyline /g) ?? []).length).toBe(3);
    const raster = io.files.get(path.join("o", "raster.svg"))!;
    const legend = [...raster.matchAll(/<text x="\d+" y="\d+">(\w+) \(\d+\)<\/text>/g)].map((m) => m[1]);
    expect(legend).toEqual(["zeta", "drive", "alpha"]);
  });

  test("--json on failure prints an error object; a reserved word used as a name is one error", async () => {
    const bad = NET.replace(/zeta/g, "astro");
    const io = captureIo({ "b.glia": bad });
    expect(await runCli(["run", "b.glia", "--json"], io)).toBe(1);
    const e = JSON.parse(io.stdout);
    expect(e.ok).toBe(false);
    expect(
      e.error.diagnostics.map((d: { code: string; line: number; col: number }) => [d.code, d.line, d.col]),
    ).toEqual([["E0110", 6, 14]]);
    expect(e.error.diagnostics[0].hint).toContain("`astro` is also used as a name on lines 9, 10, 11, 12");
    const usage = captureIo({ "w.glia": NET });
    expect(await runCli(["run", "w.glia", "--json", "--window", "3s:1s"], usage)).toBe(2);
    expect(JSON.parse(usage.stdout).error).toEqual({
      kind: "usage",
      message: "--window: the end (1 s) must come after the start (3 s)",
    });
  });

  test("a reader that closes the pipe early ends the output quietly", () => {
    const glia = path.join(REPO_ROOT, "bin", "glia.js");
    const r = spawnSync(
      "bash",
      ["-c", `node ${glia} compile examples/cuba.glia --emit ir-after=all | head -c 10; exit \${PIPESTATUS[0]}`],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("=== ir aft");
  });
});
