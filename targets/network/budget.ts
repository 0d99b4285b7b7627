// The memory budget on Node and the resource check the Node-side targets run before they allocate. In: the IR,
// the run options and (optionally) a cap of the target's own (wasm32 memory); out: E0807 diagnostics from
// resources.ts against min(cap, 80% of the machine's memory).

import os from "node:os";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { checkResources } from "./resources.js";

/** The bytes a run may use: 80% of the machine's memory, or `cap` if smaller. */
export function memoryBudget(cap = Infinity): number {
  return Math.min(cap, Math.floor(os.totalmem() * 0.8));
}

/** E0807 diagnostics for `ir` run with `options` (empty when it fits). */
export function resourceDiagnostics(ir: IRProgram, options: { duration?: number }, cap?: number): Diagnostic[] {
  return checkResources(ir, options, memoryBudget(cap)).diagnostics;
}
