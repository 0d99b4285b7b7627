// Loads the glia AssemblyScript runtime into a caller-provided WebAssembly.Memory (no Node-only API here).
// In: the runtime's wasm bytes + a WebAssembly.Memory; out: its typed exports, or a problem message.
// Also: an env.abort that reports file:line:col, and typed-array views that survive memory growth.

/** The exports of runtime/assembly (see runtime/assembly/rng.ts for semantics). u32 results come back as i32.
 *  Function-valued fields, not methods: wasm exports ignore `this`, so they may be passed around unbound. */
export interface RuntimeExports {
  philoxOutPtr: () => number;
  heapBase: () => number;
  philoxRaw: (c0: number, c1: number, c2: number, c3: number, k0: number, k1: number) => void;
  philox: (seed: number, stream: number, indexLo: number, indexHi: number) => void;
  uniform01: (seed: number, stream: number, indexLo: number, indexHi: number) => number;
  normal: (seed: number, stream: number, indexLo: number, indexHi: number) => number;
  fillUniform01: (ptr: number, n: number, seed: number, stream: number, baseLo: number, baseHi: number) => void;
  fillNormal: (ptr: number, n: number, seed: number, stream: number, baseLo: number, baseHi: number) => void;
}

const EXPORT_NAMES: readonly (keyof RuntimeExports)[] = [
  "philoxOutPtr",
  "heapBase",
  "philoxRaw",
  "philox",
  "uniform01",
  "normal",
  "fillUniform01",
  "fillNormal",
];

/** A runtime instance bound to its memory. `exports` are also importable by kernels as module "runtime". */
export interface Runtime {
  readonly memory: WebAssembly.Memory;
  readonly instance: WebAssembly.Instance;
  readonly exports: RuntimeExports;
  readonly views: MemoryViews;
}

export type LoadResult = { ok: true; runtime: Runtime } | { ok: false; problem: string };

/** Thrown by env.abort: an `assert`/`abort` inside the runtime, located as file:line:col. */
export class RuntimeAbort extends Error {
  constructor(
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${where}: ${detail}`);
    this.name = "RuntimeAbort";
  }
}

/** Typed-array views of one memory that are re-created whenever growth has replaced the buffer. */
export class MemoryViews {
  private buffer: ArrayBuffer | undefined;
  private u8v = new Uint8Array(0);
  private u16v = new Uint16Array(0);
  private u32v = new Uint32Array(0);
  private i32v = new Int32Array(0);
  private f32v = new Float32Array(0);
  private f64v = new Float64Array(0);

  constructor(readonly memory: WebAssembly.Memory) {
    this.refresh();
  }

  /** Re-creates the views if memory.grow() detached the old buffer; returns true when it did. */
  refresh(): boolean {
    const current = this.memory.buffer as ArrayBuffer;
    if (current === this.buffer) return false;
    this.buffer = current;
    this.u8v = new Uint8Array(current);
    this.u16v = new Uint16Array(current);
    this.u32v = new Uint32Array(current);
    this.i32v = new Int32Array(current);
    this.f32v = new Float32Array(current);
    this.f64v = new Float64Array(current);
    return true;
  }

  get u8(): Uint8Array {
    this.refresh();
    return this.u8v;
  }
  get u16(): Uint16Array {
    this.refresh();
    return this.u16v;
  }
  get u32(): Uint32Array {
    this.refresh();
    return this.u32v;
  }
  get i32(): Int32Array {
    this.refresh();
    return this.i32v;
  }
  get f32(): Float32Array {
    this.refresh();
    return this.f32v;
  }
  get f64(): Float64Array {
    this.refresh();
    return this.f64v;
  }
}

/** Reads an AssemblyScript string (UTF-16, byte length stored at ptr - 4) out of memory. */
export function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  const bytes = new Uint8Array(memory.buffer);
  if (ptr < 4 || ptr > bytes.length) return "";
  const byteLength = new DataView(memory.buffer).getUint32(ptr - 4, true);
  if (ptr + byteLength > bytes.length) return "";
  const units = new Uint16Array(memory.buffer.slice(ptr, ptr + (byteLength & ~1)));
  let text = "";
  for (let i = 0; i < units.length; i += 4096) {
    text += String.fromCharCode(...units.subarray(i, i + 4096));
  }
  return text;
}

/** The env.abort import AssemblyScript calls on a failed assert: throws RuntimeAbort("file:line:col", message). */
export function makeAbort(memory: WebAssembly.Memory): (msg: number, file: number, line: number, col: number) => never {
  return (msg, file, line, col) => {
    const where = `${readAsString(memory, file) || "<runtime>"}:${line >>> 0}:${col >>> 0}`;
    throw new RuntimeAbort(where, readAsString(memory, msg) || "abort");
  };
}

/** The import object the runtime needs: shared memory, abort, and the host's Math.log/cos (bit-identical to JS). */
export function runtimeImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: { memory, abort: makeAbort(memory) },
    Math: { log: Math.log, cos: Math.cos },
  };
}

let compiler = (bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module => new WebAssembly.Module(bytes);

/** How glia's own wasm (runtime, kernels) is compiled: the host may choose the engine's tiers (Node: node-compile.ts). */
export function setWasmCompiler(compile: (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module): void {
  compiler = compile;
}

/** Compiles glia's own wasm with the host's chosen compiler (default: new WebAssembly.Module). */
export function compileWasm(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module {
  return compiler(bytes);
}

const runtimeModules = new WeakMap<Uint8Array, WebAssembly.Module>();

/** The runtime bytes compiled (compileWasm), once per bytes object. */
export function compileRuntime(bytes: Uint8Array): WebAssembly.Module {
  let module = runtimeModules.get(bytes);
  if (module === undefined) {
    module = compileWasm(bytes as Uint8Array<ArrayBuffer>);
    runtimeModules.set(bytes, module);
  }
  return module;
}

/** Instantiates the runtime bytes with `memory` (synchronously: the module is small). */
export function loadRuntime(bytes: Uint8Array, memory: WebAssembly.Memory): LoadResult {
  let instance: WebAssembly.Instance;
  try {
    const module = compileRuntime(bytes);
    instance = new WebAssembly.Instance(module, runtimeImports(memory));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `cannot instantiate the glia runtime: ${message}` };
  }
  const missing = EXPORT_NAMES.filter((name) => typeof instance.exports[name] !== "function");
  if (missing.length > 0) {
    return {
      ok: false,
      problem: `the glia runtime lacks exports: ${missing.join(", ")} (rebuild it: npm run build:runtime)`,
    };
  }
  return {
    ok: true,
    runtime: {
      memory,
      instance,
      exports: instance.exports as unknown as RuntimeExports,
      views: new MemoryViews(memory),
    },
  };
}
