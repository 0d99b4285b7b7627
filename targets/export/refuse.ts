// The one diagnostic every exporter refuses with. In: the engine, the span of the construct and its name; out:
// E0808 ("the exported engine cannot express this construct") with the construct named and a caret on it.
// Also W1016 for a synapse record an exported script cannot write (the engine's reason given).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";

export const NOWHERE: Span = { file: "", start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };

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

/** W1016 for a synapse record (`record VAR of PROJ`) the exported script does not write, with the engine's reason
 *  (targets/export/synapse-records.ts plans the ones it writes). */
export function synapseRecordNote(engine: string, ir: IRProgram, monitor: number, why: string): Diagnostic {
  const m = ir.monitors[monitor]!;
  return {
    code: "W1016",
    severity: "warning",
    message: `the ${engine} script does not record ${m.target.population}.${m.variable}: ${why}`,
    span: ir.spans?.monitors[monitor] ?? ir.spans?.network ?? NOWHERE,
    related: [],
    hint: "compare synapse state with glia's own run (`glia run --out`), which records it as asked",
  };
}
