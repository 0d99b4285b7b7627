// Range analysis for quantization. In: a discrete IR program; out: an interval per variable, from static
// interval analysis of the update statements (sound when finite) and from a profiling run of the float
// reference target (min/max seen in state monitors over every element).
//
// Static analysis of a group iterates the abstract step X' = X ∪ carried(update(X)) to a fixpoint:
// update runs the statements on intervals (sel and if join both sides); a spike condition `x > c`
// (or >=) caps what x carries into the next step at c, joined with x's reset value. Bounds that keep
// growing are widened to the next power of two; beyond 2^40 they become infinite. A variable that
// synaptic handlers, continuous couplings or currents write has no static bound (events per step are
// unbounded), nor does anything computed from it.

import { NOISE_BOUND } from "../network/noise.js";
import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt, Ref } from "../../compiler/ir/nodes.js";
import { forEachTarget } from "../../compiler/ir/expr.js";
import { unreachable } from "../../compiler/builtins/functions.js";
import { referenceTarget } from "../reference/index.js";
import { initGroup } from "../network/init.js";
import { astroWritten } from "./astro.js";
import { isSubexprProbe, subexprRanges, withSubexprProbes } from "./subexpr-profile.js";
import { handlerRanges, withHandlerProbes } from "./handler-profile.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";

export interface Interval {
  lo: number;
  hi: number;
}

export const TOP: Interval = { lo: -Infinity, hi: Infinity };
export const point = (x: number): Interval => ({ lo: x, hi: x });
export const hull = (a: Interval, b: Interval): Interval => ({ lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) });
export const isFinite = (a: Interval): boolean => Number.isFinite(a.lo) && Number.isFinite(a.hi);

const fix = (x: number, fallback: number): number => (Number.isNaN(x) ? fallback : x);

function mulI(a: Interval, b: Interval): Interval {
  const ps = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi].map((x) => (Number.isNaN(x) ? 0 : x)); // 0 * inf = 0
  return { lo: Math.min(...ps), hi: Math.max(...ps) };
}

/** Narrows the interval of a subexpression (the lowering's profiled ranges, subexpr-profile.ts): applied to
 *  divisors and quotients with a non-constant divisor and to the arguments of exp, log, sigmoid, tanh, sqrt and
 *  pow (their results are the function of the narrowed argument). Returns its second argument when it knows nothing better. */
export type Narrow = (e: IRExpr, I: Interval, role: NarrowRole) => Interval;

/** What a narrowed node is: a divisor, a quotient, or the argument of the named builtin. */
export type NarrowRole = "divisor" | "quotient" | "exp" | "log" | "sigmoid" | "tanh" | "sqrt" | "pow";

/** Interval of an expression; `env` gives refs (undefined: unbounded). Booleans are [0, 1]. */
export function intervalOf(
  e: IRExpr,
  env: (r: Ref) => Interval | undefined,
  defs?: (local: string) => IRExpr | undefined,
  narrow?: Narrow,
): Interval {
  const rec = (x: IRExpr): Interval => intervalOf(x, env, defs, narrow);
  const nar = (x: IRExpr, I: Interval, role: NarrowRole): Interval => (narrow ? narrow(x, I, role) : I);
  switch (e.k) {
    case "num":
      return point(e.v);
    case "bool":
      return point(e.v ? 1 : 0);
    case "ref":
      return env(e.ref) ?? TOP;
    case "neg": {
      const a = rec(e.a);
      return { lo: -a.hi, hi: -a.lo };
    }
    case "not":
      return { lo: 0, hi: 1 };
    case "sel":
      return hull(rec(e.a), rec(e.b));
    case "bin": {
      const a = rec(e.a),
        b = rec(e.b);
      switch (e.op) {
        case "+":
          return { lo: fix(a.lo + b.lo, -Infinity), hi: fix(a.hi + b.hi, Infinity) };
        case "-":
          return { lo: fix(a.lo - b.hi, -Infinity), hi: fix(a.hi - b.lo, Infinity) };
        case "*":
          return mulI(a, b);
        case "/": {
          if (e.b.k === "num") return e.b.v === 0 ? TOP : mulI(a, point(1 / e.b.v));
          const r = ratioI(e.a, e.b, a, env, defs);
          if (r) return nar(e, r, "quotient");
          const bn = nar(e.b, b, "divisor");
          if (bn.lo > 0 || bn.hi < 0) return nar(e, mulI(a, { lo: 1 / bn.hi, hi: 1 / bn.lo }), "quotient");
          return nar(e, TOP, "quotient");
        }
        case "pow":
          return powI(a, e.b);
        default:
          return { lo: 0, hi: 1 };
      }
    }
    case "call": {
      const narrowed = NARROWED_CALLS.has(e.fn);
      const as = e.args.map((x) => (narrowed ? nar(x, rec(x), e.fn as NarrowRole) : rec(x)));
      // the result is the function of the narrowed argument (a table's end entries bound it: nothing after it
      // can overflow when an argument leaves its range and the table clamps)
      return callI(e, as);
    }
  }
}

/** Builtins whose arguments and results the lowering's profiled ranges narrow (see Narrow). */
const NARROWED_CALLS: ReadonlySet<string> = new Set(["exp", "log", "sigmoid", "tanh", "sqrt", "pow"]);

/** Interval of a builtin call from its arguments' intervals. */
function callI(e: Extract<IRExpr, { k: "call" }>, as: Interval[]): Interval {
  switch (e.fn) {
    case "min":
      return { lo: Math.min(...as.map((x) => x.lo)), hi: Math.min(...as.map((x) => x.hi)) };
    case "max":
      return { lo: Math.max(...as.map((x) => x.lo)), hi: Math.max(...as.map((x) => x.hi)) };
    case "clip": {
      const [x, lo, hi] = as as [Interval, Interval, Interval];
      return { lo: Math.min(Math.max(x.lo, lo.lo), hi.hi), hi: Math.max(Math.min(x.hi, hi.hi), lo.lo) };
    }
    case "abs": {
      const a = as[0]!;
      const m = Math.max(Math.abs(a.lo), Math.abs(a.hi));
      return { lo: a.lo <= 0 && a.hi >= 0 ? 0 : Math.min(Math.abs(a.lo), Math.abs(a.hi)), hi: m };
    }
    case "tanh":
    case "sin":
    case "cos":
      return { lo: -1, hi: 1 };
    case "sigmoid":
    case "heaviside":
      return { lo: 0, hi: 1 };
    case "exp": {
      const a = as[0]!;
      return { lo: Math.exp(a.lo), hi: Math.exp(a.hi) };
    }
    case "log": {
      const a = as[0]!;
      return a.hi <= 0 ? TOP : { lo: a.lo > 0 ? Math.log(a.lo) : -Infinity, hi: Math.log(a.hi) };
    }
    case "sqrt": {
      const a = as[0]!;
      return a.hi < 0 ? TOP : { lo: Math.sqrt(Math.max(a.lo, 0)), hi: Math.sqrt(a.hi) };
    }
    case "floor":
      return { lo: Math.floor(as[0]!.lo), hi: Math.floor(as[0]!.hi) };
    case "ceil":
      return { lo: Math.ceil(as[0]!.lo), hi: Math.ceil(as[0]!.hi) };
    case "int":
      return { lo: Math.trunc(as[0]!.lo), hi: Math.trunc(as[0]!.hi) };
    case "pow":
      return powI(as[0]!, e.args[1]!);
    default:
      return unreachable(e.fn);
  }
}

/** x / (x + c) with x >= 0 and c > 0 (x read through `defs` when the divisor is a local): increasing in x and
 *  decreasing in c, so it lies in [x.lo / (x.lo + c.hi), x.hi / (x.hi + c.lo)] within [0, 1). Plain interval
 *  division loses the dependency (Michaelis-Menten and Hill terms such as IP3 / (IP3 + Kd) would reach
 *  x.hi / c.lo, far above 1). null when the pattern does not hold. */
function ratioI(
  num: IRExpr,
  den: IRExpr,
  x: Interval,
  env: (r: Ref) => Interval | undefined,
  defs?: (local: string) => IRExpr | undefined,
): Interval | null {
  if (!(x.lo >= 0)) return null;
  const look = (e: IRExpr): IRExpr => (e.k === "ref" && e.ref.space === "local" && defs ? (defs(e.ref.name) ?? e) : e);
  const d = look(den);
  if (d.k !== "bin" || d.op !== "+") return null;
  const same = (p: IRExpr, q: IRExpr): boolean =>
    JSON.stringify(strip(p)) === JSON.stringify(strip(q)) ||
    JSON.stringify(strip(look(p))) === JSON.stringify(strip(look(q)));
  const other = same(d.a, num) ? d.b : same(d.b, num) ? d.a : null;
  if (!other) return null;
  const c = intervalOf(other, env, defs);
  if (!(c.lo > 0) || !Number.isFinite(x.hi)) return null;
  return { lo: x.lo / (x.lo + c.hi), hi: x.hi / (x.hi + c.lo) };
}

/** An expression without source spans (for structural comparison). */
function strip(e: IRExpr): unknown {
  return JSON.parse(JSON.stringify(e, (k, v: unknown) => (k === "span" ? undefined : v))) as unknown;
}

/** Interval of a^b: a constant integer b of any sign (a negative power needs 0 outside a), or a constant
 *  real b with a >= 0 (a > 0 when b < 0); anything else is unbounded. */
export function powI(a: Interval, b: IRExpr): Interval {
  if (b.k !== "num") return TOP;
  const n = b.v;
  if (n === 0) return point(1);
  if (Number.isInteger(n)) {
    if (n < 0) {
      if (!(a.lo > 0 || a.hi < 0)) return TOP;
      const p = powI(a, { k: "num", v: -n });
      return mulI(point(1), { lo: 1 / p.hi, hi: 1 / p.lo });
    }
    const lo = a.lo ** n,
      hi = a.hi ** n;
    if (n % 2 === 1 || a.lo >= 0) return { lo: Math.min(lo, hi), hi: Math.max(lo, hi) };
    if (a.hi <= 0) return { lo: hi, hi: lo };
    return { lo: 0, hi: Math.max(lo, hi) };
  }
  if (a.lo < 0 || (n < 0 && a.lo <= 0)) return TOP;
  const lo = a.lo ** n,
    hi = a.hi ** n;
  return { lo: Math.min(lo, hi), hi: Math.max(lo, hi) };
}

/** Abstract execution of statements; `vals` maps "space:name" to intervals (updated in place). */
function execStmts(
  stmts: readonly IRStmt[],
  vals: Map<string, Interval>,
  read: (r: Ref) => Interval | undefined,
): void {
  const env = (r: Ref): Interval | undefined => (r.space === "local" ? vals.get(`local:${r.name}`) : read(r));
  for (const s of stmts) {
    if (s.k === "let") vals.set(`local:${s.name}`, intervalOf(s.value, env));
    else if (s.k === "assign") vals.set(`${s.target.space}:${s.target.name}`, intervalOf(s.value, env));
    else {
      const a = new Map(vals),
        b = new Map(vals);
      execStmts(s.then, a, read);
      execStmts(s.otherwise, b, read);
      for (const key of new Set([...a.keys(), ...b.keys()])) {
        const x = a.get(key) ?? vals.get(key),
          y = b.get(key) ?? vals.get(key);
        vals.set(key, x && y ? hull(x, y) : TOP);
      }
    }
  }
}

function widen(prev: number, next: number, up: boolean): number {
  if (next === prev) return next;
  const m = Math.abs(next);
  if (!Number.isFinite(m) || m > 2 ** 40) return up ? Infinity : -Infinity;
  const p = m === 0 ? 2 ** -40 : 2 ** Math.ceil(Math.log2(m) + 1e-12);
  return up ? (next > 0 ? p : 0) : next < 0 ? -p : 0;
}

/** Variables of group `g` written from outside its own update (synapse handlers, couplings, currents,
 *  astrocyte synapse-event handlers). */
export function externallyWritten(p: IRProgram, g: IRGroup): Set<string> {
  const out = new Set<string>();
  for (const pr of p.projections) {
    const mark = (stmts: readonly IRStmt[], space: "pre" | "post"): void =>
      forEachTarget(stmts, (r) => {
        if (r.space === space) out.add(r.name);
      });
    if (pr.post.population === g.name) for (const s of [pr.onPre, pr.onPost, pr.continuous]) mark(s, "post");
    if (pr.pre.population === g.name) for (const s of [pr.onPre, pr.onPost, pr.continuous]) mark(s, "pre");
  }
  for (const c of p.currents) if (c.target.population === g.name) out.add(c.variable);
  for (const n of astroWritten(p, g)) out.add(n);
  return out;
}

/** Static ranges of a group's state variables (and its params), as described in the header. */
export function staticGroupRanges(
  g: IRGroup,
  params: Map<string, Interval>,
  init: Map<string, Interval>,
  external: Set<string>,
  inputs: Map<string, Interval>,
): Map<string, Interval> {
  let X = new Map<string, Interval>();
  for (const v of g.state) X.set(v.name, external.has(v.name) ? TOP : (init.get(v.name) ?? TOP));
  const thr = simpleThreshold(g);
  let stored = new Map(X);
  for (let it = 0; it < 200; it++) {
    const read =
      (src: Map<string, Interval>) =>
      (r: Ref): Interval | undefined =>
        r.space === "state"
          ? src.get(r.name)
          : r.space === "param"
            ? params.get(r.name)
            : r.space === "input"
              ? inputs.get(r.name)
              : r.space === "flag"
                ? point(0)
                : r.space === "noise"
                  ? { lo: -NOISE_BOUND, hi: NOISE_BOUND }
                  : undefined;
    const vals = new Map<string, Interval>();
    execStmts(g.update, vals, read(X));
    const U = new Map(X);
    for (const [k, v] of vals) if (k.startsWith("state:")) U.set(k.slice(6), v);
    const R = new Map<string, Interval>();
    execStmts(g.reset, R, read(U));
    const carried = new Map<string, Interval>();
    for (const [name, u] of U) {
      let c = u;
      if (thr && thr.name === name) c = { lo: u.lo, hi: Math.max(u.lo, Math.min(u.hi, thr.c)) };
      const rv = R.get(`state:${name}`);
      if (thr && rv) c = hull(c, rv);
      carried.set(name, external.has(name) ? TOP : c);
    }
    stored = new Map();
    for (const [name, x] of X) {
      let s = hull(x, U.get(name)!);
      const rv = R.get(`state:${name}`);
      if (rv) s = hull(s, rv);
      stored.set(name, s);
    }
    let changed = false;
    const next = new Map<string, Interval>();
    for (const [name, x] of X) {
      const c = hull(x, carried.get(name)!);
      let lo = c.lo,
        hi = c.hi;
      if (lo !== x.lo || hi !== x.hi) {
        changed = true;
        if (it >= 8) {
          lo = widen(x.lo, lo, false);
          hi = widen(x.hi, hi, true);
        }
      }
      next.set(name, { lo, hi });
    }
    X = next;
    if (!changed) break;
  }
  return stored;
}

/** `state.x > c` or `state.x >= c` spike conditions (the only ones the analysis uses). */
function simpleThreshold(g: IRGroup): { name: string; c: number } | null {
  const t = g.threshold;
  if (
    t?.k === "bin" &&
    (t.op === ">" || t.op === ">=") &&
    t.a.k === "ref" &&
    t.a.ref.space === "state" &&
    t.b.k === "num"
  )
    return { name: t.a.ref.name, c: t.b.v };
  return null;
}

/** Range of each parameter / initial state value of a group, from its actual initial values. */
export function initialRanges(
  g: IRGroup,
  seed: number,
  dt: number,
): { params: Map<string, Interval>; state: Map<string, Interval> } {
  const v = initGroup(g, seed, dt);
  const rangeOf = (x: number | Float64Array): Interval => {
    if (typeof x === "number") return point(x);
    let lo = Infinity,
      hi = -Infinity;
    for (const y of x) {
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
    return x.length ? { lo, hi } : point(0);
  };
  const params = new Map<string, Interval>();
  for (const [k, x] of v.params) params.set(k, rangeOf(x));
  const state = new Map<string, Interval>();
  for (const [k, x] of v.state) state.set(k, rangeOf(x));
  return { params, state };
}

/** Default profiling length: at least this many steps (or the whole run when shorter). */
export const PROFILE_MIN_STEPS = 2000;
/** The whole run is profiled when it costs at most this many element updates (sum of group sizes x steps). */
export const PROFILE_BUDGET = 1e7;
/** Cap on the steps that slow time scales ask for (a profile never exceeds the run either). */
export const PROFILE_MAX_STEPS = 50_000;

/** The slowest time scale of a program in network steps: for every affine self-decay `x' = a*x + ...`
 *  (0 < a < 1) of a group update, tau = stepEvery / -ln(a); for every event-driven decay exp(c * elapsed),
 *  tau = -1 / (c dt); and 100 updates of every group's own clock. 0 when there is none. */
export function slowestSteps(p: IRProgram): number {
  let slow = 0;
  const visit = (e: IRExpr, own: string | null, every: number): void => {
    if (e.k === "bin" && (e.op === "+" || e.op === "-")) {
      visit(e.a, own, every);
      visit(e.b, own, every);
      return;
    }
    if (e.k === "bin" && e.op === "*" && own !== null) {
      const [c, x] = e.a.k === "num" ? [e.a.v, e.b] : e.b.k === "num" ? [e.b.v, e.a] : [NaN, e.a];
      if (c > 0 && c < 1 && x.k === "ref" && x.ref.space === "state" && x.ref.name === own)
        slow = Math.max(slow, every / -Math.log(c));
    }
    if (e.k === "call" && e.fn === "exp") {
      const a = e.args[0]!;
      if (a.k === "bin" && a.op === "*") {
        const [c, x] = a.a.k === "num" ? [a.a.v, a.b] : a.b.k === "num" ? [a.b.v, a.a] : [NaN, a.a];
        if (c < 0 && x.k === "ref" && x.ref.space === "elapsed") slow = Math.max(slow, -1 / (c * p.dt));
      }
    }
    if (e.k === "bin") {
      visit(e.a, null, every);
      visit(e.b, null, every);
    } else if (e.k === "call") for (const a of e.args) visit(a, null, every);
    else if (e.k === "neg" || e.k === "not") visit(e.a, null, every);
    else if (e.k === "sel") {
      visit(e.a, null, every);
      visit(e.b, null, every);
    }
  };
  const walk = (stmts: readonly IRStmt[], every: number, states: ReadonlySet<string>): void => {
    for (const s of stmts) {
      if (s.k === "if") {
        walk(s.then, every, states);
        walk(s.otherwise, every, states);
        continue;
      }
      // `let x__new = a*x + ...` (solve-odes' form) or `x = a*x + ...`
      const name = s.k === "let" ? s.name.replace(/__.*$/, "") : s.target.space === "state" ? s.target.name : "";
      visit(s.value, states.has(name) ? name : null, every);
    }
  };
  for (const g of p.groups) {
    walk(g.update, g.stepEvery, new Set(g.state.map((v) => v.name)));
    if (g.stepEvery > 1) slow = Math.max(slow, 100 * g.stepEvery);
  }
  for (const pr of p.projections) for (const stmts of [pr.onPre, pr.onPost, pr.continuous]) walk(stmts, 1, new Set());
  return Number.isFinite(slow) ? slow : 0;
}

/** Steps of the default profiling run: the whole run when it is affordable (PROFILE_BUDGET element
 *  updates), else at least PROFILE_MIN_STEPS and 3 of the slowest time scales (slowestSteps, capped at
 *  PROFILE_MAX_STEPS), never more than the run. Slow astrocyte calcium needs seconds, not 2000 steps. */
export function profileLength(p: IRProgram): number {
  const elements = p.groups.reduce((n, g) => n + g.size / g.stepEvery, 0);
  const affordable = elements > 0 ? Math.floor(PROFILE_BUDGET / elements) : p.steps;
  const cover = Math.min(PROFILE_MAX_STEPS, Math.ceil(3 * slowestSteps(p)));
  return Math.min(p.steps, Math.max(PROFILE_MIN_STEPS, affordable, cover));
}

/** Values seen in a profiling run, per "POP.var". `samples` keeps every recorded value (for errors). */
export interface Profile {
  steps: number;
  ranges: Map<string, Interval>;
  samples: Map<string, Float64Array[]>;
  /** Profiled hull of subexpressions of group updates (subexpr-profile.ts), by IR node. */
  subexpressions: Map<IRExpr, Interval>;
  /** Profiled hull of subexpressions of synapse and astrocyte handlers (handler-profile.ts), by handlerKey. */
  handlerSubexpressions: Map<string, Interval>;
}

/** Runs the reference target with state monitors on every state variable and input of every group,
 *  over all elements, for `steps` steps (recording every `every` steps so that at most `budget` values
 *  are kept per variable). */
/** The probe state variable that copies input `name` at the end of each update (see profileRun). */
const probeOf = (name: string): string => `__probe_${name}`;

/** Monitors record at the start of a step, when an input holds only what handlers added in the step
 *  before: `continuous` sums and currents are added later and cleared after the thresholds. So each
 *  input gets a probe state variable assigned from it at the end of the group's update: the value the
 *  update actually used. The probe is profiling-only; the program that is quantized is unchanged. */
function withInputProbes(g: IRGroup): IRGroup {
  if (g.inputs.length === 0) return g;
  return {
    ...g,
    state: [
      ...g.state,
      ...g.inputs.map((v) => ({
        name: probeOf(v.name),
        dim: v.dim,
        init: { k: "expr" as const, e: { k: "num" as const, v: 0 } },
        perElement: false,
      })),
    ],
    update: [
      ...g.update,
      ...g.inputs.map((v) => ({
        k: "assign" as const,
        target: { space: "state" as const, name: probeOf(v.name) },
        value: { k: "ref" as const, ref: { space: "input" as const, name: v.name } },
      })),
    ],
  };
}

/** The probe of synapse variable `v` of projection `proj` on the post group: "lo" keeps the least value any of
 *  its incoming synapses' handlers left, "hi" the greatest (both start at 0). */
const synProbe = (proj: string, v: string, end: "lo" | "hi"): string => `__syn_${end}_${proj}.${v}`;

/** Synapse state is not monitored, so every synapse variable a handler writes gets two probe state variables
 *  on the post group (synProbe), updated by min/max after each handler that writes it. Profiling-only, as the
 *  input probes. Projections from an input population onto a group qualify; the post side must be a group. */
function withSynapseProbes(p: IRProgram, groups: IRGroup[]): { groups: IRGroup[]; projections: IRProjection[] } {
  const extra = new Map<string, IRGroup["state"]>();
  const projections = p.projections.map((pr) => {
    if (!groups.some((g) => g.name === pr.post.population)) return pr;
    const written = new Set<string>();
    for (const stmts of [pr.onPre, pr.onPost, pr.continuous])
      forEachTarget(stmts, (r) => {
        if (r.space === "state") written.add(r.name);
      });
    const vars = pr.state.filter((v) => written.has(v.name)).map((v) => v.name);
    if (!vars.length) return pr;
    const list = extra.get(pr.post.population) ?? [];
    for (const v of vars)
      for (const end of ["lo", "hi"] as const)
        list.push({
          name: synProbe(pr.name, v, end),
          dim: "1",
          init: { k: "expr", e: { k: "num", v: 0 } },
          perElement: false,
        });
    extra.set(pr.post.population, list);
    const probe = (stmts: IRStmt[]): IRStmt[] => {
      let writes = false;
      forEachTarget(stmts, (r) => {
        if (r.space === "state" && vars.includes(r.name)) writes = true;
      });
      if (!writes) return stmts;
      const upd: IRStmt[] = [];
      for (const v of vars)
        for (const end of ["lo", "hi"] as const) {
          const target: Ref = { space: "post", name: synProbe(pr.name, v, end) };
          upd.push({
            k: "assign",
            target,
            value: {
              k: "call",
              fn: end === "lo" ? "min" : "max",
              args: [
                { k: "ref", ref: target },
                { k: "ref", ref: { space: "state", name: v } },
              ],
            },
          });
        }
      return [...stmts, ...upd];
    };
    return { ...pr, onPre: probe(pr.onPre), onPost: probe(pr.onPost), continuous: probe(pr.continuous) };
  });
  return {
    groups: groups.map((g) => (extra.has(g.name) ? { ...g, state: [...g.state, ...extra.get(g.name)!] } : g)),
    projections,
  };
}

export function profileRun(
  p: IRProgram,
  steps: number,
  budget = 400_000,
): { profile?: Profile; diagnostics: Diagnostic[] } {
  const monitors: IRProgram["monitors"] = [];
  const sub = new Map<string, IRExpr[]>();
  const handlers = withHandlerProbes(
    p,
    p.groups.map((g0) => {
      const s = withSubexprProbes(withInputProbes(g0));
      if (s.nodes.length) sub.set(g0.name, s.nodes);
      return s.group;
    }),
    p.projections,
  );
  const probed = withSynapseProbes({ ...p, projections: handlers.projections }, handlers.groups);
  const groups = probed.groups;
  for (const g of groups) {
    const every = Math.max(1, Math.ceil((steps * g.size) / budget));
    for (const v of g.state)
      monitors.push({
        k: "state",
        variable: v.name,
        target: { population: g.name, start: 0, end: g.size },
        // a subexpression probe holds its running hull: its last row is all that is read
        everySteps: isSubexprProbe(v.name) ? Math.max(1, steps - 1) : every,
      });
    for (const v of g.inputs)
      monitors.push({
        k: "state",
        variable: v.name,
        target: { population: g.name, start: 0, end: g.size },
        everySteps: every,
      });
  }
  const out = referenceTarget.run(
    { ...p, groups, projections: probed.projections, monitors, steps },
    { numericGuard: false }, // ranges only: what overflows is the static analysis's to report
  );
  if (!out.result) return { diagnostics: out.diagnostics };
  const ranges = new Map<string, Interval>();
  const samples = new Map<string, Float64Array[]>();
  const lastRows = new Map<string, Float64Array>();
  for (const tr of out.result.traces) {
    if (isSubexprProbe(tr.variable)) {
      const row = tr.values[tr.values.length - 1];
      if (row) lastRows.set(`${tr.population}.${tr.variable}`, row);
      continue;
    }
    let lo = Infinity,
      hi = -Infinity;
    // index loops: no iterator per row and value (CUBA's 4000 x 1000 recorded values)
    for (let r = 0; r < tr.values.length; r++) {
      const row = tr.values[r]!;
      for (let x = 0; x < row.length; x++) {
        const v = row[x]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    // a synapse probe: the extreme values of PROJ.var over every synapse onto the post group
    const syn = /^__syn_(lo|hi)_(.*)$/.exec(tr.variable);
    if (syn) {
      if (lo > hi) continue;
      const key = syn[2]!,
        seen = ranges.get(key);
      ranges.set(key, seen ? { lo: Math.min(seen.lo, lo), hi: Math.max(seen.hi, hi) } : { lo, hi });
      continue;
    }
    // a probe's range joins its input's (the input as monitored holds the handlers' pulses)
    const variable = tr.variable.startsWith("__probe_") ? tr.variable.slice("__probe_".length) : tr.variable;
    const key = `${tr.population}.${variable}`;
    const seen = ranges.get(key);
    const here = lo <= hi ? { lo, hi } : point(0);
    ranges.set(key, seen ? { lo: Math.min(seen.lo, here.lo), hi: Math.max(seen.hi, here.hi) } : here);
    samples.set(key, [...(samples.get(key) ?? []), ...tr.values]);
  }
  const subexpressions = subexprRanges(sub, (g, v) => lastRows.get(`${g}.${v}`));
  const handlerSubexpressions = handlerRanges(handlers.probes, (g, v) => lastRows.get(`${g}.${v}`));
  return {
    profile: { steps, ranges, samples, subexpressions, handlerSubexpressions },
    diagnostics: out.diagnostics,
  };
}

/** A static bound of an event-driven trace x of projection p: its handlers decay it by exp(rate * elapsed)
 *  (the prefix `let L = exp(c * elapsed); let x__new = x * L; x = x__new`) and otherwise only add
 *  bounded increments (`x = x + e`). Each handler runs at most once per synapse and step, so |x| stays within
 *  the init hull plus (sum of increments) / (1 - exp(rate * dt)). null when the pattern does not hold. */
export function traceBound(
  p: IRProjection,
  x: string,
  init: Interval,
  dt: number,
  env: (r: Ref) => Interval | undefined,
): Interval | null {
  const rates = new Map<string, number>();
  const decayed = new Set<string>();
  let rate: number | null = null;
  let pos = 0,
    negSum = 0;
  const isRef = (e: IRExpr, space: string, name: string): boolean =>
    e.k === "ref" && e.ref.space === space && e.ref.name === name;
  const rateOf = (e: IRExpr): number | null => {
    if (e.k !== "call" || e.fn !== "exp") return null;
    const a = e.args[0]!;
    if (a.k === "bin" && a.op === "*" && a.a.k === "num" && a.b.k === "ref" && a.b.ref.space === "elapsed")
      return a.a.v;
    if (a.k === "bin" && a.op === "*" && a.b.k === "num" && a.a.k === "ref" && a.a.ref.space === "elapsed")
      return a.b.v;
    return null;
  };
  const walk = (stmts: readonly IRStmt[]): boolean => {
    for (const s of stmts) {
      if (s.k === "if") {
        if (!walk(s.then) || !walk(s.otherwise)) return false;
        continue;
      }
      if (s.k === "let") {
        const r = rateOf(s.value);
        if (r !== null) rates.set(s.name, r);
        const v = s.value;
        if (v.k === "bin" && v.op === "*") {
          const [u, w] = isRef(v.a, "state", x) ? [v.a, v.b] : [v.b, v.a];
          const r2 = w.k === "ref" && w.ref.space === "local" ? rates.get(w.ref.name) : rateOf(w);
          if (isRef(u, "state", x) && r2 !== undefined && r2 !== null) {
            decayed.add(s.name);
            rate = rate === null ? r2 : Math.max(rate, r2);
          }
        }
        continue;
      }
      if (s.target.space !== "state" || s.target.name !== x) continue;
      const v = s.value;
      if (v.k === "ref" && v.ref.space === "local" && decayed.has(v.ref.name)) continue;
      if (
        v.k === "bin" &&
        (v.op === "+" || v.op === "-") &&
        (isRef(v.a, "state", x) || (v.op === "+" && isRef(v.b, "state", x)))
      ) {
        const inc = intervalOf(isRef(v.a, "state", x) ? v.b : v.a, env);
        if (!isFinite(inc)) return false;
        const lo = v.op === "-" ? -inc.hi : inc.lo,
          hi = v.op === "-" ? -inc.lo : inc.hi;
        pos += Math.max(hi, 0);
        negSum += Math.min(lo, 0);
        continue;
      }
      return false;
    }
    return true;
  };
  if (!walk(p.onPre) || !walk(p.onPost) || !walk(p.continuous) || rate === null || !(rate < 0)) return null;
  const g = 1 / (1 - Math.exp((rate as number) * dt));
  return { lo: Math.min(init.lo, 0) + negSum * g, hi: Math.max(init.hi, 0) + pos * g };
}
