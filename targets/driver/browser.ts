// glia in a web page: compiles glia source held in memory and runs it on the wasm target, single-threaded.
// In: source texts by path (the standard library's texts by file name), the entry path, the runtime's wasm
// bytes (fetched by the page), run options; out: the RunResult, or the diagnostics formatted as the CLI does.
// Bundle with `npm run build:browser` (esbuild; node:path's posix half comes from path-browserify).

import { compile } from "../../compiler/pipeline.js";
import { formatDiagnostics } from "../../compiler/diagnostics/format.js";
import { STDLIB_DIR } from "../../compiler/syntax/load.js";
import type { RunOptions, RunResult } from "../target.js";
import { TargetError } from "../target.js";
import { simulateOnWasm } from "../wasm/simulate.js";
import { provideDrawRuntime } from "../network/draws.js";

export interface BrowserRunInput {
  /** source and data files by absolute POSIX path */
  files: Record<string, string>;
  /** the standard library's files by name (static.glia, lif.glia, ...) */
  stdlib: Record<string, string>;
  entry: string;
  runtimeBytes: Uint8Array;
  options?: RunOptions;
  precision?: "f32" | "f64";
}

export type BrowserRunOutput = { ok: true; result: RunResult } | { ok: false; diagnostics: string };

export function runInBrowser(input: BrowserRunInput): BrowserRunOutput {
  const files = new Map(Object.entries(input.files));
  for (const [name, text] of Object.entries(input.stdlib)) files.set(`${STDLIB_DIR}/${name}`, text);
  const c = compile(input.entry, { readFile: (path) => files.get(path) });
  const errors = c.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !c.ir) return { ok: false, diagnostics: formatDiagnostics(c.diagnostics, c.sources) };
  provideDrawRuntime(input.runtimeBytes); // network construction draws through the runtime's SIMD Philox
  try {
    const { result } = simulateOnWasm(c.ir, input.options ?? {}, input.precision ?? "f32", { runtimeBytes: input.runtimeBytes, threads: 1 });
    return { ok: true, result };
  } catch (err) {
    if (err instanceof TargetError) return { ok: false, diagnostics: `error: ${err.message}` };
    throw err;
  }
}
