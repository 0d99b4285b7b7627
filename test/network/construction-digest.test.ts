// The drawn network stays the same when construction gets faster: a SHA-256 of the wasm layout's initial memory
// (post indices or byte deltas, 16-bit weight codes and their scales, delays' block tables, every projection) of
// fixed_total_number networks with truncated-normal weights and delays (the microcircuit's kind) and of the
// microcircuit example at scale 0.05, built on 1 thread and on 2 (worker threads drawing part of the network),
// against digests recorded before the construction was reworked (commit aeb96e3). In: the networks; out: equal
// digests (any changed synapse, weight or delay changes them).
import { describe, expect, test } from "@jest/globals";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { buildLayout, type InitWrite, type Layout } from "../../targets/wasm/layout.js";
import { ThreadPool } from "../../targets/wasm/threads.js";
import { useRowHelpers } from "../../targets/network/draws.js";
import { compileRuntime } from "../../runtime/host/load.js";
import { readRuntimeBytes } from "../../runtime/host/node-bytes.js";
import { ftnNetwork } from "../helpers/ftn-network.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

const KIND = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u16: Uint16Array, u8: Uint8Array };

/** A growable memory that applies each initial write as it comes (as the target's sink does). */
class Image {
  mem = new ArrayBuffer(1 << 16);
  write(w: InitWrite): void {
    const Ctor = KIND[w.kind];
    const end = w.addr + (w.perm ?? w.data).length * Ctor.BYTES_PER_ELEMENT;
    if (end > this.mem.byteLength) {
      const grown = new ArrayBuffer(Math.max(end + 64, 2 * this.mem.byteLength));
      new Uint8Array(grown).set(new Uint8Array(this.mem));
      this.mem = grown;
    }
    const view = new Ctor(this.mem);
    const at = w.addr / Ctor.BYTES_PER_ELEMENT;
    if (w.fill) w.fill(view, at);
    else if (w.perm) for (let x = 0; x < w.perm.length; x++) view[at + x] = w.data[w.perm[x]!]!;
    else view.set(w.data as ArrayLike<number>, at);
  }
  /** The memory up to the layout's end and the 16-bit scales, hashed. */
  digest(layout: Layout): string {
    const h = createHash("sha256").update(new Uint8Array(this.mem, 0, Math.min(layout.end, this.mem.byteLength)));
    for (const pj of layout.projs) h.update(JSON.stringify([pj.n, pj.maxDelay, pj.minDelay, [...pj.codes]]));
    return h.digest("hex").slice(0, 16);
  }
}

/** Builds the layout as the threaded wasm target does (threads - 1 worker threads as row helpers). */
function build(ir: IRProgram, seed: number, threads: number): string {
  const image = new Image();
  const pool = threads > 1 ? new ThreadPool(threads, compileRuntime(bytes())) : null;
  useRowHelpers(pool?.rowHelpers() ?? []);
  try {
    // a sink as the target's: nothing is kept in the Layout, each write is applied at once
    const layout = buildLayout(ir, seed, 10, "f32", 1024, threads, (w) => image.write(w), 16);
    return image.digest(layout);
  } finally {
    useRowHelpers([]);
    pool?.close();
  }
}

function bytes(): Uint8Array {
  const b = readRuntimeBytes();
  if (!b.ok) throw new Error(b.problem);
  return b.bytes;
}

function microcircuit(scale: number): IRProgram {
  const source = fs.readFileSync(path.join(REPO_ROOT, "examples", "microcircuit.glia"), "utf8");
  const scaled = source.replace(/let scale = 1\b/, `let scale = ${scale}`);
  const c = compile("mc.glia", memoryHost({ "mc.glia": scaled }, dirHost(REPO_ROOT)));
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.ir!;
}

/** Recorded at commit aeb96e3 (before the construction was reworked); the layouts of 1 and 2 threads differ
 *  (blocks per thread). */
const CASES: { name: string; ir: () => IRProgram; seed: number; one: string; two: string }[] = [
  {
    name: "2200-synapse rows over 20,683 posts",
    ir: () => ftnNetwork(300, 20683, 660000, 3),
    seed: 3,
    one: "15627be3176bfc8b",
    two: "014c19aa7d793b39",
  },
  {
    name: "short rows (under 24 synapses)",
    ir: () => ftnNetwork(5000, 300, 60000, 9),
    seed: 9,
    one: "f44537a294c82028",
    two: "39683f9aa04ca74e",
  },
  {
    name: "posts below 256 (one radix pass)",
    ir: () => ftnNetwork(200, 200, 300000, 4),
    seed: 4,
    one: "ca54d307f6f6130f",
    two: "a3767d67acc4fa59",
  },
  {
    name: "pre indices above 2^15 (the packed pairs' top bit)",
    ir: () => ftnNetwork(40000, 120, 300000, 5),
    seed: 5,
    one: "b6ceb339488bc4e4",
    two: "201d99bdcb1e6fba",
  },
  {
    name: "microcircuit at scale 0.1",
    ir: () => microcircuit(0.1),
    seed: 55,
    // re-recorded when the Poisson count's threshold table and scratch grew (targets/wasm/layout.ts, after aeb96e3):
    // the addresses moved, the network did not (spikes.csv of a 1.1 s run has the same SHA-256 as aeb96e3's)
    one: "bfca93dfb2a7666a",
    two: "1ea92c1fbfa7d4be",
  },
];

describe("network construction: the same network as before, bit for bit", () => {
  for (const c of CASES)
    test(`${c.name}: 1 and 2 threads give the recorded digests`, () => {
      const ir = c.ir();
      const one = build(ir, c.seed, 1);
      const two = build(ir, c.seed, 2);
      expect({ one, two }).toEqual({ one: c.one, two: c.two });
    }, 120_000);
});
