// The hardware presets shipped with glia (targets/hw/presets/*.json; the names: preset-names.ts). In: a preset
// name; out: the JSON text and the validated spec (through loadHardwareSpec).

import { readFileSync } from "node:fs";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import { loadHardwareSpec, type HardwareSpec } from "./spec.js";

import { PRESETS, presetsDir } from "./preset-names.js";

export { PRESETS };

export function presetText(name: string): string {
  return readFileSync(`${presetsDir()}${name}.json`, "utf8");
}

export function loadPreset(name: string): { spec?: HardwareSpec; diagnostics: Diagnostic[] } {
  if (!PRESETS.includes(name)) {
    return {
      diagnostics: [
        {
          code: "E0803",
          severity: "error",
          message: `unknown hardware preset "${name}"`,
          span: syntheticSpan("<preset>"),
          related: [],
          hint: `presets: ${PRESETS.join(", ")}`,
        },
      ],
    };
  }
  return loadHardwareSpec(presetText(name), `${name}.json`);
}
