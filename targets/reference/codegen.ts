// JavaScript generation for the reference target. In: discrete IR expressions and statements plus the
// arrays they run on; out: plain JS functions built with `new Function`, one loop per group phase or
// projection handler over Float64Array SoA state. Scalar parameters are inlined as literals.

import type { BuiltinFn, IRExpr, IRStmt, Ref } from "../../compiler/ir/nodes.js";
import { TargetError } from "../target.js";

/** A JS literal that reads back as exactly `v` (String() round-trips float64). */
export function numLit(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (Object.is(v, -0)) return "(-0)";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  return v < 0 ? `(${String(v)})` : String(v);
}

/** Collects the values a generated function closes over, and builds it. */
export class JsBuilder {
  private readonly names: string[] = [];
  private readonly vals: unknown[] = [];
  private readonly memo = new Map<unknown, string>();

  /** A JS identifier bound to `value` (the same object always gets the same name). */
  bind(value: unknown, hint: string): string {
    const known = this.memo.get(value);
    if (known) return known;
    const name = `${hint.replace(/[^A-Za-z0-9_]/g, "_")}$${this.names.length}`;
    this.names.push(name);
    this.vals.push(value);
    if (typeof value === "object" && value !== null) this.memo.set(value, name);
    return name;
  }

  /** Builds `function (params) { body }` closing over every bound value. */
  build<F>(params: string[], body: string): F {
    const src = `"use strict";\nreturn function (${params.join(", ")}) {\n${body}\n};`;
    try {
      // Math is passed in as a binding: global lookups inside vm contexts (jest) are slow in hot loops.
      // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- this is the code generator
      return new Function("Math", ...this.names, src)(Math, ...this.vals) as F;
    } catch (err) {
      throw new Error(`internal: generated code does not compile: ${(err as Error).message}\n${src}`, { cause: err });
    }
  }
}

/** Maps a ref to a JS expression (or lvalue when `write`); throws TargetError when unsupported. */
export type Resolver = (r: Ref, write: boolean) => string;

export const localName = (name: string): string => `l_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;

/** Each built-in function as JS over its argument expressions (the float64 rows of compiler/builtins). */
const CALL_JS = {
  exp: (a) => `Math.exp(${a[0]})`,
  log: (a) => `Math.log(${a[0]})`,
  sqrt: (a) => `Math.sqrt(${a[0]})`,
  abs: (a) => `Math.abs(${a[0]})`,
  min: (a) => `Math.min(${a[0]}, ${a[1]})`,
  max: (a) => `Math.max(${a[0]}, ${a[1]})`,
  clip: (a) => `Math.min(Math.max(${a[0]}, ${a[1]}), ${a[2]})`,
  tanh: (a) => `Math.tanh(${a[0]})`,
  sigmoid: (a) => `(1 / (1 + Math.exp(-${a[0]})))`,
  pow: (a) => `Math.pow(${a[0]}, ${a[1]})`,
  floor: (a) => `Math.floor(${a[0]})`,
  ceil: (a) => `Math.ceil(${a[0]})`,
  int: (a) => `Math.trunc(${a[0]})`,
  heaviside: (a) => `(${a[0]} > 0 ? 1 : 0)`,
  sin: (a) => `Math.sin(${a[0]})`,
  cos: (a) => `Math.cos(${a[0]})`,
} satisfies Record<BuiltinFn, (args: readonly string[]) => string>;

/** One IR expression as a fully parenthesized JS expression (semantics of targets/network/eval.ts). */
export function exprJs(e: IRExpr, res: Resolver): string {
  switch (e.k) {
    case "num":
      return numLit(e.v);
    case "bool":
      return e.v ? "true" : "false";
    case "ref":
      return res(e.ref, false);
    case "neg":
      return `(-${exprJs(e.a, res)})`;
    case "not":
      return `(!${exprJs(e.a, res)})`;
    case "sel":
      return `(${exprJs(e.c, res)} ? ${exprJs(e.a, res)} : ${exprJs(e.b, res)})`;
    case "call": {
      return CALL_JS[e.fn](e.args.map((a) => exprJs(a, res)));
    }
    case "bin": {
      const a = exprJs(e.a, res);
      const b = exprJs(e.b, res);
      switch (e.op) {
        case "pow":
          return `Math.pow(${a}, ${b})`;
        case "and":
          return `(${a} && ${b})`;
        case "or":
          return `(${a} || ${b})`;
        case "==":
          return `(${a} === ${b})`;
        case "!=":
          return `(${a} !== ${b})`;
        default:
          return `(${a} ${e.op} ${b})`;
      }
    }
  }
}

/** Names of every `let` in a statement list (declared once at the top of the generated body). */
export function collectLocals(stmts: readonly IRStmt[], into: Set<string> = new Set()): Set<string> {
  for (const s of stmts) {
    if (s.k === "let") into.add(s.name);
    else if (s.k === "if") {
      collectLocals(s.then, into);
      collectLocals(s.otherwise, into);
    }
  }
  return into;
}

/** `let l_a = 0, l_b = 0;` for the locals of `stmts` ("" when none). */
export function declareLocals(stmts: readonly IRStmt[]): string {
  const names = [...collectLocals(stmts)];
  return names.length ? `let ${names.map((n) => `${localName(n)} = 0`).join(", ")};` : "";
}

/** Statements in order (each sees the effect of the previous ones). */
export function stmtsJs(stmts: readonly IRStmt[], res: Resolver, indent = "    "): string {
  const out: string[] = [];
  for (const s of stmts) {
    switch (s.k) {
      case "let":
        out.push(`${indent}${localName(s.name)} = ${exprJs(s.value, res)};`);
        break;
      case "assign":
        out.push(`${indent}${res(s.target, true)} = ${exprJs(s.value, res)};`);
        break;
      case "if":
        out.push(`${indent}if (${exprJs(s.c, res)}) {`);
        out.push(stmtsJs(s.then, res, indent + "  "));
        if (s.otherwise.length) {
          out.push(`${indent}} else {`);
          out.push(stmtsJs(s.otherwise, res, indent + "  "));
        }
        out.push(`${indent}}`);
        break;
    }
  }
  return out.join("\n");
}

export function unsupported(r: Ref, where: string): never {
  throw new TargetError(`the reference target cannot read ${r.space}${r.name ? "." + r.name : ""} in ${where}`);
}
