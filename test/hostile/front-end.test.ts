// Hostile input to the front end and the CLI (issue 17): inputs whose cost used to explode (thousands of
// errors, a 40 KB line, 5 MB of garbage, 100,000-character names, a 130,000-character --duration) and
// lexing holes (CR-only line ends, NUL bytes). Every input is generated here from fixed content; each case
// asserts the exit code, the diagnostic code and span, and a loose wall-time budget that a return to
// quadratic cost would blow, not a slow machine.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main.js";
import { parseDuration } from "../../cli/duration.js";
import { lineCol, lineText } from "../../compiler/diagnostics/span.js";
import { parseSource, MAX_SYNTAX_ERRORS } from "../../compiler/syntax/parse.js";
import { lex } from "../../compiler/syntax/lexer.js";
import { closest } from "../../compiler/units/units.js";
import { REPO_ROOT } from "../helpers/dir-host.js";
import { captureIo } from "../helpers/cli-io.js";

const capture = captureIo;

/** Run the CLI in-process; the exit code, the captured streams and the wall time in seconds. */
async function cli(argv: string[], files: Record<string, string>) {
  const io = capture(files);
  const t0 = performance.now();
  const code = await runCli(argv, io);
  return { code, io, seconds: (performance.now() - t0) / 1000 };
}

const LIF = fs.readFileSync(path.join(REPO_ROOT, "test/golden/cases/lif-exact/main.glia"), "utf8");

/** The codes in CLI output, in order of appearance. */
function codes(stderr: string): string[] {
  return [...stderr.matchAll(/: (?:error|warning)\[(\w+)\]/g)].map((m) => m[1]!);
}

describe("many errors cost linear time and bounded output", () => {
  test("20,000 bad characters on 20,000 lines (80 KB): E0101 then E0116, fast", async () => {
    const r = await cli(["check", "many.glia"], { "many.glia": "@@@\n".repeat(20000) });
    expect(r.code).toBe(1);
    const found = codes(r.io.stderr);
    expect(found.slice(0, MAX_SYNTAX_ERRORS).every((c) => c === "E0101")).toBe(true);
    expect(found[MAX_SYNTAX_ERRORS]).toBe("E0116");
    expect(r.io.stderr).toContain("many.glia:1:1: error[E0101]");
    expect(r.io.stderr).toContain(`many.glia:${MAX_SYNTAX_ERRORS + 1}:1: error[E0116]`);
    expect(r.io.stderr.length).toBeLessThan(100_000);
    expect(r.seconds).toBeLessThan(10);
  });

  test("a 40 KB line with 20,000 errors: each excerpt is a window around the caret", async () => {
    const r = await cli(["check", "line.glia"], { "line.glia": "@ ".repeat(20000) + "\n" });
    expect(r.code).toBe(1);
    expect(r.io.stderr.length).toBeLessThan(100_000); // was 1.2 GB
    for (const line of r.io.stderr.split("\n")) expect(line.length).toBeLessThan(300);
    // the caret still points at the character: error 50 is '@' at column 99
    const block = r.io.stderr.split("\n\n").find((b) => b.startsWith("line.glia:1:99: error[E0101]"))!;
    const [, , src, caret] = block.split("\n");
    const at = caret!.indexOf("^");
    expect(src!.slice(at, at + 2)).toBe("@ ");
    expect(src).toMatch(/^1 \| \.\.\..*\.\.\.$/);
    expect(r.seconds).toBeLessThan(10);
  });

  test("5 MB of garbage lines: parsing stops after a bounded number of errors", () => {
    let seed = 17;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const words = ["foo", "=", "(", ")", "{", "}", "+", "neuron", "3", "ms", ":", ",", "->", "bar", "'", '"x"'];
    const lines: string[] = [];
    let size = 0;
    while (size < 5e6) {
      const l = Array.from({ length: 8 }, () => words[Math.floor(rnd() * words.length)]).join(" ");
      lines.push(l);
      size += l.length + 1;
    }
    const t0 = performance.now();
    const r = parseSource(lines.join("\n"), "garbage.glia");
    const seconds = (performance.now() - t0) / 1000;
    const last = r.diagnostics.filter((d) => d.code === "E0116");
    expect(last).toHaveLength(1);
    expect(last[0]!.span.line).toBeLessThan(1000); // stopped early in the file
    expect(r.diagnostics.filter((d) => d.code.startsWith("E01")).length).toBeLessThanOrEqual(MAX_SYNTAX_ERRORS + 1);
    expect(seconds).toBeLessThan(30);
  });

  test("20,000 stray '}' between models: restarts spend the error budget too", () => {
    const t0 = performance.now();
    const r = parseSource("neuron A { }\n}\n".repeat(20000), "stray.glia");
    expect((performance.now() - t0) / 1000).toBeLessThan(10);
    expect(r.diagnostics[0]).toMatchObject({ code: "E0112", span: { line: 2, col: 1 } });
    expect(r.diagnostics.some((d) => d.code === "E0116")).toBe(true);
  });

  test("900 check errors: the first 100 are shown, then one line counts the rest", async () => {
    const params = Array.from({ length: 300 }, (_, k) => `    p${k}: mV = x${k} + y${k} + z${k}`).join("\n");
    const src = LIF.replace("RI: mV = 20 mV", `RI: mV = 20 mV\n${params}`);
    const r = await cli(["check", "names.glia"], { "names.glia": src });
    expect(r.code).toBe(1);
    const shown = codes(r.io.stderr);
    expect(shown).toHaveLength(100);
    // sorted by position: p0 is unused (9:5), then its first undeclared name (9:14)
    expect(shown.slice(0, 2)).toEqual(["W1001", "E0201"]);
    expect(r.io.stderr).toContain("names.glia:9:14: error[E0201]");
    expect(r.io.stderr).toMatch(/\n\d+ more errors and \d+ more warnings or notes not shown\n/);
    expect(r.io.stderr).toMatch(/\n900 errors, 300 warnings\n$/);
    expect(r.seconds).toBeLessThan(10);
  });
});

describe("did-you-mean bounds its work", () => {
  const long = "a".repeat(100000);

  test("three misspelled 100,000-character names next to a declared one: E0201 each, fast", async () => {
    const src = LIF.replace("RI: mV = 20 mV", `RI: mV = 20 mV\n    ${long}x: mV = 0 mV`).replace(
      "(v_rest - v + RI)",
      `(v_rest - v + RI + ${long}y + ${long}z + ${long}w)`,
    );
    const r = await cli(["check", "typo.glia"], { "typo.glia": src });
    expect(r.code).toBe(1);
    expect(codes(r.io.stderr).filter((c) => c === "E0201")).toHaveLength(3);
    expect(r.io.stderr).toMatch(/typo\.glia:12:39: error\[E0201\]/);
    expect(r.io.stderr.length).toBeLessThan(20_000); // names are shortened in messages and excerpts
    expect(r.seconds).toBeLessThan(10);
  });

  test("closest: short names still get suggestions, long ones cost no edit distance", () => {
    expect(closest("taw", ["v", "tau", "tau_long_name"])).toBe("tau");
    expect(closest("Tau", ["tau"])).toBe("tau");
    expect(closest("v_rset", ["v_reset", "v_rest"])).toBe("v_reset");
    const many = Array.from({ length: 2000 }, (_, k) => `${long}${k}`);
    const t0 = performance.now();
    expect(closest(`${long}1x`, many)).toBeUndefined();
    expect(closest(long.toUpperCase() + "7", many)).toBe(`${long}7`); // case-insensitive match is kept
    expect((performance.now() - t0) / 1000).toBeLessThan(5);
  });
});

describe("--duration is read in linear time", () => {
  test("a 130,000-character argument is a usage error (exit 2) with a short message", async () => {
    const r = await cli(["run", "a.glia", "--duration", "1".repeat(130000) + "x"], { "a.glia": LIF });
    expect(r.code).toBe(2);
    expect(r.io.stderr).toContain("--duration: cannot read");
    expect(r.io.stderr).toContain("(130001 characters)");
    expect(r.io.stderr.length).toBeLessThan(400);
    expect(r.seconds).toBeLessThan(5);
  });

  test("the accepted forms are unchanged", () => {
    expect(parseDuration("1s")).toBe(1);
    expect(parseDuration(" 500 ms ")).toBeCloseTo(0.5, 12);
    expect(parseDuration(".25")).toBe(0.25);
    expect(parseDuration("1.5e3ms")).toBeCloseTo(1.5, 12);
    expect(() => parseDuration("1.")).toThrow(/cannot read/);
    expect(() => parseDuration("9".repeat(65))).toThrow(/65 characters/);
  });
});

describe("line ends and NUL bytes", () => {
  test("CR-only line ends: the model is read whole and runs like the LF file", async () => {
    const lf = await cli(["run", "lf.glia", "--json", "--target", "reference"], { "lf.glia": LIF });
    const cr = await cli(["run", "cr.glia", "--json", "--target", "reference"], {
      "cr.glia": LIF.replace(/\n/g, "\r"),
    });
    const crlf = await cli(["run", "w.glia", "--json", "--target", "reference"], {
      "w.glia": LIF.replace(/\n/g, "\r\n"),
    });
    expect([lf.code, cr.code, crlf.code]).toEqual([0, 0, 0]);
    const spikes = (s: string) => (JSON.parse(s) as { spikes_total: number }).spikes_total;
    expect(spikes(lf.io.stdout)).toBe(6);
    expect(spikes(cr.io.stdout)).toBe(6);
    expect(spikes(crlf.io.stdout)).toBe(6);
  });

  test("CR-only line ends: an error has the same line, column and excerpt as with LF", async () => {
    const bad = LIF.replace("tau: ms = 10 ms", "tau: ms = 10 @ms");
    for (const [name, text] of [
      ["lf.glia", bad],
      ["cr.glia", bad.replace(/\n/g, "\r")],
      ["crlf.glia", bad.replace(/\n/g, "\r\n")],
    ] as const) {
      const r = await cli(["check", name], { [name]: text });
      expect(r.code).toBe(1);
      expect(r.io.stderr).toContain(`${name}:4:18: error[E0101]: unexpected character '@'`);
      expect(r.io.stderr).toContain("4 |     tau: ms = 10 @ms\n");
    }
  });

  test("line/column agree with the lexer's token positions for mixed LF, CRLF and CR", () => {
    const text = "neuron A {\r\n  parameters {\r    a: ms = 1 ms\n  }\r\r\n}\r";
    const { tokens } = lex(text, "m.glia");
    expect(tokens.length).toBeGreaterThan(8);
    for (const t of tokens) expect(lineCol(text, t.startOffset)).toEqual({ line: t.startLine, col: t.startColumn });
    expect(lineText(text, 3)).toBe("    a: ms = 1 ms");
    expect(lineText(text, 5)).toBe("");
    expect(lineText(text, 8)).toBeUndefined();
  });

  test("a comment ends at a lone CR: the next line is code", () => {
    const r = parseSource("# comment\rneuron A { @ }\r", "c.glia");
    expect(r.diagnostics[0]).toMatchObject({ code: "E0101", span: { line: 2, col: 12 } });
  });

  test("NUL inside a comment, a string or code: E0101 with its span", async () => {
    const inComment = await cli(["check", "c.glia"], { "c.glia": LIF.replace("# One LIF", "# One\0\0 LIF") });
    expect(inComment.code).toBe(1);
    expect(inComment.io.stderr).toContain("c.glia:1:6: error[E0101]: unexpected character U+0000 (NUL)");
    expect(inComment.io.stderr).toMatch(/\n {2}\| {6}\^\^\n/); // both NULs under one caret run
    expect(inComment.io.stderr).not.toContain("\0");

    const inString = parseSource('import "lib\0.glia"\n', "s.glia");
    expect(inString.diagnostics).toEqual([
      expect.objectContaining({ code: "E0101", span: expect.objectContaining({ line: 1, col: 12, endCol: 12 }) }),
    ]);

    const inCode = parseSource(LIF.replace("network", "\0network"), "n.glia");
    expect(inCode.diagnostics.map((d) => [d.code, d.span.line, d.span.col])).toEqual([["E0101", 16, 1]]);
  });
});
