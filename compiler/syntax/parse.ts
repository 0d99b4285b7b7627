// Parse one glia source file. In: text and file name; out: the file's AST and every lexical and
// syntax diagnostic (E01xx). Never throws: a file with errors yields a partial AST plus diagnostics; after
// MAX_SYNTAX_ERRORS errors reading stops (E0116), so a file of garbage costs linear time; nesting deeper than
// MAX_NESTING (nesting.ts) is refused before parsing (E0118), and so is an expression tree deeper than
// MAX_EXPR_DEPTH after chains are built (depth.ts).

import type { CstNode, IRecognitionException, IToken } from "chevrotain";
import { tokenMatcher } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { Diagnostics, sortDiagnostics } from "../diagnostics/diagnostic.js";
import { spanFromOffsets, type Span } from "../diagnostics/span.js";
import type { FileAst } from "./ast.js";
import { cstToAst } from "./cst-to-ast.js";
import { lex, tokenSpan } from "./lexer.js";
import { parseErrorsToDiagnostics } from "./parse-errors.js";
import { MAX_NESTING, tooDeepAt } from "./nesting.js";
import { MAX_EXPR_DEPTH, tooDeepExpressions } from "./depth.js";
import { expandNetworkLets } from "./lets.js";
import { LONG_CHAIN } from "./cst-expr.js";
import { GliaParser } from "./parser.js";

export { MAX_NESTING };
import * as T from "./tokens.js";

/** One parser instance, reused (chevrotain parsers are stateful but reset on every new input). */
let PARSER: GliaParser | undefined;

/** Lexical and syntax errors reported per file; past this, reading stops with E0116 (garbage costs linear time). */
export const MAX_SYNTAX_ERRORS = 50;

const TOP_LEVEL = T.TOP_LEVEL_WORDS.map((w) => T.KW[w]);
export interface ParseResult {
  ast: FileAst;
  diagnostics: Diagnostic[];
}

/** Parse `text` (named `file` in spans and diagnostics) into a FileAst. */
export function parseSource(text: string, file: string): ParseResult {
  const diags = new Diagnostics();
  const lexed = lex(text, file);
  const tokens = lexed.tokens;
  if (lexed.diagnostics.length > MAX_SYNTAX_ERRORS) {
    const lexErrors = sortDiagnostics(lexed.diagnostics);
    diags.addAll(lexErrors.slice(0, MAX_SYNTAX_ERRORS));
    tooManyErrors(diags, lexErrors[MAX_SYNTAX_ERRORS]!.span);
    return { ast: emptyFile(file, text), diagnostics: sortDiagnostics(diags.items) };
  }
  diags.addAll(lexed.diagnostics);

  const deep = tooDeepAt(tokens);
  if (deep >= 0) {
    diags.error(
      "E0118",
      tokenSpan(file, tokens[deep]!),
      `expression nested too deeply (more than ${MAX_NESTING} levels of brackets, prefix operators, ^, ?: or else if)`,
      { hint: "split the expression: give inner parts their own names (parameters, let, or an alias)" },
    );
    return { ast: emptyFile(file, text), diagnostics: sortDiagnostics(diags.items) };
  }

  PARSER ??= new GliaParser();
  const parser = PARSER;
  const csts: CstNode[] = [];
  // Parse; when top-level junk stops the parser, report it and restart at the next top-level keyword.
  // Every error and every restart spends the budget, so reading stops (E0116) after a bounded amount of recovery.
  let budget = MAX_SYNTAX_ERRORS - diags.items.length;
  let start = 0;
  while (start <= tokens.length) {
    const slice = tokens.slice(start);
    const cst = parser.parseFile(slice, budget);
    const errors: IRecognitionException[] = parser.errors;
    csts.push(cst);
    const stop = errors.find((e) => e.name === "NotAllInputParsedException");
    // A '}' left over after an earlier error is a cascade of that error (recovery closed the block early).
    const cascade = stop !== undefined && tokenMatcher(stop.token, T.RCurly) && (diags.hasErrors || errors.length > 1);
    const reported = cascade ? errors.filter((e) => e !== stop) : errors;
    const ctx = { file, text, tokens, inserted: parser.insertedAt };
    diags.addAll(parseErrorsToDiagnostics(reported.slice(0, Math.max(0, budget)), ctx));
    if (reported.length > budget) {
      tooManyErrors(diags, spanOf(file, text, reported[Math.max(0, budget)]!.token));
      break;
    }
    budget -= Math.max(1, reported.length);
    if (!stop) break;
    if (budget < 0) {
      tooManyErrors(diags, spanOf(file, text, stop.token));
      break;
    }
    const at = slice.indexOf(stop.token);
    let next = -1;
    for (let i = Math.max(at, 0) + 1; i < slice.length; i++) {
      if (TOP_LEVEL.some((k) => tokenMatcher(slice[i]!, k))) {
        next = i;
        break;
      }
    }
    if (next < 0) break;
    start += next;
  }

  const converted = cstToAst(csts, file, text);
  diags.addAll(converted.diagnostics);
  let deepList = tooDeepExpressions<Span>(converted.ast);
  // network constants are substituted into trees the guard has passed, and the guard runs again on the result
  if (deepList.length === 0 && expandNetworkLets(converted.ast, diags))
    deepList = tooDeepExpressions<Span>(converted.ast);
  for (const deep of deepList) {
    diags.error(
      "E0118",
      deep.span,
      `expression nested too deeply: its tree is ${deep.depth} levels deep (limit ${MAX_EXPR_DEPTH}); ` +
        `a chain of up to ${LONG_CHAIN} operators costs one level per operator`,
      {
        hint:
          "nest fewer long sums or products inside each other: compute parts in separate equations, " +
          "state variables or `let` locals",
      },
    );
  }
  return { ast: converted.ast, diagnostics: dedupe(sortDiagnostics(diags.items)) };
}

/** E0116 at the first error not reported: the rest of the file is not read. */
function tooManyErrors(diags: Diagnostics, span: Span): void {
  diags.error(
    "E0116",
    span,
    `too many syntax errors (more than ${MAX_SYNTAX_ERRORS}); the rest of the file was not read`,
    {
      hint: "is this a glia source file? fix the first errors and check again",
    },
  );
}

/** The span of a token, or the end of the file for chevrotain's EOF token. */
function spanOf(file: string, text: string, t: IToken): Span {
  return Number.isFinite(t.startOffset) ? tokenSpan(file, t) : spanFromOffsets(file, text, text.length, text.length);
}

function emptyFile(file: string, text: string): FileAst {
  return {
    kind: "File",
    file,
    imports: [],
    models: [],
    networks: [],
    span: spanFromOffsets(file, text, 0, text.length),
  };
}

/** Drop a diagnostic that repeats the code and position of an earlier one. */
function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.code}@${d.span.file}:${d.span.start}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
