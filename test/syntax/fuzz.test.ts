// Fuzzing the front end: 500 seeded mutations of valid sources (token deletion, duplication, swap,
// truncation, random bytes) each end in diagnostics or success, quickly, with well-formed spans.
import { expect, test } from "@jest/globals";
import { CODES } from "../../compiler/diagnostics/codes.js";
import { lex } from "../../compiler/syntax/lexer.js";
import { parseSource } from "../../compiler/syntax/parse.js";
import { ALL_CONSTRUCTS, DSL_SKETCH } from "./fixtures.js";
import { mulberry32 as rng } from "../helpers/seeded.js";

interface Piece {
  start: number;
  end: number;
}

function pieces(text: string): Piece[] {
  return lex(text, "x").tokens.map((t) => ({ start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 }));
}

function mutate(text: string, toks: Piece[], r: () => number): { kind: string; text: string } {
  const pick = () => toks[Math.floor(r() * toks.length)]!;
  const kind = ["delete", "duplicate", "swap", "truncate", "bytes", "multi"][Math.floor(r() * 6)]!;
  switch (kind) {
    case "delete": {
      const t = pick();
      return { kind, text: text.slice(0, t.start) + text.slice(t.end) };
    }
    case "duplicate": {
      const t = pick();
      return { kind, text: text.slice(0, t.end) + " " + text.slice(t.start, t.end) + text.slice(t.end) };
    }
    case "swap": {
      let a = pick();
      let b = pick();
      if (a.start > b.start) [a, b] = [b, a];
      if (a.end > b.start) return { kind, text };
      return {
        kind,
        text:
          text.slice(0, a.start) +
          text.slice(b.start, b.end) +
          text.slice(a.end, b.start) +
          text.slice(a.start, a.end) +
          text.slice(b.end),
      };
    }
    case "truncate":
      return { kind, text: text.slice(0, Math.floor(r() * text.length)) };
    case "bytes": {
      const at = Math.floor(r() * text.length);
      let junk = "";
      const n = 1 + Math.floor(r() * 8);
      for (let i = 0; i < n; i++) junk += String.fromCharCode(Math.floor(r() * (r() < 0.8 ? 128 : 0x3000)));
      return { kind, text: text.slice(0, at) + junk + text.slice(at) };
    }
    default: {
      let t = text;
      for (let i = 0; i < 5; i++) {
        const tk = pieces(t);
        if (tk.length === 0) break;
        const m = tk[Math.floor(r() * tk.length)]!;
        t =
          r() < 0.5
            ? t.slice(0, m.start) + t.slice(m.end)
            : t.slice(0, m.end) + t.slice(m.start, m.end) + t.slice(m.end);
      }
      return { kind, text: t };
    }
  }
}

// 500 here: the pipeline-level fuzz (test/fuzz) runs 2,000 mutations through every stage; this one
// adds the parser-level checks (spans inside the text, known codes) on a different corpus.
const MUTATIONS = Number(process.env.SYNTAX_FUZZ ?? 500);

test(`${MUTATIONS} mutated inputs end in diagnostics or success, quickly`, () => {
  const bases = [DSL_SKETCH, ALL_CONSTRUCTS];
  const baseToks = bases.map(pieces);
  const r = rng(20240611);
  const kinds = new Map<string, number>();
  let withErrors = 0;
  let slowest = 0;
  for (let i = 0; i < MUTATIONS; i++) {
    const b = i % bases.length;
    const m = mutate(bases[b]!, baseToks[b]!, r);
    kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
    const t0 = performance.now();
    const res = parseSource(m.text, "fuzz.glia");
    slowest = Math.max(slowest, performance.now() - t0);
    expect(res.ast.kind).toBe("File");
    if (res.diagnostics.length > 0) withErrors++;
    for (const d of res.diagnostics) {
      const ok =
        d.code in CODES &&
        d.message.length > 0 &&
        d.span.file === "fuzz.glia" &&
        d.span.start >= 0 &&
        d.span.start <= d.span.end &&
        d.span.end <= m.text.length + 1 &&
        d.span.line >= 1 &&
        d.span.col >= 1 &&
        (d.span.endLine > d.span.line || (d.span.endLine === d.span.line && d.span.endCol >= d.span.col));
      if (!ok)
        throw new Error(`bad diagnostic for mutation ${i} (${m.kind}): ${JSON.stringify(d)}\n--- input ---\n${m.text}`);
    }
  }
  expect(withErrors).toBeGreaterThan(MUTATIONS / 2);
  expect(kinds.size).toBe(6);
  expect(slowest).toBeLessThan(2000);
});

test("parsing is deterministic: the reused parser keeps no state between files", () => {
  const r = rng(7);
  const toks = pieces(DSL_SKETCH);
  for (let i = 0; i < 50; i++) {
    const m = mutate(DSL_SKETCH, toks, r);
    const a = parseSource(m.text, "a.glia");
    parseSource(ALL_CONSTRUCTS.slice(0, 300), "other.glia");
    const b = parseSource(m.text, "a.glia");
    expect(b).toEqual(a);
  }
});
