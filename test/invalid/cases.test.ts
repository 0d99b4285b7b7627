// Table-driven invalid inputs: each case produces exactly one error, with its exact code and span,
// and every formatted diagnostic shows file:line:col, the source line, a caret and its hint.

import { describe, expect, test } from "@jest/globals";
import { CASES } from "./cases.js";
import { check, errors, spanText, FILE } from "../check/helpers.js";
import { formatDiagnostic } from "../../compiler/diagnostics/format.js";

function textAt(source: string, span: { start: number; end: number }): string {
  return source.slice(span.start, span.end);
}

describe("invalid inputs", () => {
  test("the table covers at least 35 distinct codes", () => {
    expect(new Set(CASES.map((c) => c.code)).size).toBeGreaterThanOrEqual(35);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const r = check(c.source, c.data);
    expect(r.parseErrors).toEqual([]);
    const errs = errors(r.diagnostics);
    expect(errs.map((d) => `${d.code} ${spanText(d)}`)).toEqual([`${c.code} ${c.span}`]);
    expect(textAt(c.source, errs[0]!.span)).toBe(c.text);
  });
});

describe("formatted diagnostics", () => {
  test("every case formats as file:line:col, source line, caret line and hint", () => {
    for (const c of CASES) {
      const d = errors(check(c.source, c.data).diagnostics)[0]!;
      const out = formatDiagnostic(d, new Map([[FILE, c.source]]));
      const lines = out.split("\n");
      expect(lines[0]).toBe(`${FILE}:${d.span.line}:${d.span.col}: error[${d.code}]: ${d.message}`);
      const srcLine = c.source.split("\n")[d.span.line - 1]!;
      expect(lines[2]).toBe(`${d.span.line} | ${srcLine}`);
      const caret = lines[3]!.replace(/^\s*\| /, "");
      expect(caret.indexOf("^")).toBe(d.span.col - 1);
      if (d.span.line === d.span.endLine) expect(caret.trim().length).toBe(d.span.endCol - d.span.col + 1);
      if (d.hint) expect(out).toContain(`  = hint: ${d.hint}`);
    }
  });

  test("hints are present where they help", () => {
    const withHint = CASES.filter((c) => errors(check(c.source, c.data).diagnostics)[0]!.hint !== undefined);
    expect(withHint.length).toBeGreaterThanOrEqual(CASES.length * 0.8);
    const unitName = CASES.find((c) => c.name === "unit symbol used as a name")!;
    expect(errors(check(unitName.source).diagnostics)[0]!.hint).toBe("units are written after a number: 1 ms");
    const typo = CASES.find((c) => c.name === "undeclared name")!;
    expect(errors(check(typo.source).diagnostics)[0]!.hint).toBe("did you mean `tau`?");
  });
});
