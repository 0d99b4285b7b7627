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
  // an explicit stack: a chain of thousands of parameters (`p0 = p1`, `p1 = p2`, ...) must not exhaust the call stack
  const visit = (root: string): void => {
    const stack: { name: string; reads: string[]; next: number }[] = [];
    const open = (name: string): void => {
      state.set(name, 1);
      const value = params.get(name)!.value;
      const reads = value ? nameRefs(value).flatMap((r) => (params.has(r.name) ? [r.name] : [])) : [];
      stack.push({ name, reads, next: 0 });
    };
    open(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.reads.length) {
        stack.pop();
        state.set(top.name, 2);
        continue;
      }
      const name = top.reads[top.next++]!;
      const mark = state.get(name) ?? 0;
      if (mark === 0) open(name);
      else if (mark === 1) {
        const names = stack.map((f) => f.name);
        const cycle = [...names.slice(names.indexOf(name)), name].join(" -> ");
        env.diags.error(
          "E0415",
          params.get(name)!.nameSpan,
          `parameter values depend on each other in a cycle: ${cycle}`,
          {
            hint: "give one of them a constant value",
          },
        );
      }
    }
  };
  for (const p of m.parameters) if ((state.get(p.name) ?? 0) === 0) visit(p.name);
}
