// The one diagnostic every exporter refuses with. In: the engine, the span of the construct and its name; out:
// E0808 ("the exported engine cannot express this construct") with the construct named and a caret on it.
// Also the refusal of poisson_count inputs, which no exporter writes yet (one rule for all of them), and W1016 for
// synapse records an exported script keeps less of than the model asks.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";

const NOWHERE: Span = { file: "", start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };

export function refusal(engine: string, span: Span | undefined, construct: string, hint?: string): Diagnostic {
  return {
    code: "E0808",
    severity: "error",
    message: `cannot export to ${engine}: ${construct}`,
    span: span ?? NOWHERE,
    related: [],
    hint:
      hint ??
      `${engine} has no exact form for this; glia refuses rather than write a script that simulates something else`,
  };
}

/** E0808 for every poisson_count input: several events per element and step, which the exported engines' spike
 *  sources (PoissonGroup, spike_generator, a 0/1 spike per step) cannot replay. */
export function countSourceRefusals(engine: string, ir: IRProgram): Diagnostic[] {
  return ir.sources
    .filter((s) => s.k === "poisson_count")
    .map((s) =>
      refusal(
        engine,
        ir.spans?.sources[s.name] ?? ir.spans?.network,
        `the poisson_count input ${s.name} (several events per element and step)`,
        engine === "brian2"
          ? "Brian2's PoissonInput (an independent count per target) would fit a one-to-one projection; this exporter does not write it yet"
          : engine === "nest"
            ? "NEST's poisson_generator (an independent train per target, spikes with multiplicity) would fit a one-to-one projection; this exporter does not write it yet"
            : undefined,
      ),
    );
}

/** W1016 for every synapse record (`record w of PROJ`): the exported scripts have no periodic recorder of a
 *  synapse's state. `kept` says what the engine's script writes instead (NEST: the end state), or nothing. */
export function synapseRecordNotes(engine: string, ir: IRProgram, kept?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  ir.monitors.forEach((m, n) => {
    if (m.k !== "synapse") return;
    out.push({
      code: "W1016",
      severity: "warning",
      message: `the ${engine} script does not record ${m.target.population}.${m.variable} every ${m.everySteps} steps${kept ? `: ${kept}` : ""}`,
      span: ir.spans?.monitors[n] ?? ir.spans?.network ?? NOWHERE,
      related: [],
      hint: "compare synapse state with glia's own run (`glia run --out`), which records it as asked",
    });
  });
  return out;
}
