// Ctrl-C during `glia run`. In: nothing (the process's SIGINT); out: `requested()`, which a target asks about every
// 1% of the run (RunOptions.shouldStop) so that the run ends there and what was recorded so far is still written.
//
// The simulation loops are synchronous, and Node runs a `process.on("SIGINT")` listener only when the main thread's
// event loop turns, which it does not until the run is over. So a worker thread, whose event loop is idle, watches
// SIGINT too and sets a flag in shared memory that `requested()` reads. Node delivers `process.on` signals to the
// main thread only, so the worker opens its own libuv signal handle (Node's `signal_wrap` binding, the one
// process.on uses; libuv hands a signal to every handle of every loop). The signal is the process's, so Ctrl-C in a
// terminal (sent to the process group) and `kill -INT <pid>` (sent to glia alone) both count; an earlier version
// used a watcher process in the same group, which missed the latter. This thread's own listener (which also keeps
// the default action, ending the process at once, from happening) covers a signal that arrives while the event
// loop runs, and a Node without that binding (the worker then says so and ends: Ctrl-C counts once the run is
// over). Further Ctrl-Cs while stopping change nothing; the stop comes within STOP_EVERY steps.

import { Worker } from "node:worker_threads";

export interface Interrupt {
  /** True once Ctrl-C was pressed (or SIGINT sent to this process). */
  requested(): boolean;
  /** Settles once the watching thread listens (or could not, or after 10 s): await it before a synchronous run. */
  ready: Promise<void>;
  /** Ends the watching thread. The listener stays: a Ctrl-C while the results are written or the process ends
   *  must not kill it half way (the process is about to exit anyway). */
  dispose(): void;
}

/** The watching thread: on SIGINT it sets word 0 of the shared flag to 1; it posts whether it listens. */
const WATCHER = `
const { workerData, parentPort } = require("node:worker_threads");
const flag = new Int32Array(workerData);
let listening = false;
try {
  process.noDeprecation = true; // this thread's own process object: DEP0111 (process.binding) is expected here
  const { Signal } = process.binding("signal_wrap");
  const handle = new Signal();
  handle.onsignal = () => { Atomics.store(flag, 0, 1); };
  listening = handle.start(require("node:os").constants.signals.SIGINT) === 0;
} catch {}
parentPort.postMessage(listening);
if (!listening) parentPort.close();
`;

export function watchInterrupt(): Interrupt {
  let hit = false;
  const onSigint = (): void => {
    hit = true;
  };
  process.on("SIGINT", onSigint);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker | undefined;
  const ready = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 10000);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    try {
      worker = new Worker(WATCHER, { eval: true, workerData: flag.buffer });
      worker.on("message", done);
      worker.on("error", done); // no watching thread: Ctrl-C still counts once the event loop runs
      worker.on("exit", done);
      worker.unref();
    } catch {
      done();
    }
  });
  return {
    ready,
    requested(): boolean {
      if (!hit && Atomics.load(flag, 0) !== 0) hit = true;
      return hit;
    },
    dispose(): void {
      void worker?.terminate();
    },
  };
}
