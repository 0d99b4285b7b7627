// Generated hostile sources for the hostile suite (issue 17), all from fixed seeds and fixed content. In: the
// examples and a small base model; out: cases (a command line and the in-memory files it reads) for garbage text,
// truncations of every example, deep nesting, long expressions and many items, and huge and tiny numbers in every
// numeric slot of a model. Truncations carry their own expectation (see truncationExpect); the others are compared
// with the recorded table in expected.json (test/hostile/suite.test.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../helpers/dir-host.js";
import { mulberry32 } from "../../helpers/seeded.js";
import { sweepable } from "../../helpers/examples.js";

export type SourceCase = { group: string; name: string; argv: string[]; files: Record<string, string> };

/** The entry file every in-memory case reads. */
export const ENTRY = "hostile.glia";
/** The entry of example truncations: in examples/, so their data files are found. */
export const EXAMPLE_ENTRY = "examples/hostile.glia";
const check = (text: string, entry = ENTRY): Pick<SourceCase, "argv" | "files"> => ({
  argv: ["check", entry],
  files: { [entry]: text },
});
const run = (text: string, ...more: string[]): Pick<SourceCase, "argv" | "files"> => ({
  argv: ["run", ENTRY, "--target", "reference", "--json", ...more],
  files: { [ENTRY]: text },
});

/** Garbage: random characters (any code point, controls, NUL, lone surrogates), random tokens, random lines. */
export function garbageCases(): SourceCase[] {
  const out: SourceCase[] = [];
  const tokens = [
    "neuron",
    "network",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "=",
    "->",
    "'",
    '"',
    "mV",
    "ms",
    "1e999",
    ":",
    ",",
    ";",
    "#",
    "\n",
    "on",
    "pre",
    "x",
    "0",
    ".",
    "^",
    "?",
    "\\",
    "\t",
    "\r",
  ];
  for (let k = 0; k < 24; k++) {
    const r = mulberry32(1700 + k);
    const len = [1, 7, 64, 512, 4096][k % 5]!;
    let s = "";
    for (let i = 0; i < len; i++) {
      const x = r();
      if (k % 3 === 0)
        s += String.fromCharCode(Math.floor(x * 0x10000)); // any UTF-16 unit, surrogates too
      else if (k % 3 === 1)
        s += String.fromCharCode(Math.floor(x * 128)); // ASCII with controls and NUL
      else s += tokens[Math.floor(x * tokens.length)]! + (r() < 0.5 ? " " : "");
    }
    out.push({ group: "garbage", name: `seed ${1700 + k} (${len})`, ...check(s) });
  }
  for (const [name, text] of [
    ["empty", ""],
    ["whitespace", " \t\n\r\n  \n"],
    ["comments", "# one\n# two\n"],
    ["BOM", "\uFEFF"],
    ["NUL", "\0"],
    ["lone CR", "\r"],
    ["replacement chars", "\uFFFD".repeat(100)],
    ["one brace", "{"],
    ["one quote", '"'],
    ["unterminated string import", 'import "std/lif.glia'],
  ] as const) {
    out.push({ group: "garbage", name: `check ${name}`, ...check(text) });
    out.push({ group: "garbage", name: `run ${name}`, ...run(text) });
  }
  return out;
}

export type Example = { name: string; text: string };

export function examples(): Example[] {
  const dir = path.join(REPO_ROOT, "examples");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".glia") && sweepable(f))
    .sort()
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), "utf8") }));
}

/** The bracket depth at the end of `text`, not counting brackets in comments and strings. */
export function openDepth(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
    } else if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") depth--;
  }
  return depth;
}

export type Truncation = SourceCase & { depth: number; hasNetwork: boolean };

/** Every example cut at every line boundary (the first k lines) and at 6 seeded points inside lines. */
export function truncationCases(): Truncation[] {
  const out: Truncation[] = [];
  for (const ex of examples()) {
    const ends: number[] = [];
    for (let i = ex.text.indexOf("\n"); i >= 0; i = ex.text.indexOf("\n", i + 1)) ends.push(i + 1);
    const r = mulberry32(ex.text.length);
    const inside = Array.from({ length: 6 }, () => Math.floor(r() * ex.text.length));
    for (const cut of [...new Set([...ends.slice(0, -1), ...inside])]) {
      const text = ex.text.slice(0, cut);
      const hasNetwork = /^network\b/m.test(text);
      out.push({
        group: "truncation",
        name: `${ex.name} at ${cut}`,
        depth: openDepth(text),
        hasNetwork,
        ...check(text, EXAMPLE_ENTRY),
      });
    }
  }
  return out;
}

const LIF = `neuron L {
  parameters { tau: ms = 10 ms; v_rest: mV = -65 mV; v_th: mV = -50 mV }
  state { v: mV = v_rest }
  equations { v' = (v_rest - v + 20 mV) / tau }
  spike when v > v_th { v = v_rest }
}
`;
const net = (items: string): string =>
  `${LIF}\nnetwork N {\n  dt = 0.1 ms\n  population a = L[2]\n${items}\n  record spikes of a\n  run 5 ms\n}\n`;

/** Deep nesting at, just past and far past the limit, in every place an expression or block may nest. */
export function nestingCases(): SourceCase[] {
  const out: SourceCase[] = [];
  const at = (depth: number, where: string, text: string): void =>
    void out.push({ group: "nesting", name: `${where} ${depth}`, ...check(text) });
  for (const d of [99, 101, 10000]) {
    at(d, "parens in a parameter", LIF.replace("10 ms;", `${"(".repeat(d)}10 ms${")".repeat(d)};`));
    at(
      d,
      "brackets in from_list",
      net(`  connect a -> a with S onto v from_list(${"[".repeat(d)}0${"]".repeat(d)}, [1])`),
    );
    at(d, "unary minus", LIF.replace("-65 mV", `${"-".repeat(d)}65 mV`));
    at(d, "not", LIF.replace("v > v_th", `${"not ".repeat(d)}(v > v_th)`));
    at(d, "power chain", LIF.replace("v_rest - v", `v_rest - v * ${Array(d).fill("1").join("^")}`));
    at(d, "conditional chain", LIF.replace("20 mV", `${"v > v_th ? 20 mV : ".repeat(d)}20 mV`));
    at(d, "nested ifs", LIF.replace("{ v = v_rest }", `{ ${"if v > v_th { ".repeat(d)}v = v_rest${" }".repeat(d)} }`));
    at(d, "call in call", LIF.replace("20 mV", `${"abs(".repeat(d)}20 mV${")".repeat(d)}`));
  }
  for (const n of [1000, 20000]) {
    at(
      n,
      "else-if chain",
      LIF.replace("{ v = v_rest }", `{ if v > 1 mV { v = v_rest }${" else if v > 1 mV { v = v_rest }".repeat(n)} }`),
    );
    at(n, "nested sections", `neuron X {${" parameters {".repeat(n)}${" }".repeat(n)} }\n`);
  }
  return out;
}

/** Long but flat input: long chains, many declarations, many items, long names, strings and comments. */
export function longCases(): SourceCase[] {
  const out: SourceCase[] = [];
  const add = (name: string, c: Pick<SourceCase, "argv" | "files">): void =>
    void out.push({ group: "long", name, ...c });
  add("sum of 20,000 terms", run(LIF.replace("20 mV", Array(20000).fill("1 mV").join(" + "))));
  add("product of 5,000 factors", run(LIF.replace("20 mV", `20 mV${" * 1".repeat(5000)}`)));
  add("subtraction chain of 20,000", run(LIF.replace("20 mV", `200000 mV${" - 1 mV".repeat(20000)}`)));
  add("and chain of 20,000", run(LIF.replace("v > v_th", Array(20000).fill("v > v_th").join(" and "))));
  add("unit chain of 5,000", check(LIF.replace("tau: ms", `tau: ms${" * mV / mV".repeat(5000)}`)));
  const params = Array.from({ length: 5000 }, (_, k) => `p${k} = ${k}`).join("; ");
  add("5,000 parameters", check(LIF.replace("tau: ms = 10 ms;", `${params}; tau: ms = 10 ms;`)));
  const lets = Array.from({ length: 5000 }, (_, k) => `let a${k + 1} = a${k} + 1 mV`).join("\n");
  add("5,000 chained lets", run(LIF.replace("{ v = v_rest }", `{\n let a0 = v_rest\n${lets}\n v = a5000 - 5000 mV }`)));
  const aliases = Array.from({ length: 3000 }, (_, k) => `x${k + 1}: mV = x${k} + 0 mV`).join("\n");
  add(
    "3,000 chained aliases",
    run(
      LIF.replace(
        "equations { v' = (v_rest - v + 20 mV) / tau }",
        `equations {\n x0: mV = 20 mV\n${aliases}\n v' = (v_rest - v + x3000) / tau }`,
      ),
    ),
  );
  const pops = Array.from({ length: 2000 }, (_, k) => `  population q${k} = L[1]`).join("\n");
  add("2,000 populations", run(net(pops)));
  const models = Array.from({ length: 2000 }, (_, k) => LIF.replace("neuron L", `neuron L${k}`)).join("\n");
  add("2,000 neuron models", check(models));
  const recs = Array.from({ length: 2000 }, () => "  record v of a").join("\n");
  add("2,000 records of one population", run(net(recs)));
  add("name of 200,000 characters", check(LIF.replace(/v_rest/g, "r".repeat(200000))));
  add("number of 100,000 digits", check(LIF.replace("10 ms", `${"1".repeat(100000)} ms`)));
  add("fraction of 100,000 digits", run(LIF.replace("10 ms", `10.${"1".repeat(100000)} ms`)));
  add("import string of 100,000 characters", check(`import "${"d/".repeat(50000)}x.glia"\n`));
  add("comment line of 1 MB", check(`#${"x".repeat(1_000_000)}\n${LIF}`));
  add("100,000 empty statements", check(`${";".repeat(100000)}${LIF}`));
  add("100,000 blank lines", run(`${"\n".repeat(100000)}${net("")}`));
  return out;
}

const BASE = `import "std/static.glia"
neuron L {
  parameters {
    tau: ms = {tau}
    v_rest: mV = {v_rest}
    v_th: mV = -50 mV
    RI: mV = {RI}
    g = {g}
  }
  state { v: mV = v_rest; ge: mV = 0 mV }
  equations {
    v' = (v_rest - v + RI + ge * g) / tau
    ge' = -ge / 5 ms
  }
  spike when v > v_th { v = v_rest }
  refractory {ref} clamp v
}
network Net {
  dt = {dt}
  seed = {seed}
  population a = L[{size}]
  input drive = poisson(rate = {rate})[{insize}]
  connect drive -> a with Static(w = {w}) onto ge fixed_probability({p}) delay = {delay}
  record spikes of a
  record v of a[0:1] every {every}
  run {run}
}
`;

/** Each numeric slot of BASE: its default and its unit ("" for a dimensionless or a count). */
const SLOTS: Record<string, [string, string]> = {
  tau: ["10", "ms"],
  v_rest: ["65", "mV"],
  RI: ["20", "mV"],
  g: ["1", ""],
  ref: ["2", "ms"],
  dt: ["0.1", "ms"],
  seed: ["1", ""],
  size: ["10", ""],
  rate: ["20", "Hz"],
  insize: ["10", ""],
  w: ["1", "mV"],
  p: ["0.5", ""],
  delay: ["1", "ms"],
  every: ["1", "ms"],
  run: ["20", "ms"],
};

/** BASE with every slot at its default but those in `set`. */
export function base(set: Record<string, string> = {}): string {
  return BASE.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (k in set) return set[k]!;
    const [n, u] = SLOTS[k]!;
    return k === "v_rest" ? `-${n} mV` : u ? `${n} ${u}` : n;
  });
}

const NUMBERS = [
  "0",
  "1e308",
  "1e309",
  "1e-400",
  "4.9e-324",
  "1e-12",
  "1e12",
  "2e9",
  "4294967296",
  "1.5",
  "9".repeat(400),
  `0.${"0".repeat(400)}1`,
];

/** Every numeric slot of a running model given each extreme number, negated, or divided by zero. */
export function numberCases(): SourceCase[] {
  const out: SourceCase[] = [];
  for (const [slot, [, unit]] of Object.entries(SLOTS)) {
    const u = unit ? ` ${unit}` : "";
    const values = [
      ...NUMBERS.map((n) => `${n}${u}`),
      `-1${u}`,
      `1${u} / 0`,
      `0${u} / 0`,
      `(1 - 1)${u ? ` * 1${u}` : ""}`,
    ];
    for (const v of values) {
      const name = `${slot} = ${v.length > 30 ? `${v.slice(0, 12)}...(${v.length})` : v}`;
      out.push({ group: "numbers", name, ...run(base({ [slot]: v })) });
    }
  }
  return out;
}
