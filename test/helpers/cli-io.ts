// A CliIo for in-process CLI tests. In: source files held in memory (over the repository as a fallback); out: an io
// whose stdout, stderr and written files are captured for assertions.

import type { CliIo } from "../../cli/io.js";
import { runCli } from "../../cli/main.js";
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

/** `glia export FILE --to nest -o n` in process, over FILES (the repository as a fallback). */
export async function exportNest(file: string, files?: Record<string, string>): Promise<CapturedIo> {
  const io = captureIo(files);
  await runCli(["export", file, "--to", "nest", "-o", "n"], io);
  return io;
}

/** The first error line of stderr and the source and caret lines under it. */
export function firstError(stderr: string): string[] {
  const lines = stderr.split("\n");
  const at = lines.findIndex((l) => l.includes("error[E"));
  return [lines[at]!, lines[at + 2]!, lines[at + 3]!];
}
