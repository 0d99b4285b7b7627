// The project's one binaryen.js wrapper: a typed, small API for building wasm modules (SIMD128 enabled,
// memory imported as env.memory: without maximum, or shared with a maximum for threads). In: functions/imports/exports built with `ir`;
// out: validation problems (never thrown), optimized module, WAT text, binary bytes.
import binaryen from "binaryen";

/** Wasm value types the lowering uses. */
export type ValType = "i32" | "i64" | "f32" | "f64" | "v128";
/** A binaryen expression handle. */
export type Expr = binaryen.ExpressionRef;
/** The expression builder (binaryen.Module) behind WasmModule.ir: `ir.f32x4.mul(a, b)`, `ir.local.get(0, valType("i32"))`.
 *  Note `ir.f32` etc. are builder namespaces, not types: types come from valType(). */
export type ExprBuilder = binaryen.Module;

/** One function to add: params are locals 0..params.length-1, `locals` follow. */
export interface FunctionSpec {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly result: ValType | "none";
  readonly locals?: readonly ValType[];
  readonly body: Expr;
  /** Export under this name (true = the function's own name). */
  readonly export?: string | boolean;
}

/** A function the module imports (e.g. the runtime's `uniform01` from module "runtime"). */
export interface ImportSpec {
  readonly name: string;
  readonly module: string;
  readonly base: string;
  readonly params: readonly ValType[];
  readonly result: ValType | "none";
}

export interface ModuleOptions {
  /** Minimum pages the imported memory must have (64 KiB each). Default 1. */
  readonly initialPages?: number;
  /** Import a shared memory (threads, atomics) with this maximum (pages); undefined = plain memory. */
  readonly sharedMaximumPages?: number;
}

/** Name of the imported memory inside the module (binaryen's memory operands default to the only memory). */
const MEMORY_NAME = "memory";

/** Maps our value-type names to binaryen types. */
export function valType(t: ValType | "none"): binaryen.Type {
  switch (t) {
    case "i32":
      return binaryen.i32;
    case "i64":
      return binaryen.i64;
    case "f32":
      return binaryen.f32;
    case "f64":
      return binaryen.f64;
    case "v128":
      return binaryen.v128;
    case "none":
      return binaryen.none;
  }
}

/**
 * The pass list for glia kernels (element loops over SoA arrays in f32x4 lanes), in order:
 * the lowering emits one block per IR statement and plain local traffic, so first tidy structure,
 * then fold constants, then remove redundancy inside loop bodies, then hoist, then clean up locals.
 */
export function kernelPasses(): readonly string[] {
  return [
    "remove-unused-names", // drop block labels nothing branches to, so blocks can merge
    "merge-blocks", // flatten the per-statement blocks of the lowering
    "precompute", // fold constant subexpressions (e.g. exp(-dt/tau) decays given as literals)
    "optimize-instructions", // peepholes: strength reduction, fold address adds into load/store offsets
    "local-cse", // reuse repeated loads and address computations within a loop body
    "licm", // hoist loop-invariant splats and constants out of the element loop
    "simplify-locals", // sink single-use locals into their use; introduce tees
    "vacuum", // remove nops and dropped pure values left behind
    "remove-unused-brs", // turn branch-to-end patterns into ifs/selects
    "coalesce-locals", // share local slots between non-overlapping lifetimes
    "reorder-locals", // most-used locals first (smaller encoding)
    "dce", // remove code after unconditional branches/traps
    "vacuum",
  ];
}

/** A module under construction. Call dispose() when done (binaryen memory is not garbage-collected). */
export class WasmModule {
  /** Expression builder: every expression of a function body is made through this. */
  readonly ir: ExprBuilder;
  private disposed = false;

  constructor(options: ModuleOptions = {}) {
    this.ir = new binaryen.Module();
    this.ir.setFeatures(
      binaryen.Features.MVP |
        binaryen.Features.SIMD128 |
        binaryen.Features.MutableGlobals |
        binaryen.Features.SignExt |
        binaryen.Features.NontrappingFPToInt |
        binaryen.Features.BulkMemory |
        binaryen.Features.BulkMemoryOpt | // memory.fill (zeroing inputs every step) needs BulkMemoryOpt too
        (options.sharedMaximumPages !== undefined ? binaryen.Features.Atomics : 0),
    );
    // Maximum -1 = none: a JS WebAssembly.Memory created without a maximum links only against that.
    // A shared memory needs a maximum; the JS memory's maximum must not exceed it.
    const shared = options.sharedMaximumPages !== undefined;
    this.ir.setMemory(
      options.initialPages ?? 1,
      shared ? options.sharedMaximumPages! : -1,
      null,
      [],
      shared,
      false,
      MEMORY_NAME,
    );
    this.ir.addMemoryImport(MEMORY_NAME, "env", "memory");
  }

  addFunction(spec: FunctionSpec): void {
    const params = binaryen.createType(spec.params.map(valType));
    this.ir.addFunction(spec.name, params, valType(spec.result), (spec.locals ?? []).map(valType), spec.body);
    if (spec.export !== undefined && spec.export !== false) {
      this.addExport(spec.name, spec.export === true ? spec.name : spec.export);
    }
  }

  /** Imports an immutable i32 global (e.g. the thread id, module "glia", base "tid"). */
  importGlobalI32(name: string, module: string, base: string): void {
    this.ir.addGlobalImport(name, module, base, binaryen.i32, false);
  }

  importFunction(spec: ImportSpec): void {
    this.ir.addFunctionImport(
      spec.name,
      spec.module,
      spec.base,
      binaryen.createType(spec.params.map(valType)),
      valType(spec.result),
    );
  }

  addExport(internalName: string, externalName: string): void {
    this.ir.addFunctionExport(internalName, externalName);
  }

  /**
   * Binaryen's validator, then the engine's own (WebAssembly.validate on the emitted bytes).
   * Returns the problems found, [] when valid. Binaryen prints its findings through the console it
   * saw at load time; where that reaches process.stderr they are captured into the list instead.
   */
  validate(): string[] {
    const problems = this.binaryenProblems();
    if (problems.length > 0) return problems;
    const bytes = this.emitBinary();
    if (WebAssembly.validate(bytes)) return [];
    try {
      new WebAssembly.Module(bytes);
      return ["the engine rejected the module"];
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)];
    }
  }

  /** Binaryen's validator alone (emitting or optimizing an invalid module can abort binaryen for good). */
  private binaryenProblems(): string[] {
    const printed: string[] = [];
    const stderr = (globalThis as { process?: { stderr?: { write: (chunk: unknown) => boolean } } }).process?.stderr;
    const original = stderr?.write;
    if (stderr !== undefined && original !== undefined) {
      stderr.write = (chunk: unknown): boolean => {
        printed.push(String(chunk));
        return true;
      };
    }
    let ok: boolean;
    try {
      ok = this.ir.validate() !== 0;
    } finally {
      if (stderr !== undefined && original !== undefined) stderr.write = original;
    }
    if (ok) return [];
    const text = printed.join("").trim();
    if (text === "") return ["binaryen validation failed (binaryen printed the details to the console)"];
    return text.split(/\n(?=\[)/).map((s) => s.trim());
  }

  /**
   * Runs kernelPasses() at the given optimize/shrink levels (global binaryen settings, restored after).
   * An invalid module is not optimized (binaryen's passes assert on bad IR): its problems are returned.
   */
  optimize(optimizeLevel = 3, shrinkLevel = 0): string[] {
    const problems = this.binaryenProblems();
    if (problems.length > 0) return problems;
    const previousOptimize = binaryen.getOptimizeLevel();
    const previousShrink = binaryen.getShrinkLevel();
    binaryen.setOptimizeLevel(optimizeLevel);
    binaryen.setShrinkLevel(shrinkLevel);
    try {
      this.ir.runPasses(kernelPasses());
    } finally {
      binaryen.setOptimizeLevel(previousOptimize);
      binaryen.setShrinkLevel(previousShrink);
    }
    return [];
  }

  /** The module as WebAssembly text (binaryen's s-expression printer). */
  emitText(): string {
    return this.ir.emitText();
  }

  /** The module as wasm bytes, ready for `new WebAssembly.Module(...)`. */
  emitBinary(): Uint8Array<ArrayBuffer> {
    return this.ir.emitBinary() as Uint8Array<ArrayBuffer>;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ir.dispose();
  }
}
