// CST to AST, the leaves: CST access (tokens, sub-nodes, spans of recovered trees) and the conversion of
// expressions, call arguments and unit expressions. In: CST nodes of parser.ts with the file name and text;
// out: compiler/syntax/ast.ts Expr / Arg / UnitExpr nodes with precise spans, plus E0114 (bad unit number or
// exponent). cst-to-ast.ts builds files, models, statements and networks on top of this class.

import type { CstElement, CstNode, IToken } from "chevrotain";
import { Diagnostics } from "../diagnostics/diagnostic.js";
import { joinSpans, type Span } from "../diagnostics/span.js";
import type { Arg, BinaryOp, Expr, UnitExpr } from "./ast.js";
import { tokenSpan } from "./lexer.js";
import { numberListItems } from "./number-list.js";

/** Name given to placeholders for pieces the parser could not find (only present when there are errors). */
export const MISSING = "<missing>";

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

/** A token the parser invented during recovery has no position. */
function isReal(t: IToken): boolean {
  return !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
}

/** Operator chains longer than this (`a + b + ...`, 1000 operators) are built as balanced trees, not left-deep. */
export const LONG_CHAIN = 1000;

const INVERSE: Partial<Record<BinaryOp, BinaryOp>> = { "+": "-", "-": "+", "*": "/", "/": "*" };

/**
 * The terms lo..hi of a left-associative chain (ops[i - 1] stands between terms i - 1 and i, inverted when `flip`)
 * as a balanced tree of the same value, built by `make`: t0 - t1 + t2 - t3 = (t0 - t1) + (t2 - t3), and
 * t0 - (t1 - t2 + t3) when split after t0. Exact over the reals; in floating point the grouping changes the rounding,
 * so only chains longer than LONG_CHAIN (never seen in a real model, where a left-deep tree would exhaust the stack
 * of every later recursive walk) are rebalanced.
 */
export function balancedChain<T>(
  terms: T[],
  ops: BinaryOp[],
  make: (op: BinaryOp, left: T, right: T) => T,
  lo = 0,
  hi = terms.length - 1,
  flip = false,
): T {
  if (lo === hi) return terms[lo]!;
  const mid = (lo + hi + 1) >> 1;
  const written = ops[mid - 1]!;
  const op = flip ? (INVERSE[written] ?? written) : written;
  const left = balancedChain(terms, ops, make, lo, mid - 1, flip);
  const right = balancedChain(terms, ops, make, mid, hi, op === "-" || op === "/" ? !flip : flip);
  return make(op, left, right);
}

/** CST access and the conversion of expressions and units; extended by cst-to-ast.ts's Converter. */
export class CstExprConverter {
  readonly diags = new Diagnostics();
  private readonly boundsCache = new Map<CstNode, [IToken, IToken] | null>();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  // ------------------------------------------------------------ CST access

  tok(node: CstNode | undefined, label: string): IToken | undefined {
    const t = node?.children[label]?.find((e) => isToken(e) && isReal(e));
    return t as IToken | undefined;
  }
  toks(node: CstNode | undefined, label: string): IToken[] {
    return (node?.children[label] ?? []).filter((e): e is IToken => isToken(e) && isReal(e));
  }
  sub(node: CstNode | undefined, label: string): CstNode | undefined {
    return node?.children[label]?.find((e): e is CstNode => !isToken(e));
  }
  subs(node: CstNode | undefined, label: string): CstNode[] {
    return (node?.children[label] ?? []).filter((e): e is CstNode => !isToken(e));
  }

  tspan(t: IToken): Span {
    return tokenSpan(this.file, t);
  }

  /** First and last real tokens under `node` (cached); null if recovery left it without tokens. */
  bounds(node: CstNode): [IToken, IToken] | null {
    const cached = this.boundsCache.get(node);
    if (cached !== undefined) return cached;
    let first: IToken | null = null;
    let last: IToken | null = null;
    const lists = Object.values(node.children);
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i]!;
      for (let j = 0; j < list.length; j++) {
        const e = list[j]!;
        let a: IToken;
        let b: IToken;
        if (isToken(e)) {
          if (!isReal(e)) continue;
          a = e;
          b = e;
        } else {
          const inner = this.bounds(e);
          if (inner === null) continue;
          a = inner[0];
          b = inner[1];
        }
        if (first === null || a.startOffset < first.startOffset) first = a;
        if (last === null || b.startOffset > last.startOffset) last = b;
      }
    }
    const result: [IToken, IToken] | null = first !== null && last !== null ? [first, last] : null;
    this.boundsCache.set(node, result);
    return result;
  }

  /** Span from the first to the last real token under `node`; null if it has none. The parser tracks
   * locations; only nodes touched by recovery (with invented tokens) need a walk. */
  nodeSpanOrNull(node: CstNode): Span | null {
    const l = node.location;
    if (
      l &&
      !node.recoveredNode &&
      Number.isFinite(l.startOffset) &&
      Number.isFinite(l.endOffset) &&
      l.startLine !== undefined &&
      l.startColumn !== undefined &&
      l.endLine !== undefined &&
      l.endColumn !== undefined &&
      Number.isFinite(l.endColumn)
    ) {
      return {
        file: this.file,
        start: l.startOffset,
        end: l.endOffset! + 1,
        line: l.startLine,
        col: l.startColumn,
        endLine: l.endLine,
        endCol: l.endColumn,
      };
    }
    const b = this.bounds(node);
    return b ? joinSpans(this.tspan(b[0]), this.tspan(b[1])) : null;
  }

  /** Start offset of a node for ordering sections and items. */
  startOf(node: CstNode): number | null {
    const l = node.location;
    if (l && !node.recoveredNode && Number.isFinite(l.startOffset)) return l.startOffset;
    const b = this.bounds(node);
    return b ? b[0].startOffset : null;
  }

  /** Span of `node`, or `fallback` when recovery left it empty. */
  span(node: CstNode | undefined, fallback: Span): Span {
    return (node && this.nodeSpanOrNull(node)) ?? fallback;
  }

  /** Does the subtree contain recovery artifacts? (Then semantic complaints would be noise.) */
  complete(node: CstNode): boolean {
    if (node.recoveredNode) return false;
    for (const list of Object.values(node.children)) {
      for (const e of list) {
        if (isToken(e) ? !isReal(e) : !this.complete(e)) return false;
      }
    }
    return true;
  }

  missingExpr(span: Span): Expr {
    return { kind: "Name", name: MISSING, span };
  }

  nameOf(node: CstNode | undefined, label: string, fallback: Span): { name: string; span: Span } {
    const t = this.tok(node, label);
    return t ? { name: t.image, span: this.tspan(t) } : { name: MISSING, span: fallback };
  }

  /** Sub-nodes of several labels in source order. */
  ordered(node: CstNode, labels: string[]): CstNode[] {
    const all = labels.flatMap((l) => this.subs(node, l));
    return all
      .map((n) => ({ n, s: this.startOf(n) }))
      .filter((x): x is { n: CstNode; s: number } => x.s !== null)
      .sort((a, b) => a.s - b.s)
      .map((x) => x.n);
  }

  args(node: CstNode | undefined, outer: Span): Arg[] {
    return this.subs(node, "arg").map((a) => {
      const span = this.span(a, outer);
      const arg: Arg = { value: this.exprOrMissing(this.sub(a, "value"), span), span };
      const n = this.tok(a, "name");
      if (n) {
        arg.name = n.image;
        arg.nameSpan = this.tspan(n);
      }
      return arg;
    });
  }

  // ------------------------------------------------------------ expressions

  exprOrMissing(node: CstNode | undefined, fallback: Span): Expr {
    return node ? this.expr(node, fallback) : this.missingExpr(fallback);
  }

  expr(node: CstNode, outer: Span): Expr {
    const c = node.children;
    switch (node.name) {
      case "expr": {
        const condNode = this.sub(node, "cond");
        if (!c.Question && condNode) return this.expr(condNode, outer);
        const span = this.span(node, outer);
        const cond = this.exprOrMissing(condNode, span);
        if (!c.Question) return cond;
        return {
          kind: "Conditional",
          cond,
          then: this.exprOrMissing(this.sub(node, "then"), span),
          otherwise: this.exprOrMissing(this.sub(node, "otherwise"), span),
          span,
        };
      }
      case "orExpr":
      case "andExpr":
      case "cmpExpr":
      case "sumExpr":
      case "prodExpr": {
        const operands = this.subs(node, "operand");
        if (!c.op && operands.length === 1) return this.expr(operands[0]!, outer);
        return this.chain(node, this.span(node, outer));
      }
      case "notExpr":
      case "unaryExpr": {
        const operandNode = this.sub(node, "operand");
        const op = this.tok(node, "op");
        if (!op && operandNode) return this.expr(operandNode, outer);
        const span = this.span(node, outer);
        const operand = this.exprOrMissing(operandNode, span);
        return op ? { kind: "Unary", op: op.image as "-" | "+" | "not", operand, span } : operand;
      }
      case "powerExpr": {
        const baseNode = this.sub(node, "base");
        if (!c.Caret && baseNode) return this.expr(baseNode, outer);
        const span = this.span(node, outer);
        const base = this.exprOrMissing(baseNode, span);
        if (!c.Caret) return base;
        return {
          kind: "Binary",
          op: "^",
          left: base,
          right: this.exprOrMissing(this.sub(node, "exponent"), span),
          span,
        };
      }
      case "atom":
        return this.atom(node, this.span(node, outer));
    }
    return this.missingExpr(this.span(node, outer));
  }

  /** Left-associative operator chain: operand (op operand)*. A chain longer than LONG_CHAIN operators is built as
   * a balanced tree instead (see balancedChain), so no later recursive walk goes deeper than log2 of its length. */
  chain(node: CstNode, span: Span): Expr {
    const operands = this.subs(node, "operand");
    const ops = (node.children.op ?? []).filter(isToken);
    const terms = [this.exprOrMissing(operands[0], span)];
    for (let i = 0; i < ops.length; i++) terms.push(this.exprOrMissing(operands[i + 1], span));
    const opNames = ops.map((t) => t.image as BinaryOp);
    // `%` has no inverse to regroup by: a chain holding one stays left-deep
    if (ops.length > LONG_CHAIN && !opNames.includes("%"))
      return balancedChain(terms, opNames, (op, left, right) => ({
        kind: "Binary",
        op,
        left,
        right,
        span: joinSpans(left.span, right.span),
      }));
    let left = terms[0]!;
    for (let i = 0; i < opNames.length; i++) {
      const right = terms[i + 1]!;
      left = { kind: "Binary", op: opNames[i]!, left, right, span: joinSpans(left.span, right.span) };
    }
    return left;
  }

  atom(node: CstNode, span: Span): Expr {
    const c = node.children;
    const num = this.tok(node, "number");
    if (num) {
      const e: Expr = { kind: "Number", value: Number(num.image), span };
      const u = this.sub(node, "unit");
      if (u) e.unit = this.unit(u, span);
      return e;
    }
    const bool = this.tok(node, "bool");
    if (bool) return { kind: "Bool", value: bool.image === "true", span };
    const str = this.tok(node, "string");
    if (str) return { kind: "String", value: stringValue(str.image, str.tokenType.name === "GoodString"), span };
    const obj = this.tok(node, "object");
    if (obj) {
      const member = this.tok(node, "member");
      const objectSpan = this.tspan(obj);
      return {
        kind: "Member",
        object: obj.image as "pre" | "post" | "astro" | "mod",
        objectSpan,
        name: member?.image ?? MISSING,
        nameSpan: member ? this.tspan(member) : objectSpan,
        span,
      };
    }
    const name = this.tok(node, "name");
    if (name) {
      const nameSpan = this.tspan(name);
      const argsNode = this.sub(node, "args");
      if (argsNode)
        return { kind: "Call", callee: name.image, calleeSpan: nameSpan, args: this.args(argsNode, span), span };
      if (c.Dot) {
        const member = this.tok(node, "member");
        return {
          kind: "Member",
          object: { population: name.image },
          objectSpan: nameSpan,
          name: member?.image ?? MISSING,
          nameSpan: member ? this.tspan(member) : nameSpan,
          span,
        };
      }
      return { kind: "Name", name: name.image, span };
    }
    const dt = this.tok(node, "dt");
    if (dt) return { kind: "Name", name: "dt", span };
    const inner = this.sub(node, "inner");
    if (c.LParen) return { ...this.exprOrMissing(inner, span), span }; // the span includes the parentheses
    if (c.LBracket) return { kind: "List", items: this.subs(node, "item").map((i) => this.expr(i, span)), span };
    const list = this.tok(node, "numberList");
    if (list) return { kind: "List", items: numberListItems(list, this.file), span };
    return this.missingExpr(span);
  }

  // ------------------------------------------------------------ units

  /** numUnit / unitExpr: [/] factor ((*|/) factor)*; a leading `/` means 1/... */
  unit(node: CstNode, outer: Span): UnitExpr {
    const span = this.span(node, outer);
    const factors = this.subs(node, "factor");
    const ops = (node.children.op ?? []).filter(isToken);
    let acc = factors[0] ? this.unitFactor(factors[0], span) : ({ kind: "UnitOne", span } as UnitExpr);
    const lead = this.tok(node, "leadingSlash");
    if (lead)
      acc = {
        kind: "UnitDiv",
        left: { kind: "UnitOne", span: this.tspan(lead) },
        right: acc,
        span: joinSpans(this.tspan(lead), acc.span),
      };
    const terms = [acc];
    const opNames: BinaryOp[] = [];
    for (let i = 0; i < ops.length; i++) {
      const f = factors[i + 1];
      if (!f) break;
      terms.push(this.unitFactor(f, span));
      opNames.push(ops[i]!.image === "*" ? "*" : "/");
    }
    const make = (op: BinaryOp, left: UnitExpr, right: UnitExpr): UnitExpr => {
      const s = joinSpans(left.span, right.span);
      return op === "*" ? { kind: "UnitMul", left, right, span: s } : { kind: "UnitDiv", left, right, span: s };
    };
    if (opNames.length > LONG_CHAIN) return balancedChain(terms, opNames, make);
    return terms.slice(1).reduce((left, right, i) => make(opNames[i]!, left, right), terms[0]!);
  }

  unitFactor(node: CstNode, outer: Span): UnitExpr {
    const span = this.span(node, outer);
    let base: UnitExpr;
    const u = this.tok(node, "unit");
    const one = this.tok(node, "one");
    const inner = this.sub(node, "inner");
    if (u) base = { kind: "UnitName", name: u.image, span: this.tspan(u) };
    else if (one) {
      base = { kind: "UnitOne", span: this.tspan(one) };
      if (Number(one.image) !== 1) {
        this.diags.error("E0114", this.tspan(one), `'${one.image}' in a unit: the only number allowed in a unit is 1`, {
          hint: "put scale factors in the value (20 ms, not ms*20); write 1/ms for 'per millisecond'",
        });
      }
    } else if (inner) base = this.unit(inner, span);
    else base = { kind: "UnitOne", span };
    const ex = this.sub(node, "exponent");
    if (!ex) return base;
    const valueTok = this.tok(ex, "value");
    if (!valueTok) return base;
    const sign = this.tok(ex, "minus") ? -1 : 1;
    const value = Number(valueTok.image);
    if (!Number.isInteger(value)) {
      this.diags.error("E0114", this.tspan(valueTok), `unit exponent '${valueTok.image}' is not an integer`, {
        hint: "unit powers are whole numbers: metre^3, ms^-1",
      });
    }
    return { kind: "UnitPow", base, exponent: sign * value, span };
  }
}

/** The text of a string literal without quotes, with \" \\ \n \t resolved. Unterminated strings lose only the opening quote. */
export function stringValue(image: string, terminated: boolean): string {
  const body = terminated ? image.slice(1, -1) : image.slice(1);
  return body.replace(/\\(.)/g, (_, ch: string) => (ch === "n" ? "\n" : ch === "t" ? "\t" : ch));
}
