// The CLI's view of the outside world: output streams, TTY-ness, files. In: nothing; out: the CliIo
// interface and the Node implementation. Commands write through this so tests can run them in-process.

import * as fs from "node:fs";
import * as path from "node:path";
import type { SourceHost } from "../compiler/syntax/load.js";
import { nodeHost } from "../compiler/syntax/node-host.js";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is an interactive terminal (progress bars only then). */
  isTTY: boolean;
  host: SourceHost;
  writeFile(file: string, content: string): void;
}

export function nodeIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    host: nodeHost(),
    writeFile: (file, content) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    },
  };
}

/** Exit codes: success, diagnostics (bad model), usage (bad command line). */
export const EXIT = { ok: 0, diagnostics: 1, usage: 2 } as const;

/** A usage error: reported as `glia: message` with exit code 2. */
export class UsageError extends Error {}
