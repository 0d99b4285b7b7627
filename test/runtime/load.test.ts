// The runtime host loader: shared memory, abort reporting with file:line:col, views across growth, bad bytes.
// In: the built runtime wasm; out: jest assertions.
import { describe, expect, it } from "@jest/globals";
import { loadRuntime, MemoryViews, RuntimeAbort } from "../../runtime/host/load.js";
import { loadTestRuntime, runtimeBytes } from "./fixture.js";

describe("loadRuntime", () => {
  it("uses the caller's memory and keeps its static data below heapBase", async () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const rt = await loadTestRuntime(memory);
    expect(rt.memory).toBe(memory);
    const out = rt.exports.philoxOutPtr();
    expect(out % 16).toBe(0);
    expect(rt.exports.heapBase()).toBeGreaterThan(out);
    expect(rt.exports.heapBase() % 16).toBe(0);
    rt.exports.philox(1, 2, 3, 0);
    // The words land in the caller's buffer, visible through a view made independently.
    const seen = new Uint32Array(memory.buffer, out, 4);
    expect(Array.from(seen)).toEqual(Array.from(rt.views.u32.subarray(out / 4, out / 4 + 4)));
    expect(Array.from(seen).some((w) => w !== 0)).toBe(true);
  });

  it("reports an assert inside the runtime as file:line:col through env.abort", async () => {
    const rt = await loadTestRuntime();
    const size = rt.memory.buffer.byteLength;
    let caught: unknown;
    try {
      rt.exports.fillUniform01(size - 16, 4, 1, 1, 0, 0);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RuntimeAbort);
    const abort = caught as RuntimeAbort;
    expect(abort.detail).toBe("fill range outside linear memory");
    expect(abort.where).toMatch(/^runtime\/assembly\/rng\.ts:\d+:\d+$/);
  });

  it("returns a problem, not an exception, for bytes that are not the runtime", async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const garbage = loadRuntime(new Uint8Array([0, 1, 2, 3]), memory);
    expect(garbage.ok).toBe(false);
    if (!garbage.ok) expect(garbage.problem).toMatch(/cannot instantiate the glia runtime/);
    const empty = loadRuntime(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), memory);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.problem).toMatch(/lacks exports: philoxOutPtr/);
  });

  it("is deterministic across instances sharing nothing", async () => {
    const a = await loadTestRuntime();
    const b = await loadTestRuntime();
    expect(a.exports.uniform01(5, 6, 7, 8)).toBe(b.exports.uniform01(5, 6, 7, 8));
    expect(a.exports.normal(5, 6, 7, 8)).toBe(b.exports.normal(5, 6, 7, 8));
    expect((await runtimeBytes()).byteLength).toBeGreaterThan(0);
  });
});

describe("MemoryViews", () => {
  it("re-creates views after memory growth detaches the old buffer", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const views = new MemoryViews(memory);
    const before = views.f64;
    expect(before.length).toBe(65536 / 8);
    views.f64[3] = 2.5;
    memory.grow(2);
    expect(before.length).toBe(0); // detached
    expect(views.f64.length).toBe((3 * 65536) / 8);
    expect(views.f64[3]).toBe(2.5);
    expect(views.refresh()).toBe(false);
    expect(views.u8.length).toBe(3 * 65536);
  });
});
