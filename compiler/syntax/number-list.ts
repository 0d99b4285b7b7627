// Long lists of plain numbers as one token. In: the source text at a `[` (the lexer's custom matcher), later
// that token; out: the token's extent, then the list's Number nodes with their spans. A list literal of a
// million numbers (5 MB of `from_list([...], [...])` or `spike_times(indices = [...])`) lexed as two tokens
// per item and parsed through a dozen CST nodes per item ran out of memory; as one token it is scanned once
// and becomes one AST node per item. Only what cannot mean anything else is taken: a `[` after `(`, `,` or
// `=` (a list argument or value, never an index like `PROJ[3, 17]`), then at least MIN_ITEMS unsigned
// decimal numbers without exponent (at most 15 digits before and 17 after the point: always finite and, when
// nonzero, never rounded to 0, so nothing E0117 would say is hidden) separated by commas, blanks or line
// breaks, then `]`. Every other list (units, signs, expressions, comments inside) is lexed as before.

import type { IToken } from "chevrotain";
import type { Expr } from "./ast.js";

/** Lists shorter than this stay ordinary tokens (and ordinary CST). */
export const MIN_ITEMS = 32;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** One item at `i`: the offset after it, or -1. */
function numberAt(text: string, i: number): number {
  let j = i;
  while (j < text.length && isDigit(text.charCodeAt(j))) j++;
  const whole = j - i;
  let frac = 0;
  if (text.charCodeAt(j) === 46 /* . */) {
    const point = ++j;
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
    frac = j - point;
  }
  if (whole + frac === 0 || whole > 15 || frac > 17) return -1;
  const c = text.charCodeAt(j);
  // an exponent, a unit, a name or a second point: not a plain number (the list is left to the ordinary tokens)
  if (c === 46 || c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return -1;
  return j;
}

/** Chevrotain custom pattern: the list starting at `offset` (a `[`), as [image], or null. */
export function matchNumberList(text: string, offset: number): RegExpExecArray | null {
  if (text.charCodeAt(offset) !== 91 /* [ */) return null;
  let p = offset - 1;
  while (p >= 0 && isBlank(text.charCodeAt(p))) p--;
  const before = p >= 0 ? text[p] : "";
  if (before !== "(" && before !== "," && before !== "=") return null;
  let i = offset + 1;
  let items = 0;
  for (;;) {
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    const end = numberAt(text, i);
    if (end < 0) return null;
    items++;
    i = end;
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (c === 93 /* ] */) break;
    if (c !== 44 /* , */) return null;
    i++;
  }
  if (items < MIN_ITEMS) return null;
  return [text.slice(offset, i + 1)] as unknown as RegExpExecArray;
}

/** The Number nodes of a NumberList token, each with its own span (line and column counted through the image). */
export function numberListItems(t: IToken, file: string): Expr[] {
  const text = t.image;
  const out: Expr[] = [];
  let line = t.startLine ?? 1;
  let col = t.startColumn ?? 1;
  let i = 1;
  col++;
  while (i < text.length - 1) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      col = 1;
      i++;
      continue;
    }
    if (!isDigit(c) && c !== 46) {
      i++;
      col++;
      continue;
    }
    const end = numberAt(text, i);
    const start = t.startOffset + i;
    const n = end - i;
    out.push({
      kind: "Number",
      value: Number(text.slice(i, end)),
      span: { file, start, end: start + n, line, col, endLine: line, endCol: col + n - 1 },
    });
    col += n;
    i = end;
  }
  return out;
}
