// Inputs that behave (issue 11, item 6): a Poisson rate above one spike per step is refused (E0522 from the
// checker for constant rates, E0801 from every target for drawn ones) instead of being capped silently.

import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { wasmF64Target, wasmTarget } from "../../targets/wasm/index.js";
import { fixedTarget } from "../../targets/fixed/index.js";
import { memoryHost } from "../helpers/dir-host.js";
import { check, errors } from "../check/helpers.js";

const MODEL = `neuron Sum {
  parameters { th: mV = 1000 mV }
  state { v: mV = 0 mV }
  inputs { I: mV }
  equations { v' = I / 1 ms }
  spike when v > th { v = 0 mV }
}
synapse Static { parameters { w } on pre { post.target += w } }
`;
const TARGETS = [referenceTarget, wasmF64Target, wasmTarget, fixedTarget];

/** Errors as `CODE line:col-endLine:endCol text`. */
function located(source: string, data: Record<string, string> = {}): string[] {
  const lines = source.split("\n");
  return errors(check(source, data).diagnostics).map(
    (d) =>
      `${d.code} ${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol} ${lines[d.span.line - 1]!.slice(d.span.col - 1, d.span.line === d.span.endLine ? d.span.endCol : undefined)}`,
  );
}

describe("Poisson rates above one spike per step", () => {
  const net = (rate: string) =>
    `${MODEL}network N {\n  dt = 1 ms\n  input drive = poisson(rate = ${rate})[10]\n  population p = Sum[1]\n  connect drive -> p with Static(w = 1 mV) onto v all_to_all\n  run 10 ms\n}\n`;
  test("a constant rate above 1/dt is E0522 at the rate", () => {
    expect(located(net("2000 Hz"))).toEqual(["E0522 11:32-11:38 2000 Hz"]);
    expect(located(net("uniform(10 Hz, 1.5 kHz)"))).toEqual(["E0522 11:32-11:54 uniform(10 Hz, 1.5 kHz)"]);
    expect(located(net("1000 Hz"))).toEqual([]); // exactly one spike per step is representable
  });
  test("a drawn rate above 1/dt is refused by every target, with the element and its rate", () => {
    const c = compile("n.glia", memoryHost({ "n.glia": net("500 Hz + 100 Hz * i") }));
    expect(errors(c.diagnostics)).toEqual([]);
    for (const t of TARGETS) {
      const r = t.run(c.ir!, {});
      expect(r.result).toBeUndefined();
      const refused = r.diagnostics.filter((d) => d.code === "E0801");
      expect(refused.map((d) => d.message.replace(/^[\w-]+ target: /, ""))).toEqual([
        "Poisson source drive: 4 of 10 elements have rate * dt > 1 (element 9: 1400 Hz, 1.40 spikes per step); an element spikes at most once per step",
      ]);
    }
  });
});
