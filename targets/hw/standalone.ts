// Schema validators generated at build time (ajv's standalone code), so a process does not compile a JSON
// Schema before it can load a preset or a descriptor (0.1-0.5 s per schema). In: an ajv instance with its
// schemas, or the URL of a module's compiled file; out: CommonJS source of the validators (written by
// targets/descriptor/write-validators.ts after tsc, into dist/ next to the module that uses them), or those
// validators loaded back. A generated file carries the hash of the schemas and options it was made from: a file
// whose hash differs (schemas edited, dist/ not rebuilt) or that is missing (running from the sources) is not
// used, and the caller compiles the schemas with ajv as before. Both paths accept and reject the same inputs
// with the same errors (test/hw/standalone-validators.test.ts).

import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import standaloneModule from "ajv/dist/standalone/index.js";

type Generate = (ajv: unknown, refs: Record<string, string>) => string;
// ajv is CommonJS: its default export arrives as the module object under NodeNext
const standalone = ((standaloneModule as unknown as { default?: Generate }).default ??
  standaloneModule) as unknown as Generate;

/** Hash of the schemas and ajv options a set of validators is generated from. */
export function schemaHash(schemas: Record<string, unknown>, options: unknown): string {
  return createHash("sha256").update(JSON.stringify({ schemas, options })).digest("hex");
}

/** CommonJS source exporting one validator per key of `refs` (key -> schema id or key in `ajv`) and the hash. */
export function standaloneSource(ajv: unknown, refs: Record<string, string>, hash: string): string {
  const code = standalone(ajv, refs);
  return `${code}\nexports.schemaHash = ${JSON.stringify(hash)};\n`;
}

/** The generated validators in `file` next to the module at `moduleUrl`, when present and made from `hash`. */
export function loadStandalone(
  moduleUrl: string,
  file: string,
  hash: string,
  keys: readonly string[],
): Record<string, ValidateFunction> | null {
  let m: Record<string, unknown>;
  try {
    m = createRequire(moduleUrl)(`./${file}`) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (m.schemaHash !== hash || keys.some((k) => typeof m[k] !== "function")) return null;
  return Object.fromEntries(keys.map((k) => [k, m[k] as ValidateFunction]));
}
