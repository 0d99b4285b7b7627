// The one reading of a `--hw SPEC` option, for every command and target. In: a preset name (preset-names.ts)
// or a path ending in .json; out: the validated HardwareSpec, or E0803: "unknown
// hardware preset" for a name that is no preset, "cannot read hardware spec" for a .json file (or any existing
// path, e.g. a directory) that cannot be read, with the reason (EISDIR, ELOOP, ...), and loadHardwareSpec's
// schema errors for one that does not validate.

import { existsSync, readFileSync, statSync } from "node:fs";
import { fsErrorText } from "../../compiler/syntax/node-host.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import { loadPreset, PRESETS } from "./presets.js";
import { loadHardwareSpec, type HardwareSpec } from "./spec.js";

/** How a --hw value is written, for usage messages. */
export const HW_USAGE = `PRESET|spec.json (presets: ${PRESETS.join(", ")})`;

export function resolveHardwareSpec(hw: string): { spec?: HardwareSpec; diagnostics: Diagnostic[] } {
  // a name that is no preset and no file: unknown preset, listing them
  if (PRESETS.includes(hw) || (!hw.endsWith(".json") && !existsSync(hw))) return loadPreset(hw);
  let text: string;
  try {
    if (statSync(hw).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    text = readFileSync(hw, "utf8");
  } catch (err) {
    const why = fsErrorText(err);
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
