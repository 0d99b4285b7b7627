// The one place glia re-executes Node with memory settings. In: this process's argv, execArgv and environment;
// out: null when this process should run the command itself, else the child's outcome (its exit code, or the signal
// that ended it) once a child Node with the settings below has run the same command line.
//
// Why: the simulating commands' peak resident memory is mostly not the network (scale-0.1 microcircuit on 2 threads:
// about 20 MiB of wasm memory for 3 M synapses) but V8's heap and glibc's. Node 20 on 64-bit lets each semi-space
// grow to 16 MiB (young generation 3 x 16 MiB, per isolate: the main thread and every worker); the typed arrays of
// network construction that outlive a few young collections then wait for a major GC, which V8 puts off while the old
// generation has room to grow; and once one large array has been freed glibc serves the next ones from its heap and
// keeps those pages. All three are fixed at start-up (V8 sizes the heap when the isolate is created: setFlagsFromString
// later has no effect on it; glibc reads MALLOC_* when the process starts), hence a child:
//   --max-semi-space-size=1          young generation at most 3 MiB per isolate;
//   --heap-growing-percent=10        the old generation's limit grows 10 % after a major GC, so the next comes soon
//                                    and the construction arrays' memory is freed projection by projection;
//   MALLOC_MMAP_THRESHOLD_=131072    blocks from 128 KiB up always get their own mapping, returned to the system
//                                    when freed (setting it turns off glibc's growing threshold).
// Only `run`, `bench` and `emulate` are relaunched (the others are short and small): about 40 ms of Node start-up.
// Measured with `glia bench microcircuit-0.1` (peak RSS of the bench process): docs/internals.md, "Peak memory".
// Results are the same bit for bit (only the garbage collector's schedule changes). The child's stdio is this
// process's (a terminal stays a terminal); SIGINT, SIGTERM and SIGHUP sent to this process are passed on (a
// terminal's Ctrl-C reaches both: the run stops once either way, see interrupt.ts); the child's exit code is this
// process's, and a child ended by a signal ends this process by the same signal. The child removes
// MALLOC_MMAP_THRESHOLD_ from its environment, so the peers the bench starts (NEST, Brian2) run with their defaults.
// A --max-semi-space-size given to Node by the user is kept (no relaunch).

import { spawn } from "node:child_process";
import { constants } from "node:os";

/** Commands that build and simulate networks (the others are short, their peaks small). */
const RELAUNCHED = new Set(["run", "bench", "emulate"]);
const SEMI_SPACE = "--max-semi-space-size=1";
const HEAP_GROWING = "--heap-growing-percent=10";
const MALLOC = "MALLOC_MMAP_THRESHOLD_";
const MALLOC_VALUE = "131072";
/** Set in the child's environment: its --max-semi-space-size is glia's, not one a user chose. */
const MARK = "GLIA_RELAUNCHED";
const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export type RelaunchOutcome = { code: number } | { signal: NodeJS.Signals };

/** Whether `glia argv...` should run in a child Node with the memory settings. A glia process that a relaunched
 *  glia started (bench's per-configuration processes) inherits the flag but not the malloc setting: it is relaunched
 *  again, so that it runs with both. */
export function wantsRelaunch(argv: readonly string[], execArgv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (!RELAUNCHED.has(argv[0] ?? "")) return false;
  const semi = [...execArgv, ...(env.NODE_OPTIONS ?? "").split(/\s+/)].some((a) =>
    a.startsWith("--max-semi-space-size"),
  );
  // a semi-space size chosen by whoever started Node is kept as it is
  if (semi && env[MARK] !== "1") return false;
  return !(semi && env[MALLOC] === MALLOC_VALUE);
}

/** In the child: forget the malloc setting (glibc has read it) so the processes it starts do not inherit it. */
export function forgetRelaunchEnv(env: NodeJS.ProcessEnv = process.env): void {
  if (env[MARK] === "1" && env[MALLOC] === MALLOC_VALUE) delete env[MALLOC];
}

/**
 * Runs `node <execArgv> --max-semi-space-size=1 --heap-growing-percent=10 <entry> <argv>` when wantsRelaunch, resolving to its outcome; null
 * when this process runs the command itself.
 */
export function relaunch(entry: string, argv: readonly string[]): Promise<RelaunchOutcome> | null {
  if (!wantsRelaunch(argv, process.execArgv, process.env)) return null;
  const env = { ...process.env, [MARK]: "1", [MALLOC]: MALLOC_VALUE };
  const flags = [...process.execArgv, ...[SEMI_SPACE, HEAP_GROWING].filter((f) => !process.execArgv.includes(f))];
  const child = spawn(process.execPath, [...flags, entry, ...argv], { stdio: "inherit", env });
  const pass = (signal: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const s of FORWARDED) process.on(s, pass);
  return new Promise((resolve) => {
    child.on("error", (e) => {
      process.stderr.write(`glia: could not start ${process.execPath}: ${e.message}\n`);
      resolve({ code: 70 });
    });
    child.on("exit", (code, signal) => {
      for (const s of FORWARDED) process.off(s, pass);
      resolve(signal !== null ? { signal } : { code: code ?? 70 });
    });
  });
}

/** Ends this process as the child ended: the same exit code, or the same signal. */
export function endLike(outcome: RelaunchOutcome): void {
  if ("code" in outcome) process.exit(outcome.code);
  process.kill(process.pid, outcome.signal);
  // a signal whose default action does not end the process (or one this platform cannot send): its shell code
  setTimeout(() => process.exit(128 + (constants.signals[outcome.signal] ?? 0)), 1000);
}
