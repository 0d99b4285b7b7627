// The token vocabulary of glia: keywords, names, literals, operators and punctuation.
// In: nothing; out: chevrotain token types in lexing order (ALL_TOKENS), the reserved word list, labels.

import { createToken, Lexer, type TokenType } from "chevrotain";
import { matchNumberList } from "./number-list.js";

// ---------------------------------------------------------------- trivia

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const Comment = createToken({ name: "Comment", pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });

// ---------------------------------------------------------------- names and literals

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });

/** Abstract category of every number token (well-formed or not), so the parser accepts either. */
export const NumberLit = createToken({ name: "NumberLit", pattern: Lexer.NA, label: "a number" });
/** A number with an exponent marker but no digits (`1e`, `2.5e-`), or more than one decimal point (`1.2.3`).
 *  `\d+(?:\.\d*)?`, not `\d+\.?\d*`: the latter tried every split of a run of digits (quadratic: 30 s on a
 *  100,000-digit number). */
export const BadNumber = createToken({
  name: "BadNumber",
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)[eE](?![+-]?[0-9])[+-]?|\d*\.\d*\.[\d.]*/,
  categories: [NumberLit],
  label: "a number",
});
export const GoodNumber = createToken({
  name: "GoodNumber",
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  categories: [NumberLit],
  label: "a number",
});

/** Abstract category of string tokens. Strings are double-quoted, on one line (no CR or LF), with \" and \\ escapes. */
export const StringLit = createToken({ name: "StringLit", pattern: Lexer.NA, label: "a string" });
export const GoodString = createToken({
  name: "GoodString",
  pattern: /"(?:[^"\\\r\n]|\\.)*"/,
  categories: [StringLit],
  label: "a string",
});
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\.)*/,
  categories: [StringLit],
  label: "a string",
});

// ---------------------------------------------------------------- keywords

/** Every reserved word. None of them may be used as a name (`dt` may still be read in expressions). */
export const RESERVED_WORDS = [
  "import",
  "neuron",
  "synapse",
  "astrocyte",
  "network",
  "parameters",
  "state",
  "inputs",
  "equations",
  "spike",
  "when",
  "refractory",
  "clamp",
  "method",
  "dt",
  "on",
  "continuous",
  "expose",
  "pre",
  "post",
  "synapse_pre",
  "synapse_post",
  "let",
  "if",
  "else",
  "seed",
  "population",
  "input",
  "current",
  "of",
  "connect",
  "with",
  "onto",
  "allow_self",
  "delay",
  "ensheath",
  "modulator",
  "record",
  "every",
  "run",
  "true",
  "false",
  "and",
  "or",
  "not",
  "astro",
  "mod",
] as const;

export type ReservedWord = (typeof RESERVED_WORDS)[number];

function keyword(word: ReservedWord): TokenType {
  const name = "Kw_" + word;
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `'${word}'` });
}

export const KW: Record<ReservedWord, TokenType> = Object.fromEntries(
  RESERVED_WORDS.map((w) => [w, keyword(w)]),
) as Record<ReservedWord, TokenType>;

/** `window`, the network setting: a word the grammar knows only there, a name everywhere else (its category
 *  is Identifier, so every rule that takes a name takes it). */
export const WindowWord = createToken({
  name: "Ctx_window",
  pattern: /window/,
  longer_alt: Identifier,
  categories: [Identifier],
  label: "'window'",
});

/** Words that start a top-level declaration (used by error recovery and messages). */
export const TOP_LEVEL_WORDS: readonly ReservedWord[] = ["import", "neuron", "synapse", "astrocyte", "network"];

// ---------------------------------------------------------------- operators and punctuation (longest first)

function punct(name: string, text: string): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  return createToken({ name, pattern: new RegExp(escaped), label: `'${text}'` });
}

export const Arrow = punct("Arrow", "->");
export const PlusAssign = punct("PlusAssign", "+=");
export const MinusAssign = punct("MinusAssign", "-=");
export const StarAssign = punct("StarAssign", "*=");
export const SlashAssign = punct("SlashAssign", "/=");
export const LessEq = punct("LessEq", "<=");
export const GreaterEq = punct("GreaterEq", ">=");
export const EqEq = punct("EqEq", "==");
export const NotEq = punct("NotEq", "!=");
export const Less = punct("Less", "<");
export const Greater = punct("Greater", ">");
export const Assign = punct("Assign", "=");
export const Plus = punct("Plus", "+");
export const Minus = punct("Minus", "-");
export const Star = punct("Star", "*");
export const Slash = punct("Slash", "/");
export const Percent = punct("Percent", "%"); // floored remainder: a % b = a - b * floor(a / b)
export const Caret = punct("Caret", "^");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LCurly = punct("LCurly", "{");
export const RCurly = punct("RCurly", "}");
export const LBracket = punct("LBracket", "[");
/** A long list of plain numbers, `[0, 1, 2, ...]`, as one token (number-list.ts says which lists qualify). */
export const NumberList = createToken({
  name: "NumberList",
  pattern: { exec: matchNumberList },
  start_chars_hint: ["["],
  line_breaks: true,
  label: "a list of numbers",
});
export const RBracket = punct("RBracket", "]");
export const Comma = punct("Comma", ",");
export const Colon = punct("Colon", ":");
export const Semicolon = punct("Semicolon", ";");
export const Dot = punct("Dot", ".");
export const Question = punct("Question", "?");
export const Prime = punct("Prime", "'");

/** Lexing order: first match wins, so longer operators precede their prefixes and keywords precede names. */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  NumberLit,
  BadNumber,
  GoodNumber,
  StringLit,
  GoodString,
  UnterminatedString,
  Arrow,
  PlusAssign,
  MinusAssign,
  StarAssign,
  SlashAssign,
  LessEq,
  GreaterEq,
  EqEq,
  NotEq,
  Less,
  Greater,
  Assign,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Caret,
  LParen,
  RParen,
  LCurly,
  RCurly,
  NumberList,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Semicolon,
  Dot,
  Question,
  Prime,
  // longest first, so `onto` is not lexed as `on` + `to` and `synapse_pre` not as `synapse` + `_pre`
  ...[...RESERVED_WORDS].sort((a, b) => b.length - a.length).map((w) => KW[w]),
  WindowWord,
  Identifier,
];

/** Human name of a token type for messages: `'}'`, `a name`, `a number`. */
export function tokenLabel(t: TokenType): string {
  if (t.name === "EOF") return "the end of the file";
  return t.LABEL ?? t.name;
}
