// Types for runtime/build.mjs (the AssemblyScript runtime build script), so TypeScript tests can import it.
// In: nothing; out: declarations only.
export declare const repoRoot: string;
export declare const runtimeWasmPath: string;
export declare function buildRuntime(
  target?: "release" | "debug",
): Promise<{ errors: string[]; wasm: Uint8Array | undefined }>;
export declare function runtimeIsStale(): boolean;
export declare function ensureRuntimeWasm(): Promise<Uint8Array>;
