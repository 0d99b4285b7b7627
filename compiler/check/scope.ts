// Symbol tables of a model: parameters, state, inputs, aliases (first declaration wins), plus the
// built-in names. In: a ModelDef; out: a ModelSymbols table.

import type { Decl, Expr, ModelDef, Expose } from "../syntax/ast.js";
import type { Span } from "../diagnostics/span.js";
import { BUILTIN_VALUES } from "./builtins.js";

export type SymbolKind = "parameter" | "state" | "input" | "alias" | "expose";

export interface ModelSymbol {
  kind: SymbolKind;
  name: string;
  span: Span;
  /** Declared annotation or value, whichever exists. */
  decl?: Decl;
  alias?: { value: Expr; unit?: Decl["unit"] };
  expose?: Expose;
}

export interface ModelSymbols {
  model: ModelDef;
  /** Every declared name in declaration order (first declaration of a name only). */
  byName: Map<string, ModelSymbol>;
  /** Every declaration including duplicates, in source order, for the duplicate rule. */
  all: ModelSymbol[];
}

/** Collects the declared names of a model; exposes live in their own namespace (astro.NAME). */
export function buildModelSymbols(model: ModelDef): ModelSymbols {
  const all: ModelSymbol[] = [];
  for (const d of model.parameters) all.push({ kind: "parameter", name: d.name, span: d.nameSpan, decl: d });
  for (const d of model.state) all.push({ kind: "state", name: d.name, span: d.nameSpan, decl: d });
  for (const d of model.inputs) all.push({ kind: "input", name: d.name, span: d.nameSpan, decl: d });
  for (const eq of model.equations) {
    if (eq.kind === "Alias")
      all.push({ kind: "alias", name: eq.name, span: eq.nameSpan, alias: { value: eq.value, unit: eq.unit } });
  }
  const byName = new Map<string, ModelSymbol>();
  for (const s of all) if (!byName.has(s.name)) byName.set(s.name, s);
  return { model, byName, all };
}

export function isBuiltinValue(name: string): boolean {
  return (BUILTIN_VALUES as readonly string[]).includes(name);
}
