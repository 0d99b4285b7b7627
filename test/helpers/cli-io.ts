// A CliIo for in-process CLI tests. In: source files held in memory (over the repository as a fallback); out: an io
// whose stdout, stderr and written files are captured for assertions.

import type { CliIo } from "../../cli/io.js";
import { dirHost, memoryHost, REPO_ROOT } from "./dir-host.js";

export type CapturedIo = CliIo & { stdout: string; stderr: string; files: Map<string, string> };

export function captureIo(files: Record<string, string> = {}): CapturedIo {
  const io: CapturedIo = {
    stdout: "",
    stderr: "",
    files: new Map<string, string>(),
    isTTY: false,
    host: memoryHost(files, dirHost(REPO_ROOT)),
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    writeFile(file: string, content: string) {
      io.files.set(file, content);
    },
  };
  return io;
}
