// The schema validators the build generates (targets/hw/standalone.ts; written by
// targets/descriptor/write-validators.ts into dist/): present after `npm run build`, made from the sources'
// schemas (their hash matches), and accepting and rejecting exactly what ajv's compiled validators do, with the
// same errors: every preset, corrupted specs, descriptors of a digital and a crossbar preset and corrupted ones.
import { beforeAll, describe, expect, test } from "@jest/globals";
import type { ValidateFunction } from "ajv";
import { compile } from "../../compiler/pipeline.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";
import { lowerForHardware } from "../../targets/driver/hardware.js";
import { resolveHardwareSpec } from "../../targets/hw/resolve.js";
import { PRESETS, presetText } from "../../targets/hw/presets.js";
import { SPEC_SCHEMA_HASH, SPEC_VALIDATORS_FILE, specValidator } from "../../targets/hw/spec.js";
import { loadStandalone } from "../../targets/hw/standalone.js";
import {
  DESCRIPTOR_VALIDATORS_FILE,
  descriptorSchemaHash,
  descriptorValidator,
} from "../../targets/descriptor/validate.js";

type Json = any;
const dist = (rel: string): string => new URL(`../../dist/${rel}`, import.meta.url).href;
const KEYS = ["crossbar", "digital"] as const;

/** What a validator says about `data`: accepted, or its errors (keyword, path, params). */
function verdict(v: ValidateFunction, data: unknown): unknown {
  const ok = v(data);
  return ok ? "ok" : (v.errors ?? []).map((e) => [e.keyword, e.instancePath, e.schemaPath, e.params, e.message]);
}

describe("generated hardware spec validators", () => {
  const gen = loadStandalone(dist("targets/hw/spec.js"), SPEC_VALIDATORS_FILE, SPEC_SCHEMA_HASH, KEYS);

  test("the build wrote them from the current schemas (run `npm run build` after editing a schema)", () => {
    expect(gen).not.toBeNull();
  });

  test("every preset, and corrupted ones, judged as ajv's compiled validator judges them", () => {
    let rejected = 0;
    for (const name of PRESETS) {
      const good = JSON.parse(presetText(name)) as Json;
      const kind = good.kind as (typeof KEYS)[number];
      const bad1 = JSON.parse(presetText(name)) as Json;
      delete bad1.name;
      bad1.extra = 1;
      const bad2 = JSON.parse(presetText(name)) as Json;
      bad2.description = 5;
      const first = Object.keys(bad2).find((k) => typeof bad2[k] === "object" && bad2[k] !== null)!;
      bad2[first] = { value: "x" };
      for (const data of [good, bad1, bad2]) {
        const want = verdict(specValidator(kind, true), data);
        if (want !== "ok") rejected++;
        expect(verdict(gen![kind]!, data)).toEqual(want);
      }
    }
    expect(rejected).toBe(2 * PRESETS.length);
  });
});

describe("generated descriptor validators", () => {
  const texts: Partial<Record<"digital" | "crossbar", string>> = {};
  beforeAll(() => {
    const c = compile("examples/lsm_reram.glia", dirHost(REPO_ROOT));
    for (const [kind, preset] of [
      ["digital", "fpga-ultrascale"],
      ["crossbar", "reram-128"],
    ] as const) {
      const spec = resolveHardwareSpec(preset).spec!;
      const r = lowerForHardware(c.ir!, spec);
      texts[kind] = JSON.stringify(r.descriptor);
    }
  });

  test("present and current, and judging descriptors as the compiled validators do", () => {
    const gen = loadStandalone(
      dist("targets/descriptor/validate.js"),
      DESCRIPTOR_VALIDATORS_FILE,
      descriptorSchemaHash(),
      KEYS,
    );
    expect(gen).not.toBeNull();
    let rejected = 0;
    for (const kind of KEYS) {
      const good = JSON.parse(texts[kind]!) as Json;
      const bad = JSON.parse(texts[kind]!) as Json;
      bad.mesh = { x: -1 };
      delete bad.routing;
      bad.dt = "0.1";
      for (const data of [good, bad]) {
        const want = verdict(descriptorValidator(kind, true), data);
        if (want !== "ok") rejected++;
        expect(verdict(gen![kind]!, data)).toEqual(want);
      }
      expect(verdict(descriptorValidator(kind, true), good)).toBe("ok");
    }
    expect(rejected).toBe(2);
  });
});
