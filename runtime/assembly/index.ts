// Entry of the glia AssemblyScript runtime (compiled by asc via asconfig.json to runtime/build/glia-runtime.wasm).
// In: the runtime modules below; out: their exports, which hosts and binaryen-built kernels import.
// Runtime variant "stub": the runtime keeps no managed objects (it works on raw linear memory laid out by the
// host), so a GC ("minimal"/"incremental") would be dead weight; stub is the smallest and never moves data.
export * from "./rng";
