// The nesting-depth guard, run on the token stream before parsing. In: the lexed tokens; out: the index of the
// first token at which the expression grammar would recurse deeper than MAX_NESTING levels, or -1. The parser is
// recursive descent, so brackets, runs of prefix operators (`- - x`, `not not b`) and right-associative chains
// (`a ^ b ^ c`, `c1 ? x : c2 ? y : z`, `if a {} else if b {} else if c {}`) each cost stack; refusing them here (E0118) means no input can exhaust
// the stack in the parser or in any later recursive walk of the tree. Left-associative chains (`a + b + c`) are
// flat in the parser and are not counted.

import type { IToken, TokenType } from "chevrotain";
import { tokenMatcher } from "chevrotain";
import * as T from "./tokens.js";

/** Deeper nesting than this is refused before parsing, so no input can exhaust the stack. A bracket level costs
 * ten grammar rules of recursion (expr down to atom); with node's default stack the parser overflowed at about
 * 145 nested parentheses, so the limit keeps a margin below that (the former limit of 200 was past it). */
export const MAX_NESTING = 100;

const OPENERS = [T.LParen, T.LBracket, T.LCurly];
const CLOSERS = [T.RParen, T.RBracket, T.RCurly];
const PREFIX = [T.Minus, T.Plus, T.KW.not];
/** Tokens that end an operand: a `-` or `+` right after one is binary, otherwise it is a prefix operator. */
const OPERAND_ENDS = [T.NumberLit, T.Identifier, T.StringLit, T.RParen, T.RBracket, T.KW.true, T.KW.false, T.KW.dt];
/** Tokens that may sit inside the right operand of `^` without ending the chain (besides brackets). */
const IN_POWER = [T.NumberLit, T.Identifier, T.StringLit, T.Dot, T.KW.true, T.KW.false, T.KW.dt];
/** Keywords that may appear inside an expression; any other keyword starts a new statement. */
const EXPR_WORDS = new Set<TokenType>([
  T.KW.and,
  T.KW.or,
  T.KW.not,
  T.KW.true,
  T.KW.false,
  T.KW.dt,
  T.KW.pre,
  T.KW.post,
  T.KW.astro,
  T.KW.mod,
]);
const KEYWORDS = new Set<TokenType>(Object.values(T.KW));
/** Tokens that end a ternary chain: assignment, separators. */
const END_TERNARY = [T.Assign, T.PlusAssign, T.MinusAssign, T.StarAssign, T.SlashAssign, T.Comma, T.Semicolon, T.Arrow];

const isAny = (t: IToken, types: TokenType[]): boolean => types.some((k) => tokenMatcher(t, k));

/** Open right-associative operators at one bracket level. */
interface Level {
  power: number;
  ternary: number;
  /** `else if` so far in the chain of if statements at this level */
  elseIf: number;
}

/** Index of the first token at which brackets, prefix runs and `^` / `?:` / `else if` chains nest deeper than
 * MAX_NESTING. */
export function tooDeepAt(tokens: readonly IToken[]): number {
  const levels: Level[] = [{ power: 0, ternary: 0, elseIf: 0 }];
  let chains = 0; // sum of power + ternary + elseIf over all open levels
  let run = 0; // current run of prefix operators
  let prev: IToken | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const level = levels[levels.length - 1]!;
    const prefixSign = (tokenMatcher(t, T.Minus) || tokenMatcher(t, T.Plus)) && !(prev && isAny(prev, OPERAND_ENDS));
    // an if chain ends at the first token after a block that is not `else`; each `else if` nests one deeper
    if (level.elseIf > 0 && prev && tokenMatcher(prev, T.RCurly) && !tokenMatcher(t, T.KW.else)) {
      chains -= level.elseIf;
      level.elseIf = 0;
    }
    if (isAny(t, OPENERS)) levels.push({ power: 0, ternary: 0, elseIf: 0 });
    else if (isAny(t, CLOSERS)) {
      if (levels.length > 1) {
        const closed = levels.pop()!;
        chains -= closed.power + closed.ternary + closed.elseIf;
      }
    } else if (tokenMatcher(t, T.KW.if) && prev && tokenMatcher(prev, T.KW.else)) {
      level.elseIf++;
      chains++;
    } else if (tokenMatcher(t, T.Caret)) {
      level.power++;
      chains++;
    } else if (tokenMatcher(t, T.Question)) {
      level.ternary++;
      chains++;
    } else {
      if (!prefixSign && !isAny(t, IN_POWER)) {
        chains -= level.power;
        level.power = 0;
      }
      if (isAny(t, END_TERNARY) || (KEYWORDS.has(t.tokenType) && !EXPR_WORDS.has(t.tokenType))) {
        chains -= level.ternary;
        level.ternary = 0;
      }
    }
    const prefix = isAny(t, PREFIX) && !(isAny(t, [T.Minus, T.Plus]) && !prefixSign);
    run = prefix ? run + 1 : 0;
    if (levels.length - 1 + run + chains > MAX_NESTING) return i;
    prev = t;
  }
  return -1;
}
