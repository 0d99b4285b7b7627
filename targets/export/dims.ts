// Dimensions for exported scripts. In: the IR's printable dimensions ("V", "V/s", "mol/m^3", "m^2*kg*s^-3*A^-1")
// and IR expressions; out: the dimension vector (compiler/units), the dimension of an expression where its
// references fix it (undefined where only unit-less literals decide), and a unit name an engine understands.
//
// Literals in the IR are plain SI numbers: `1 ms` is 0.001 with no unit. An engine that checks units needs the
// unit back; `exprDim` computes what the references say, and the printers push the dimension a context demands
// (an ODE's right side: the variable's over time; an assignment: its target's) down onto literals.

import type { IRExpr, Ref } from "../../compiler/ir/nodes.js";
import { BASE, DIM, DIMENSIONLESS, dimDiv, dimEq, dimMul, dimPow, type Dim } from "../../compiler/units/units.js";

const SYMBOLS: Record<string, Dim> = {
  V: DIM.voltage,
  A: DIM.current,
  s: DIM.time,
  Hz: DIM.frequency,
  ohm: DIM.resistance,
  S: DIM.conductance,
  F: DIM.capacitance,
  C: DIM.charge,
  J: DIM.energy,
  W: DIM.power,
  mol: DIM.amount,
};
BASE.forEach((b, i) => {
  const d = [0, 0, 0, 0, 0, 0, 0];
  d[i] = 1;
  SYMBOLS[b] ??= d;
});

/** Reads formatDim's text back ("1", "V/s", "mol/m^3", "m^2*kg*s^-3*A^-1"); undefined when it is not one. */
export function parseDim(text: string): Dim | undefined {
  if (text === "1") return DIMENSIONLESS;
  let dim: Dim = DIMENSIONLESS;
  const re = /([*/]?)([A-Za-z]+)(?:\^(-?[0-9.]+))?/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(text)) !== null) {
    const base = SYMBOLS[m[2]!];
    if (!base) return undefined;
    const p = dimPow(base, m[3] !== undefined ? Number(m[3]) : 1);
    dim = m[1] === "/" ? dimDiv(dim, p) : dimMul(dim, p);
    at = re.lastIndex;
  }
  return at === text.length ? dim : undefined;
}

export { dimEq, dimMul, dimDiv, dimPow, DIMENSIONLESS, DIM, type Dim };

export const isOne = (d: Dim): boolean => dimEq(d, DIMENSIONLESS);

/** The dimension of `e` as its references fix it, or undefined where a unit-less literal decides (a literal alone,
 *  a product or quotient with one). Comparisons and logic are dimensionless. */
export function exprDim(e: IRExpr, refDim: (r: Ref) => Dim | undefined): Dim | undefined {
  const d = (x: IRExpr): Dim | undefined => exprDim(x, refDim);
  switch (e.k) {
    case "num":
      return undefined;
    case "bool":
    case "not":
      return DIMENSIONLESS;
    case "ref":
      return refDim(e.ref);
    case "neg":
      return d(e.a);
    case "sel":
      return d(e.a) ?? d(e.b);
    case "bin": {
      if (["<", "<=", ">", ">=", "==", "!=", "and", "or"].includes(e.op)) return DIMENSIONLESS;
      const a = d(e.a);
      const b = d(e.b);
      if (e.op === "+" || e.op === "-") return a ?? b;
      if (e.op === "pow") return a && e.b.k === "num" ? dimPow(a, e.b.v) : a && isOne(a) ? a : undefined;
      if (a === undefined || b === undefined) return undefined;
      return e.op === "*" ? dimMul(a, b) : dimDiv(a, b);
    }
    case "call":
      switch (e.fn) {
        case "abs":
        case "floor":
          return d(e.args[0]!);
        case "min":
        case "max":
        case "clip":
          return e.args.map(d).find((x) => x !== undefined);
        case "sqrt": {
          const a = d(e.args[0]!);
          return a ? dimPow(a, 0.5) : undefined;
        }
        case "pow": {
          const a = d(e.args[0]!);
          const p = e.args[1]!;
          return a && p.k === "num" ? dimPow(a, p.v) : a && isOne(a) ? a : undefined;
        }
        default:
          return DIMENSIONLESS;
      }
  }
}

/** A Brian2 unit expression for `d` ("volt", "volt/second", "mmolar", "metre**2*kilogram*second**-3"). */
export function brian2Unit(d: Dim): string {
  if (isOne(d)) return "1";
  const named: [string, Dim][] = [
    ["volt", DIM.voltage],
    ["amp", DIM.current],
    ["second", DIM.time],
    ["hertz", DIM.frequency],
    ["ohm", DIM.resistance],
    ["siemens", DIM.conductance],
    ["farad", DIM.capacitance],
    ["mmolar", DIM.concentration],
    ["coulomb", DIM.charge],
    ["joule", DIM.energy],
    ["watt", DIM.power],
    ["mole", DIM.amount],
  ];
  for (const [name, nd] of named) if (dimEq(d, nd)) return name;
  for (const [name, nd] of named) {
    if (dimEq(dimDiv(d, nd), DIM.time)) return `${name}*second`;
    if (dimEq(dimMul(d, DIM.time), nd)) return `${name}/second`;
  }
  const names = ["metre", "kilogram", "second", "amp", "kelvin", "mole", "candela"];
  const parts: string[] = [];
  d.forEach((x, i) => {
    if (Math.abs(x) < 1e-9) return;
    parts.push(x === 1 ? names[i]! : `${names[i]}**${Number.isInteger(x) ? x : `(${x})`}`);
  });
  return parts.join("*");
}
