// The fixed-IR emit target (`glia compile FILE --target fixed [--hw SPEC] --emit ir`). In: the quantization of
// the discrete IR for the spec's widths (the driver quantizes); out: the fixed-point IR, then the quantization
// report (per-variable formats, table approximations).

import type { Emitter } from "../target.js";
import { printFixedIR, printReport } from "./print.js";
import type { QuantizeResult } from "./quantize.js";

export const fixedIrEmitter: Emitter<QuantizeResult> = {
  name: "fixed",
  emit(q) {
    if (!q.program) return { diagnostics: q.diagnostics };
    return {
      stdout: `${printFixedIR(q.program)}\nquantization report\n${printReport(q.report, q.approximations)}`,
      diagnostics: q.diagnostics,
    };
  },
};
