// Rule: declared names of a model. Duplicates across parameters/state/inputs/aliases (E0202), names
// that are unit symbols or built-ins (E0205), function names (W1002). Aliases (E0214, E0417): aliases.ts.
// In: a model's symbols; out: diagnostics.

import type { Diagnostics } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import { isUnitSymbol } from "../../units/units.js";
import { isBuiltinValue, type ModelSymbols } from "../scope.js";
import { DISTRIBUTIONS, FUNCTIONS } from "../builtins.js";

/** E0205 / W1002 for one declared name (also used for `let` locals and network names). */
export function checkDeclaredName(diags: Diagnostics, name: string, span: Span): void {
  if (isUnitSymbol(name)) {
    diags.error("E0205", span, `\`${name}\` is a unit symbol and cannot be declared`, {
      hint: `choose another name, e.g. \`${name}_\` or a descriptive one`,
    });
  } else if (isBuiltinValue(name)) {
    diags.error("E0205", span, `\`${name}\` is a built-in name and cannot be declared`, {
      hint: "t is time, dt the step, pi and e the constants",
    });
  } else if (FUNCTIONS.has(name) || DISTRIBUTIONS.has(name)) {
    diags.warning("W1002", span, `\`${name}\` shadows the built-in function of the same name`, {
      hint: "calls still reach the built-in; a different name is clearer",
    });
  }
}

export function checkNames(symbols: ModelSymbols, diags: Diagnostics): void {
  const first = new Map<string, Span>();
  for (const s of symbols.all) {
    checkDeclaredName(diags, s.name, s.span);
    const prev = first.get(s.name);
    if (prev) {
      diags.error("E0202", s.span, `\`${s.name}\` is already declared in ${symbols.model.name}`, {
        related: [{ span: prev, message: "first declared here" }],
        hint: "parameters, state, inputs and aliases share one namespace",
      });
    } else first.set(s.name, s.span);
  }
  const exposed = new Map<string, Span>();
  for (const x of symbols.model.exposes) {
    const prev = exposed.get(x.name);
    if (prev)
      diags.error("E0202", x.nameSpan, `\`${x.name}\` is already exposed`, {
        related: [{ span: prev, message: "first exposed here" }],
      });
    else exposed.set(x.name, x.nameSpan);
  }
}
