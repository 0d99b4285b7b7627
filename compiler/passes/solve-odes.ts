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
//  euler             x_new = x + h f(old), when named; with white noise Euler–Maruyama:
//                    x_new = x + h f(old) + sqrt(h) sum_k g_k(old) N_k (N_k = the step's draw of noise k)
// White noise x' = f + c xi with x in the exact subsystem, c constant, no other variable reading x and the
// noise not shared: exact (Ornstein–Uhlenbeck) increment c sqrt((e^{2ah} - 1) / (2a)) N; any other noisy
// variable: Euler–Maruyama (W1011 when `method exact` was named).
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

/** A right side x' = f + sum g_k xi_k split into its drift f and the coefficient g_k of each noise (the checker's
 *  E0421 guarantees the split exists; null when it does not). */
function splitNoise(e: IRExpr): { drift: IRExpr; noise: Map<string, IRExpr> } | null {
  if (!mentions(e, (r) => r.space === "noise")) return { drift: e, noise: new Map() };
  const names = new Set<string>();
  const renamed = substitute(e, (r) => {
    if (r.space !== "noise") return undefined;
    names.add(NOISE_VAR + r.name);
    return ref("state", NOISE_VAR + r.name);
  });
  const aff = affine(renamed, names);
  if (!aff || mentions(aff.rest, (r) => r.name.startsWith(NOISE_VAR))) return null;
  const noise = new Map<string, IRExpr>();
  for (const [n, c] of aff.coeffs) {
    if (mentions(c, (r) => r.name.startsWith(NOISE_VAR))) return null;
    noise.set(n.slice(NOISE_VAR.length), c);
  }
  return { drift: aff.rest, noise };
}
/** Prefix of the stand-in state names noise refs get while their coefficients are extracted. */
const NOISE_VAR = "\u0001noise:";

/** The noisy variables whose noise has an exact update with the exact propagator of `exact`: x' = a x + ... +
 *  sum c_k xi_k with constant c_k, no other variable of the subsystem reading x (so the noise enters only x:
 *  its increment over h is c_k sqrt((e^{2ah} - 1) / (2a)) N_k exactly) and no other equation sharing its noises. */
function exactNoise(
  exact: readonly string[],
  drift: ReadonlyMap<string, IRExpr>,
  noise: ReadonlyMap<string, Map<string, IRExpr>>,
): Set<string> {
  const set = new Set(exact);
  const ok = new Set<string>();
  for (const x of exact) {
    const nx = noise.get(x)!;
    if (nx.size === 0) continue;
    if (![...nx.values()].every((c) => c.k === "num")) continue;
    const shared = [...noise].some(([y, ny]) => y !== x && [...nx.keys()].some((n) => ny.has(n)));
    const read = exact.some((y) => y !== x && affine(drift.get(y)!, set)?.coeffs.has(x));
    if (!shared && !read) ok.add(x);
  }
  return ok;
}

/** sum_k g_k * f * N_k: the noise increment of one step, N_k the step's standard normal draw of noise k. */
function noiseIncrement(noise: ReadonlyMap<string, IRExpr>, factor: number): IRExpr {
  const terms = [...noise].map(([n, g]) => mul(mul(g, num(factor)), ref("noise", n)));
  return simplify(terms.reduce((a, b) => add(a, b)));
}

/** Chooses methods and emits the update of one group over its own step h; a named method that falls
 *  back to rk4 for some variable is reported to `diagnostics`. White noise: exact where exactNoise allows,
 *  else Euler–Maruyama (x + h f + sqrt(h) g N) for that variable. */
export function solveGroup(g0: IRGroup, h: number, diagnostics: Diagnostics): IRGroup {
  const g = inlineGroupAliases(g0);
  if (g.odes.length === 0) return { ...g, odes: [], methods: g.methods ?? {} };
  const env = constantParams(g.params);
  const names = g.odes.map((o) => o.name);
  const full = new Map(g.odes.map((o) => [o.name, simplify(bindParams(o.rhs, env))]));
  const noise = new Map<string, Map<string, IRExpr>>();
  const rhs = new Map<string, IRExpr>();
  for (const x of names) {
    const split = splitNoise(full.get(x)!);
    if (!split) {
      const span = g.odes.find((o) => o.name === x)?.span ?? g.modelSpan ?? g.span ?? syntheticSpan(g.model);
      diagnostics.error("E0421", span, `white noise enters ${x}' nonlinearly`, {
        hint: "write the noise as an additive term: x' = f(x) + g(x) * xi",
      });
      return { ...g, odes: [], methods: {} };
    }
    rhs.set(x, split.drift);
    noise.set(x, split.noise);
  }
  const noisy = new Set(names.filter((x) => noise.get(x)!.size > 0));
  const methods: Record<string, Method> = {};
  const stmts: IRStmt[] = [];
  const req = g.methodRequested;
  /** x__new += increment (the noise of x over this step). */
  const addNoise = (x: string, increment: IRExpr): void => {
    const at = stmts.findIndex((st) => st.k === "let" && st.name === `${x}__new`);
    const st = stmts[at] as Extract<IRStmt, { k: "let" }>;
    stmts[at] = { ...st, value: simplify(add(st.value, increment)) };
  };

  if (req === "euler" || req === "rk4") {
    stmts.push(...(req === "euler" ? emitEuler(names, rhs, h) : emitRk4(names, rhs, h)));
    for (const x of names) methods[x] = req;
    // Euler–Maruyama (the checker refuses rk4 with noise, E0422)
    for (const x of noisy) addNoise(x, noiseIncrement(noise.get(x)!, Math.sqrt(h)));
  } else {
    // noisy variables enter the exact subsystem only where their noise has an exact update
    let candidates = names;
    let exact = req === "exponential_euler" ? [] : linearSubsystem(candidates, rhs);
    for (let again = true; again && exact.length > 0;) {
      const ok = exactNoise(exact, rhs, noise);
      const drop = exact.filter((x) => noisy.has(x) && !ok.has(x));
      again = drop.length > 0;
      candidates = candidates.filter((x) => !drop.includes(x));
      if (again) exact = linearSubsystem(candidates, rhs);
    }
    const em = names.filter((x) => noisy.has(x) && !exact.includes(x));
    if (em.length > 0) {
      stmts.push(...emitEuler(em, rhs, h));
      for (const x of em) {
        methods[x] = "euler";
        addNoise(x, noiseIncrement(noise.get(x)!, Math.sqrt(h)));
        if (req === "exact") reportNoiseFallback(g, x, diagnostics);
      }
    }
    const exactStmts = exact.length > 0 ? emitExact(exact, rhs, h) : [];
    if (exactStmts) stmts.push(...exactStmts);
    else {
      reportNonFiniteSystem(g, exact, h, diagnostics);
      exact = [];
    }
    for (const x of exact) methods[x] = "exact";
    for (const x of exact) {
      if (!noisy.has(x)) continue;
      const a = affine(rhs.get(x)!, new Set(exact))?.coeffs.get(x);
      const av = a && a.k === "num" ? a.v : 0;
      // Var of the OU increment over h: (e^{2ah} - 1) / (2a); h when a = 0 (a Wiener process)
      const variance = av === 0 ? h : Math.expm1(2 * av * h) / (2 * av);
      addNoise(x, noiseIncrement(noise.get(x)!, Math.sqrt(variance)));
    }
    const rest = names.filter((n) => !exact.includes(n) && !em.includes(n));
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

/** W1011: the model named `method exact`, but the noise of `x` has no exact update: Euler–Maruyama. */
function reportNoiseFallback(g: IRGroup, x: string, diagnostics: Diagnostics): void {
  const span = g.odes.find((o) => o.name === x)?.span ?? g.modelSpan ?? g.span ?? syntheticSpan(g.model);
  const related = g.span ? [{ span: g.span, message: `population ${g.name} uses ${g.model}` }] : [];
  diagnostics.warning(
    "W1011",
    span,
    `${g.model} asks for \`method exact\`, but the noise of ${x} has no exact update (its equation is not linear with constant coefficients and a constant noise amplitude, another variable reads ${x}, or its noise is shared); ${x} is integrated with Euler–Maruyama`,
    { related, hint: "write `method euler` to make the choice explicit" },
  );
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
