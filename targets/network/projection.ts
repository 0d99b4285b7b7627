// One projection's synapses, as every target builds them: checks the slices, draws the connectivity,
// the per-synapse values and delays, and the astrocyte of each ensheathed synapse.
// In: an IR projection, its populations' facts, seed and dt (and the projection built next, if known); out: CSR,
// values, delays, astrocyte map.

import type { IRProjection, IRStmt } from "../../compiler/ir/nodes.js";
import { mentions } from "../../compiler/ir/expr.js";
import { buildConnectivity, type Csr } from "./connectivity.js";
import { assignAstrocytes } from "./ensheath.js";
import { drawsAhead, initDelays, initSynapses, type Values } from "./init.js";
import { dropDraws } from "./draws.js";
import { TargetError } from "../target.js";

/** What a target knows about a population when it builds a projection. */
export interface PopulationFacts {
  size: number;
  /** neuron/astrocyte groups, or a source (input) population */
  kind: "neuron" | "astrocyte" | "source";
  /** initial values of a group (pre./post. reads in weights and delays); undefined for sources */
  values: Values | undefined;
}

export interface BuiltProjection {
  csr: Csr;
  values: Values;
  /** delay of each synapse in whole steps, in construction order */
  delays: Int32Array;
  /** astrocyte index of each synapse when the projection is ensheathed, else null */
  astroOf: Int32Array | null;
}

/**
 * `next`: the projection the caller builds after this one (the wasm layout's loop). When it is a
 * fixed_total_number, a helper thread (the threaded wasm target) starts its weights' draws once this projection's
 * draws are done, so they are drawn while the caller lays this projection out (its own draws, held early).
 */
export function buildProjection(
  p: IRProjection,
  facts: (population: string) => PopulationFacts,
  seed: number,
  dt: number,
  next?: IRProjection,
): BuiltProjection {
  const pre = facts(p.pre.population);
  const post = facts(p.post.population);
  // an input source as post: the checker allowed it only for a synapse that uses no post variable (E0529)
  if (post.kind === "source" && [...p.onPre, ...p.onPost, ...p.continuous].some(writesPost))
    throw new TargetError(`${p.name}: the post population ${p.post.population} is an input and has no variables`);
  for (const [sl, f] of [
    [p.pre, pre],
    [p.post, post],
  ] as const) {
    if (!(sl.start >= 0 && sl.end <= f.size && sl.start <= sl.end))
      throw new TargetError(`${p.name}: slice ${sl.population}[${sl.start}:${sl.end}] out of range`);
  }
  // fixed_total_number: the synapse count is known before the draw, so a helper thread (the threaded wasm target)
  // draws the weights' and the delays' values meanwhile
  if (p.rule.k === "fixed_total_number") drawsAhead(p, p.rule.n, seed, true);
  let csr: Csr, values: Values, delays: Int32Array;
  try {
    csr = buildConnectivity(p, pre.size, post.size, seed);
    values = initSynapses(p, csr, pre.values, post.values, seed, dt);
    delays = initDelays(p, csr, values, pre.values, post.values, seed, dt);
  } finally {
    dropDraws(); // none left when initSynapses took them
  }
  if (next?.rule.k === "fixed_total_number") drawsAhead(next, next.rule.n, seed);
  let astroOf: Int32Array | null = null;
  if (p.ensheathedBy) {
    const astro = facts(p.ensheathedBy.astrocytes);
    if (astro.kind !== "astrocyte")
      throw new TargetError(`${p.name}: ${p.ensheathedBy.astrocytes} is not an astrocyte population`);
    astroOf = assignAstrocytes(p.name, csr, p.post, astro.size, p.ensheathedBy.rule, p.ensheathedBy.pool, seed);
  }
  return { csr, values, delays, astroOf };
}

function writesPost(s: IRStmt): boolean {
  if (s.k === "if") return s.then.some(writesPost) || s.otherwise.some(writesPost);
  return (s.k === "assign" && s.target.space === "post") || mentions(s.value, (r) => r.space === "post");
}
