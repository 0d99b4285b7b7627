// A pool of fuzz workers (test/fuzz/worker.mjs, on the built CLI) with a hard per-case time budget and a heap budget.
// In: a number of cases and a function giving case i (source text, the directory it stands in, whether to run it);
// out: per-case outcomes and the totals the fuzz tests assert and print: internal errors (exit 70, "internal error",
// E0701), hangs (no answer within the budget, twice: the worker is terminated and replaced, so a hang is detected,
// not waited on, and the case is tried once more on a fresh worker so a busy machine is not taken for a hang), heap
// aborts (a worker past its heap budget), and the peak heap and resident memory.
import { Worker } from "node:worker_threads";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/dir-host.js";

/** A case: `text` as an entry file in `dir`, through check, compile and (when `run`) run, or through `argv` alone. */
export type FuzzCase = { text: string; dir: string; run: boolean; label: string; argv?: string[] };
export type Outcome = {
  id: number;
  label: string;
  steps: string[];
  problem?: string;
  kind?: "internal" | "hang" | "memory";
};
export type Totals = {
  cases: number;
  internal: Outcome[];
  hangs: Outcome[];
  memory: Outcome[];
  /** How many cases reached each step's exit code, e.g. "check:0" -> 812. */
  steps: Record<string, number>;
  peakHeapMb: number;
  peakRssMb: number;
  seconds: number;
  /** Cases that ran out of time once and were tried again (a hang is a case out of time twice). */
  retried: number;
};

export type PoolOptions = { workers: number; caseMs: number; heapMb: number; root?: string };

type Reply = { id: number; steps: string[]; internal: string | null; heapMb: number };

export async function runPool(count: number, caseAt: (i: number) => FuzzCase, opt: PoolOptions): Promise<Totals> {
  const root = opt.root ?? REPO_ROOT;
  const t0 = performance.now();
  const totals: Totals = {
    cases: 0,
    internal: [],
    hangs: [],
    memory: [],
    steps: {},
    peakHeapMb: 0,
    peakRssMb: 0,
    seconds: 0,
    retried: 0,
  };
  let next = 0;
  /** Cases that ran out of time once, to try again on a fresh worker: a hang repeats, a load spike does not. */
  const again: number[] = [];
  const tried = new Set<number>();
  const pending = (): boolean => next < count || again.length > 0;
  const record = (o: Outcome): void => {
    totals.cases++;
    for (const s of o.steps) totals.steps[s] = (totals.steps[s] ?? 0) + 1;
    if (o.kind === "internal") totals.internal.push(o);
    if (o.kind === "hang") totals.hangs.push(o);
    if (o.kind === "memory") totals.memory.push(o);
  };

  /** One lane: a worker taking cases until none are left, replaced whenever a case kills or hangs it. */
  const lane = async (): Promise<void> => {
    while (pending()) {
      const worker = new Worker(path.join(REPO_ROOT, "test/fuzz/worker.mjs"), {
        workerData: { root },
        resourceLimits: { maxOldGenerationSizeMb: opt.heapMb, maxYoungGenerationSizeMb: 64 },
        stdout: true,
        stderr: true,
      });
      worker.stdout.resume();
      worker.stderr.resume();
      await new Promise<void>((resolve, reject) => {
        worker.once("message", () => resolve());
        worker.once("error", reject);
      });
      // cases on this worker until it dies
      for (;;) {
        if (!pending()) {
          await worker.terminate();
          return;
        }
        const id = again.shift() ?? next++;
        const c = caseAt(id);
        const outcome = await new Promise<Outcome>((resolve) => {
          const timer = setTimeout(() => {
            resolve({ id, label: c.label, steps: [], kind: "hang", problem: `no answer in ${opt.caseMs} ms` });
          }, opt.caseMs);
          const done = (o: Outcome): void => {
            clearTimeout(timer);
            worker.removeAllListeners("message");
            worker.removeAllListeners("error");
            worker.removeAllListeners("exit");
            resolve(o);
          };
          worker.on("message", (m: Reply) => {
            totals.peakHeapMb = Math.max(totals.peakHeapMb, m.heapMb);
            done(
              m.internal === null
                ? { id, label: c.label, steps: m.steps }
                : { id, label: c.label, steps: m.steps, kind: "internal", problem: m.internal },
            );
          });
          worker.on("error", (e: Error & { code?: string }) => {
            const memory = e.code === "ERR_WORKER_OUT_OF_MEMORY";
            done({ id, label: c.label, steps: [], kind: memory ? "memory" : "internal", problem: e.message });
          });
          worker.on("exit", (code) =>
            done({ id, label: c.label, steps: [], kind: "internal", problem: `worker exited (${code})` }),
          );
          worker.postMessage({ id, text: c.text, dir: c.dir, run: c.run, argv: c.argv });
        });
        if (outcome.kind === "hang" && !tried.has(id)) {
          tried.add(id);
          again.push(id);
          totals.retried++;
        } else record(outcome);
        totals.peakRssMb = Math.max(totals.peakRssMb, process.resourceUsage().maxRSS / 1024);
        if (outcome.kind !== undefined) {
          await worker.terminate(); // a hung or broken worker is never reused
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: opt.workers }, () => lane()));
  totals.seconds = (performance.now() - t0) / 1000;
  return totals;
}

/** One line per problem, with what replays it. */
export function describeProblems(t: Totals, limit = 20): string[] {
  return [...t.internal, ...t.hangs, ...t.memory]
    .slice(0, limit)
    .map((o) => `${o.kind} #${o.id} ${o.label}: ${o.problem}`);
}
