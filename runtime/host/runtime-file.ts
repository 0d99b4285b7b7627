// Where the built runtime (runtime/build/glia-runtime.wasm) lies relative to this directory, from the
// sources or from dist/, and a reader that needs no static Node import (so browser bundles may include it).
// In: nothing; out: the runtime's bytes under Node (process.getBuiltinModule), else null.

/** Paths of the built runtime relative to runtime/host/ (sources) and dist/runtime/host/ (build). */
export const RUNTIME_CANDIDATES: readonly string[] = [
  "../build/glia-runtime.wasm",
  "../../../runtime/build/glia-runtime.wasm",
];

interface FsLike {
  existsSync(path: string): boolean;
  readFileSync(path: string): Uint8Array;
}
interface UrlLike {
  fileURLToPath(url: URL): string;
}

/** The runtime's bytes when running under Node (>= 20.16, which has process.getBuiltinModule), else null. */
export function readRuntimeBytesIfNode(): Uint8Array | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const get = proc?.getBuiltinModule;
  if (typeof get !== "function") return null;
  const fs = get.call(proc, "node:fs") as FsLike | undefined;
  const url = get.call(proc, "node:url") as UrlLike | undefined;
  if (!fs || !url) return null;
  try {
    for (const rel of RUNTIME_CANDIDATES) {
      const path = url.fileURLToPath(new URL(rel, import.meta.url));
      if (fs.existsSync(path)) return new Uint8Array(fs.readFileSync(path));
    }
  } catch {
    // unreadable: the caller falls back to what works without the runtime
  }
  return null;
}
