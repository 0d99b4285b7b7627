// Small AST walkers shared by rules: every expression inside an expression, statement list or model.
// In: AST nodes; out: callbacks on each sub-expression / statement (no results, no reporting).

import type { Expr, ModelDef, Stmt } from "../syntax/ast.js";

export function forEachExpr(e: Expr, f: (x: Expr) => void): void {
  f(e);
  switch (e.kind) {
    case "Unary":
      forEachExpr(e.operand, f);
      break;
    case "Binary":
      forEachExpr(e.left, f);
      forEachExpr(e.right, f);
      break;
    case "Conditional":
      forEachExpr(e.cond, f);
      forEachExpr(e.then, f);
      forEachExpr(e.otherwise, f);
      break;
    case "Call":
      e.args.forEach((a) => forEachExpr(a.value, f));
      break;
    case "List":
      e.items.forEach((x) => forEachExpr(x, f));
      break;
    default:
      break;
  }
}

export function forEachStmt(list: readonly Stmt[], f: (s: Stmt) => void): void {
  for (const s of list) {
    f(s);
    if (s.kind === "If") {
      forEachStmt(s.then, f);
      forEachStmt(s.otherwise, f);
    }
  }
}

/** Every top-level expression of a model (declaration values, equations, handlers, spike, ...). */
export function modelExprs(m: ModelDef): Expr[] {
  const out: Expr[] = [];
  for (const d of [...m.parameters, ...m.state, ...m.inputs]) if (d.value) out.push(d.value);
  for (const eq of m.equations) out.push(eq.value);
  const stmts = [...m.handlers.flatMap((h) => h.body), ...(m.spike?.reset ?? [])];
  forEachStmt(stmts, (s) => {
    if (s.kind === "If") out.push(s.cond);
    else out.push(s.value);
  });
  if (m.spike) out.push(m.spike.condition);
  if (m.refractory) out.push(m.refractory.period);
  for (const x of m.exposes) out.push(x.value);
  if (m.dt) out.push(m.dt);
  return out;
}

/** Names read by an expression (bare names only). */
export function namesIn(e: Expr): string[] {
  const out: string[] = [];
  forEachExpr(e, (x) => {
    if (x.kind === "Name") out.push(x.name);
  });
  return out;
}
