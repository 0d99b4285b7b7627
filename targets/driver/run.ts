// Source to RunResult on one execution target, the sequence `glia run` and the browser driver share: compile
// (the front end), report its diagnostics, run the target on the discrete IR, report the target's. In: the entry
// file, a SourceHost, a Target, RunOptions and a `report` callback (true when the diagnostics hold an error);
// out: the result with the compile time, sources and IR. Imports no registry, so a browser bundle stays small.

import { compile, type CompileOptions } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { SourceHost } from "../../compiler/syntax/load.js";
import type { RunOptions, RunResult, Target } from "../target.js";

/** Prints (or collects) one stage's diagnostics; returns true when there is an error among them. */
export type Report = (diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>) => boolean;

export interface CompiledRun {
  result?: RunResult;
  ir?: IRProgram;
  sources: ReadonlyMap<string, string>;
  compileWallS: number;
}

export function compileAndRun(
  entry: string,
  host: SourceHost,
  target: Target,
  options: RunOptions,
  report: Report,
  compileOptions: CompileOptions = {},
): CompiledRun {
  const t0 = performance.now();
  const compiled = compile(entry, host, compileOptions);
  const compileWallS = (performance.now() - t0) / 1000;
  if (report(compiled.diagnostics, compiled.sources) || !compiled.ir)
    return { sources: compiled.sources, compileWallS };
  const ran = target.run(compiled.ir, options);
  if (report(ran.diagnostics, compiled.sources) || !ran.result)
    return { ir: compiled.ir, sources: compiled.sources, compileWallS };
  return { result: ran.result, ir: compiled.ir, sources: compiled.sources, compileWallS };
}
