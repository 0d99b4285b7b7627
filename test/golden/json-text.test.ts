// The golden files' JSON printer and golden.json reader. In: small values and case folders; out: the text
// they print, and the errors a bad golden.json raises.
import { afterAll, describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { jsonText } from "./json-text.js";
import { readConfig } from "./backends.js";

describe("jsonText", () => {
  test("sorts keys at every depth and keeps array order", () => {
    expect(jsonText({ b: 1, a: { d: [3, 1, 2], c: "x" } })).toBe('{ "a": { "c": "x", "d": [3, 1, 2] }, "b": 1 }\n');
  });
  test("breaks what does not fit in the width, one member per line, scalars packed", () => {
    const text = jsonText({ name: "n", list: Array.from({ length: 30 }, (_, i) => i * 1000) }, 40);
    expect(text).toBe(
      [
        "{",
        '  "list": [',
        "    0, 1000, 2000, 3000, 4000, 5000,",
        "    6000, 7000, 8000, 9000, 10000,",
        "    11000, 12000, 13000, 14000, 15000,",
        "    16000, 17000, 18000, 19000, 20000,",
        "    21000, 22000, 23000, 24000, 25000,",
        "    26000, 27000, 28000, 29000",
        "  ],",
        '  "name": "n"',
        "}",
        "",
      ].join("\n"),
    );
  });
  test("typed arrays print as arrays, undefined members are dropped, numbers round-trip", () => {
    const text = jsonText({ t: new Int32Array([1, -2]), u: undefined, x: 0.1 + 0.2, y: 1e-7 });
    expect(text).toBe('{ "t": [1, -2], "x": 0.30000000000000004, "y": 1e-7 }\n');
    expect(JSON.parse(text)).toEqual({ t: [1, -2], x: 0.1 + 0.2, y: 1e-7 });
  });
  test("non-finite numbers are not JSON", () => {
    expect(() => jsonText({ a: [1, NaN] })).toThrow("$.a[1] is NaN");
  });
});

describe("golden.json", () => {
  const dirs: string[] = [];
  const caseDir = (): string => (dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), "glia-golden-"))), dirs.at(-1)!);
  const withConfig = (text: string): string => {
    const dir = caseDir();
    fs.writeFileSync(path.join(dir, "golden.json"), text);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true })));
  test("absent: front-end outputs only", () => {
    expect(readConfig(caseDir())).toEqual({});
  });
  test("names stages and their targets", () => {
    expect(readConfig(withConfig('{ "wat": ["wasm-f64"], "emulator": ["loihi"] }'))).toEqual({
      wat: ["wasm-f64"],
      emulator: ["loihi"],
    });
  });
  test("an unknown stage or target fails the case", () => {
    expect(() => readConfig(withConfig('{ "wasm": ["wasm"] }'))).toThrow('unknown stage "wasm"');
    expect(() => readConfig(withConfig('{ "descriptor": ["loihi2"] }'))).toThrow(
      '"descriptor" takes a list of fpga-ultrascale, loihi, loihi-sanafe, reram-128, truenorth',
    );
  });
});
