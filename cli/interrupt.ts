// Ctrl-C during `glia run`. In: nothing (the process's SIGINT); out: `requested()`, which a target asks about every
// 1% of the run (RunOptions.shouldStop) so that the run ends there and what was recorded so far is still written.
//
// The simulation loops are synchronous, and Node runs a `process.on("SIGINT")` listener only when the event loop
// turns, which it does not until the run is over. So a small watcher process is started beside this one, in the
// same process group: the terminal sends Ctrl-C to the whole group, the watcher's listener runs at once and
// creates a flag file, and `requested()` looks for that file. This process's own listener (which also keeps the
// default action, ending the process at once, from happening) covers a signal that arrives while the event loop
// runs. Further Ctrl-Cs while stopping change nothing; the stop comes within STOP_EVERY steps.

import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Interrupt {
  /** True once Ctrl-C was pressed. */
  requested(): boolean;
  /** Settles once the watcher listens (or could not start, or after 10 s): await it before a synchronous run, so a
   *  Ctrl-C cannot reach the watcher before its listener is in place (its default action would end it). */
  ready: Promise<void>;
  /** Ends the watcher and removes the flag. The listener stays: a Ctrl-C while the results are written or the
   *  process ends must not kill it half way (the process is about to exit anyway). */
  dispose(): void;
}

/** The watcher: on SIGINT it creates the flag file; it ends when its parent does. */
const WATCHER = `
const fs = require("node:fs");
const [flag, parent] = process.argv.slice(1);
process.on("SIGINT", () => { try { fs.writeFileSync(flag, ""); } catch {} });
fs.writeFileSync(flag + ".ready", "");
setInterval(() => { try { process.kill(Number(parent), 0); } catch { process.exit(0); } }, 500);
`;

export function watchInterrupt(): Interrupt {
  let hit = false;
  const onSigint = (): void => {
    hit = true;
  };
  process.on("SIGINT", onSigint);
  const flag = path.join(os.tmpdir(), `glia-interrupt-${process.pid}-${Date.now()}`);
  let watcher: ChildProcess | undefined;
  try {
    watcher = spawn(process.execPath, ["-e", WATCHER, flag, String(process.pid)], { stdio: "ignore" });
    watcher.on("error", () => undefined); // no watcher: Ctrl-C still counts once the event loop runs
    watcher.unref();
  } catch {
    watcher = undefined;
  }
  // the watcher says it listens by creating FLAG.ready; polled with timers, so this process's listener runs meanwhile
  const ready = new Promise<void>((resolve) => {
    const t0 = Date.now();
    const poll = (): void => {
      if (!watcher || watcher.exitCode !== null || fs.existsSync(`${flag}.ready`) || Date.now() - t0 > 10000) resolve();
      else setTimeout(poll, 20);
    };
    poll();
  });
  return {
    ready,
    requested(): boolean {
      if (!hit && fs.existsSync(flag)) hit = true;
      return hit;
    },
    dispose(): void {
      watcher?.kill();
      fs.rmSync(flag, { force: true });
      fs.rmSync(`${flag}.ready`, { force: true });
    },
  };
}
