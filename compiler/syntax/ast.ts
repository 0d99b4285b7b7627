// The glia abstract syntax tree: what the parser produces and the checker reads.
// In: nothing (type definitions only); out: node types. Every node carries the span of its source text.

import type { Span } from "../diagnostics/span.js";
import type { UnitExpr } from "../units/units.js";

// ---------------------------------------------------------------- units

// The unit-expression node lives with the unit table (compiler/units), which the grammar and the checker share.
export type { UnitExpr };

// ---------------------------------------------------------------- expressions

export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "^" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "and" | "or";
export type UnaryOp = "-" | "+" | "not";
/** The object of a member access: pre./post. (neurons of a synapse), astro. (exposed values),
 * mod. (network modulators), or a population name (in modulator expressions: mean(exc.v)). */
export type MemberObject = "pre" | "post" | "astro" | "mod" | { population: string };

export type Expr =
  | { kind: "Number"; value: number; unit?: UnitExpr; span: Span }
  | { kind: "Bool"; value: boolean; span: Span }
  | { kind: "String"; value: string; span: Span }
  | { kind: "Name"; name: string; span: Span }
  | { kind: "Member"; object: MemberObject; objectSpan: Span; name: string; nameSpan: Span; span: Span }
  | { kind: "Unary"; op: UnaryOp; operand: Expr; span: Span }
  | { kind: "Binary"; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: "Conditional"; cond: Expr; then: Expr; otherwise: Expr; span: Span }
  | { kind: "Call"; callee: string; calleeSpan: Span; args: Arg[]; span: Span }
  | { kind: "List"; items: Expr[]; span: Span };

/** Every `Expr` kind, for the walks that find expressions among other AST objects (depth.ts, check/rules/numbers.ts);
 *  a kind added to Expr and not here is a type error (the record must name every kind). */
const EXPR_KIND_TABLE: Record<Expr["kind"], true> = {
  Number: true,
  Bool: true,
  String: true,
  Name: true,
  Member: true,
  Unary: true,
  Binary: true,
  Conditional: true,
  Call: true,
  List: true,
};
export const EXPR_KINDS: ReadonlySet<string> = new Set(Object.keys(EXPR_KIND_TABLE));

/** A call or constructor argument, positional (name undefined) or named. */
export interface Arg {
  name?: string;
  nameSpan?: Span;
  value: Expr;
  span: Span;
}

// ---------------------------------------------------------------- statements (handlers, resets)

export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=";

export type LValue =
  | { kind: "Name"; name: string; span: Span }
  | { kind: "Member"; object: "pre" | "post"; objectSpan: Span; name: string; nameSpan: Span; span: Span };

export type Stmt =
  | { kind: "Assign"; target: LValue; op: AssignOp; value: Expr; span: Span }
  | { kind: "Let"; name: string; nameSpan: Span; value: Expr; span: Span }
  | { kind: "If"; cond: Expr; then: Stmt[]; otherwise: Stmt[]; span: Span };

// ---------------------------------------------------------------- models

export type ModelKind = "neuron" | "synapse" | "astrocyte";

export interface Decl {
  kind: "Decl";
  name: string;
  nameSpan: Span;
  unit?: UnitExpr;
  value?: Expr;
  span: Span;
}

export type Equation =
  | { kind: "Ode"; name: string; nameSpan: Span; value: Expr; span: Span }
  | { kind: "Alias"; name: string; nameSpan: Span; unit?: UnitExpr; value: Expr; span: Span };

export type EventName = "pre" | "post" | "synapse_pre" | "synapse_post";

export interface Handler {
  kind: "Handler";
  event: EventName | "continuous";
  body: Stmt[];
  span: Span; // the header: `on pre` / `continuous`
}

export interface SpikeRule {
  kind: "Spike";
  condition: Expr;
  reset: Stmt[];
  span: Span;
}

export interface Refractory {
  kind: "Refractory";
  period: Expr;
  clamp: { name: string; span: Span }[];
  span: Span;
}

export interface Expose {
  kind: "Expose";
  name: string;
  nameSpan: Span;
  unit?: UnitExpr;
  value: Expr;
  span: Span;
}

/** Which sections appeared, with their header spans (for duplicate/not-allowed section checks). */
export interface SectionMark {
  section:
    | "parameters"
    | "state"
    | "inputs"
    | "equations"
    | "spike"
    | "refractory"
    | "method"
    | "dt"
    | "on"
    | "continuous"
    | "expose";
  span: Span;
}

export interface ModelDef {
  kind: "Model";
  modelKind: ModelKind;
  name: string;
  nameSpan: Span;
  parameters: Decl[];
  state: Decl[];
  inputs: Decl[];
  equations: Equation[];
  handlers: Handler[];
  spike?: SpikeRule;
  refractory?: Refractory;
  exposes: Expose[];
  method?: { name: string; span: Span };
  dt?: Expr;
  sections: SectionMark[];
  span: Span;
}

// ---------------------------------------------------------------- networks

export interface PopRef {
  name: string;
  nameSpan: Span;
  slice?: { start: Expr; end: Expr };
  /** `NAME[a, b, c]` (or `NAME[a]`): an index list; only synapse monitors take one (E0520 elsewhere). */
  indices?: Expr[];
  span: Span;
}

export type NetItem =
  | { kind: "Setting"; name: "dt" | "seed" | "window"; value: Expr; span: Span } // window = [FROM, TO]
  | {
      kind: "Population";
      name: string;
      nameSpan: Span;
      model: string;
      modelSpan: Span;
      args: Arg[];
      size: Expr;
      span: Span;
    }
  | {
      kind: "Input";
      name: string;
      nameSpan: Span;
      generator: string;
      generatorSpan: Span;
      args: Arg[];
      size: Expr;
      span: Span;
    }
  | {
      kind: "Current";
      variable: string;
      variableSpan: Span;
      target: PopRef;
      generator: string;
      generatorSpan: Span;
      args: Arg[];
      /** The right side when it is an expression of one timed_array rather than a generator call. */
      value?: Expr;
      span: Span;
    }
  | {
      kind: "Connect";
      name?: string;
      nameSpan?: Span;
      pre: PopRef[];
      post: PopRef[];
      synapse: string;
      synapseSpan: Span;
      args: Arg[];
      onto?: { name: string; span: Span };
      rule: { name: string; span: Span; args: Arg[] };
      delay?: Expr;
      allowSelf: boolean;
      span: Span;
    }
  | {
      kind: "Ensheath";
      projections: { name: string; span: Span }[];
      astrocytes: string;
      astrocytesSpan: Span;
      rule: { name: string; span: Span; args: Arg[] };
      span: Span;
    }
  | { kind: "Modulator"; name: string; nameSpan: Span; unit?: UnitExpr; value: Expr; span: Span }
  | { kind: "Record"; what: string; whatSpan: Span; targets: PopRef[]; every?: Expr; span: Span }
  | { kind: "Run"; duration: Expr; span: Span };

/** `let NAME = expr` in a network: a named constant, substituted into the network's expressions after parsing
 *  (compiler/syntax/lets.ts); `at` is the number of items before it (a let is visible to the items after it). */
export interface NetLet {
  kind: "Let";
  name: string;
  nameSpan: Span;
  value: Expr;
  at: number;
  span: Span;
}

export interface NetworkDef {
  kind: "Network";
  name: string;
  nameSpan: Span;
  items: NetItem[];
  /** The network's constants, in source order (kept for printing; their uses are already substituted). */
  lets?: NetLet[];
  span: Span;
}

// ---------------------------------------------------------------- files

export interface Import {
  kind: "Import";
  path: string;
  span: Span;
}

export interface FileAst {
  kind: "File";
  file: string;
  imports: Import[];
  models: ModelDef[];
  networks: NetworkDef[];
  span: Span;
}

/** All files of a program after imports are resolved, the entry file first. */
export interface Program {
  kind: "Program";
  files: FileAst[];
}
