// Astrocytes on their own clock (`dt = ...` in an astrocyte: glia updates them every k network steps) for the NEST
// exporter. In: the continuous IR; out: the E0808 refusals, each with a caret on the part NEST cannot express and why.
//
// NEST's astrocyte_lr_1994 steps at the kernel's resolution, so such a group is not it (match-astro.ts). Its update
// alone could be a NESTML model running glia's discrete update every k-th step (a step counter in the update block),
// but what couples it to the network has no NEST form:
// - `astro.X` read by an ensheathed synapse: a NEST synapse reads no third node's state (the tripartite connections
//   carry the astrocyte's SIC to the neuron, nothing back to the synapse);
// - a continuous coupling from the astrocytes into a neuron: NEST carries an astrocyte's current only as
//   astrocyte_lr_1994's SIC events (sic_connection), sent every kernel step; a NESTML model emits spikes only, whose
//   weight is the connection's, not the astrocyte's state.
// Each such coupling is refused at its place; a group with neither (its state only recorded, or read by nothing) is
// refused at the model: this exporter does not write the NESTML astrocyte with a step counter yet.

import type { Span } from "../../../compiler/diagnostics/span.js";
import type { IRExpr, IRGroup, IRProgram, IRStmt } from "../../../compiler/ir/nodes.js";
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
    const before = refusals.length;
    for (const p of ir.projections) {
      if (p.ensheathedBy?.astrocytes === g.name) {
        const r = astroRead([...p.onPre, ...p.onPost, ...p.continuous]);
        if (r)
          refusals.push({
            span: r.span ?? p.handlerSpans?.pre ?? p.span,
            what: `astro.${r.name} of the astrocytes ${g.name} (${g.model}, ${clock}) read by the synapse ${p.synapse} of ${p.name}`,
            hint: "a NEST synapse reads no other node's state: NEST's tripartite connections carry an astrocyte's SIC to the neuron and nothing back to the synapse",
          });
      }
      if (p.pre.population === g.name && p.continuous.length > 0)
        refusals.push({
          span: p.handlerSpans?.continuous ?? p.modelSpan ?? p.span,
          what: `the continuous coupling ${p.synapse} of ${p.name} from the astrocytes ${g.name} (${g.model}, ${clock})`,
          hint: "NEST carries an astrocyte's current to a neuron only as astrocyte_lr_1994's SIC events (sic_connection), which step at the kernel resolution; a NESTML model emits spikes only, whose weight is the connection's, not the astrocyte's state",
        });
    }
    if (refusals.length === before) refusals.push(unwritten(g, clock));
  }
  return { refusals, groups };
}

function unwritten(g: IRGroup, clock: string): ClockRefusal {
  return {
    span: g.modelSpan ?? g.span,
    what: `the astrocytes ${g.name} (${g.model}) ${clock}`,
    hint: "NEST's astrocyte_lr_1994 steps at the kernel resolution; glia's update every k steps would be a NESTML model with a step counter, which this exporter does not write yet",
  };
}
