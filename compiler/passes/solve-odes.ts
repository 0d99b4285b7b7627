// Pass "solve-odes": turns each group's continuous ODEs into discrete per-step `update` statements.
// In: an IRProgram in continuous form; out: a new IRProgram whose groups have `update`, `methods`,
// no odes and no aliases (the pass manager appends "solve-odes"). Projections' ODEs are left to
// event-driven. A named method that cannot be honoured for a variable is a warning at its equation
// (W1004 for exact, W1007 for exponential_euler) and the variable is integrated with rk4.
//
// Method choice per state variable (the model's `method` wins where it can be honoured):
//  exact             linear constant-coefficient subsystem: x_new = P x + Q b, P = expm(A h),
//                    Q = ∫0^h expm(A s) ds (expm.ts), b held at its value at the start of the step
//  exponential_euler conditionally linear x' = a x + b: x_new = x e^{ah} + (b/a)(e^{ah} - 1), a = 0 guarded
//  rk4               classic four stages over all remaining variables together (and, in automatic
//                    choice, every variable whose right-hand side reads t)
//  euler             x_new = x + h f(old), only when named
// Every update reads old values: new values go to locals first, then are assigned (clamped variables
// of a refractory neuron keep their value: `v = flag.refractory ? v : v__new`).

import type { IRExpr, IRGroup, IRProgram, IRStmt, Method } from "../ir/nodes.js";
import type { Diagnostics } from "../diagnostics/diagnostic.js";
import { syntheticSpan } from "../diagnostics/span.js";
import type { PassContext } from "./manager.js";
import { odeSpans } from "../ir/spans.js";
import { add, bin, call, div, mentions, mul, num, ref, sel, sub, substitute } from "../ir/expr.js";
import { bindParams, constantParams } from "./fold.js";
import { simplify } from "./rules.js";
import { affine } from "./linear.js";
import { propagator, type Matrix } from "./expm.js";
import { inlineGroupAliases } from "./inline-aliases.js";
import { findProblem } from "./finite.js";

const local = (name: string): IRExpr => ref("local", name);
const state = (name: string): IRExpr => ref("state", name);
const mentionsT = (e: IRExpr): boolean => mentions(e, (r) => r.space === "t");

/** The largest subset whose ODEs are affine in the subset with numeric coefficients (and no t). */
export function linearSubsystem(names: readonly string[], rhs: ReadonlyMap<string, IRExpr>): string[] {
  let set = new Set(names.filter((n) => !mentionsT(rhs.get(n)!)));
  for (let changed = true; changed;) {
    changed = false;
    for (const x of [...set]) {
      const aff = affine(rhs.get(x)!, set);
      if (!aff || [...aff.coeffs.values()].some((c) => c.k !== "num")) {
        set = new Set([...set].filter((n) => n !== x));
        changed = true;
      }
    }
  }
  return names.filter((n) => set.has(n));
}

/** Statements computing `${x}__new` for the exact propagator of the subsystem `xs`; undefined when a
 *  coefficient is not finite or the propagator overflows (the caller reports E0310). */
function emitExact(xs: readonly string[], rhs: ReadonlyMap<string, IRExpr>, h: number): IRStmt[] | undefined {
  const set = new Set(xs);
  const n = xs.length;
  const A: Matrix = xs.map(() => new Array<number>(n).fill(0));
  const bs: IRExpr[] = [];
  xs.forEach((x, i) => {
    const aff = affine(rhs.get(x)!, set)!;
    xs.forEach((y, j) => {
      const c = aff.coeffs.get(y);
      A[i]![j] = c && c.k === "num" ? c.v : 0;
    });
    bs.push(aff.rest);
  });
  const prop = propagator(A, h);
  if (!prop) return undefined;
  const { P, Q } = prop;
  const out: IRStmt[] = [];
  // non-trivial affine parts go to locals once, as several rows may use them
  const bRefs = bs.map((b, k) => {
    if (b.k === "num" || b.k === "ref") return b;
    out.push({ k: "let", name: `${xs[k]}__b`, value: b });
    return local(`${xs[k]}__b`);
  });
  xs.forEach((x, i) => {
    const terms: IRExpr[] = [];
    xs.forEach((y, j) => {
      if (P[i]![j] !== 0) terms.push(mul(num(P[i]![j]!), state(y)));
    });
    bRefs.forEach((b, k) => {
      if (Q[i]![k] !== 0 && !(b.k === "num" && b.v === 0)) terms.push(mul(num(Q[i]![k]!), b));
    });
    const value = terms.length === 0 ? num(0) : terms.reduce((a, b) => add(a, b));
    out.push({ k: "let", name: `${x}__new`, value: simplify(value) });
  });
  return out;
}

/** Exponential Euler for one conditionally linear variable. */
function emitExpEuler(x: string, a: IRExpr, b: IRExpr, h: number): IRStmt[] {
  const xs = state(x);
  if (a.k === "num") {
    if (a.v === 0) return [{ k: "let", name: `${x}__new`, value: simplify(add(xs, mul(b, num(h)))) }];
    const E = Math.exp(a.v * h);
    const F = Math.expm1(a.v * h) / a.v; // (e^{ah} - 1) / a without cancellation
    return [{ k: "let", name: `${x}__new`, value: simplify(add(mul(xs, num(E)), mul(b, num(F)))) }];
  }
  const la = local(`${x}__a`);
  const lb = local(`${x}__b`);
  const le = local(`${x}__e`);
  return [
    { k: "let", name: `${x}__a`, value: a },
    { k: "let", name: `${x}__b`, value: b },
    { k: "let", name: `${x}__e`, value: call("exp", mul(la, num(h))) },
    {
      k: "let",
      name: `${x}__new`,
      value: sel(bin("==", la, num(0)), add(xs, mul(lb, num(h))), add(mul(xs, le), mul(div(lb, la), sub(le, num(1))))),
    },
  ];
}

/** Classic RK4 over the variables `xs` together; other variables are held at their old values. */
function emitRk4(xs: readonly string[], rhs: ReadonlyMap<string, IRExpr>, h: number): IRStmt[] {
  const set = new Set(xs);
  const out: IRStmt[] = [];
  const stage = (k: number, stateName: (y: string) => string | null, tOffset: number): void => {
    for (const x of xs) {
      const f = substitute(rhs.get(x)!, (r) => {
        if (r.space === "state" && set.has(r.name)) {
          const s = stateName(r.name);
          return s ? local(s) : undefined;
        }
        if (r.space === "t" && tOffset !== 0) return add(ref("t", "t"), num(tOffset));
        return undefined;
      });
      out.push({ k: "let", name: `${x}__k${k}`, value: f });
    }
  };
  const advance = (s: number, k: number, factor: number): void => {
    for (const y of xs)
      out.push({ k: "let", name: `${y}__s${s}`, value: add(state(y), mul(num(factor), local(`${y}__k${k}`))) });
  };
  stage(1, () => null, 0);
  advance(2, 1, h / 2);
  stage(2, (y) => `${y}__s2`, h / 2);
  advance(3, 2, h / 2);
  stage(3, (y) => `${y}__s3`, h / 2);
  advance(4, 3, h);
  stage(4, (y) => `${y}__s4`, h);
  for (const x of xs) {
    const k = (i: number) => local(`${x}__k${i}`);
    const sum = add(add(add(k(1), mul(num(2), k(2))), mul(num(2), k(3))), k(4));
    out.push({ k: "let", name: `${x}__new`, value: add(state(x), mul(num(h / 6), sum)) });
  }
  return out;
}

function emitEuler(xs: readonly string[], rhs: ReadonlyMap<string, IRExpr>, h: number): IRStmt[] {
  return xs.map((x) => ({ k: "let", name: `${x}__new`, value: simplify(add(state(x), mul(num(h), rhs.get(x)!))) }));
}

/** Chooses methods and emits the update of one group over its own step h; a named method that falls
 *  back to rk4 for some variable is reported to `diagnostics`. */
export function solveGroup(g0: IRGroup, h: number, diagnostics: Diagnostics): IRGroup {
  const g = inlineGroupAliases(g0);
  if (g.odes.length === 0) return { ...g, odes: [], methods: g.methods ?? {} };
  const env = constantParams(g.params);
  const names = g.odes.map((o) => o.name);
  const rhs = new Map(g.odes.map((o) => [o.name, simplify(bindParams(o.rhs, env))]));
  const methods: Record<string, Method> = {};
  const stmts: IRStmt[] = [];
  const req = g.methodRequested;

  if (req === "euler" || req === "rk4") {
    stmts.push(...(req === "euler" ? emitEuler(names, rhs, h) : emitRk4(names, rhs, h)));
    for (const x of names) methods[x] = req;
  } else {
    let exact = req === "exponential_euler" ? [] : linearSubsystem(names, rhs);
    const exactStmts = exact.length > 0 ? emitExact(exact, rhs, h) : [];
    if (exactStmts) stmts.push(...exactStmts);
    else {
      reportNonFiniteSystem(g, exact, h, diagnostics);
      exact = [];
    }
    for (const x of exact) methods[x] = "exact";
    const rest = names.filter((n) => !exact.includes(n));
    const rk: string[] = [];
    for (const x of rest) {
      // automatic choice: a right-hand side that reads t is not held constant over the step (rk4)
      const frozenOk = req === "exponential_euler" || !mentionsT(rhs.get(x)!);
      const aff = req === "exact" || !frozenOk ? null : affine(rhs.get(x)!, new Set([x]));
      if (aff) {
        stmts.push(...emitExpEuler(x, aff.coeffs.get(x) ?? num(0), aff.rest, h));
        methods[x] = "exponential_euler";
      } else rk.push(x);
    }
    if (rk.length > 0) stmts.push(...emitRk4(rk, rhs, h));
    for (const x of rk) methods[x] = "rk4";
    if (req) for (const x of rk) reportFallback(g, x, req, mentionsT(rhs.get(x)!), diagnostics);
  }

  // a finite model can still give a non-finite update: exp(a h) of a fast growing rate under exponential Euler,
  // a product of large coefficients folded by simplify; each is E0310 here, where it arises
  const overflowed = names.filter((x) =>
    stmts.some((s) => s.k === "let" && s.name.startsWith(`${x}__`) && findProblem(s.value)),
  );
  if (overflowed.length > 0) reportNonFiniteSystem(g, overflowed, h, diagnostics);

  const clamp = new Set(g.kind === "neuron" && g.refractory ? g.refractory.clamp : []);
  for (const x of names) {
    const v = local(`${x}__new`);
    stmts.push({
      k: "assign",
      target: { space: "state", name: x },
      value: clamp.has(x) ? sel(ref("flag", "refractory"), state(x), v) : v,
    });
  }
  return { ...g, odes: [], methods, update: [...g.update, ...odeSpans(stmts, g.odes)] };
}

/** E0310: the linear system of `xs` has a non-finite coefficient or its propagator over one step overflows. */
function reportNonFiniteSystem(g: IRGroup, xs: readonly string[], h: number, diagnostics: Diagnostics): void {
  const span = g.odes.find((o) => xs.includes(o.name))?.span ?? g.modelSpan ?? g.span ?? syntheticSpan(g.model);
  const related = g.span ? [{ span: g.span, message: `population ${g.name} uses ${g.model}` }] : [];
  diagnostics.error(
    "E0310",
    span,
    `the equations of ${xs.join(", ")} in ${g.model} have an infinite or NaN coefficient, or their solution over one step (${h} s) overflows`,
    {
      related,
      hint: "check the parameters these equations divide by (a time constant of 0 gives an infinite rate) and their size",
    },
  );
}

/** W1004 / W1007: the model named `method exact` / `exponential_euler`, but variable `x` is integrated with rk4. */
function reportFallback(
  g: IRGroup,
  x: string,
  req: "exact" | "exponential_euler",
  readsT: boolean,
  diagnostics: Diagnostics,
): void {
  // IR without source (made by hand, read from JSON) has no span: the model's name stands in
  const span = g.odes.find((o) => o.name === x)?.span ?? g.modelSpan ?? g.span ?? syntheticSpan(g.model);
  const related = g.span ? [{ span: g.span, message: `population ${g.name} uses ${g.model}` }] : [];
  if (req === "exact") {
    const why = readsT ? "it reads t" : "it is not linear with constant coefficients in the state variables";
    diagnostics.warning(
      "W1004",
      span,
      `${g.model} asks for \`method exact\`, but the equation of ${x} has no exact propagator (${why}); ${x} is integrated with rk4`,
      {
        related,
        hint: "write `method rk4` (or leave the method out) to make the choice explicit, or make the system linear",
      },
    );
  } else {
    diagnostics.warning(
      "W1007",
      span,
      `${g.model} asks for \`method exponential_euler\`, but the equation of ${x} is not of the form ${x}' = a ${x} + b (a, b free of ${x}); ${x} is integrated with rk4`,
      {
        related,
        hint: "write `method rk4` (or leave the method out) to make the choice explicit",
      },
    );
  }
}

export function solveOdes(p: IRProgram, ctx: PassContext): IRProgram {
  return { ...p, groups: p.groups.map((g) => solveGroup(g, p.dt * g.stepEvery, ctx.diagnostics)) };
}
