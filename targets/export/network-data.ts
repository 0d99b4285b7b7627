// The network an exported script loads: glia's own construction (targets/network) written as CSV files, so
// the exported engine simulates the same synapses, delays and initial values as every glia target.
// In: a (continuous or discrete) IR program and its seed; out: CSV texts keyed by file name plus what the
// script generators need to know (which variables vary per element, synapse counts).
//
// Files (numbers in SI base units, each written as JavaScript's shortest round-trip text, which numpy reads
// back to the same float64):
//   pop_POP.csv        index, then one column per per-element parameter and every state variable
//   proj_PROJ.csv      pre, post (population indices), delay (steps of the network clock), then one column per
//                      per-synapse parameter and every synapse state variable, and for an ensheathed projection
//                      `astro` (the astrocyte element of each synapse); rows in glia's CSR order
//   src_SRC.csv        spike lists: step, index (glia's rounding: floor(t/dt + 0.5), duplicates and steps
//                      outside the run dropped); Poisson and poisson_count: index, rate_hz (the script draws its
//                      own spikes, or counts)
//   poisson_SRC.csv    step, index: the Poisson spikes glia's generator draws in the run (when at most
//                      MAX_POISSON_SPIKES), for runs that must see the very same inputs
//   current_N.csv      step, value: the value in force from that step on (current stimuli)

import type { IRProgram } from "../../compiler/ir/nodes.js";
import { initGroup, type Values } from "../network/init.js";
import { buildProjection, type PopulationFacts } from "../network/projection.js";
import { makeSource, poissonRates } from "../network/sources.js";

export interface NetworkData {
  files: Map<string, string>;
  /** Per population: the names of per-element columns (params that vary, and all state). */
  groupColumns: Map<string, string[]>;
  /** Scalar parameter values of each group (same for every element). */
  groupScalars: Map<string, Map<string, number>>;
  /** Per projection: synapse count, per-synapse columns, scalar synapse parameters, distinct delays. */
  projections: Map<
    string,
    {
      n: number;
      columns: string[];
      scalars: Map<string, number>;
      delays: Set<number>;
      /** The most synapses any one pre element has. */
      fanOut: number;
    }
  >;
  /** Spike-list sources: spikes within the run. */
  sourceSpikes: Map<string, number>;
}

const num = (x: number): string => String(x);

/** Builds every population, projection and source as glia's targets do, and writes them as CSV text. */
export function networkData(ir: IRProgram, steps = ir.steps): NetworkData {
  const files = new Map<string, string>();
  const groupColumns = new Map<string, string[]>();
  const groupScalars = new Map<string, Map<string, number>>();
  const values = new Map<string, Values>();
  for (const g of ir.groups) {
    const v = initGroup(g, ir.seed, ir.dt);
    values.set(g.name, v);
    const cols: [string, ArrayLike<number>][] = [];
    const scalars = new Map<string, number>();
    for (const [name, x] of v.params) {
      if (typeof x === "number") scalars.set(name, x);
      else cols.push([name, x]);
    }
    for (const [name, x] of v.state) cols.push([name, x]);
    groupColumns.set(
      g.name,
      cols.map((c) => c[0]),
    );
    groupScalars.set(g.name, scalars);
    files.set(
      `pop_${g.name}.csv`,
      table(["index", ...cols.map((c) => c[0])], g.size, (r) => [r, ...cols.map((c) => c[1][r]!)]),
    );
  }
  const facts = (population: string): PopulationFacts => {
    const g = ir.groups.find((x) => x.name === population);
    if (g) return { size: g.size, kind: g.kind, values: values.get(population) };
    const s = ir.sources.find((x) => x.name === population);
    return { size: s?.size ?? 0, kind: "source", values: undefined };
  };
  const projections: NetworkData["projections"] = new Map();
  for (const p of ir.projections) {
    const b = buildProjection(p, facts, ir.seed, ir.dt);
    const cols: [string, ArrayLike<number>][] = [];
    const scalars = new Map<string, number>();
    for (const [name, x] of b.values.params) {
      if (typeof x === "number") scalars.set(name, x);
      else cols.push([name, x]);
    }
    for (const [name, x] of b.values.state) cols.push([name, x]);
    // an ensheathed projection: the astrocyte element of each synapse (targets/network/ensheath.ts)
    const astro: [string, ArrayLike<number>][] = b.astroOf ? [["astro", b.astroOf]] : [];
    const header = ["pre", "post", "delay", ...cols.map((c) => c[0]), ...astro.map((c) => c[0])];
    files.set(
      `proj_${p.name}.csv`,
      table(header, b.csr.n, (s) => [
        b.csr.pre[s]!,
        b.csr.post[s]!,
        b.delays[s]!,
        ...cols.map((c) => c[1][s]!),
        ...astro.map((c) => c[1][s]!),
      ]),
    );
    const perPre = new Int32Array(facts(p.pre.population).size);
    let fanOut = 0;
    for (let x = 0; x < b.csr.n; x++) fanOut = Math.max(fanOut, ++perPre[b.csr.pre[x]!]!);
    projections.set(p.name, {
      n: b.csr.n,
      columns: cols.map((c) => c[0]),
      scalars,
      delays: new Set(b.delays),
      fanOut,
    });
  }
  const sourceSpikes = new Map<string, number>();
  for (const src of ir.sources) {
    if (src.k === "poisson") {
      const rates = poissonRates(src, ir.seed);
      files.set(
        `src_${src.name}.csv`,
        table(["index", "rate_hz"], src.size, (e) => [e, rates[e]!]),
      );
      const expected = rates.reduce((a, r) => a + r, 0) * ir.dt * steps;
      if (expected <= MAX_POISSON_SPIKES) files.set(`poisson_${src.name}.csv`, spikeList(src, ir, steps));
      continue;
    }
    if (src.k === "poisson_count") {
      // the engine draws the counts (glia's own draws, several events per element and step, are not replayed)
      const rates = poissonRates(src, ir.seed);
      files.set(
        `src_${src.name}.csv`,
        table(["index", "rate_hz"], src.size, (e) => [e, rates[e]!]),
      );
      continue;
    }
    const list = spikeList(src, ir, steps);
    sourceSpikes.set(src.name, list.split("\n").length - 2);
    files.set(`src_${src.name}.csv`, list);
  }
  ir.currents.forEach((c, n) => {
    const rows = ["step,value", ...currentSteps(ir, c).map((r) => `${r.step},${num(r.value)}`)];
    files.set(`current_${n}.csv`, rows.join("\n") + "\n");
  });
  return { files, groupColumns, groupScalars, projections, sourceSpikes };
}

/** A current stimulus as the steps its values start at (each time rounded to the nearest step), in its order: a
 *  later row at the same step replaces an earlier one; before the first row the value is 0. */
export function currentSteps(ir: IRProgram, c: IRProgram["currents"][number]): { step: number; value: number }[] {
  return c.times.map((time, x) => ({ step: Math.floor(time / ir.dt + 0.5), value: c.values[x]! }));
}

/** Poisson spikes as glia draws them are written too (poisson_SRC.csv) when they are at most this many. */
export const MAX_POISSON_SPIKES = 2_000_000;

/** The spikes a source emits in glia's run: step, index. */
function spikeList(src: IRProgram["sources"][number], ir: IRProgram, steps: number): string {
  const stepper = makeSource(src, ir.seed, ir.dt, steps);
  const out = new Int32Array(src.size);
  const rows: string[] = ["step,index"];
  for (let k = 0; k < steps; k++) {
    const n = stepper.step(k, out);
    for (let x = 0; x < n; x++) rows.push(`${k},${out[x]}`);
  }
  return rows.join("\n") + "\n";
}

function table(header: string[], rows: number, row: (r: number) => number[]): string {
  const out: string[] = [header.join(",")];
  for (let r = 0; r < rows; r++) out.push(row(r).map(num).join(","));
  return out.join("\n") + "\n";
}
