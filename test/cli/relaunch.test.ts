// bin/glia.js runs run/bench/emulate in a child Node with memory settings (cli/relaunch.ts): which command lines are
// relaunched, and through the real binary that the child gets the settings while exit codes, output and signals
// pass through as if there were one process.
import { describe, expect, test } from "@jest/globals";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { wantsRelaunch } from "../../cli/relaunch.js";
import { REPO_ROOT } from "../helpers/dir-host.js";

const BIN = path.join(REPO_ROOT, "bin/glia.js");
const MALLOC = { MALLOC_MMAP_THRESHOLD_: "131072" };

describe("wantsRelaunch", () => {
  test("the simulating commands are relaunched, the others are not", () => {
    expect(wantsRelaunch(["run", "a.glia"], [], {})).toBe(true);
    expect(wantsRelaunch(["bench", "cuba-4000"], [], {})).toBe(true);
    expect(wantsRelaunch(["emulate", "a.glia"], [], {})).toBe(true);
    for (const cmd of ["check", "compile", "export", "import", "--help", "--version"])
      expect(wantsRelaunch([cmd, "a.glia"], [], {})).toBe(false);
    expect(wantsRelaunch([], [], {})).toBe(false);
  });

  test("the child (flag and malloc setting) is not relaunched again", () => {
    const env = { GLIA_RELAUNCHED: "1", ...MALLOC };
    expect(wantsRelaunch(["run", "a.glia"], ["--max-semi-space-size=1"], env)).toBe(false);
  });

  test("a glia the child started (the flag inherited, the malloc setting removed) is relaunched with both", () => {
    expect(wantsRelaunch(["bench", "cuba-4000"], ["--max-semi-space-size=1"], { GLIA_RELAUNCHED: "1" })).toBe(true);
  });

  test("a semi-space size the user gave Node is kept", () => {
    expect(wantsRelaunch(["run", "a.glia"], ["--max-semi-space-size=8"], {})).toBe(false);
    expect(wantsRelaunch(["run", "a.glia"], [], { NODE_OPTIONS: "--max-semi-space-size=8" })).toBe(false);
  });
});

describe("through bin/glia.js", () => {
  if (!fs.existsSync(path.join(REPO_ROOT, "dist/cli/relaunch.js"))) throw new Error("run npm run build first");

  test("exit code and stderr of a failed run are the child's", () => {
    const r = spawnSync(process.execPath, [BIN, "run", "no-such-file.glia"], { encoding: "utf8", cwd: os.tmpdir() });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no-such-file\.glia:1:1: error\[E0601\]/);
    expect(r.stdout).toBe("");
  });

  test("a run's stdout is the same as without the relaunch", () => {
    const args = [BIN, "run", path.join(REPO_ROOT, "examples/cuba.glia"), "--duration", "20ms"];
    const relaunched = spawnSync(process.execPath, args, { encoding: "utf8" });
    // a semi-space size given to Node: no relaunch
    const direct = spawnSync(process.execPath, ["--max-semi-space-size=16", ...args], { encoding: "utf8" });
    expect(relaunched.status).toBe(0);
    expect(direct.status).toBe(0);
    const counts = (s: string): string => s.replace(/\d+(\.\d+)? (ms|s)\b.*$/gm, "");
    expect(counts(relaunched.stdout)).toBe(counts(direct.stdout));
    expect(relaunched.stdout).toMatch(/steps of 0\.1 ms on wasm/);
  });

  const linux = process.platform === "linux" ? test : test.skip;
  linux(
    "the child has the settings; SIGTERM to glia ends the child and then glia by SIGTERM",
    async () => {
      const parent = spawn(
        process.execPath,
        [BIN, "run", path.join(REPO_ROOT, "examples/cuba.glia"), "--duration", "1000s"],
        {
          stdio: "ignore",
        },
      );
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        parent.on("exit", (code, signal) => resolve({ code, signal })),
      );
      // the child, once it runs Node with its flags (between fork and exec its command line is still glia's own)
      let child = 0;
      let cmdline: string[] = [];
      for (let k = 0; k < 1200 && (cmdline.length === 0 || cmdline[1] === BIN); k++) {
        await new Promise((r) => setTimeout(r, 50));
        const file = `/proc/${parent.pid}/task/${parent.pid}/children`;
        child = fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8").trim().split(" ")[0] || 0) : 0;
        const own = child > 0 ? `/proc/${child}/cmdline` : "";
        cmdline = own && fs.existsSync(own) ? fs.readFileSync(own, "utf8").split("\0") : [];
      }
      expect(child).toBeGreaterThan(0);
      expect(cmdline).toContain("--max-semi-space-size=1");
      expect(cmdline).toContain("--heap-growing-percent=10");
      expect(fs.readFileSync(`/proc/${child}/environ`, "utf8").split("\0")).toContain("MALLOC_MMAP_THRESHOLD_=131072");
      parent.kill("SIGTERM");
      expect(await ended).toEqual({ code: null, signal: "SIGTERM" });
      // glia waited for its child before ending: the child is gone, not orphaned
      expect(fs.existsSync(`/proc/${child}`)).toBe(false);
    },
    120000,
  );
});
