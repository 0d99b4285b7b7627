// Parser errors in plain words. In: chevrotain recognition errors, the token list and the source;
// out: diagnostics E0110-E0114 with the enclosing block named ("expected '}' to close neuron LIF").

import { EOF, tokenMatcher, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import { Diagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { tokenSpan } from "./lexer.js";
import { UNIT_RULES } from "./parser.js";
import * as T from "./tokens.js";

const BY_NAME = new Map<string, TokenType>([
  ...T.ALL_TOKENS.map((t): [string, TokenType] => [t.name, t]),
  ["EOF", EOF],
]);
const KEYWORD_SET = new Set<TokenType>(Object.values(T.KW));

/** What the innermost open `{` belongs to, with the kind of items it holds. */
interface BlockInfo {
  open: IToken;
  /** "the block of neuron LIF", "the parameters section of neuron LIF", "the 'on pre' handler of synapse STDP" */
  title: string;
  items: string;
}

const ITEMS = {
  model: "a section (parameters, state, inputs, equations, spike when, refractory, method, dt, on, continuous, expose)",
  network: "a network item (dt, seed, window, population, input, current, connect, ensheath, modulator, record, run)",
  decls: "a declaration (NAME, NAME: unit, NAME = value)",
  equations: "an equation (x' = ... or NAME = ...)",
  stmts: "a statement (NAME = ..., NAME += ..., let NAME = ..., if ...)",
};

export function describeToken(t: IToken): string {
  if (t.tokenType === EOF || !Number.isFinite(t.startOffset)) return "the end of the file";
  if (tokenMatcher(t, T.StringLit)) return `the string ${t.image}`;
  if (tokenMatcher(t, T.NumberLit)) return `the number ${t.image}`;
  if (KEYWORD_SET.has(t.tokenType)) return `the keyword '${t.image}'`;
  return `'${t.image}'`;
}

function is(t: IToken | undefined, tt: TokenType): boolean {
  return t !== undefined && tokenMatcher(t, tt);
}

/** The stack of unclosed openers ( [ { (token indices) before an offset. Queries at growing offsets
 * continue the previous scan, so one error list costs one pass over the tokens, not one pass per error. */
class OpenerScan {
  private next = 0;
  private at = -Infinity;
  private stack: number[] = [];

  constructor(private readonly tokens: IToken[]) {}

  before(offset: number): readonly number[] {
    if (offset < this.at) {
      this.next = 0;
      this.stack = [];
    }
    this.at = offset;
    const tokens = this.tokens;
    const stack = this.stack;
    for (; this.next < tokens.length && tokens[this.next]!.startOffset < offset; this.next++) {
      const t = tokens[this.next]!;
      if (is(t, T.LCurly) || is(t, T.LParen) || is(t, T.LBracket)) stack.push(this.next);
      else if (is(t, T.RCurly) || is(t, T.RParen) || is(t, T.RBracket)) {
        // pop up to the matching kind, tolerating stray closers
        const want = is(t, T.RCurly) ? T.LCurly : is(t, T.RParen) ? T.LParen : T.LBracket;
        for (let k = stack.length - 1; k >= 0; k--) {
          if (is(tokens[stack[k]!], want)) {
            stack.length = k;
            break;
          }
        }
      }
    }
    return stack;
  }
}

function headerOf(tokens: IToken[], open: number): { title: string; items: string; owner?: string } {
  const p1 = tokens[open - 1];
  const p2 = tokens[open - 2];
  if (
    p2 &&
    p1 &&
    is(p1, T.Identifier) &&
    (is(p2, T.KW.neuron) || is(p2, T.KW.synapse) || is(p2, T.KW.astrocyte) || is(p2, T.KW.network))
  ) {
    const owner = `${p2.image} ${p1.image}`;
    return { title: `the block of ${owner}`, items: is(p2, T.KW.network) ? ITEMS.network : ITEMS.model, owner };
  }
  if (p1 && (is(p1, T.KW.parameters) || is(p1, T.KW.state) || is(p1, T.KW.inputs)))
    return { title: `the ${p1.image} section`, items: ITEMS.decls };
  if (p1 && is(p1, T.KW.equations)) return { title: "the equations section", items: ITEMS.equations };
  if (p1 && is(p1, T.KW.continuous)) return { title: "the continuous block", items: ITEMS.stmts };
  if (p1 && p2 && is(p2, T.KW.on)) return { title: `the 'on ${p1.image}' handler`, items: ITEMS.stmts };
  if (p1 && is(p1, T.KW.else)) return { title: "the else block", items: ITEMS.stmts };
  for (let i = open - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (is(t, T.LCurly) || is(t, T.RCurly)) break;
    if (is(t, T.KW.spike)) return { title: "the spike block", items: ITEMS.stmts };
    if (is(t, T.KW.if)) return { title: "the if block", items: ITEMS.stmts };
  }
  return { title: "this block", items: ITEMS.stmts };
}

/** The innermost open `{` before `offset`, described for messages. */
export function enclosingBlock(tokens: IToken[], offset: number, scan = new OpenerScan(tokens)): BlockInfo | undefined {
  const stack = scan.before(offset).filter((i) => is(tokens[i], T.LCurly));
  const inner = stack[stack.length - 1];
  if (inner === undefined) return undefined;
  const h = headerOf(tokens, inner);
  let title = h.title;
  if (h.owner === undefined && stack.length > 1) {
    const outer = headerOf(tokens, stack[0]!);
    if (outer.owner !== undefined) title += ` of ${outer.owner}`;
  }
  return { open: tokens[inner]!, title, items: h.items };
}

/** The innermost unclosed opener of the given kind before `offset`. */
function openerOf(tokens: IToken[], offset: number, kind: TokenType, scan: OpenerScan): IToken | undefined {
  const stack = scan.before(offset).filter((i) => is(tokens[i], kind));
  const i = stack[stack.length - 1];
  return i === undefined ? undefined : tokens[i];
}

const BLOCK_LIST_RULES = new Set(["model", "declSection", "equationsSection", "stmtBlock", "network"]);

const RULE_WORDS: Record<string, string> = {
  importDecl: "the import",
  decl: "the declaration",
  equation: "the equation",
  spikeSection: "the spike rule",
  refractorySection: "the refractory period",
  methodSection: "the method",
  dtSection: "the model dt",
  exposeSection: "the expose",
  letStmt: "the let statement",
  ifStmt: "the if statement",
  assignStmt: "the assignment",
  settingItem: "the setting",
  populationItem: "the population",
  inputItem: "the input",
  currentItem: "the current stimulus",
  connectItem: "the connect",
  ensheathItem: "the ensheath",
  modulatorItem: "the modulator",
  recordItem: "the record",
  runItem: "the run",
  popref: "the population reference",
  args: "the argument list",
};

export interface ErrorContext {
  file: string;
  text: string;
  tokens: IToken[];
  /** Indices of errors the parser repaired by inserting the expected token. */
  inserted: ReadonlySet<number>;
}

/** Convert chevrotain errors into diagnostics, one per offending position. */
export function parseErrorsToDiagnostics(errors: readonly IRecognitionException[], ctx: ErrorContext): Diagnostic[] {
  const diags = new Diagnostics();
  const seen = new Set<string>();
  const realTokens = ctx.tokens;
  const scan = new OpenerScan(realTokens);
  const last = realTokens[realTokens.length - 1];
  const eofSpan: Span = last
    ? tokenSpan(ctx.file, last)
    : { file: ctx.file, start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };

  errors.forEach((e, index) => {
    const tok = e.token;
    const atEof = tok.tokenType === EOF || !Number.isFinite(tok.startOffset);
    const key = atEof ? "eof" : String(tok.startOffset);
    if (seen.has(key)) return;
    seen.add(key);
    const span = atEof ? eofSpan : tokenSpan(ctx.file, tok);
    const offset = atEof ? ctx.text.length + 1 : tok.startOffset;
    const stack = e.context?.ruleStack ?? [];
    const rule = stack[stack.length - 1] ?? "file";
    const found = describeToken(tok);
    const block = enclosingBlock(realTokens, offset, scan);
    const inBlock = block ? ` in ${block.title}` : "";
    const reserved = KEYWORD_SET.has(tok.tokenType)
      ? `'${tok.image}' is a reserved word and cannot be used as a name`
      : undefined;

    const expectsEnd = e.name === "MismatchedTokenException" && e.message === "EOF";
    if (e.name === "NotAllInputParsedException" || expectsEnd) {
      diags.error("E0112", span, `expected import, neuron, synapse, astrocyte or network, found ${found}`, {
        hint: "a file holds imports, models (neuron/synapse/astrocyte NAME { ... }) and networks; check for a stray '}' above",
      });
      return;
    }

    if (e.name === "MismatchedTokenException") {
      const expected = BY_NAME.get(e.message) ?? EOF;
      const label = T.tokenLabel(expected);
      if (UNIT_RULES.has(rule)) {
        diags.error("E0114", span, `invalid unit: expected ${label}, found ${found}`, {
          hint: "a unit is built from unit symbols with * / and integer powers: mV/ms, 1/(uM*ms), metre^3",
        });
        return;
      }
      if (expected === T.RCurly && block) {
        if (atEof) {
          diags.error("E0113", span, `unclosed block: ${block.title} is never closed`, {
            related: [{ span: tokenSpan(ctx.file, block.open), message: "the block opens here" }],
            hint: `add '}' to close ${block.title}`,
          });
        } else if (BLOCK_LIST_RULES.has(rule) && (is(tok, T.Identifier) || KEYWORD_SET.has(tok.tokenType))) {
          diags.error("E0112", span, `expected ${block.items} or '}' in ${block.title}, found ${found}`, {
            hint:
              reserved ??
              `'${tok.image}' cannot start an item here; check the spelling, or whether a '}' is missing above`,
          });
        } else {
          diags.error("E0110", span, `expected '}' to close ${block.title}, found ${found}`, {
            hint: BLOCK_LIST_RULES.has(rule)
              ? `${block.title} holds ${block.items}`
              : "check the end of the previous line",
            related: [{ span: tokenSpan(ctx.file, block.open), message: "the block opens here" }],
          });
        }
        return;
      }
      if ((expected === T.RParen || expected === T.RBracket) && !ctx.inserted.has(index)) {
        const open = openerOf(realTokens, offset, expected === T.RParen ? T.LParen : T.LBracket, scan);
        const related = open ? [{ span: tokenSpan(ctx.file, open), message: `the '${open.image}' opened here` }] : [];
        const code = atEof ? "E0113" : "E0110";
        diags.error(code, span, `expected ${label} to close the '${open?.image ?? label}'${inBlock}, found ${found}`, {
          related,
          hint:
            expected === T.RParen
              ? "arguments are separated by ',' and operators need both operands"
              : "a slice is written [start:end], a list [a, b, c]",
        });
        return;
      }
      const what = RULE_WORDS[rule];
      const prev = (e as { previousToken?: IToken }).previousToken;
      const after = prev && Number.isFinite(prev.startOffset) ? ` after '${prev.image}'` : "";
      if (ctx.inserted.has(index) || atEof) {
        diags.error("E0111", span, `missing ${label}${after}${what ? ` in ${what}` : ""}`, {
          hint: hintFor(expected, tok, reserved, prev),
        });
      } else {
        diags.error("E0110", span, `expected ${label}${after}${what ? ` in ${what}` : inBlock}, found ${found}`, {
          hint: hintFor(expected, tok, reserved, prev),
        });
      }
      return;
    }

    if (e.name === "NoViableAltException" || e.name === "EarlyExitException") {
      if (UNIT_RULES.has(rule)) {
        diags.error("E0114", span, `invalid unit: expected a unit symbol, 1 or '(', found ${found}`, {
          hint: "write a unit such as ms, mV/ms or 1/(uM*ms), or 1 for a dimensionless value",
        });
        return;
      }
      if (rule === "onSection") {
        diags.error(
          "E0110",
          span,
          `expected an event after 'on' (pre, post, synapse_pre or synapse_post), found ${found}`,
          {
            hint: "synapses handle pre and post; astrocytes handle synapse_pre and synapse_post",
          },
        );
        return;
      }
      if (rule === "assignStmt") {
        diags.error("E0110", span, `expected an assignment (=, +=, -=, *=, /=)${inBlock}, found ${found}`, {
          hint: is(tok, T.Prime)
            ? "ODEs (x' = ...) belong in the equations section"
            : "a statement assigns a value: NAME = expr, NAME += expr",
        });
        return;
      }
      if (rule === "ifStmt") {
        diags.error("E0110", span, `expected '{' or 'if' after 'else'${inBlock}, found ${found}`, {
          hint: "write else { ... } or else if COND { ... }",
        });
        return;
      }
      if (rule === "stmt") {
        diags.error("E0112", span, `expected ${ITEMS.stmts}${inBlock}, found ${found}`, {
          hint: reserved ?? "statements assign to variables, declare locals with let, or branch with if",
        });
        return;
      }
      diags.error("E0110", span, `expected an expression${inBlock}, found ${found}`, {
        hint:
          reserved ??
          "an expression is a number (with an optional unit), a name, a call, pre./post.NAME, or an expression in parentheses",
      });
      return;
    }

    diags.error("E0110", span, `unexpected ${found}${inBlock}`, { hint: "check the syntax against docs/language.md" });
  });
  return onePerReservedName(diags.items);
}

/** A reserved word used as a name (`population astro = ...`) is reported once, at its first use: its later uses
 *  as a name are the same mistake, listed in that diagnostic's hint instead of as errors of their own. */
function onePerReservedName(items: Diagnostic[]): Diagnostic[] {
  const first = new Map<string, { d: Diagnostic; lines: number[] }>();
  const out: Diagnostic[] = [];
  for (const d of items) {
    const m = d.code === "E0110" ? /^expected a name .*found the keyword '([A-Za-z_]+)'$/.exec(d.message) : null;
    if (!m) {
      out.push(d);
      continue;
    }
    const seen = first.get(m[1]!);
    if (seen) seen.lines.push(d.span.line);
    else {
      first.set(m[1]!, { d, lines: [] });
      out.push(d);
    }
  }
  for (const [word, { d, lines }] of first) {
    if (lines.length === 0) continue;
    const at = [...new Set(lines)].join(", ");
    d.hint = `${d.hint ?? ""}; \`${word}\` is also used as a name on line${lines.length > 1 ? "s" : ""} ${at}: rename it everywhere (e.g. \`${word}s\`)`;
  }
  return out;
}

function hintFor(expected: TokenType, found: IToken, reserved: string | undefined, prev?: IToken): string {
  if (expected === T.Identifier && reserved) return reserved;
  if (expected === T.Assign && is(found, T.Colon) && prev && is(prev, T.Prime))
    return "an ODE takes no unit annotation: its unit follows from the state variable";
  if (expected === T.Assign && is(found, T.EqEq)) return "use '=' to give a value; '==' compares";
  if (expected === T.LCurly && is(found, T.Assign)) return "comparison is written '=='";
  if (expected === T.LCurly) return "a block starts with '{'";
  if (expected === T.StringLit) return 'paths are strings in double quotes: import "lib/neurons.glia"';
  if (expected === T.Identifier) return "a name is letters, digits and '_', starting with a letter or '_'";
  if (expected === T.Assign) return "a value is given with '='";
  if (expected === T.LBracket) return "the size goes in brackets: population exc = LIF[100]";
  if (expected === T.KW.with) return "connect PRE -> POST with SYNAPSE(args) [onto VAR] RULE";
  if (expected === T.KW.of) return "record WHAT of POP, current VAR of POP";
  return `insert ${T.tokenLabel(expected)} here`;
}
