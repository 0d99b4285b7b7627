// The fixed executor with a choice of kernels. In: a FixedProgram, RunOptions and { kernel: "js" | "wasm" };
// out: the FixedRunResult of executor.ts. With "wasm" every group's words and last-spike steps live in one
// WebAssembly.Memory (Float64Array/Int32Array views, shared with the JS phases), and each group's update
// runs as a binaryen-built module (wasm-kernels.ts); groups it refuses keep the generated JS (kernelNotes).
// Overflow counts accumulate in i32 slots of the memory and are added to the executor's counters after
// every update call.

import type { Ref } from "../../compiler/ir/nodes.js";
import type { RunOptions } from "../target.js";
import { execute, type FixedRunResult, type KernelHooks } from "./executor.js";
import type { FixedProgram, FxGroup } from "./ir.js";
import type { OverflowCounter } from "./qformat.js";
import { lowerGroupUpdate } from "./wasm-kernels.js";
import { compileWasm } from "../../runtime/host/load.js";

export type KernelKind = "js" | "wasm";

const PAGE = 65536;
const COUNTER_SLOTS = 4096;

/** Kernel hooks over one fresh wasm memory. */
export function wasmHooks(): KernelHooks {
  let memory: WebAssembly.Memory | null = null;
  let next = 0, counterBase = 0, counterNext = 0;
  const take = (bytes: number): number => {
    const at = next;
    next += (bytes + 7) & ~7;
    if (next > counterBase) throw new Error("internal: fixed wasm memory too small");
    return at;
  };
  return {
    prepare(groups: readonly FxGroup[]) {
      let bytes = 0;
      for (const g of groups) bytes += g.vars.length * g.size * 8 + g.size * 4 + 16;
      counterBase = bytes;
      memory = new WebAssembly.Memory({ initial: Math.ceil((bytes + COUNTER_SLOTS * 4) / PAGE) + 1 });
      return {
        f64: (n: number) => new Float64Array(memory!.buffer, take(n * 8), n),
        i32: (n: number) => new Int32Array(memory!.buffer, take(n * 4), n),
      };
    },
    update(g, raw, lastSpike, counterOf) {
      const mem = memory!;
      const slots = new Map<OverflowCounter, number>();
      const slotCounters: OverflowCounter[] = [], slotAddrs: number[] = [];
      const counterSlot = (t: Ref | null): number => {
        const c = counterOf(t);
        let a = slots.get(c);
        if (a === undefined) {
          if (counterNext >= COUNTER_SLOTS) throw new Error("internal: out of overflow-counter slots");
          a = counterBase + 4 * counterNext++;
          slots.set(c, a);
          slotCounters.push(c);
          slotAddrs.push(a);
        }
        return a;
      };
      const arrays = new Map<string, number>();
      for (const [name, arr] of raw.arrays) arrays.set(name, arr.byteOffset);
      const low = lowerGroupUpdate(g, { arrays, scalars: raw.scalars, lastSpike: lastSpike.byteOffset, counterSlot });
      if (!low.bytes) return { reason: low.reason };
      const inst = new WebAssembly.Instance(compileWasm(low.bytes), { env: { memory: mem } });
      const update = inst.exports.update as (k: number) => void;
      const i32 = new Int32Array(mem.buffer);
      const idx = slotAddrs.map((a) => a >> 2);
      return {
        run: (k: number) => {
          update(k);
          for (let x = 0; x < idx.length; x++) {
            const n = i32[idx[x]!]!;
            if (n) { slotCounters[x]!.count += n; i32[idx[x]!] = 0; }
          }
        },
      };
    },
  };
}

export function executeFixed(fp: FixedProgram, options: RunOptions = {}, kernel: KernelKind = "js"): FixedRunResult {
  return kernel === "wasm" ? execute(fp, options, wasmHooks()) : execute(fp, options);
}
