// The file-system SourceHost. In: nothing; out: a SourceHost reading UTF-8 files with node:fs.
// This is the only place the compiler touches the file system for sources and data files.

import { readFileSync, statSync } from "node:fs";
import type { SourceHost } from "./load.js";

export function nodeHost(): SourceHost {
  return {
    readFile(path: string): string | undefined {
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st || !st.isFile()) return undefined;
      // permission problems surface as "cannot read" rather than a crash
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
  };
}
