// Every example program and standard-library model passes the checker without errors (loaded
// through the real loader, imports and data files included).

import { describe, expect, test } from "@jest/globals";
import { readdirSync } from "node:fs";
import { loadProgram } from "../../compiler/syntax/load.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { checkProgram } from "../../compiler/check/check.js";
import { diagnosticLine } from "../../compiler/diagnostics/format.js";

const files = [
  ...readdirSync("examples")
    .filter((f) => f.endsWith(".glia"))
    .map((f) => `examples/${f}`),
  ...readdirSync("compiler/stdlib")
    .filter((f) => f.endsWith(".glia"))
    .map((f) => `compiler/stdlib/${f}`),
];

describe("examples check clean", () => {
  test.each(files)("%s", (path) => {
    const loaded = loadProgram(path, nodeHost());
    expect(loaded.diagnostics.map(diagnosticLine)).toEqual([]);
    const { diagnostics } = checkProgram(loaded.program, loaded.data);
    expect(diagnostics.filter((d) => d.severity === "error").map(diagnosticLine)).toEqual([]);
  });
});
