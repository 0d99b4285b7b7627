// CST to AST: gives the concrete syntax tree of parser.ts its meaning as compiler/syntax/ast.ts nodes.
// In: a (possibly recovered, incomplete) CST, file name and text; out: FileAst with precise spans,
// plus E0114 (bad unit number/exponent) and E0115 (bad assignment target). Missing pieces get placeholders.
// The CST access and the expressions and units are cst-expr.ts's (CstExprConverter); this file adds files,
// models, declarations, statements and networks.

import { timedArrayCalls } from "./timed-expr.js";
import type { CstNode, IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { joinSpans, spanFromOffsets, type Span } from "../diagnostics/span.js";
import type {
  Arg,
  AssignOp,
  Decl,
  Equation,
  EventName,
  Expose,
  FileAst,
  Handler,
  Import,
  LValue,
  ModelDef,
  ModelKind,
  NetItem,
  NetLet,
  NetworkDef,
  PopRef,
  Refractory,
  SectionMark,
  SpikeRule,
  Stmt,
} from "./ast.js";
import { closest, UNITS } from "../units/units.js";
import { CstExprConverter, MISSING, stringValue } from "./cst-expr.js";

export { MISSING, stringValue };

export interface AstResult {
  ast: FileAst;
  diagnostics: Diagnostic[];
}

/** Files, models, declarations, statements and networks, over cst-expr.ts's CST access and expressions. */
class Converter extends CstExprConverter {
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
      "letStmt",
    ];
    const items: NetItem[] = [];
    const lets: NetLet[] = [];
    for (const n of this.ordered(node, rules)) {
      if (n.name === "letStmt") {
        const s = this.stmt(n, span);
        if (s?.kind === "Let") lets.push({ ...s, at: items.length });
        continue;
      }
      const it = this.netItem(n, span);
      if (it) items.push(it);
    }
    const net: NetworkDef = { kind: "Network", name, nameSpan, items, span };
    if (lets.length > 0) net.lets = lets;
    return net;
  }

  netItem(node: CstNode, outer: Span): NetItem | undefined {
    const span = this.span(node, outer);
    const header = this.tok(node, "header");
    const value = (label: string) => this.exprOrMissing(this.sub(node, label), span);
    switch (node.name) {
      case "settingItem":
        return {
          kind: "Setting",
          name: (header?.image ?? "dt") as "dt" | "seed" | "window",
          value: value("value"),
          span,
        };
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
        const rhs = value("value");
        const common = {
          kind: "Current" as const,
          variable: v.name,
          variableSpan: v.span,
          target: this.popref(this.sub(node, "target"), span),
          span,
        };
        // a call is the generator form; anything else is an expression of one timed_array (`value`)
        const nested = timedArrayCalls(rhs);
        return rhs.kind === "Call" && (nested.length === 0 || nested[0] === rhs)
          ? { ...common, generator: rhs.callee, generatorSpan: rhs.calleeSpan, args: rhs.args }
          : { ...common, generator: "timed_array", generatorSpan: rhs.span, args: [], value: rhs };
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
    if (node?.children.LBracket && !node.children.Colon && this.sub(node, "start"))
      ref.indices = [this.sub(node, "start"), ...this.subs(node, "more")].map((e) => this.exprOrMissing(e, span));
    else if (node?.children.LBracket)
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
}

/** Convert the CSTs of one file (from GliaParser.parseFile, in order) into its AST. */
export function cstToAst(csts: CstNode[], file: string, text: string): AstResult {
  const c = new Converter(file, text);
  const ast = c.fileAst(csts);
  return { ast, diagnostics: c.diags.items };
}
