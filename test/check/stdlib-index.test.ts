// The stdlib index used for "import it" hints matches the models compiler/stdlib/*.glia defines.
import { describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { STDLIB_MODELS } from "../../compiler/check/stdlib-index.js";
import { checkProgram } from "../../compiler/check/check.js";
import { loadProgram } from "../../compiler/syntax/load.js";
import { memoryHost, dirHost, REPO_ROOT } from "../helpers/dir-host.js";

describe("standard-library index", () => {
  test("every stdlib model is listed with its file, and nothing else", () => {
    const dir = path.join(REPO_ROOT, "compiler/stdlib");
    const found: Record<string, string> = {};
    for (const f of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".glia"))
      .sort()) {
      const text = fs.readFileSync(path.join(dir, f), "utf8");
      for (const m of text.matchAll(/^(?:neuron|synapse|astrocyte)\s+([A-Za-z_]\w*)/gm)) found[m[1]!] = `std/${f}`;
    }
    expect(found).toEqual(STDLIB_MODELS);
  });

  test("an unknown stdlib synapse gets an import hint", () => {
    const src =
      "neuron L { state { v = 0 } equations { v' = -v / 1 ms } }\nnetwork N {\n  population a = L[2]\n  connect a -> a with Static(w = 1) onto v all_to_all\n  run 1 ms\n}\n";
    const loaded = loadProgram("n.glia", memoryHost({ "n.glia": src }, dirHost(REPO_ROOT)));
    const d = checkProgram(loaded.program, loaded.data).diagnostics.find((x) => x.code === "E0203");
    expect(d?.hint).toBe('the standard library has it: add `import "std/static.glia"`');
  });
});
