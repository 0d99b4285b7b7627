// Threads for the wasm target. In: a program (can it be sharded?), the compiled runtime, later the kernel
// module and its shared memory; out: a reason why not (or null), and a pool of worker threads that first
// help build the network's fixed_probability rows (rowHelpers) and then run the kernels' run(k0, k1) as
// threads 1..T-1 while the caller's thread is thread 0. The worker is a small generic script evaluated
// from a string (no TypeScript, no file to find), so it loads the same way under jest and from dist/.
// Workers are started before the network is built and get the kernels when they exist (`load`): starting
// a Node worker takes 25-40 ms here, which then overlaps network construction instead of adding to it.

import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { FillIntoJob, FillJob, RowChunk, RowHelper, RowJob } from "../network/draws.js";
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
  const visit = (r: Ref): void => {
    if (r.space === space) out.add(r.name);
  };
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

/** Draws per runtime call of a worker's fill (its runtime memory holds this many f64 at most). */
const FILL_CHUNK = 1 << 20;

/** Control words (i32, in their own SharedArrayBuffer): go sequence, k0, k1, finished, failed, ready. */
const GO = 0,
  K0 = 1,
  K1 = 2,
  FINISHED = 3,
  FAILED = 4,
  READY = 5;
/** Each worker's mailbox words: messages posted to it, replies it posted (both count up). */
const SENT = 0,
  REPLIED = 1;

// Threads 1..T-1, plain JavaScript evaluated by worker_threads. Messages come through a MessagePort read
// synchronously (receiveMessageOnPort) after the mailbox word changes, so neither side needs an event loop
// turn: the caller blocks in Atomics.wait while a worker builds rows for it. Messages:
//   { kind: "rows", ...RowJob } -> reply { chunks: [{ index, xs, counts }] } (Int32Arrays, transferred): the
//     chunks of fixed_probability rows this worker claimed from the back, computed with the runtime's
//     geometricRows (targets/network/draws.ts);
//   { kind: "fill", ...FillJob } -> reply { chunks: [] } once the job's draws are in its shared buffer (the
//     runtime's fillNormal / fillUniform01: draws.ts shares large fills);
//   { kind: "fillInto", ...FillIntoJob } -> the same draws into the transferred buffer, replied { chunks: [], out }
//     with the buffer transferred back (draws.ts prefetchDraws);
//   { kind: "kernels", module, memory } -> instantiate the kernels as thread tid, then run(k0, k1) whenever
//     the go word changes (k0 < 0: exit).
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { tid, control, mail, port, runtime } = workerData;
const ctl = new Int32Array(control);
const box = new Int32Array(mail);
const trap = () => { throw new Error("glia: runtime call on a worker thread"); };
function nextMessage() {
  for (;;) {
    const seen = Atomics.load(box, ${SENT});
    const m = receiveMessageOnPort(port);
    if (m) return m.message;
    Atomics.wait(box, ${SENT}, seen);
  }
}
let rt = null;
function claimBack(claim) {
  for (;;) {
    const v = Atomics.load(claim, 0);
    const front = v & 0xffff, back = v >>> 16;
    if (front >= back) return -1;
    if (Atomics.compareExchange(claim, 0, v, ((back - 1) << 16) | front) === v) return back - 1;
  }
}
function runtimeInstance() {
  if (rt === null) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const abort = () => { throw new Error("glia runtime abort on a worker thread"); };
    const inst = new WebAssembly.Instance(runtime, { env: { memory, abort }, Math: { log: Math.log, cos: Math.cos } });
    rt = { memory, rows: inst.exports.geometricRows, normal: inst.exports.normal, base: (inst.exports.heapBase() + 15) & ~15,
      fillNormal: inst.exports.fillNormal, fillUniform01: inst.exports.fillUniform01 };
  }
  return rt;
}
function rows(job) {
  runtimeInstance();
  const chunks = [];
  const capacity = Math.max(job.nPost, 1 << 18);
  const countsAt = rt.base + capacity * 4;
  const need = Math.ceil((countsAt + 4 * job.chunkRows) / 65536) - rt.memory.buffer.byteLength / 65536;
  if (need > 0) rt.memory.grow(need);
  for (let c = claimBack(job.claim); c >= 0; c = claimBack(job.claim)) {
    const first = job.firstRow + c * job.chunkRows;
    const nRows = Math.min(job.chunkRows, job.firstRow + job.nRows - first);
    const counts = new Int32Array(nRows);
    const parts = [];
    let n = 0;
    for (let r = 0; r < nRows;) {
      const got = rt.rows(rt.base, capacity, countsAt, nRows - r, job.nPost, job.seed, job.stream, first + r, job.rowStride, job.lq);
      const cs = new Int32Array(rt.memory.buffer, countsAt, got);
      counts.set(cs, r);
      let total = 0;
      for (let k = 0; k < got; k++) total += cs[k];
      parts.push(new Int32Array(rt.memory.buffer, rt.base, total).slice());
      n += total;
      r += got;
    }
    const xs = parts.length === 1 ? parts[0] : new Int32Array(n);
    if (parts.length > 1) { let at = 0; for (const p of parts) { xs.set(p, at); at += p.length; } }
    chunks.push({ index: c, xs, counts });
  }
  return { chunks };
}
function fill(job) {
  runtimeInstance();
  const part = Math.min(job.n, ${FILL_CHUNK});
  const need = Math.ceil((rt.base + part * 8) / 65536) - rt.memory.buffer.byteLength / 65536;
  if (need > 0) rt.memory.grow(need);
  const f = job.draw === "normal" ? rt.fillNormal : rt.fillUniform01;
  const out = new Float64Array(job.out, 0, job.n);
  for (let done = 0; done < job.n; done += part) {
    const m = Math.min(part, job.n - done), at = job.first + done;
    f(rt.base, m, job.seed, job.stream, at % 4294967296, Math.floor(at / 4294967296));
    out.set(new Float64Array(rt.memory.buffer, rt.base, m), done);
  }
  return job.kind === "fillInto" ? { chunks: [], out: job.out } : { chunks: [] };
}
for (;;) {
  const msg = nextMessage();
  if (msg.kind === "rows" || msg.kind === "fill" || msg.kind === "fillInto") {
    let reply;
    try { reply = msg.kind === "rows" ? rows(msg) : fill(msg); } catch (e) { reply = { problem: String(e && e.message || e) }; }
    const moved = reply.out ? [reply.out] : reply.chunks ? reply.chunks.flatMap((c) => [c.xs.buffer, c.counts.buffer]) : [];
    port.postMessage(reply, moved);
    Atomics.add(box, ${REPLIED}, 1);
    Atomics.notify(box, ${REPLIED});
    continue;
  }
  let run;
  try {
    const inst = new WebAssembly.Instance(msg.module, {
      env: { memory: msg.memory },
      Math: { exp: Math.exp, log: Math.log, tanh: Math.tanh, sin: Math.sin, cos: Math.cos, pow: Math.pow },
      runtime: { fillUniform01: trap, normal: runtimeInstance().normal },
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
  break;
}
port.close();
`;

interface Mailbox {
  port: MessagePort;
  box: Int32Array;
}

/** Workers for threads 1..threads-1 of one simulation. */
export class ThreadPool {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly workers: Worker[] = [];
  private readonly mail: Mailbox[] = [];
  /** Per worker: the jobs sent to it that get a reply (its replies come in that order). */
  private readonly asked: number[] = [];

  /** `runtime`: the compiled glia runtime, with which workers build fixed_probability rows (rowHelpers). */
  constructor(
    readonly threads: number,
    runtime: WebAssembly.Module,
  ) {
    for (let tid = 1; tid < threads; tid++) {
      const { port1, port2 } = new MessageChannel();
      const box = new Int32Array(new SharedArrayBuffer(8));
      this.mail.push({ port: port1, box });
      this.asked.push(0);
      this.workers.push(
        new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { tid, control: this.ctl.buffer, mail: box.buffer, port: port2, runtime },
          transferList: [port2],
        }),
      );
    }
  }

  private send(t: number, message: unknown, transfer: ArrayBuffer[] = []): void {
    const { port, box } = this.mail[t]!;
    port.postMessage(message, transfer);
    Atomics.add(box, SENT, 1);
    Atomics.notify(box, SENT);
  }

  /** Hands every worker the kernel module and the shared memory; each instantiates them as its thread id. */
  load(module: WebAssembly.Module, memory: WebAssembly.Memory): void {
    for (let t = 0; t < this.workers.length; t++) this.send(t, { kind: "kernels", module, memory });
  }

  /** One row helper per worker, for network construction before the kernels are loaded (draws.ts). */
  rowHelpers(): RowHelper[] {
    return this.mail.map((_, t) => ({
      start: (job: RowJob) => {
        const replied = this.asked[t]!++; // replies before this job's
        this.send(t, { kind: "rows", ...job });
        return () => this.reply(t, replied);
      },
      fill: (job: FillJob) => {
        const replied = this.asked[t]!++; // replies before this job's
        this.send(t, { kind: "fill", ...job });
        return () => void this.reply(t, replied);
      },
      fillInto: (job: FillIntoJob) => {
        const replied = this.asked[t]!++; // replies before this job's
        this.send(t, { kind: "fillInto", ...job }, [job.out]);
        return {
          wait: () => this.replyMessage(t, replied).out!,
          done: () => Atomics.load(this.mail[t]!.box, REPLIED) > replied,
        };
      },
    }));
  }

  private reply(t: number, before: number): RowChunk[] {
    return this.replyMessage(t, before).chunks;
  }

  /** The worker's next reply (after `before` replies); a problem it reports is thrown. */
  private replyMessage(t: number, before: number): { chunks: RowChunk[]; out?: ArrayBuffer } {
    const { port, box } = this.mail[t]!;
    for (;;) {
      const m = receiveMessageOnPort(port);
      if (m) {
        const r = m.message as { chunks?: RowChunk[]; out?: ArrayBuffer; problem?: string };
        if (!r.chunks)
          throw new Error(`internal: a worker thread could not build connectivity rows: ${r.problem ?? "no reply"}`);
        return { chunks: r.chunks, ...(r.out ? { out: r.out } : {}) };
      }
      // a worker that died would leave us here: give up after 5 minutes (its half of 10^9 synapses takes ~11 s)
      if (Atomics.wait(box, REPLIED, before, 300_000) === "timed-out")
        throw new Error("internal: a worker thread did not answer in time");
    }
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
    for (const m of this.mail) m.port.close();
  }
}
