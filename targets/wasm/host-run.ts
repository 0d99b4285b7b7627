// Runs a discrete IR program on the wasm target in Node. In: IRProgram, RunOptions, precision; out: RunResult.
// The Node embedding of simulate.ts: the runtime's bytes from disk, worker threads (threads.ts) for large
// networks, the process's resident memory, and kernels run by V8's optimizing tier (node-compile.ts).

import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult } from "../target.js";
import { TargetError } from "../target.js";
import { readRuntimeBytes } from "../../runtime/host/node-bytes.js";
import { useOptimizingTier } from "../../runtime/host/node-compile.js";
import { compileRuntime } from "../../runtime/host/load.js";
import type { Precision } from "./lanes.js";
import { simulateOnWasm, type WasmRunInfo } from "./simulate.js";
import { chooseThreads, threadObstacle, ThreadPool } from "./threads.js";

export type { WasmRunInfo } from "./simulate.js";

useOptimizingTier();

export function simulateWasm(
  program: IRProgram,
  options: RunOptions,
  precision: Precision,
): { result: RunResult; info: WasmRunInfo } {
  const runtimeBytes = readRuntimeBytes();
  if (!runtimeBytes.ok) throw new TargetError(runtimeBytes.problem);
  const wanted = chooseThreads(program, options.threads);
  const threads = wanted > 1 && threadObstacle(program) === null ? wanted : 1;
  return simulateOnWasm(program, options, precision, {
    runtimeBytes: runtimeBytes.bytes,
    threads,
    startThreads: (n) => new ThreadPool(n, compileRuntime(runtimeBytes.bytes)),
    rssBytes: () => process.memoryUsage().rss,
  });
}
