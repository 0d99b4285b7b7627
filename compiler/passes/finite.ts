// The fold pass's check that every instance's constants are finite, once the arguments of populations
// and connects are bound: an infinite or NaN number (E0310), a division by a constant zero (E0311, e.g.
// `-v / tau` for a population given `tau = 0 ms`: an infinite rate would hang the exact solver) and a
// negative refractory period (E0416). The checker reports what a model's own defaults make so; this
// reports the rest at the most specific span the IR holds (expression, statement, equation, population).
// In: a folded IRProgram and the pass's diagnostics; out: diagnostics only.

import type { Diagnostics, Related } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { IRExpr, IRInit, IRProgram, IRStmt, IRVar } from "../ir/nodes.js";
import { children } from "../ir/expr.js";
import { exprSpan, networkSpan } from "../ir/spans.js";

type Problem = { code: "E0310" | "E0311"; span: Span | undefined; value: number };

/** The first non-finite number or division by a constant zero in `e` (depth first), with the nearest span. */
export function findProblem(root: IRExpr): Problem | undefined {
  const stack: { e: IRExpr; span: Span | undefined }[] = [{ e: root, span: exprSpan(root) }];
  while (stack.length > 0) {
    const { e, span } = stack.pop()!;
    if (e.k === "num" && !Number.isFinite(e.v)) return { code: "E0310", span, value: e.v };
    if (e.k === "bin" && e.op === "/" && e.b.k === "num" && e.b.v === 0)
      return { code: "E0311", span: exprSpan(e.b) ?? span, value: 0 };
    // a branch a constant condition never takes is not checked
    const kids = e.k === "sel" && e.c.k === "bool" ? [e.c.v ? e.a : e.b] : children(e);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ e: kids[i]!, span: exprSpan(kids[i]!) ?? span });
  }
  return undefined;
}

interface Where {
  span: Span;
  related: Related[];
  what: string;
}

function report(p: Problem, where: Where, diagnostics: Diagnostics): void {
  const span = p.span ?? where.span;
  if (p.code === "E0311") {
    diagnostics.error("E0311", span, `division by zero in ${where.what}: the divisor is a constant 0`, {
      related: where.related,
      hint: "give the value it divides by a nonzero value (a time constant of 0 would make the rate infinite)",
    });
  } else {
    const shown = Number.isNaN(p.value) ? "NaN" : p.value > 0 ? "infinity" : "-infinity";
    diagnostics.error("E0310", span, `a constant in ${where.what} is ${shown}`, {
      related: where.related,
      hint: "every value must be a finite number; check the arguments and parameters this expression uses",
    });
  }
}

function checkExpr(e: IRExpr, where: Where, diagnostics: Diagnostics): void {
  const p = findProblem(e);
  if (p) report(p, where, diagnostics);
}

function checkStmts(stmts: readonly IRStmt[], where: Where, diagnostics: Diagnostics): void {
  for (const s of stmts) {
    const w = s.span ? { ...where, span: s.span } : where;
    if (s.k === "if") {
      checkExpr(s.c, w, diagnostics);
      if (!(s.c.k === "bool" && !s.c.v)) checkStmts(s.then, w, diagnostics);
      if (!(s.c.k === "bool" && s.c.v)) checkStmts(s.otherwise, w, diagnostics);
    } else checkExpr(s.value, w, diagnostics);
  }
}

function checkInit(init: IRInit, where: Where, diagnostics: Diagnostics): void {
  for (const e of init.k === "expr" ? [init.e] : init.k === "dist" ? init.args : []) checkExpr(e, where, diagnostics);
}

function checkVars(vars: readonly IRVar[], where: Where, diagnostics: Diagnostics): void {
  for (const v of vars) checkInit(v.init, v.span ? { ...where, span: v.span } : where, diagnostics);
}

export function reportNonFinite(p: IRProgram, diagnostics: Diagnostics): void {
  for (const g of p.groups) {
    const span = g.span ?? networkSpan(p);
    const related = g.span ? [{ span: g.span, message: `population ${g.name} uses ${g.model}` }] : [];
    const where: Where = { span, related, what: `population ${g.name}` };
    checkVars([...g.params, ...g.state, ...g.inputs], where, diagnostics);
    for (const o of g.odes) checkExpr(o.rhs, o.span ? { ...where, span: o.span } : where, diagnostics);
    for (const a of g.aliases) checkExpr(a.expr, where, diagnostics);
    for (const list of [g.update, g.reset, g.onSynapsePre, g.onSynapsePost]) checkStmts(list, where, diagnostics);
    if (g.threshold) checkExpr(g.threshold, { ...where, span: g.handlerSpans?.spike ?? span }, diagnostics);
    for (const x of g.exposes) checkExpr(x.expr, where, diagnostics);
    if (g.refractory && g.refractory.steps < 0) {
      diagnostics.error("E0416", span, `the refractory period of population ${g.name} is negative`, {
        related: g.modelSpan ? [{ span: g.modelSpan, message: `the model ${g.model}` }] : [],
        hint: "give the refractory period a time of 0 or more",
      });
    }
  }
  for (const pr of p.projections) {
    const span = pr.span ?? networkSpan(p);
    const related = pr.span ? [{ span: pr.span, message: `projection ${pr.name} uses ${pr.synapse}` }] : [];
    const where: Where = { span, related, what: `projection ${pr.name}` };
    checkInit(pr.delay, where, diagnostics);
    checkVars([...pr.params, ...pr.state], where, diagnostics);
    for (const o of pr.odes) checkExpr(o.rhs, o.span ? { ...where, span: o.span } : where, diagnostics);
    for (const list of [pr.onPre, pr.onPost, pr.continuous]) checkStmts(list, where, diagnostics);
  }
}
