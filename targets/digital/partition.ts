// Automatic partitioning of populations onto digital cores. In: the network tables (synapses per projection),
// the core limits (neurons, synapse memory bits and input axons per core) and the synapse-entry layout the
// mapper uses; out: per population the slices [start, end) its cores hold, and how they were chosen.
//
// Each population is split into k slices of equal size (sizes differ by at most one neuron, so neuron updates
// are balanced), k the smallest number with every slice within all three limits: neurons <= neuronsPerCore,
// synapse bits (each incoming synapse's entry: weight, target index within the core, delay, plus plastic and
// astrocyte fields, as fillSynapseMemories in map.ts stores it) <= the memory, and distinct input axons (pre
// elements per projection) <= the axons. A slice of one neuron that still does not fit (a fan-in over the
// axons or memory of a whole core) cannot be helped by splitting: the population keeps the smallest k that
// the neuron limit gives, and checkLimits (map.ts) reports the core that overflows with the numbers.
// `--neurons-per-core N` (options.fixedSize) overrides: slices of exactly N neurons, no automatic split.

import type { NetworkTables } from "../descriptor/build.js";
import type { SynapseTable } from "../descriptor/types.js";
import { widthOf } from "../fixed/qformat.js";

const math = Math;
export const bitsFor = (n: number): number => math.max(1, math.ceil(math.log2(math.max(2, n))));

export interface CoreLimits {
  neuronsPerCore: number;
  memoryBitsPerCore: number | null;
  axonsPerCore: number | null;
}

export interface Partition {
  /** per population (T.neurons order): slice boundaries, b[0] = 0 ... b[k] = size */
  bounds: Map<string, number[]>;
}

/** The layout of one synapse entry of projection `t` (one home, used by map.ts's synapse memories too):
 *  `base` = the weight and delay fields, `extra` = plastic state words and the astrocyte index; an entry in a
 *  core of n neurons takes base + bitsFor(n) (the target index) + extra bits. */
export function entryLayout(
  T: NetworkTables,
  t: SynapseTable,
  weightBits: number,
): { base: number; extra: number; astroBits: number; weightBits: number } {
  const wfmt = t.vars.find((v) => v.name === t.weightVar)?.fmt;
  const wbits = wfmt ? widthOf(wfmt) : weightBits;
  let maxDelay = 0;
  for (const d of t.delay) maxDelay = math.max(maxDelay, d);
  const astroBits = t.astro ? bitsFor(T.neurons.find((g) => g.population === t.astro!.population)?.size ?? 1) : 0;
  const plastic = t.vars
    .filter((v) => v.name !== t.weightVar && (v.space === "state" || t.raw[v.name]))
    .reduce((b, v) => b + widthOf(v.fmt), 0);
  return {
    base: wbits + (maxDelay > 0 ? bitsFor(maxDelay + 1) : 0),
    extra: plastic + (T.astroOf.has(t.projection) ? astroBits : 0),
    astroBits,
    weightBits: wbits,
  };
}

/** Equal slices: k slices of `size`, sizes differing by at most one. */
export function equalBounds(size: number, k: number): number[] {
  return Array.from({ length: k + 1 }, (_, j) => math.floor((j * size) / k));
}

/** Boundaries per population; `weightBits` is the spec's weight width (for projections without a weight
 *  format of their own). */
export function partition(T: NetworkTables, limits: CoreLimits, weightBits: number, fixedSize?: number): Partition {
  const layout = new Map(T.projections.map((t) => [t.projection, entryLayout(T, t, weightBits)]));
  const bounds = new Map<string, number[]>();
  for (const g of T.neurons) {
    const cap = fixedSize ?? limits.neuronsPerCore;
    const byNeurons = math.ceil(g.size / cap);
    if (fixedSize !== undefined) {
      const b = [];
      for (let s = 0; s < g.size; s += cap) b.push(s);
      bounds.set(g.population, [...b, g.size]);
      continue;
    }
    const into = T.projections.filter((t) => t.post.population === g.population);
    // a lower bound on k from the memory (each entry has at least one target bit)
    let k = byNeurons;
    if (limits.memoryBitsPerCore !== null) {
      const total = into.reduce((a, t) => {
        const l = layout.get(t.projection)!;
        return a + t.n * (l.base + 1 + l.extra);
      }, 0);
      k = math.max(k, math.ceil(total / limits.memoryBitsPerCore));
    }
    k = math.min(k, math.max(1, g.size));
    // the smallest k that fits: doubling from the lower bound, then bisection (more slices never need more of
    // any limit per slice, up to the one-neuron rounding of equal slices; the chosen k is checked, not assumed)
    const fits = (n: number): boolean => !overflow(into, equalBounds(g.size, n), limits, layout);
    let ok = fits(k);
    let lo = k - 1;
    let hi = k;
    while (!ok && hi < g.size) {
      lo = hi;
      hi = math.min(g.size, hi * 2);
      ok = fits(hi);
    }
    let chosen: number[] | undefined;
    if (ok) {
      while (hi - lo > 1) {
        const mid = math.floor((lo + hi) / 2);
        if (fits(mid)) hi = mid;
        else lo = mid;
      }
      chosen = equalBounds(g.size, hi);
    }
    // one neuron per core and still over: splitting cannot help; checkLimits reports the core that overflows
    if (!chosen) chosen = equalBounds(g.size, byNeurons);
    bounds.set(g.population, chosen);
  }
  return { bounds };
}

/** Which limit some slice of `b` exceeds (synapse memory or axons), or null when every slice fits. */
function overflow(
  into: SynapseTable[],
  b: number[],
  limits: CoreLimits,
  layout: Map<string, { base: number; extra: number }>,
): "synapse memory" | "axons" | null {
  const k = b.length - 1;
  const size = b[k]!;
  const slice = new Int32Array(size);
  for (let j = 0; j < k; j++) slice.fill(j, b[j]!, b[j + 1]!);
  const bits = new Float64Array(k);
  const axons = new Float64Array(k);
  const count = new Float64Array(k);
  const lastPre = new Int32Array(k);
  for (const t of into) {
    lastPre.fill(-1);
    count.fill(0);
    for (let s = 0; s < t.n; s++) {
      const j = slice[t.postIndex[s]!]!;
      count[j]! += 1;
      // synapses are in pre order (CSR): a new pre element into slice j is a new axon
      const pre = t.preIndex[s]!;
      if (lastPre[j] !== pre) {
        lastPre[j] = pre;
        axons[j]! += 1;
      }
    }
    const l = layout.get(t.projection)!;
    for (let j = 0; j < k; j++) bits[j]! += count[j]! * (l.base + bitsFor(b[j + 1]! - b[j]!) + l.extra);
  }
  for (let j = 0; j < k; j++) {
    if (limits.memoryBitsPerCore !== null && bits[j]! > limits.memoryBitsPerCore) return "synapse memory";
    if (limits.axonsPerCore !== null && axons[j]! > limits.axonsPerCore) return "axons";
  }
  return null;
}
