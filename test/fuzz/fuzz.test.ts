// Fuzz test: seeded mutations of the example sources (deleted, duplicated, swapped and replaced
// tokens, truncations, random bytes) must each end in diagnostics or success, quickly, with no
// uncaught exception. Failures print the seed and the mutation so they can be replayed.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile } from "../../compiler/pipeline.js";
import { formatDiagnostics } from "../../compiler/diagnostics/format.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";
import { mulberry32 } from "../helpers/seeded.js";

const MUTATIONS = Number(process.env.FUZZ_MUTATIONS ?? 2000);
const PER_CASE_MS = 3000;

const TOKEN =
  /\s+|[A-Za-z_][A-Za-z0-9_]*'?|\d*\.?\d+(?:[eE][-+]?\d+)?|"[^"\n]*"|#[^\n]*|->|\+=|-=|\*=|\/=|<=|>=|==|!=|./gs;

function tokens(src: string): string[] {
  return src.match(TOKEN) ?? [];
}

const RANDOM_CHARS = [
  "\u0000",
  "\u00ff",
  "\u2603",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "'",
  '"',
  ":",
  ";",
  "=",
  "->",
  "@",
  "$",
  "\\",
  "\t",
  "\n",
  "1e999",
  "0x",
  "ms",
  "mV",
];

type Mutation = { kind: string; apply: (src: string, r: () => number) => string };

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

const MUTATORS: Mutation[] = [
  {
    kind: "delete-token",
    apply: (s, r) => {
      const t = tokens(s);
      t.splice(Math.floor(r() * t.length), 1);
      return t.join("");
    },
  },
  {
    kind: "duplicate-token",
    apply: (s, r) => {
      const t = tokens(s);
      const i = Math.floor(r() * t.length);
      t.splice(i, 0, t[i] ?? "");
      return t.join("");
    },
  },
  {
    kind: "swap-tokens",
    apply: (s, r) => {
      const t = tokens(s);
      const i = Math.floor(r() * Math.max(1, t.length - 1));
      [t[i], t[i + 1]] = [t[i + 1] ?? "", t[i] ?? ""];
      return t.join("");
    },
  },
  {
    kind: "replace-token",
    apply: (s, r) => {
      const t = tokens(s);
      t[Math.floor(r() * t.length)] = pick(t, r);
      return t.join("");
    },
  },
  { kind: "truncate", apply: (s, r) => s.slice(0, Math.floor(r() * s.length)) },
  {
    kind: "random-bytes",
    apply: (s, r) => {
      const i = Math.floor(r() * s.length);
      let ins = "";
      const n = 1 + Math.floor(r() * 4);
      for (let k = 0; k < n; k++)
        ins += r() < 0.5 ? pick(RANDOM_CHARS, r) : String.fromCharCode(Math.floor(r() * 0x3000));
      return s.slice(0, i) + ins + s.slice(i);
    },
  },
  {
    kind: "delete-span",
    apply: (s, r) => {
      const i = Math.floor(r() * s.length);
      return s.slice(0, i) + s.slice(i + Math.floor(r() * 80));
    },
  },
];

function corpus(): { name: string; text: string; dir: string }[] {
  const out: { name: string; text: string; dir: string }[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, f);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (f.endsWith(".glia"))
        out.push({
          name: path.relative(REPO_ROOT, full),
          text: fs.readFileSync(full, "utf8"),
          dir: path.dirname(full),
        });
    }
  };
  walk(path.join(REPO_ROOT, "examples"));
  walk(path.join(REPO_ROOT, "test/golden/cases"));
  return out;
}

describe("fuzz", () => {
  test(`${MUTATIONS} mutations of the examples end in diagnostics or success`, () => {
    const files = corpus();
    expect(files.length).toBeGreaterThan(5);
    const r = mulberry32(20261123);
    const failures: string[] = [];
    let withErrors = 0;
    let slowest = 0;
    for (let n = 0; n < MUTATIONS; n++) {
      const file = files[n % files.length]!;
      const m = MUTATORS[Math.floor(r() * MUTATORS.length)]!;
      const mutated = m.apply(file.text, r);
      const host = memoryHost({ "fuzz.glia": mutated }, dirHost(file.dir));
      const t0 = performance.now();
      try {
        const res = compile("fuzz.glia", host, { verify: true });
        // a verifier failure is reported as E0701, no longer thrown: still a compiler bug
        const broken = res.diagnostics.find((d) => d.code === "E0701");
        if (broken) failures.push(`#${n} ${m.kind} of ${file.name}: ${broken.message}`);
        if (res.diagnostics.some((d) => d.severity === "error")) {
          withErrors++;
          formatDiagnostics(res.diagnostics, res.sources); // formatting must not throw either
        }
      } catch (e) {
        failures.push(`#${n} ${m.kind} of ${file.name}: ${(e as Error).stack?.split("\n").slice(0, 4).join(" | ")}`);
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > PER_CASE_MS) failures.push(`#${n} ${m.kind} of ${file.name}: took ${ms.toFixed(0)} ms`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // the mutations must actually exercise the error paths
    expect(withErrors).toBeGreaterThan(MUTATIONS / 4);
    expect(slowest).toBeLessThan(PER_CASE_MS);
  });
});
