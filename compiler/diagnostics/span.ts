// Source spans: where a piece of text sits in a file.
// In: a file name and offsets; out: spans with 1-based line/column used by every diagnostic, from a line
// index built once per text (lines end at LF, CRLF or a lone CR, as in the lexer).

export interface Span {
  file: string;
  /** 0-based offset of the first character. */
  start: number;
  /** 0-based offset one past the last character. */
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  col: number;
  /** 1-based line and column of the last character (inclusive). */
  endLine: number;
  endCol: number;
}

/** A span covering `a` through `b` (both in the same file). */
export function joinSpans(a: Span, b: Span): Span {
  const first = a.start <= b.start ? a : b;
  const last = a.end >= b.end ? a : b;
  return {
    file: a.file,
    start: first.start,
    end: last.end,
    line: first.line,
    col: first.col,
    endLine: last.endLine,
    endCol: last.endCol,
  };
}

/** Span for a position computed from offsets in `text`. */
export function spanFromOffsets(file: string, text: string, start: number, end: number): Span {
  const s = lineCol(text, start);
  const e = lineCol(text, Math.max(start, end - 1));
  return { file, start, end, line: s.line, col: s.col, endLine: e.line, endCol: e.col };
}

/** Recently indexed texts (compared by identity first), so a file's line starts are computed once. */
const LINE_INDEX: { text: string; starts: Int32Array }[] = [];
const LINE_INDEX_SIZE = 4;

/** Offsets at which each line of `text` starts; a line ends at "\n", "\r\n" or a lone "\r". */
export function lineStarts(text: string): Int32Array {
  for (const e of LINE_INDEX) if (e.text === text) return e.starts;
  const list: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) list.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      list.push(i + 1);
    }
  }
  const starts = Int32Array.from(list);
  LINE_INDEX.unshift({ text, starts });
  if (LINE_INDEX.length > LINE_INDEX_SIZE) LINE_INDEX.pop();
  return starts;
}

/** 1-based line and column of `offset` (binary search in the line index). */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  const starts = lineStarts(text);
  const n = Math.max(0, Math.min(offset, text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= n) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

/** The text of 1-based line `line` without its line ending, or undefined past the end. */
export function lineText(text: string, line: number): string | undefined {
  const starts = lineStarts(text);
  if (line < 1 || line > starts.length) return undefined;
  let end = line < starts.length ? starts[line]! : text.length;
  if (end > starts[line - 1]! && text.charCodeAt(end - 1) === 10) end--;
  if (end > starts[line - 1]! && text.charCodeAt(end - 1) === 13) end--;
  return text.slice(starts[line - 1]!, end);
}

/** A span for things that have no source (synthesized by the compiler). */
export function syntheticSpan(file = "<generated>"): Span {
  return { file, start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
}
