// Tests for the IR builder on real sources (parse + load through an in-memory host) and examples.
import { describe, expect, test } from "@jest/globals";
import { loadProgram, type SourceHost } from "../../compiler/syntax/load.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { buildIR } from "../../compiler/ir/build.js";
import { verifyIR } from "../../compiler/ir/verify.js";
import { printIR } from "../../compiler/ir/print.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { readdirSync } from "node:fs";

function buildFrom(files: Record<string, string>, entry = "main.glia"): IRProgram {
  const host: SourceHost = { readFile: (p) => files[p] ?? nodeHost().readFile(p) };
  const loaded = loadProgram(entry, host);
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return buildIR(loaded.program, loaded.data);
}

describe("buildIR on examples", () => {
  const dir = "examples";
  const files = readdirSync(dir).filter((f) => f.endsWith(".glia"));
  test.each(files)("%s builds to IR that verifies", (f) => {
    const loaded = loadProgram(`${dir}/${f}`, nodeHost());
    const p = buildIR(loaded.program, loaded.data);
    expect(verifyIR(p)).toEqual([]);
    expect(p.groups.length + p.sources.length).toBeGreaterThan(0);
    expect(p.steps).toBeGreaterThan(0);
  });
});
