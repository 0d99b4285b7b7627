// Deterministic text form of the AST, for `glia compile --emit ast` and golden tests.
// In: a Program (or one FileAst); out: an indented tree, one node per line, with line:col positions.

import type {
  Arg,
  Decl,
  Equation,
  Expr,
  FileAst,
  LValue,
  ModelDef,
  NetItem,
  NetworkDef,
  PopRef,
  Program,
  Stmt,
  UnitExpr,
} from "./ast.js";
import type { Span } from "../diagnostics/span.js";

export function printProgramAst(p: Program): string {
  return p.files.map(printFileAst).join("\n");
}

export function printFileAst(f: FileAst): string {
  const out: string[] = [];
  out.push(`file ${f.file}`);
  for (const i of f.imports) out.push(`  import ${JSON.stringify(i.path)} @${pos(i.span)}`);
  for (const m of f.models) printModel(m, out, "  ");
  for (const n of f.networks) printNetwork(n, out, "  ");
  return out.join("\n") + "\n";
}

const pos = (s: Span): string => `${s.line}:${s.col}`;

export function printUnit(u: UnitExpr): string {
  switch (u.kind) {
    case "UnitName":
      return u.name;
    case "UnitOne":
      return "1";
    case "UnitMul":
      return `(${printUnit(u.left)}*${printUnit(u.right)})`;
    case "UnitDiv":
      return `(${printUnit(u.left)}/${printUnit(u.right)})`;
    case "UnitPow":
      return `${printUnit(u.base)}^${u.exponent}`;
  }
}

/** Fully parenthesized expression text: precedence is visible in the output. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "Number":
      return e.unit ? `${e.value}[${printUnit(e.unit)}]` : String(e.value);
    case "Bool":
      return String(e.value);
    case "String":
      return JSON.stringify(e.value);
    case "Name":
      return e.name;
    case "Member":
      return `${typeof e.object === "string" ? e.object : e.object.population}.${e.name}`;
    case "Unary":
      return `(${e.op === "not" ? "not " : e.op}${printExpr(e.operand)})`;
    case "Binary":
      return `(${printExpr(e.left)} ${e.op} ${printExpr(e.right)})`;
    case "Conditional":
      return `(${printExpr(e.cond)} ? ${printExpr(e.then)} : ${printExpr(e.otherwise)})`;
    case "Call":
      return `${e.callee}(${e.args.map(printArg).join(", ")})`;
    case "List":
      return `[${e.items.map(printExpr).join(", ")}]`;
  }
}

function printArg(a: Arg): string {
  return a.name !== undefined ? `${a.name}=${printExpr(a.value)}` : printExpr(a.value);
}

function printLValue(l: LValue): string {
  return l.kind === "Name" ? l.name : `${l.object}.${l.name}`;
}

function printStmts(stmts: Stmt[], out: string[], ind: string): void {
  for (const s of stmts) {
    switch (s.kind) {
      case "Assign":
        out.push(`${ind}${printLValue(s.target)} ${s.op} ${printExpr(s.value)} @${pos(s.span)}`);
        break;
      case "Let":
        out.push(`${ind}let ${s.name} = ${printExpr(s.value)} @${pos(s.span)}`);
        break;
      case "If":
        out.push(`${ind}if ${printExpr(s.cond)} @${pos(s.span)}`);
        printStmts(s.then, out, ind + "  ");
        if (s.otherwise.length > 0) {
          out.push(`${ind}else`);
          printStmts(s.otherwise, out, ind + "  ");
        }
        break;
    }
  }
}

function printDecl(d: Decl): string {
  const unit = d.unit ? `: ${printUnit(d.unit)}` : "";
  const value = d.value ? ` = ${printExpr(d.value)}` : "";
  return `${d.name}${unit}${value} @${pos(d.span)}`;
}

function printEquation(e: Equation): string {
  if (e.kind === "Ode") return `${e.name}' = ${printExpr(e.value)} @${pos(e.span)}`;
  return `${e.name}${e.unit ? `: ${printUnit(e.unit)}` : ""} = ${printExpr(e.value)} @${pos(e.span)}`;
}

function printModel(m: ModelDef, out: string[], ind: string): void {
  out.push(`${ind}${m.modelKind} ${m.name} @${pos(m.span)}`);
  const i2 = ind + "  ";
  const i3 = i2 + "  ";
  const list = (title: string, items: string[]): void => {
    if (items.length === 0) return;
    out.push(`${i2}${title}`);
    for (const s of items) out.push(`${i3}${s}`);
  };
  list("parameters", m.parameters.map(printDecl));
  list("state", m.state.map(printDecl));
  list("inputs", m.inputs.map(printDecl));
  list("equations", m.equations.map(printEquation));
  if (m.method) out.push(`${i2}method ${m.method.name}`);
  if (m.dt) out.push(`${i2}dt = ${printExpr(m.dt)}`);
  if (m.spike) {
    out.push(`${i2}spike when ${printExpr(m.spike.condition)}`);
    printStmts(m.spike.reset, out, i3);
  }
  if (m.refractory) {
    const clamp = m.refractory.clamp.map((c) => c.name).join(", ");
    out.push(`${i2}refractory ${printExpr(m.refractory.period)}${clamp ? ` clamp ${clamp}` : ""}`);
  }
  for (const h of m.handlers) {
    out.push(`${i2}${h.event === "continuous" ? "continuous" : `on ${h.event}`}`);
    printStmts(h.body, out, i3);
  }
  for (const x of m.exposes)
    out.push(`${i2}expose ${x.name}${x.unit ? `: ${printUnit(x.unit)}` : ""} = ${printExpr(x.value)}`);
}

function printPopRef(r: PopRef): string {
  if (r.indices) return `${r.name}[${r.indices.map(printExpr).join(", ")}]`;
  return r.slice ? `${r.name}[${printExpr(r.slice.start)}:${printExpr(r.slice.end)}]` : r.name;
}

function printItem(it: NetItem): string {
  switch (it.kind) {
    case "Setting":
      return `${it.name} = ${printExpr(it.value)}`;
    case "Population":
      return `population ${it.name} = ${it.model}(${it.args.map(printArg).join(", ")})[${printExpr(it.size)}]`;
    case "Input":
      return `input ${it.name} = ${it.generator}(${it.args.map(printArg).join(", ")})[${printExpr(it.size)}]`;
    case "Current":
      return `current ${it.variable} of ${printPopRef(it.target)} = ${it.value ? printExpr(it.value) : `${it.generator}(${it.args.map(printArg).join(", ")})`}`;
    case "Connect": {
      const name = it.name ? `${it.name}: ` : "";
      const onto = it.onto ? ` onto ${it.onto.name}` : "";
      const delay = it.delay ? ` delay=${printExpr(it.delay)}` : "";
      const self = it.allowSelf ? " allow_self" : "";
      return `connect ${name}${it.pre.map(printPopRef).join(", ")} -> ${it.post.map(printPopRef).join(", ")} with ${it.synapse}(${it.args
        .map(printArg)
        .join(", ")})${onto} ${it.rule.name}(${it.rule.args.map(printArg).join(", ")})${delay}${self}`;
    }
    case "Ensheath":
      return `ensheath ${it.projections.map((p) => p.name).join(", ")} with ${it.astrocytes} ${it.rule.name}(${it.rule.args.map(printArg).join(", ")})`;
    case "Modulator":
      return `modulator ${it.name}${it.unit ? `: ${printUnit(it.unit)}` : ""} = ${printExpr(it.value)}`;
    case "Record":
      return `record ${it.what} of ${it.targets.map(printPopRef).join(", ")}${it.every ? ` every ${printExpr(it.every)}` : ""}`;
    case "Run":
      return `run ${printExpr(it.duration)}`;
  }
}

function printNetwork(n: NetworkDef, out: string[], ind: string): void {
  out.push(`${ind}network ${n.name} @${pos(n.span)}`);
  for (const it of n.items) out.push(`${ind}  ${printItem(it)} @${pos(it.span)}`);
}
