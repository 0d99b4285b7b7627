// CST to AST: gives the concrete syntax tree of parser.ts its meaning as compiler/syntax/ast.ts nodes.
// In: a (possibly recovered, incomplete) CST, file name and text; out: FileAst with precise spans,
// plus E0114 (bad unit number/exponent) and E0115 (bad assignment target). Missing pieces get placeholders.

import type { CstElement, CstNode, IToken } from "chevrotain";
import { Diagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { joinSpans, spanFromOffsets, type Span } from "../diagnostics/span.js";
import type {
  Arg,
  AssignOp,
  BinaryOp,
  Decl,
  Equation,
  EventName,
  Expose,
  Expr,
  FileAst,
  Handler,
  Import,
  LValue,
  ModelDef,
  ModelKind,
  NetItem,
  NetworkDef,
  PopRef,
  Refractory,
  SectionMark,
  SpikeRule,
  Stmt,
  UnitExpr,
} from "./ast.js";
import { closest, UNITS } from "../units/units.js";
import { tokenSpan } from "./lexer.js";

/** Name given to placeholders for pieces the parser could not find (only present when there are errors). */
export const MISSING = "<missing>";

export interface AstResult {
  ast: FileAst;
  diagnostics: Diagnostic[];
}

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

/** A token the parser invented during recovery has no position. */
function isReal(t: IToken): boolean {
  return !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
}

class Converter {
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

  // ------------------------------------------------------------ files

  /** One file from the CSTs of its consecutive parses (more than one after top-level recovery). */
  fileAst(csts: CstNode[]): FileAst {
    const whole = spanFromOffsets(this.file, this.text, 0, this.text.length);
    const imports: Import[] = [];
    const models: ModelDef[] = [];
    const networks: NetworkDef[] = [];
    for (const cst of csts) {
      for (const n of this.subs(cst, "importDecl")) {
        const t = this.tok(n, "path");
        if (t)
          imports.push({
            kind: "Import",
            path: stringValue(t.image, t.tokenType.name === "GoodString"),
            span: this.tspan(t),
          });
      }
      models.push(...this.subs(cst, "model").map((n) => this.model(n, whole)));
      networks.push(...this.subs(cst, "network").map((n) => this.network(n, whole)));
    }
    return { kind: "File", file: this.file, imports, models, networks, span: whole };
  }

  // ------------------------------------------------------------ models

  model(node: CstNode, outer: Span): ModelDef {
    const span = this.span(node, outer);
    const kindTok = this.tok(node, "kind");
    const modelKind = (kindTok?.image ?? "neuron") as ModelKind;
    const { name, span: nameSpan } = this.nameOf(node, "name", span);
    const m: ModelDef = {
      kind: "Model",
      modelKind,
      name,
      nameSpan,
      parameters: [],
      state: [],
      inputs: [],
      equations: [],
      handlers: [],
      exposes: [],
      sections: [],
      span,
    };
    const sectionRules = [
      "declSection",
      "equationsSection",
      "spikeSection",
      "refractorySection",
      "methodSection",
      "dtSection",
      "onSection",
      "continuousSection",
      "exposeSection",
    ];
    for (const s of this.ordered(node, sectionRules)) this.section(s, m);
    return m;
  }

  section(node: CstNode, m: ModelDef): void {
    const span = this.span(node, m.span);
    const header = this.tok(node, "header");
    const headerSpan = header ? this.tspan(header) : span;
    const mark = (section: SectionMark["section"], s: Span = headerSpan) => m.sections.push({ section, span: s });
    switch (node.name) {
      case "declSection": {
        const which = (header?.image ?? "parameters") as "parameters" | "state" | "inputs";
        mark(which);
        const decls = this.subs(node, "decl").map((d) => this.decl(d, span));
        this.requireSeparators(decls, this.toks(node, "Semicolon"));
        m[which].push(...decls);
        return;
      }
      case "equationsSection":
        mark("equations");
        m.equations.push(...this.subs(node, "equation").map((e) => this.equation(e, span)));
        return;
      case "spikeSection": {
        mark("spike");
        const rule: SpikeRule = {
          kind: "Spike",
          condition: this.exprOrMissing(this.sub(node, "condition"), headerSpan),
          reset: this.block(this.sub(node, "body"), span),
          span,
        };
        m.spike ??= rule;
        return;
      }
      case "refractorySection": {
        mark("refractory");
        const r: Refractory = {
          kind: "Refractory",
          period: this.exprOrMissing(this.sub(node, "period"), headerSpan),
          clamp: this.toks(node, "clamped").map((t) => ({ name: t.image, span: this.tspan(t) })),
          span,
        };
        m.refractory ??= r;
        return;
      }
      case "methodSection": {
        mark("method");
        const t = this.tok(node, "name");
        if (t) m.method ??= { name: t.image, span: this.tspan(t) };
        return;
      }
      case "dtSection":
        mark("dt");
        m.dt ??= this.exprOrMissing(this.sub(node, "value"), headerSpan);
        return;
      case "onSection": {
        const ev = this.tok(node, "event");
        const hs = ev ? joinSpans(headerSpan, this.tspan(ev)) : headerSpan;
        mark("on", hs);
        const h: Handler = {
          kind: "Handler",
          event: (ev?.image ?? "pre") as EventName,
          body: this.block(this.sub(node, "body"), span),
          span: hs,
        };
        m.handlers.push(h);
        return;
      }
      case "continuousSection":
        mark("continuous");
        m.handlers.push({
          kind: "Handler",
          event: "continuous",
          body: this.block(this.sub(node, "body"), span),
          span: headerSpan,
        });
        return;
      case "exposeSection": {
        mark("expose");
        const { name, span: nameSpan } = this.nameOf(node, "name", span);
        const unitNode = this.sub(node, "unit");
        const e: Expose = {
          kind: "Expose",
          name,
          nameSpan,
          value: this.exprOrMissing(this.sub(node, "value"), span),
          span,
        };
        if (unitNode) e.unit = this.unit(unitNode, span);
        m.exposes.push(e);
        return;
      }
    }
  }

  decl(node: CstNode, outer: Span): Decl {
    const span = this.span(node, outer);
    const { name, span: nameSpan } = this.nameOf(node, "name", span);
    const d: Decl = { kind: "Decl", name, nameSpan, span };
    const u = this.sub(node, "unit");
    if (u) d.unit = this.unit(u, span);
    const v = this.sub(node, "value");
    if (v || node.children.Assign) d.value = this.exprOrMissing(v, span);
    return d;
  }

  /** Declarations sharing a line need a ';' between them: `x = 2 V` is almost always a unit typo
   * (V is not a unit symbol), not a value-less declaration of V. */
  requireSeparators(decls: Decl[], semicolons: IToken[]): void {
    for (let i = 1; i < decls.length; i++) {
      const prev = decls[i - 1]!;
      const d = decls[i]!;
      if (prev.span.endLine !== d.span.line || d.unit || d.value) continue;
      if (semicolons.some((t) => t.startOffset >= prev.span.end && t.startOffset < d.span.start)) continue;
      const unit = prev.value ? closest(d.name, UNITS.keys()) : undefined;
      const guess = unit
        ? `; if '${d.name}' is the unit of the value before it, did you mean '${unit}'?`
        : prev.value
          ? `; '${d.name}' is not a unit symbol`
          : "";
      this.diags.error("E0110", d.nameSpan, `expected ';' or a line break before '${d.name}'`, {
        hint: `declarations on one line are separated by ';'${guess}`,
      });
    }
  }

  equation(node: CstNode, outer: Span): Equation {
    const span = this.span(node, outer);
    const { name, span: nameSpan } = this.nameOf(node, "name", span);
    const value = this.exprOrMissing(this.sub(node, "value"), span);
    if (this.tok(node, "Prime")) return { kind: "Ode", name, nameSpan, value, span };
    const alias: Equation = { kind: "Alias", name, nameSpan, value, span };
    const u = this.sub(node, "unit");
    if (u) alias.unit = this.unit(u, span);
    return alias;
  }

  // ------------------------------------------------------------ statements

  block(node: CstNode | undefined, outer: Span): Stmt[] {
    const out: Stmt[] = [];
    for (const s of this.subs(node, "stmt")) {
      const inner = this.sub(s, "letStmt") ?? this.sub(s, "ifStmt") ?? this.sub(s, "assignStmt");
      const st = inner ? this.stmt(inner, this.span(s, outer)) : undefined;
      if (st) out.push(st);
    }
    return out;
  }

  stmt(node: CstNode, outer: Span): Stmt | undefined {
    const span = this.span(node, outer);
    switch (node.name) {
      case "letStmt": {
        const { name, span: nameSpan } = this.nameOf(node, "name", span);
        return { kind: "Let", name, nameSpan, value: this.exprOrMissing(this.sub(node, "value"), span), span };
      }
      case "ifStmt": {
        const elseIf = this.sub(node, "elseIf");
        const elseStmt = elseIf ? this.stmt(elseIf, span) : undefined;
        return {
          kind: "If",
          cond: this.exprOrMissing(this.sub(node, "condition"), span),
          then: this.block(this.sub(node, "then"), span),
          otherwise: elseIf ? (elseStmt ? [elseStmt] : []) : this.block(this.sub(node, "otherwise"), span),
          span,
        };
      }
      case "assignStmt": {
        const targetNode = this.sub(node, "target");
        const opTok = this.tok(node, "op");
        const target = this.lvalue(targetNode, span);
        if (!target || !opTok) return undefined;
        return {
          kind: "Assign",
          target,
          op: opTok.image as AssignOp,
          value: this.exprOrMissing(this.sub(node, "value"), span),
          span,
        };
      }
    }
    return undefined;
  }

  /** The left side of an assignment: NAME, pre.NAME or post.NAME; anything else is E0115. */
  lvalue(node: CstNode | undefined, outer: Span): LValue | undefined {
    if (!node) return undefined;
    const e = this.expr(node, outer);
    if (e.kind === "Name" && e.name !== MISSING) return e;
    if (e.kind === "Member" && (e.object === "pre" || e.object === "post")) {
      return {
        kind: "Member",
        object: e.object,
        objectSpan: e.objectSpan,
        name: e.name,
        nameSpan: e.nameSpan,
        span: e.span,
      };
    }
    if (!this.complete(node)) return undefined; // the parser already reported what is wrong here
    let what: string;
    if (e.kind === "Member") {
      what =
        e.object === "astro"
          ? `'astro.${e.name}': values exposed by astrocytes are read-only`
          : e.object === "mod"
            ? `'mod.${e.name}': modulators are computed by the network and read-only`
            : typeof e.object === "object"
              ? `'${e.object.population}.${e.name}': population variables can only be read (in modulators)`
              : `'${e.object}.${e.name}'`;
    } else if (e.kind === "Call") what = `a call of '${e.callee}'`;
    else if (e.kind === "Number" || e.kind === "Bool" || e.kind === "String") what = "a literal value";
    else if (e.kind === "Name") what = "this expression";
    else what = "an expression";
    this.diags.error("E0115", e.span, `cannot assign to ${what}`, {
      hint: "the left side of an assignment is a variable name, pre.NAME or post.NAME",
    });
    return undefined;
  }

  // ------------------------------------------------------------ networks

  network(node: CstNode, outer: Span): NetworkDef {
    const span = this.span(node, outer);
    const { name, span: nameSpan } = this.nameOf(node, "name", span);
    const rules = [
      "settingItem",
      "populationItem",
      "inputItem",
      "currentItem",
      "connectItem",
      "ensheathItem",
      "modulatorItem",
      "recordItem",
      "runItem",
    ];
    const items: NetItem[] = [];
    for (const n of this.ordered(node, rules)) {
      const it = this.netItem(n, span);
      if (it) items.push(it);
    }
    return { kind: "Network", name, nameSpan, items, span };
  }

  netItem(node: CstNode, outer: Span): NetItem | undefined {
    const span = this.span(node, outer);
    const header = this.tok(node, "header");
    const value = (label: string) => this.exprOrMissing(this.sub(node, label), span);
    switch (node.name) {
      case "settingItem":
        return { kind: "Setting", name: (header?.image ?? "dt") as "dt" | "seed", value: value("value"), span };
      case "populationItem": {
        const n = this.nameOf(node, "name", span);
        const m = this.nameOf(node, "model", span);
        return {
          kind: "Population",
          name: n.name,
          nameSpan: n.span,
          model: m.name,
          modelSpan: m.span,
          args: this.args(this.sub(node, "args"), span),
          size: value("size"),
          span,
        };
      }
      case "inputItem": {
        const n = this.nameOf(node, "name", span);
        const g = this.nameOf(node, "generator", span);
        return {
          kind: "Input",
          name: n.name,
          nameSpan: n.span,
          generator: g.name,
          generatorSpan: g.span,
          args: this.args(this.sub(node, "args"), span),
          size: value("size"),
          span,
        };
      }
      case "currentItem": {
        const v = this.nameOf(node, "variable", span);
        const g = this.nameOf(node, "generator", span);
        return {
          kind: "Current",
          variable: v.name,
          variableSpan: v.span,
          target: this.popref(this.sub(node, "target"), span),
          generator: g.name,
          generatorSpan: g.span,
          args: this.args(this.sub(node, "args"), span),
          span,
        };
      }
      case "connectItem": {
        const nameTok = this.tok(node, "name");
        const syn = this.nameOf(node, "synapse", span);
        const ontoTok = this.tok(node, "onto");
        const delayNode = this.sub(node, "delay");
        const item: NetItem = {
          kind: "Connect",
          pre: this.poprefs(this.sub(node, "pre"), span),
          post: this.poprefs(this.sub(node, "post"), span),
          synapse: syn.name,
          synapseSpan: syn.span,
          args: this.args(this.sub(node, "synapseArgs"), span),
          rule: this.ruleRef(this.sub(node, "rule"), span),
          allowSelf: this.toks(node, "Kw_allow_self").length > 0,
          span,
        };
        if (nameTok) {
          item.name = nameTok.image;
          item.nameSpan = this.tspan(nameTok);
        }
        if (ontoTok) item.onto = { name: ontoTok.image, span: this.tspan(ontoTok) };
        if (delayNode) item.delay = this.expr(delayNode, span);
        return item;
      }
      case "ensheathItem": {
        const a = this.nameOf(node, "astrocytes", span);
        return {
          kind: "Ensheath",
          projections: this.toks(node, "projection").map((t) => ({ name: t.image, span: this.tspan(t) })),
          astrocytes: a.name,
          astrocytesSpan: a.span,
          rule: this.ruleRef(this.sub(node, "rule"), span),
          span,
        };
      }
      case "modulatorItem": {
        const n = this.nameOf(node, "name", span);
        const u = this.sub(node, "unit");
        const item: NetItem = { kind: "Modulator", name: n.name, nameSpan: n.span, value: value("value"), span };
        if (u) item.unit = this.unit(u, span);
        return item;
      }
      case "recordItem": {
        const w = this.nameOf(node, "what", span);
        const every = this.sub(node, "every");
        const item: NetItem = {
          kind: "Record",
          what: w.name,
          whatSpan: w.span,
          targets: this.poprefs(this.sub(node, "targets"), span),
          span,
        };
        if (every) item.every = this.expr(every, span);
        return item;
      }
      case "runItem":
        return { kind: "Run", duration: value("duration"), span };
    }
    return undefined;
  }

  poprefs(node: CstNode | undefined, outer: Span): PopRef[] {
    return this.subs(node, "popref").map((p) => this.popref(p, outer));
  }

  popref(node: CstNode | undefined, outer: Span): PopRef {
    const span = this.span(node, outer);
    const n = this.nameOf(node, "name", span);
    const ref: PopRef = { name: n.name, nameSpan: n.span, span };
    if (node?.children.LBracket)
      ref.slice = {
        start: this.exprOrMissing(this.sub(node, "start"), span),
        end: this.exprOrMissing(this.sub(node, "end"), span),
      };
    return ref;
  }

  ruleRef(node: CstNode | undefined, outer: Span): { name: string; span: Span; args: Arg[] } {
    const n = this.nameOf(node, "name", this.span(node, outer));
    return { name: n.name, span: n.span, args: this.args(this.sub(node, "args"), outer) };
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

  /** Left-associative operator chain: operand (op operand)*. */
  chain(node: CstNode, span: Span): Expr {
    const operands = this.subs(node, "operand");
    const ops = (node.children.op ?? []).filter(isToken);
    let left = this.exprOrMissing(operands[0], span);
    for (let i = 0; i < ops.length; i++) {
      const right = this.exprOrMissing(operands[i + 1], span);
      const op = ops[i]!.image as BinaryOp;
      left = { kind: "Binary", op, left, right, span: joinSpans(left.span, right.span) };
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
    for (let i = 0; i < ops.length; i++) {
      const f = factors[i + 1];
      if (!f) break;
      const right = this.unitFactor(f, span);
      const s = joinSpans(acc.span, right.span);
      acc =
        ops[i]!.image === "*"
          ? { kind: "UnitMul", left: acc, right, span: s }
          : { kind: "UnitDiv", left: acc, right, span: s };
    }
    return acc;
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

/** Convert the CSTs of one file (from GliaParser.parseFile, in order) into its AST. */
export function cstToAst(csts: CstNode[], file: string, text: string): AstResult {
  const c = new Converter(file, text);
  const ast = c.fileAst(csts);
  return { ast, diagnostics: c.diags.items };
}
