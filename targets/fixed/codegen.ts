// JavaScript generation for the fixed-point executor. In: fixed-point IR statements (FxStmt/FxExpr/FxBool) and
// a resolver from refs to JS array reads; out: straight-line JS over raw integer words (float64 holding exact
// integers) built with `new Function`, with the same arithmetic as arith.ts inlined per node.
//
// Each node becomes a temporary: exact sum/product, then its rounding (inline for floor, trunc, nearest-even,
// nearest-away; a call for stochastic, which draws from the LFSR), then its saturate/wrap with a count on the
// statement's overflow counter. Products at or above 2^53 fall back to arith.ts's BigInt path. Selections and
// `and`/`or` evaluate lazily (only the taken side runs: its overflow counts and LFSR draws happen, the other's
// do not), exactly as the former closure interpreter did.

import type { Ref } from "../../compiler/ir/nodes.js";
import { JsBuilder, numLit } from "../reference/codegen.js";
import * as A from "./arith.js";
import * as NL from "./nonlinear.js";
import type { FxBool, FxExpr, FxStmt } from "./ir.js";
import type { Lfsr32 } from "./lfsr.js";
import {
  rawMax,
  rawMin,
  widthOf,
  type Overflow,
  type OverflowCounter,
  type QFormat,
  type Rounding,
} from "./qformat.js";

const TWO53 = "9007199254740992";

export interface FxGenEnv {
  b: JsBuilder;
  /** JS expression reading a stored variable (state/param/input/pre/post), or its lvalue when `write`. */
  resolve: (r: Ref, write: boolean) => string;
  /** JS boolean expression for flag.refractory. */
  refractory: string;
  rng: Lfsr32;
  /** The overflow counter of a statement's target (null: a condition). */
  counterOf: (target: Ref | null) => OverflowCounter;
  /** JS expression of the elapsed steps since the synapse's last event-driven update (projections). */
  elapsed?: string;
  /** JS expression of the element index a statement assigning `target` works on (its neuron, synapse, pre or
   *  post element), recorded with the first overflow of its counter; absent: not recorded. */
  element?: (target: Ref | null) => string;
}

export const fxLocal = (name: string): string => `l_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;

/** `let` declarations (initialized to 0) of a kernel's fixed-point locals. */
export function declareFxLocals(locals: Record<string, unknown>): string {
  const names = Object.keys(locals);
  return names.length ? `let ${names.map((n) => `${fxLocal(n)} = 0`).join(", ")};` : "";
}

/** A read (or lvalue) of variable `name` at index expression `idx` in per-element arrays or inlined
 *  scalars; anything else is reported through `fail` (each caller has its own error type). */
export function accessFxVar(
  b: JsBuilder,
  vars: { arrays: Map<string, Float64Array>; scalars: Map<string, number> },
  name: string,
  idx: string,
  where: string,
  write: boolean,
  fail: (message: string) => Error,
): string {
  const arr = vars.arrays.get(name);
  if (arr) return `${b.bind(arr, name)}[${idx}]`;
  const sc = vars.scalars.get(name);
  if (sc !== undefined && !write) return `(${sc})`;
  throw fail(write ? `${where}: cannot assign ${name}` : `${where}: no variable ${name}`);
}

class Emitter {
  out: string[] = [];
  /** the element index expression of the statement being generated ("-1": unknown) */
  at = "-1";
  private n = 0;
  constructor(readonly env: FxGenEnv) {}
  tmp(): string {
    return `t${this.n++}`;
  }
}

/** `x` fitted into f in place (saturate or wrap), counting on `cnt` (the first count records element `at`). */
function fitLines(x: string, f: QFormat, ovf: Overflow, cnt: string, at: string): string {
  const lo = rawMin(f),
    hi = rawMax(f),
    span = 2 ** widthOf(f);
  const count = `if (${cnt}.count++ === 0) ${cnt}.at = ${at};`;
  if (ovf === "saturate")
    return `if (${x} < ${numLit(lo)}) { ${count} ${x} = ${numLit(lo)}; } else if (${x} > ${hi}) { ${count} ${x} = ${hi}; }`;
  return `if (${x} < ${numLit(lo)} || ${x} > ${hi}) { ${count} ${x} = ${x} - Math.floor(${x} / ${span}) * ${span};${f.signed ? ` if (${x} > ${hi}) ${x} -= ${span};` : ""} }`;
}

/** After a call into arith.ts / nonlinear.ts that may count on `cnt`: the element of its first overflow. */
const noteAt = (cnt: string, at: string): string =>
  `if (${cnt}.count > 0 && ${cnt}.at === undefined) ${cnt}.at = ${at};`;

/** `x` (an exact integer below 2^53) replaced by x / 2^s rounded by `mode` (s > 0), as arith.roundShiftRight. */
function roundLines(x: string, s: number, mode: Rounding, em: Emitter): string {
  if (mode === "stochastic") {
    const rs = em.env.b.bind(A.roundShiftRight, "rsr"),
      rng = em.env.b.bind(em.env.rng, "rng");
    return `${x} = ${rs}(${x}, ${s}, "stochastic", ${rng});`;
  }
  const d = 2 ** s,
    inv = 2 ** -s,
    half = d / 2;
  const q = em.tmp(),
    r = em.tmp();
  if (mode === "floor") return `${x} = Math.floor(${x} * ${inv});`;
  const head = `{ const ${q} = Math.floor(${x} * ${inv}), ${r} = ${x} - ${q} * ${d}; `;
  switch (mode) {
    case "trunc":
      return head + `${x} = ${r} !== 0 && ${x} < 0 ? ${q} + 1 : ${q}; }`;
    case "nearest-even":
      return head + `${x} = ${r} > ${half} ? ${q} + 1 : ${r} < ${half} ? ${q} : ${q} % 2 === 0 ? ${q} : ${q} + 1; }`;
    case "nearest-away":
      return head + `${x} = ${r} > ${half} ? ${q} + 1 : ${r} < ${half} ? ${q} : ${x} > 0 ? ${q} + 1 : ${q}; }`;
  }
}

function genExpr(e: FxExpr, em: Emitter, cnt: string): string {
  const env = em.env,
    o = em.out;
  switch (e.k) {
    case "const":
      return numLit(e.raw);
    case "var":
      return e.ref.space === "local" ? fxLocal(e.ref.name) : env.resolve(e.ref, false);
    case "add":
    case "sub": {
      const a = genExpr(e.a, em, cnt),
        b = genExpr(e.b, em, cnt),
        t = em.tmp();
      o.push(`let ${t} = ${a} ${e.k === "add" ? "+" : "-"} ${b};`, fitLines(t, e.fmt, e.ovf, cnt, em.at));
      return t;
    }
    case "neg":
    case "abs": {
      const a = genExpr(e.a, em, cnt),
        t = em.tmp();
      o.push(e.k === "neg" ? `let ${t} = -${a};` : `let ${t} = Math.abs(${a});`, fitLines(t, e.fmt, e.ovf, cnt, em.at));
      return t;
    }
    case "mul": {
      const a = genExpr(e.a, em, cnt),
        b = genExpr(e.b, em, cnt),
        t = em.tmp();
      const big = env.b.bind(A.mul, "mulBig"),
        fmt = env.b.bind(e.fmt, "fmt"),
        rng = env.b.bind(env.rng, "rng");
      o.push(`let ${t} = ${a} * ${b};`);
      o.push(
        `if (${t} > -${TWO53} && ${t} < ${TWO53}) { ${e.shift > 0 ? roundLines(t, e.shift, e.rnd, em) : e.shift < 0 ? `${t} = ${t} * ${2 ** -e.shift};` : ""} ${fitLines(t, e.fmt, e.ovf, cnt, em.at)} }`,
      );
      o.push(
        `else ${t} = ${big}(${a}, ${b}, ${e.shift}, ${fmt}, "${e.rnd}", "${e.ovf}", ${rng}, ${cnt});`,
        noteAt(cnt, em.at),
      );
      return t;
    }
    case "shift": {
      const a = genExpr(e.a, em, cnt),
        t = em.tmp();
      if (e.by >= 0) {
        const sh = env.b.bind(A.shift, "shiftBig"),
          fmt = env.b.bind(e.fmt, "fmt"),
          rng = env.b.bind(env.rng, "rng");
        o.push(`let ${t} = ${a} * ${2 ** e.by};`);
        o.push(`if (${t} > -${TWO53} && ${t} < ${TWO53}) { ${fitLines(t, e.fmt, e.ovf, cnt, em.at)} }`);
        o.push(`else ${t} = ${sh}(${a}, ${e.by}, ${fmt}, "${e.rnd}", "${e.ovf}", ${rng}, ${cnt});`, noteAt(cnt, em.at));
      } else {
        o.push(`let ${t} = ${a};`, roundLines(t, -e.by, e.rnd, em), fitLines(t, e.fmt, e.ovf, cnt, em.at));
      }
      return t;
    }
    case "min":
    case "max": {
      const a = genExpr(e.a, em, cnt),
        b = genExpr(e.b, em, cnt),
        t = em.tmp();
      o.push(`const ${t} = Math.${e.k}(${a}, ${b});`);
      return t;
    }
    case "lut": {
      const a = genExpr(e.a, em, cnt),
        t = em.tmp();
      if (e.fn === "log") {
        const ev = env.b.bind(NL.logEval, "logEval"),
          tab = env.b.bind({ offs: e.offs, ys: e.ys, seg: e.seg }, "logTable"),
          fmt = env.b.bind(e.fmt, "fmt");
        o.push(`const ${t} = ${ev}(${a}, ${tab}, ${fmt}, "${e.ovf}", ${cnt});`, noteAt(cnt, em.at));
        return t;
      }
      const ev = env.b.bind(NL.lutEval, "lutEval"),
        tab = env.b.bind({ x0: e.x0, step: e.step, ys: e.ys }, "lut");
      o.push(`const ${t} = ${ev}(${a}, ${tab});`);
      return t;
    }
    case "div": {
      const a = genExpr(e.a, em, cnt),
        b = genExpr(e.b, em, cnt),
        t = em.tmp();
      const dv = env.b.bind(NL.div, "div"),
        fmt = env.b.bind(e.fmt, "fmt"),
        rng = env.b.bind(env.rng, "rng");
      o.push(
        `const ${t} = ${dv}(${a}, ${b}, ${e.pre}, ${fmt}, "${e.rnd}", "${e.ovf}", ${rng}, ${cnt});`,
        noteAt(cnt, em.at),
      );
      return t;
    }
    case "edecay": {
      if (!env.elapsed) throw new Error("internal: an event-driven decay outside a synapse handler");
      const t = em.tmp(),
        df = env.b.bind(NL.decayFactor, "decay"),
        tab = env.b.bind(e.table, "decayTable");
      o.push(`const ${t} = ${df}(${env.elapsed}, ${tab}, ${e.fmt.fracBits});`);
      return t;
    }
    case "sel": {
      const t = em.tmp();
      o.push(`let ${t};`);
      const c = genBool(e.c, em, cnt);
      o.push(`if (${c}) {`);
      const a = genExpr(e.a, em, cnt);
      o.push(`${t} = ${a}; } else {`);
      const b = genExpr(e.b, em, cnt);
      o.push(`${t} = ${b}; }`);
      return t;
    }
  }
}

function genBool(e: FxBool, em: Emitter, cnt: string): string {
  const o = em.out;
  switch (e.k) {
    case "bool":
      return String(e.v);
    case "flag":
      return `(${em.env.refractory})`;
    case "not":
      return `!${genBool(e.a, em, cnt)}`;
    case "and":
    case "or": {
      const t = em.tmp();
      const a = genBool(e.a, em, cnt);
      o.push(`let ${t} = ${a};`, e.k === "and" ? `if (${t}) {` : `if (!${t}) {`);
      const b = genBool(e.b, em, cnt);
      o.push(`${t} = ${b}; }`);
      return t;
    }
    case "cmp": {
      const a = genExpr(e.a, em, cnt),
        b = genExpr(e.b, em, cnt);
      const op = e.op === "==" ? "===" : e.op === "!=" ? "!==" : e.op;
      return `(${a} ${op} ${b})`;
    }
  }
}

/** JS lines of a statement list (locals assigned as `l_NAME`, declared by the caller). */
export function genStmts(stmts: readonly FxStmt[], env: FxGenEnv): string[] {
  const em = new Emitter(env);
  const walk = (list: readonly FxStmt[]): void => {
    for (const s of list) {
      if (s.k === "if") {
        const c = genBool(s.c, em, env.b.bind(env.counterOf(null), "cnt"));
        em.out.push(`if (${c}) {`);
        walk(s.then);
        em.out.push("} else {");
        walk(s.otherwise);
        em.out.push("}");
        continue;
      }
      const target: Ref = s.k === "let" ? { space: "local", name: s.name } : s.target;
      const cnt = env.b.bind(env.counterOf(target), "cnt");
      em.at = env.element?.(target) ?? "-1";
      const v = genExpr(s.value, em, cnt);
      em.out.push(
        target.space === "local" ? `${fxLocal(target.name)} = ${v};` : `${env.resolve(target, true)} = ${v};`,
      );
    }
  };
  walk(stmts);
  return em.out;
}

/** JS lines computing a condition into `into` (a declared variable). */
export function genCondition(c: FxBool, env: FxGenEnv, into: string): string[] {
  const em = new Emitter(env);
  const x = genBool(c, em, env.b.bind(env.counterOf(null), "cnt"));
  em.out.push(`${into} = ${x};`);
  return em.out;
}

export { JsBuilder };
