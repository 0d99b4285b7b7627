// Finds and reads the built runtime (runtime/build/glia-runtime.wasm) synchronously, from the sources or
// from dist/. In: nothing; out: the bytes, or a problem message naming the build command. Node only.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RUNTIME_CANDIDATES } from "./runtime-file.js";

let cached: Uint8Array | undefined;

export function readRuntimeBytes(): { ok: true; bytes: Uint8Array } | { ok: false; problem: string } {
  if (cached) return { ok: true, bytes: cached };
  for (const rel of RUNTIME_CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) {
      cached = new Uint8Array(readFileSync(path));
      return { ok: true, bytes: cached };
    }
  }
  return { ok: false, problem: "the glia wasm runtime is not built (run `npm run build:runtime`)" };
}
