// Rule: initial values of parameters and state variables are computed once, before the first step.
// A parameter's value reads parameters and constants only; a state variable's initial value may also
// read other state variables' initial values (`u = b * v`), in any declaration order. Reading an input or
// an alias, or a parameter reading a state variable, is E0414; values that depend on each other in a
// cycle are E0415. In: a ModelEnv; out: diagnostics.

import type { Decl, Expr } from "../../syntax/ast.js";
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
  for (const d of m.inputs) dynamic.set(d.name, "input");
  for (const q of m.equations) if (q.kind === "Alias") dynamic.set(q.name, "alias");
  const stateNames = new Set(m.state.map((d) => d.name));

  for (const [list, isState] of [
    [m.parameters, false],
    [m.state, true],
  ] as const) {
    for (const d of list) {
      if (!d.value) continue;
      for (const r of nameRefs(d.value)) {
        const what = dynamic.get(r.name) ?? (!isState && stateNames.has(r.name) ? "state variable" : undefined);
        if (what) {
          env.diags.error("E0414", r.span, `the initial value of \`${d.name}\` reads the ${what} \`${r.name}\``, {
            hint: isState
              ? "initial values are computed before the first step from parameters, other initial values and constants"
              : "parameter values are computed before the first step from parameters and constants only",
          });
        }
      }
    }
  }

  // cycles among values: depth-first search over a value -> the values it reads (params read params; state
  // reads params and state), with an explicit stack: a chain of thousands (`p0 = p1`, `p1 = p2`, ...) must not
  // exhaust the call stack
  const decls = new Map<string, Decl>();
  for (const d of m.parameters) decls.set(d.name, d);
  for (const d of m.state) if (!decls.has(d.name)) decls.set(d.name, d);
  const mark = new Map<string, 0 | 1 | 2>(); // 0 new, 1 on the stack, 2 done
  const visit = (root: string): void => {
    const stack: { name: string; reads: string[]; next: number }[] = [];
    const open = (name: string): void => {
      mark.set(name, 1);
      const value = decls.get(name)!.value;
      const reads = value ? nameRefs(value).flatMap((r) => (decls.has(r.name) ? [r.name] : [])) : [];
      stack.push({ name, reads, next: 0 });
    };
    open(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.reads.length) {
        stack.pop();
        mark.set(top.name, 2);
        continue;
      }
      const name = top.reads[top.next++]!;
      const at = mark.get(name) ?? 0;
      if (at === 0) open(name);
      else if (at === 1) {
        const names = stack.map((f) => f.name);
        const cycle = [...names.slice(names.indexOf(name)), name].join(" -> ");
        const kind = stateNames.has(name) ? "initial values" : "parameter values";
        env.diags.error("E0415", decls.get(name)!.nameSpan, `${kind} depend on each other in a cycle: ${cycle}`, {
          hint: "give one of them a constant value",
        });
      }
    }
  };
  for (const name of decls.keys()) if ((mark.get(name) ?? 0) === 0) visit(name);
}
