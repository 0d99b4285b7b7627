// The glia lexer: source text to tokens. In: text and file name; out: tokens (comments and whitespace
// dropped) plus E0101 (unexpected character, also a NUL inside a comment or string), E0102 (unterminated
// string), E0103 (malformed number), E0117 (a number beyond float64: too large is infinity, a nonzero one too
// small rounds to 0). Lines end at LF, CRLF or a lone CR.

import { Lexer, type ILexingError, type IToken } from "chevrotain";
import { Diagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { spanFromOffsets, type Span } from "../diagnostics/span.js";
import { ALL_TOKENS, BadNumber, GoodNumber, UnterminatedString } from "./tokens.js";

const LEXER = new Lexer(ALL_TOKENS, { positionTracking: "full", ensureOptimizations: false, recoveryEnabled: true });

export interface LexResult {
  tokens: IToken[];
  diagnostics: Diagnostic[];
}

/** Span of one token. Tokens never span lines except where noted by their end line. */
export function tokenSpan(file: string, t: IToken): Span {
  const end = (t.endOffset ?? t.startOffset) + 1;
  return {
    file,
    start: t.startOffset,
    end,
    line: t.startLine ?? 1,
    col: t.startColumn ?? 1,
    endLine: t.endLine ?? t.startLine ?? 1,
    endCol: t.endColumn ?? t.startColumn ?? 1,
  };
}

const CHAR_HINTS: Record<string, string> = {
  "!": "logical negation is written 'not'; inequality is '!='",
  "&": "logical conjunction is written 'and'",
  "|": "logical disjunction is written 'or'",
  "@": "'@' has no meaning in glia",
  $: "'$' has no meaning in glia",
  "`": 'strings are written with double quotes: "file.csv"',
  "\\": "'\\' may only appear inside strings",
  "~": "'~' has no meaning in glia; negation is 'not'",
};

/** E0101 for each run of NUL characters the lexer skipped silently (inside a comment or a string):
 * a NUL is never part of a source text. Runs the lexer already reported are left to its error. */
function nulCharacters(text: string, file: string, lexErrors: readonly ILexingError[], diags: Diagnostics): void {
  let e = 0;
  for (let at = text.indexOf("\0"); at >= 0; at = text.indexOf("\0", at)) {
    let end = at + 1;
    while (text.charCodeAt(end) === 0) end++;
    while (e < lexErrors.length && lexErrors[e]!.offset + Math.max(1, lexErrors[e]!.length) <= at) e++;
    const reported = e < lexErrors.length && lexErrors[e]!.offset <= at;
    if (!reported) {
      diags.error("E0101", spanFromOffsets(file, text, at, end), "unexpected character U+0000 (NUL)", {
        hint: "a source file is text: NUL characters are not allowed, not even in comments or strings",
      });
    }
    at = end;
  }
}

/** E0117 on a literal that float64 cannot hold: it would read as Infinity, or as 0 although nonzero. */
function checkNumberRange(t: IToken, file: string, diags: Diagnostics): void {
  const v = Number(t.image);
  const shown = t.image.length > 40 ? `${t.image.slice(0, 40)}...` : t.image;
  if (!Number.isFinite(v)) {
    diags.error("E0117", tokenSpan(file, t), `the number ${shown} is too large (it would be infinity)`, {
      hint: "a number must be below 1.8e308; use a larger unit prefix or rescale the model",
    });
  } else if (v === 0 && /[1-9]/.test(t.image.split(/[eE]/)[0]!)) {
    diags.error("E0117", tokenSpan(file, t), `the number ${shown} is too small (it would be 0)`, {
      hint: "a nonzero number must be above 5e-324; write 0 if zero is meant, or use a smaller unit prefix",
    });
  }
}

/** Tokenize `text`. Never throws; every problem becomes a diagnostic. */
export function lex(text: string, file: string): LexResult {
  const diags = new Diagnostics();
  const result = LEXER.tokenize(text);
  for (const e of result.errors) {
    const span = spanFromOffsets(file, text, e.offset, e.offset + Math.max(1, e.length));
    const chars = text.slice(e.offset, e.offset + Math.max(1, e.length));
    const first = chars[0] ?? "";
    // eslint-disable-next-line no-control-regex -- control characters are exactly what gets shown as U+XXXX
    const shown = /[\x00-\x1f\x7f-\uffff]/.test(first)
      ? `U+${first.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`
      : `'${first}'`;
    const msg = chars.length > 1 ? `unexpected characters starting with ${shown}` : `unexpected character ${shown}`;
    diags.error("E0101", span, msg, {
      hint: CHAR_HINTS[first] ?? "remove it; names use letters, digits and '_', and strings are in double quotes",
    });
  }
  nulCharacters(text, file, result.errors, diags);
  for (const t of result.tokens) {
    if (t.tokenType === UnterminatedString) {
      diags.error("E0102", tokenSpan(file, t), "unterminated string", {
        hint: "close the string with '\"' on the same line",
      });
    } else if (t.tokenType === BadNumber) {
      const hint = /\..*\./.test(t.image)
        ? "a number has at most one decimal point"
        : "an exponent needs digits, as in 2e-4 or 1.5E3";
      diags.error("E0103", tokenSpan(file, t), `malformed number '${t.image}'`, { hint });
    } else if (t.tokenType === GoodNumber) {
      checkNumberRange(t, file, diags);
    }
  }
  return { tokens: result.tokens, diagnostics: diags.items };
}
