// The one reading of a `--hw SPEC` option, for every command and target. In: a preset name (preset-names.ts)
// or a path ending in .json; out: the validated HardwareSpec, or E0803: "unknown
// hardware preset" for a name that is no preset, "cannot read hardware spec" for a .json file that cannot be
// read, and loadHardwareSpec's schema errors for one that does not validate.

import { readFileSync } from "node:fs";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import { loadPreset, PRESETS } from "./presets.js";
import { loadHardwareSpec, type HardwareSpec } from "./spec.js";

/** How a --hw value is written, for usage messages. */
export const HW_USAGE = `PRESET|spec.json (presets: ${PRESETS.join(", ")})`;

export function resolveHardwareSpec(hw: string): { spec?: HardwareSpec; diagnostics: Diagnostic[] } {
  if (PRESETS.includes(hw) || !hw.endsWith(".json")) return loadPreset(hw); // else: unknown preset, listing them
  let text: string;
  try {
    text = readFileSync(hw, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return {
      diagnostics: [
        {
          code: "E0803",
          severity: "error",
          message: `cannot read hardware spec ${hw}: ${why}`,
          span: syntheticSpan(hw),
          related: [],
          hint: `give a preset (${PRESETS.join(", ")}) or a readable spec .json file`,
        },
      ],
    };
  }
  return loadHardwareSpec(text, hw);
}
