// The `--hw SPEC` option of the fixed target. In: a preset name (loihi, truenorth, reram-128,
// fpga-ultrascale) or a path to a hardware-spec JSON file; out: the FixedSpec for its word widths, or E0803
// (targets/hw/resolve.ts reads the option).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { resolveHardwareSpec } from "../hw/resolve.js";
import type { HardwareSpec } from "../hw/spec.js";
import type { FixedSpec } from "./ir.js";

/** The --hw option read by the one resolver (targets/hw/resolve.ts), with the FixedSpec of its widths. */
export function resolveHardware(hw: string): { hardware?: HardwareSpec; spec?: FixedSpec; diagnostics: Diagnostic[] } {
  const loaded = resolveHardwareSpec(hw);
  if (!loaded.spec) return { diagnostics: loaded.diagnostics };
  return { hardware: loaded.spec, spec: fixedSpecFor(loaded.spec), diagnostics: loaded.diagnostics };
}

/** The FixedSpec for a hardware spec: its state and weight widths (crossbars: periphery widths, else the
 *  ADC resolution for weights' partial sums and 16-bit state), 16-bit multipliers unless a decay width is
 *  given, a 32-bit accumulator (at most), nearest-even rounding and saturation. */
export function fixedSpecFor(hw: HardwareSpec): FixedSpec {
  const w = hw.kind === "digital" ? hw.words : (hw.periphery ?? {});
  const clamp = (x: number): number => Math.max(2, Math.min(32, x));
  const state = clamp(w.state?.value ?? 16);
  return {
    name: hw.name,
    stateBits: state,
    weightBits: clamp(w.weight?.value ?? (hw.kind === "crossbar" ? hw.cell.bitsPerCell.value : 8)),
    coefBits: clamp(w.decay?.value ?? 16),
    accBits: clamp(w.accumulator?.value ?? 32),
    rounding: "nearest-even",
    overflow: "saturate",
    headroomBits: 1,
    neuronMode: hw.kind === "digital" ? (hw.neuronMode ?? "generic") : "generic",
  };
}
