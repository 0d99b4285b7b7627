// Entry of the glia AssemblyScript runtime (compiled by asc via asconfig.json to runtime/build/glia-runtime.wasm).
// In: the runtime modules below; out: their exports, which hosts and binaryen-built kernels import.
export * from "./rng";
