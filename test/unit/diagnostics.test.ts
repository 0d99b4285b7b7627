import { describe, expect, test } from "@jest/globals";
import { Diagnostics } from "../../compiler/diagnostics/diagnostic.js";
import { formatDiagnostic } from "../../compiler/diagnostics/format.js";
import { spanFromOffsets } from "../../compiler/diagnostics/span.js";

describe("diagnostic formatting", () => {
  test("file:line:col, source line, caret under the span, hint", () => {
    const src = "neuron A {\n  state { v: mV = 0 mv }\n}\n";
    const start = src.indexOf("mv");
    const d = new Diagnostics();
    d.error("E0211", spanFromOffsets("a.glia", src, start, start + 2), "unknown unit 'mv'", {
      hint: "did you mean 'mV'?",
    });
    const text = formatDiagnostic(d.items[0]!, new Map([["a.glia", src]]));
    expect(text).toBe(
      [
        "a.glia:2:21: error[E0211]: unknown unit 'mv'",
        "  |",
        "2 |   state { v: mV = 0 mv }",
        "  |                     ^^",
        "  = hint: did you mean 'mV'?",
      ].join("\n"),
    );
  });
});
