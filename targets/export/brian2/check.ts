// What the Brian2 exporter refuses, before it writes anything. In: the continuous IR and the methods solve-odes
// chose; out: E0808 diagnostics naming the construct, with a caret on it (the modulator, the astrocyte handler,
// the handler, the equation). A script that silently simulates something else is never written.

import type { Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import type { IRExpr, IRProgram, IRProjection, IRStmt } from "../../../compiler/ir/nodes.js";
import { forEachRef } from "../../../compiler/ir/expr.js";
import { exprSpan } from "../../../compiler/ir/spans.js";
import type { Method } from "../../../compiler/builtins/settings.js";
import { refusal } from "../refuse.js";
import { checkAstro } from "./astro-handlers.js";
import { checkModulators } from "./modulators.js";

/** One Brian2 method per group: glia's when it chose one; else exponential_euler when it chose exact and
 *  exponential_euler (exact for the linear decays that depend on themselves only), rk4 when rk4 is among them;
 *  undefined (refused) when forward Euler is mixed with anything. */
export function groupMethod(chosen: Record<string, Method> | null): Method | null | undefined {
  const distinct = chosen ? [...new Set(Object.values(chosen))] : [];
  if (distinct.length === 0) return null;
  if (distinct.length === 1) return distinct[0]!;
  if (distinct.includes("euler")) return undefined;
  return distinct.includes("rk4") ? "rk4" : "exponential_euler";
}

export function checkBrian2(
  ir: IRProgram,
  methods: Map<string, Record<string, Method> | null>,
  eventDriven: Map<string, string[]>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const say = (span: Parameters<typeof refusal>[1], construct: string, hint?: string): void => {
    out.push(refusal("brian2", span ?? ir.spans?.network, construct, hint));
  };
  out.push(...checkModulators(ir), ...checkAstro(ir));
  for (const g of ir.groups) {
    const chosen = methods.get(g.name) ?? null;
    const one = groupMethod(chosen);
    const per = Object.entries(chosen ?? {})
      .map(([v, m]) => `${v}: ${m}`)
      .join(", ");
    if (one && new Set(Object.values(chosen ?? {})).size > 1)
      out.push({
        code: "W1009",
        severity: "warning",
        message: `Brian2 integrates ${g.name} (${g.model}) with ${one}; glia chose per variable (${per})`,
        span: g.modelSpan ?? g.span ?? ir.spans!.network,
        related: [],
        hint: "spike times can differ by the integration error (of order dt^2 per step); name one method in the model for step-identical runs",
      });
    if (one === undefined)
      say(
        g.modelSpan ?? g.span,
        `integration methods differing within one group (${Object.entries(chosen!)
          .map(([v, m]) => `${v}: ${m}`)
          .join(", ")})`,
        "Brian2 integrates a NeuronGroup with one method; give the model one method that fits every equation",
      );
    const stmts = [...g.reset];
    checkExprs(
      g.odes.map((o) => o.rhs),
      g.span,
    );
    checkExprs(
      g.aliases.map((a) => a.expr),
      g.span,
    );
    if (g.threshold) checkExprs([g.threshold], g.handlerSpans?.spike ?? g.span);
    checkStmts(stmts, g.handlerSpans?.spike ?? g.span);
  }
  for (const p of ir.projections) checkProjection(p);
  return out;

  function checkProjection(p: IRProjection): void {
    const ed = new Set(eventDriven.get(p.name) ?? []);
    for (const o of p.odes) if (!ed.has(o.name)) say(o.span ?? p.span, `the clock-driven synapse equation ${o.name}'`);
    checkStmts(p.onPre, p.handlerSpans?.pre ?? p.span);
    checkStmts(p.onPost, p.handlerSpans?.post ?? p.span);
    checkStmts(p.continuous, p.handlerSpans?.continuous ?? p.span);
    const preG = ir.groups.find((g) => g.name === p.pre.population);
    const postG = ir.groups.find((g) => g.name === p.post.population);
    const all = [...p.onPre, ...p.onPost, ...p.continuous];
    for (const s of all)
      walk(s, (e) =>
        forEachRef(e, (r) => {
          if (p.continuous.includes(s) && r.space !== "pre" && r.space !== "post" && ed.has(r.name))
            say(s.span ?? p.span, `a continuous coupling reading the event-driven variable ${r.name}`);
        }),
      );
    for (const s of p.continuous)
      if (s.k === "assign" && s.target.space !== "pre" && s.target.space !== "post")
        say(s.span ?? p.span, `a continuous block writing the synapse variable ${s.target.name}`);
      else if (s.k === "assign") {
        const g = s.target.space === "pre" ? preG : postG;
        if (!g?.inputs.some((v) => v.name === s.target.name))
          say(
            s.span ?? p.span,
            `a continuous block writing the state variable ${s.target.space}.${s.target.name} (Brian2 sums only into a variable the group clears)`,
          );
      } else if (s.k === "if") say(s.span ?? p.span, "an 'if' inside a continuous block");
  }

  function checkExprs(es: IRExpr[], span: Parameters<typeof refusal>[1]): void {
    for (const e of es)
      forEachRef(e, (r) => {
        const bad = badRef(r.space);
        if (bad) say(exprSpan(e) ?? span, bad);
      });
  }

  function checkStmts(stmts: readonly IRStmt[], span: Parameters<typeof refusal>[1]): void {
    for (const s of stmts) {
      walk(s, (e) =>
        forEachRef(e, (r) => {
          const bad = badRef(r.space);
          if (bad) say(exprSpan(e) ?? s.span ?? span, bad);
        }),
      );
      if (s.k === "if" && [...s.then, ...s.otherwise].some((x) => x.k !== "assign"))
        say(
          s.span ?? span,
          "an 'if' whose branches declare locals or nest another 'if'",
          "Brian2's abstract code has no branches; the exporter writes an 'if' of plain assignments as selections only",
        );
    }
  }
}

function badRef(space: string): string | undefined {
  switch (space) {
    case "poprate":
    case "popmean":
      return "a network modulator read (rate(POP), mean(POP.var))";
    default:
      return undefined;
  }
}

function walk(s: IRStmt, f: (e: IRExpr) => void): void {
  if (s.k === "assign" || s.k === "let") f(s.value);
  else {
    f(s.c);
    s.then.forEach((x) => walk(x, f));
    s.otherwise.forEach((x) => walk(x, f));
  }
}
