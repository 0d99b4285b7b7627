// Rule: initial values of parameters and state variables are computed once, before the first step,
// from parameters only: they may not read state, inputs or aliases (E0414), and parameter values may
// not depend on each other in a cycle (E0415). In: a ModelEnv; out: diagnostics.

import type { Expr } from "../../syntax/ast.js";
import type { ModelEnv } from "../model-env.js";
import { forEachExpr } from "../walk.js";

function nameRefs(e: Expr): { name: string; span: Expr["span"] }[] {
  const out: { name: string; span: Expr["span"] }[] = [];
  forEachExpr(e, (x) => {
    if (x.kind === "Name") out.push({ name: x.name, span: x.span });
  });
  return out;
}

export function checkInitialValues(env: ModelEnv): void {
  const m = env.model;
  const dynamic = new Map<string, string>();
  for (const d of m.state) dynamic.set(d.name, "state variable");
  for (const d of m.inputs) dynamic.set(d.name, "input");
  for (const q of m.equations) if (q.kind === "Alias") dynamic.set(q.name, "alias");

  for (const d of [...m.parameters, ...m.state]) {
    if (!d.value) continue;
    for (const r of nameRefs(d.value)) {
      const what = dynamic.get(r.name);
      if (what) {
        env.diags.error("E0414", r.span, `the initial value of \`${d.name}\` reads the ${what} \`${r.name}\``, {
          hint: "initial values are computed before the first step from parameters and constants only; use the parameter that sets it",
        });
      }
    }
  }

  // cycles among parameter values: depth-first search over parameter -> parameters it reads
  const params = new Map(m.parameters.map((p) => [p.name, p]));
  const state = new Map<string, 0 | 1 | 2>(); // 0 new, 1 on the stack, 2 done
  const visit = (name: string, stack: string[]): void => {
    const mark = state.get(name) ?? 0;
    if (mark === 2) return;
    const decl = params.get(name)!;
    if (mark === 1) {
      const cycle = [...stack.slice(stack.indexOf(name)), name].join(" -> ");
      env.diags.error("E0415", decl.nameSpan, `parameter values depend on each other in a cycle: ${cycle}`, {
        hint: "give one of them a constant value",
      });
      return;
    }
    state.set(name, 1);
    if (decl.value) for (const r of nameRefs(decl.value)) if (params.has(r.name)) visit(r.name, [...stack, name]);
    state.set(name, 2);
  };
  for (const p of m.parameters) visit(p.name, []);
}
