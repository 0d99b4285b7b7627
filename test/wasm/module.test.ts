// targets/wasm/module.ts end to end: a tiny f32x4 kernel built through the wrapper, run in the same
// WebAssembly.Memory as the AssemblyScript runtime, checked against plain JS; validation and text output.
import { describe, expect, it, beforeAll } from "@jest/globals";
import { WasmModule, kernelPasses, valType, type Expr } from "../../targets/wasm/module.js";
import type { Runtime } from "../../runtime/host/load.js";
import { uniform01 } from "../../targets/network/rng.js";
import { loadTestRuntime } from "../runtime/fixture.js";

/** Adds `decay(vPtr, iPtr, n, d)`: v[i] = v[i]*d + I[i] over f32 arrays, f32x4 main loop + scalar tail. */
function addDecayKernel(m: WasmModule): void {
  const ir = m.ir;
  const [V, I, N, D, IDX, END, DV] = [0, 1, 2, 3, 4, 5, 6];
  const get = (index: number): Expr =>
    ir.local.get(index, valType(index === D ? "f32" : index === DV ? "v128" : "i32"));
  const at = (base: number): Expr => ir.i32.add(get(base), get(IDX));
  const body = ir.block(null, [
    ir.local.set(DV, ir.f32x4.splat(get(D))),
    ir.local.set(END, ir.i32.shl(ir.i32.and(get(N), ir.i32.const(~3)), ir.i32.const(2))),
    ir.local.set(IDX, ir.i32.const(0)),
    ir.block("vdone", [
      ir.loop(
        "vloop",
        ir.block(null, [
          ir.br("vdone", ir.i32.ge_u(get(IDX), get(END))),
          ir.v128.store(
            0,
            16,
            at(V),
            ir.f32x4.add(ir.f32x4.mul(ir.v128.load(0, 16, at(V)), get(DV)), ir.v128.load(0, 16, at(I))),
          ),
          ir.local.set(IDX, ir.i32.add(get(IDX), ir.i32.const(16))),
          ir.br("vloop"),
        ]),
      ),
    ]),
    ir.local.set(END, ir.i32.shl(get(N), ir.i32.const(2))),
    ir.block("sdone", [
      ir.loop(
        "sloop",
        ir.block(null, [
          ir.br("sdone", ir.i32.ge_u(get(IDX), get(END))),
          ir.f32.store(0, 4, at(V), ir.f32.add(ir.f32.mul(ir.f32.load(0, 4, at(V)), get(D)), ir.f32.load(0, 4, at(I)))),
          ir.local.set(IDX, ir.i32.add(get(IDX), ir.i32.const(4))),
          ir.br("sloop"),
        ]),
      ),
    ]),
  ]);
  m.addFunction({
    name: "decay",
    params: ["i32", "i32", "i32", "f32"],
    result: "none",
    locals: ["i32", "i32", "v128"],
    body,
    export: true,
  });
}

/** Adds `noise(iPtr, n, seed, stream)`: I[e] = f32(uniform01(seed, stream, e)) through the imported runtime. */
function addNoiseKernel(m: WasmModule): void {
  const ir = m.ir;
  m.importFunction({
    name: "uniform01",
    module: "runtime",
    base: "uniform01",
    params: ["i32", "i32", "i32", "i32"],
    result: "f64",
  });
  const [P, N, SEED, STREAM, E] = [0, 1, 2, 3, 4];
  const i32 = (index: number): Expr => ir.local.get(index, valType("i32"));
  const draw = ir.call("uniform01", [i32(SEED), i32(STREAM), i32(E), ir.i32.const(0)], valType("f64"));
  const body = ir.block(null, [
    ir.local.set(E, ir.i32.const(0)),
    ir.block("done", [
      ir.loop(
        "next",
        ir.block(null, [
          ir.br("done", ir.i32.ge_u(i32(E), i32(N))),
          ir.f32.store(0, 4, ir.i32.add(i32(P), ir.i32.shl(i32(E), ir.i32.const(2))), ir.f32.demote(draw)),
          ir.local.set(E, ir.i32.add(i32(E), ir.i32.const(1))),
          ir.br("next"),
        ]),
      ),
    ]),
  ]);
  m.addFunction({
    name: "noise",
    params: ["i32", "i32", "i32", "i32"],
    result: "none",
    locals: ["i32"],
    body,
    export: true,
  });
}

interface Kernels {
  decay(vPtr: number, iPtr: number, n: number, d: number): void;
  noise(iPtr: number, n: number, seed: number, stream: number): void;
}

function buildKernels(optimize: boolean): { bytes: Uint8Array<ArrayBuffer>; text: string; problems: string[] } {
  const m = new WasmModule();
  try {
    addDecayKernel(m);
    addNoiseKernel(m);
    const problems = m.validate();
    if (optimize) problems.push(...m.optimize());
    return { bytes: m.emitBinary(), text: m.emitText(), problems };
  } finally {
    m.dispose();
  }
}

function instantiate(bytes: Uint8Array<ArrayBuffer>, rt: Runtime): Kernels {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { memory: rt.memory },
    runtime: rt.exports as unknown as WebAssembly.ModuleImports,
  });
  return instance.exports as unknown as Kernels;
}

const align16 = (x: number): number => (x + 15) & ~15;

let rt: Runtime;
beforeAll(async () => {
  rt = await loadTestRuntime(new WebAssembly.Memory({ initial: 1 }));
});

describe("WasmModule", () => {
  for (const optimize of [false, true]) {
    it(`decay kernel (f32x4 + tail) equals plain JS float32 math${optimize ? " after optimize" : ""}`, () => {
      const built = buildKernels(optimize);
      expect(built.problems).toEqual([]);
      const k = instantiate(built.bytes, rt);
      const n = 1003; // 250 vector blocks + 3 tail elements
      const vPtr = align16(rt.exports.heapBase());
      const iPtr = align16(vPtr + n * 4);
      const need = iPtr + n * 4;
      if (rt.memory.buffer.byteLength < need) rt.memory.grow(Math.ceil((need - rt.memory.buffer.byteLength) / 65536));
      const v0 = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.07 - 0.065);
      const input = Float32Array.from({ length: n }, (_, i) => (i % 17) * 1e-3);
      rt.views.f32.set(v0, vPtr / 4);
      rt.views.f32.set(input, iPtr / 4);
      const decay = Math.fround(Math.exp(-0.1 / 20));
      const expected = Float32Array.from(v0);
      for (let step = 0; step < 10; step++) {
        k.decay(vPtr, iPtr, n, decay);
        for (let i = 0; i < n; i++) expected[i] = Math.fround(Math.fround(expected[i]! * decay) + input[i]!);
      }
      const got = rt.views.f32.subarray(vPtr / 4, vPtr / 4 + n);
      expect(Array.from(got)).toEqual(Array.from(expected));
      // The runtime's static data below heapBase is untouched by the kernel.
      rt.exports.philoxRaw(0, 0, 0, 0, 0, 0);
      expect(rt.views.u32[rt.exports.philoxOutPtr() / 4]).toBe(0x6627e8d5);
    });
  }

  it("kernels call the runtime's RNG across modules over one memory, also after memory growth", () => {
    const k = instantiate(buildKernels(true).bytes, rt);
    const n = 257;
    const stream = 0x5eed5eed;
    const ptr = align16(rt.exports.heapBase());
    k.noise(ptr, n, 42, stream);
    const want = Array.from({ length: n }, (_, e) => Math.fround(uniform01(42, stream, e)));
    expect(Array.from(rt.views.f32.subarray(ptr / 4, ptr / 4 + n))).toEqual(want);
    const pagesBefore = rt.memory.buffer.byteLength / 65536;
    rt.memory.grow(1);
    const far = pagesBefore * 65536 + 64;
    k.noise(far, n, 42, stream);
    expect(Array.from(rt.views.f32.subarray(far / 4, far / 4 + n))).toEqual(want);
  });

  it("imports env.memory without a maximum and prints SIMD in the text form", () => {
    const { text, bytes, problems } = buildKernels(false);
    expect(problems).toEqual([]);
    expect(text).toMatch(/\(import "env" "memory" \(memory \$memory 1\)\)/);
    expect(text).toContain("f32x4.mul");
    expect(text).toContain('(import "runtime" "uniform01"');
    expect(text).toContain('(export "decay"');
    expect(WebAssembly.validate(bytes)).toBe(true);
    const mod = new WebAssembly.Module(bytes);
    expect(
      WebAssembly.Module.imports(mod)
        .map((i) => `${i.module}.${i.name}:${i.kind}`)
        .sort(),
    ).toEqual(["env.memory:memory", "runtime.uniform01:function"]);
  });

  it("optimize shrinks the kernel and keeps it valid", () => {
    const plain = buildKernels(false);
    const optimized = buildKernels(true);
    expect(optimized.bytes.byteLength).toBeLessThan(plain.bytes.byteLength);
    expect(WebAssembly.validate(optimized.bytes)).toBe(true);
    expect(kernelPasses()).toContain("licm");
  });

  it("validate returns problems for an ill-typed function instead of throwing", () => {
    const m = new WasmModule();
    try {
      m.addFunction({
        name: "bad",
        params: ["f32"],
        result: "i32",
        body: m.ir.local.get(0, valType("f32")),
        export: true,
      });
      const problems = m.validate();
      expect(problems.length).toBeGreaterThan(0);
      // Optimizing is refused (binaryen's passes would assert on the bad IR and poison the process).
      expect(m.optimize().length).toBeGreaterThan(0);
    } finally {
      m.dispose();
      m.dispose(); // idempotent
    }
  });

  it("validate reports a call to a function that does not exist", () => {
    const m = new WasmModule();
    try {
      m.addFunction({ name: "f", params: [], result: "none", body: m.ir.call("missing", [], valType("none")) });
      expect(m.validate().length).toBeGreaterThan(0);
    } finally {
      m.dispose();
    }
  });
});
