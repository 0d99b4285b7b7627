// Test fixture: the runtime's wasm bytes (built on demand from a clean clone) loaded into a fresh memory.
// In: optional memory; out: a loaded Runtime (throws only in tests, with the compiler's messages).
import { ensureRuntimeWasm } from "../../runtime/build.mjs";
import { loadRuntime, type Runtime } from "../../runtime/host/load.js";

let bytes: Promise<Uint8Array> | undefined;

/** The release runtime bytes, built once per test file when runtime/build/ is missing or stale. */
export function runtimeBytes(): Promise<Uint8Array> {
  bytes ??= ensureRuntimeWasm();
  return bytes;
}

/** A runtime instance over `memory` (default: a fresh 1-page memory with no maximum). */
export async function loadTestRuntime(memory = new WebAssembly.Memory({ initial: 1 })): Promise<Runtime> {
  const result = loadRuntime(await runtimeBytes(), memory);
  if (!result.ok) throw new Error(result.problem);
  return result.runtime;
}
