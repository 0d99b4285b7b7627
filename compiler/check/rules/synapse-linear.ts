// Rule: ODEs of (event-driven) synapses must be decoupled linear, x' = a*x + b with a and b built
// from parameters and constants only, so they can be advanced lazily in closed form (E0410).
// In: a synapse's symbols; out: diagnostics.

import type { Diagnostics } from "../../diagnostics/diagnostic.js";
import type { ModelSymbols } from "../scope.js";
import { linearity, type NameClass } from "../linear.js";

export function checkSynapseLinear(symbols: ModelSymbols, diags: Diagnostics): void {
  const m = symbols.model;
  if (m.modelKind !== "synapse") return;
  for (const eq of m.equations) {
    if (eq.kind !== "Ode" || symbols.byName.get(eq.name)?.kind !== "state") continue;
    const classify = (name: string): NameClass => {
      if (name === eq.name) return "var";
      if (name === "pi" || name === "e" || name === "dt") return "const";
      if (name === "t") return "varying";
      const sym = symbols.byName.get(name);
      if (!sym) return "const"; // undeclared: reported by the name rules
      if (sym.kind === "parameter") return "const";
      if (sym.kind === "alias" && sym.alias) return { alias: sym.alias.value };
      return "varying";
    };
    const r = linearity(eq.value, classify);
    if (r.kind === "nonlinear") {
      diags.error("E0410", r.at.span, `synapse ODE ${eq.name}' is not of the form a*${eq.name} + b: ${r.why}`, {
        related: [{ span: eq.nameSpan, message: `ODE of \`${eq.name}\`` }],
        hint: "synapse variables are advanced lazily between events; their ODEs may only use the variable itself, parameters and constants",
      });
    }
  }
}
