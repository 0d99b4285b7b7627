// Load a whole program: the entry file, its imports (depth first, each file once) and the data files
// its networks name. In: an entry path and a SourceHost; out: Program (entry first), the source texts,
// the data texts keyed by resolved path, and diagnostics (syntax plus E0601-E0604, E0606). Imports and data
// files must lie in the project tree: the entry file's directory and below, the standard library, or a
// directory the host allows (--allow-path); symbolic links are followed and their targets must lie there too.

import { posix } from "node:path";
import { Diagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { Arg, Expr, FileAst, Import, NetItem, Program } from "./ast.js";
import { parseSource } from "./parse.js";

/** Where source text comes from. Paths are POSIX-style; undefined means "cannot read". */
export interface SourceHost {
  readFile(path: string): string | undefined;
  /** Why the last readFile(path) failed (e.g. "ELOOP: ..."), when the host knows. */
  readError?(path: string): string | undefined;
  /** `path` with symbolic links resolved, when the host has them; undefined: cannot resolve. */
  realPath?(path: string): string | undefined;
  /** Directories, besides the entry's directory and the standard library, that imports and data may name. */
  allowedDirs?: readonly string[];
  /** A binary file's bytes (NIR models, targets/driver/nir-entry.ts), when the host can read them. */
  readBytes?(path: string): Uint8Array | undefined;
}

/** True when normalized `p` is `dir` or below it (both relative, or both absolute). */
function isUnder(p: string, dir: string): boolean {
  if (dir === ".") return !p.startsWith("/") && p !== ".." && !p.startsWith("../");
  const d = dir.endsWith("/") ? dir : `${dir}/`;
  return p === dir || p.startsWith(d);
}

/** The project-tree rule: a checker for paths an import or data reference may name, for entry `entryPath`. */
export function projectTree(entryPath: string, host: SourceHost): { roots: string[]; allows(p: string): boolean } {
  const roots = [posix.dirname(entryPath), STDLIB_DIR, ...(host.allowedDirs ?? []).map((d) => posix.normalize(d))];
  const realRoots = host.realPath
    ? roots.flatMap((r) => {
        const real = host.realPath!(r);
        return real === undefined ? [] : [real];
      })
    : [];
  return {
    roots,
    allows(p: string): boolean {
      // where the file really is (links followed) when the host can say; else (a missing file, a memory host) the
      // path as written
      const real = host.realPath?.(p);
      if (real !== undefined) return realRoots.some((r) => isUnder(real, r));
      return roots.some((r) => isUnder(p, r));
    },
  };
}

/** " (REASON)" for a failed read when the host says why, else "". */
function why(host: SourceHost, path: string): string {
  const reason = host.readError?.(path);
  return reason ? ` (${reason})` : "";
}

const OUTSIDE_HINT =
  "imports and data files must be in the entry file's directory or below, or the standard library; " +
  "copy the file into the project or allow its directory with --allow-path DIR";

/** Absolute path of compiler/stdlib in the source tree, also when running from dist/compiler/syntax. */
// (URL, not node:url, so that a browser bundle of the compiler needs no Node module but path's posix half)
export const STDLIB_DIR: string = stdlibDir(decodeURIComponent(new URL(import.meta.url).pathname));

function stdlibDir(thisFile: string): string {
  // this file is <root>/compiler/syntax/load.{ts,js} or <root>/<outDir>/compiler/syntax/load.js
  const here = posix.dirname(thisFile.split("\\").join("/"));
  let root = posix.dirname(posix.dirname(here));
  if (posix.basename(posix.dirname(here)) === "compiler" && posix.basename(root) === "dist") root = posix.dirname(root);
  return posix.join(root, "compiler", "stdlib");
}

const STD_PREFIX = "std/";

/** How a file is named to a user: a standard-library file as `std/NAME.glia` (the name an import uses; its
 *  absolute path names the installing machine), any other file as given. */
export function displayPath(file: string): string {
  return file.startsWith(STDLIB_DIR + "/") ? STD_PREFIX + file.slice(STDLIB_DIR.length + 1) : file;
}

/** Functions whose string arguments name data files, read at load time. */
export const DATA_FUNCTIONS: ReadonlySet<string> = new Set(["csv_spikes", "csv_current", "csv_list", "csv_column"]);

/** `relative` resolved against the directory of `fromFile` (absolute paths stay), normalized. */
export function resolvePath(fromFile: string, relative: string): string {
  if (relative.startsWith("/")) return posix.normalize(relative);
  return posix.normalize(posix.join(posix.dirname(fromFile), relative));
}

/** Paths tried for `import "path"` in `fromFile`: relative to the file, then the standard library. */
export function importCandidates(fromFile: string, path: string): string[] {
  const out = [resolvePath(fromFile, path)];
  if (path.startsWith(STD_PREFIX)) out.push(posix.join(STDLIB_DIR, path.slice(STD_PREFIX.length)));
  return out;
}

export interface LoadResult {
  program: Program;
  sources: Map<string, string>;
  data: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** Parse `entry` and everything it imports; read the data files named in networks. */
export function loadProgram(entry: string, host: SourceHost): LoadResult {
  const diags = new Diagnostics();
  const sources = new Map<string, string>();
  const data = new Map<string, string>();
  const files: FileAst[] = [];
  const entryPath = posix.normalize(entry.split("\\").join("/"));

  const text = host.readFile(entryPath);
  if (text === undefined) {
    const span: Span = { file: entryPath, start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
    diags.error("E0601", span, `cannot read file '${entryPath}'${why(host, entryPath)}`, {
      hint: "check the path and that the file exists and is readable",
    });
    return { program: { kind: "Program", files }, sources, data, diagnostics: diags.items };
  }

  const tree = projectTree(entryPath, host);
  const done = new Set<string>();
  /** Files being loaded, with the import (in the parent) that led to each. */
  const active: { path: string; via?: Import }[] = [];

  /** The file `imp` (in `path`) loads next, or undefined (already loaded, or refused with a diagnostic). */
  const resolveImport = (path: string, imp: Import): { path: string; text: string } | undefined => {
    const candidates = importCandidates(path, imp.path);
    const cycleAt = active.findIndex((a) => candidates.includes(a.path));
    if (cycleAt >= 0) {
      const chain = [...active.slice(cycleAt).map((a) => a.path), active[cycleAt]!.path];
      const opener = active[cycleAt + 1]?.via ?? imp;
      // a cycle through thousands of files names its first and last few, not every one
      const shown =
        chain.length <= 12 ? chain : [...chain.slice(0, 6), `... (${chain.length - 11} more)`, ...chain.slice(-5)];
      diags.error("E0603", opener.span, `import cycle: ${shown.join(" -> ")}`, {
        related: [{ span: imp.span, message: "this import closes the cycle" }],
        hint: "move the shared models into a file that both can import",
      });
      return undefined;
    }
    if (candidates.some((c) => done.has(c))) return undefined;
    if (!imp.path.endsWith(".glia")) {
      diags.error("E0606", imp.span, `import "${imp.path}" does not name a .glia file`, {
        hint: "imports name glia source files (FILE.glia); data files are read by csv_spikes, csv_current, csv_list",
      });
      return undefined;
    }
    const allowed = candidates.filter((c) => tree.allows(c));
    if (allowed.length === 0) {
      diags.error("E0606", imp.span, `import "${imp.path}" is outside the project ('${candidates[0]}')`, {
        hint: OUTSIDE_HINT,
      });
      return undefined;
    }
    for (const c of allowed) {
      const t = host.readFile(c);
      if (t !== undefined) return { path: c, text: t };
    }
    diags.error(
      "E0602",
      imp.span,
      `import not found: "${imp.path}" (tried ${allowed.map((c) => `'${c}'${why(host, c)}`).join(", ")})`,
      {
        hint: imp.path.startsWith(STD_PREFIX)
          ? "standard library files live in compiler/stdlib"
          : 'paths are relative to the importing file; the standard library is imported as "std/NAME.glia"',
      },
    );
    return undefined;
  };
  // Depth first with an explicit stack (a chain of thousands of imports must not exhaust the call stack): a frame
  // is a file being loaded and the index of its next import; files are listed in the order they are entered.
  const frames: { imports: readonly Import[]; next: number }[] = [];
  const enter = (path: string, source: string, via: Import | undefined): void => {
    done.add(path);
    sources.set(path, source);
    active.push({ path, via });
    const parsed = parseSource(source, path);
    diags.addAll(parsed.diagnostics);
    files.push(parsed.ast);
    frames.push({ imports: parsed.ast.imports, next: 0 });
  };
  enter(entryPath, text, undefined);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    if (frame.next >= frame.imports.length) {
      frames.pop();
      active.pop();
      continue;
    }
    const imp = frame.imports[frame.next++]!;
    const path = active[active.length - 1]!.path;
    const next = resolveImport(path, imp);
    if (next) enter(next.path, next.text, imp);
  }

  for (const f of files) {
    for (const net of f.networks) {
      for (const item of net.items) {
        for (const ref of dataRefs(item)) {
          const p = resolvePath(f.file, ref.path);
          if (data.has(p)) continue;
          if (!tree.allows(p)) {
            diags.error("E0606", ref.span, `data file '${p}' is outside the project`, { hint: OUTSIDE_HINT });
            continue;
          }
          const t = host.readFile(p);
          if (t === undefined)
            diags.error("E0604", ref.span, `cannot read data file '${p}'${why(host, p)}`, {
              hint: "data file paths are relative to the file that names them",
            });
          else data.set(p, t);
        }
      }
    }
  }

  return { program: { kind: "Program", files }, sources, data, diagnostics: diags.items };
}

/** String arguments of csv_spikes / csv_current / csv_list anywhere in a network item. */
export function dataRefs(item: NetItem): { path: string; span: Span }[] {
  const out: { path: string; span: Span }[] = [];
  const fromArgs = (callee: string, args: Arg[]) => {
    for (const [k, a] of args.entries()) {
      // csv_column("file.csv", "column"): only the first string is a file
      if (DATA_FUNCTIONS.has(callee) && a.value.kind === "String" && !(callee === "csv_column" && k > 0))
        out.push({ path: a.value.value, span: a.value.span });
      walk(a.value);
    }
  };
  const walk = (e: Expr | undefined): void => {
    if (!e) return;
    switch (e.kind) {
      case "Call":
        fromArgs(e.callee, e.args);
        return;
      case "Unary":
        walk(e.operand);
        return;
      case "Binary":
        walk(e.left);
        walk(e.right);
        return;
      case "Conditional":
        walk(e.cond);
        walk(e.then);
        walk(e.otherwise);
        return;
      case "List":
        e.items.forEach(walk);
        return;
      default:
        return;
    }
  };
  switch (item.kind) {
    case "Setting":
      walk(item.value);
      break;
    case "Population":
      fromArgs(item.model, item.args);
      walk(item.size);
      break;
    case "Input":
      fromArgs(item.generator, item.args);
      walk(item.size);
      break;
    case "Current":
      fromArgs(item.generator, item.args);
      break;
    case "Connect":
      fromArgs(item.synapse, item.args);
      fromArgs(item.rule.name, item.rule.args);
      walk(item.delay);
      break;
    case "Ensheath":
      fromArgs(item.rule.name, item.rule.args);
      break;
    case "Modulator":
      walk(item.value);
      break;
    case "Record":
      walk(item.every);
      break;
    case "Run":
      walk(item.duration);
      break;
  }
  return out;
}
