// Syntax errors: exact code and position of the first diagnostic, plain-words messages and hints.
import { describe, expect, test } from "@jest/globals";
import { diagnosticsOf, firstDiag } from "./helpers.js";

const CASES: [string, string, string][] = [
  ["unexpected character", "neuron A { state { x = 1 @ 2 } }", "E0101 1:26"],
  ["unterminated string", 'import "lib/a.glia\nneuron A { }', "E0102 1:8"],
  ["exponent without digits", "neuron A { parameters { x = 1e } }", "E0103 1:29"],
  ["two decimal points", "neuron A {\n  parameters { x = 1.2.3 }\n}", "E0103 2:20"],
  ["stray token in a section", "neuron A { parameters { x = 1 ) } }", "E0110 1:31"],
  ["'=' instead of '==' in a spike condition", "neuron A {\n  spike when v = 1 { v = 0 }\n}", "E0110 2:16"],
  ["missing '[' of a population size", "network N {\n  population exc = LIF 100]\n  run 1 s\n}", "E0111 2:24"],
  ["missing 'with' in a connect", "network N {\n  connect exc -> inh Static all_to_all\n}", "E0111 2:22"],
  ["unknown section", "neuron A {\n  paramters { x = 1 }\n}", "E0112 2:3"],
  ["top-level junk", "neuron A { }\nfoo bar\nnetwork N { run 1 s }", "E0112 2:1"],
  ["reserved word as a name", "neuron A { parameters { state = 1 } }", "E0112 1:25"],
  ["unclosed model block", "neuron A {\n  parameters { x = 1 }\n", "E0113 2:22"],
  ["missing unit after ':'", "neuron A { state { tau: = 3 } }", "E0114 1:25"],
  ["number in an annotation", "neuron A { state { tau: 5 ms = 3 ms } }", "E0114 1:25"],
  ["assignment to astro.", "synapse S { on pre { astro.x = 1 } }", "E0115 1:22"],
  ["assignment to a call", "synapse S {\n  on pre {\n    f(x) += 1\n  }\n}", "E0115 3:5"],
  ["bad event name", "synapse S { on spike { } }", "E0110 1:16"],
  ["missing expression", "neuron A { parameters { x = } }", "E0110 1:29"],
  ["missing ')' in a call", "neuron A { parameters { x = f(1, 2 } }", "E0111 1:36"],
];

describe("first diagnostic", () => {
  test.each(CASES)("%s", (_name, src, expected) => {
    expect(firstDiag(src)).toBe(expected);
  });
});

describe("messages", () => {
  test("a missing '}' names the block it should close", () => {
    const d = diagnosticsOf("neuron LIF {\n  parameters { x = 1 }\n  state { v = 0 } )\n}")[0]!;
    expect(d.code).toBe("E0110");
    expect(d.message).toBe("expected '}' to close the block of neuron LIF, found ')'");
    expect(d.related[0]!.span.line).toBe(1);
    expect(d.related[0]!.span.col).toBe(12);
  });

  test("an unclosed block points back at its opening brace", () => {
    const d = diagnosticsOf("network Net {\n  dt = 0.1 ms\n  run 1 s\n")[0]!;
    expect(d.code).toBe("E0113");
    expect(d.message).toBe("unclosed block: the block of network Net is never closed");
    expect(d.related).toEqual([
      expect.objectContaining({ message: "the block opens here", span: expect.objectContaining({ line: 1, col: 13 }) }),
    ]);
    expect(d.hint).toBe("add '}' to close the block of network Net");
  });

  test("a nested unclosed section names its model", () => {
    const d = diagnosticsOf("neuron A {\n  state { x = 1\n")[0]!;
    expect(d.message).toBe("unclosed block: the state section of neuron A is never closed");
  });

  test("an unknown section lists the sections", () => {
    const d = diagnosticsOf("neuron A { paramters { x = 1 } }")[0]!;
    expect(d.message).toContain("expected a section (parameters, state, inputs, equations");
    expect(d.message).toContain("found 'paramters'");
  });

  test("'=' where '{' is expected suggests '=='", () => {
    const d = diagnosticsOf("neuron A { spike when v = 1 { v = 0 } }")[0]!;
    expect(d.hint).toBe("comparison is written '=='");
  });

  test("a reserved word used as a name says so", () => {
    const d = diagnosticsOf("network N { population state = LIF[1] }")[0]!;
    expect(d.code).toBe("E0110");
    expect(d.hint).toBe("'state' is a reserved word and cannot be used as a name");
  });

  test("unexpected '!' and '&&' get a hint", () => {
    const d = diagnosticsOf("neuron A { spike when !(v > 1) && u { } }");
    expect(d[0]!.hint).toContain("'not'");
    expect(d.find((x) => x.span.col === 32)?.hint).toContain("'and'");
  });

  test("an ODE in a handler is explained", () => {
    const d = diagnosticsOf("synapse S { on pre { x' = 1 } }")[0]!;
    expect(d.code).toBe("E0110");
    expect(d.hint).toBe("ODEs (x' = ...) belong in the equations section");
  });

  test("an annotated ODE is explained", () => {
    const d = diagnosticsOf("neuron A { equations { v': mV/ms = 1 mV/ms } }")[0]!;
    expect([d.code, d.span.col]).toEqual(["E0110", 26]);
    expect(d.hint).toBe("an ODE takes no unit annotation: its unit follows from the state variable");
  });

  test("a bare else and an unquoted import path are explained", () => {
    const e = diagnosticsOf("synapse S { on pre { if x { y = 1 } else } }")[0]!;
    expect([e.code, e.span.col, e.message]).toEqual([
      "E0110",
      42,
      "expected '{' or 'if' after 'else' in the 'on pre' handler of synapse S, found '}'",
    ]);
    const i = diagnosticsOf("import foo.glia")[0]!;
    expect([i.code, i.span.col]).toEqual(["E0110", 8]);
    expect(i.hint).toContain('import "lib/neurons.glia"');
  });

  test("every diagnostic has a hint", () => {
    for (const [, src] of CASES) {
      for (const d of diagnosticsOf(src)) expect(d.hint).toBeTruthy();
    }
  });
});
