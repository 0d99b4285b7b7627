// Golden tests: each folder under test/golden/cases holds main.glia (and any files it imports) and
// expected/ with the AST, the IR after build and after every pass, and the diagnostics. Run with
// UPDATE_GOLDEN=1 (npm run test:accept) to rewrite expectations; reviewers read the diff.
// Expectation files that the current compiler no longer produces fail the test (orphans).
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile, PASSES } from "../../compiler/pipeline.js";
import { printProgramAst } from "../../compiler/syntax/print-ast.js";
import { printIR } from "../../compiler/ir/print.js";
import { diagnosticLine } from "../../compiler/diagnostics/format.js";
import { sortDiagnostics } from "../../compiler/diagnostics/diagnostic.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";

const CASES = path.join(REPO_ROOT, "test/golden/cases");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** Absolute paths (the standard library) print relative to the repository. */
const scrub = (text: string): string => text.split(REPO_ROOT + "/").join("");

function produce(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const host = dirHost(dir);
  const full = compile("main.glia", host, { verify: true });
  const diags = sortDiagnostics(full.diagnostics);
  if (diags.length > 0) out.set("diagnostics.txt", scrub(diags.map(diagnosticLine).join("\n") + "\n"));
  if (full.program) out.set("ast.txt", scrub(printProgramAst(full.program)));
  if (full.built) {
    out.set("ir-build.txt", printIR(full.built));
    PASSES.forEach((pass, n) => {
      const r = compile("main.glia", host, { stopAfter: pass.name, verify: true });
      if (r.ir) out.set(`ir-${String(n + 1).padStart(2, "0")}-${pass.name}.txt`, printIR(r.ir));
    });
  }
  return out;
}

const cases = fs.existsSync(CASES) ? fs.readdirSync(CASES).filter((d) => fs.statSync(path.join(CASES, d)).isDirectory()).sort() : [];

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
      const orphans = existing.filter((f) => !produced.has(f));
      expect({ case: name, orphans }).toEqual({ case: name, orphans: [] });
      for (const [f, text] of produced) {
        const file = path.join(expectedDir, f);
        expect({ file: `${name}/expected/${f}`, exists: fs.existsSync(file) }).toEqual({ file: `${name}/expected/${f}`, exists: true });
        expect(text).toBe(fs.readFileSync(file, "utf8"));
      }
    });
  }
});
