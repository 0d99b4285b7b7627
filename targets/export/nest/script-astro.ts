// The PyNEST lines for astrocytes (match-astro.ts): astrocyte_lr_1994 populations, sic_connection couplings and the
// third_in connections of tripartite synapses. In: the continuous IR's groups and projections, their bindings; out:
// lines of script.ts's `build` (indented four spaces).
//
// Timing against glia's step (docs/export.md): an ensheathed synapse's spike reaches its astrocyte through a
// connection with the primary synapse's delay, and NEST adds delta_IP3 * weight to IP3 after the step's integration,
// as glia runs `on synapse_pre` after the update of the step the synapse delivers in. The SIC is a secondary event:
// NEST's astrocyte computes it from Ca at the end of step s and, with the minimum delay of one step, the neuron
// integrates with it in step s + 2, where glia's continuous block reads Ca at the start of the step it drives (Ca at
// the end of step s + 1): NEST's SIC lags glia's by one step of Ca.

import type { IRGroup, IRProjection } from "../../../compiler/ir/nodes.js";
import type { AstroBinding, AstroPlan } from "./match-astro.js";

const UM_PER_SI = 1e3;

/** A NEST recordable of an astrocyte_lr_1994 for a glia variable, with the factor to glia's SI value. */
export function astroRecordable(b: AstroBinding, variable: string): { name: string; toGlia: number } | undefined {
  if (variable === b.ip3) return { name: "IP3", toGlia: 1 / UM_PER_SI };
  if (variable === b.ca) return { name: "Ca_astro", toGlia: 1 / UM_PER_SI };
  if (variable === b.h) return { name: "h_IP3R", toGlia: 1 };
  return undefined;
}

/** Parameters to 12 digits: what the read-off recovers (its error is about 1e-13 relative). */
const py = (o: Record<string, number>): string =>
  `{${Object.entries(o)
    .map(([k, v]) => `"${k}": ${Number(v.toPrecision(12))}`)
    .join(", ")}}`;

/** An astrocyte_lr_1994 population: parameters (uM, ms), SIC_th of its couplings, IP3, Ca, h from data/. */
export function astroGroup(g: IRGroup, b: AstroBinding, plan: AstroPlan, projections: IRProjection[]): string[] {
  const th = projections
    .filter((p) => p.pre.population === g.name && plan.sic.has(p.name))
    .map((p) => plan.sic.get(p.name)!.th);
  const params = {
    ...b.params,
    ...(b.deltaIP3 !== undefined ? { delta_IP3: b.deltaIP3 } : {}),
    ...(th.length > 0 ? { SIC_th: th[0]!, SIC_scale: 1 } : {}),
  };
  return [
    `    # population ${g.name}: ${g.model}[${g.size}] = astrocyte_lr_1994 (IP3 = ${b.ip3}, Ca_astro = ${b.ca}, h_IP3R = ${b.h}; uM, ms; GSL adaptive RKF45)`,
    `    pop = nest.Create("astrocyte_lr_1994", ${g.size}, params=${py(params)})`,
    `    init = load(data, "pop_${g.name}.csv")`,
    `    pop.IP3 = list(init[${JSON.stringify(b.ip3)}] * ${UM_PER_SI})`,
    `    pop.Ca_astro = list(init[${JSON.stringify(b.ca)}] * ${UM_PER_SI})`,
    `    pop.h_IP3R = list(init[${JSON.stringify(b.h)}])`,
    `    nodes[${JSON.stringify(g.name)}] = pop`,
    ``,
  ];
}

/** A SIC coupling as sic_connections, one per glia synapse, with the minimum delay (one step). */
export function sicLines(p: IRProjection, plan: AstroPlan, n: number): string[] {
  const s = plan.sic.get(p.name)!;
  return [
    `    # projection ${p.name}: ${p.pre.population} -> ${p.post.population} (${p.synapse}: ${s.input} += W ln((Ca - SIC_th) / 1 nM)) as sic_connection, weight ${Number(s.weight.toPrecision(15))} pA, ${n} synapses`,
    `    syn = load(data, "proj_${p.name}.csv")`,
    `    if len(syn["pre"]):`,
    `        pre = np.asarray(nodes[${JSON.stringify(p.pre.population)}].tolist())[syn["pre"].astype(np.int64)]`,
    `        post = np.asarray(nodes[${JSON.stringify(p.post.population)}].tolist())[syn["post"].astype(np.int64)]`,
    `        nest.Connect(pre, post, "one_to_one", {"synapse_model": "sic_connection", "weight": np.full(len(pre), ${Number(s.weight.toPrecision(15))}), "delay": np.full(len(pre), DT * 1e3)})`,
    ``,
  ];
}

/** The third_in connections of an ensheathed projection (after its primary synapses: `pre`, `delay` and `syn` are
 *  the primary's): each synapse's presynaptic element to its astrocyte, weight 1 (IP3 += delta_IP3). */
export function thirdInLines(astrocytes: string): string[] {
  return [
    `        # tripartite: the astrocyte ensheathing each synapse (glia's pool, data column astro) hears its spikes`,
    `        third = np.asarray(nodes[${JSON.stringify(astrocytes)}].tolist())[syn["astro"].astype(np.int64)]`,
    `        nest.Connect(pre, third, "one_to_one", {"synapse_model": "static_synapse", "weight": np.ones(len(third)), "delay": delay})`,
  ];
}
