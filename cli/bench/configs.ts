// The benchmark configurations of `glia bench` and their .glia sources. In: a config (model, N, p or the
// microcircuit's scale, duration, seed) and the example's text; out: the example with sizes, probability (or
// scale), duration and seed substituted (or a problem when the example no longer has the expected lines).

/** cuba-loihi: the CUBA-like network SANA-FE can express (one current, no refractoriness, dt 1 ms).
 *  microcircuit: Potjans & Diesmann (2014), examples/microcircuit.glia at the config's scale. */
export type BenchModel = "cuba" | "coba" | "cuba-loihi" | "microcircuit";

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
  /** microcircuit: the example's `let scale` (neuron numbers and in-degrees; DC compensation below 1). */
  scale?: number;
  /** Per-population rates are taken over [transient, duration) (s), the transient dropped. */
  transient?: number;
  /** Threads of every engine (glia's --threads, NEST's local_num_threads, Brian2's OpenMP threads); absent: each
   *  engine's default (glia: all cores from 16,384 neurons; Brian2 CUBA/COBA: one). */
  threads?: number;
  /** glia's timed compile-and-run cycles (default RUNS, after one warm-up compile); 1: a single cycle, no warm-up
   *  (networks whose construction alone takes minutes). */
  runs?: number;
  /** false: not part of `glia bench all` (run by name). */
  inAll?: boolean;
}

/** The microcircuit's full-scale population sizes (P&D 2014, Table 5), as in examples/microcircuit.glia. */
export const MICROCIRCUIT_FULL_SIZES: readonly number[] = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948];

/** Neurons of the microcircuit at `scale` (each population floor(N scale + 0.5), as the example rounds). */
export function microcircuitNeurons(scale: number): number {
  return MICROCIRCUIT_FULL_SIZES.reduce((sum, n) => sum + Math.floor(n * scale + 0.5), 0);
}

function microcircuit(name: string, scale: number, inAll: boolean, what: string): BenchConfig {
  return {
    name,
    model: "microcircuit",
    n: microcircuitNeurons(scale),
    p: 0, // fixed total numbers per pair of populations, no single probability
    duration: 1.1,
    seed: 55,
    scale,
    transient: 0.1,
    threads: 2,
    runs: 1,
    inAll,
    description: `Potjans-Diesmann microcircuit, scale ${scale} (${what}), 1.1 s (rates after 0.1 s), 2 threads`,
  };
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
  microcircuit("microcircuit-0.1", 0.1, true, "7,718 neurons, 3.0 M synapses"),
  // full scale: ~0.3 billion synapses; several GiB and minutes per engine, so not part of `all`
  microcircuit("microcircuit", 1, false, "77,169 neurons, 0.3 G synapses"),
];

/** The configurations `glia bench all` (and `npm run bench`) runs. */
export function allConfigs(): BenchConfig[] {
  return BENCH_CONFIGS.filter((c) => c.inAll !== false);
}

export function findConfig(name: string): BenchConfig | undefined {
  return BENCH_CONFIGS.find((c) => c.name === name);
}

/** Example file (relative to the repository root) each model is taken from. */
export const MODEL_EXAMPLE: Record<BenchModel, string> = {
  cuba: "examples/cuba.glia",
  coba: "examples/coba.glia",
  "cuba-loihi": "test/fixtures/sanafe/cuba_like.glia",
  microcircuit: "examples/microcircuit.glia",
};
const NEURON_TYPE: Record<Exclude<BenchModel, "microcircuit">, string> = {
  cuba: "CubaLIF",
  coba: "CobaLIF",
  "cuba-loihi": "CurLIF",
};

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

const RUN_AND_SEED = (config: BenchConfig): Substitution[] => [
  {
    find: /^([ \t]*)run [0-9.]+ *m?s[ \t]*$/gm,
    replace: `$1run ${decimalLiteral(config.duration)} s`,
    count: 1,
    what: "the run duration",
  },
  { find: /^([ \t]*)seed = \d+[ \t]*$/gm, replace: `$1seed = ${config.seed}`, count: 1, what: "the seed" },
];

function sizeSubstitutions(config: BenchConfig): Substitution[] {
  if (config.model === "microcircuit") {
    return [
      {
        find: /^([ \t]*)let scale = [0-9.]+/gm,
        replace: `$1let scale = ${decimalLiteral(config.scale ?? 1)}`,
        count: 1,
        what: "the scale",
      },
    ];
  }
  const ne = excitatoryCount(config.n);
  const ni = config.n - ne;
  const type = NEURON_TYPE[config.model];
  return [
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
  ];
}

/**
 * The example's source with this configuration's sizes (or scale), probability, duration and seed. The example
 * text stays the single definition of the model: only these places change, and each must be found exactly as
 * often as expected, so an edited example is reported rather than silently benched.
 */
export function configSource(config: BenchConfig, exampleText: string): { text: string } | { problem: string } {
  const subs = [...sizeSubstitutions(config), ...RUN_AND_SEED(config)];
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
