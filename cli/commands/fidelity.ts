// `glia run ... --compare TARGET`: runs the same discrete IR on a second target (through the driver) and reports
// fidelity. In: the compiled IR, the first run's result and the flags; out: a FidelityReport (or diagnostics).

import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { RunOptions, RunResult } from "../../targets/target.js";
import type { FidelityReport } from "../../targets/fidelity/report.js";
import { UsageError } from "../io.js";

export function parsePositive(text: string, option: string): number {
  const x = Number(text);
  if (!/^\s*[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?\s*$/.test(text) || !(x > 0) || !Number.isFinite(x))
    throw new UsageError(`${option}: expected a positive number, got '${text}'`);
  return x;
}

export async function compareRun(
  ir: IRProgram,
  result: RunResult,
  against: string,
  options: RunOptions,
  dist: { vpQPerMs?: number; vrTauMs?: number },
): Promise<{ report?: FidelityReport; diagnostics: Diagnostic[] }> {
  const { compareWith } = await import("../../targets/driver/fidelity.js");
  return compareWith(ir, result, against, options, dist, true);
}
