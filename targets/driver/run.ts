// Source to RunResult on one execution target, the sequence `glia run` and the browser driver share: compile
// (the front end), report its diagnostics, run the target on the discrete IR, report the target's. In: the entry
// file, a SourceHost, a Target, RunOptions and a `report` callback (true when the diagnostics hold an error);
// out: the result with the compile time, sources and IR. Imports no registry, so a browser bundle stays small.
// A --duration shorter than one step is E0516 (nothing would be simulated), before the target builds anything.

import { compile, type CompileOptions } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { networkSpan } from "../../compiler/ir/spans.js";
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
  const tooShort = durationTooShort(compiled.ir, options);
  if (tooShort) {
    report([tooShort], compiled.sources);
    return { ir: compiled.ir, sources: compiled.sources, compileWallS };
  }
  const ran = target.run(compiled.ir, options);
  if (report(ran.diagnostics, compiled.sources) || !ran.result)
    return { ir: compiled.ir, sources: compiled.sources, compileWallS };
  return { result: ran.result, ir: compiled.ir, sources: compiled.sources, compileWallS };
}

/** E0516 when --duration rounds to 0 steps of the network's dt. */
function durationTooShort(ir: IRProgram, options: RunOptions): Diagnostic | undefined {
  if (options.duration === undefined || Math.round(options.duration / ir.dt) >= 1) return undefined;
  return {
    code: "E0516",
    severity: "error",
    message: `--duration ${options.duration} s is shorter than one step of dt = ${ir.dt} s, so nothing would be simulated`,
    span: networkSpan(ir),
    related: [],
    hint: "give a duration of at least one dt",
  };
}
