// Runs a discrete IR program on the wasm target in Node. In: IRProgram, RunOptions, precision; out: RunResult.
// The Node embedding of simulate.ts: the runtime's bytes from disk, worker threads (threads.ts) for large
// networks, the process's resident memory, and V8's optimizing tier for wasm from the start.

import { setFlagsFromString } from "node:v8";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult } from "../target.js";
import { TargetError } from "../network/eval.js";
import { readRuntimeBytes } from "../../runtime/host/node-bytes.js";
import type { Precision } from "./lanes.js";
import { simulateOnWasm, type WasmRunInfo } from "./simulate.js";
import { chooseThreads, threadObstacle, ThreadPool } from "./threads.js";

export type { WasmRunInfo } from "./simulate.js";

let eagerTierSet = false;

/**
 * V8 first runs wasm in its baseline compiler (Liftoff) and tiers hot functions up later; our kernels are
 * few functions with long loops, which stay in baseline code far too long (measured: CUBA 1 s took
 * ~1.0 s instead of ~0.2 s). Compiling with the optimizing tier from the start fixes that. The flag is
 * process-wide and only affects wasm modules compiled afterwards, so it is set when this file loads.
 */
function preferOptimizingTier(): void {
  if (eagerTierSet) return;
  eagerTierSet = true;
  try {
    setFlagsFromString("--no-liftoff");
  } catch {
    // not V8 / flag unknown: baseline tiering stays on, results are the same, only slower
  }
}

preferOptimizingTier();

export function simulateWasm(program: IRProgram, options: RunOptions, precision: Precision): { result: RunResult; info: WasmRunInfo } {
  const runtimeBytes = readRuntimeBytes();
  if (!runtimeBytes.ok) throw new TargetError(runtimeBytes.problem);
  const wanted = chooseThreads(program, options.threads);
  const threads = wanted > 1 && threadObstacle(program) === null ? wanted : 1;
  return simulateOnWasm(program, options, precision, {
    runtimeBytes: runtimeBytes.bytes,
    threads,
    startThreads: (module, memory, n) => new ThreadPool(module, memory, n),
    rssBytes: () => process.memoryUsage().rss,
    beforeCompile: preferOptimizingTier,
  });
}
