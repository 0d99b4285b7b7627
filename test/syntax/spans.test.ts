// Spans: 1-based line/col of the first character, inclusive end line/col, 0-based offsets.
import { expect, test } from "@jest/globals";
import type { Span } from "../../compiler/diagnostics/span.js";
import { parseOk } from "./helpers.js";

const SRC = [
  "neuron LIF {", //                         line 1
  "  parameters { tau: ms = 20 ms }", //     line 2
  "  state { v: mV = -65 mV }", //           line 3
  "  equations {", //                        line 4
  "    v' = (E - v)", //                     line 5
  "       / tau", //                         line 6
  "  }", //                                  line 7
  "}", //                                    line 8
  "synapse S {", //                          line 9
  "  on pre { post.v += 1 mV }", //          line 10
  "}", //                                    line 11
  "network N {", //                          line 12
  "  connect exc -> inh with S() all_to_all", // line 13
  "}", //                                    line 14
].join("\n");

const at = (s: Span) => `${s.line}:${s.col}-${s.endLine}:${s.endCol}`;

test("spans of declarations, equations, handlers and items", () => {
  const ast = parseOk(SRC, "spans.glia");
  const lif = ast.models[0]!;
  expect(at(lif.span)).toBe("1:1-8:1");
  expect(at(lif.nameSpan)).toBe("1:8-1:10");
  const tau = lif.parameters[0]!;
  expect(at(tau.span)).toBe("2:16-2:30");
  expect(at(tau.nameSpan)).toBe("2:16-2:18");
  expect(SRC.slice(tau.span.start, tau.span.end)).toBe("tau: ms = 20 ms");
  expect(at(lif.state[0]!.value!.span)).toBe("3:19-3:24");
  const ode = lif.equations[0]!;
  expect(at(ode.span)).toBe("5:5-6:12");
  expect(at(ode.value.span)).toBe("5:10-6:12");
  expect(lif.sections.map((s) => at(s.span))).toEqual(["2:3-2:12", "3:3-3:7", "4:3-4:11"]);

  const handler = ast.models[1]!.handlers[0]!;
  expect(at(handler.span)).toBe("10:3-10:8");
  const st = handler.body[0]!;
  expect(at(st.span)).toBe("10:12-10:25");
  if (st.kind !== "Assign" || st.target.kind !== "Member") throw new Error("expected post.v += ...");
  expect(at(st.target.objectSpan)).toBe("10:12-10:15");
  expect(at(st.target.nameSpan)).toBe("10:17-10:17");

  const c = ast.networks[0]!.items[0]!;
  expect(at(c.span)).toBe("13:3-13:40");
  if (c.kind !== "Connect") throw new Error("expected a connect");
  expect(at(c.rule.span)).toBe("13:31-13:40");
  expect(c.span.file).toBe("spans.glia");
});
