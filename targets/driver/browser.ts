// glia in a web page: compiles glia source held in memory and runs it on the wasm target, single-threaded,
// through the driver's compile-and-run sequence (run.ts, as `glia run`). In: source texts by path (the standard
// library's texts by file name), the entry path, the runtime's wasm bytes (fetched by the page), run options;
// out: the RunResult, or the diagnostics formatted as the CLI does. Imports no registry (each registry entry is a
// lazy import of a Node-side target), so the bundle holds only what this path needs.
// Bundle with `npm run build:browser` (esbuild; node:path's posix half comes from path-browserify).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { formatDiagnostics } from "../../compiler/diagnostics/format.js";
import { networkSpan } from "../../compiler/ir/spans.js";
import { displayPath, STDLIB_DIR } from "../../compiler/syntax/load.js";
import type { RunOptions, RunResult, Target } from "../target.js";
import { TargetError } from "../target.js";
import { simulateOnWasm } from "../wasm/simulate.js";
import { provideDrawRuntime } from "../network/draws.js";
import { compileAndRun } from "./run.js";

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

/** The wasm target on the page's runtime bytes, one thread (no workers in this host). */
function pageWasmTarget(runtimeBytes: Uint8Array, precision: "f32" | "f64"): Target {
  const name = precision === "f32" ? "wasm" : "wasm-f64";
  return {
    name,
    run(program, options) {
      provideDrawRuntime(runtimeBytes); // network construction draws through the runtime's SIMD Philox
      try {
        return {
          result: simulateOnWasm(program, options, precision, { runtimeBytes, threads: 1 }).result,
          diagnostics: [],
        };
      } catch (err) {
        if (!(err instanceof TargetError)) throw err;
        return {
          diagnostics: [
            {
              code: "E0801",
              severity: "error",
              message: `${name} target: ${err.message}`,
              span: networkSpan(program),
              related: [],
              hint: err.hint,
            },
          ],
        };
      }
    },
  };
}

export function runInBrowser(input: BrowserRunInput): BrowserRunOutput {
  const files = new Map(Object.entries(input.files));
  for (const [name, text] of Object.entries(input.stdlib)) files.set(`${STDLIB_DIR}/${name}`, text);
  let failed: string | undefined;
  const report = (diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): boolean => {
    if (!hasErrors(diagnostics)) return false;
    failed = formatDiagnostics(diagnostics, sources as Map<string, string>, displayPath);
    return true;
  };
  const target = pageWasmTarget(input.runtimeBytes, input.precision ?? "f32");
  const ran = compileAndRun(input.entry, { readFile: (path) => files.get(path) }, target, input.options ?? {}, report);
  return ran.result ? { ok: true, result: ran.result } : { ok: false, diagnostics: failed ?? "error: no result" };
}
