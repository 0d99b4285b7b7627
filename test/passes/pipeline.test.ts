// Every example that parses: build, then the whole pass list through the pass manager with the verifier
// after each pass (no diagnostics); the discrete form holds no ODEs or aliases, and compiling twice prints the same IR.
import { describe, expect, test } from "@jest/globals";
import { readdirSync } from "node:fs";
import { PASSES } from "../../compiler/pipeline.js";
import { loadProgram } from "../../compiler/syntax/load.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { buildIR } from "../../compiler/ir/build.js";
import { runPasses } from "../../compiler/passes/manager.js";
import { printIR } from "../../compiler/ir/print.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";

function lower(path: string): IRProgram {
  const loaded = loadProgram(path, nodeHost());
  const ran = runPasses(buildIR(loaded.program, loaded.data), PASSES, { verify: true });
  // no verifier failure (E0701) and no fallback warning: every example gets the method it names
  expect(ran.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return ran.ir;
}

const parses = (f: string): boolean =>
  !loadProgram(`examples/${f}`, nodeHost()).diagnostics.some((d) => d.severity === "error");
const files = readdirSync("examples")
  .filter((f) => f.endsWith(".glia"))
  .filter(parses);

describe("pass pipeline on examples", () => {
  test("most examples parse (the rest are the front end's business)", () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });
  test.each(files)("%s lowers to verified discrete IR", (f) => {
    const ir = lower(`examples/${f}`);
    expect(ir.passes).toEqual([
      "inline-aliases",
      "fold",
      "dead-state",
      "solve-odes",
      "event-driven",
      "fold-discrete",
      "cse",
    ]);
    for (const g of ir.groups) {
      expect(g.odes).toEqual([]);
      expect(g.aliases).toEqual([]);
      expect(g.methods).not.toBeNull();
    }
    for (const p of ir.projections) expect(p.odes).toEqual([]);
    expect(printIR(ir)).toBe(printIR(lower(`examples/${f}`)));
  });
});
