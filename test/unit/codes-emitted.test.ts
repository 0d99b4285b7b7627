// Every code in the registry (compiler/diagnostics/codes.ts) is emitted somewhere: its literal ("E0701")
// appears in a source file under compiler/, targets/ or cli/ other than the registry itself. A code that
// nothing reports is either emitted where its condition arises or retired from the registry.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { CODES } from "../../compiler/diagnostics/codes.js";
import { REPO_ROOT } from "../helpers/dir-host.js";

const REGISTRY = path.join(REPO_ROOT, "compiler/diagnostics/codes.ts");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith(".ts") && full !== REGISTRY ? [full] : [];
  });
}

describe("diagnostic code registry", () => {
  const files = ["compiler", "targets", "cli"].flatMap((d) => sources(path.join(REPO_ROOT, d)));
  const text = files.map((f) => fs.readFileSync(f, "utf8")).join("\n");

  test("the scan sees the sources", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  test("every code is emitted somewhere outside codes.ts", () => {
    const unused = Object.keys(CODES).filter((code) => !text.includes(`"${code}"`));
    expect(unused).toEqual([]);
  });
});
