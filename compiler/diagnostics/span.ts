// Source spans: where a piece of text sits in a file.
// In: a file name and offsets; out: spans with 1-based line/column used by every diagnostic.

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

export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const n = Math.min(offset, text.length);
  for (let i = 0; i < n; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/** A span for things that have no source (synthesized by the compiler). */
export function syntheticSpan(file = "<generated>"): Span {
  return { file, start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
}
