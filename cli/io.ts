// The CLI's view of the outside world: output streams, TTY-ness, files. In: nothing; out: the CliIo
// interface and the Node implementation, and the E0607 check of an output path before any work. Commands write
// through this so tests can run them in-process.

import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../compiler/diagnostics/span.js";
import { displayPath, type SourceHost } from "../compiler/syntax/load.js";
import { nodeHost } from "../compiler/syntax/node-host.js";
import { prepareOutputDir, prepareOutputFile, writeOutputFile } from "./output-files.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is an interactive terminal (progress bars only then). */
  isTTY: boolean;
  host: SourceHost;
  /** Writes a whole file (throws OutputError when it cannot; the old file stays as it was). */
  writeFile(file: string, content: string | Uint8Array): void;
  /** Whether an output can be written, checked (directories created) before any work: undefined when it can,
   *  else why not. `sources`: files an output file must not be. Absent: outputs are not on disk (tests). */
  checkOutput?(file: string, kind: "file" | "dir", sources: Iterable<string>): string | undefined;
  /** Ctrl-C ends a run early with its partial results written (cli/interrupt.ts); the real process only. */
  interruptible?: boolean;
}

export function nodeIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    host: nodeHost(),
    writeFile: writeOutputFile,
    checkOutput: (file, kind, sources) => (kind === "dir" ? prepareOutputDir(file) : prepareOutputFile(file, sources)),
  };
}

/** E0607 on `file`: an output that cannot be written. */
export function outputDiagnostic(file: string, message: string): Diagnostic {
  return {
    code: "E0607",
    severity: "error",
    message,
    span: syntheticSpan(file),
    related: [],
    hint: "choose another output path (a writable directory for --out DIR, a file name for -o FILE)",
  };
}

/** Checks output `file` before any work; reports E0607 and returns true when it cannot be written. */
export function badOutput(
  io: CliIo,
  file: string,
  kind: "file" | "dir",
  sources: Iterable<string> = [],
  onDiagnostic?: (d: Diagnostic) => void,
): boolean {
  const why = io.checkOutput?.(file, kind, sources);
  if (why === undefined) return false;
  const d = outputDiagnostic(file, why);
  onDiagnostic?.(d);
  reportDiagnostics([d], new Map(), io);
  return true;
}

/** Exit codes: success, diagnostics (bad model), usage (bad command line). */
/** Exit codes; `interrupted` (128 + SIGINT) is a run ended by Ctrl-C, its partial results written. */
export const EXIT = { ok: 0, diagnostics: 1, usage: 2, interrupted: 130 } as const;

/** A usage error: reported as `glia: message` with exit code 2. */
export class UsageError extends Error {}

/** The object `--json` prints on stdout when a command fails: `{"ok": false, "error": {...}}` with the usage
 *  message (`kind: "usage"`) or every diagnostic (code, severity, message, file, line, col, end, hint). */
export function jsonError(e: {
  kind?: "usage" | "diagnostics";
  message?: string;
  diagnostics?: readonly Diagnostic[];
}): string {
  const diagnostics = (e.diagnostics ?? []).map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: displayPath(d.span.file),
    line: d.span.line,
    col: d.span.col,
    end_line: d.span.endLine,
    end_col: d.span.endCol,
    ...(d.hint ? { hint: d.hint } : {}),
  }));
  const errors = diagnostics.filter((d) => d.severity === "error");
  const message = e.message ?? (errors[0] ? `${errors[0].code}: ${errors[0].message}` : "failed");
  return JSON.stringify(
    { ok: false, error: { kind: e.kind ?? "diagnostics", message, ...(e.diagnostics ? { diagnostics } : {}) } },
    null,
    2,
  );
}
