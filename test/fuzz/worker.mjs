// Fuzz worker (a worker thread; plain JavaScript because it runs outside jest, on the built CLI in dist/). In: messages
// { id, text, dir, run, argv? } from test/fuzz/pool.ts: a source text to place as an entry file in `dir` (other
// files are read from disk); out: one message { id, steps, internal, heapMb } per case after `glia check`, then
// `glia compile --verify` when check passes, then a bounded reference `glia run` when asked (or, given `argv`, that
// one command line, "{entry}" standing for the entry file). `internal` is the message of an exit
// 70 (runCli threw), of "internal error" on stderr or of a verifier failure (E0701); null when every step ended in
// success or diagnostics. The parent times each case and terminates this thread when one hangs.
import * as fs from "node:fs";
import * as path from "node:path";
import { parentPort, workerData } from "node:worker_threads";

const root = workerData.root;
const { runCli } = await import(path.join(root, "dist/cli/main.js"));

/** A CliIo over an in-memory entry file; everything else is read from disk (paths relative to the repository). */
function captureIo(entry, text) {
  const io = {
    stdout: "",
    stderr: "",
    isTTY: false,
    host: {
      readFile(p) {
        const full = path.isAbsolute(p) ? p : path.join(root, p);
        if (full === entry) return text;
        try {
          return fs.readFileSync(full, "utf8");
        } catch {
          return undefined;
        }
      },
    },
    out(t) {
      if (io.stdout.length < 1e6) io.stdout += t;
    },
    err(t) {
      if (io.stderr.length < 1e6) io.stderr += t;
    },
    writeFile() {},
  };
  return io;
}

/** One CLI invocation the way bin/glia.js runs it: a throw is exit 70. */
async function glia(argv, entry, text) {
  const io = captureIo(entry, text);
  try {
    const code = await runCli(argv, io);
    const verifier = /error\[E0701\][^\n]*/.exec(io.stderr);
    if (/internal error/i.test(io.stderr)) return { code, internal: io.stderr.slice(0, 400) };
    if (verifier) return { code, internal: verifier[0] };
    return { code, internal: null };
  } catch (e) {
    return {
      code: 70,
      internal: String(e?.stack ?? e)
        .split("\n")
        .slice(0, 4)
        .join(" | "),
    };
  }
}

let heapPeak = 0;
parentPort.on("message", async (c) => {
  const entry = path.join(c.dir, "__fuzz__.glia");
  const steps = [];
  let internal = null;
  const step = async (name, argv) => {
    const r = await glia(argv, entry, c.text);
    steps.push(`${name}:${r.code}`);
    if (r.internal !== null) internal = `${name}: ${r.internal}`;
    return r.code;
  };
  if (c.argv)
    await step(
      c.argv[0],
      c.argv.map((a) => (a === "{entry}" ? entry : a)),
    );
  else if ((await step("check", ["check", entry])) === 0 && internal === null) {
    const compiled = await step("compile", ["compile", entry, "--verify"]);
    if (compiled === 0 && internal === null && c.run)
      await step("run", ["run", entry, "--target", "reference", "--duration", "10ms", "--json", "--verify"]);
  }
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  parentPort.postMessage({ id: c.id, steps, internal, heapMb: heapPeak / 2 ** 20 });
});
parentPort.postMessage({ ready: true });
