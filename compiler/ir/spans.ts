// Source spans on IR nodes, for diagnostics after the checker (targets, hardware mapping). In: IR nodes
// and AST spans; out: the same nodes annotated, and the most specific span for a group, projection or
// expression, falling back to the network declaration. Expression spans are non-enumerable properties:
// toEqual, printIR and irToJson ignore them, and rewrites keep them only through withChildren/keepSpan.

import type { Span } from "../diagnostics/span.js";
import { syntheticSpan } from "../diagnostics/span.js";
import type { IRExpr, IROde, IRProgram, IRStmt } from "./nodes.js";

/** The IR keys that hold spans; irToJson leaves them out. */
export const SPAN_KEYS: ReadonlySet<string> = new Set([
  "span",
  "modelSpan",
  "handlerSpans",
  "ensheathSpan",
  "spans",
  "aliasSpans",
]);

/** Sets `e`'s span (non-enumerable) and returns `e`. */
export function attachSpan<T extends object>(e: T, span: Span | undefined): T {
  if (span) Object.defineProperty(e, "span", { value: span, enumerable: false, writable: true, configurable: true });
  return e;
}

/** The span an expression node was lowered from, if any. */
export function exprSpan(e: IRExpr): Span | undefined {
  return (e as { span?: Span }).span;
}

/** `to` with `from`'s expression span when `to` has none (a shallow copy: `to` may be shared). */
export function keepSpan(from: IRExpr, to: IRExpr): IRExpr {
  const s = exprSpan(from);
  return s && to !== from && !exprSpan(to) ? attachSpan({ ...to }, s) : to;
}

/** The network declaration's span, or `NETWORK:1:1` for IR with no source. */
export function networkSpan(p: Pick<IRProgram, "network" | "spans">): Span {
  return p.spans?.network ?? syntheticSpan(p.network || "<network>");
}

/** The population statement of group `name`, else the network's span. */
export function groupSpan(p: IRProgram, name: string): Span {
  return p.groups.find((g) => g.name === name)?.span ?? p.spans?.sources[name] ?? networkSpan(p);
}

/** The connect statement of projection `name`, else the network's span. */
export function projectionSpan(p: IRProgram, name: string): Span {
  return p.projections.find((x) => x.name === name)?.span ?? networkSpan(p);
}

/** The first statement span in a statement list (depth first), if any. */
export function firstStmtSpan(stmts: readonly IRStmt[], pred: (s: IRStmt) => boolean = () => true): Span | undefined {
  for (const s of stmts) {
    if (pred(s) && s.span) return s.span;
    if (s.k === "if") {
      const inner = firstStmtSpan(s.then, pred) ?? firstStmtSpan(s.otherwise, pred);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Gives each emitted statement the span of the equation it advances (`x__new`, `x__k2`, ... and `x = ...`). */
export function odeSpans(stmts: IRStmt[], odes: readonly IROde[]): IRStmt[] {
  const byName = [...odes].sort((a, b) => b.name.length - a.name.length);
  for (const s of stmts) {
    const name = s.k === "let" ? s.name : s.k === "assign" ? s.target.name : "";
    const o = byName.find((x) => name === x.name || name.startsWith(`${x.name}__`));
    if (o?.span && !s.span) s.span = o.span;
  }
  return stmts;
}
