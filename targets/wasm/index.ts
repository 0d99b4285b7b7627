// The WebAssembly SIMD target. In: a discrete IRProgram (+ RunOptions); out: a RunResult, or diagnostic
// E0801 for what it cannot run, E0806 when a state variable becomes infinite or NaN, E0807 (before anything is
// allocated) past the step, element or memory limits; `emitWat(ir)` prints the
// kernel module as WebAssembly text.
// Precision "f32" (default, f32x4 lanes) or "f64" (scalar doubles, for comparison with the reference).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { networkSpan, projectionSpan } from "../../compiler/ir/spans.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult, Target } from "../target.js";
import { TargetError } from "../target.js";
import { simulateWasm } from "./host-run.js";
import type { Precision } from "./lanes.js";
import { buildLayout } from "./layout.js";
import { buildKernelModule } from "./lower-step.js";
import { NonFiniteError, nonFiniteDiagnostic } from "../schedule/guard.js";
import { resourceDiagnostics } from "../network/budget.js";
import type { Quantized } from "./weight-codes.js";

/** wasm32 memory holds at most 4 GiB. */
const WASM_MEMORY_BYTES = 2 ** 32;

function targetDiagnostic(program: IRProgram, name: string, err: TargetError): Diagnostic {
  return {
    code: err.code ?? "E0801",
    severity: "error",
    message: `${name} target: ${err.message}`,
    span: err.span ?? networkSpan(program),
    related: [],
    hint: err.hint,
  };
}

export function makeWasmTarget(precision: Precision): Target {
  const name = precision === "f32" ? "wasm" : "wasm-f64";
  return {
    name,
    run(program: IRProgram, options: RunOptions): { result?: RunResult; diagnostics: Diagnostic[] } {
      const tooBig = resourceDiagnostics(program, options, WASM_MEMORY_BYTES);
      if (tooBig.length > 0) return { diagnostics: tooBig };
      try {
        const ran = simulateWasm(program, options, precision);
        return { result: ran.result, diagnostics: quantizationWarnings(program, name, options, ran.info.quantized) };
      } catch (err) {
        if (err instanceof NonFiniteError) {
          const d = nonFiniteDiagnostic(program, err, name);
          if (options.numericGuard !== "warn") return { diagnostics: [d] };
          const again = simulateWasm(program, { ...options, numericGuard: false }, precision).result;
          return { result: again, diagnostics: [{ ...d, severity: "warning" }] };
        }
        if (!(err instanceof TargetError)) throw err; // a bug in the target, not a user error
        return { diagnostics: [targetDiagnostic(program, name, err)] };
      }
    },
  };
}

/** W1015 per quantized parameter, with its numbers; one W1015 when 16 bits were asked for and nothing qualified. */
function quantizationWarnings(
  program: IRProgram,
  name: string,
  options: RunOptions,
  quantized: readonly Quantized[],
): Diagnostic[] {
  if (options.weightBits === undefined) return [];
  const g = (x: number): string => x.toPrecision(4);
  const out: Diagnostic[] = quantized.map((q) => ({
    code: "W1015",
    severity: "warning",
    message:
      `${name} target: ${q.projection}.${q.parameter} stored in 16 bits over [${g(q.lo)}, ${g(q.hi)}] (SI units), ` +
      `LSB ${g(q.lsb)}: max absolute error ${g(q.maxAbsError)}, max relative error ${g(q.maxRelError)} ` +
      `over ${q.synapses} synapses`,
    span: projectionSpan(program, q.projection),
    related: [],
    hint: "drop --weight-bits 16 to keep every value in the run's precision",
  }));
  if (out.length === 0)
    out.push({
      code: "W1015",
      severity: "warning",
      message: `${name} target: --weight-bits 16 applies to nothing: no projection has a per-synapse parameter (drawn or listed per synapse) outside a synapse monitor; every value keeps the run's precision`,
      span: networkSpan(program),
      related: [],
      hint: "drop --weight-bits 16",
    });
  return out;
}

/** f32x4 SIMD kernels (the everyday target). */
export const wasmTarget: Target = makeWasmTarget("f32");
/** Scalar float64 kernels: agrees with the reference target spike for spike. */
export const wasmF64Target: Target = makeWasmTarget("f64");

/**
 * The kernel module of `ir` as WebAssembly text (optimized), for `glia compile FILE --emit wat`.
 * Problems (constructs the target cannot lower) go to `diagnostics` and the result is then "".
 * Addresses in the text assume a runtime heap base of `heapBase` (the target itself lays memory out
 * from the loaded runtime's real heap base).
 */
export function emitWat(
  ir: IRProgram,
  diagnostics: Diagnostic[] = [],
  precision: Precision = "f32",
  heapBase = 1024,
): string {
  try {
    const layout = buildLayout(ir, ir.seed >>> 0, ir.steps, precision, heapBase);
    const { module } = buildKernelModule(ir, layout);
    try {
      const problems = module.validate();
      if (problems.length > 0) throw new Error(`internal: the wasm kernels do not validate:\n${problems.join("\n")}`);
      module.optimize(3, 0);
      return module.emitText();
    } finally {
      module.dispose();
    }
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    diagnostics.push(targetDiagnostic(ir, "wasm", err));
    return "";
  }
}
