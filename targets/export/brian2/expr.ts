// IR expressions as Brian2 code with units. In: an IR expression, how each reference is named in Brian2 and its
// dimension, the dimension the context demands; out: Brian2 abstract code text (float64, same operations as
// glia's reference: no reassociation), literals carrying the unit the context gives them.
//
// Booleans: comparisons and logic print as Brian2 booleans; where arithmetic uses one, int(...). `c ? a : b` has
// no Brian2 form and prints as int(c)*a + (1 - int(c))*b (the same value when neither branch is infinite or NaN).
// min/max are clip against +-inf (numpy's clip equals min/max there); sigmoid is 1/(1 + exp(-x)) as in glia.

import type { IRExpr, Ref } from "../../../compiler/ir/nodes.js";
import { DIMENSIONLESS, brian2Unit, dimDiv, dimMul, dimPow, exprDim, isOne, type Dim } from "../dims.js";

export interface NameScope {
  /** Brian2 name of a reference; undefined when Brian2 cannot express it (the caller refuses first). */
  name(r: Ref): string | undefined;
  dim(r: Ref): Dim | undefined;
}

const LOGIC = new Set(["<", "<=", ">", ">=", "==", "!=", "and", "or"]);
const isBool = (e: IRExpr): boolean => e.k === "bool" || e.k === "not" || (e.k === "bin" && LOGIC.has(e.op));

/** A literal in a context of dimension `d`. */
function literal(v: number, d: Dim | undefined): string {
  const text = Number.isFinite(v) ? String(v) : v > 0 ? "inf" : v < 0 ? "(-inf)" : "nan";
  const withUnit = d === undefined || isOne(d) ? text : `${text}*${brian2Unit(d)}`;
  return v < 0 || withUnit !== text ? `(${withUnit})` : withUnit;
}

export function brian2Expr(e: IRExpr, scope: NameScope, want?: Dim): string {
  const dimOf = (x: IRExpr): Dim | undefined => exprDim(x, (r) => scope.dim(r));
  const num = (x: IRExpr, w?: Dim): string => {
    const s = brian2Expr(x, scope, w);
    return isBool(x) ? `int(${s})` : s;
  };
  switch (e.k) {
    case "num":
      return literal(e.v, want);
    case "bool":
      return e.v ? "True" : "False";
    case "ref": {
      const n = scope.name(e.ref);
      if (n === undefined) throw new Error(`internal: no Brian2 name for ${e.ref.space}.${e.ref.name}`);
      return n;
    }
    case "neg":
      return `(-${num(e.a, want)})`;
    case "not":
      return `(not ${brian2Expr(e.a, scope)})`;
    case "sel": {
      const d = want ?? dimOf(e.a) ?? dimOf(e.b);
      const c = brian2Expr(e.c, scope);
      return `(int(${c})*${num(e.a, d)} + (1 - int(${c}))*${num(e.b, d)})`;
    }
    case "bin": {
      const { op, a, b } = e;
      if (op === "and" || op === "or") return `(${brian2Expr(a, scope)} ${op} ${brian2Expr(b, scope)})`;
      if (LOGIC.has(op)) {
        const d = dimOf(a) ?? dimOf(b) ?? DIMENSIONLESS;
        return `(${num(a, d)} ${op} ${num(b, d)})`;
      }
      if (op === "+" || op === "-") {
        const d = want ?? dimOf(a) ?? dimOf(b);
        return `(${num(a, d)} ${op} ${num(b, d)})`;
      }
      if (op === "pow") return `(${powBase(a, b, want)}**${num(b, DIMENSIONLESS)})`;
      const da = dimOf(a);
      const db = dimOf(b);
      let wa = da;
      let wb = db;
      if (op === "*") {
        if (da === undefined && db !== undefined) wa = want ? dimDiv(want, db) : DIMENSIONLESS;
        else if (db === undefined && da !== undefined) wb = want ? dimDiv(want, da) : DIMENSIONLESS;
        else if (da === undefined && db === undefined) {
          wa = want;
          wb = DIMENSIONLESS;
        }
      } else {
        if (da === undefined && db !== undefined) wa = want ? dimMul(want, db) : DIMENSIONLESS;
        else if (db === undefined && da !== undefined) wb = want ? dimDiv(da, want) : DIMENSIONLESS;
        else if (da === undefined && db === undefined) {
          wa = want;
          wb = DIMENSIONLESS;
        }
      }
      return `(${num(a, wa)} ${op} ${num(b, wb)})`;
    }
    case "call":
      return call(e, scope, want, dimOf, num);
  }
  function powBase(a: IRExpr, b: IRExpr, w: Dim | undefined): string {
    const da = dimOf(a);
    if (da !== undefined) return num(a, da);
    return num(a, w && b.k === "num" && b.v !== 0 ? dimPow(w, 1 / b.v) : DIMENSIONLESS);
  }
}

function call(
  e: Extract<IRExpr, { k: "call" }>,
  scope: NameScope,
  want: Dim | undefined,
  dimOf: (x: IRExpr) => Dim | undefined,
  num: (x: IRExpr, w?: Dim) => string,
): string {
  const [x, y, z] = e.args;
  const same = (): Dim | undefined => want ?? e.args.map(dimOf).find((d) => d !== undefined);
  switch (e.fn) {
    case "exp":
    case "log":
    case "tanh":
    case "sin":
    case "cos":
      return `${e.fn}(${num(x!, DIMENSIONLESS)})`;
    case "sigmoid":
      return `(1/(1 + exp(-${num(x!, DIMENSIONLESS)})))`;
    case "sqrt": {
      const d = dimOf(x!) ?? (want ? dimPow(want, 2) : DIMENSIONLESS);
      return `sqrt(${num(x!, d)})`;
    }
    case "abs":
    case "floor":
    case "ceil": {
      const d = same();
      return `${e.fn}(${num(x!, d)})`;
    }
    case "pow": {
      const d = dimOf(x!) ?? (want && y!.k === "num" && y!.v !== 0 ? dimPow(want, 1 / y!.v) : DIMENSIONLESS);
      return `(${num(x!, d)}**${num(y!, DIMENSIONLESS)})`;
    }
    case "min":
    case "max": {
      const d = same();
      const inf = literal(e.fn === "min" ? -Infinity : Infinity, d);
      return e.fn === "min"
        ? `clip(${num(x!, d)}, ${inf}, ${num(y!, d)})`
        : `clip(${num(x!, d)}, ${num(y!, d)}, ${inf})`;
    }
    case "clip": {
      const d = same();
      return `clip(${num(x!, d)}, ${num(y!, d)}, ${num(z!, d)})`;
    }
    case "int":
      // Brian2's int() truncates toward zero, as glia's does (docs/language.md)
      return `int(${num(x!, DIMENSIONLESS)})`;
    case "heaviside": {
      const d = dimOf(x!) ?? DIMENSIONLESS;
      return `int(${num(x!, d)} > ${literal(0, d)})`;
    }
  }
}
