// The `--hw SPEC` option of the fixed target. In: a preset name (loihi, truenorth, reram-128,
// fpga-ultrascale) or a path to a hardware-spec JSON file; out: the FixedSpec for its word widths, or E0803.

import { readFileSync } from "node:fs";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import { loadPreset, PRESETS } from "../hw/presets.js";
import { loadHardwareSpec, type HardwareSpec } from "../hw/spec.js";
import type { FixedSpec } from "./ir.js";

export function resolveHardware(hw: string): { hardware?: HardwareSpec; spec?: FixedSpec; diagnostics: Diagnostic[] } {
  let loaded: { spec?: HardwareSpec; diagnostics: Diagnostic[] };
  if ((PRESETS as readonly string[]).includes(hw)) loaded = loadPreset(hw);
  else if (hw.endsWith(".json")) {
    let text: string;
    try {
      text = readFileSync(hw, "utf8");
    } catch (err) {
      return {
        diagnostics: [{
          code: "E0803", severity: "error", message: `cannot read hardware spec ${hw}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          span: syntheticSpan(hw), related: [], hint: `give a preset (${PRESETS.join(", ")}) or a JSON spec file`,
        }],
      };
    }
    loaded = loadHardwareSpec(text, hw);
  } else loaded = loadPreset(hw); // an unknown preset name: E0803 listing the presets
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
