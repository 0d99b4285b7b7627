// Astrocytes on their own clock (`dt = ...` in an astrocyte: glia updates them every k network steps) in the NEST
// export: what connects them to the network. In: a continuous-IR projection onto or from such a group, the group and
// its scalar parameters; out: the projection NEST runs (a spike input folded into a static_synapse), or why not.
//
// The astrocytes themselves are NESTML neurons whose update block runs glia's discrete update only when a step
// counter is 0 (every k-th NEST step, with glia's own dt = k network steps: nestml.ts), so glia's rule (docs/internals.md,
// targets/schedule/step.ts: a group updates in steps k % stepEvery == 0 and its state is visible to the rest as soon
// as it is written) holds step for step:
// - a spike input whose `on pre` adds to an astrocyte variable (`post.IP3 += post.delta_IP3 * w`) writes its state
//   after the update of the step in which it runs (glia's phase 3); the NESTML neuron adds its spike port after the
//   update block's gated update, every step: folded here into `post.IP3 += c * w` with the astrocyte's scalar
//   parameters as numbers, it is an ordinary static_synapse into the port of IP3 (match.ts staticWeight);
// - a continuous coupling from the astrocytes into a neuron (the SIC) reads their state at t_k (phase 0), which is
//   what GetStatus returns before the step's nest.Run: run.py's per-step exchange (couplings.ts) evaluates it as any
//   coupling, reading the NESTML astrocyte's state and parameters.
// What reads the astrocytes from a synapse (astro.X) or hears ensheathed synapses (`on synapse_pre/post`) is refused
// in astro-clock.ts.

import type { Span } from "../../../compiler/diagnostics/span.js";
import type { IRGroup, IRProjection } from "../../../compiler/ir/nodes.js";
import { mapStmtExprs, num, substitute } from "../../../compiler/ir/expr.js";
import { staticWeight } from "./match.js";

export type AstroInputResult = { ok: true; projection: IRProjection } | { ok: false; why: string; span?: Span };

/** A synapse onto astrocytes on their own clock as a static synapse into one of their state variables: `post.P` of a
 *  scalar astrocyte parameter P becomes its value (SI), the rest must be `post.X += f(synapse parameters)`. */
export function astroSpikeInput(
  p: IRProjection,
  astro: IRGroup,
  scalars: ReadonlyMap<string, number>,
): AstroInputResult {
  const params = new Set(astro.params.map((v) => v.name));
  const folded: IRProjection = {
    ...p,
    onPre: mapStmtExprs(p.onPre, (e) =>
      substitute(e, (r) =>
        r.space === "post" && params.has(r.name) && scalars.has(r.name) ? num(scalars.get(r.name)!) : undefined,
      ),
    ),
  };
  // (nestmlNeuron refuses a target that is neither a state variable nor an input)
  const w = staticWeight(folded);
  const span = p.handlerSpans?.pre ?? p.modelSpan ?? p.span;
  if (!w)
    return {
      ok: false,
      why: "an `on pre` other than `post.X += amount` of synapse parameters and the astrocytes' scalar parameters (the astrocyte hears spikes through a static synapse into a state variable)",
      span,
    };
  return { ok: true, projection: folded };
}
