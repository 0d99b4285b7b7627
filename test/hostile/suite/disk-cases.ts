// Hostile cases that need real files, for the hostile suite (issue 17). In: nothing; out: cases that lay out files in
// a fresh directory of their own (imports in cycles, through links and link loops, files that are directories,
// FIFOs or devices, invalid UTF-8) and command lines that misuse the CLI (unknown commands and flags, missing
// arguments, bad --duration, --seed, --threads, --hw, --out, --emit, --target values, directories where files are
// expected). Expectations are the recorded table in expected.json (test/hostile/suite.test.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

export type DiskCase = { group: string; name: string; setup(dir: string): void; argv(dir: string): string[] };

const LIF = `neuron L {
  parameters { tau: ms = 10 ms; v_rest: mV = -65 mV; v_th: mV = -50 mV }
  state { v: mV = v_rest }
  equations { v' = (v_rest - v + 20 mV) / tau }
  spike when v > v_th { v = v_rest }
}
`;
export const MODEL = `${LIF}\nnetwork N {\n  dt = 0.1 ms\n  population a = L[2]\n  record spikes of a\n  run 5 ms\n}\n`;

const write = (dir: string, files: Record<string, string | Buffer>): void => {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
};
const link = (dir: string, target: string, name: string): void => {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.symlinkSync(target, path.join(dir, name));
};

/** Imports: cycles, self-imports, diamonds, links, link loops, non-files, invalid bytes. */
export function importCases(): DiskCase[] {
  const c = (name: string, setup: (dir: string) => void, cmd = "check", entry = "main.glia"): DiskCase => ({
    group: "imports",
    name,
    setup,
    argv: (dir) => [cmd, path.join(dir, entry)],
  });
  const imp = (...names: string[]): string => names.map((n) => `import "${n}"\n`).join("");
  return [
    c("self import", (d) => write(d, { "main.glia": imp("main.glia") + MODEL })),
    c("cycle of two", (d) => write(d, { "main.glia": imp("b.glia") + MODEL, "b.glia": imp("main.glia") })),
    c(
      "cycle of three, run",
      (d) => write(d, { "main.glia": imp("b.glia") + MODEL, "b.glia": imp("c.glia"), "c.glia": imp("b.glia") }),
      "run",
    ),
    c("diamond", (d) =>
      write(d, {
        "main.glia": imp("b.glia", "c.glia") + MODEL,
        "b.glia": imp("d.glia"),
        "c.glia": imp("d.glia"),
        "d.glia": "neuron D { }\n",
      }),
    ),
    c("same file imported twice", (d) =>
      write(d, {
        "main.glia": imp("b.glia", "b.glia", "./b.glia", "sub/../b.glia") + MODEL,
        "b.glia": "neuron B { }\n",
        "sub/x": "",
      }),
    ),
    c("same model from two files", (d) =>
      write(d, { "main.glia": imp("b.glia", "c.glia") + MODEL, "b.glia": LIF, "c.glia": LIF }),
    ),
    c("chain of 300 imports", (d) => {
      const files: Record<string, string> = { "main.glia": imp("i1.glia") + MODEL };
      for (let k = 1; k < 300; k++) files[`i${k}.glia`] = imp(`i${k + 1}.glia`);
      files["i300.glia"] = imp("i1.glia");
      write(d, files);
    }),
    c("missing import", (d) => write(d, { "main.glia": imp("nope.glia") + MODEL })),
    c("empty import path", (d) => write(d, { "main.glia": imp("") + MODEL })),
    c("import of a directory named .glia", (d) => {
      write(d, { "main.glia": imp("dir.glia") + MODEL });
      fs.mkdirSync(path.join(d, "dir.glia"));
    }),
    c("import of the directory itself", (d) => write(d, { "main.glia": imp(".") + MODEL })),
    c("import of a FIFO", (d) => {
      write(d, { "main.glia": imp("fifo.glia") + MODEL });
      spawnSync("mkfifo", [path.join(d, "fifo.glia")]);
    }),
    c("entry is a FIFO", (d) => void spawnSync("mkfifo", [path.join(d, "main.glia")])),
    c("import via a link to /dev/zero", (d) => {
      write(d, { "main.glia": imp("zero.glia") + MODEL });
      link(d, "/dev/zero", "zero.glia");
    }),
    c("import of a link to a link to a file", (d) => {
      write(d, { "main.glia": imp("l1.glia") + MODEL, "real.glia": "neuron R { }\n" });
      link(d, "real.glia", "l2.glia");
      link(d, "l2.glia", "l1.glia");
    }),
    c("import of a dangling link", (d) => {
      write(d, { "main.glia": imp("dangling.glia") + MODEL });
      link(d, "nowhere.glia", "dangling.glia");
    }),
    c("import of a link to itself (ELOOP)", (d) => {
      write(d, { "main.glia": imp("loop.glia") + MODEL });
      link(d, "loop.glia", "loop.glia");
    }),
    c("import through a directory loop (ELOOP)", (d) => {
      write(d, { "main.glia": imp(`${"up/".repeat(80)}x.glia`) + MODEL, "x.glia": "" });
      link(d, ".", "up");
    }),
    c("entry through a link loop, run", (d) => link(d, "main.glia", "main.glia"), "run"),
    c("entry a link to the entry's own directory", (d) => link(d, ".", "main.glia")),
    c("a link to the importing file (cycle through a link)", (d) => {
      write(d, { "main.glia": imp("alias.glia") + MODEL });
      link(d, "main.glia", "alias.glia");
    }),
    c("invalid UTF-8 in the entry", (d) =>
      write(d, { "main.glia": Buffer.concat([Buffer.from(MODEL), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80])]) }),
    ),
    c("invalid UTF-8 in an import", (d) =>
      write(d, { "main.glia": imp("bad.glia") + MODEL, "bad.glia": Buffer.from([0xc0, 0xaf, 0x6e, 0x65, 0x75]) }),
    ),
    c("UTF-16 entry with BOM", (d) =>
      write(d, { "main.glia": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MODEL, "utf16le")]) }),
    ),
    c("data file is a link loop", (d) => {
      write(d, { "main.glia": MODEL.replace("  record", '  input x = csv_spikes("s.csv")[2]\n  record') });
      link(d, "s.csv", "s.csv");
    }),
    c("data file is a FIFO", (d) => {
      write(d, { "main.glia": MODEL.replace("  record", '  input x = csv_spikes("s.csv")[2]\n  record') });
      spawnSync("mkfifo", [path.join(d, "s.csv")]);
    }),
  ];
}

/** Command lines that misuse the CLI, against a valid model (m.glia) unless the case says otherwise. */
export function cliCases(): DiskCase[] {
  const setup = (d: string): void => {
    write(d, { "m.glia": MODEL, "plain.txt": "keep", "garbage.json": "{ not json", "empty.json": "" });
    fs.mkdirSync(path.join(d, "adir"));
    fs.mkdirSync(path.join(d, "spec.json"));
  };
  const c = (name: string, argv: (m: string, d: string) => string[]): DiskCase => ({
    group: "cli",
    name,
    setup,
    argv: (d) => argv(path.join(d, "m.glia"), d),
  });
  const x = (d: string, f: string): string => path.join(d, f);
  const cases: DiskCase[] = [
    c("no arguments", () => []),
    c("unknown command", () => ["frobnicate"]),
    c("unknown flag before the command", (m) => ["--frobnicate", "check", m]),
    c("unknown flag", (m) => ["run", m, "--frobnicate"]),
    c("--dt (no such option)", (m) => ["run", m, "--dt", "1ms"]),
    c("check without files", () => ["check"]),
    c("run without a file", () => ["run"]),
    c("run with two files", (m) => ["run", m, m]),
    c("compile without a file", () => ["compile"]),
    c("emulate without --hw", (m) => ["emulate", m]),
    c("option without its value", (m) => ["run", m, "--duration"]),
    c("a directory as the entry", (_m, d) => ["check", x(d, "adir")]),
    c("a directory as the run entry", (_m, d) => ["run", x(d, "adir")]),
    c("a missing entry", (_m, d) => ["run", x(d, "missing.glia")]),
    c("the empty string as the entry", () => ["check", ""]),
    c("a text file as the entry", (_m, d) => ["run", x(d, "plain.txt")]),
    c("a JSON file to run", (_m, d) => ["run", x(d, "garbage.json")]),
    c("garbage JSON to emulate", (_m, d) => ["emulate", x(d, "garbage.json"), "--hw", "reram-128"]),
    c("empty JSON to emulate", (_m, d) => ["emulate", x(d, "empty.json"), "--hw", "reram-128"]),
    c("--target unknown", (m) => ["run", m, "--target", "nope"]),
    c("--target empty", (m) => ["run", m, "--target", ""]),
    c("compile --target unknown", (m) => ["compile", m, "--target", "nope"]),
    c("--emit unknown", (m) => ["compile", m, "--emit", "nope"]),
    c("--emit ir-after an unknown pass", (m) => ["compile", m, "--emit", "ir-after=nope"]),
    c("--compare unknown", (m) => ["run", m, "--compare", "nope"]),
    c("--vp-q negative", (m) => ["run", m, "--compare", "reference", "--vp-q", "-1"]),
    c("--vr-tau zero", (m) => ["run", m, "--compare", "reference", "--vr-tau", "0"]),
    c("--vr-tau NaN", (m) => ["run", m, "--compare", "reference", "--vr-tau", "NaN"]),
    c("--hw unknown preset", (m) => ["run", m, "--target", "fixed", "--hw", "nope"]),
    c("--hw empty", (m) => ["run", m, "--target", "fixed", "--hw", ""]),
    c("--hw a directory", (m, d) => ["run", m, "--target", "fixed", "--hw", x(d, "adir")]),
    c("--hw a directory named .json", (m, d) => ["run", m, "--target", "fixed", "--hw", x(d, "spec.json")]),
    c("--hw garbage JSON", (m, d) => ["run", m, "--target", "fixed", "--hw", x(d, "garbage.json")]),
    c("--hw empty file", (m, d) => ["emulate", m, "--hw", x(d, "empty.json")]),
    c("--hw missing file", (m, d) => ["emulate", m, "--hw", x(d, "missing.json")]),
    c("--hw a .glia file", (m) => ["emulate", m, "--hw", m]),
    c("--hw on the reference target", (m) => ["run", m, "--target", "reference", "--hw", "loihi"]),
    c("crossbar without --hw", (m) => ["compile", m, "--target", "crossbar"]),
    c("--out an existing file", (m, d) => ["run", m, "--out", x(d, "plain.txt")]),
    c("--out the entry file", (m) => ["run", m, "--out", m]),
    c("--out empty", (m) => ["run", m, "--out", ""]),
    c("--out /dev/null", (m) => ["run", m, "--out", "/dev/null"]),
    c("--out under a file", (m, d) => ["run", m, "--out", x(d, "plain.txt/sub")]),
    c("-o a directory", (m, d) => ["compile", m, "--target", "crossbar", "--hw", "reram-128", "-o", x(d, "adir")]),
    c("-o the entry", (m) => ["compile", m, "--target", "crossbar", "--hw", "reram-128", "-o", m]),
    c("-o empty", (m) => ["compile", m, "--target", "crossbar", "--hw", "reram-128", "-o", ""]),
    c("emulate --out an existing file", (m, d) => ["emulate", m, "--hw", "reram-128", "--out", x(d, "plain.txt")]),
    c("--allow-path missing", (m, d) => ["check", m, "--allow-path", x(d, "missing")]),
    c("--allow-path a file", (m, d) => ["check", m, "--allow-path", x(d, "plain.txt")]),
    c("--allow-path empty", (m) => ["check", m, "--allow-path", ""]),
    c("bench unknown name", () => ["bench", "nope", "--vs", "none"]),
    c("bench --vs unknown", () => ["bench", "cuba", "--vs", "nope"]),
    c("bench --n negative", () => ["bench", "cuba", "--vs", "none", "--n", "-5"]),
    c("bench --n text", () => ["bench", "cuba", "--vs", "none", "--n", "many"]),
    c("bench --p above 1", () => ["bench", "cuba", "--vs", "none", "--p", "2"]),
    c("bench --duration bad", () => ["bench", "cuba", "--vs", "none", "--duration", "soon"]),
    c("bench --results a directory that is a file", (_m, d) => [
      "bench",
      "cuba",
      "--vs",
      "none",
      "--results",
      x(d, "plain.txt"),
    ]),
  ];
  const values: [string, string[]][] = [
    [
      "--duration",
      [
        "",
        "0",
        "-1s",
        "1e20",
        "1e20s",
        "1e-20s",
        "NaN",
        "Infinity",
        "1 fortnight",
        "1e9s",
        "ms",
        "0x10",
        "1_000ms",
        "٣ms",
        "1e400s",
      ],
    ],
    ["--seed", ["", "-1", "1.5", "4294967296", "1e30", "abc", "0x10", "NaN", "007"]],
    ["--threads", ["", "0", "-1", "257", "1.5", "1e9", "abc"]],
  ];
  for (const [flag, vs] of values)
    for (const v of vs) {
      cases.push(c(`run ${flag} '${v}'`, (m) => ["run", m, "--target", "reference", flag, v]));
      if (flag === "--duration")
        cases.push(c(`emulate ${flag} '${v}'`, (m) => ["emulate", m, "--hw", "reram-128", flag, v]));
    }
  return cases;
}
