// The hardware presets shipped with glia (targets/hw/presets/*.json). In: a preset name; out: the JSON text
// and the validated spec (through loadHardwareSpec).

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan } from "../../compiler/diagnostics/span.js";
import { loadHardwareSpec, type HardwareSpec } from "./spec.js";

export const PRESETS = ["loihi", "truenorth", "reram-128", "fpga-ultrascale"] as const;
export type PresetName = (typeof PRESETS)[number];

/** The presets directory: next to this file in the sources, or the sources' copy when running from dist/. */
function presetsDir(): string {
  const here = new URL("./presets/", import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return fileURLToPath(new URL("../../../targets/hw/presets/", import.meta.url));
}

export function presetText(name: PresetName): string {
  return readFileSync(`${presetsDir()}${name}.json`, "utf8");
}

export function loadPreset(name: string): { spec?: HardwareSpec; diagnostics: Diagnostic[] } {
  if (!(PRESETS as readonly string[]).includes(name)) {
    return {
      diagnostics: [{
        code: "E0803", severity: "error", message: `unknown hardware preset "${name}"`, span: syntheticSpan("<preset>"),
        related: [], hint: `presets: ${PRESETS.join(", ")}`,
      }],
    };
  }
  return loadHardwareSpec(presetText(name as PresetName), `${name}.json`);
}
