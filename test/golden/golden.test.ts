// Golden tests: each folder under test/golden/cases holds main.glia (and any files it imports), an optional
// golden.json naming the back-end outputs it wants (backends.ts), and expected/ with one file per output:
//   ast.txt, ir-build.txt, ir-after-PASS.txt (the IR after each pass, by pass name), diagnostics.txt;
//   wat-TARGET.wat, fixed-ir-PRESET.txt, descriptor-PRESET.json, emulator-PRESET.json,
//   diagnostics-STAGE-TARGET.txt (backends.ts).
// Run with UPDATE_GOLDEN=1 (npm run test:accept) to rewrite expectations and delete files the compiler no
// longer produces; reviewers read the diff. Without it, a missing, orphaned or different file fails the case
// with the file's name and the lines around its first difference.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile, PASSES } from "../../compiler/pipeline.js";
import { printProgramAst } from "../../compiler/syntax/print-ast.js";
import { printIR } from "../../compiler/ir/print.js";
import { diagnosticLine } from "../../compiler/diagnostics/format.js";
import { sortDiagnostics } from "../../compiler/diagnostics/diagnostic.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { produceBackends, readConfig } from "./backends.js";

const CASES = path.join(REPO_ROOT, "test/golden/cases");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** Absolute paths (the standard library) print relative to the repository. */
const scrub = (text: string): string => text.split(REPO_ROOT + "/").join("");

function produce(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const host = dirHost(dir);
  const config = readConfig(dir);
  const full = compile("main.glia", host, { verify: true });
  const diags = sortDiagnostics(full.diagnostics);
  if (diags.length > 0) out.set("diagnostics.txt", scrub(diags.map(diagnosticLine).join("\n") + "\n"));
  if (full.program) out.set("ast.txt", scrub(printProgramAst(full.program)));
  if (full.built) {
    out.set("ir-build.txt", printIR(full.built));
    for (const pass of PASSES) {
      const r = compile("main.glia", host, { stopAfter: pass.name, verify: true });
      if (r.ir) out.set(`ir-after-${pass.name}.txt`, printIR(r.ir));
    }
  }
  if (full.ir) produceBackends(full.ir, config, scrub, out);
  return out;
}

/** Where `actual` departs from `expected`: the differing run of lines (between the common prefix and the
 *  common suffix, at most 8 lines of each side) with 3 lines of context before it, numbered. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split("\n"),
    a = actual.split("\n");
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  let s = 0;
  while (s < e.length - i && s < a.length - i && e[e.length - 1 - s] === a[a.length - 1 - s]) s++;
  const numbered = (lines: string[], from: number, to: number, sign: string): string[] =>
    lines
      .slice(from, Math.min(to, from + 8))
      .map((l, k) => `${sign} ${String(from + k + 1).padStart(5)} | ${l}`)
      .concat(to - from > 8 ? [`${sign}   ... ${to - from - 8} more lines`] : []);
  const hunk = [
    ...numbered(e, Math.max(0, i - 3), i, " "),
    ...numbered(e, i, e.length - s, "-"),
    ...numbered(a, i, a.length - s, "+"),
  ];
  return `first difference at line ${i + 1} (expected ${e.length} lines, got ${a.length}; - expected, + produced)\n${hunk.join("\n")}`;
}

const cases = fs.existsSync(CASES)
  ? fs
      .readdirSync(CASES)
      .filter((d) => fs.statSync(path.join(CASES, d)).isDirectory())
      .sort()
  : [];

describe("golden", () => {
  test("there are golden cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
  });
  for (const name of cases) {
    test(name, () => {
      const dir = path.join(CASES, name);
      const expectedDir = path.join(dir, "expected");
      const produced = produce(dir);
      const existing = fs.existsSync(expectedDir) ? fs.readdirSync(expectedDir).sort() : [];
      if (UPDATE) {
        fs.mkdirSync(expectedDir, { recursive: true });
        for (const f of existing) if (!produced.has(f)) fs.rmSync(path.join(expectedDir, f));
        for (const [f, text] of produced) fs.writeFileSync(path.join(expectedDir, f), text);
        return;
      }
      const problems: string[] = [];
      for (const f of existing)
        if (!produced.has(f)) problems.push(`${name}/expected/${f}: orphan (the compiler no longer produces it)`);
      for (const [f, text] of [...produced].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const file = path.join(expectedDir, f);
        if (!fs.existsSync(file)) problems.push(`${name}/expected/${f}: missing (the compiler produces it)`);
        else {
          const expected = fs.readFileSync(file, "utf8");
          if (text !== expected) problems.push(`${name}/expected/${f}: differs, ${firstDifference(expected, text)}`);
        }
      }
      if (problems.length > 0)
        throw new Error(
          `${problems.join("\n\n")}\n\n(after review, \`npm run test:accept\` rewrites the expectations)`,
        );
    });
  }
});
