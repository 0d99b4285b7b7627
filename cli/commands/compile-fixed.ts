// `glia compile FILE --target fixed [--hw SPEC] --emit ir`: the fixed-point IR and the quantization report.
// In: the discrete IR and the --hw option; out: text (fixed IR, then the per-variable report) or diagnostics.

import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { DEFAULT_FIXED_SPEC } from "../../targets/fixed/index.js";
import { resolveHardware } from "../../targets/fixed/hw-option.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { printFixedIR, printReport } from "../../targets/fixed/print.js";

export function fixedIrText(ir: IRProgram, hw: string | undefined): { text?: string; diagnostics: Diagnostic[] } {
  let spec = DEFAULT_FIXED_SPEC;
  if (hw !== undefined) {
    const r = resolveHardware(hw);
    if (!r.spec) return { diagnostics: r.diagnostics };
    spec = r.spec;
  }
  const q = quantize(ir, { spec });
  if (!q.program) return { diagnostics: q.diagnostics };
  return { text: `${printFixedIR(q.program)}\nquantization report\n${printReport(q.report, q.approximations)}`, diagnostics: q.diagnostics };
}
