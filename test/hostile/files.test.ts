// Hostile file-system inputs to the CLI, run in-process on real temporary directories: outputs that are existing
// files, directories, devices, sources or under /proc; symbolic link loops; imports and data paths leaving the
// project tree. Each case asserts the exit code and the diagnostic code, and that no internal error (70) occurs.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { runCli } from "../../cli/main.js";
import { nodeIo, type CliIo } from "../../cli/io.js";
import { loadProgram } from "../../compiler/syntax/load.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { REPO_ROOT } from "../helpers/dir-host.js";

const LIF = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/lif-exact/main.glia"), "utf8");
const CROSSBAR = ["--target", "crossbar", "--hw", "reram-128"];

let tmp: string;
let outside: string;
const at = (...p: string[]): string => path.join(tmp, ...p);

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "glia-hostile-files-"));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), "glia-hostile-outside-"));
  fs.writeFileSync(at("m.glia"), LIF);
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

/** Runs the CLI with the Node io (real files), capturing stdout and stderr. */
async function glia(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const real = nodeIo();
  const r = { code: 0, stdout: "", stderr: "" };
  const io: CliIo = { ...real, out: (t) => void (r.stdout += t), err: (t) => void (r.stderr += t) };
  r.code = await runCli(argv, io);
  return r;
}

/** The diagnostic codes on stderr, in order. */
const codes = (stderr: string): string[] => [...stderr.matchAll(/error\[(E\d{4})\]/g)].map((m) => m[1]!);

/** Names of leftover temporary or probe files in `dir` (a failed or finished write leaves none). */
const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((f) => /\.tmp$|glia-probe/.test(f));

describe("outputs: checked before running, diagnostics with the path", () => {
  test("run --out naming an existing file: E0607, exit 1, nothing simulated", async () => {
    fs.writeFileSync(at("plain"), "keep");
    const r = await glia("run", at("m.glia"), "--out", at("plain"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stderr).toContain(`${at("plain")}:1:1`);
    expect(r.stdout).toBe("");
    expect(fs.readFileSync(at("plain"), "utf8")).toBe("keep");
  });

  test("run --out /dev/null: E0607, exit 1", async () => {
    const r = await glia("run", at("m.glia"), "--out", "/dev/null");
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stderr).toContain("/dev/null");
  });

  test("run --out under /proc: E0607, exit 1, no hang", async () => {
    if (!fs.existsSync("/proc/self")) return;
    const r = await glia("run", at("m.glia"), "--out", "/proc/glia-hostile/x");
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stderr).toContain("/proc");
  });

  test("run --out through a symbolic link loop: E0607 naming ELOOP", async () => {
    fs.symlinkSync("outloop", at("outloop"));
    const r = await glia("run", at("m.glia"), "--out", at("outloop", "sub"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stderr).toContain("ELOOP");
  });

  test("run --out a new nested directory: created, files written, no temporaries left", async () => {
    const dir = at("new", "deeper", "out");
    const r = await glia("run", at("m.glia"), "--out", dir);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual([
      "raster.svg",
      "spikes.csv",
      "summary.json",
      "traces.csv",
      "traces.svg",
    ]);
    expect(leftovers(dir)).toEqual([]);
  });

  test("compile -o naming a directory: E0607 (EISDIR), exit 1", async () => {
    fs.mkdirSync(at("adir"));
    const r = await glia("compile", at("m.glia"), ...CROSSBAR, "-o", at("adir"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stderr).toContain("EISDIR");
  });

  test("compile -o naming the entry file: refused (E0607), the source untouched", async () => {
    fs.writeFileSync(at("own.glia"), LIF);
    const r = await glia("compile", at("own.glia"), ...CROSSBAR, "-o", at("own.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stderr).toContain("one of the program's sources");
    expect(fs.readFileSync(at("own.glia"), "utf8")).toBe(LIF);
  });

  test("compile -o naming an imported file (another name for it): refused, untouched", async () => {
    const lib =
      "neuron Unused {\n  parameters { tau: ms = 10 ms }\n  state { v: mV = 0 mV }\n  equations { v' = -v / tau }\n}\n";
    fs.mkdirSync(at("imp"));
    fs.writeFileSync(at("imp", "lib.glia"), lib);
    fs.writeFileSync(at("imp", "main.glia"), `import "lib.glia"\n${LIF}`);
    fs.symlinkSync("lib.glia", at("imp", "alias.glia"));
    const r = await glia("compile", at("imp", "main.glia"), ...CROSSBAR, "-o", at("imp", "alias.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(fs.readFileSync(at("imp", "lib.glia"), "utf8")).toBe(lib);
  });

  test("compile -o over an existing file: replaced whole through a rename, no temporaries left", async () => {
    fs.mkdirSync(at("desc"));
    fs.writeFileSync(at("desc", "d.json"), "old");
    const r = await glia("compile", at("m.glia"), ...CROSSBAR, "-o", at("desc", "d.json"));
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(at("desc", "d.json"), "utf8")).glia_descriptor).toBeDefined();
    expect(leftovers(at("desc"))).toEqual([]);
  });

  test("compile -o /dev/full: ENOSPC is E0607, exit 1", async () => {
    if (!fs.existsSync("/dev/full")) return;
    const r = await glia("compile", at("m.glia"), ...CROSSBAR, "-o", "/dev/full");
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stderr).toContain("ENOSPC");
  });

  test("emulate --out naming an existing file: E0607 before emulating", async () => {
    fs.writeFileSync(at("emu-file"), "");
    const r = await glia("emulate", at("m.glia"), "--hw", "reram-128", "--out", at("emu-file"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stdout).toBe("");
  });

  test("bench --results naming an existing file: E0607 before benchmarking", async () => {
    fs.writeFileSync(at("bench-file"), "");
    const r = await glia("bench", "cuba", "--vs", "none", "--results", at("bench-file"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stdout).toBe("");
  });

  test("--hw naming a directory (with or without .json): E0803 with EISDIR", async () => {
    fs.mkdirSync(at("spec.json"));
    for (const hw of [at("spec.json"), at("adir2")]) {
      fs.mkdirSync(at("adir2"), { recursive: true });
      const r = await glia("compile", at("m.glia"), "--target", "crossbar", "--hw", hw, "-o", at("x.json"));
      expect([r.code, codes(r.stderr)]).toEqual([1, ["E0803"]]);
      expect(r.stderr).toContain("EISDIR");
    }
  });
});

describe("symbolic link loops", () => {
  test("the entry file a link to itself: E0601 naming ELOOP", async () => {
    fs.symlinkSync("self.glia", at("self.glia"));
    const r = await glia("check", at("self.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0601"]]);
    expect(r.stderr).toContain("ELOOP");
  });

  test("an import through a link loop: E0602 naming ELOOP", async () => {
    fs.symlinkSync("la.glia", at("lb.glia"));
    fs.symlinkSync("lb.glia", at("la.glia"));
    fs.writeFileSync(at("uses-loop.glia"), 'import "la.glia"\n');
    const r = await glia("check", at("uses-loop.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0602"]]);
    expect(r.stderr).toContain("ELOOP");
  });

  test("an import through a directory loop: E0602 naming ELOOP", async () => {
    fs.mkdirSync(at("dl"));
    fs.symlinkSync(".", at("dl", "again"));
    fs.writeFileSync(at("dl", "x.glia"), "");
    fs.writeFileSync(at("dl", "main.glia"), `import "${"again/".repeat(60)}x.glia"\n`);
    const r = await glia("check", at("dl", "main.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0602"]]);
    expect(r.stderr).toContain("ELOOP");
  });
});

describe("imports and data files stay in the project tree", () => {
  const net = (item: string): string => `network N {\n  dt = 0.1 ms\n  ${item}\n  run 1 ms\n}\n`;

  test('import "/etc/passwd": E0606, no line of it echoed', async () => {
    fs.writeFileSync(at("passwd.glia"), 'import "/etc/passwd"\n');
    const r = await glia("check", at("passwd.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0606"]]);
    expect(r.stderr).not.toContain("root:");
  });

  test('import "/proc/self/status.glia" and an absolute .glia elsewhere: E0606', async () => {
    fs.writeFileSync(path.join(outside, "far.glia"), "neuron Far { }\n");
    fs.writeFileSync(at("abs.glia"), `import "/proc/self/status.glia"\nimport "${path.join(outside, "far.glia")}"\n`);
    const r = await glia("check", at("abs.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0606", "E0606"]]);
  });

  test("../ out of the entry's directory: E0606; allowed with --allow-path", async () => {
    fs.mkdirSync(path.join(outside, "proj"));
    fs.writeFileSync(path.join(outside, "shared.glia"), "neuron Shared { }\n");
    fs.writeFileSync(path.join(outside, "proj", "main.glia"), 'import "../shared.glia"\n');
    const entry = path.join(outside, "proj", "main.glia");
    const r = await glia("check", entry);
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0606"]]);
    expect(r.stderr).toContain("--allow-path");
    const ok = await glia("check", entry, "--allow-path", outside);
    expect([ok.code, ok.stderr]).toEqual([0, ""]);
  });

  test("a link inside the project to a file outside it: E0606", async () => {
    fs.mkdirSync(at("lk"));
    fs.symlinkSync(path.join(outside, "far.glia"), at("lk", "near.glia"));
    fs.writeFileSync(at("lk", "main.glia"), 'import "near.glia"\n');
    const r = await glia("check", at("lk", "main.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0606"]]);
  });

  test("an import of a file that is not .glia (a data file): E0606, not parsed", async () => {
    fs.mkdirSync(at("csvimp"));
    fs.writeFileSync(at("csvimp", "secret.csv"), "token,abc123\n");
    fs.writeFileSync(at("csvimp", "main.glia"), 'import "secret.csv"\n');
    const r = await glia("check", at("csvimp", "main.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0606"]]);
    expect(r.stderr).not.toContain("abc123");
  });

  test('csv_spikes("/etc/passwd"): E0606, no line of it echoed', async () => {
    fs.writeFileSync(at("data-abs.glia"), net('input x = csv_spikes("/etc/passwd")[1]'));
    const r = await glia("check", at("data-abs.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0606"]]);
    expect(r.stderr).not.toContain("root:");
  });

  test("a data file that is a directory: E0604 naming EISDIR", async () => {
    fs.mkdirSync(at("ddir"));
    fs.mkdirSync(at("ddir", "spikes.csv"));
    fs.writeFileSync(at("ddir", "main.glia"), net('input x = csv_spikes("spikes.csv")[1]'));
    const r = await glia("check", at("ddir", "main.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0604"]]);
    expect(r.stderr).toContain("EISDIR");
  });

  test("the standard library stays importable from anywhere", () => {
    fs.writeFileSync(at("std-user.glia"), 'import "std/static.glia"\n');
    const r = loadProgram(at("std-user.glia"), nodeHost());
    expect(r.diagnostics).toEqual([]);
    expect(r.program.files).toHaveLength(2);
  });
});

describe("a reader that goes away", () => {
  test("stdout closed early (`| head -c 10`): no EPIPE crash, nothing on stderr, exit 0", () => {
    const head = LIF.slice(0, LIF.indexOf("network"));
    const pops = Array.from({ length: 3000 }, (_, i) => `  population p${i} = LIF[1]`).join("\n");
    fs.writeFileSync(at("big.glia"), `${head}network Big {\n  dt = 0.1 ms\n${pops}\n  run 1 ms\n}\n`);
    const bin = path.join(REPO_ROOT, "bin", "glia.js");
    // the IR text (~800 KB) is far more than a pipe holds, so the write fails with EPIPE once head has exited
    const sh = `"${process.execPath}" "${bin}" compile "${at("big.glia")}" --emit ir 2>"${at("epipe.err")}" | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const r = spawnSync("bash", ["-c", sh], { encoding: "utf8", timeout: 60_000 });
    expect(r.stdout.trim()).toBe("0");
    expect(fs.readFileSync(at("epipe.err"), "utf8")).toBe("");
  });
});
