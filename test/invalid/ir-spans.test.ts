// Source spans in the IR: built from the AST, carried through every pass, and left out of printIR and
// irToJson (the same network laid out differently prints and serializes to the same bytes).

import { describe, expect, test } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { printIR } from "../../compiler/ir/print.js";
import { irToJson } from "../../compiler/ir/json.js";
import { exprSpan } from "../../compiler/ir/spans.js";
import { forEachStmtExpr, children } from "../../compiler/ir/expr.js";
import type { IRExpr } from "../../compiler/ir/nodes.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import { BASE } from "./cases.js";

const SRC = `${BASE}astrocyte Astro {
  state { ca = 0 }
  equations { ca' = -ca / 1 s }
  on synapse_pre { ca += 0.1 }
}
neuron Osc {
  parameters { tau: ms = 10 ms }
  state { v = 0.5 }
  equations { v' = (sin(v) - v) / tau }
}
network N {
  population a = LIF[10]
  population o = Osc[3]
  population g = Astro[2]
  input s = poisson(rate = 5 Hz)[4]
  connect p: a -> a with Static(w = 1 mV) onto ge fixed_probability(0.5)
  connect s -> a with Static(w = 2 mV) onto ge all_to_all
  ensheath p with g random(pool = 1)
  record spikes of a
  record v of o
  run 5 ms
}
`;

function built(src: string) {
  const r = compile("n.glia", { readFile: (p) => (p === "n.glia" ? src : undefined) });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return { built: r.built!, ir: r.ir! };
}

const text = (src: string, s: Span | undefined) => (s ? src.slice(s.start, s.end) : undefined);

describe("IR source spans", () => {
  test("groups, projections, ensheath, sources, monitors and the network point at their statements after every pass", () => {
    const { ir } = built(SRC);
    expect(ir.passes.at(-1)).toBe("cse");
    expect(text(SRC, ir.spans?.network)).toBe("N");
    expect(ir.groups.map((g) => text(SRC, g.span))).toEqual([
      "population a = LIF[10]",
      "population o = Osc[3]",
      "population g = Astro[2]",
    ]);
    expect(ir.groups.map((g) => text(SRC, g.modelSpan))).toEqual(["LIF", "Osc", "Astro"]);
    expect(ir.projections.map((p) => text(SRC, p.span))).toEqual([
      "connect p: a -> a with Static(w = 1 mV) onto ge fixed_probability(0.5)",
      "connect s -> a with Static(w = 2 mV) onto ge all_to_all",
    ]);
    expect(text(SRC, ir.projections[0]!.ensheathSpan)).toBe("ensheath p with g random(pool = 1)");
    expect(ir.projections[1]!.ensheathSpan).toBeUndefined();
    expect(text(SRC, ir.projections[0]!.handlerSpans?.pre)).toBe("on pre");
    expect(text(SRC, ir.spans?.sources.s)).toBe("input s = poisson(rate = 5 Hz)[4]");
    expect(ir.spans?.monitors.map((s) => text(SRC, s))).toEqual(["record spikes of a", "record v of o"]);
  });

  test("solved updates carry their equation's span, and a call keeps its own through fold, solve-odes and cse", () => {
    const { ir } = built(SRC);
    const osc = ir.groups.find((g) => g.name === "o")!;
    expect(osc.update.length).toBeGreaterThan(0);
    for (const s of osc.update) expect(text(SRC, s.span)).toBe("v' = (sin(v) - v) / tau");
    const calls: string[] = [];
    const visit = (e: IRExpr): void => {
      if (e.k === "call" && e.fn === "sin") calls.push(text(SRC, exprSpan(e)) ?? "none");
      children(e).forEach(visit);
    };
    forEachStmtExpr(osc.update, visit);
    expect(calls.length).toBeGreaterThan(0);
    expect(new Set(calls)).toEqual(new Set(["sin(v)"]));
    const lif = ir.groups.find((g) => g.name === "a")!;
    expect(new Set(lif.update.map((s) => text(SRC, s.span)))).toEqual(
      new Set(["v' = (ge - v) / tau + I / 1 nF", "ge' = -ge / tau"]),
    );
  });

  test("printIR and irToJson hold no spans: a different layout of the same network gives the same bytes", () => {
    const moved = `# a comment that shifts every line and offset\n\n${SRC.replace("network N {", "network N {\n\n   ")}`;
    const a = built(SRC),
      b = built(moved);
    expect(a.ir.groups[0]!.span!.line).not.toBe(b.ir.groups[0]!.span!.line);
    for (const stage of ["built", "ir"] as const) {
      expect(printIR(b[stage])).toBe(printIR(a[stage]));
      expect(irToJson(b[stage])).toBe(irToJson(a[stage]));
    }
    expect(irToJson(a.ir)).not.toMatch(/"(span|modelSpan|handlerSpans|ensheathSpan|spans)"/);
  });
});
