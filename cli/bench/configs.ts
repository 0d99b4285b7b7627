// The benchmark configurations of `glia bench` and their .glia sources. In: a config (model, N, p,
// duration, seed) and the example's text; out: the example with sizes, probability, duration and seed
// substituted (or a problem when the example no longer has the expected lines).

/** cuba-loihi: the CUBA-like network SANA-FE can express (one current, no refractoriness, dt 1 ms). */
export type BenchModel = "cuba" | "coba" | "cuba-loihi";

export interface BenchConfig {
  /** Name on the command line: `glia bench NAME`. */
  name: string;
  model: BenchModel;
  /** Neurons in all; round(0.8 N) excitatory, the rest inhibitory (as in the examples and Brian2). */
  n: number;
  /** Connection probability of both projections. */
  p: number;
  /** Biological time (s). */
  duration: number;
  seed: number;
  description: string;
}

/** The set, in the order `glia bench all` (and `npm run bench`) runs them. */
export const BENCH_CONFIGS: readonly BenchConfig[] = [
  { name: "cuba", model: "cuba", n: 4000, p: 0.02, duration: 1, seed: 1, description: "CUBA N=4000 p=0.02, 1 s" },
  { name: "cuba10", model: "cuba", n: 4000, p: 0.02, duration: 10, seed: 1, description: "CUBA N=4000 p=0.02, 10 s" },
  { name: "coba", model: "coba", n: 4000, p: 0.02, duration: 1, seed: 1, description: "COBA N=4000 p=0.02, 1 s" },
  {
    name: "cuba16k",
    model: "cuba",
    n: 16000,
    p: 80 / 16000,
    duration: 1,
    seed: 1,
    description: "CUBA N=16000, 80 inputs per neuron (p=0.005), 1 s",
  },
  {
    name: "cuba64k",
    model: "cuba",
    n: 64000,
    p: 80 / 64000,
    duration: 1,
    seed: 1,
    description: "CUBA N=64000, 80 inputs per neuron (p=0.00125), 1 s",
  },
  {
    name: "cuba-sanafe",
    model: "cuba-loihi",
    n: 4000,
    p: 0.02,
    duration: 1,
    seed: 1,
    description: "CUBA-like N=4000 p=0.02, dt 1 ms, 1000 steps on Loihi (125 per core): glia's emulator vs SANA-FE",
  },
];

export function findConfig(name: string): BenchConfig | undefined {
  return BENCH_CONFIGS.find((c) => c.name === name);
}

/** Example file (relative to the repository root) each model is taken from. */
export const MODEL_EXAMPLE: Record<BenchModel, string> = {
  cuba: "examples/cuba.glia",
  coba: "examples/coba.glia",
  "cuba-loihi": "test/fixtures/sanafe/cuba_like.glia",
};
const NEURON_TYPE: Record<BenchModel, string> = { cuba: "CubaLIF", coba: "CobaLIF", "cuba-loihi": "CurLIF" };

export function excitatoryCount(n: number): number {
  return Math.round(0.8 * n);
}

/** A decimal literal the .glia lexer reads (no exponent form), exact for the values used here. */
export function decimalLiteral(x: number): string {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`not a non-negative finite number: ${x}`);
  const s = String(x);
  if (!/e/i.test(s)) return s;
  return x.toFixed(20).replace(/0+$/, "").replace(/\.$/, "");
}

interface Substitution {
  find: RegExp;
  replace: string;
  /** How many times the example must contain the pattern. */
  count: number;
  what: string;
}

/**
 * The example's source with this configuration's sizes, probability, duration and seed. The example
 * text stays the single definition of the model: only these five places change, and each must be
 * found exactly as often as expected, so an edited example is reported rather than silently benched.
 */
export function configSource(config: BenchConfig, exampleText: string): { text: string } | { problem: string } {
  const ne = excitatoryCount(config.n);
  const ni = config.n - ne;
  const type = NEURON_TYPE[config.model];
  const subs: Substitution[] = [
    {
      find: new RegExp(`population exc = ${type}\\[\\d+\\]`, "g"),
      replace: `population exc = ${type}[${ne}]`,
      count: 1,
      what: "the exc population size",
    },
    {
      find: new RegExp(`population inh = ${type}\\[\\d+\\]`, "g"),
      replace: `population inh = ${type}[${ni}]`,
      count: 1,
      what: "the inh population size",
    },
    {
      find: /fixed_probability\([0-9.]+\)/g,
      replace: `fixed_probability(${decimalLiteral(config.p)})`,
      count: 2,
      what: "the connection probability",
    },
    {
      find: /^([ \t]*)run [0-9.]+ *m?s[ \t]*$/gm,
      replace: `$1run ${decimalLiteral(config.duration)} s`,
      count: 1,
      what: "the run duration",
    },
    { find: /^([ \t]*)seed = \d+[ \t]*$/gm, replace: `$1seed = ${config.seed}`, count: 1, what: "the seed" },
  ];
  let text = exampleText;
  for (const s of subs) {
    const found = text.match(s.find)?.length ?? 0;
    if (found !== s.count) {
      return {
        problem: `${MODEL_EXAMPLE[config.model]}: expected ${s.count} place(s) giving ${s.what} (${s.find.source}), found ${found}`,
      };
    }
    text = text.replace(s.find, s.replace);
  }
  return { text };
}
