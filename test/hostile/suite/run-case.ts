// Runs one hostile-suite case and reduces its answer to one comparable line. In: a source case (in-memory files,
// captureIo) or a disk case (real files in its own directory, the Node io), or any case through the built binary
// (bin/glia.js, a child process with a time limit); out: the exit code, the outcome line ("1 E0101 E0116": the exit
// code, then the distinct error codes in order of first appearance; for exit 2 the usage message), the stderr and
// the wall time. An exception out of runCli is what bin/glia.js reports as an internal error: exit 70 here too.
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { runCli } from "../../../cli/main.js";
import { nodeIo, type CliIo } from "../../../cli/io.js";
import { captureIo } from "../../helpers/cli-io.js";
import { REPO_ROOT } from "../../helpers/dir-host.js";
import type { SourceCase } from "./source-cases.js";
import type { DiskCase } from "./disk-cases.js";

/** `cpuMs`: CPU time of this process during an in-process case (a loaded machine does not inflate it); the wall
 *  time for a case through the binary. */
export type Result = { exit: number; outcome: string; stderr: string; cpuMs: number };

function cpuSince(t0: NodeJS.CpuUsage): number {
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}

/** The outcome line of an answer; `dir` (a case's own directory) is written <dir> so lines do not vary by run. */
export function outcomeLine(exit: number, stderr: string, dir?: string): string {
  const text = dir ? stderr.split(dir).join("<dir>") : stderr;
  if (exit === 2) {
    const first = text.split("\n").find((l) => l.trim() !== "") ?? "";
    return `2 ${first.length > 100 ? `${first.slice(0, 100)}...` : first}`;
  }
  const codes = [...new Set([...text.matchAll(/error\[(E\d{4})\]/g)].map((m) => m[1]!))];
  return [String(exit), ...codes.slice(0, 6)].join(" ");
}

async function guarded(argv: string[], io: CliIo): Promise<{ exit: number; internal?: string }> {
  try {
    return { exit: await runCli(argv, io) };
  } catch (e) {
    return { exit: 70, internal: (e as Error).stack ?? String(e) };
  }
}

export async function runSourceCase(c: SourceCase): Promise<Result> {
  const io = captureIo(c.files);
  const t0 = process.cpuUsage();
  const r = await guarded(c.argv, io);
  const stderr = r.internal !== undefined ? `glia: internal error: ${r.internal}` : io.stderr;
  return { exit: r.exit, outcome: outcomeLine(r.exit, stderr), stderr, cpuMs: cpuSince(t0) };
}

/** A fresh directory for a disk case (made under `root`), laid out by the case. */
export function prepare(c: DiskCase, root: string, index: number): string {
  const dir = path.join(root, `c${index}`);
  fs.mkdirSync(dir, { recursive: true });
  c.setup(dir);
  return dir;
}

export async function runDiskCase(c: DiskCase, dir: string): Promise<Result> {
  let out = "";
  let err = "";
  const io: CliIo = { ...nodeIo(), out: (t) => void (out += t), err: (t) => void (err += t) };
  const t0 = process.cpuUsage();
  const r = await guarded(c.argv(dir), io);
  const stderr = r.internal !== undefined ? `glia: internal error: ${r.internal}` : err;
  void out;
  return { exit: r.exit, outcome: outcomeLine(r.exit, stderr, dir), stderr, cpuMs: cpuSince(t0) };
}

/** The case through bin/glia.js in `cwd` (in-memory files written there first), with a hard time limit. */
export function runBinary(
  argv: string[],
  cwd: string,
  files: Record<string, string> = {},
  timeoutMs = 120_000,
): Result {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(cwd, f)), { recursive: true });
    fs.writeFileSync(path.join(cwd, f), text);
  }
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin/glia.js"), ...argv], {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 2 ** 20,
  });
  const exit = r.status ?? (r.signal === "SIGTERM" ? -1 : -2); // -1: killed at the time limit (a hang)
  const why =
    r.status === null
      ? `${r.signal ?? ""} ${r.error?.message ?? ""} after ${(performance.now() - t0).toFixed(0)} ms\n`
      : "";
  return { exit, outcome: outcomeLine(exit, r.stderr, cwd), stderr: why + r.stderr, cpuMs: performance.now() - t0 };
}
