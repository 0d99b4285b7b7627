// NESTML synapses reading their postsynaptic neuron's state (`post.X` in `on pre` or `on post`). In: the post
// variables a synapse reads (nestml.ts nestmlSynapse), the postsynaptic group after the passes; out: the neuron
// variable each read is paired with (a continuous post port of NESTML's neuron-synapse pair), or why it cannot be.
//
// NESTML 8.3.0 gives a paired synapse a neuron variable through a continuous input port: `on pre` reads the value
// the neuron holds when NEST delivers the spike, `on post` the value at the postsynaptic spike's emit_spike() (run.py
// sets continuous_state_buffering_method "post_spike_based": NESTML keeps it in the neuron's spike history).
// glia's handlers of step k read post.X after step k's update, before the reset (docs/internals.md). A presynaptic
// spike of glia's step k (a neuron's, or an input's repeated by a parrot_neuron: nest/script.ts) is NEST's stamp
// k + 1, delivered at the start of NEST's step k + 1, after the neuron's reset of step k; so the neuron keeps a copy
// `glia_seen_X`, set to X right after its update (before the threshold, emit_spike and the reset), which both
// handlers read: glia's value of step k (the handlers' time is glia's step k too, nestml.ts). A parameter (constant,
// per element or not) is read the same way.
// Refused: a read of an input, or of a variable synapses add to (NEST adds a step's spikes in the neuron's update,
// glia's handlers read it between their additions).

import type { Span } from "../../../compiler/diagnostics/span.js";
import type { IRExpr, IRGroup, IRProjection, IRStmt } from "../../../compiler/ir/nodes.js";
import { children, mentions } from "../../../compiler/ir/expr.js";
import { exprSpan } from "../../../compiler/ir/spans.js";

/** The neuron variable a read of post.X is paired with. */
export const pairedVariable = (variable: string): string => `glia_seen_${variable.replace(/[^A-Za-z0-9_]/g, "_")}`;

/** The synapse's continuous port for post.X. */
export const postPort = (variable: string): string => `post_${variable.replace(/[^A-Za-z0-9_]/g, "_")}`;

/** Why post.X cannot be read as glia reads it, or undefined. `g`: the post group; `added`: variables synapses add
 *  to. */
export function postReadWhy(g: IRGroup, variable: string, added: ReadonlySet<string | undefined>): string | undefined {
  if (g.inputs.some((v) => v.name === variable))
    return `post.${variable} is an input of ${g.name} (NEST sums a step's spikes into it in the neuron's update, not in glia's handler order)`;
  // a parameter is constant: its copy after the update is the value glia's handlers read
  if (!g.state.some((v) => v.name === variable) && !g.params.some((v) => v.name === variable))
    return `post.${variable} is no state variable or parameter of ${g.name}`;
  if (added.has(variable))
    return `synapses add to post.${variable} (NEST adds them in the neuron's update, glia's handlers read it between their additions)`;
  return undefined;
}

/** The span of the first `SPACE.X` p's handlers read (the caret of a refusal), else the handler's. */
export function readSpan(p: IRProjection, space: "pre" | "post", variable: string): Span | undefined {
  const reads = (e: IRExpr): boolean => mentions(e, (r) => r.space === space && r.name === variable);
  const at = (e: IRExpr): Span | undefined => {
    if (e.k === "ref") return reads(e) ? exprSpan(e) : undefined;
    for (const c of children(e)) if (reads(c)) return at(c) ?? exprSpan(c);
    return undefined;
  };
  // a statement `post.X = post.X + amount` (on pre's delivery) reads post.X only in its amount
  const exprs = (ss: readonly IRStmt[]): IRExpr[] =>
    ss.flatMap((s) =>
      s.k === "if"
        ? [s.c, ...exprs(s.then), ...exprs(s.otherwise)]
        : s.k === "assign" && s.target.space === "post" && s.value.k === "bin"
          ? [s.value.b]
          : [s.value],
    );
  for (const [stmts, handler] of [
    [p.onPre, p.handlerSpans?.pre],
    [p.onPost, p.handlerSpans?.post],
  ] as const) {
    const e = exprs(stmts).find(reads);
    if (e) return at(e) ?? exprSpan(e) ?? handler;
  }
  return p.handlerSpans?.pre ?? p.span;
}
