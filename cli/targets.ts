// Registry of execution targets selectable with `--target`. In: a name; out: the Target, loaded on
// demand (the wasm target pulls in binaryen, which costs about a second to load; `check` needs none).

import type { Target } from "../targets/target.js";

export const TARGETS: Record<string, () => Promise<Target>> = {
  wasm: async () => (await import("../targets/wasm/index.js")).wasmTarget, // f32x4 SIMD kernels: the everyday target
  "wasm-f64": async () => (await import("../targets/wasm/index.js")).wasmF64Target, // same lowering in float64
  reference: async () => (await import("../targets/reference/index.js")).referenceTarget, // float64 interpreter: the ground truth
  fixed: async () => (await import("../targets/fixed/index.js")).fixedTarget, // bit-exact integer datapath (--hw SPEC sets the widths)
};

export const DEFAULT_TARGET = "wasm";
