// Diagnostic formatting for humans: `file:line:col: error[CODE]: message`, the source line, a caret
// under the span, related spans and a hint. In: diagnostics + the source texts; out: a string.

import type { Diagnostic } from "./diagnostic.js";

export type SourceMap = ReadonlyMap<string, string>;

export function formatDiagnostic(d: Diagnostic, sources: SourceMap): string {
  const out: string[] = [];
  const s = d.span;
  out.push(`${s.file}:${s.line}:${s.col}: ${d.severity}[${d.code}]: ${d.message}`);
  out.push(...excerpt(sources.get(s.file), s.line, s.col, s.line === s.endLine ? s.endCol : undefined));
  for (const r of d.related) {
    out.push(`  ${r.span.file}:${r.span.line}:${r.span.col}: note: ${r.message}`);
    out.push(
      ...excerpt(
        sources.get(r.span.file),
        r.span.line,
        r.span.col,
        r.span.line === r.span.endLine ? r.span.endCol : undefined,
      ),
    );
  }
  if (d.hint) out.push(`  = hint: ${d.hint}`);
  return out.join("\n");
}

function excerpt(text: string | undefined, line: number, col: number, endCol: number | undefined): string[] {
  if (text === undefined) return [];
  const lines = text.split("\n");
  const src = lines[line - 1];
  if (src === undefined) return [];
  const gutter = String(line);
  const pad = " ".repeat(gutter.length);
  const width = Math.max(1, (endCol ?? col) - col + 1);
  const shown = src.replace(/\t/g, " ");
  return [`${pad} |`, `${gutter} | ${shown}`, `${pad} | ${" ".repeat(Math.max(0, col - 1))}${"^".repeat(width)}`];
}

export function formatDiagnostics(list: readonly Diagnostic[], sources: SourceMap): string {
  return list.map((d) => formatDiagnostic(d, sources)).join("\n\n");
}

/** One line per diagnostic, for golden files: `file:line:col-endLine:endCol severity CODE message`. */
export function diagnosticLine(d: Diagnostic): string {
  const s = d.span;
  return `${s.file}:${s.line}:${s.col}-${s.endLine}:${s.endCol} ${d.severity} ${d.code} ${d.message}`;
}
