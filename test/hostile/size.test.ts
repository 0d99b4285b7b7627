// Hostile sizes on the file system (issue 17), on real temporary directories through the CLI in-process: 5 MB data
// files (a csv_list connection list, a csv_spikes column) are read in bounded time; a
// chain of 5,000 imported files loads without recursion and an import cycle through 5,000 files is E0603 with an
// abbreviated chain; outputs refused by the file system (EACCES, ENOSPC) are E0607 naming the path. Each case
// asserts the exit code and that no internal error (70) occurs.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { nodeIo, type CliIo } from "../../cli/io.js";
import { fsErrorText } from "../../compiler/syntax/node-host.js";
import { prepareOutputDir } from "../../cli/output-files.js";

const BUDGET_MS = 60000;
const MB5 = 5_000_000;
let tmp: string;
const at = (...p: string[]): string => path.join(tmp, ...p);

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "glia-hostile-size-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function glia(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const real = nodeIo();
  const r = { code: 0, stdout: "", stderr: "" };
  const io: CliIo = { ...real, out: (t) => void (r.stdout += t), err: (t) => void (r.stderr += t) };
  const t0 = performance.now();
  r.code = await runCli(argv, io);
  expect(performance.now() - t0).toBeLessThan(BUDGET_MS);
  expect(r.stderr).not.toMatch(/internal error|Maximum call stack|at .*\.ts:\d+/);
  return r;
}

const codes = (stderr: string): string[] => [...stderr.matchAll(/error\[(E\d{4})\]/g)].map((m) => m[1]!);

/** Lines from `row(i)` after `header` until the text is at least 5 MB; returns the text and the row count. */
function fiveMb(header: string, row: (i: number) => string): { text: string; rows: number } {
  const parts = [header];
  let bytes = header.length + 1;
  let i = 0;
  for (; bytes < MB5; i++) {
    const r = row(i);
    parts.push(r);
    bytes += r.length + 1;
  }
  return { text: parts.join("\n") + "\n", rows: i };
}

const net = (items: string): string => `import "std/lif.glia"
import "std/static.glia"
network N {
  dt = 0.1 ms
  population a = LIF[1000]
${items}
  record spikes of a
  run 20 ms
}
`;

describe("5 MB data files and literals are read in bounded time", () => {
  test("a 5 MB csv_list connection list: check and run (every row a synapse)", async () => {
    const edges = fiveMb("pre,post,weight,delay_ms", (i) => `${i % 1000},${(i * 7) % 1000},1e-4,${1 + (i % 5)}`);
    fs.writeFileSync(at("edges.csv"), edges.text);
    fs.writeFileSync(at("list.glia"), net(`  connect a -> a with Static onto ge csv_list("edges.csv")`));
    expect((await glia("check", at("list.glia"))).code).toBe(0);
    const r = await glia("run", at("list.glia"), "--target", "reference", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).synapses).toBe(edges.rows);
  }, 120000);

  test("a 5 MB csv_spikes column: run replays every spike", async () => {
    const spikes = fiveMb("index,time_ms", (i) => `${i % 1000},${(Math.floor(i / 1000) * 0.1).toFixed(1)}`);
    fs.writeFileSync(at("spikes.csv"), spikes.text);
    const src = net(`  input replay = csv_spikes("spikes.csv")[1000]\n  record spikes of replay`);
    fs.writeFileSync(at("spikes.glia"), src.replace("run 20 ms", "run 100 ms"));
    const r = await glia("run", at("spikes.glia"), "--target", "reference", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).populations.replay.spikes).toBe(spikes.rows);
  }, 120000);
});

describe("5,000 imported files", () => {
  const N = 5000;
  test("a chain of 5,000 imports loads (no recursion) and runs", async () => {
    fs.mkdirSync(at("chain"));
    for (let i = 0; i < N; i++)
      fs.writeFileSync(
        at("chain", `m${i}.glia`),
        i < N - 1
          ? `import "m${i + 1}.glia"\n`
          : "neuron Last { state { v: mV = 0 mV } equations { v' = -v / (10 ms) } }\n",
      );
    fs.writeFileSync(
      at("chain", "main.glia"),
      'import "m0.glia"\nnetwork N {\n  dt = 0.1 ms\n  population a = Last[1]\n  record spikes of a\n  run 1 ms\n}\n',
    );
    expect((await glia("check", at("chain", "main.glia"))).code).toBe(0);
    expect((await glia("run", at("chain", "main.glia"), "--target", "reference")).code).toBe(0);
  }, 120000);

  test("an import cycle through 5,000 files: E0603 at the import that opens it, the chain abbreviated", async () => {
    fs.mkdirSync(at("cycle"));
    for (let i = 0; i < N; i++) fs.writeFileSync(at("cycle", `c${i}.glia`), `import "c${(i + 1) % N}.glia"\n`);
    const r = await glia("check", at("cycle", "c0.glia"));
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0603"]]);
    expect(r.stderr).toContain(`${at("cycle", "c0.glia")}:1:8: error[E0603]`); // the import string
    expect(r.stderr).toContain("error[E0603]: import cycle: ");
    expect(r.stderr.length).toBeLessThan(10000);
  }, 120000);
});

describe("outputs the file system refuses: E0607 with the path", () => {
  const LIFSRC =
    'import "std/lif.glia"\nnetwork N { dt = 0.1 ms\n population a = LIF[2]\n record spikes of a\n run 1 ms }\n';

  test("EACCES: run --out in a directory without write permission", async () => {
    fs.writeFileSync(at("m.glia"), LIFSRC);
    // root ignores mode bits, but /sys refuses new files even to root; others get a directory made read-only
    let dir = "/sys";
    if (process.getuid?.() !== 0) {
      dir = at("locked");
      fs.mkdirSync(dir, { mode: 0o555 });
    } else if (!fs.existsSync("/sys/kernel")) return;
    const out = path.join(dir, "glia-out");
    const r = await glia("run", at("m.glia"), "--out", out);
    expect([r.code, codes(r.stderr)]).toEqual([1, ["E0607"]]);
    expect(r.stderr).toContain(`${out}:1:1: error[E0607]`);
    expect(r.stderr).toMatch(/EACCES: permission denied|EROFS/);
    expect(r.stdout).toBe("");
  });

  test("EACCES and ENOSPC map to their phrase with the code", () => {
    const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw`), { code });
    expect(fsErrorText(err("EACCES"))).toBe("EACCES: permission denied");
    expect(fsErrorText(err("ENOSPC"))).toBe("ENOSPC: no space left on the device");
  });

  test("ENOSPC: a device that is full refuses the probe, named with the directory", () => {
    if (!fs.existsSync("/dev/full")) return;
    // /dev/full is not a directory: the output check says so before any write
    expect(prepareOutputDir("/dev/full")).toContain("/dev/full");
  });
});
