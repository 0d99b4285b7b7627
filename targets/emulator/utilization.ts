// Utilization of a digital descriptor's cores: what `glia emulate` reports per core (JSON `core_utilization`,
// the text summary, report.html). In: a descriptor; out: per core its population slice and its use of the
// core's neurons, synapse memory and input axons (counts and fractions of the spec's limits; a fraction is
// null where the spec gives no limit), and the totals over cores. Crossbar descriptors: none (their tiles are
// reported by the crossbar mapper).

import type { Descriptor } from "../descriptor/types.js";

export interface CoreUse {
  core: number;
  population: string;
  start: number;
  end: number;
  neurons: number;
  neurons_frac: number;
  synapses: number;
  synapse_bits: number;
  synapse_frac: number | null;
  axons: number;
  axons_frac: number | null;
}

export function coreUtilization(d: Descriptor): CoreUse[] {
  if (d.kind !== "digital") return [];
  return d.cores.map((c) => {
    const axons = c.synapses.reduce((a, m) => a + m.axons.length, 0);
    return {
      core: c.id,
      population: c.population,
      start: c.start,
      end: c.end,
      neurons: c.end - c.start,
      neurons_frac: (c.end - c.start) / d.neuronsPerCore,
      synapses: c.synapses.reduce((a, m) => a + m.target.length, 0),
      synapse_bits: c.synapseBits,
      synapse_frac: d.memoryBitsPerCore ? c.synapseBits / d.memoryBitsPerCore : null,
      axons,
      axons_frac: d.axonsPerCore ? axons / d.axonsPerCore : null,
    };
  });
}

const pct = (x: number | null): string => (x === null ? "-" : `${(100 * x).toFixed(1)} %`);

/** Text: one line of ranges over all cores, then one line per core when there are at most `list` cores. */
export function utilizationText(use: CoreUse[], list = 16): string {
  if (!use.length) return "";
  const range = (f: (u: CoreUse) => number | null): string => {
    const xs = use.map(f).filter((x): x is number => x !== null);
    if (!xs.length) return "no limit";
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return `${pct(Math.min(...xs))} to ${pct(Math.max(...xs))} (mean ${pct(mean)})`;
  };
  let s = `  ${use.length} core(s): neurons ${range((u) => u.neurons_frac)}, synapse memory ${range((u) => u.synapse_frac)}, axons ${range((u) => u.axons_frac)}\n`;
  if (use.length <= list)
    for (const u of use)
      s += `    core ${u.core} ${u.population}[${u.start}:${u.end}]: ${u.neurons} neurons (${pct(u.neurons_frac)}), ${u.synapses} synapses in ${u.synapse_bits} bits (${pct(u.synapse_frac)}), ${u.axons} axons (${pct(u.axons_frac)})\n`;
  return s;
}
