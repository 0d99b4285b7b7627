// The file-system SourceHost. In: the directories allowed besides the project tree (--allow-path); out: a
// SourceHost reading UTF-8 regular files with node:fs, saying why a read failed (ELOOP, EACCES, EISDIR, ...) and
// resolving symbolic links for load.ts's project-tree rule. This is the only place the compiler touches the file
// system for sources and data files.

import { readFileSync, realpathSync, statSync } from "node:fs";
import type { SourceHost } from "./load.js";

/** A file-system error as one short phrase with its code, e.g. "ELOOP: too many symbolic links". */
export function fsErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const what: Record<string, string> = {
    ENOENT: "no such file or directory",
    EEXIST: "already exists",
    EISDIR: "is a directory",
    ENOTDIR: "a parent is not a directory",
    ELOOP: "too many symbolic links (a link loop?)",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOSPC: "no space left on the device",
    EROFS: "read-only file system",
    EPIPE: "broken pipe",
    ENAMETOOLONG: "name too long",
  };
  if (e && typeof e.code === "string") return `${e.code}: ${what[e.code] ?? e.message}`;
  return e instanceof Error ? e.message : String(err);
}

export function nodeHost(options: { allowedDirs?: readonly string[] } = {}): SourceHost {
  const errors = new Map<string, string>();
  return {
    allowedDirs: options.allowedDirs,
    readFile(path: string): string | undefined {
      errors.delete(path);
      try {
        const st = statSync(path);
        // directories, devices and pipes are not source (a FIFO would block the read)
        if (!st.isFile()) {
          errors.set(path, st.isDirectory() ? "EISDIR: is a directory" : "not a regular file");
          return undefined;
        }
        return readFileSync(path, "utf8");
      } catch (err) {
        errors.set(path, fsErrorText(err));
        return undefined;
      }
    },
    readError: (path: string) => errors.get(path),
    readBytes(path: string): Uint8Array | undefined {
      errors.delete(path);
      try {
        if (!statSync(path).isFile()) {
          errors.set(path, "not a regular file");
          return undefined;
        }
        return new Uint8Array(readFileSync(path));
      } catch (err) {
        errors.set(path, fsErrorText(err));
        return undefined;
      }
    },
    realPath(path: string): string | undefined {
      try {
        return realpathSync(path);
      } catch {
        return undefined;
      }
    },
  };
}
