// Rule: numbers stay finite. A constant (sub)expression whose value is infinite or NaN although its
// operands are finite, a unit scaling that overflows or underflows a literal (E0310), a division by a
// constant zero (E0311, `x / tau` with `tau = 0 ms` too: the rate would be infinite and the matrix
// exponential of the exact solver would never end), and a negative constant refractory period (E0416).
// Constants are literals, pi, e and, inside a model, its parameters' values: the defaults, then again with
// each population's or connect's constant arguments in their place (reported in the model, with the
// instantiating statement as related span; the fold pass checks what only the IR knows).
// In: the Program; out: diagnostics (each problem reported once, where it arises, not at its uses).

import {
  EXPR_KINDS,
  type Arg,
  type Expr,
  type ModelDef,
  type NetItem,
  type Program,
  type Stmt,
} from "../../syntax/ast.js";
import { Diagnostics, type Related } from "../../diagnostics/diagnostic.js";
import { evalUnit } from "../../units/units.js";
import { BUILTINS, isBuiltin } from "../../builtins/functions.js";
import type { ConstLookup } from "../const-value.js";
import { ARITHMETIC, arithmeticOf } from "../../builtins/operators.js";

const show = (x: number): string => (Number.isNaN(x) ? "NaN" : x > 0 ? "infinity" : "-infinity");

/** Where problems go: the diagnostics list, and the related spans of the instance being checked. */
interface Out {
  diags: Diagnostics;
  related: Related[];
}

const quietOut = (): Out => ({ diags: new Diagnostics(), related: [] });

export function checkNumbers(program: Program, diags: Diagnostics): void {
  const models = new Map<string, ModelDef>();
  for (const f of program.files) for (const m of f.models) if (!models.has(m.name)) models.set(m.name, m);
  for (const m of models.values()) checkModel(m, new Map(), { diags, related: [] });
  const none: ConstLookup = () => undefined;
  for (const f of program.files) {
    for (const n of f.networks) {
      const out: Out = { diags, related: [] };
      forEachRoot(n, (e) => scan(e, none, out), out, none);
      for (const item of n.items) checkInstance(item, models, diags);
    }
  }
}

function checkModel(m: ModelDef, args: ReadonlyMap<string, Expr>, out: Out): void {
  const lookup = parameterLookup(m, args);
  forEachRoot(m, (e) => scan(e, lookup, out), out, lookup);
  checkRefractory(m, lookup, out);
}

/** A population or connect with named arguments: its model again, with the arguments' values. */
function checkInstance(item: NetItem, models: ReadonlyMap<string, ModelDef>, diags: Diagnostics): void {
  if (item.kind !== "Population" && item.kind !== "Connect") return;
  const m = models.get(item.kind === "Population" ? item.model : item.synapse);
  const named = item.args.filter((a: Arg) => a.name !== undefined);
  if (!m || named.length === 0) return;
  const what = item.kind === "Population" ? `population ${item.name}` : "this connect";
  const related = [{ span: item.span, message: `${what} instantiates ${m.name} with these arguments` }];
  checkModel(m, new Map(named.map((a) => [a.name!, a.value])), { diags, related });
}

/** Finite values of a model's parameters (`args` first, else the defaults; computed on demand; a cycle
 *  is no constant). Arguments are network expressions: names in them are not the model's. A parameter's
 *  value is computed after those it names, with an explicit stack: a chain `p0 = p1`, `p1 = p2`, ... of
 *  10,000 parameters is as deep as that, and used to overflow the call stack. */
function parameterLookup(m: ModelDef, args: ReadonlyMap<string, Expr>): ConstLookup {
  const decls = new Map(m.parameters.map((d) => [d.name, d]));
  const done = new Map<string, number | undefined>();
  const quiet = quietOut();
  const source = (name: string): Expr | undefined => args.get(name) ?? decls.get(name)?.value;
  // while a chain is resolved, names still on the stack are cycles (no constant); all others are done
  const known: ConstLookup = (name) => done.get(name);
  const value = (name: string): number | undefined => {
    const arg = args.get(name);
    const v = arg ? scan(arg, () => undefined, quiet) : scan(decls.get(name)!.value!, known, quiet);
    return v !== undefined && Number.isFinite(v) ? v : undefined;
  };
  return (name) => {
    if (done.has(name) || !source(name)) return done.get(name);
    const stack: { name: string; deps: string[] }[] = [{ name, deps: depsOf(name, args, source) }];
    const onStack = new Set([name]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top.deps.pop();
      if (next !== undefined) {
        if (!done.has(next) && !onStack.has(next)) {
          stack.push({ name: next, deps: depsOf(next, args, source) });
          onStack.add(next);
        }
        continue;
      }
      done.set(top.name, value(top.name));
      onStack.delete(top.name);
      stack.pop();
    }
    return done.get(name);
  };
}

/** The parameters (with a value) that the value of parameter `name` names; an argument names none of them. */
function depsOf(name: string, args: ReadonlyMap<string, Expr>, source: (n: string) => Expr | undefined): string[] {
  if (args.has(name)) return [];
  const out: string[] = [];
  const stack: unknown[] = [source(name)];
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) for (const y of x) stack.push(y);
    else if (typeof x === "object" && x !== null) {
      const node = x as { kind?: unknown; name?: unknown };
      if (node.kind === "Name" && typeof node.name === "string" && source(node.name)) out.push(node.name);
      else for (const [k, v] of Object.entries(x)) if (k !== "span" && !k.endsWith("Span")) stack.push(v);
    }
  }
  return out;
}

/** Calls `f` on every outermost expression under `node`; `x /= 0` statements are checked here. */
function forEachRoot(node: unknown, f: (e: Expr) => void, out: Out, lookup: ConstLookup): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      for (const y of x) stack.push(y);
      continue;
    }
    if (typeof x !== "object" || x === null) continue;
    const kind = (x as { kind?: unknown }).kind;
    if (typeof kind === "string" && EXPR_KINDS.has(kind)) {
      f(x as Expr);
      continue;
    }
    if (kind === "If") {
      // only the branches a constant condition can take
      const st = x as Extract<Stmt, { kind: "If" }>;
      const c = condition(st.cond, lookup);
      f(st.cond);
      if (c !== false) stack.push(st.then);
      if (c !== true) stack.push(st.otherwise);
      continue;
    }
    if (kind === "Assign") {
      const s = x as Extract<Stmt, { kind: "Assign" }>;
      if (s.op === "/=" && scan(s.value, lookup, quietOut()) === 0) divisionByZero(s.value, out);
    }
    for (const [k, v] of Object.entries(x)) if (k !== "span" && !k.endsWith("Span")) stack.push(v);
  }
}

function divisionByZero(divisor: Expr, out: Out): void {
  out.diags.error("E0311", divisor.span, "division by zero: this divisor is a constant 0", {
    related: out.related,
    hint:
      divisor.kind === "Name"
        ? `\`${divisor.name}\` is 0; give it a nonzero value (a time constant of 0 would make the rate infinite)`
        : "divide by a nonzero value",
  });
}

function nonFinite(e: Expr, v: number, why: string, out: Out): void {
  out.diags.error("E0310", e.span, `this constant is ${show(v)}${why}`, {
    related: out.related,
    hint: "every value must be a finite number; check the magnitudes and the operands of this expression",
  });
}

/** The constant value of `e` (undefined: not constant, or already reported as non-finite), reporting
 *  the innermost place where a non-finite value arises from finite operands. */
function scan(e: Expr, lookup: ConstLookup, out: Out): number | undefined {
  switch (e.kind) {
    case "Number": {
      if (!Number.isFinite(e.value)) return undefined; // the lexer reported the literal (E0117)
      if (!e.unit) return e.value;
      const u = evalUnit(e.unit);
      if (!u.ok) return undefined;
      const v = e.value * u.scale;
      if (!Number.isFinite(v)) nonFinite(e, v, " once its unit is applied", out);
      else if (v === 0 && e.value !== 0) {
        out.diags.error("E0310", e.span, "this number underflows to 0 once its unit is applied", {
          related: out.related,
          hint: "a nonzero value must be above 5e-324 in SI units; write 0 if zero is meant",
        });
        return undefined;
      }
      return Number.isFinite(v) ? v : undefined;
    }
    case "Name":
      if (e.name === "pi") return Math.PI;
      if (e.name === "e") return Math.E;
      return lookup(e.name);
    case "Unary": {
      const v = scan(e.operand, lookup, out);
      return v === undefined || e.op === "not" ? undefined : e.op === "-" ? -v : v;
    }
    case "Binary": {
      const a = scan(e.left, lookup, out);
      const b = scan(e.right, lookup, out);
      if (e.op === "/" && b === 0) {
        divisionByZero(e.right, out);
        return undefined;
      }
      if (a === undefined || b === undefined) return undefined;
      const v = binary(e.op, a, b);
      if (v !== undefined && !Number.isFinite(v)) {
        nonFinite(e, v, "", out);
        return undefined;
      }
      return v;
    }
    case "Conditional": {
      // a branch a constant condition never takes is not checked (`tau > 0 ms ? x / tau : 0`)
      scan(e.cond, lookup, out);
      const c = condition(e.cond, lookup);
      if (c !== false) scan(e.then, lookup, out);
      if (c !== true) scan(e.otherwise, lookup, out);
      return undefined;
    }
    case "Call": {
      const xs = e.args.map((a) => scan(a.value, lookup, out));
      if (!isBuiltin(e.callee) || e.args.some((a) => a.name !== undefined)) return undefined;
      const f = BUILTINS[e.callee];
      if (xs.some((x) => x === undefined) || xs.length !== f.arity) return undefined;
      const v = f.eval(...(xs as number[]));
      if (!Number.isFinite(v)) {
        nonFinite(e, v, ` (${e.callee} of these arguments)`, out);
        return undefined;
      }
      return v;
    }
    case "List":
      for (const x of e.items) scan(x, lookup, out);
      return undefined;
    default:
      return undefined;
  }
}

/** The value of a constant comparison (undefined: not constant or not a comparison). */
function condition(e: Expr, lookup: ConstLookup): boolean | undefined {
  if (e.kind === "Bool") return e.value;
  if (e.kind !== "Binary") return undefined;
  const quiet = quietOut();
  const a = scan(e.left, lookup, quiet);
  const b = scan(e.right, lookup, quiet);
  if (a === undefined || b === undefined) return undefined;
  const cmp: Record<string, (x: number, y: number) => boolean> = {
    "<": (x, y) => x < y,
    "<=": (x, y) => x <= y,
    ">": (x, y) => x > y,
    ">=": (x, y) => x >= y,
    "==": (x, y) => x === y,
    "!=": (x, y) => x !== y,
  };
  return cmp[e.op]?.(a, b);
}

function binary(op: string, a: number, b: number): number | undefined {
  const arith = arithmeticOf(op);
  return arith === undefined ? undefined : ARITHMETIC[arith](a, b);
}

/** E0416: a refractory period that is a negative constant. */
function checkRefractory(m: ModelDef, lookup: ConstLookup, out: Out): void {
  if (!m.refractory) return;
  const v = scan(m.refractory.period, lookup, quietOut());
  if (v !== undefined && v < 0) {
    out.diags.error("E0416", m.refractory.period.span, "the refractory period is negative", {
      related: out.related,
      hint: "write a time of 0 or more, e.g. `refractory 2 ms`",
    });
  }
}
