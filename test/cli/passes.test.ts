// The command line's view of the pass manager: `compile --emit ir-after=all` (the IR after build and every
// pass, one header per pass), `--verify` on compile and run, fallback warnings and E0515 on stderr.
import { describe, expect, test } from "@jest/globals";
import * as path from "node:path";
import * as fs from "node:fs";
import { runCli } from "../../cli/main.js";
import { passNames } from "../../compiler/pipeline.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const capture = captureIo;

const LIF = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/lif-exact/main.glia"), "utf8");
const IZH = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/izhikevich-euler/main.glia"), "utf8");

async function cli(
  args: string[],
  files: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture(files);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("glia compile --emit ir-after=all", () => {
  test("prints build and every pass in order, each under its header and equal to ir-after=NAME", async () => {
    const all = await cli(["compile", "a.glia", "--emit", "ir-after=all"], { "a.glia": LIF });
    expect(all.code).toBe(0);
    const headers = [...all.stdout.matchAll(/^=== ir after (\S+) ===$/gm)].map((m) => m[1]);
    expect(headers).toEqual(passNames());
    expect(headers).toContain("fold-discrete");
    const sections = all.stdout.split(/^=== ir after \S+ ===\n/m).slice(1);
    for (const [i, name] of passNames().entries()) {
      const one = await cli(["compile", "a.glia", "--emit", `ir-after=${name}`], { "a.glia": LIF });
      expect({ name, text: sections[i]!.replace(/\n$/, i < sections.length - 1 ? "" : "\n") }).toEqual({
        name,
        text: one.stdout,
      });
    }
  });

  test("unknown pass names list `all`; --target fixed refuses it (exit 2)", async () => {
    const bad = await cli(["compile", "a.glia", "--emit", "ir-after=nope"], { "a.glia": LIF });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("or all");
    expect(
      (await cli(["compile", "a.glia", "--emit", "ir-after=all", "--target", "fixed"], { "a.glia": LIF })).code,
    ).toBe(2);
  });
});

describe("--verify", () => {
  test("compile --verify on a good file: same output, exit 0, nothing on stderr", async () => {
    const plain = await cli(["compile", "a.glia"], { "a.glia": LIF });
    const verified = await cli(["compile", "a.glia", "--verify"], { "a.glia": LIF });
    expect(verified).toEqual({ code: 0, stdout: plain.stdout, stderr: "" });
    expect((await cli(["compile", "a.glia", "--emit", "ir-after=all", "--verify"], { "a.glia": LIF })).code).toBe(0);
  });

  test("run --verify runs and reports the same spikes", async () => {
    const plain = await cli(["run", "a.glia", "--target", "reference", "--json"], { "a.glia": LIF });
    const verified = await cli(["run", "a.glia", "--target", "reference", "--json", "--verify"], { "a.glia": LIF });
    expect(verified.code).toBe(0);
    expect(verified.stderr).toBe("");
    const spikes = (out: string) => (JSON.parse(out) as { populations: unknown }).populations;
    expect(spikes(verified.stdout)).toEqual(spikes(plain.stdout));
  });
});

describe("pass diagnostics on the command line", () => {
  test("a named method that falls back is a warning with code and caret; the IR is still printed (exit 0)", async () => {
    const r = await cli(["compile", "a.glia"], { "a.glia": IZH.replace("method euler", "method exact") });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^a\.glia:6:5: warning\[W1004\]: Izhikevich asks for `method exact`/);
    expect(r.stderr).toContain("0 errors, 1 warning");
    expect(r.stdout).toContain("methods u: exact, v: rk4");
  });

  test("run on a file with models only: E0515 at 1:1, exit 1", async () => {
    const r = await cli(["run", "lib.glia"], { "lib.glia": IZH.slice(0, IZH.indexOf("network One")) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lib\.glia:1:1: error\[E0515\]: lib\.glia declares no network/);
    expect(r.stdout).toBe("");
    const check = await cli(["check", "lib.glia"], { "lib.glia": IZH.slice(0, IZH.indexOf("network One")) });
    expect(check.code).toBe(0); // a library of models is fine to check
    const ast = await cli(["compile", "lib.glia", "--emit", "ast"], {
      "lib.glia": IZH.slice(0, IZH.indexOf("network One")),
    });
    expect({ code: ast.code, stderr: ast.stderr }).toEqual({ code: 0, stderr: "" }); // and to print
    expect(ast.stdout).toContain("Izhikevich");
  });
});
