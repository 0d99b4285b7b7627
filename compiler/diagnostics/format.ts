// Diagnostic formatting for humans: `file:line:col: error[CODE]: message`, the source line, a caret
// under the span, related spans and a hint. In: diagnostics + the source texts; out: a string.
// Output stays bounded whatever the input: long lines are shown as a window around the caret, long
// messages are shortened, and a list shows its first MAX_SHOWN diagnostics then one "N more" line.

import type { Diagnostic } from "./diagnostic.js";
import { lineText } from "./span.js";

export type SourceMap = ReadonlyMap<string, string>;

/** How many diagnostics a list shows before summing up the rest in one line. */
export const MAX_SHOWN = 100;
/** Widest source excerpt shown (characters); a longer line is cut to a window around the span. */
const EXCERPT_WIDTH = 120;
/** Characters of context kept left of the span start when a line is cut. */
const EXCERPT_LEFT = 40;
/** Longest message or hint shown; the middle of a longer one is elided. */
const MESSAGE_WIDTH = 400;

/** How a span's file is named in the output (the caller's choice: the CLI shows the standard library as std/). */
export type FileName = (file: string) => string;

export function formatDiagnostic(d: Diagnostic, sources: SourceMap, name: FileName = (f) => f): string {
  const out: string[] = [];
  const s = d.span;
  out.push(`${name(s.file)}:${s.line}:${s.col}: ${d.severity}[${d.code}]: ${shorten(d.message)}`);
  out.push(...excerpt(sources.get(s.file), s.line, s.col, s.line === s.endLine ? s.endCol : undefined));
  for (const r of d.related) {
    out.push(`  ${name(r.span.file)}:${r.span.line}:${r.span.col}: note: ${shorten(r.message)}`);
    out.push(
      ...excerpt(
        sources.get(r.span.file),
        r.span.line,
        r.span.col,
        r.span.line === r.span.endLine ? r.span.endCol : undefined,
      ),
    );
  }
  if (d.hint) out.push(`  = hint: ${shorten(d.hint)}`);
  return out.join("\n");
}

/** Longest multi-line message (a table) shown; the lines past it are summed up. */
const MESSAGE_LINES = 60;

/** Each line of a message at most MESSAGE_WIDTH characters, at most MESSAGE_LINES lines. */
function shorten(text: string): string {
  const lines = text.split("\n");
  const shown = lines.slice(0, MESSAGE_LINES).map(shortenLine);
  if (lines.length > MESSAGE_LINES) shown.push(`  ... ${lines.length - MESSAGE_LINES} more line(s)`);
  return shown.join("\n");
}

function shortenLine(text: string): string {
  if (text.length <= MESSAGE_WIDTH) return text;
  const keep = (MESSAGE_WIDTH - 5) >> 1;
  return `${text.slice(0, keep)} ... ${text.slice(text.length - keep)}`;
}

function excerpt(text: string | undefined, line: number, col: number, endCol: number | undefined): string[] {
  if (text === undefined) return [];
  const src = lineText(text, line);
  if (src === undefined) return [];
  const gutter = String(line);
  const pad = " ".repeat(gutter.length);
  let width = Math.max(1, (endCol ?? col) - col + 1);
  let caretAt = Math.max(0, col - 1);
  let shown = src;
  if (src.length > EXCERPT_WIDTH) {
    const from = Math.max(0, Math.min(caretAt - EXCERPT_LEFT, src.length - EXCERPT_WIDTH));
    const to = Math.min(src.length, from + EXCERPT_WIDTH);
    const head = from > 0 ? "..." : "";
    shown = head + src.slice(from, to) + (to < src.length ? "..." : "");
    caretAt = caretAt - from + head.length;
    width = Math.max(1, Math.min(width, to - (col - 1)));
  }
  width = Math.min(width, EXCERPT_WIDTH);
  // one column per character: tabs and control characters (a NUL, a stray CR) print as a space
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  shown = shown.replace(/[\x00-\x1f\x7f]/g, " ");
  return [`${pad} |`, `${gutter} | ${shown}`, `${pad} | ${" ".repeat(caretAt)}${"^".repeat(width)}`];
}

/** The line closing a list cut at MAX_SHOWN: how many errors and warnings were left out, or "" if none. */
export function notShownLine(hidden: readonly Diagnostic[]): string {
  if (hidden.length === 0) return "";
  const errors = hidden.filter((d) => d.severity === "error").length;
  const others = hidden.length - errors;
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} more error${errors === 1 ? "" : "s"}`);
  if (others > 0) parts.push(`${others} more warning${others === 1 ? "" : "s"} or note${others === 1 ? "" : "s"}`);
  return `${parts.join(" and ")} not shown`;
}

/** The first MAX_SHOWN diagnostics of `list`, then one line counting the rest. */
export function formatDiagnostics(list: readonly Diagnostic[], sources: SourceMap, name?: FileName): string {
  const shown = list.slice(0, MAX_SHOWN).map((d) => formatDiagnostic(d, sources, name));
  const rest = notShownLine(list.slice(MAX_SHOWN));
  return [...shown, ...(rest ? [rest] : [])].join("\n\n");
}

/** One line per diagnostic, for golden files: `file:line:col-endLine:endCol severity CODE message`. */
export function diagnosticLine(d: Diagnostic): string {
  const s = d.span;
  return `${s.file}:${s.line}:${s.col}-${s.endLine}:${s.endCol} ${d.severity} ${d.code} ${d.message}`;
}
