// Pass "event-driven": synapse ODEs become lazy closed-form advances at the start of the handlers.
// In: an IRProgram; out: a new IRProgram whose projections have no odes, `eventDriven` listing the
// variables, and a prefix in onPre / onPost (and continuous, when it reads them); the pass manager
// appends "event-driven".
//
// For x' = a x + b (a, b free of x): x = x e^{a·elapsed} + (b/a)(e^{a·elapsed} - 1), or x + b·elapsed
// when a == 0, with `elapsed` the time since the synapse's last update (targets keep lastUpdate per
// synapse and set it to t after each handler that carries the prefix). An ODE that is not linear in
// its own variable (the checker should have rejected it, E0410) is advanced by one Euler step over
// elapsed, with a W1008 warning at its equation.

import type { IRExpr, IRProjection, IRProgram, IRStmt } from "../ir/nodes.js";
import { add, bin, call, div, mentions, mul, num, ref, sel, sub } from "../ir/expr.js";
import { forEachStmtExpr } from "../ir/expr.js";
import type { Diagnostics } from "../diagnostics/diagnostic.js";
import { syntheticSpan } from "../diagnostics/span.js";
import type { PassContext } from "./manager.js";
import { odeSpans } from "../ir/spans.js";
import { bindParams, constantParams } from "./fold.js";
import { simplify } from "./rules.js";
import { affine } from "./linear.js";

const elapsed = ref("elapsed", "elapsed");

/** Closed-form advance of x over `elapsed` for x' = a x + b. */
export function advanceExpr(x: string, a: IRExpr, b: IRExpr): IRExpr {
  const xs = ref("state", x);
  const growth = (av: IRExpr) => call("exp", mul(av, elapsed));
  const general = (av: IRExpr) => add(mul(xs, growth(av)), mul(div(b, av), sub(growth(av), num(1))));
  if (a.k === "num") {
    if (a.v === 0) return simplify(add(xs, mul(b, elapsed)));
    if (b.k === "num" && b.v === 0) return simplify(mul(xs, growth(a)));
    return simplify(general(a));
  }
  return sel(bin("==", a, num(0)), add(xs, mul(b, elapsed)), general(a));
}

function lowerProjection(pr: IRProjection, diagnostics: Diagnostics): IRProjection {
  if (pr.odes.length === 0) return pr;
  const env = constantParams(pr.params);
  const prefix: IRStmt[] = [];
  for (const o of pr.odes) {
    const rhs = simplify(bindParams(o.rhs, env));
    const aff = affine(rhs, new Set([o.name]));
    if (!aff) {
      diagnostics.warning(
        "W1008",
        o.span ?? pr.modelSpan ?? pr.span ?? syntheticSpan(pr.synapse),
        `the equation of ${o.name} in synapse ${pr.synapse} is not linear in ${o.name}, so it has no closed-form advance between events; ${o.name} is advanced by one Euler step over the time since its last update`,
        {
          hint: `write it as ${o.name}' = a ${o.name} + b with a and b free of ${o.name}`,
        },
      );
    }
    const value = aff
      ? advanceExpr(o.name, aff.coeffs.get(o.name) ?? num(0), aff.rest)
      : simplify(add(ref("state", o.name), mul(rhs, elapsed)));
    prefix.push({ k: "let", name: `${o.name}__new`, value });
  }
  for (const o of pr.odes)
    prefix.push({ k: "assign", target: { space: "state", name: o.name }, value: ref("local", `${o.name}__new`) });
  odeSpans(prefix, pr.odes);
  const vars = new Set(pr.odes.map((o) => o.name));
  const reads = (stmts: IRStmt[]): boolean => {
    let found = false;
    forEachStmtExpr(stmts, (e) => (found ||= mentions(e, (r) => r.space === "state" && vars.has(r.name))));
    return found;
  };
  return {
    ...pr,
    odes: [],
    eventDriven: [...pr.eventDriven, ...pr.odes.map((o) => o.name)],
    onPre: pr.onPre.length > 0 ? [...prefix, ...pr.onPre] : [],
    onPost: pr.onPost.length > 0 ? [...prefix, ...pr.onPost] : [],
    continuous: reads(pr.continuous) ? [...prefix, ...pr.continuous] : pr.continuous,
  };
}

export function eventDrivenTraces(p: IRProgram, ctx: PassContext): IRProgram {
  return { ...p, projections: p.projections.map((pr) => lowerProjection(pr, ctx.diagnostics)) };
}
