// Threads for the wasm target. In: a program (can it be sharded?), the kernel module and its shared memory;
// out: a reason why not (or null), and a pool of worker threads running the kernels' run(k0, k1) as threads
// 1..T-1 while the caller's thread is thread 0. The worker is a small generic script evaluated from a
// string (no TypeScript, no file to find), so it loads the same way under jest and from dist/. Workers are
// started before the network is built and get the kernels when they exist (`load`): starting a Node
// worker takes 25-40 ms here, which then overlaps network construction instead of adding to it.

import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import type { IRProgram, IRStmt, Ref } from "../../compiler/ir/nodes.js";
import { forEachRef, forEachStmtExpr, forEachTarget } from "../../compiler/ir/expr.js";

/** Networks with at least this many neurons run threaded by default. */
export const THREAD_MIN_NEURONS = 16384;

/** The thread count to use: `requested` when given (forced), else all cores for large networks. */
export function chooseThreads(program: IRProgram, requested: number | undefined): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  const neurons = program.groups.reduce((n, g) => n + g.size, 0);
  return neurons >= THREAD_MIN_NEURONS ? Math.max(1, availableParallelism()) : 1;
}

function refs(stmts: readonly IRStmt[], space: string, mode: "read" | "write"): Set<string> {
  const out = new Set<string>();
  const visit = (r: Ref): void => { if (r.space === space) out.add(r.name); };
  if (mode === "write") forEachTarget(stmts, visit);
  else forEachStmtExpr(stmts, (e) => forEachRef(e, visit));
  return out;
}

/**
 * Why `program` cannot be sharded by post element, or null when it can. Sharding needs every synaptic
 * event handler (on pre / on post) to write only its synapse and its post element, and to read no pre
 * variable that some handler writes through post (another thread may be writing it). Astrocyte synapse
 * events are not sharded. Continuous blocks, currents, modulators and monitors run on thread 0.
 */
export function threadObstacle(program: IRProgram): string | null {
  const postWrites = new Map<string, Set<string>>();
  for (const p of program.projections) {
    if (p.ensheathedBy) return `${p.name} is ensheathed by astrocytes`;
    const handlers = [...p.onPre, ...p.onPost];
    if (refs(handlers, "pre", "write").size > 0) return `a handler of ${p.name} writes pre variables`;
    const set = postWrites.get(p.post.population) ?? new Set<string>();
    for (const n of refs(handlers, "post", "write")) set.add(n);
    postWrites.set(p.post.population, set);
  }
  for (const p of program.projections) {
    const written = postWrites.get(p.pre.population);
    if (!written || written.size === 0) continue;
    const exposes = new Set(program.groups.find((g) => g.name === p.pre.population)?.exposes.map((x) => x.name) ?? []);
    for (const n of refs([...p.onPre, ...p.onPost], "pre", "read")) {
      if (written.has(n) || exposes.has(n)) return `a handler of ${p.name} reads pre.${n}, which synaptic events write`;
    }
  }
  return null;
}

/** Control words (i32, in their own SharedArrayBuffer): go sequence, k0, k1, finished, failed, ready. */
const GO = 0, K0 = 1, K1 = 2, FINISHED = 3, FAILED = 4, READY = 5;

// Threads 1..T-1: instantiate the kernels on the shared memory with their thread id, then run(k0, k1)
// whenever the go word changes (k0 < 0: exit). Plain JavaScript, evaluated by worker_threads.
const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { tid, control } = workerData;
const ctl = new Int32Array(control);
const trap = () => { throw new Error("glia: runtime call on a worker thread"); };
parentPort.once("message", ({ module, memory }) => {
  parentPort.close();
  let run;
  try {
    const inst = new WebAssembly.Instance(module, {
      env: { memory },
      Math: { exp: Math.exp, log: Math.log, tanh: Math.tanh, sin: Math.sin, cos: Math.cos, pow: Math.pow },
      runtime: { fillUniform01: trap },
      glia: { tid },
    });
    run = inst.exports.run;
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.add(ctl, ${READY}, 1);
  Atomics.notify(ctl, ${READY});
  let seen = 0;
  while (run) {
    Atomics.wait(ctl, ${GO}, seen);
    seen = Atomics.load(ctl, ${GO});
    const k0 = Atomics.load(ctl, ${K0}), k1 = Atomics.load(ctl, ${K1});
    if (k0 < 0) break;
    try { run(k0, k1); } catch (e) { Atomics.store(ctl, ${FAILED}, 1); }
    Atomics.add(ctl, ${FINISHED}, 1);
    Atomics.notify(ctl, ${FINISHED});
  }
});
`;

/** Workers for threads 1..threads-1 of one simulation. */
export class ThreadPool {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly workers: Worker[] = [];

  constructor(readonly threads: number) {
    for (let tid = 1; tid < threads; tid++) {
      this.workers.push(new Worker(WORKER_SOURCE, { eval: true, workerData: { tid, control: this.ctl.buffer } }));
    }
  }

  /** Hands every worker the kernel module and the shared memory; each instantiates them as its thread id. */
  load(module: WebAssembly.Module, memory: WebAssembly.Memory): void {
    for (const w of this.workers) w.postMessage({ module, memory });
  }

  /** Waits (at most `timeoutMs`) until every worker has instantiated the kernels; a problem message or null. */
  ready(timeoutMs = 20000): string | null {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = Atomics.load(this.ctl, READY);
      if (Atomics.load(this.ctl, FAILED) !== 0) return "a worker thread could not instantiate the kernels";
      if (n >= this.workers.length) return null;
      const left = deadline - Date.now();
      if (left <= 0) return "worker threads did not start in time";
      Atomics.wait(this.ctl, READY, n, Math.min(left, 100));
    }
  }

  /** Lets every worker run(k0, k1); the caller runs thread 0 meanwhile and then calls join(). */
  start(k0: number, k1: number): void {
    Atomics.store(this.ctl, FINISHED, 0);
    Atomics.store(this.ctl, K0, k0);
    Atomics.store(this.ctl, K1, k1);
    Atomics.add(this.ctl, GO, 1);
    Atomics.notify(this.ctl, GO);
  }

  /** Waits until every worker has finished its run; a problem message or null. */
  join(): string | null {
    for (;;) {
      const n = Atomics.load(this.ctl, FINISHED);
      if (n >= this.workers.length) break;
      Atomics.wait(this.ctl, FINISHED, n, 100);
    }
    return Atomics.load(this.ctl, FAILED) !== 0 ? "a worker thread failed while simulating" : null;
  }

  /** Ends every worker (after join, or to abandon a run). */
  close(): void {
    Atomics.store(this.ctl, K0, -1);
    Atomics.add(this.ctl, GO, 1);
    Atomics.notify(this.ctl, GO);
    for (const w of this.workers) void w.terminate();
  }
}
