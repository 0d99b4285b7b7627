// Dimension (and boolean/number) inference of one expression in a scope, with the unit rules of the
// language. In: an Expr and an ExprEnv (names, members, where it sits); out: its type Ty; problems
// go to env.diags (E0201, E0204, E0208, E0209, E0211, E030x, E0412).

import type { Expr, Arg } from "../syntax/ast.js";
import type { Diagnostics, Related } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import {
  DIM,
  DIMENSIONLESS,
  UNITS,
  closest,
  dimDiv,
  dimEq,
  dimMul,
  dimPow,
  evalUnit,
  formatDim,
  isDimensionless,
  isUnitSymbol,
  type Dim,
} from "../units/units.js";
import { DISTRIBUTIONS, FUNCTIONS, MODULATOR_FUNCTIONS, allFunctionNames } from "./builtins.js";
import {
  BUILTINS,
  DISTRIBUTIONS as DISTRIBUTION_TABLE,
  isBuiltin,
  isDistribution,
  unreachable,
  type DimRule,
} from "../builtins/functions.js";
import { constValue } from "./const-value.js";

/** The type of an expression. A number's dim is undefined when it is not known yet (generic parameter,
 * pre./post. outside an instantiation): nothing is reported about unknown dimensions. */
export type Ty =
  { t: "num"; dim: Dim | undefined } | { t: "bool" } | { t: "str" } | { t: "list"; items: Ty[] } | { t: "err" }; // already reported; suppresses follow-up errors

export const ERR: Ty = { t: "err" };
export const num = (dim: Dim | undefined): Ty => ({ t: "num", dim });
export const BOOL: Ty = { t: "bool" };

export type NameExpr = Extract<Expr, { kind: "Name" }>;
export type MemberExpr = Extract<Expr, { kind: "Member" }>;
export type CallExpr = Extract<Expr, { kind: "Call" }>;

export interface ExprWhere {
  /** uniform/normal/lognormal allowed (initial values, population/connect args, delays). */
  distributions: boolean;
  /** rate(POP) and mean(POP.var) allowed (modulator expressions). */
  modulator: boolean;
  /** White noise `xi` / `xi_NAME` allowed (right sides of neuron and astrocyte ODEs). */
  noise?: boolean;
}

/** White noise names: `xi` and `xi_SUFFIX` (Brian2's convention: one suffix = one independent noise). */
export const isNoiseName = (name: string): boolean => /^xi(_[A-Za-z0-9_]+)?$/.test(name);

/** The dimension of white noise: 1/sqrt(time). */
export const NOISE_DIM = dimPow(DIM.time, -0.5);

export interface ExprEnv {
  readonly diags: Diagnostics;
  readonly where: ExprWhere;
  /** Extra notes attached to dimension errors (e.g. the connect that instantiates a synapse). */
  readonly related: Related[];
  /** Type of a declared or built-in name; undefined when it is not declared here. */
  resolveName(e: NameExpr): Ty | undefined;
  /** Names visible here, for did-you-mean hints. */
  candidates(): Iterable<string>;
  /** Type of pre.X / post.X / astro.X / mod.X / POP.X; the env reports its own errors. */
  resolveMember(e: MemberExpr): Ty;
  /** rate(POP) / mean(POP.var) in modulator expressions. */
  resolveModulatorCall(e: CallExpr): Ty;
  /** Numeric value of a constant name (parameters with constant values), for exponents. */
  constant(name: string): number | undefined;
}

export function describeTy(ty: Ty): string {
  switch (ty.t) {
    case "num":
      return ty.dim ? formatDim(ty.dim) : "a number";
    case "bool":
      return "a boolean";
    case "str":
      return "a string";
    case "list":
      return "a list";
    case "err":
      return "an invalid value";
  }
}

/** Reports an unknown unit symbol with a did-you-mean hint. */
export function reportUnknownUnit(diags: Diagnostics, name: string, span: Span): void {
  const near = closest(name, UNITS.keys());
  const hint = near
    ? `did you mean \`${near}\`?`
    : name === "m" || name === "g"
      ? "bare `m` and `g` are not units; write `metre` or `kg`"
      : "see the unit symbols in docs/language.md";
  diags.error("E0211", span, `unknown unit \`${name}\``, { hint });
}

/** The type of `e`; errors are reported once, at the tightest span. */
export function inferExpr(e: Expr, env: ExprEnv): Ty {
  switch (e.kind) {
    case "Number": {
      if (!e.unit) return num(DIMENSIONLESS);
      const u = evalUnit(e.unit);
      if (!u.ok) {
        reportUnknownUnit(env.diags, u.unknown.name, u.unknown.span);
        return ERR;
      }
      return num(u.dim);
    }
    case "Bool":
      return BOOL;
    case "String":
      return { t: "str" };
    case "Name":
      return inferName(e, env);
    case "Member":
      return env.resolveMember(e);
    case "Unary": {
      const x = inferExpr(e.operand, env);
      if (e.op === "not") return expectBool(x, e.operand.span, env, "`not` needs a boolean operand") ? BOOL : ERR;
      return asNumber(x, e.operand.span, env);
    }
    case "Binary":
      return inferBinary(e, env);
    case "Conditional": {
      const c = inferExpr(e.cond, env);
      expectBool(c, e.cond.span, env, "the condition of `?:` must be a comparison or boolean");
      const a = inferExpr(e.then, env);
      const b = inferExpr(e.otherwise, env);
      if (a.t === "err" || b.t === "err") return ERR;
      if (a.t === "bool" && b.t === "bool") return BOOL;
      const an = asNumber(a, e.then.span, env);
      const bn = asNumber(b, e.otherwise.span, env);
      if (an.t !== "num" || bn.t !== "num") return ERR;
      return sameDims(
        an,
        bn,
        e.span,
        env,
        "E0301",
        (x, y) => `the branches of \`?:\` have different dimensions: ${x} and ${y}`,
      );
    }
    case "Call":
      return inferCall(e, env);
    case "List":
      return { t: "list", items: e.items.map((x) => inferExpr(x, env)) };
  }
}

function inferName(e: NameExpr, env: ExprEnv): Ty {
  if (e.name === "t" || e.name === "dt") return num(DIM.time);
  if (e.name === "pi" || e.name === "e") return num(DIMENSIONLESS);
  const ty = env.resolveName(e);
  if (ty) return ty;
  if (isNoiseName(e.name)) {
    if (env.where.noise) return num(NOISE_DIM);
    env.diags.error("E0420", e.span, `white noise \`${e.name}\` can only appear in the right side of an ODE`, {
      hint: "write it into a neuron's or astrocyte's equation, e.g. v' = (E_L - v) / tau + sigma * sqrt(2 / tau) * xi",
    });
    return ERR;
  }
  let hint: string | undefined;
  if (isUnitSymbol(e.name)) hint = `units are written after a number: 1 ${e.name}`;
  else {
    const near = closest(e.name, [...env.candidates(), "t", "dt", "pi", "e"]);
    if (near) hint = `did you mean \`${near}\`?`;
  }
  env.diags.error("E0201", e.span, `\`${e.name}\` is not declared`, { hint });
  return ERR;
}

/** A number type, or an error when a boolean/string/list is used as one. */
export function asNumber(ty: Ty, span: Span, env: ExprEnv): Ty {
  if (ty.t === "num" || ty.t === "err") return ty;
  if (ty.t === "bool") {
    env.diags.error("E0306", span, "a boolean cannot be used as a number", {
      hint: "write `c ? 1 : 0` to turn a condition into a number",
    });
  } else {
    env.diags.error("E0306", span, `${describeTy(ty)} cannot be used as a number here`);
  }
  return ERR;
}

export function expectBool(ty: Ty, span: Span, env: ExprEnv, message: string): boolean {
  if (ty.t === "bool") return true;
  if (ty.t === "err") return false;
  env.diags.error("E0305", span, `${message}, but this is ${describeTy(ty)}`, {
    hint: "compare with `<`, `>`, `==`, ... to get a boolean",
  });
  return false;
}

function sameDims(
  a: Ty & { t: "num" },
  b: Ty & { t: "num" },
  span: Span,
  env: ExprEnv,
  code: "E0301" | "E0308",
  msg: (x: string, y: string) => string,
): Ty {
  if (!a.dim || !b.dim) return num(a.dim ?? b.dim);
  if (!dimEq(a.dim, b.dim)) {
    env.diags.error(code, span, msg(formatDim(a.dim), formatDim(b.dim)), {
      related: env.related,
      hint: "both sides must have the same physical dimension",
    });
    return ERR;
  }
  return num(a.dim);
}

const VERB: Record<string, string> = { "+": "add", "-": "subtract" };

function inferBinary(e: Extract<Expr, { kind: "Binary" }>, env: ExprEnv): Ty {
  const l = inferExpr(e.left, env);
  const r = inferExpr(e.right, env);
  switch (e.op) {
    case "and":
    case "or": {
      const okL = expectBool(l, e.left.span, env, `\`${e.op}\` needs boolean operands`);
      const okR = expectBool(r, e.right.span, env, `\`${e.op}\` needs boolean operands`);
      return okL && okR ? BOOL : ERR;
    }
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=": {
      if ((e.op === "==" || e.op === "!=") && l.t === "bool" && r.t === "bool") return BOOL;
      const a = asNumber(l, e.left.span, env);
      const b = asNumber(r, e.right.span, env);
      if (a.t !== "num" || b.t !== "num") return ERR;
      const s = sameDims(a, b, e.span, env, "E0308", (x, y) => `cannot compare ${x} and ${y}`);
      return s.t === "err" ? ERR : BOOL;
    }
    case "+":
    case "-": {
      const a = asNumber(l, e.left.span, env);
      const b = asNumber(r, e.right.span, env);
      if (a.t !== "num" || b.t !== "num") return ERR;
      return sameDims(a, b, e.span, env, "E0301", (x, y) => `cannot ${VERB[e.op]} ${x} and ${y}`);
    }
    case "%": {
      // floored remainder: both operands of one dimension, the result in it (a - b * floor(a / b))
      const a = asNumber(l, e.left.span, env);
      const b = asNumber(r, e.right.span, env);
      if (a.t !== "num" || b.t !== "num") return ERR;
      return sameDims(a, b, e.span, env, "E0301", (x, y) => `cannot take the remainder of ${x} by ${y}`);
    }
    case "*":
    case "/": {
      const a = asNumber(l, e.left.span, env);
      const b = asNumber(r, e.right.span, env);
      if (a.t !== "num" || b.t !== "num") return ERR;
      if (!a.dim || !b.dim) return num(undefined);
      return num(e.op === "*" ? dimMul(a.dim, b.dim) : dimDiv(a.dim, b.dim));
    }
    case "^":
      return power(asNumber(l, e.left.span, env), asNumber(r, e.right.span, env), e.right, env);
  }
}

/** x^y and pow(x, y): y dimensionless; with a dimensioned x, y must be a constant. */
function power(base: Ty, exp: Ty, expExpr: Expr, env: ExprEnv): Ty {
  if (base.t !== "num" || exp.t !== "num") return ERR;
  if (exp.dim && !isDimensionless(exp.dim)) {
    env.diags.error("E0303", expExpr.span, `an exponent must be dimensionless, but this is ${formatDim(exp.dim)}`, {
      related: env.related,
    });
    return ERR;
  }
  if (!base.dim) return num(undefined);
  if (isDimensionless(base.dim)) return num(DIMENSIONLESS);
  const k = constValue(expExpr, (n) => env.constant(n));
  if (k === undefined || !Number.isFinite(k)) {
    env.diags.error("E0304", expExpr.span, `the exponent of a value in ${formatDim(base.dim)} must be a constant`, {
      related: env.related,
      hint: "the dimension of the result would depend on a run-time value; use a number such as 2 or 0.5",
    });
    return ERR;
  }
  return num(dimPow(base.dim, k));
}

function checkArity(e: CallExpr, arity: number, env: ExprEnv): boolean {
  let ok = true;
  for (const a of e.args) {
    if (a.name !== undefined) {
      env.diags.error("E0209", a.nameSpan ?? a.span, `\`${e.callee}\` takes no named arguments`, {
        hint: `write \`${e.callee}(x, ...)\``,
      });
      ok = false;
    }
  }
  if (e.args.length !== arity) {
    env.diags.error(
      "E0208",
      e.span,
      `\`${e.callee}\` takes ${arity} argument${arity === 1 ? "" : "s"}, but ${e.args.length} ${e.args.length === 1 ? "was" : "were"} given`,
    );
    ok = false;
  }
  return ok;
}

function inferCall(e: CallExpr, env: ExprEnv): Ty {
  if (MODULATOR_FUNCTIONS.has(e.callee)) {
    if (env.where.modulator) return env.resolveModulatorCall(e);
    env.diags.error("E0204", e.calleeSpan, `\`${e.callee}\` is only available in modulator expressions`, {
      hint: "declare a network modulator (`modulator r = rate(exc)`) and read it as mod.r",
    });
    return ERR;
  }
  if (e.callee === "csv_column") {
    // read by the population-argument rule (rules/data-column.ts) when it is a whole argument
    env.diags.error("E0204", e.calleeSpan, "`csv_column` can only be the whole value of a population argument", {
      hint: 'write the unit in the column\'s header instead of multiplying: csv_column("cells.csv", "tau_m_ms")',
    });
    return ERR;
  }
  const isDist = DISTRIBUTIONS.has(e.callee);
  const arity = FUNCTIONS.get(e.callee) ?? DISTRIBUTIONS.get(e.callee);
  if (arity === undefined) {
    const near = closest(e.callee, allFunctionNames());
    env.diags.error("E0204", e.calleeSpan, `unknown function \`${e.callee}\``, {
      hint: near ? `did you mean \`${near}\`?` : "see the built-in functions in docs/language.md",
    });
    e.args.forEach((a) => inferExpr(a.value, env));
    return ERR;
  }
  if (isDist && !env.where.distributions) {
    env.diags.error("E0412", e.span, `\`${e.callee}\` draws a random value; distributions are not allowed here`, {
      hint: "distributions may appear in parameter/state initial values, population and connect arguments and delays",
    });
    return ERR;
  }
  const args = e.args.map((a: Arg) => inferExpr(a.value, env));
  if (!checkArity(e, arity, env)) return ERR;
  const nums = args.map((ty, k) => asNumber(ty, e.args[k]!.value.span, env));
  if (nums.some((n) => n.t !== "num")) return ERR;
  const dims = nums.map((n) => (n as { dim: Dim | undefined }).dim);
  const argSpan = (k: number): Span => e.args[k]!.value.span;
  const dimless = (k: number): boolean => {
    const d = dims[k];
    if (!d || isDimensionless(d)) return true;
    env.diags.error(
      "E0303",
      argSpan(k),
      `the argument of \`${e.callee}\` must be dimensionless, but it is ${formatDim(d)}`,
      {
        related: env.related,
        hint: "divide by a reference value of the same dimension, e.g. exp(v / 1 mV)",
      },
    );
    return false;
  };
  const allSame = (): Ty => {
    let acc: Dim | undefined;
    for (let k = 0; k < dims.length; k++) {
      const d = dims[k];
      if (!d) continue;
      if (acc && !dimEq(acc, d)) {
        env.diags.error(
          "E0301",
          argSpan(k),
          `the arguments of \`${e.callee}\` must have the same dimension: ${formatDim(acc)} and ${formatDim(d)}`,
          { related: env.related },
        );
        return ERR;
      }
      acc = acc ?? d;
    }
    return dims.every((d) => d) ? num(acc) : num(undefined);
  };
  const rule: DimRule = isBuiltin(e.callee)
    ? BUILTINS[e.callee].dims
    : isDistribution(e.callee)
      ? DISTRIBUTION_TABLE[e.callee].dims
      : "same";
  switch (rule) {
    case "dimensionless":
      return dims.every((_, k) => dimless(k)) ? num(DIMENSIONLESS) : ERR;
    case "sqrt":
      return num(dims[0] ? dimPow(dims[0], 0.5) : undefined);
    case "to-dimensionless":
      return num(DIMENSIONLESS);
    case "power":
      return power(nums[0]!, nums[1]!, e.args[1]!.value, env);
    case "same":
      return allSame();
    default:
      return unreachable(rule);
  }
}
