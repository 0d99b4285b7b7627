// The `--hw SPEC` option of the fixed target. In: a preset name (loihi, truenorth, reram-128,
// fpga-ultrascale) or a path to a hardware-spec JSON file; out: the FixedSpec for its word widths, or E0803.

import { readFileSync } from "node:fs";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import { loadPreset, PRESETS } from "../hw/presets.js";
import { fixedSpecFor, loadHardwareSpec, type HardwareSpec } from "../hw/spec.js";
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
