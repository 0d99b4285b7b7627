// The grammar itself: chevrotain's validations (ambiguous alternatives, left recursion, unreachable rules), which
// the compiler's parser skips at construction (they check the grammar, not the input), run here.
import { describe, expect, test } from "@jest/globals";
import { GliaParser } from "../../compiler/syntax/parser.js";

describe("grammar", () => {
  test("passes chevrotain's grammar validations", () => {
    // a grammar with definition errors throws at construction, listing them
    expect(() => new GliaParser(true)).not.toThrow();
  });
});
