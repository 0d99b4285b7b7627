// Lowering of discrete-IR expressions and statements to fixed-point IR. In: IR statements, the formats of
// the variables they touch, a FixedSpec; out: FxStmts whose every node has a format, rounding and overflow,
// or a LowerError naming the construct that has no fixed-point form.
//
// Rules: sums, differences, negations and products get the accumulator-width format that holds their value
// interval (interval arithmetic over the operands' representable ranges) with the most fraction bits;
// operands are brought to it by explicit shifts. `x * c` and `x / c` with a constant c multiply by the
// integer m = round(c * 2^s) in the spec's multiplier width (s as large as fits) and shift right.
// Comparisons with a constant compare the raw word with floor/ceil(c * 2^f), which is exact.
// Assignments round and fit the value into the target's format.

import type { IRExpr, IRStmt, Ref } from "../../compiler/ir/nodes.js";
import { BUILTINS, hasFixedForm, unreachable } from "../../compiler/builtins/functions.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import { exprSpan } from "../../compiler/ir/spans.js";
import { hull, intervalOf, isFinite, powI, type Interval, type Narrow, type NarrowRole } from "./range.js";
import { printExpr } from "../../compiler/ir/print.js";
import type { CmpOp, FixedSpec, FxBool, FxExpr, FxStmt } from "./ir.js";
import {
  formatForRange,
  formatName,
  fromFloat,
  rawMax,
  rawMin,
  sameFormat,
  toFloat,
  widthOf,
  type QFormat,
} from "./qformat.js";
import {
  buildDecayTable,
  buildLog,
  buildLut,
  decayFactor,
  logMaxError,
  DECAY_TABLE_STEPS,
  LUT_FNS,
  LUT_RANGE,
  lutMaxError,
  type LutFn,
} from "./nonlinear.js";

/** `span`: the innermost source expression (else statement) that has no fixed-point form, when known. */
export class LowerError extends Error {
  span?: Span;
}

/** A value with no finite range: lowerExpr names the subexpression it comes from (unboundedCause). */
class UnboundedError extends LowerError {}

/** Gives a LowerError without a span the span of `at` (innermost caller first), and returns it. */
function located(err: unknown, at: Span | undefined): unknown {
  if (err instanceof LowerError && !err.span && at) err.span = at;
  return err;
}

export interface LowerCtx {
  spec: FixedSpec;
  /** Format of a stored variable (state, param, input, pre.X, post.X); undefined: not available. */
  fmtOf: (r: Ref) => QFormat | undefined;
  /** Value range of a parameter (constant, so its initial values bound it); default: its format's range. */
  paramRange?: (r: Ref) => Interval | undefined;
  /** Locals of the statement list being lowered (filled as lets are met). */
  locals: Record<string, QFormat>;
  localRanges: Map<string, Interval>;
  /** Definitions of the `let`s lowered so far (interval analysis looks through them, range.ts ratioI). */
  localDefs?: Map<string, IRExpr>;
  /** Narrows divisors, quotients and transcendental arguments by their profiled ranges (range.ts Narrow). */
  narrow?: Narrow;
  /** A group's spike variable (spikeClampVar): where its update's value can exceed twice its format's top
   *  (the upswing of an exponential model), it is capped at the top without counting an overflow (that value
   *  spikes, and the reset overwrites it). */
  spikeClamp?: string;
  /** The network clock step of the code being lowered (s). */
  dt: number;
  /** Synapse handlers: constant addends (weights folded into the handler, e.g. Static's w) are first
   *  rounded to this many bits (their own format, most fraction bits), as a synaptic weight memory holds them;
   *  the subtrahend c of `x - c` is the addend -c (weightValue's sign rule, in the "-" case below). */
  weightBits?: number;
  /** Name of the group or projection being lowered (for the approximation report). */
  owner?: string;
  /** Filled with one row per table approximation lowered (sigmoid, tanh, exp, log, event-driven decay). */
  approx?: ApproxReport[];
  /** Set by lowerStmts while a statement is lowered: `let`s to run before it (the operand of an integer
   *  power that is not a variable or constant is computed once into a local). */
  hoisted?: FxStmt[];
}

/** A table approximation and its accuracy (the quantization report lists them). */
export interface ApproxReport {
  owner: string;
  fn: string;
  /** Declared input range (SI; edecay: elapsed steps) and the table's resolution (input spacing). */
  inputRange: Interval;
  resolution: number;
  entries: number;
  format: string;
  /** Max |table(x) - f(x)| over the input range (every raw input, or 2^16 samples). */
  maxAbsError: number;
}

const rangeOfFormat = (f: QFormat): Interval => ({ lo: toFloat(rawMin(f), f), hi: toFloat(rawMax(f), f) });

function env(cx: LowerCtx): (r: Ref) => Interval | undefined {
  return (r) => {
    if (r.space === "local") return cx.localRanges.get(r.name);
    if (r.space === "dt") return { lo: cx.dt, hi: cx.dt };
    if (r.space === "elapsed") return { lo: 0, hi: Infinity };
    const pr = cx.paramRange?.(r);
    if (pr) return pr;
    const f = cx.fmtOf(r);
    return f ? rangeOfFormat(f) : undefined;
  };
}

function defsOf(cx: LowerCtx): (local: string) => IRExpr | undefined {
  return (name) => cx.localDefs?.get(name);
}

/** The interval of `x` (interval analysis through the ctx's refs, locals and profiled ranges). */
function ival(x: IRExpr, cx: LowerCtx): Interval {
  return intervalOf(x, env(cx), defsOf(cx), cx.narrow);
}

/** The interval of `x` narrowed as an operand of a table, divider or power (range.ts Narrow). */
function ivalOperand(x: IRExpr, cx: LowerCtx, role: NarrowRole): Interval {
  const I = ival(x, cx);
  return cx.narrow ? cx.narrow(x, I, role) : I;
}

const fmtI = (I: Interval): string => `[${+I.lo.toPrecision(4)}, ${+I.hi.toPrecision(4)}]`;
const exprText = (e: IRExpr): string => {
  const t = printExpr(e);
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
};

/** Where an unbounded interval of `e` comes from: the innermost subexpression whose own operands are bounded
 *  (a division by a range including 0, a table of an unbounded argument, a variable with no range), and why. */
function unboundedCause(e: IRExpr, cx: LowerCtx): { node: IRExpr; why: string } {
  let x = e;
  for (;;) {
    const kids: IRExpr[] =
      x.k === "bin" ? [x.a, x.b] : x.k === "call" ? x.args : x.k === "neg" ? [x.a] : x.k === "sel" ? [x.a, x.b] : [];
    const bad = kids.find((k) => !isFinite(ival(k, cx)));
    if (!bad) break;
    x = bad;
  }
  if (x.k === "bin" && x.op === "/")
    return {
      node: x,
      why: `\`${exprText(x)}\` divides by \`${exprText(x.b)}\`, whose range ${fmtI(ivalOperand(x.b, cx, "divisor"))} includes 0`,
    };
  if (x.k === "ref") return { node: x, why: `\`${exprText(x)}\` has no bounded range here` };
  return { node: x, why: `\`${exprText(x)}\` has no finite range (${fmtI(ival(x, cx))})` };
}

function accFormat(I: Interval, cx: LowerCtx, what: string): QFormat {
  if (!isFinite(I)) throw new UnboundedError(`${what} has no finite range`);
  return formatForRange(I.lo, I.hi, cx.spec.accBits);
}

function fitsWithin(a: QFormat, b: QFormat): boolean {
  return a.fracBits === b.fracBits && rawMin(a) >= rawMin(b) && rawMax(a) <= rawMax(b);
}

/** `x` re-expressed in format `to` (a shift node unless the raw word already fits). */
export function coerce(x: FxExpr, to: QFormat, cx: LowerCtx): FxExpr {
  if (sameFormat(x.fmt, to) || fitsWithin(x.fmt, to)) return x;
  if (x.k === "const") return constIn(x.value, to);
  return { k: "shift", a: x, by: to.fracBits - x.fmt.fracBits, fmt: to, rnd: cx.spec.rounding, ovf: cx.spec.overflow };
}

const constIn = (v: number, f: QFormat): FxExpr => ({
  k: "const",
  raw: fromFloat(v, f, "nearest-even", "saturate"),
  fmt: f,
  value: v,
});

/** The coefficient format for constant c: the spec's multiplier width, most fraction bits. */
export function coefFormat(c: number, spec: FixedSpec): QFormat {
  return formatForRange(Math.min(c, 0), Math.max(c, 0), spec.coefBits);
}

/** c rounded to nearest-even in the `bits`-bit format with the most fraction bits that holds it. A folded
 *  weight is rounded with its sign, as the weight word holds it: constant folding writes `x += -c` as `x - c`,
 *  so the subtrahend c stands for the addend -c (a signed word, one magnitude bit less than an unsigned one
 *  holding c); the descriptor's weight parameter (descriptor/build.ts withWeightParams) is -c too. */
export function weightValue(c: number, bits: number): number {
  if (c === 0 || !Number.isFinite(c)) return c;
  const f = formatForRange(Math.min(c, 0), Math.max(c, 0), bits);
  return toFloat(fromFloat(c, f, "nearest-even", "saturate"), f);
}

/** Magnitude bits of an operand (|raw| < 2^bits): its constant's, else its format's. */
function magOf(x: FxExpr): number {
  if (x.k === "const") return x.raw === 0 ? 0 : Math.ceil(Math.log2(Math.abs(x.raw) + 1));
  return x.fmt.signed ? widthOf(x.fmt) - 1 : widthOf(x.fmt);
}

function mulNode(a0: FxExpr, b0: FxExpr, I: Interval, cx: LowerCtx, what: string, width = cx.spec.accBits): FxExpr {
  if (!isFinite(I)) throw new UnboundedError(`${what} has no finite range`);
  // keep the exact product within 62 bits (a 64-bit integer datapath): the wider non-constant operand drops
  // fraction bits (an unsigned 32-bit word times a signed 32-bit one would need 63)
  let a = a0,
    b = b0;
  const excess = magOf(a) + magOf(b) - 62;
  if (excess > 0) {
    const narrowA = b.k === "const" || (a.k !== "const" && magOf(a) >= magOf(b));
    const x = narrowA ? a : b;
    const nx = coerce(x, { ...x.fmt, fracBits: x.fmt.fracBits - excess }, cx);
    if (narrowA) a = nx;
    else b = nx;
  }
  let fr = formatForRange(I.lo, I.hi, width);
  const pf = a.fmt.fracBits + b.fmt.fracBits;
  let shift = pf - fr.fracBits;
  if (shift < 0) {
    fr = { signed: fr.signed, intBits: fr.intBits + fr.fracBits - pf, fracBits: pf };
    shift = 0;
  }
  return { k: "mul", a, b, shift, fmt: fr, rnd: cx.spec.rounding, ovf: cx.spec.overflow };
}

/** Lowers a numeric expression; `want` is the format the consumer needs (used by constants and selections). */
export function lowerExpr(e: IRExpr, cx: LowerCtx, want?: QFormat): FxExpr {
  try {
    return lowerExprAt(e, cx, want);
  } catch (err) {
    if (err instanceof UnboundedError && !err.span) {
      // name the subexpression the unbounded range comes from, with the caret on it
      const cause = unboundedCause(e, cx);
      err.message = `${cause.why}, so ${err.message}`;
      err.span = exprSpan(cause.node);
    }
    throw located(err, exprSpan(e));
  }
}

function lowerExprAt(e: IRExpr, cx: LowerCtx, want?: QFormat): FxExpr {
  const I = (): Interval => ival(e, cx);
  switch (e.k) {
    case "num": {
      const v = cx.weightBits ? weightValue(e.v, cx.weightBits) : e.v;
      return constIn(v, want ?? coefFormat(v, cx.spec));
    }
    case "bool":
      throw new LowerError("a boolean where a number is needed");
    case "ref": {
      const r = e.ref;
      if (r.space === "dt") return constIn(cx.dt, want ?? coefFormat(cx.dt, cx.spec));
      if (r.space === "local") {
        const f = cx.locals[r.name];
        if (!f) throw new LowerError(`local ${r.name} is read before it is set`);
        return { k: "var", ref: r, fmt: f };
      }
      const f = cx.fmtOf(r);
      if (!f)
        throw new LowerError(`${r.space === "t" ? "time t" : `${r.space}.${r.name}`} has no fixed-point form here`);
      return { k: "var", ref: r, fmt: f };
    }
    case "neg": {
      const a = lowerExpr(e.a, cx);
      const fr = accFormat(I(), cx, "a negation");
      return { k: "neg", a: coerce(a, fr, cx), fmt: fr, ovf: cx.spec.overflow };
    }
    case "sel": {
      const c = lowerBool(e.c, cx);
      const fr = want ?? accFormat(I(), cx, "a selection");
      return {
        k: "sel",
        c,
        a: coerce(lowerExpr(e.a, cx, fr), fr, cx),
        b: coerce(lowerExpr(e.b, cx, fr), fr, cx),
        fmt: fr,
      };
    }
    case "not":
      throw new LowerError("a boolean where a number is needed");
    case "call":
      return lowerCall(e, cx, I(), want);
    case "bin":
      break;
  }
  const { op, a, b } = e;
  switch (op) {
    case "+":
    case "-": {
      // the format holds the operands too: an operand wider than the result (-70 pA + I where the sum is
      // within 60 pA) would saturate when brought to a format sized for the result alone
      const ops = hull(ival(a, cx), ival(b, cx));
      const fr = accFormat(hull(I(), ops), cx, `a ${op === "+" ? "sum" : "difference"}`);
      // a folded weight subtracted is the addend -c: rounded with that sign (weightValue)
      const sub = op === "-" && b.k === "num" && cx.weightBits ? -weightValue(-b.v, cx.weightBits) : null;
      return {
        k: op === "+" ? "add" : "sub",
        a: coerce(lowerExpr(a, cx, fr), fr, cx),
        b: sub !== null ? constIn(sub, fr) : coerce(lowerExpr(b, cx, fr), fr, cx),
        fmt: fr,
        ovf: cx.spec.overflow,
      };
    }
    case "*": {
      if (a.k === "num" || b.k === "num") {
        const c = a.k === "num" ? a.v : (b as { v: number }).v;
        const x = lowerExpr(a.k === "num" ? b : a, cx);
        return mulNode(x, constIn(c, coefFormat(c, cx.spec)), I(), cx, "a product");
      }
      return mulNode(lowerExpr(a, cx), lowerExpr(b, cx), I(), cx, "a product");
    }
    case "/": {
      if (b.k !== "num") return lowerDiv(a, b, I(), cx);
      if (b.v === 0) throw new LowerError("division by the constant 0");
      const c = 1 / b.v;
      return mulNode(lowerExpr(a, cx), constIn(c, coefFormat(c, cx.spec)), I(), cx, "a quotient");
    }
    default:
      throw new LowerError(`operator ${op} has no fixed-point form here`);
  }
}

function lowerCall(e: Extract<IRExpr, { k: "call" }>, cx: LowerCtx, I: Interval, want?: QFormat): FxExpr {
  // min/max/clip compare their operands in the result's format, and abs takes its operand's magnitude in it:
  // it holds the operands too (else max(y, 1) or abs(y) of a negative y would saturate y on the way)
  const Iops =
    BUILTINS[e.fn].fixed === "compare" || BUILTINS[e.fn].fixed === "abs"
      ? e.args.reduce((h, x) => hull(h, ival(x, cx)), I)
      : I;
  // an unsigned wanted format cannot hold abs()'s operand when that can be negative: abs() then takes its own
  let fr0: QFormat | undefined =
    want && !(BUILTINS[e.fn].fixed === "abs" && !want.signed && Iops.lo < 0) ? want : undefined;
  const fr = (): QFormat => (fr0 ??= accFormat(Iops, cx, `${e.fn}()`));
  const arg = (i: number): FxExpr => coerce(lowerExpr(e.args[i]!, cx, fr()), fr(), cx);
  const fn = e.fn;
  const form = BUILTINS[fn].fixed;
  switch (form) {
    case "compare": {
      if (fn === "clip") return { k: "max", a: { k: "min", a: arg(0), b: arg(2), fmt: fr() }, b: arg(1), fmt: fr() };
      if (fn !== "min" && fn !== "max") throw new LowerError(`${fn}() has no comparison form`);
      let acc = arg(0);
      for (let i = 1; i < e.args.length; i++) acc = { k: fn, a: acc, b: arg(i), fmt: fr() };
      return acc;
    }
    case "abs":
      return { k: "abs", a: arg(0), fmt: fr(), ovf: cx.spec.overflow };
    case "step": {
      const c = lowerBool({ k: "bin", op: ">", a: e.args[0]!, b: { k: "num", v: 0 } }, cx);
      const f = want ?? accFormat({ lo: 0, hi: 1 }, cx, `${fn}()`);
      return { k: "sel", c, a: constIn(1, f), b: constIn(0, f), fmt: f };
    }
    case "table": {
      if (!hasFixedForm(fn, "table")) throw new LowerError(`${fn}() has no table form`);
      if (fn === "exp") {
        const rate = elapsedRate(e.args[0]!);
        if (rate !== null) return lowerDecay(rate, cx);
      }
      return lowerLut(fn, e.args[0]!, cx, want);
    }
    case "log":
      return lowerLog(e.args[0]!, cx, want);
    case "power": {
      if (fn === "sqrt") return lowerPow(e.args[0]!, 0.5, cx, I, want);
      const b = e.args[1]!;
      if (b.k !== "num")
        throw new LowerError(
          `${fn}() with a variable exponent has no fixed-point form (the exponent must be a constant)`,
        );
      return lowerPow(e.args[0]!, b.v, cx, I, want);
    }
    case "none":
      throw new LowerError(
        `${fn}() has no fixed-point form (only + - * / by constants, min, max, clip, abs, comparisons and selections)`,
      );
    default:
      return unreachable(form);
  }
}

/** c when e is c * elapsed, elapsed * c or elapsed / c (c < 0 after folding a negation); else null. */
function elapsedRate(e: IRExpr): number | null {
  const isEl = (x: IRExpr): boolean => x.k === "ref" && x.ref.space === "elapsed";
  if (e.k === "neg") {
    const r = elapsedRate(e.a);
    return r === null ? null : -r;
  }
  if (e.k !== "bin") return null;
  let c: number | null = null;
  if (e.op === "*" && e.a.k === "num" && isEl(e.b)) c = e.a.v;
  else if (e.op === "*" && e.b.k === "num" && isEl(e.a)) c = e.b.v;
  else if (e.op === "/" && e.b.k === "num" && e.b.v !== 0 && isEl(e.a)) c = 1 / e.b.v;
  return c !== null && c < 0 ? c : null;
}

/** exp(rate * elapsed): a table of multipliers per elapsed step (nonlinear.ts), in the multiplier width. */
function lowerDecay(rate: number, cx: LowerCtx): FxExpr {
  const f = formatForRange(0, 1, cx.spec.coefBits);
  const table = buildDecayTable(rate, cx.dt, f);
  let err = 0;
  for (let n = 0; n <= 4 * DECAY_TABLE_STEPS; n++)
    err = Math.max(err, Math.abs(toFloat(decayFactor(n, table, f.fracBits), f) - Math.exp(rate * n * cx.dt)));
  cx.approx?.push({
    owner: cx.owner ?? "",
    fn: `exp(${rate} * elapsed)`,
    inputRange: { lo: 0, hi: 4 * DECAY_TABLE_STEPS },
    resolution: 1,
    entries: table.length,
    format: formatName(f),
    maxAbsError: err,
  });
  return { k: "edecay", rate, table, fmt: f };
}

/** sigmoid/tanh/exp of a bounded argument: a piecewise-linear table over the argument's range. */
function lowerLut(fn: LutFn, arg: IRExpr, cx: LowerCtx, want?: QFormat): FxExpr {
  const Ia = ivalOperand(arg, cx, fn);
  if (!isFinite(Ia)) throw new UnboundedError(`${fn}() of an argument with no finite range`);
  let lo = Ia.lo,
    hi = Ia.hi;
  if (fn !== "exp") {
    const [dlo, dhi] = LUT_RANGE[fn];
    lo = Math.min(Math.max(lo, dlo), dhi);
    hi = Math.max(Math.min(hi, dhi), dlo);
  } else if (hi > EXP_MAX_ARG)
    throw new LowerError(
      `exp() of \`${exprText(arg)}\`, whose range ${fmtI(Ia)} reaches ${+hi.toPrecision(4)}, has no bounded fixed-point form (at most 40)`,
    );
  const a = lowerExpr(arg, cx);
  const F = LUT_FNS[fn];
  const out = want ?? accFormat({ lo: Math.min(F(lo), F(hi), 0), hi: Math.max(F(lo), F(hi)) }, cx, `${fn}()`);
  // exp below half an output ulp rounds to 0 or 1 ulp whatever the argument: the table starts there, so its
  // 64 segments cover the part of the range that changes the result (AdEx: [-4.9, 17.6] instead of [-23.5, 17.6])
  if (fn === "exp") lo = Math.min(Math.max(lo, Math.log(2 ** -(out.fracBits + 1))), hi);
  const t = buildLut(fn, lo, hi, a.fmt, out);
  const err = lutMaxError(fn, t, a.fmt, out);
  cx.approx?.push({
    owner: cx.owner ?? "",
    fn,
    inputRange: { lo, hi },
    resolution: 2 ** t.step / 2 ** a.fmt.fracBits,
    entries: t.ys.length,
    format: formatName(out),
    maxAbsError: err,
  });
  return { k: "lut", fn, a, x0: t.x0, step: t.step, ys: t.ys, fmt: out };
}

/** The largest argument exp() has a table for (e^40 is about 2.4e17). */
export const EXP_MAX_ARG = 40;

/** Largest integer exponent lowered to repeated multiplication (n - 1 products). */
export const MAX_INT_POW = 32;

/** pow(x, n) with a constant n: 1 for n = 0; repeated multiplication x^m = x^(m-1) * x (each product exact,
 *  rounded once into the accumulator format of the interval of x^m) for integers 1..MAX_INT_POW; 1 / x^-n (division)
 *  for negative integers; exp(n * log(x)) (log by leading-zero count, exp by table) for x > 0 otherwise. */
function lowerPow(x: IRExpr, n: number, cx: LowerCtx, I: Interval, want?: QFormat): FxExpr {
  if (n === 0) return constIn(1, want ?? accFormat(point1, cx, "pow()"));
  if (Number.isInteger(n) && n < 0 && -n <= MAX_INT_POW) {
    return lowerExpr(
      { k: "bin", op: "/", a: { k: "num", v: 1 }, b: { k: "call", fn: "pow", args: [x, { k: "num", v: -n }] } },
      cx,
      want,
    );
  }
  if (Number.isInteger(n) && n <= MAX_INT_POW) {
    const Ix = ival(x, cx);
    // operands of at most 31 magnitude bits, so every product of the chain is exact in 62 bits (the wasm
    // kernels' i64; an unsigned 32-bit word gives up its last fraction bit)
    const narrow = (f: QFormat): QFormat => (!f.signed && widthOf(f) > 31 ? { ...f, fracBits: f.fracBits - 1 } : f);
    const x0 = lowerExpr(x, cx);
    let base = coerce(x0, narrow(x0.fmt), cx);
    if (base.k !== "var" && base.k !== "const") {
      if (!cx.hoisted) {
        if (cx.spec.rounding === "stochastic")
          throw new LowerError(
            "pow() of an expression in a condition under stochastic rounding (its operand would draw twice)",
          );
      } else {
        let name = "pow_x";
        for (let i = 0; name in cx.locals; i++) name = `pow_x${i}`;
        cx.locals[name] = base.fmt;
        cx.localRanges.set(name, Ix);
        cx.hoisted.push({ k: "let", name, value: base });
        base = { k: "var", ref: { space: "local", name }, fmt: base.fmt };
      }
    }
    let acc = base;
    for (let m = 2; m <= n; m++) {
      const Im = powI(Ix, { k: "num", v: m });
      acc = mulNode(
        acc,
        base,
        Im,
        cx,
        "an integer power",
        Im.lo >= 0 ? Math.min(cx.spec.accBits, 31) : cx.spec.accBits,
      );
    }
    return acc;
  }
  const Ix = ivalOperand(x, cx, "pow");
  if (!(Ix.lo > 0))
    throw new LowerError(`pow(x, ${n}) with x in [${Ix.lo}, ${Ix.hi}]: a non-integer power needs x > 0`);
  if (!isFinite(I)) throw new LowerError(`pow(x, ${n}) has no finite range`);
  return lowerExpr(
    {
      k: "call",
      fn: "exp",
      args: [{ k: "bin", op: "*", a: { k: "num", v: n }, b: { k: "call", fn: "log", args: [x] } }],
    },
    cx,
    want,
  );
}

const point1: Interval = { lo: 1, hi: 1 };

/** ln(x) of an argument with a positive upper bound: leading-zero count plus exponent and mantissa tables
 *  (nonlinear.ts). Inputs <= 0 give the output format's lower end (ln 0 = -inf), so the output range starts
 *  at ln(max(lo, 1 ulp of the argument)). */
function lowerLog(arg: IRExpr, cx: LowerCtx, want?: QFormat): FxExpr {
  const Ia = ivalOperand(arg, cx, "log");
  if (!(Ia.hi > 0) || !Number.isFinite(Ia.hi))
    throw new LowerError(`log() of an argument in [${Ia.lo}, ${Ia.hi}] (needs a finite positive upper bound)`);
  const a = lowerExpr(arg, cx);
  const lo = Math.max(Ia.lo, 2 ** -a.fmt.fracBits);
  const out = want ?? accFormat({ lo: Math.min(Math.log(lo), 0), hi: Math.max(Math.log(Ia.hi), 0) }, cx, "log()");
  const t = buildLog(a.fmt, out);
  const err = logMaxError(t, a.fmt, out, lo, Ia.hi);
  cx.approx?.push({
    owner: cx.owner ?? "",
    fn: "log",
    inputRange: { lo, hi: Ia.hi },
    resolution: 2 ** -a.fmt.fracBits,
    entries: t.offs.length + t.ys.length,
    format: formatName(out),
    maxAbsError: err,
  });
  return { k: "lut", fn: "log", a, offs: t.offs, ys: t.ys, seg: t.seg, fmt: out, ovf: cx.spec.overflow };
}

/** a / b with b a variable whose range excludes 0: exact integer division with one rounding. */
function lowerDiv(ea: IRExpr, eb: IRExpr, I: Interval, cx: LowerCtx): FxExpr {
  const Ib = ivalOperand(eb, cx, "divisor");
  if (!(Ib.lo > 0 || Ib.hi < 0))
    throw new LowerError(`division by \`${exprText(eb)}\`, whose range ${fmtI(Ib)} includes 0`);
  const a = lowerExpr(ea, cx),
    b = lowerExpr(eb, cx);
  let fr = accFormat(I, cx, "a quotient");
  const mag = (f: QFormat): number => (f.signed ? widthOf(f) - 1 : widthOf(f));
  let pre = fr.fracBits + b.fmt.fracBits - a.fmt.fracBits;
  const excess = mag(a.fmt) + Math.max(pre, 0) - 62;
  if (excess > 0) {
    fr = { ...fr, fracBits: fr.fracBits - excess };
    pre -= excess;
  }
  if (mag(b.fmt) + Math.max(-pre, 0) > 62) throw new LowerError("a quotient whose divisor needs more than 62 bits");
  return { k: "div", a, b, pre, fmt: fr, rnd: cx.spec.rounding, ovf: cx.spec.overflow };
}

const MIRROR: Record<CmpOp, CmpOp> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" };

export function lowerBool(e: IRExpr, cx: LowerCtx): FxBool {
  try {
    return lowerBoolAt(e, cx);
  } catch (err) {
    throw located(err, exprSpan(e));
  }
}

function lowerBoolAt(e: IRExpr, cx: LowerCtx): FxBool {
  switch (e.k) {
    case "bool":
      return { k: "bool", v: e.v };
    case "not":
      return { k: "not", a: lowerBool(e.a, cx) };
    case "ref":
      if (e.ref.space === "flag" && e.ref.name === "refractory") return { k: "flag", name: "refractory" };
      throw new LowerError(`${e.ref.space}.${e.ref.name} is not a condition`);
    case "bin": {
      if (e.op === "and" || e.op === "or") return { k: e.op, a: lowerBool(e.a, cx), b: lowerBool(e.b, cx) };
      if (!["<", "<=", ">", ">=", "==", "!="].includes(e.op)) break;
      let op = e.op as CmpOp;
      let a = e.a,
        b = e.b;
      if (a.k === "num" && b.k !== "num") {
        [a, b] = [b, a];
        op = MIRROR[op];
      }
      if (b.k === "num") {
        const x = lowerExpr(a, cx);
        const exact = b.v * 2 ** x.fmt.fracBits;
        // x > c <=> raw > floor(c 2^f); x >= c <=> raw >= ceil(c 2^f); likewise for < and <=
        let raw: number;
        if (op === ">" || op === "<=") raw = Math.floor(exact);
        else if (op === "<" || op === ">=") raw = Math.ceil(exact);
        else if (Number.isInteger(exact)) raw = exact;
        else return { k: "bool", v: op === "!=" };
        return { k: "cmp", op, a: x, b: { k: "const", raw, fmt: x.fmt, value: b.v } };
      }
      const Ia = ival(a, cx),
        Ib = ival(b, cx);
      const fr = accFormat({ lo: Math.min(Ia.lo, Ib.lo), hi: Math.max(Ia.hi, Ib.hi) }, cx, "a comparison");
      return { k: "cmp", op, a: coerce(lowerExpr(a, cx, fr), fr, cx), b: coerce(lowerExpr(b, cx, fr), fr, cx) };
    }
    default:
      break;
  }
  throw new LowerError("this condition has no fixed-point form");
}

/** Lowers statements; assignments are fitted to the target's format. */
export function lowerStmts(stmts: readonly IRStmt[], cx: LowerCtx): FxStmt[] {
  const out: FxStmt[] = [];
  for (const s of stmts) {
    const outer = cx.hoisted;
    const hoisted: FxStmt[] = (cx.hoisted = []);
    try {
      lowerStmt(s, cx, out, hoisted);
    } catch (err) {
      throw located(err, s.span); // the statement, when no expression inside it has a span
    }
    cx.hoisted = outer;
  }
  return out;
}

/** One statement into `out`, after the lets its expressions hoisted. */
function lowerStmt(s: IRStmt, cx: LowerCtx, out: FxStmt[], hoisted: FxStmt[]): void {
  if (s.k === "let") {
    const I = ival(s.value, cx);
    const prev = cx.locals[s.name];
    const x = lowerExpr(s.value, cx, prev);
    const f = prev ?? x.fmt;
    if (widthOf(f) > 32) throw new LowerError(`local ${s.name} is wider than 32 bits`);
    cx.locals[s.name] = f;
    // a local assigned once keeps its definition for the interval analysis of later expressions (only where
    // the caller allows it: a group update, whose reads all see the old state)
    if (prev === undefined) cx.localDefs?.set(s.name, s.value);
    else cx.localDefs?.delete(s.name);
    // a table value (exp of a decay, lut) has no interval of its own: its format bounds it
    cx.localRanges.set(s.name, isFinite(I) ? I : rangeOfFormat(f));
    out.push(...hoisted, { k: "let", name: s.name, value: coerce(x, f, cx) });
  } else if (s.k === "assign") {
    const f = s.target.space === "local" ? cx.locals[s.target.name] : cx.fmtOf(s.target);
    if (!f) throw new LowerError(`${s.target.space}.${s.target.name} cannot be assigned here`);
    let x = lowerExpr(s.value, cx, f);
    if (
      s.target.space === "state" &&
      s.target.name === cx.spikeClamp &&
      ival(s.value, cx).hi > 2 * Math.abs(toFloat(rawMax(f), f))
    ) {
      // the spike variable above its format's top: capped there (it spikes; the reset overwrites it)
      const top = toFloat(rawMax(f), f);
      x = {
        k: "min",
        a: x,
        b: { k: "const", raw: Math.floor(top * 2 ** x.fmt.fracBits), fmt: x.fmt, value: top },
        fmt: x.fmt,
      };
    }
    const v = coerce(x, f, cx);
    out.push(...hoisted, { k: "assign", target: s.target, value: v });
  } else {
    const c = lowerBool(s.c, cx);
    out.push(...hoisted, { k: "if", c, then: lowerStmts(s.then, cx), otherwise: lowerStmts(s.otherwise, cx) });
  }
}
