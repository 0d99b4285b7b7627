// The names of the hardware presets shipped with glia: every targets/hw/presets/NAME.json, so adding a preset is
// adding its file. In: nothing; out: the directory and the names (sorted). No JSON is read or validated here
// (presets.ts does that), so the CLI can list the names in its help without loading the schema validator.

import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The presets directory: next to this file in the sources, or the sources' copy when running from dist/. */
export function presetsDir(): string {
  const here = new URL("./presets/", import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return fileURLToPath(new URL("../../../targets/hw/presets/", import.meta.url));
}

export const PRESETS: readonly string[] = readdirSync(presetsDir())
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -".json".length))
  .sort();
