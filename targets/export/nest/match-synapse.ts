// Why a glia synapse that is not a static one (match.ts staticWeight) is none of NEST's plastic built-ins, read from
// its handlers (never from its name). In: a continuous-IR projection; out: one reason per built-in, for E0808.
//
// stdp_synapse (pair-based, all-to-all, w in [0, Wmax]) changes the weight on a presynaptic spike by the depression
// and then sends the new weight; a glia synapse whose `on pre` delivers `post.S += ... w ...` before it writes w sends
// the old one, so every delivered weight differs by one depression step: the semantics differ, and it is refused.
// tsodyks2_synapse (short-term plasticity) is matched in match-tsodyks.ts, whose reason this takes. sic_connection (an astrocyte's slow inward
// current) reaches only aeif_cond_alpha_astro in NEST 3.10. The mapping of a glia synapse that passes
// these checks is not written (each returns the reason so the refusal names it).

import type { IRExpr, IRProjection, IRStmt } from "../../../compiler/ir/nodes.js";

const reads = (e: IRExpr, name: string): boolean => {
  switch (e.k) {
    case "ref":
      return e.ref.space === "state" && e.ref.name === name;
    case "neg":
    case "not":
      return reads(e.a, name);
    case "bin":
      return reads(e.a, name) || reads(e.b, name);
    case "sel":
      return reads(e.c, name) || reads(e.a, name) || reads(e.b, name);
    case "call":
      return e.args.some((a) => reads(a, name));
    default:
      return false;
  }
};

const flat = (ss: IRStmt[]): IRStmt[] =>
  ss.flatMap((s) => (s.k === "if" ? [s, ...flat(s.then), ...flat(s.otherwise)] : [s]));

/** stdp_synapse: why this synapse is not one. */
function stdpWhy(p: IRProjection): string {
  if (p.onPost.length === 0) return "no `on post` (no change at postsynaptic spikes)";
  const pre = flat(p.onPre);
  const deliver = pre.findIndex((s) => s.k === "assign" && s.target.space === "post");
  if (deliver < 0) return "`on pre` delivers nothing to post";
  const d = pre[deliver] as Extract<IRStmt, { k: "assign" }>;
  const weights = p.state.map((v) => v.name).filter((n) => reads(d.value, n));
  if (weights.length !== 1)
    return `the delivered amount reads ${weights.length} synapse state variables, not one weight`;
  const w = weights[0]!;
  const writes = (s: IRStmt): boolean => s.k === "assign" && s.target.space === "state" && s.target.name === w;
  const update = pre.findIndex(writes);
  if (update < 0) return `\`on pre\` does not change ${w} (no depression)`;
  if (!flat(p.onPost).some(writes)) return `\`on post\` does not change ${w} (no potentiation)`;
  if (deliver < update)
    return `NEST sends the weight after the presynaptic spike's depression, ${p.synapse} delivers post.${d.target.name} before it writes ${w}`;
  return "the mapping of a pair-based rule onto stdp_synapse's lambda, alpha, Wmax is not written";
}

/** The refusal text for a non-static synapse: each plastic built-in with its reason. `fromAstrocyte`: the pre
 *  population is an astrocyte group; `postExp`: the post group's equations call exp (an AdEx membrane);
 *  `tsodyksWhy`: match-tsodyks.ts's reason. */
export function plasticWhy(p: IRProjection, fromAstrocyte: boolean, postExp: boolean, tsodyksWhy: string): string {
  if (p.ensheathedBy)
    return `ensheathed by ${p.ensheathedBy.astrocytes} (NEST's tripartite synapses need astrocyte_lr_1994 astrocytes, match-astro.ts)`;
  // NEST 3.10's sic_connection connects only to aeif_cond_alpha_astro (Connect fails onto iaf_psc_exp and
  // iaf_cond_exp); a coupling from an astrocyte into a membrane without an exponential spike current has no target
  if (fromAstrocyte && p.continuous.length > 0)
    return postExp
      ? `sic_connection: its astrocyte ${p.pre.population} is not NEST's astrocyte_lr_1994 (see its reason)`
      : `sic_connection: NEST connects it only to aeif_cond_alpha_astro, and ${p.post.population} has no exponential spike current (an AdEx membrane)`;
  return `stdp_synapse: ${stdpWhy(p)}; tsodyks2_synapse: ${tsodyksWhy}`;
}
