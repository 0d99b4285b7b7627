// Test helpers for the syntax tests. In: glia source snippets; out: ASTs, compact S-expression
// renderings of expressions and units, and the first diagnostic as "CODE line:col".

import { printUnit } from "../../compiler/syntax/print-ast.js";
import { expect } from "@jest/globals";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { Expr, FileAst, ModelDef } from "../../compiler/syntax/ast.js";
import { parseSource } from "../../compiler/syntax/parse.js";

/** Parse and require no diagnostics. */
export function parseOk(text: string, file = "t.glia"): FileAst {
  const r = parseSource(text, file);
  expect(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`)).toEqual([]);
  return r.ast;
}

export function diagnosticsOf(text: string, file = "t.glia"): Diagnostic[] {
  return parseSource(text, file).diagnostics;
}

/** "E0110 3:5" of the first diagnostic, or "none". */
export function firstDiag(text: string): string {
  const d = diagnosticsOf(text)[0];
  return d ? `${d.code} ${d.span.line}:${d.span.col}` : "none";
}

/** The single model of a snippet. */
export function onlyModel(text: string): ModelDef {
  const ast = parseOk(text);
  expect(ast.models).toHaveLength(1);
  return ast.models[0]!;
}

/** The value of `x = EXPR` inside a parameters block. */
export function exprOf(src: string): Expr {
  const m = onlyModel(`neuron T { parameters { x = ${src} } }`);
  const v = m.parameters[0]?.value;
  if (!v) throw new Error("no value parsed");
  return v;
}

/** Unit expressions print as the AST printer prints them. */
export const showUnit = printUnit;

/** Prefix rendering: (+ a (* b c)), numbers with units as [20 ms]. */
export function show(e: Expr): string {
  switch (e.kind) {
    case "Number":
      return e.unit ? `[${e.value} ${showUnit(e.unit)}]` : String(e.value);
    case "Bool":
      return String(e.value);
    case "String":
      return JSON.stringify(e.value);
    case "Name":
      return e.name;
    case "Member":
      return `${typeof e.object === "string" ? e.object : e.object.population}.${e.name}`;
    case "Unary":
      return `(${e.op === "-" ? "neg" : e.op === "+" ? "pos" : "not"} ${show(e.operand)})`;
    case "Binary":
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case "Conditional":
      return `(? ${show(e.cond)} ${show(e.then)} ${show(e.otherwise)})`;
    case "Call":
      return `${e.callee}(${e.args.map((a) => (a.name ? `${a.name}=${show(a.value)}` : show(a.value))).join(", ")})`;
    case "List":
      return `[${e.items.map(show).join(", ")}]`;
  }
}
