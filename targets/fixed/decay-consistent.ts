// Decay-consistent coefficients for hardware word widths. In: an IRProgram and the FixedSpec it will be
// quantized for; out: the IRProgram with each affine state update `x' = a*x + sum(b_i*y_i) + c` rewritten
// so that a sits on the coefficient grid and the other terms keep the update's fixed point and DC gain.
//
// Why: the quantize pass rounds every constant on its own. With a 12-bit decay (Loihi's dv/4096) CUBA's
// a = exp(-dt/taum) = 0.99501 becomes 4076/4096 = 0.99512 while c = El*(1-a) keeps its exact value, so
// the resting point c/(1-a_q) moves from El = -49 mV to -50.05 mV, below Vt = -50 mV: no neuron ever
// fires. Setting a := a_q and scaling every other term by k = (1-a_q)/(1-a) keeps x* = (sum(b_i*y_i) +
// c)/(1-a) for every input, as a hardware user does when choosing Loihi's bias for a given decay.
// Idempotent: once a is on the grid, k = 1.

import type { IRExpr, IRProgram, IRStmt, IRGroup } from "../../compiler/ir/nodes.js";
import type { DecayShift } from "../target.js";
import type { FixedSpec } from "./ir.js";
import { weightValue } from "./lower.js";

interface Term {
  sign: 1 | -1;
  e: IRExpr;
}

/** Flattens a tree of + and - into signed terms. */
function terms(e: IRExpr, sign: 1 | -1, out: Term[]): void {
  if (e.k === "bin" && (e.op === "+" || e.op === "-")) {
    terms(e.a, sign, out);
    terms(e.b, e.op === "+" ? sign : (-sign as 1 | -1), out);
    return;
  }
  if (e.k === "neg") return terms(e.a, -sign as 1 | -1, out);
  out.push({ sign, e });
}

/** The numeric factor of `num * rest` / `rest * num` (a bare number: factor v, rest null). */
function split(e: IRExpr): { c: number; rest: IRExpr | null } | null {
  if (e.k === "num") return { c: e.v, rest: null };
  if (e.k === "bin" && e.op === "*") {
    if (e.a.k === "num") return { c: e.a.v, rest: e.b };
    if (e.b.k === "num") return { c: e.b.v, rest: e.a };
  }
  return null;
}

const isState = (e: IRExpr | null, name: string): boolean =>
  e !== null && e.k === "ref" && e.ref.space === "state" && e.ref.name === name;

function rebuild(parts: { c: number; rest: IRExpr | null }[]): IRExpr {
  const one = (p: { c: number; rest: IRExpr | null }): IRExpr => {
    const mag = Math.abs(p.c);
    return p.rest === null
      ? { k: "num", v: mag }
      : mag === 1
        ? p.rest
        : { k: "bin", op: "*", a: { k: "num", v: mag }, b: p.rest };
  };
  let acc: IRExpr | null = null;
  for (const p of parts) {
    if (p.c === 0) continue;
    const t = one(p);
    if (acc === null) acc = p.c < 0 ? { k: "neg", a: t } : t;
    else acc = { k: "bin", op: p.c < 0 ? "-" : "+", a: acc, b: t };
  }
  return acc ?? { k: "num", v: 0 };
}

/** The rewritten value of `x' = ...` for state x, or null when it is not affine in x with a decay in (0, 1)
 *  that the grid moves (or moves onto 1). */
export function snapDecay(value: IRExpr, x: string, spec: FixedSpec): IRExpr | null {
  const ts: Term[] = [];
  terms(value, 1, ts);
  const parts: { c: number; rest: IRExpr | null }[] = [];
  let self = -1;
  for (const t of ts) {
    const s = split(t.e) ?? { c: 1, rest: t.e };
    const p = { c: t.sign * s.c, rest: s.rest };
    if (isState(p.rest, x)) {
      if (self >= 0) return null;
      self = parts.length;
    }
    parts.push(p);
  }
  if (self < 0) return null;
  const a = parts[self]!.c;
  if (!(a > 0 && a < 1)) return null;
  const aq = weightValue(a, spec.coefBits);
  if (aq === a || !(aq > 0 && aq < 1)) return null;
  // the state itself appearing anywhere else (x*x, sel on x) makes the update non-affine: leave it
  for (let i = 0; i < parts.length; i++)
    if (i !== self && parts[i]!.rest !== null && mentions(parts[i]!.rest!, x)) return null;
  const k = (1 - aq) / (1 - a);
  return rebuild(parts.map((p, i) => (i === self ? { c: aq, rest: p.rest } : { c: p.c * k, rest: p.rest })));
}

function mentions(e: IRExpr, x: string): boolean {
  switch (e.k) {
    case "ref":
      return e.ref.space === "state" && e.ref.name === x;
    case "num":
    case "bool":
      return false;
    case "neg":
    case "not":
      return mentions(e.a, x);
    case "bin":
      return mentions(e.a, x) || mentions(e.b, x);
    case "sel":
      return mentions(e.c, x) || mentions(e.a, x) || mentions(e.b, x);
    case "call":
      return e.args.some((a) => mentions(a, x));
  }
}

/** The next value of state x: a `let x__new = ...` the update later assigns to x (solve-odes' form), or a
 *  direct `x = ...`. */
function snapStmts(stmts: IRStmt[], g: IRGroup, spec: FixedSpec): IRStmt[] {
  const states = new Set(g.state.map((v) => v.name));
  return stmts.map((s): IRStmt => {
    if (s.k === "let" && s.name.endsWith("__new") && states.has(s.name.slice(0, -5))) {
      const v = snapDecay(s.value, s.name.slice(0, -5), spec);
      return v ? { ...s, value: v } : s;
    }
    if (s.k === "assign" && s.target.space === "state") {
      const v = snapDecay(s.value, s.target.name, spec);
      return v ? { ...s, value: v } : s;
    }
    return s;
  });
}

/** The decay a of `x' = a*x + ...` (affine in x, 0 < a < 1), or null. */
function decayOf(value: IRExpr, x: string): number | null {
  const ts: Term[] = [];
  terms(value, 1, ts);
  let a: number | null = null;
  for (const t of ts) {
    const s = split(t.e) ?? { c: 1, rest: t.e };
    if (!isState(s.rest, x)) continue;
    if (a !== null) return null;
    a = t.sign * s.c;
  }
  return a !== null && a > 0 && a < 1 ? a : null;
}

export function decayShifts(ir: IRProgram, spec: FixedSpec): DecayShift[] {
  const out: DecayShift[] = [];
  for (const g of ir.groups) {
    const states = new Set(g.state.map((v) => v.name));
    const dt = ir.dt * g.stepEvery;
    for (const s of g.update) {
      const x =
        s.k === "let" && s.name.endsWith("__new") && states.has(s.name.slice(0, -5))
          ? s.name.slice(0, -5)
          : s.k === "assign" && s.target.space === "state"
            ? s.target.name
            : null;
      if (x === null || s.k === "if" || !snapDecay(s.value, x, spec)) continue;
      const a = decayOf(s.value, x)!;
      const aq = weightValue(a, spec.coefBits);
      out.push({
        variable: `${g.name}.${x}`,
        decay: a,
        grid_decay: aq,
        coef_bits: spec.coefBits,
        tau_s: -dt / Math.log(a),
        grid_tau_s: -dt / Math.log(aq),
      });
    }
  }
  return out;
}

/** Every group's update with decay-consistent coefficients for `spec` (see the header). */
export function decayConsistent(ir: IRProgram, spec: FixedSpec): IRProgram {
  return { ...ir, groups: ir.groups.map((g) => ({ ...g, update: snapStmts(g.update, g, spec) })) };
}
