// Grammar-aware program generator for the fuzzer. In: a case seed; out: the text of one valid-ish glia program
// (neurons, synapses, an astrocyte, a network with parameters in units, equations, handlers, inputs, currents,
// connect rules, ensheathing, modulators, records and a run), built from the language's constructs with
// expressions typed by dimension so that most programs check, then, for most seeds, a few mutations (swapped
// units, missing braces, wrong names, extreme numbers, dropped or repeated lines, swapped keywords). The same
// seed always gives the same text, so a failure replays from its seed.
import { mulberry32 } from "../helpers/seeded.js";

type Rng = () => number;
/** Dimensions the expression generator keeps consistent: voltage, time, current, rate, dimensionless, V/T. */
type Dim = "V" | "T" | "I" | "Hz" | "1" | "VpT";

const UNIT: Record<Exclude<Dim, "VpT">, string[]> = {
  V: ["mV", "uV", "volt"],
  T: ["ms", "s", "us"],
  I: ["pA", "nA"],
  Hz: ["Hz", "kHz"],
  "1": [""],
};

class Gen {
  readonly r: Rng;
  constructor(seed: number) {
    this.r = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  num(lo: number, hi: number): string {
    const x = lo + this.r() * (hi - lo);
    return this.pick([String(Math.round(x)), x.toFixed(2), x.toPrecision(3)]);
  }
}

/** Names in scope, by dimension. */
type Scope = Partial<Record<Dim, string[]>>;

/** A positive quantity of dimension `d` (no sign: a literal never carries one). */
function quantity(g: Gen, d: Exclude<Dim, "VpT">, lo = 1, hi = 80): string {
  const u = g.pick(UNIT[d]);
  const scaled = u === "volt" || u === "s" ? (lo + g.r() * (hi - lo)) / 1000 : undefined;
  const n = scaled !== undefined ? scaled.toPrecision(3) : g.num(lo, hi);
  return u === "" ? n : `${n} ${u}`;
}

/** An expression of dimension `d` over `scope`, at most `depth` levels deep. */
function expr(g: Gen, d: Dim, scope: Scope, depth: number): string {
  if (d === "VpT") {
    return `(${expr(g, "V", scope, depth - 1)}) / ${g.chance(0.6) && scope.T?.length ? g.pick(scope.T) : quantity(g, "T")}`;
  }
  const names = scope[d] ?? [];
  if (depth <= 0 || g.chance(0.3)) {
    if (names.length > 0 && g.chance(0.7)) return g.pick(names);
    return quantity(g, d);
  }
  const sub = (dd: Dim): string => expr(g, dd, scope, depth - 1);
  const k = g.int(0, d === "1" ? 11 : 8);
  switch (k) {
    case 0:
      return `${sub(d)} + ${sub(d)}`;
    case 1:
      return `${sub(d)} - ${sub(d)}`;
    case 2:
      return `-${sub(d)}`;
    case 3:
      return `(${sub(d)})`;
    case 4:
      return `${sub("1")} * ${sub(d)}`;
    case 5:
      return `${g.pick(["min", "max"])}(${sub(d)}, ${sub(d)})`;
    case 6:
      return `clip(${sub(d)}, ${sub(d)}, ${sub(d)})`;
    case 7:
      return `(${sub(d)} ${g.pick(["<", ">", "<=", ">=", "==", "!="])} ${sub(d)} ? (${sub(d)}) : (${sub(d)}))`;
    case 8:
      return d === "1" ? `${sub("V")} / ${sub("V")}` : `${sub(d)} * ${g.pick(["exp", "sigmoid", "tanh"])}(${sub("1")})`;
    case 9:
      return `${g.pick(["exp", "tanh", "sigmoid", "abs", "sin", "cos", "heaviside", "floor"])}(${sub("1")})`;
    case 10:
      return `${sub("T")} / ${sub("T")}`;
    default:
      return g.pick([`${sub("1")}^2`, `sqrt(abs(${sub("1")}))`, `pow(${sub("1")}, 2)`, `log(1 + abs(${sub("1")}))`]);
  }
}

type Neuron = { name: string; state: string[]; inputs: string[]; params: string[] };

function neuron(g: Gen, name: string): { text: string; model: Neuron } {
  const scope: Scope = { V: [], T: [], I: [], "1": [] };
  const p: string[] = [];
  const params: string[] = [];
  const addParam = (n: string, d: Exclude<Dim, "VpT">, value: string): void => {
    const u = d === "1" ? "" : `: ${g.pick(UNIT[d])}`;
    p.push(`    ${n}${u} = ${value}`);
    scope[d]!.push(n);
    params.push(n);
  };
  addParam("tau", "T", quantity(g, "T", 2, 40));
  addParam("E_L", "V", `-${quantity(g, "V", 40, 70)}`);
  addParam("V_th", "V", `-${quantity(g, "V", 30, 55)}`);
  addParam("V_reset", "V", `-${quantity(g, "V", 55, 80)}`);
  if (g.chance(0.5)) addParam("tau_s", "T", quantity(g, "T", 1, 20));
  if (g.chance(0.4)) addParam("gain", "1", g.num(0, 3));
  if (g.chance(0.3)) addParam("R", "1", g.num(0.1, 5));
  const state = ["v", "ge"];
  const inputs: string[] = [];
  const s = [`    v: mV = ${g.chance(0.5) ? "uniform(V_reset, V_th)" : "E_L"}`, "    ge: mV = 0 mV"];
  if (g.chance(0.5)) {
    s.push("    w_ad: mV = 0 mV");
    state.push("w_ad");
  }
  scope.V!.push(...state);
  const sections = [`  parameters {\n${p.join("\n")}\n  }`, `  state {\n${s.join("\n")}\n  }`];
  if (g.chance(0.4)) {
    inputs.push("I_ext");
    sections.push("  inputs {\n    I_ext: mV\n  }");
    scope.V!.push("I_ext");
  }
  const eqs = [
    `    v' = (E_L - v + ge${inputs.length ? " + I_ext" : ""}) / tau${g.chance(0.5) ? "" : ` + ${expr(g, "VpT", scope, 2)}`}`,
  ];
  eqs.push(`    ge' = -ge / ${scope.T!.includes("tau_s") ? "tau_s" : quantity(g, "T", 2, 10)}`);
  if (state.includes("w_ad")) eqs.push(`    w_ad' = ${expr(g, "VpT", scope, 3)}`);
  if (g.chance(0.3)) eqs.splice(0, 0, `    drive: mV = ${expr(g, "V", scope, 2)}`);
  sections.push(`  equations {\n${eqs.join("\n")}\n  }`);
  if (g.chance(0.5)) sections.push(`  method ${g.pick(["exact", "exponential_euler", "rk4", "euler"])}`);
  const reset = [`v = ${g.chance(0.7) ? "V_reset" : expr(g, "V", scope, 2)}`];
  if (state.includes("w_ad")) reset.push(`w_ad += ${quantity(g, "V", 0, 5)}`);
  if (g.chance(0.3)) reset.push(`if ge > 1 mV { ge = 0 mV } else { ge *= ${g.num(0, 1)} }`);
  sections.push(
    `  spike when v > ${g.chance(0.8) ? "V_th" : expr(g, "V", scope, 2)} {\n    ${reset.join("\n    ")}\n  }`,
  );
  if (g.chance(0.6)) sections.push(`  refractory ${quantity(g, "T", 0, 5)}${g.chance(0.7) ? " clamp v" : ""}`);
  return {
    text: `neuron ${name} {\n${sections.join("\n")}\n}\n`,
    model: { name, state, inputs, params },
  };
}

function synapse(g: Gen, name: string, astro: boolean): { text: string; plastic: boolean } {
  const parts = ["  parameters { w }"];
  const plastic = g.chance(0.4);
  const scale = astro && g.chance(0.6) ? " * astro.release" : "";
  if (plastic) {
    parts.push(`  state { x = 0; k = ${g.num(0.5, 1.5)} }`);
    parts.push(`  equations { x' = -x / ${quantity(g, "T", 5, 40)} }`);
    parts.push(`  on pre {\n    post.target += w * k${scale}\n    x += 1\n  }`);
    parts.push(`  on post {\n    let dk = ${g.num(0, 0.1)} * x\n    k = clip(k + dk, 0, 2)\n  }`);
  } else {
    parts.push(`  on pre { post.target += w${scale} }`);
  }
  return { text: `synapse ${name} {\n${parts.join("\n")}\n}\n`, plastic };
}

function astrocyte(g: Gen, name: string): string {
  return [
    `astrocyte ${name} {`,
    `  parameters {\n    tau_ca: ms = ${quantity(g, "T", 100, 900).replace(/ (s|us)$/, " ms")}\n    bump = ${g.num(0, 0.2)}\n  }`,
    "  state { ca = 0 }",
    "  equations { ca' = -ca / tau_ca }",
    `  dt = ${g.pick(["1 ms", "2 ms", "5 ms"])}`,
    "  on synapse_pre { ca += bump }",
    `  expose release = 1 - ${g.num(0, 0.8)} * sigmoid(ca - ${g.num(0, 1)})`,
    "}",
    "",
  ].join("\n");
}

/** The whole program for `seed`, before mutation. */
export function generateProgram(seed: number): string {
  const g = new Gen(seed);
  const out: string[] = [];
  if (g.chance(0.3)) out.push('import "std/lif.glia"\n');
  const neurons: Neuron[] = [];
  for (let k = 0; k < g.int(1, 3); k++) {
    const n = neuron(g, `N${k}`);
    out.push(n.text);
    neurons.push(n.model);
  }
  const withAstro = g.chance(0.25);
  const syns: string[] = [];
  for (let k = 0; k < g.int(1, 2); k++) {
    out.push(synapse(g, `S${k}`, withAstro).text);
    syns.push(`S${k}`);
  }
  if (withAstro) out.push(astrocyte(g, "A0"));

  const items: string[] = [`  dt = ${g.pick(["0.1 ms", "0.05 ms", "0.5 ms", "1 ms", "100 us"])}`];
  if (g.chance(0.6)) items.push(`  seed = ${g.int(0, 99999)}`);
  const pops: { name: string; model: Neuron; size: number }[] = [];
  for (let k = 0; k < g.int(1, 3); k++) {
    const model = g.pick(neurons);
    const size = g.int(1, 40);
    const args = g.chance(0.4) ? `(${model.params[0]} = ${quantity(g, "T", 5, 30)})` : "";
    items.push(`  population p${k} = ${model.name}${args}[${size}]`);
    pops.push({ name: `p${k}`, model, size });
  }
  const sources = pops.map((p) => ({ name: p.name, size: p.size }));
  if (g.chance(0.6)) {
    const n = g.int(1, 30);
    const rate = g.chance(0.7)
      ? quantity(g, "Hz", 1, 50)
      : `uniform(${quantity(g, "Hz", 1, 5)}, ${quantity(g, "Hz", 10, 50)})`;
    items.push(`  input drive = poisson(rate = ${rate})[${n}]`);
    sources.push({ name: "drive", size: n });
  }
  if (g.chance(0.3)) {
    items.push(
      `  input volley = spike_times(times = [${g.int(0, 5)} ms, ${g.int(5, 20)} ms], indices = [0, ${g.int(0, 2)}])[3]`,
    );
    sources.push({ name: "volley", size: 3 });
  }
  const withInput = pops.find((p) => p.model.inputs.length > 0);
  if (withInput && g.chance(0.6))
    items.push(
      `  current I_ext of ${withInput.name} = steps(times = [0 ms, ${g.int(1, 20)} ms], values = [0 mV, ${g.num(1, 30)} mV])`,
    );
  const hasMod = g.chance(0.3);
  if (hasMod) items.push(`  modulator act: Hz = rate(${pops[0]!.name})`);
  const slice = (p: { name: string; size: number }): string => {
    if (p.size < 2 || !g.chance(0.2)) return p.name;
    const a = g.int(0, p.size - 2);
    return `${p.name}[${a}:${g.int(a + 1, p.size)}]`;
  };
  const projections: string[] = [];
  for (let k = 0; k < g.int(1, 4); k++) {
    const pre = g.pick(sources);
    const post = g.pick(pops);
    const rules = [
      "all_to_all",
      `fixed_probability(${g.num(0, 1)})`,
      `fixed_indegree(${g.int(1, pre.size)})`,
      `fixed_outdegree(${g.int(1, post.size)})`,
      `from_list([0, ${g.int(0, pre.size - 1)}], [${g.int(0, post.size - 1)}, 0])`,
    ];
    if (pre.size === post.size) rules.push("one_to_one");
    const rule = g.pick(rules);
    const whole = rule === "one_to_one" || rule.startsWith("fixed_") || rule.startsWith("from_list");
    const w = g.chance(0.2) ? `${quantity(g, "V", 0, 3)} * exp(-abs(i - j) / ${g.int(1, 9)})` : expr(g, "V", {}, 1);
    const opts = [
      g.chance(0.3) ? " allow_self" : "",
      g.chance(0.3)
        ? ` delay = ${g.chance(0.5) ? quantity(g, "T", 0, 5).replace(/ (s|us)$/, " ms") : "uniform(1 ms, 3 ms)"}`
        : "",
    ];
    const label = g.chance(0.3) ? `c${k}: ` : "";
    if (label) projections.push(`c${k}`);
    items.push(
      `  connect ${label}${whole ? pre.name : slice(pre)} -> ${whole ? post.name : slice(post)} with ${g.pick(syns)}(w = ${w}) onto ge ${rule}${opts.join("")}`,
    );
  }
  if (withAstro) {
    items.push(`  population glia = A0[${g.int(1, 4)}]`);
    if (projections.length > 0)
      items.push(`  ensheath ${projections[0]} with glia ${g.pick(["random", "block"])}(pool = ${g.int(1, 3)})`);
  }
  items.push(`  record spikes of ${pops.map((p) => p.name).join(", ")}`);
  if (g.chance(0.5))
    items.push(
      `  record v of ${slice(pops[0]!)}${g.chance(0.5) ? ` every ${g.pick(["1 ms", "0.5 ms", "2 ms"])}` : ""}`,
    );
  if (g.chance(0.3)) items.push(`  record rate of ${pops[pops.length - 1]!.name}`);
  items.push(`  run ${g.int(1, 30)} ms`);
  out.push(`network Net${seed % 1000} {\n${items.join("\n")}\n}\n`);
  return out.join("\n");
}

/** Numbers a mutation may put in place of another: the extremes of float64 and of the limits glia checks. */
const EXTREME = [
  "0",
  "1e308",
  "1e-400",
  "1e400",
  "1e12",
  "4294967296",
  "0.0000001",
  "1e-320",
  "99999999999999999999",
  "3e9",
  "1e-12",
];
const UNITS = [
  "mV",
  "ms",
  "pA",
  "nS",
  "Hz",
  "uM",
  "s",
  "volt",
  "mol",
  "metre",
  "kelvin",
  "msec",
  "mv",
  "1/ms",
  "mV/ms",
];
const KEYWORDS = [
  "neuron",
  "synapse",
  "astrocyte",
  "network",
  "pre",
  "post",
  "on",
  "spike",
  "when",
  "state",
  "parameters",
  "equations",
  "run",
  "dt",
  "record",
  "connect",
  "with",
  "onto",
  "population",
  "input",
  "refractory",
  "clamp",
  "let",
  "if",
  "else",
  "astro",
  "mod",
];

type Mutator = (src: string, g: Gen) => string;

/** Replaces one random match of `re` in `src` through `f`. */
function replaceOne(src: string, re: RegExp, g: Gen, f: (m: string) => string): string {
  const hits = [...src.matchAll(new RegExp(re.source, "g"))];
  if (hits.length === 0) return src;
  const h = g.pick(hits);
  return src.slice(0, h.index) + f(h[0]) + src.slice(h.index + h[0].length);
}

const MUTATORS: Record<string, Mutator> = {
  "swap-unit": (s, g) => replaceOne(s, /\b(mV|ms|pA|Hz|us|uV|nA|kHz|volt)\b/, g, () => g.pick(UNITS)),
  "drop-unit": (s, g) => replaceOne(s, /(\d) (mV|ms|pA|Hz)\b/, g, (m) => m[0]!),
  "missing-brace": (s, g) => replaceOne(s, /[{}]/, g, () => ""),
  "extra-brace": (s, g) => replaceOne(s, /[{}]/, g, (m) => m + g.pick(["{", "}", "(", ")", "["])),
  "wrong-name": (s, g) =>
    replaceOne(s, /\b(v|ge|tau|E_L|V_th|V_reset|w|x|k|ca|p0|p1|drive|N0|N1|S0|A0|I_ext|release)\b/, g, (m) =>
      g.pick([m + "x", m.toUpperCase(), m.slice(1) || "q", "undeclared", m + m, "t", "dt", "e", "pi"]),
    ),
  "extreme-number": (s, g) => replaceOne(s, /\b\d+(\.\d+)?(e-?\d+)?\b/, g, () => g.pick(EXTREME)),
  "negate-number": (s, g) => replaceOne(s, /= (\d)/, g, (m) => `= -${m.slice(2)}`),
  "swap-keyword": (s, g) => replaceOne(s, new RegExp(`\\b(${KEYWORDS.join("|")})\\b`), g, () => g.pick(KEYWORDS)),
  "drop-line": (s, g) => {
    const lines = s.split("\n");
    lines.splice(g.int(0, lines.length - 1), 1);
    return lines.join("\n");
  },
  "repeat-line": (s, g) => {
    const lines = s.split("\n");
    const i = g.int(0, lines.length - 1);
    lines.splice(i, 0, lines[i]!);
    return lines.join("\n");
  },
  "swap-lines": (s, g) => {
    const lines = s.split("\n");
    const i = g.int(0, lines.length - 2);
    [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
    return lines.join("\n");
  },
  "swap-operator": (s, g) =>
    replaceOne(s, /[-+*/<>^]|->|\+=/, g, () =>
      g.pick(["+", "-", "*", "/", "^", "->", "=", "+=", "'", "?", ":", ",", "."]),
    ),
  "deep-parens": (s, g) =>
    replaceOne(s, /= /, g, () => `= ${"(".repeat(g.int(50, 150))}1${")".repeat(g.int(50, 150))} * `),
  "long-sum": (s, g) =>
    replaceOne(s, /\b(v|ge)\b(?!')/, g, (m) => `(${Array.from({ length: g.int(100, 3000) }, () => m).join(" + ")})`),
  truncate: (s, g) => s.slice(0, g.int(0, s.length)),
};

export const MUTATION_KINDS = Object.keys(MUTATORS);

/** Case `seed`: a generated program, mutated 0 to 3 times (no mutation for about a third of the seeds). */
export function generateCase(seed: number): { text: string; mutations: string[] } {
  let text = generateProgram(seed);
  const g = new Gen(seed ^ 0x5bd1e995);
  const mutations: string[] = [];
  if (g.chance(0.35)) return { text, mutations };
  for (let k = g.int(1, 3); k > 0; k--) {
    const kind = g.pick(MUTATION_KINDS);
    text = MUTATORS[kind]!(text, g);
    mutations.push(kind);
  }
  return { text, mutations };
}
