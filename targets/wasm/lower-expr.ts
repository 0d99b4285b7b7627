// IR expressions and statements to binaryen expressions in one lane shape (lanes.ts).
// In: IRExpr / IRStmt[] and a Scope resolving refs; out: value or mask expressions and statement lists.
// Vector scopes if-convert `if` statements (predication: assignments are blended under a mask, no
// branches); scalar scopes emit real branches. Evaluation order follows targets/reference/codegen.ts.

import type { IRExpr, IRStmt, Ref } from "../../compiler/ir/nodes.js";
import { TargetError } from "../target.js";
import type { Expr } from "./module.js";
import type { Fn } from "./fn.js";
import type { Lanes } from "./lanes.js";

/** A lowered expression: a number or a boolean mask. */
export type Val = { k: "num"; e: Expr } | { k: "mask"; e: Expr };

export interface Scope {
  readonly lanes: Lanes;
  readonly fn: Fn;
  /** What a ref reads (numbers, or a mask for flags). Throws TargetError when unsupported. */
  read(r: Ref): Val;
  /** Stores `value` into ref `r`; `mask` (a mask local, vector scopes) selects the lanes that take it. */
  write(r: Ref, value: Expr, mask: number | null): Expr;
  /** Where the scope is (for messages). */
  readonly where: string;
}

export function asNum(s: Scope, v: Val): Expr {
  return v.k === "num" ? v.e : s.lanes.maskToNum(v.e);
}

export function asMask(s: Scope, v: Val): Expr {
  return v.k === "mask" ? v.e : s.lanes.numToMask(v.e);
}

/** The local holding IR local `name`. */
export function localIndex(s: Scope, name: string): number {
  return s.fn.local(`l_${name}`, s.lanes.vt);
}

export function lowerExpr(e: IRExpr, s: Scope): Val {
  const L = s.lanes;
  const num = (x: IRExpr): Expr => asNum(s, lowerExpr(x, s));
  const mask = (x: IRExpr): Expr => asMask(s, lowerExpr(x, s));
  switch (e.k) {
    case "num":
      return { k: "num", e: L.num(e.v) };
    case "bool":
      return { k: "mask", e: L.maskConst(e.v) };
    case "ref":
      if (e.ref.space === "local") return { k: "num", e: s.fn.get(localIndex(s, e.ref.name)) };
      return s.read(e.ref);
    case "neg":
      return { k: "num", e: L.neg(num(e.a)) };
    case "not":
      return { k: "mask", e: L.not(mask(e.a)) };
    case "sel": {
      const c = mask(e.c);
      const a = lowerExpr(e.a, s);
      const b = lowerExpr(e.b, s);
      if (a.k === "mask" && b.k === "mask") return { k: "mask", e: L.selectMask(c, a.e, b.e) };
      return { k: "num", e: L.select(c, asNum(s, a), asNum(s, b)) };
    }
    case "call":
      return { k: "num", e: L.call(e.fn, e.args.map(num), s.fn) };
    case "bin":
      switch (e.op) {
        case "and":
          return { k: "mask", e: L.and(mask(e.a), mask(e.b)) };
        case "or":
          return { k: "mask", e: L.or(mask(e.a), mask(e.b)) };
        case "+":
          return { k: "num", e: L.add(num(e.a), num(e.b)) };
        case "-":
          return { k: "num", e: L.sub(num(e.a), num(e.b)) };
        case "*":
          return { k: "num", e: L.mul(num(e.a), num(e.b)) };
        case "/":
          return { k: "num", e: L.div(num(e.a), num(e.b)) };
        case "pow":
          return { k: "num", e: L.call("pow", [num(e.a), num(e.b)], s.fn) };
        default:
          return { k: "mask", e: L.cmp(e.op, num(e.a), num(e.b)) };
      }
  }
}

/**
 * Statements in order. `mask` is the local holding the active-lane mask of vector scopes (null = all
 * lanes / scalar). Vector scopes predicate `if`; scalar scopes branch.
 */
export function lowerStmts(stmts: readonly IRStmt[], s: Scope, mask: number | null = null): Expr[] {
  const L = s.lanes;
  const out: Expr[] = [];
  const fn = s.fn;
  const blendLocal = (idx: number, value: Expr): Expr =>
    fn.set(idx, mask === null ? value : L.select(fn.get(mask), value, fn.get(idx)));
  for (const st of stmts) {
    switch (st.k) {
      case "let":
        out.push(blendLocal(localIndex(s, st.name), asNum(s, lowerExpr(st.value, s))));
        break;
      case "assign":
        if (st.target.space === "local")
          out.push(blendLocal(localIndex(s, st.target.name), asNum(s, lowerExpr(st.value, s))));
        else out.push(s.write(st.target, asNum(s, lowerExpr(st.value, s)), mask));
        break;
      case "if": {
        if (L.width === 1) {
          const c = asMask(s, lowerExpr(st.c, s));
          const then = fn.block(lowerStmts(st.then, s, null));
          const otherwise = st.otherwise.length ? fn.block(lowerStmts(st.otherwise, s, null)) : undefined;
          out.push(fn.ir.if(c, then, otherwise));
          break;
        }
        // predication: the condition is evaluated once; then/else run under their own mask locals
        const c = fn.tmp(L.mt);
        out.push(fn.set(c, asMask(s, lowerExpr(st.c, s))));
        const thenMask = fn.tmp(L.mt);
        out.push(fn.set(thenMask, mask === null ? fn.get(c) : L.and(fn.get(c), fn.get(mask))));
        out.push(...lowerStmts(st.then, s, thenMask));
        if (st.otherwise.length) {
          const elseMask = fn.tmp(L.mt);
          out.push(fn.set(elseMask, mask === null ? L.not(fn.get(c)) : L.and(L.not(fn.get(c)), fn.get(mask))));
          out.push(...lowerStmts(st.otherwise, s, elseMask));
        }
        break;
      }
    }
  }
  return out;
}

export function unsupportedRef(r: Ref, where: string): never {
  throw new TargetError(`the wasm target cannot read ${r.space}${r.name ? "." + r.name : ""} in ${where}`);
}
