// Diagnostics: the one record every stage reports problems with, and the collector stages append to.
// In: code, severity, span, message (+ related spans, hint); out: an immutable list. Emitters collect, never throw.

import type { Span } from "./span.js";
import { CODES, type Code } from "./codes.js";

export type Severity = "error" | "warning" | "note";

export interface Related {
  span: Span;
  message: string;
}

export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  span: Span;
  related: Related[];
  hint?: string;
}

/** Append-only list of diagnostics, passed down a stage. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(code: Code, span: Span, message: string, extra: { hint?: string; related?: Related[] } = {}): void {
    this.push(code, "error", span, message, extra);
  }

  warning(code: Code, span: Span, message: string, extra: { hint?: string; related?: Related[] } = {}): void {
    this.push(code, "warning", span, message, extra);
  }

  push(
    code: Code,
    severity: Severity,
    span: Span,
    message: string,
    extra: { hint?: string; related?: Related[] } = {},
  ): void {
    if (!(code in CODES)) throw new Error(`internal: unknown diagnostic code ${code}`);
    this.items.push({ code, severity, span, message, related: extra.related ?? [], hint: extra.hint });
  }

  addAll(list: readonly Diagnostic[]): void {
    this.items.push(...list);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === "error");
}

/** Stable order: by file, then offset, then code. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) =>
    a.span.file < b.span.file
      ? -1
      : a.span.file > b.span.file
        ? 1
        : a.span.start - b.span.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
