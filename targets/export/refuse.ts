// The one diagnostic every exporter refuses with. In: the engine, the span of the construct and its name; out:
// E0808 ("the exported engine cannot express this construct") with the construct named and a caret on it.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { Span } from "../../compiler/diagnostics/span.js";

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
