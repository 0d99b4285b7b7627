// The `wat` emit target (`glia compile FILE --emit wat`). In: the discrete IR; out: the optimized kernel module
// as WebAssembly text (emitWat), or E0801 for what the wasm target cannot lower.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { Emitter } from "../target.js";
import { emitWat } from "./index.js";

export const watEmitter: Emitter<IRProgram> = {
  name: "wat",
  emit(ir) {
    const diagnostics: Diagnostic[] = [];
    const wat = emitWat(ir, diagnostics);
    return diagnostics.length > 0 ? { diagnostics } : { stdout: wat, diagnostics };
  },
};
