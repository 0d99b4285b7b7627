// Physical dimensions and the unit table. In: unit symbols and unit expressions (AST); out: a scale
// to SI and a dimension vector over the SI base units. Used by the parser (which identifiers are
// unit symbols), the checker (dimension algebra) and the IR builder (literal values in SI).

import type { Span } from "../diagnostics/span.js";

/** A unit annotation as written (`mV`, `1/ms`, `nS*mV`): the node the parser builds and evalUnit reads. */
export type UnitExpr =
  | { kind: "UnitName"; name: string; span: Span }
  | { kind: "UnitOne"; span: Span } // the `1` of `1/ms`, or a dimensionless annotation
  | { kind: "UnitMul"; left: UnitExpr; right: UnitExpr; span: Span }
  | { kind: "UnitDiv"; left: UnitExpr; right: UnitExpr; span: Span } // `/ms` after a number: left is UnitOne
  | { kind: "UnitPow"; base: UnitExpr; exponent: number; span: Span };

/** Exponents over the SI base units, in this order. */
export const BASE = ["m", "kg", "s", "A", "K", "mol", "cd"] as const;
export type Dim = readonly number[]; // length 7

export const DIMENSIONLESS: Dim = [0, 0, 0, 0, 0, 0, 0];

const d = (m: number, kg: number, s: number, A: number, K = 0, mol = 0): Dim => [m, kg, s, A, K, mol, 0];

export const DIM = {
  one: DIMENSIONLESS,
  time: d(0, 0, 1, 0),
  frequency: d(0, 0, -1, 0),
  voltage: d(2, 1, -3, -1),
  current: d(0, 0, 0, 1),
  resistance: d(2, 1, -3, -2),
  conductance: d(-2, -1, 3, 2),
  capacitance: d(-2, -1, 4, 2),
  charge: d(0, 0, 1, 1),
  energy: d(2, 1, -2, 0),
  power: d(2, 1, -3, 0),
  amount: d(0, 0, 0, 0, 0, 1),
  concentration: d(-3, 0, 0, 0, 0, 1),
  length: d(1, 0, 0, 0),
  mass: d(0, 1, 0, 0),
  temperature: d(0, 0, 0, 0, 1),
} as const;

export interface UnitInfo {
  scale: number; // value in SI of one unit
  dim: Dim;
}

const PREFIX: Record<string, number> = { f: 1e-15, p: 1e-12, n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9 };

function family(base: string, dim: Dim, prefixes: string[], baseScale = 1): [string, UnitInfo][] {
  return prefixes.map((p) => [p + base, { scale: PREFIX[p]! * baseScale, dim }]);
}

/** Every unit symbol of the language. Prefixed forms use the SI symbol (mV, nA, pF, nS, uM); the
 * unprefixed SI units are spelled out (volt, ampere, siemens, farad, molar, coulomb, joule, watt,
 * kelvin), because single letters such as V, C, J, S, W, K are common variable names. Bare `m`
 * (metre) and `g` (gram) are absent for the same reason. `s`, `Hz`, `ohm` and `mol` stay short. */
export const UNITS: ReadonlyMap<string, UnitInfo> = new Map<string, UnitInfo>([
  ...family("s", DIM.time, ["", "m", "u", "n"]),
  ["second", { scale: 1, dim: DIM.time }],
  ["volt", { scale: 1, dim: DIM.voltage }],
  ...family("V", DIM.voltage, ["m", "u"]),
  ["ampere", { scale: 1, dim: DIM.current }],
  ...family("A", DIM.current, ["m", "u", "n", "p", "f"]),
  ...family("ohm", DIM.resistance, ["", "k", "M", "G"]),
  ["siemens", { scale: 1, dim: DIM.conductance }],
  ...family("S", DIM.conductance, ["m", "u", "n", "p"]),
  ["farad", { scale: 1, dim: DIM.capacitance }],
  ...family("F", DIM.capacitance, ["u", "n", "p", "f"]),
  ...family("Hz", DIM.frequency, ["", "k", "M", "G"]),
  ...family("mol", DIM.amount, ["", "m", "u"]),
  ["molar", { scale: 1e3, dim: DIM.concentration }], // 1 M = 1000 mol/m^3
  ...family("M", DIM.concentration, ["m", "u", "n"], 1e3),
  ["metre", { scale: 1, dim: DIM.length }],
  ["meter", { scale: 1, dim: DIM.length }],
  ["cm", { scale: 1e-2, dim: DIM.length }],
  ["mm", { scale: 1e-3, dim: DIM.length }],
  ["um", { scale: 1e-6, dim: DIM.length }],
  ["nm", { scale: 1e-9, dim: DIM.length }],
  ["kg", { scale: 1, dim: DIM.mass }],
  ["coulomb", { scale: 1, dim: DIM.charge }],
  ["joule", { scale: 1, dim: DIM.energy }],
  ...family("J", DIM.energy, ["m", "u", "n", "p"]),
  ["watt", { scale: 1, dim: DIM.power }],
  ...family("W", DIM.power, ["m", "u", "n"]),
  ["kelvin", { scale: 1, dim: DIM.temperature }],
]);

export function isUnitSymbol(name: string): boolean {
  return UNITS.has(name);
}

// ---------------------------------------------------------------- dimension algebra

export function dimMul(a: Dim, b: Dim): Dim {
  return a.map((x, i) => x + b[i]!);
}
export function dimDiv(a: Dim, b: Dim): Dim {
  return a.map((x, i) => x - b[i]!);
}
export function dimPow(a: Dim, p: number): Dim {
  return a.map((x) => x * p);
}
export function dimEq(a: Dim, b: Dim): boolean {
  return a.every((x, i) => Math.abs(x - b[i]!) < 1e-9);
}
export function isDimensionless(a: Dim): boolean {
  return dimEq(a, DIMENSIONLESS);
}

/** Named dimensions used when printing, most specific first. */
const NAMED: [string, Dim][] = [
  ["V", DIM.voltage],
  ["A", DIM.current],
  ["s", DIM.time],
  ["Hz", DIM.frequency],
  ["ohm", DIM.resistance],
  ["S", DIM.conductance],
  ["F", DIM.capacitance],
  ["mol/m^3", DIM.concentration],
  ["C", DIM.charge],
  ["J", DIM.energy],
  ["W", DIM.power],
];

/** Deterministic printable form: "1", "V", "V/s", or base-unit products like "m^2*kg*s^-3*A^-1". */
export function formatDim(a: Dim): string {
  if (isDimensionless(a)) return "1";
  for (const [name, dim] of NAMED) if (dimEq(a, dim)) return name;
  for (const [name, dim] of NAMED) {
    if (dimEq(dimDiv(a, dim), DIM.time)) return `${name}*s`;
    if (dimEq(dimMul(a, DIM.time), dim)) return `${name}/s`;
  }
  const parts: string[] = [];
  a.forEach((x, i) => {
    if (Math.abs(x) < 1e-9) return;
    const e = Number.isInteger(x) ? String(x) : String(Math.round(x * 1000) / 1000);
    parts.push(e === "1" ? BASE[i]! : `${BASE[i]}^${e}`);
  });
  return parts.join("*");
}

// ---------------------------------------------------------------- unit expressions

export type UnitEval =
  { ok: true; scale: number; dim: Dim } | { ok: false; unknown: { name: string; span: UnitExpr["span"] } };

/** Evaluates a unit expression to its SI scale and dimension; reports the first unknown symbol. */
export function evalUnit(u: UnitExpr): UnitEval {
  switch (u.kind) {
    case "UnitOne":
      return { ok: true, scale: 1, dim: DIMENSIONLESS };
    case "UnitName": {
      const info = UNITS.get(u.name);
      return info
        ? { ok: true, scale: info.scale, dim: info.dim }
        : { ok: false, unknown: { name: u.name, span: u.span } };
    }
    case "UnitMul":
    case "UnitDiv": {
      const l = evalUnit(u.left);
      if (!l.ok) return l;
      const r = evalUnit(u.right);
      if (!r.ok) return r;
      return u.kind === "UnitMul"
        ? { ok: true, scale: l.scale * r.scale, dim: dimMul(l.dim, r.dim) }
        : { ok: true, scale: l.scale / r.scale, dim: dimDiv(l.dim, r.dim) };
    }
    case "UnitPow": {
      const b = evalUnit(u.base);
      if (!b.ok) return b;
      return { ok: true, scale: Math.pow(b.scale, u.exponent), dim: dimPow(b.dim, u.exponent) };
    }
  }
}

/** Levenshtein distance, for did-you-mean hints. */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Names longer than this get no spelling suggestion (only a case-insensitive match): the edit distance
 * costs the product of the lengths, and no one misspells a 64-character name by one letter. */
const SUGGEST_MAX_LENGTH = 64;

/** The closest candidate within distance 2 (or a case-insensitive match), for hints. Bounded work: a
 * candidate whose length differs by more than the allowed distance is skipped without computing it. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(2, Math.max(1, Math.floor(name.length / 2)));
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > limit) continue;
    const sameCase = c.length === name.length && c.toLowerCase() === lower;
    if (!sameCase && name.length > SUGGEST_MAX_LENGTH) continue;
    const dd = sameCase ? 0.5 : editDistance(name, c);
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  return bestD <= limit ? best : undefined;
}
