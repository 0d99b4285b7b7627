// Meaning checks of a descriptor's fixed-point programs (neuron update / threshold / reset, synapse on pre / on
// post / continuous, astrocyte handlers): the JSON Schema only requires each node to have a `k`, so a program
// edited by hand could hold an unknown op, a node without its operands, a number given as a string, a constant
// or shift no word can hold, a reference to a variable that does not exist, or an expression nested so deep that
// the code generator's recursion overflows the stack. In: one program (statements or a condition), the JSON
// path it sits at and what it may reference; out: "PATH: what is wrong" messages through `err` (which returns
// true when enough were collected). The walk is iterative and stops descending at MAX_PROGRAM_DEPTH.

import { checkFormat, rawMax, rawMin, type QFormat } from "../fixed/qformat.js";

/** Deepest node (statements and expressions together) a program may hold: the compiler's nesting limit keeps
 *  real programs far below it, and the executor's and emulator's code generators recurse once per level. */
export const MAX_PROGRAM_DEPTH = 256;
/** Largest |shift| (mul shift, shift by, div pre): beyond it no 62-bit exact datapath result survives. */
export const MAX_SHIFT = 62;

/** What a program may reference: variables of each ref space (null: any name is accepted in that space). */
export interface ProgramScope {
  spaces: Record<string, ReadonlySet<string> | null>;
}

type Ctx = "stmt" | "expr" | "bool";
const ROUNDINGS = new Set(["trunc", "floor", "nearest-even", "nearest-away", "stochastic"]);
const OVERFLOWS = new Set(["saturate", "wrap"]);
const CMP_OPS = new Set(["<", "<=", ">", ">=", "==", "!="]);
const LUT_FNS = new Set(["sigmoid", "tanh", "exp", "log"]);
const STMT_KINDS = new Set(["assign", "let", "if"]);
const EXPR_KINDS = new Set([
  "const",
  "var",
  "add",
  "sub",
  "neg",
  "abs",
  "mul",
  "shift",
  "min",
  "max",
  "sel",
  "lut",
  "div",
  "edecay",
]);
const BOOL_KINDS = new Set(["bool", "cmp", "and", "or", "not", "flag"]);
const KINDS: Record<Ctx, ReadonlySet<string>> = { stmt: STMT_KINDS, expr: EXPR_KINDS, bool: BOOL_KINDS };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const show = (x: unknown): string => {
  const s =
    typeof x === "string" ? JSON.stringify(x) : Array.isArray(x) ? "an array" : isObj(x) ? "an object" : String(x);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
};

/** Checks the statements (or, for `ctx` "bool", the condition) `root` at `path`; false when `err` asked to stop. */
export function checkProgram(
  root: unknown,
  path: string,
  ctx: "stmts" | "bool",
  scope: ProgramScope,
  err: (m: string) => boolean,
): boolean {
  const stack: { node: unknown; path: string; ctx: Ctx; depth: number; inCmp: boolean }[] = [];
  if (ctx === "bool") stack.push({ node: root, path, ctx: "bool", depth: 1, inCmp: false });
  else if (!Array.isArray(root)) return !err(`${path}: expected a list of statements, got ${show(root)}`);
  else
    for (let i = root.length - 1; i >= 0; i--)
      stack.push({ node: root[i], path: `${path}/${i}`, ctx: "stmt", depth: 1, inCmp: false });
  let tooDeep = false,
    stop = false;
  /** Records a problem; always false (the check failed). */
  const fail = (m: string): boolean => {
    if (err(m)) stop = true;
    return false;
  };
  while (stack.length) {
    const { node, path: p, ctx: c, depth, inCmp } = stack.pop()!;
    if (depth > MAX_PROGRAM_DEPTH) {
      if (!tooDeep)
        fail(`${path}: the program is nested deeper than ${MAX_PROGRAM_DEPTH} levels (at ${p.slice(0, 80)}...)`);
      tooDeep = true;
      if (stop) return false;
      continue;
    }
    const push = (child: unknown, key: string, cc: Ctx, cmp = false): void => {
      stack.push({ node: child, path: `${p}/${key}`, ctx: cc, depth: depth + 1, inCmp: cmp });
    };
    if (!isObj(node)) {
      fail(
        `${p}: expected ${c === "stmt" ? "a statement" : c === "expr" ? "an expression" : "a condition"} node, got ${show(node)}`,
      );
      if (stop) return false;
      continue;
    }
    const k = node.k;
    if (typeof k !== "string" || !KINDS[c].has(k)) {
      const what = c === "stmt" ? "statement" : c === "expr" ? "expression" : "condition";
      fail(`${p}/k: unknown ${what} op ${show(k)} (known: ${[...KINDS[c]].join(", ")})`);
      if (stop) return false;
      continue;
    }
    checkNode(node, k, p, inCmp, scope, fail, push);
    if (stop) return false;
  }
  return true;
}

/** Checks one node's own fields (op kind `k` already known to fit its context) and pushes its children. */
function checkNode(
  node: Record<string, unknown>,
  k: string,
  p: string,
  inCmp: boolean,
  scope: ProgramScope,
  fail: (m: string) => boolean,
  push: (child: unknown, key: string, cc: Ctx, cmp?: boolean) => void,
): void {
  const bad = (key: string, what: string, v: unknown): boolean => fail(`${p}/${key}: expected ${what}, got ${show(v)}`);
  const fmtOk = (key = "fmt"): QFormat | null => {
    const f = node[key];
    const problem = isQFormat(f) ? checkFormat(f) : "expected a Q format { signed, intBits, fracBits }";
    if (problem) return (fail(`${p}/${key}: ${problem}`), null);
    return f as QFormat;
  };
  const intIn = (key: string, lo: number, hi: number): boolean => {
    const v = node[key];
    if (typeof v !== "number" || !Number.isInteger(v)) return bad(key, "an integer", v);
    if (v < lo || v > hi) return fail(`${p}/${key}: ${v} is outside [${lo}, ${hi}]`);
    return true;
  };
  const oneOf = (key: string, set: ReadonlySet<string>): boolean =>
    set.has(node[key] as string) || bad(key, `one of ${[...set].join(", ")}`, node[key]);
  const ref = (key: string): boolean => {
    const r = node[key];
    if (!isObj(r) || typeof r.space !== "string" || typeof r.name !== "string")
      return bad(key, "a reference { space, name }", r);
    if (!(r.space in scope.spaces)) return fail(`${p}/${key}/space: ${show(r.space)} is not readable here`);
    const names = scope.spaces[r.space];
    if (names && !names.has(r.name)) return fail(`${p}/${key}/name: no ${r.space} variable ${show(r.name)}`);
    return true;
  };
  const ints = (key: string, f: QFormat | null): boolean => {
    const xs = node[key];
    if (!Array.isArray(xs)) return bad(key, "an array of integers", xs);
    const lo = f ? rawMin(f) : -(2 ** 53),
      hi = f ? rawMax(f) : 2 ** 53;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as unknown;
      if (typeof x !== "number" || !Number.isInteger(x) || x < lo || x > hi)
        return fail(`${p}/${key}/${i}: expected an integer word in [${lo}, ${hi}], got ${show(x)}`);
    }
    return true;
  };
  switch (k) {
    case "assign":
      ref("target");
      push(node.value, "value", "expr");
      break;
    case "let":
      if (typeof node.name !== "string") bad("name", "a local's name", node.name);
      else if (scope.spaces.local && !scope.spaces.local.has(node.name))
        fail(`${p}/name: ${show(node.name)} is not one of the program's locals`);
      push(node.value, "value", "expr");
      break;
    case "if":
      for (const key of ["otherwise", "then"] as const) {
        const xs = node[key];
        if (!Array.isArray(xs)) bad(key, "a list of statements", xs);
        else for (let i = xs.length - 1; i >= 0; i--) push(xs[i], `${key}/${i}`, "stmt");
      }
      push(node.c, "c", "bool");
      break;
    case "const": {
      const f = fmtOk();
      if (typeof node.value !== "number" || !Number.isFinite(node.value)) bad("value", "a finite number", node.value);
      const raw = node.raw;
      if (typeof raw !== "number" || !Number.isSafeInteger(raw)) bad("raw", "an integer word", raw);
      else if (f && !inCmp && (raw < rawMin(f) || raw > rawMax(f)))
        fail(`${p}/raw: ${raw} is outside its format's range [${rawMin(f)}, ${rawMax(f)}]`);
      break;
    }
    case "var":
      if (ref("ref")) fmtOk();
      break;
    case "add":
    case "sub":
    case "min":
    case "max":
      if (fmtOk() && (k === "add" || k === "sub")) oneOf("ovf", OVERFLOWS);
      push(node.b, "b", "expr", inCmp);
      push(node.a, "a", "expr", inCmp);
      break;
    case "neg":
    case "abs":
      if (fmtOk()) oneOf("ovf", OVERFLOWS);
      push(node.a, "a", "expr", inCmp);
      break;
    case "mul":
    case "div":
      if (fmtOk() && oneOf("ovf", OVERFLOWS) && oneOf("rnd", ROUNDINGS))
        intIn(k === "mul" ? "shift" : "pre", -MAX_SHIFT, MAX_SHIFT);
      push(node.b, "b", "expr", inCmp);
      push(node.a, "a", "expr", inCmp);
      break;
    case "shift":
      if (fmtOk() && oneOf("ovf", OVERFLOWS) && oneOf("rnd", ROUNDINGS)) intIn("by", -MAX_SHIFT, MAX_SHIFT);
      push(node.a, "a", "expr", inCmp);
      break;
    case "sel":
      fmtOk();
      push(node.b, "b", "expr", inCmp);
      push(node.a, "a", "expr", inCmp);
      push(node.c, "c", "bool");
      break;
    case "lut": {
      const f = fmtOk();
      const tableOk =
        oneOf("fn", LUT_FNS) &&
        ints("ys", f) &&
        (node.fn === "log"
          ? oneOf("ovf", OVERFLOWS) && ints("offs", null) && intIn("seg", 0, 31)
          : intIn("x0", -(2 ** 53), 2 ** 53) && intIn("step", 0, MAX_SHIFT));
      if (tableOk && (node.ys as unknown[]).length === 0) fail(`${p}/ys: an empty table`);
      push(node.a, "a", "expr", inCmp);
      break;
    }
    case "edecay":
      if (typeof node.rate !== "number" || !Number.isFinite(node.rate)) bad("rate", "a finite number", node.rate);
      else if (fmtOk() && ints("table", null) && (node.table as unknown[]).length < 2)
        fail(`${p}/table: fewer than 2 entries`);
      break;
    case "bool":
      if (typeof node.v !== "boolean") bad("v", "true or false", node.v);
      break;
    case "cmp":
      oneOf("op", CMP_OPS);
      push(node.b, "b", "expr", true);
      push(node.a, "a", "expr", true);
      break;
    case "and":
    case "or":
      push(node.b, "b", "bool");
      push(node.a, "a", "bool");
      break;
    case "not":
      push(node.a, "a", "bool");
      break;
    case "flag":
      if (node.name !== "refractory") bad("name", '"refractory"', node.name);
      break;
  }
}

function isQFormat(f: unknown): f is QFormat {
  return isObj(f) && typeof f.signed === "boolean" && typeof f.intBits === "number" && typeof f.fracBits === "number";
}
