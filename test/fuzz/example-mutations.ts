// Token-level mutations of the example and golden sources for the fuzzer. In: the .glia files under examples/ and
// test/golden/cases; out: the corpus (text and directory of each file) and mutators that delete, duplicate, swap and
// replace tokens, truncate, insert random bytes and delete spans, each from a seeded random source.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { sweepable } from "../helpers/examples.js";

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

export type Mutation = { kind: string; apply: (src: string, r: () => number) => string };

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

export const EXAMPLE_MUTATORS: Mutation[] = [
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

export function corpus(): { name: string; text: string; dir: string }[] {
  const out: { name: string; text: string; dir: string }[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, f);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (f.endsWith(".glia") && sweepable(f))
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
