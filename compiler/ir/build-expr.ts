// Lowering of AST expressions and statements to IR, and a small dimension inference.
// In: checked AST expressions/statements and a name resolver; out: IRExpr / IRStmt / IRInit in SI
// units, and printable dimensions. Used by build.ts for models and networks alike.

import type { Expr, Stmt, UnitExpr } from "../syntax/ast.js";
import type { IRExpr, IRInit, IRStmt, Ref } from "./nodes.js";
import {
  BUILTINS,
  DISTRIBUTIONS,
  isBuiltin,
  isDistribution,
  unreachable,
  type DimRule,
} from "../builtins/functions.js";
import { add, bin, bool, call, div, mul, neg, num, ref, sel, sub } from "./expr.js";
import { evalNumber } from "./evaluate.js";
import { attachSpan } from "./spans.js";
import { DIM, DIMENSIONLESS, type Dim, dimDiv, dimMul, dimPow, evalUnit } from "../units/units.js";

export interface LowerCtx {
  /** A plain name to a ref (params, state, inputs, aliases, locals, modulators, i/j), or undefined. */
  resolve: (name: string) => Ref | undefined;
  /** The `onto` variable that `post.target` names in a synapse. */
  onto?: string;
  /** A name that stands for a constant here (`N`, the population size, in a group's initial values). */
  constant?: (name: string) => number | undefined;
}

export function unitScale(u: UnitExpr | undefined): number {
  if (!u) return 1;
  const r = evalUnit(u);
  return r.ok ? r.scale : 1;
}

/** value * scale, dividing by 1/scale when that is an integer (so -52 mV is -0.052, not -0.052000000000000005). */
export function toSI(value: number, scale: number): number {
  if (scale < 1) {
    const inv = Math.round(1 / scale);
    if (Math.abs(1 / scale - inv) <= 1e-9 * inv) return value / inv;
  }
  return value * scale;
}

function memberRef(object: "pre" | "post" | "astro" | "mod", name: string, ctx: LowerCtx): Ref {
  if (object === "post" && name === "target" && ctx.onto !== undefined) return { space: "post", name: ctx.onto };
  return { space: object, name };
}

function resolveName(name: string, ctx: LowerCtx): IRExpr {
  const r = ctx.resolve(name);
  if (r) return { k: "ref", ref: r };
  const c = ctx.constant?.(name);
  if (c !== undefined) return num(c);
  if (name === "t") return ref("t", "t");
  if (name === "dt") return ref("dt", "dt");
  if (name === "pi") return num(Math.PI);
  if (name === "e") return num(Math.E);
  // white noise of an ODE (the checker allowed it only there): solve-odes turns it into per-step draws
  if (/^xi(_[A-Za-z0-9_]+)?$/.test(name)) return ref("noise", name);
  // unreachable after a successful check; keep the name visible to the verifier
  return ref("param", name);
}

/** An AST expression as IR (distributions are not expressions: see lowerInit); every node keeps the
 *  span of the source expression it came from (spans.ts). */
export function lowerExpr(e: Expr, ctx: LowerCtx): IRExpr {
  return attachSpan(lowerNode(e, ctx), e.span);
}

function lowerNode(e: Expr, ctx: LowerCtx): IRExpr {
  switch (e.kind) {
    case "Number":
      return num(toSI(e.value, unitScale(e.unit)));
    case "Bool":
      return bool(e.value);
    case "String":
      return num(0); // strings only appear as generator/file arguments, read elsewhere
    case "Name":
      return resolveName(e.name, ctx);
    case "Member":
      if (typeof e.object === "object") return ref("popmean", `${e.object.population}.${e.name}`);
      return { k: "ref", ref: memberRef(e.object, e.name, ctx) };
    case "Unary": {
      const a = lowerExpr(e.operand, ctx);
      return e.op === "-" ? neg(a) : e.op === "not" ? { k: "not", a } : a;
    }
    case "Binary": {
      const a = lowerExpr(e.left, ctx);
      const b = lowerExpr(e.right, ctx);
      if (e.op === "^") return call("pow", a, b);
      // floored remainder, in IR arithmetic every target already has: a - b * floor(a / b)
      if (e.op === "%") return bin("-", a, bin("*", b, call("floor", bin("/", a, b))));
      return bin(e.op, a, b);
    }
    case "Conditional":
      return sel(lowerExpr(e.cond, ctx), lowerExpr(e.then, ctx), lowerExpr(e.otherwise, ctx));
    case "Call": {
      if (e.callee === "rate" && e.args[0]?.value.kind === "Name") return ref("poprate", e.args[0].value.name);
      if (e.callee === "mean" && e.args[0]) return lowerExpr(e.args[0].value, ctx);
      if (isBuiltin(e.callee)) return call(e.callee, ...e.args.map((a) => lowerExpr(a.value, ctx)));
      return num(0); // distributions inside larger expressions are rejected by the checker
    }
    case "List":
      return num(0);
  }
}

// ---------------------------------------------------------------- statements

export function lowerStmts(stmts: readonly Stmt[], ctx: LowerCtx): IRStmt[] {
  const locals = new Set<string>();
  const inner: LowerCtx = { ...ctx, resolve: (n) => (locals.has(n) ? { space: "local", name: n } : ctx.resolve(n)) };
  const out: IRStmt[] = [];
  for (const s of stmts) {
    switch (s.kind) {
      case "Let":
        out.push({ k: "let", name: s.name, value: lowerExpr(s.value, inner), span: s.span });
        locals.add(s.name);
        break;
      case "If":
        out.push({
          k: "if",
          c: lowerExpr(s.cond, inner),
          then: lowerStmts(s.then, inner),
          otherwise: lowerStmts(s.otherwise, inner),
          span: s.span,
        });
        break;
      case "Assign": {
        const target: Ref =
          s.target.kind === "Member"
            ? memberRef(s.target.object, s.target.name, inner)
            : (inner.resolve(s.target.name) ?? { space: "state", name: s.target.name });
        const v = lowerExpr(s.value, inner);
        const old: IRExpr = { k: "ref", ref: target };
        const value =
          s.op === "="
            ? v
            : attachSpan(
                s.op === "+=" ? add(old, v) : s.op === "-=" ? sub(old, v) : s.op === "*=" ? mul(old, v) : div(old, v),
                s.span,
              );
        out.push({ k: "assign", target, value, span: s.span });
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- initial values

type Dist = "uniform" | "normal" | "lognormal" | "truncated_normal";

/** A value as an IRInit: a plain expression, or a distribution times/plus constants
 *  (`lognormal(0, 0.3) * 20 ms`, `uniform(a, b)`, `V0 + normal(0 mV, 1 mV)`). */
export function lowerInit(e: Expr, ctx: LowerCtx): Exclude<IRInit, { k: "table" }> {
  const d = distForm(e, ctx);
  return d ?? { k: "expr", e: lowerExpr(e, ctx) };
}

function hasDist(e: Expr): boolean {
  switch (e.kind) {
    case "Call":
      return isDistribution(e.callee) || e.args.some((a) => hasDist(a.value));
    case "Unary":
      return hasDist(e.operand);
    case "Binary":
      return hasDist(e.left) || hasDist(e.right);
    case "Conditional":
      return hasDist(e.cond) || hasDist(e.then) || hasDist(e.otherwise);
    default:
      return false;
  }
}

function distForm(e: Expr, ctx: LowerCtx): Extract<IRInit, { k: "dist" }> | undefined {
  if (!hasDist(e)) return undefined;
  switch (e.kind) {
    case "Call": {
      if (!isDistribution(e.callee)) return undefined;
      return { k: "dist", dist: e.callee as Dist, args: e.args.map((a) => lowerExpr(a.value, ctx)), scale: 1 };
    }
    case "Unary": {
      const d = distForm(e.operand, ctx);
      if (!d || e.op !== "-") return e.op === "+" ? d : undefined;
      return scaleDist(d, -1);
    }
    case "Binary": {
      const leftD = hasDist(e.left);
      const d = distForm(leftD ? e.left : e.right, ctx);
      if (!d) return undefined;
      const other = lowerExpr(leftD ? e.right : e.left, ctx);
      const k = evalNumber(other);
      if (e.op === "*" && k !== undefined) return scaleDist(d, k);
      if (e.op === "/" && leftD && k !== undefined) return scaleDist(d, 1 / k);
      if ((e.op === "+" || (e.op === "-" && leftD)) && d.dist !== "lognormal" && d.scale === 1) {
        const shift = e.op === "+" ? other : neg(other);
        const args =
          d.dist === "uniform"
            ? [add(d.args[0]!, shift), add(d.args[1]!, shift)]
            : d.dist === "truncated_normal"
              ? [add(d.args[0]!, shift), d.args[1]!, add(d.args[2]!, shift), add(d.args[3]!, shift)]
              : [add(d.args[0]!, shift), d.args[1]!];
        return { ...d, args };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** c * dist: lognormal keeps a scale; uniform and normal fold c into their arguments (a truncated normal's
 *  bounds too, swapped when c < 0). */
function scaleDist(d: Extract<IRInit, { k: "dist" }>, c: number): Extract<IRInit, { k: "dist" }> {
  if (d.dist === "lognormal") return { ...d, scale: d.scale * c };
  if (d.dist === "uniform") return { ...d, args: d.args.map((a) => mul(a, num(c))) };
  if (d.dist === "truncated_normal") {
    const [m, , lo, hi] = d.args.map((a) => mul(a, num(c)));
    return { ...d, args: [m!, mul(d.args[1]!, num(Math.abs(c))), c < 0 ? hi! : lo!, c < 0 ? lo! : hi!] };
  }
  return { ...d, args: [mul(d.args[0]!, num(c)), mul(d.args[1]!, num(Math.abs(c)))] };
}

// ---------------------------------------------------------------- dimensions

/** The dimension of an AST expression, as far as simple rules can tell (undefined: unknown). */
export function inferDim(e: Expr, dimOf: (name: string) => Dim | undefined): Dim | undefined {
  const go = (x: Expr): Dim | undefined => {
    switch (x.kind) {
      case "Number": {
        if (!x.unit) return DIMENSIONLESS;
        const u = evalUnit(x.unit);
        return u.ok ? u.dim : undefined;
      }
      case "Bool":
      case "String":
      case "List":
        return DIMENSIONLESS;
      case "Name":
        if (x.name === "t" || x.name === "dt") return DIM.time;
        if (x.name === "pi" || x.name === "e") return DIMENSIONLESS;
        return (
          dimOf(x.name) ??
          (["i", "j", "N"].includes(x.name)
            ? DIMENSIONLESS
            : /^xi(_[A-Za-z0-9_]+)?$/.test(x.name)
              ? dimPow(DIM.time, -0.5)
              : undefined)
        );
      case "Member":
        return undefined;
      case "Unary":
        return x.op === "not" ? DIMENSIONLESS : go(x.operand);
      case "Binary": {
        if (["<", "<=", ">", ">=", "==", "!=", "and", "or"].includes(x.op)) return DIMENSIONLESS;
        const a = go(x.left);
        if (x.op === "^") return a && x.right.kind === "Number" ? dimPow(a, x.right.value) : a;
        const b = go(x.right);
        if (x.op === "+" || x.op === "-" || x.op === "%") return a ?? b;
        if (!a || !b) return undefined;
        return x.op === "*" ? dimMul(a, b) : dimDiv(a, b);
      }
      case "Conditional":
        return go(x.then) ?? go(x.otherwise);
      case "Call": {
        const first = x.args[0] ? go(x.args[0].value) : undefined;
        if (x.callee === "rate") return DIM.frequency;
        if (x.callee === "mean") return undefined;
        const rule: DimRule = isBuiltin(x.callee)
          ? BUILTINS[x.callee].dims
          : isDistribution(x.callee)
            ? DISTRIBUTIONS[x.callee].dims
            : "to-dimensionless";
        switch (rule) {
          case "same":
            return first;
          case "sqrt":
            return first && dimPow(first, 0.5);
          case "power": {
            const ex = x.args[1]?.value;
            return first && ex?.kind === "Number" ? dimPow(first, ex.value) : first;
          }
          case "dimensionless":
          case "to-dimensionless":
            return DIMENSIONLESS;
          default:
            return unreachable(rule);
        }
      }
    }
  };
  return go(e);
}
