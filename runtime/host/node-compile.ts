// V8 tiers for glia's wasm in Node. In: nothing (flags); out: glia's own modules (runtime, kernels) compiled
// by the optimizing tier (TurboFan) up front, binaryen's big module left in the baseline tier (Liftoff).
// Why: V8 compiles wasm lazily and starts in Liftoff, tiering hot functions up in the background. Our
// kernels are few functions with long loops, which then stay in baseline code far too long (CUBA 1 s took
// ~1.0 s instead of ~0.2 s); but with `--no-liftoff` for the whole process, binaryen's functions are
// compiled by TurboFan on first call (~2 s of a cold `glia run`), and binaryen tiering up in the background
// slows the simulation that follows on a 2-core machine. Measured with a cold
// `node bin/glia.js run examples/cuba.glia --json`: docs/internals.md, "Engine tiers".

import { setFlagsFromString } from "node:v8";
import { setWasmCompiler } from "./load.js";

let flagsWork = true;

function setFlags(flags: string): boolean {
  if (!flagsWork) return false;
  try {
    for (const f of flags.split(" ")) setFlagsFromString(f);
    return true;
  } catch {
    flagsWork = false; // not V8 / flag unknown: the default tiers give the same results, only slower
    return false;
  }
}

/**
 * Call before binaryen is first imported (bin/glia.js does): modules compiled from now on with the default
 * flags stay in Liftoff (no background recompilation); glia's own modules are compiled by compileOptimized.
 */
export function keepBaselineModulesInBaseline(): void {
  setFlags("--no-wasm-dynamic-tiering --no-wasm-tier-up");
}

/** Every function of `bytes` compiled by TurboFan, eagerly; the flags are restored afterwards. */
export function compileOptimized(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module {
  if (!setFlags("--no-liftoff --no-wasm-lazy-compilation")) return new WebAssembly.Module(bytes);
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    setFlags("--liftoff --wasm-lazy-compilation");
  }
}

/** glia's runtime and kernels compile with compileOptimized from now on. */
export function useOptimizingTier(): void {
  setWasmCompiler(compileOptimized);
}
