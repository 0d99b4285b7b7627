// Rule: declared names of a model. Duplicates across parameters/state/inputs/aliases (E0202), names
// that are unit symbols or built-ins (E0205), function names (W1002), cyclic aliases (E0214).
// In: a model's symbols; out: diagnostics.

import type { Diagnostics } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import { isUnitSymbol } from "../../units/units.js";
import { isBuiltinValue, type ModelSymbols } from "../scope.js";
import { DISTRIBUTIONS, FUNCTIONS } from "../builtins.js";
import { namesIn } from "../walk.js";

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
  checkAliasCycles(symbols, diags);
}

function checkAliasCycles(symbols: ModelSymbols, diags: Diagnostics): void {
  const aliases = new Map<string, { span: Span; deps: string[] }>();
  for (const eq of symbols.model.equations) {
    if (eq.kind === "Alias" && !aliases.has(eq.name))
      aliases.set(eq.name, { span: eq.nameSpan, deps: namesIn(eq.value) });
  }
  const state = new Map<string, "busy" | "done">();
  const stack: string[] = [];
  const visit = (name: string): void => {
    const a = aliases.get(name);
    if (!a || state.get(name) === "done") return;
    if (state.get(name) === "busy") {
      const cycle = stack.slice(stack.indexOf(name));
      diags.error("E0214", a.span, `aliases refer to each other in a cycle: ${[...cycle, name].join(" -> ")}`, {
        related: cycle.slice(1).map((n) => ({ span: aliases.get(n)!.span, message: `\`${n}\` is part of the cycle` })),
        hint: "an alias is a named subexpression; one of them must be a state variable instead",
      });
      return;
    }
    state.set(name, "busy");
    stack.push(name);
    for (const dep of new Set(a.deps)) visit(dep);
    stack.pop();
    state.set(name, "done");
  };
  for (const name of aliases.keys()) visit(name);
}
