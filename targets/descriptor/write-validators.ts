// Build step (package.json "build", after tsc): writes the generated schema validators next to the compiled
// modules that load them (hw/standalone.ts): dist/targets/hw/spec-validators.cjs (hardware specs) and
// dist/targets/descriptor/descriptor-validators.cjs (descriptors). In: the schemas as this build compiled them;
// out: the two files (written whole through a temporary name, so a concurrent reader never sees half a file).

import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SPEC_SCHEMA_HASH, SPEC_SCHEMA_IDS, SPEC_VALIDATORS_FILE, specAjv } from "../hw/spec.js";
import { standaloneSource } from "../hw/standalone.js";
import { DESCRIPTOR_VALIDATORS_FILE, descriptorAjv, descriptorSchemaHash, descriptorSchemaId } from "./validate.js";

function write(url: URL, text: string): void {
  const path = fileURLToPath(url);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

write(
  new URL(`../hw/${SPEC_VALIDATORS_FILE}`, import.meta.url),
  standaloneSource(specAjv(true), { ...SPEC_SCHEMA_IDS }, SPEC_SCHEMA_HASH),
);
write(
  new URL(`./${DESCRIPTOR_VALIDATORS_FILE}`, import.meta.url),
  standaloneSource(
    descriptorAjv(true),
    { crossbar: descriptorSchemaId("crossbar"), digital: descriptorSchemaId("digital") },
    descriptorSchemaHash(),
  ),
);
