// Astrocytes on their own clock (`dt = ...` in an astrocyte: glia updates them every k network steps) for the NEST
// exporter: what of them NEST cannot run. In: the continuous IR; out: the E0808 refusals, each with a caret on the
// part NEST cannot express and why, and the set of such groups.
//
// The astrocytes themselves are NESTML neurons with a step counter, their spike inputs static synapses, their
// continuous couplings into neurons run.py's per-step exchange (astro-exchange.ts). What stays refused:
// - `astro.X` read by an ensheathed synapse: a NEST synapse reads no third node's state, and a weight run.py set
//   between steps is read when the spike is sent, at the end of the NEST step in which its source emits it (measured,
//   NEST 3.10: a spike_generator's spike stamped 0.5 ms at h = 0.1 ms carried the weight set before the step from 0.4
//   to 0.5 ms): for glia's zero-delay input (stamped one step early) one step before glia's `on pre` reads astro.X
//   after the astrocyte's update of that step. A NESTML astrocyte one step ahead gave astro_tripartite's calcium to
//   7.5e-15 but 39 of 179 spikes a step early (the release of the step before an update); exact would need the
//   input stamped at the end of its step into a port the neuron adds before its update, and a second, early copy of
//   the input for the astrocytes' handlers;
// - `on synapse_pre` / `on synapse_post` of the astrocytes (ensheathed synapses' events): not written yet (each would
//   be a connection from the synapses' pre or post neurons into the NESTML astrocyte, with a multiplicity per pair).
// A refused ensheathed projection is refused once, at its first such construct.

import type { Span } from "../../../compiler/diagnostics/span.js";
import type { IRExpr, IRProgram, IRStmt } from "../../../compiler/ir/nodes.js";
import { children, forEachStmtExpr } from "../../../compiler/ir/expr.js";
import { exprSpan } from "../../../compiler/ir/spans.js";

export interface ClockRefusal {
  span: Span | undefined;
  what: string;
  hint: string;
}

/** The first astro.X read in `stmts`, with the span of the innermost expression that has one. */
function astroRead(stmts: readonly IRStmt[]): { name: string; span: Span | undefined } | undefined {
  let found: { name: string; span: Span | undefined } | undefined;
  const visit = (e: IRExpr, outer: Span | undefined): void => {
    if (found) return;
    const here = exprSpan(e) ?? outer;
    if (e.k === "ref" && e.ref.space === "astro") found = { name: e.ref.name, span: here };
    else for (const c of children(e)) visit(c, here);
  };
  forEachStmtExpr(stmts, (e) => visit(e, undefined));
  return found;
}

export function ownClockRefusals(ir: IRProgram): { refusals: ClockRefusal[]; groups: Set<string> } {
  const refusals: ClockRefusal[] = [];
  const groups = new Set<string>();
  for (const g of ir.groups.filter((x) => x.kind === "astrocyte" && x.stepEvery !== 1)) {
    groups.add(g.name);
    const clock = `on their own clock (every ${g.stepEvery} steps of ${Number((ir.dt * 1e3).toPrecision(12))} ms)`;
    for (const p of ir.projections.filter((x) => x.ensheathedBy?.astrocytes === g.name)) {
      const r = astroRead([...p.onPre, ...p.onPost, ...p.continuous]);
      const handler = g.onSynapsePre.length > 0 ? "synapse_pre" : g.onSynapsePost.length > 0 ? "synapse_post" : null;
      if (r)
        refusals.push({
          span: r.span ?? p.handlerSpans?.pre ?? p.span,
          what: `astro.${r.name} of the astrocytes ${g.name} (${g.model}, ${clock}) read by the synapse ${p.synapse} of ${p.name}`,
          hint: "a NEST synapse reads no other node's state, and a weight set between steps is read when the spike is sent, at the end of the step its source emits it in: one step before glia's handler reads the astrocyte",
        });
      else
        refusals.push({
          span: (handler ? g.handlerSpans?.[handler] : undefined) ?? p.ensheathSpan ?? p.span,
          what: `the ensheathed synapses of ${p.name} and their astrocytes ${g.name} (${g.model}, ${clock})${handler ? `: \`on ${handler}\`` : ""}`,
          hint: "the NEST export runs astrocytes on their own clock as NESTML neurons that hear spikes through their own synapses (`connect SRC -> ASTROCYTES with S`), not through ensheathed synapses",
        });
    }
  }
  return { refusals, groups };
}
