// Every example that parses: build, then the whole pass list with the verifier after each pass;
// the discrete form holds no ODEs or aliases, and compiling twice prints the same IR.
import { describe, expect, test } from "@jest/globals";
import { readdirSync } from "node:fs";
import { PASSES } from "../../compiler/pipeline.js";
import { loadProgram } from "../../compiler/syntax/load.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { buildIR } from "../../compiler/ir/build.js";
import { verifyIR } from "../../compiler/ir/verify.js";
import { printIR } from "../../compiler/ir/print.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";

function lower(path: string): IRProgram {
  const loaded = loadProgram(path, nodeHost());
  let ir = buildIR(loaded.program, loaded.data);
  expect(verifyIR(ir)).toEqual([]);
  for (const pass of PASSES) {
    ir = pass.run(ir);
    const problems = verifyIR(ir);
    if (problems.length) throw new Error(`after ${pass.name}:\n${problems.join("\n")}`);
  }
  return ir;
}

const parses = (f: string): boolean => !loadProgram(`examples/${f}`, nodeHost()).diagnostics.some((d) => d.severity === "error");
const files = readdirSync("examples").filter((f) => f.endsWith(".glia")).filter(parses);

describe("pass pipeline on examples", () => {
  test("most examples parse (the rest are the front end's business)", () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });
  test.each(files)("%s lowers to verified discrete IR", (f) => {
    const ir = lower(`examples/${f}`);
    expect(ir.passes).toEqual(["inline-aliases", "fold", "dead-state", "solve-odes", "event-driven", "fold", "cse"]);
    for (const g of ir.groups) {
      expect(g.odes).toEqual([]);
      expect(g.aliases).toEqual([]);
      expect(g.methods).not.toBeNull();
    }
    for (const p of ir.projections) expect(p.odes).toEqual([]);
    expect(printIR(ir)).toBe(printIR(lower(`examples/${f}`)));
  });
});
