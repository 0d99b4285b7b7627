// Rule: numbers stay finite. A constant (sub)expression whose value is infinite or NaN although its
// operands are finite, a unit scaling that overflows or underflows a literal (E0310), a division by a
// constant zero (E0311, `x / tau` with `tau = 0 ms` too: the rate would be infinite and the matrix
// exponential of the exact solver would never end), and a negative constant refractory period (E0416).
// Constants are literals, pi, e and, inside a model, its parameters' default values (a population's or
// connect's arguments are bound later; the fold pass checks those instances).
// In: the Program; out: diagnostics (each problem reported once, where it arises, not at its uses).

import type { Expr, ModelDef, Program, Stmt } from "../../syntax/ast.js";
import { Diagnostics } from "../../diagnostics/diagnostic.js";
import { evalUnit } from "../../units/units.js";
import { BUILTINS, isBuiltin } from "../../builtins/functions.js";
import type { ConstLookup } from "../const-value.js";

const EXPR_KINDS: ReadonlySet<string> = new Set([
  "Number",
  "Bool",
  "String",
  "Name",
  "Member",
  "Unary",
  "Binary",
  "Conditional",
  "Call",
  "List",
]);

const show = (x: number): string => (Number.isNaN(x) ? "NaN" : x > 0 ? "infinity" : "-infinity");

export function checkNumbers(program: Program, diags: Diagnostics): void {
  for (const f of program.files) {
    for (const m of f.models) {
      const lookup = parameterLookup(m);
      forEachRoot(m, (e) => scan(e, lookup, diags), diags, lookup);
      checkRefractory(m, lookup, diags);
    }
    for (const n of f.networks)
      forEachRoot(
        n,
        (e) => scan(e, () => undefined, diags),
        diags,
        () => undefined,
      );
  }
}

/** Finite default values of a model's parameters (computed on demand; a cycle is no constant). */
function parameterLookup(m: ModelDef): ConstLookup {
  const decls = new Map(m.parameters.map((d) => [d.name, d]));
  const done = new Map<string, number | undefined>();
  const busy = new Set<string>();
  const quiet = new Diagnostics();
  const lookup: ConstLookup = (name) => {
    if (done.has(name)) return done.get(name);
    const d = decls.get(name);
    if (!d?.value || busy.has(name)) return undefined;
    busy.add(name);
    const v = scan(d.value, lookup, quiet);
    busy.delete(name);
    const out = v !== undefined && Number.isFinite(v) ? v : undefined;
    done.set(name, out);
    return out;
  };
  return lookup;
}

/** Calls `f` on every outermost expression under `node`; `x /= 0` statements are checked here. */
function forEachRoot(node: unknown, f: (e: Expr) => void, diags: Diagnostics, lookup: ConstLookup): void {
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
    if (kind === "Assign") {
      const s = x as Extract<Stmt, { kind: "Assign" }>;
      if (s.op === "/=" && scan(s.value, lookup, new Diagnostics()) === 0) divisionByZero(s.value, diags);
    }
    for (const [k, v] of Object.entries(x)) if (k !== "span" && !k.endsWith("Span")) stack.push(v);
  }
}

function divisionByZero(divisor: Expr, diags: Diagnostics): void {
  diags.error("E0311", divisor.span, "division by zero: this divisor is a constant 0", {
    hint:
      divisor.kind === "Name"
        ? `\`${divisor.name}\` is 0; give it a nonzero value (a time constant of 0 would make the rate infinite)`
        : "divide by a nonzero value",
  });
}

function nonFinite(e: Expr, v: number, why: string, diags: Diagnostics): void {
  diags.error("E0310", e.span, `this constant is ${show(v)}${why}`, {
    hint: "every value must be a finite number; check the magnitudes and the operands of this expression",
  });
}

/** The constant value of `e` (undefined: not constant, or already reported as non-finite), reporting
 *  the innermost place where a non-finite value arises from finite operands. */
function scan(e: Expr, lookup: ConstLookup, diags: Diagnostics): number | undefined {
  switch (e.kind) {
    case "Number": {
      if (!Number.isFinite(e.value)) return undefined; // the lexer reported the literal (E0116)
      if (!e.unit) return e.value;
      const u = evalUnit(e.unit);
      if (!u.ok) return undefined;
      const v = e.value * u.scale;
      if (!Number.isFinite(v)) nonFinite(e, v, " once its unit is applied", diags);
      else if (v === 0 && e.value !== 0) {
        diags.error("E0310", e.span, "this number underflows to 0 once its unit is applied", {
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
      const v = scan(e.operand, lookup, diags);
      return v === undefined || e.op === "not" ? undefined : e.op === "-" ? -v : v;
    }
    case "Binary": {
      const a = scan(e.left, lookup, diags);
      const b = scan(e.right, lookup, diags);
      if (e.op === "/" && b === 0) {
        divisionByZero(e.right, diags);
        return undefined;
      }
      if (a === undefined || b === undefined) return undefined;
      const v = binary(e.op, a, b);
      if (v !== undefined && !Number.isFinite(v)) {
        nonFinite(e, v, "", diags);
        return undefined;
      }
      return v;
    }
    case "Conditional":
      scan(e.cond, lookup, diags);
      scan(e.then, lookup, diags);
      scan(e.otherwise, lookup, diags);
      return undefined;
    case "Call": {
      const xs = e.args.map((a) => scan(a.value, lookup, diags));
      if (!isBuiltin(e.callee) || e.args.some((a) => a.name !== undefined)) return undefined;
      const f = BUILTINS[e.callee];
      if (xs.some((x) => x === undefined) || xs.length !== f.arity) return undefined;
      const v = f.eval(...(xs as number[]));
      if (!Number.isFinite(v)) {
        nonFinite(e, v, ` (${e.callee} of these arguments)`, diags);
        return undefined;
      }
      return v;
    }
    case "List":
      for (const x of e.items) scan(x, lookup, diags);
      return undefined;
    default:
      return undefined;
  }
}

function binary(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "^":
      return Math.pow(a, b);
    default:
      return undefined;
  }
}

/** E0416: a refractory period that is a negative constant. */
function checkRefractory(m: ModelDef, lookup: ConstLookup, diags: Diagnostics): void {
  if (!m.refractory) return;
  const v = scan(m.refractory.period, lookup, new Diagnostics());
  if (v !== undefined && v < 0) {
    diags.error("E0416", m.refractory.period.span, "the refractory period is negative", {
      hint: "write a time of 0 or more, e.g. `refractory 2 ms`",
    });
  }
}
