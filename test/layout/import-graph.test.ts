// The layering rule, checked. In: every TypeScript source under compiler/, targets/, runtime/ and cli/, and the
// allowed module edges listed in docs/internals.md ("Module dependencies"); out: a failure naming each import
// whose edge the list does not allow, each module the list does not name, and any cycle the list itself allows.

import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { REPO_ROOT } from "../helpers/dir-host.js";

const TOPS = ["compiler", "targets", "runtime", "cli"];

/** A file's module: `cli` for everything under cli/; else top/sub for files in a subfolder, top for files at the top. */
function moduleOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] === "cli") return "cli";
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(REPO_ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (name === "node_modules" || name === "build" || name === "assembly") continue;
    if (statSync(join(REPO_ROOT, rel)).isDirectory()) sources(rel, out);
    else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith(".d.mts")) out.push(rel);
  }
  return out;
}

/** The allowed edges: lines `MODULE: DEP DEP ...` in the fenced `modules` block; `top/*` allows any module under top. */
function allowedEdges(): Map<string, string[]> {
  const doc = readFileSync(join(REPO_ROOT, "docs/internals.md"), "utf8");
  const block = /```modules\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error("docs/internals.md has no ```modules block");
  const out = new Map<string, string[]>();
  for (const line of block[1]!.split("\n")) {
    const m = /^([\w/]+):\s*(.*)$/.exec(line.trim());
    if (m)
      out.set(
        m[1]!,
        m[2]!.split(/\s+/).filter((d) => d.length > 0),
      );
  }
  return out;
}

const allows = (deps: string[], to: string): boolean =>
  deps.some((d) => d === to || (d.endsWith("/*") && (to === d.slice(0, -2) || to.startsWith(d.slice(0, -1)))));

function imports(file: string): string[] {
  const src = readFileSync(join(REPO_ROOT, file), "utf8");
  const out: string[] = [];
  const rx = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;
  for (let m = rx.exec(src); m; m = rx.exec(src))
    out.push(
      normalize(join(dirname(file), m[1]!))
        .split("\\")
        .join("/"),
    );
  return out;
}

describe("module dependencies (docs/internals.md)", () => {
  const allowed = allowedEdges();
  const files = TOPS.flatMap((t) => sources(t));

  it("finds the sources", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it("every module is listed", () => {
    const unlisted = [...new Set(files.map(moduleOf))].filter((m) => !allowed.has(m));
    expect(unlisted).toEqual([]);
  });

  it("every import follows an allowed edge", () => {
    const bad: string[] = [];
    for (const f of files) {
      const from = moduleOf(f);
      for (const target of imports(f)) {
        const rel = relative(REPO_ROOT, join(REPO_ROOT, target)).split("\\").join("/");
        const to = moduleOf(rel);
        if (to === from) continue;
        if (!allows(allowed.get(from) ?? [], to)) bad.push(`${f} imports ${rel} (${from} -> ${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("the allowed edges have no cycle", () => {
    const mods = [...allowed.keys()];
    const deps = (m: string): string[] => mods.filter((o) => o !== m && allows(allowed.get(m)!, o));
    const state = new Map<string, number>();
    const cycles: string[] = [];
    const visit = (m: string, path: string[]): void => {
      if (state.get(m) === 2) return;
      if (state.get(m) === 1) {
        cycles.push([...path.slice(path.indexOf(m)), m].join(" -> "));
        return;
      }
      state.set(m, 1);
      for (const d of deps(m)) visit(d, [...path, m]);
      state.set(m, 2);
    };
    for (const m of mods) visit(m, []);
    expect(cycles).toEqual([]);
  });

  it("the rule catches a violation", () => {
    // compiler/ may not import targets/: a made-up edge must be refused by the same check
    expect(allows(allowed.get("compiler/ir")!, "targets/wasm")).toBe(false);
    expect(allows(allowed.get("runtime/host")!, "targets/network")).toBe(false);
  });
});
