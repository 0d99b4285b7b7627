// The fixed-point executor against the float64 reference on a CUBA-like network: examples/cuba.glia scaled
// to 1000 neurons (800 exc., 200 inh.) with p = 0.08 (the same in-degree, 80), 0.4 s. Spike trains of this
// chaotic network diverge, so per-population rates are compared: within 10 %.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { execute } from "../../targets/fixed/executor.js";
import { DEFAULT_FIXED_SPEC } from "../../targets/fixed/index.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";

function scaled(ir: IRProgram): IRProgram {
  const size: Record<string, number> = { exc: 800, inh: 200 };
  return {
    ...ir,
    groups: ir.groups.map((g) => ({ ...g, size: size[g.name]! })),
    projections: ir.projections.map((p) => ({
      ...p,
      pre: { ...p.pre, end: size[p.pre.population]! },
      post: { ...p.post, end: size[p.post.population]! },
      rule: { k: "fixed_probability" as const, p: 0.08 },
    })),
    monitors: [],
  };
}

describe("fixed executor vs reference on a CUBA-like network", () => {
  it("per-population rates within 10 % (16-bit state, 16-bit multipliers, saturating)", () => {
    const compiled = compile("examples/cuba.glia", dirHost(REPO_ROOT));
    expect(compiled.ir).toBeDefined();
    const ir = scaled(compiled.ir!);
    const duration = 0.4;
    const ref = referenceTarget.run(ir, { duration }).result!;
    const q = quantize(ir, { spec: DEFAULT_FIXED_SPEC, profileSteps: 1000 });
    expect(q.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const fx = execute(q.program!, { duration });
    expect(fx.result.synapses).toBe(ref.synapses); // the same network
    const lines: string[] = [];
    for (const pop of ["exc", "inh"]) {
      const a = ref.populations[pop]!.rate_hz,
        b = fx.result.populations[pop]!.rate_hz;
      lines.push(
        `${pop}: reference ${a.toFixed(3)} Hz, fixed ${b.toFixed(3)} Hz (${(((b - a) / a) * 100).toFixed(1)} %)`,
      );
      expect(a).toBeGreaterThan(1); // the network is active
      expect(Math.abs(b - a) / a).toBeLessThan(0.1);
    }
    console.log(lines.join("\n") + "\noverflows: " + JSON.stringify(fx.overflows));
    expect(Object.values(fx.overflows).every((c) => c === 0)).toBe(true);
  });
});
