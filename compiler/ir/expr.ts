// IR expression and statement helpers shared by the builder, printer, verifier and passes.
// In: IRExpr / IRStmt trees; out: new trees (constructors, rewriting, substitution), ref walks,
// structural keys for equality and hashing. Nothing here mutates its input.

import type { BinOp, BuiltinFn, IRExpr, IRStmt, Ref, RefSpace } from "./nodes.js";
import { attachSpan, exprSpan, keepSpan } from "./spans.js";

// ---------------------------------------------------------------- constructors

export const num = (v: number): IRExpr => ({ k: "num", v });
export const bool = (v: boolean): IRExpr => ({ k: "bool", v });
export const ref = (space: RefSpace, name: string): IRExpr => ({ k: "ref", ref: { space, name } });
export const neg = (a: IRExpr): IRExpr => ({ k: "neg", a });
export const bin = (op: BinOp, a: IRExpr, b: IRExpr): IRExpr => ({ k: "bin", op, a, b });
export const add = (a: IRExpr, b: IRExpr): IRExpr => bin("+", a, b);
export const sub = (a: IRExpr, b: IRExpr): IRExpr => bin("-", a, b);
export const mul = (a: IRExpr, b: IRExpr): IRExpr => bin("*", a, b);
export const div = (a: IRExpr, b: IRExpr): IRExpr => bin("/", a, b);
export const call = (fn: BuiltinFn, ...args: IRExpr[]): IRExpr => ({ k: "call", fn, args });
export const sel = (c: IRExpr, a: IRExpr, b: IRExpr): IRExpr => ({ k: "sel", c, a, b });

export const isNum = (e: IRExpr, v?: number): e is { k: "num"; v: number } =>
  e.k === "num" && (v === undefined || Object.is(e.v, v) || e.v === v);

// ---------------------------------------------------------------- walking and rewriting

/** The direct children of an expression, in order. */
export function children(e: IRExpr): IRExpr[] {
  switch (e.k) {
    case "num":
    case "bool":
    case "ref":
      return [];
    case "neg":
    case "not":
      return [e.a];
    case "bin":
      return [e.a, e.b];
    case "sel":
      return [e.c, e.a, e.b];
    case "call":
      return e.args;
  }
}

/** Rebuilds `e` with new children (same order as `children`), keeping its source span. */
export function withChildren(e: IRExpr, cs: IRExpr[]): IRExpr {
  const out = rebuilt(e, cs);
  return out === e ? e : attachSpan(out, exprSpan(e));
}

function rebuilt(e: IRExpr, cs: IRExpr[]): IRExpr {
  switch (e.k) {
    case "num":
    case "bool":
    case "ref":
      return e;
    case "neg":
    case "not":
      return { k: e.k, a: cs[0]! };
    case "bin":
      return { k: "bin", op: e.op, a: cs[0]!, b: cs[1]! };
    case "sel":
      return { k: "sel", c: cs[0]!, a: cs[1]!, b: cs[2]! };
    case "call":
      return { k: "call", fn: e.fn, args: cs };
  }
}

/** Bottom-up rewrite: children first, then `f` on the rebuilt node (return undefined to keep it). */
export function rewrite(e: IRExpr, f: (e: IRExpr) => IRExpr | undefined): IRExpr {
  const cs = children(e);
  const node =
    cs.length === 0
      ? e
      : withChildren(
          e,
          cs.map((c) => rewrite(c, f)),
        );
  const r = f(node);
  return r === undefined ? node : keepSpan(node, r);
}

/** Replaces refs for which `f` returns an expression. */
export function substitute(e: IRExpr, f: (r: Ref) => IRExpr | undefined): IRExpr {
  return rewrite(e, (n) => (n.k === "ref" ? f(n.ref) : undefined));
}

/** Calls `f` for every ref in `e`. */
export function forEachRef(e: IRExpr, f: (r: Ref) => void): void {
  if (e.k === "ref") f(e.ref);
  for (const c of children(e)) forEachRef(c, f);
}

export function mentions(e: IRExpr, pred: (r: Ref) => boolean): boolean {
  if (e.k === "ref") return pred(e.ref);
  return children(e).some((c) => mentions(c, pred));
}

/** Number of nodes. */
export function size(e: IRExpr): number {
  let n = 1;
  for (const c of children(e)) n += size(c);
  return n;
}

/** A canonical string for structural equality (numbers by exact value, -0 distinct from 0). */
export function exprKey(e: IRExpr): string {
  switch (e.k) {
    case "num":
      return Object.is(e.v, -0) ? "#-0" : `#${e.v}`;
    case "bool":
      return e.v ? "#true" : "#false";
    case "ref":
      return `${e.ref.space}:${e.ref.name}`;
    case "neg":
      return `(neg ${exprKey(e.a)})`;
    case "not":
      return `(not ${exprKey(e.a)})`;
    case "bin":
      return `(${e.op} ${exprKey(e.a)} ${exprKey(e.b)})`;
    case "sel":
      return `(? ${exprKey(e.c)} ${exprKey(e.a)} ${exprKey(e.b)})`;
    case "call":
      return `(${e.fn} ${e.args.map(exprKey).join(" ")})`;
  }
}

export const exprEq = (a: IRExpr, b: IRExpr): boolean => exprKey(a) === exprKey(b);

// ---------------------------------------------------------------- statements

/** Applies `f` to every expression of a statement list (conditions, values); targets unchanged. */
export function mapStmtExprs(stmts: readonly IRStmt[], f: (e: IRExpr) => IRExpr): IRStmt[] {
  return stmts.map((s): IRStmt => {
    switch (s.k) {
      case "assign":
        return withStmtSpan({ k: "assign", target: s.target, value: f(s.value) }, s);
      case "let":
        return withStmtSpan({ k: "let", name: s.name, value: f(s.value) }, s);
      case "if":
        return withStmtSpan(
          { k: "if", c: f(s.c), then: mapStmtExprs(s.then, f), otherwise: mapStmtExprs(s.otherwise, f) },
          s,
        );
    }
  });
}

/** `s` with the source span of `from` (if it has one). */
export function withStmtSpan<S extends IRStmt>(s: S, from: IRStmt): S {
  if (from.span) s.span = from.span;
  return s;
}

/** Calls `f` for every expression in a statement list. */
export function forEachStmtExpr(stmts: readonly IRStmt[], f: (e: IRExpr) => void): void {
  for (const s of stmts) {
    if (s.k === "if") {
      f(s.c);
      forEachStmtExpr(s.then, f);
      forEachStmtExpr(s.otherwise, f);
    } else f(s.value);
  }
}

/** Calls `f` for every assignment target in a statement list. */
export function forEachTarget(stmts: readonly IRStmt[], f: (r: Ref) => void): void {
  for (const s of stmts) {
    if (s.k === "assign") f(s.target);
    else if (s.k === "if") {
      forEachTarget(s.then, f);
      forEachTarget(s.otherwise, f);
    }
  }
}
