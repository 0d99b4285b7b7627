// The glia command line, run in-process: exit codes, JSON fields, emitted stages, usage errors.
import { describe, expect, test } from "@jest/globals";
import * as path from "node:path";
import * as fs from "node:fs";
import * as os from "node:os";
import { runCli } from "../../cli/main.js";
import { jsonError } from "../../cli/io.js";
import { displayPath, STDLIB_DIR } from "../../compiler/syntax/load.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const capture = captureIo;

const LIF = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/lif-exact/main.glia"), "utf8");

describe("glia CLI", () => {
  test("check: ok file exits 0", async () => {
    const io = capture({ "a.glia": LIF });
    expect(await runCli(["check", "a.glia"], io)).toBe(0);
    expect(io.stdout).toContain("a.glia: ok");
  });

  test("check: a unit error exits 1 with file:line:col, caret and code", async () => {
    const io = capture({ "bad.glia": LIF.replace("v' = (v_rest - v + RI) / tau", "v' = (v_rest - v + RI)") });
    expect(await runCli(["check", "bad.glia"], io)).toBe(1);
    expect(io.stderr).toMatch(/bad\.glia:\d+:\d+: error\[E0302\]/);
    expect(io.stderr).toMatch(/\n\s+\| +\^+/);
    expect(io.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  test("run --json prints the summary object", async () => {
    const io = capture({ "a.glia": LIF });
    expect(await runCli(["run", "a.glia", "--json", "--target", "reference"], io)).toBe(0);
    const s = JSON.parse(io.stdout);
    expect(s.target).toBe("reference");
    expect(s.populations.n.n).toBe(1);
    // constant drive 20 mV over a 15 mV gap, tau 10 ms: threshold crossed 13.86 ms after each
    // (re)start, detected in step 138; 2 ms refractory -> spikes in steps 138, 296, ..., 928
    // (Brian2's golden lif_const_exact) -> 6 spikes in 100 ms
    expect(s.populations.n.spikes).toBe(6);
    expect(s.spikes_total).toBe(6);
    expect(typeof s.compile_wall_s).toBe("number");
    expect(typeof s.sim_wall_s).toBe("number");
  });

  test("run defaults to the wasm target and agrees with the reference", async () => {
    const io = capture({ "a.glia": LIF });
    expect(await runCli(["run", "a.glia", "--json"], io)).toBe(0);
    const s = JSON.parse(io.stdout);
    expect(s.target).toMatch(/^wasm/);
    expect(s.populations.n.spikes).toBe(6);
  });

  test("run --json on wasm has the reference's fields plus peak_rss_bytes, bytes_per_synapse and threads", async () => {
    const ref = capture();
    const wasm = capture();
    expect(
      await runCli(["run", "examples/cuba.glia", "--json", "--duration", "20ms", "--target", "reference"], ref),
    ).toBe(0);
    expect(await runCli(["run", "examples/cuba.glia", "--json", "--duration", "20ms", "--threads", "2"], wasm)).toBe(0);
    const r = JSON.parse(ref.stdout);
    const w = JSON.parse(wasm.stdout);
    expect(Object.keys(w)).toEqual(expect.arrayContaining(Object.keys(r)));
    expect(Object.keys(r)).not.toContain("peak_rss_bytes");
    expect(w.peak_rss_bytes).toBeGreaterThan(1 << 20);
    expect(w.bytes_per_synapse).toBeGreaterThan(2);
    expect(w.bytes_per_synapse).toBeLessThanOrEqual(8);
    expect(w.threads).toBe(2);
    expect(w.synapses).toBe(r.synapses);
  });

  test("run --threads 2 on the wasm target gives the single-thread spikes", async () => {
    const one = capture({ "a.glia": LIF });
    const two = capture({ "a.glia": LIF });
    expect(await runCli(["run", "a.glia", "--json", "--threads", "1"], one)).toBe(0);
    expect(await runCli(["run", "a.glia", "--json", "--threads", "2"], two)).toBe(0);
    expect(JSON.parse(two.stdout).populations).toEqual(JSON.parse(one.stdout).populations);
  });

  test("run --duration and --seed override the model", async () => {
    const io = capture({ "a.glia": LIF });
    expect(await runCli(["run", "a.glia", "--json", "--duration", "20ms", "--seed", "9"], io)).toBe(0);
    const s = JSON.parse(io.stdout);
    expect(s.populations.n.spikes).toBe(1);
    expect(s.seed).toBe(9);
  });

  test("run --out writes summary, spikes CSV and an SVG raster", async () => {
    const io = capture({ "a.glia": LIF });
    const dir = path.join(os.tmpdir(), "glia-cli-out");
    expect(await runCli(["run", "a.glia", "--out", dir], io)).toBe(0);
    const names = [...io.files.keys()].map((f) => path.basename(f)).sort();
    expect(names).toEqual(expect.arrayContaining(["summary.json", "spikes.csv", "raster.svg"]));
    const csv = io.files.get(path.join(dir, "spikes.csv"))!;
    expect(csv.trim().split("\n").length).toBe(1 + 6);
    expect(io.files.get(path.join(dir, "raster.svg"))).toMatch(/^<svg[^>]*xmlns/);
  });

  test("compile --emit ast | ir | ir-after=solve-odes", async () => {
    for (const emit of ["ast", "ir", "ir-after=solve-odes", "ir-json", "wat"]) {
      const io = capture({ "a.glia": LIF });
      expect(await runCli(["compile", "a.glia", "--emit", emit], io)).toBe(0);
      expect(io.stdout.length).toBeGreaterThan(50);
    }
  });

  test("usage errors exit 2 with a message", async () => {
    const cases: string[][] = [
      ["run", "a.glia", "--duration", "5 mV"],
      ["run", "a.glia", "--seed", "-1"],
      ["run", "a.glia", "--target", "nope"],
      ["run", "a.glia", "--threads", "0"],
      ["compile", "a.glia", "--emit", "ir-after=nope"],
      ["frobnicate"],
      [],
    ];
    for (const argv of cases) {
      const io = capture({ "a.glia": LIF });
      expect({ argv, code: await runCli(argv, io) }).toEqual({ argv, code: 2 });
      expect(io.stderr.length).toBeGreaterThan(0);
    }
  });

  test("a missing file is a diagnostic (exit 1), not a crash", async () => {
    const io = capture();
    expect(await runCli(["check", "does-not-exist.glia"], io)).toBe(1);
    expect(io.stderr).toContain("E0601");
  });

  test("compile --target crossbar --hw reram-128: a plastic synapse is refused at its connect statement", async () => {
    const src = `${LIF}
synapse Hebb {
  state { w = 0.5 }
  on pre { post.v += w * 1 mV; w = clip(w + 0.01, 0, 1) }
}
`.replace("  population n = LIF[1]\n", "  population n = LIF[1]\n  connect n -> n with Hebb all_to_all\n");
    const io = capture({ "plastic.glia": src });
    const code = await runCli(
      ["compile", "plastic.glia", "--target", "crossbar", "--hw", "reram-128", "-o", "out.json"],
      io,
    );
    expect(code).toBe(1);
    const line = src.split("\n").findIndex((l) => l.includes("connect n -> n with Hebb")) + 1;
    expect(io.stderr).toContain(
      `plastic.glia:${line}:3: error[E0801]: projection n_n (Hebb) updates synapse state on chip`,
    );
    expect(io.stderr).toContain(`${line} |   connect n -> n with Hebb all_to_all`);
    expect(io.stderr).toMatch(/\n\s+\| {3}\^{35}\n/); // the caret line under the whole statement
    expect(io.stderr).toMatch(/note: on pre of synapse Hebb changes synapse state/);
    expect(io.stderr).toContain("= hint: use a static synapse, or map with --target fpga");
    expect(io.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(io.files.has("out.json")).toBe(false);
  });
});

describe("diagnostics in the standard library", () => {
  const HET = fs.readFileSync(path.join(REPO_ROOT, "examples/heterogeneous.glia"), "utf8");

  test("a warning on a stdlib model names the file as std/NAME.glia, not the installing machine's path", async () => {
    const io = capture({ "het.glia": HET });
    expect(await runCli(["compile", "het.glia", "--target", "fixed", "--hw", "loihi"], io)).toBe(0);
    expect(io.stderr).toMatch(/^std\/lif\.glia:19:5: warning\[W1005\]/m);
    expect(io.stderr).not.toContain("compiler/stdlib");
  });

  test("--json errors name a stdlib file the same way", () => {
    const span = { file: `${STDLIB_DIR}/lif.glia`, start: 0, end: 1, line: 3, col: 1, endLine: 3, endCol: 2 };
    const d = { code: "E0201" as const, severity: "error" as const, message: "m", span, related: [] };
    expect(JSON.parse(jsonError({ diagnostics: [d] })).error.diagnostics[0].file).toBe("std/lif.glia");
    expect(displayPath("/elsewhere/x.glia")).toBe("/elsewhere/x.glia");
  });
});
