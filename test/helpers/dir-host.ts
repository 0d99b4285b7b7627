// Test helper: a SourceHost over a directory (paths relative to it) and an in-memory host.
import * as fs from "node:fs";
import * as path from "node:path";
import type { SourceHost } from "../../compiler/syntax/load.js";

export function dirHost(root: string): SourceHost {
  return {
    readFile(p: string) {
      const full = path.isAbsolute(p) ? p : path.join(root, p);
      try {
        return fs.readFileSync(full, "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

export function memoryHost(files: Record<string, string>, fallback?: SourceHost): SourceHost {
  return { readFile: (p: string) => files[p] ?? fallback?.readFile(p) };
}

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
