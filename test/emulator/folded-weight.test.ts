// A constant inhibitory weight folded into the synapse handler is rounded to the hardware's weight word with
// its sign, on the fixed target as in the descriptor (whose synapse memory holds it as a parameter): constant
// folding writes `post.gi += -9 mV` as `post.gi - 0.009`, and the fixed target used to round the subtrahend
// 0.009 as an unsigned 9-bit word (295 / 2^15) where Loihi's signed 9-bit weight word holds -147 / 2^14. That
// one bit made `run --target fixed --hw loihi` lose a spike against the emulator on CUBA (step 77, inh[426]);
// this small network (20 LIF neurons under two inhibitory Poisson inputs) showed it at step 138.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { mapDigital } from "../../targets/digital/map.js";
import { makeFixedTarget } from "../../targets/fixed/index.js";
import { fixedSpecFor } from "../../targets/fixed/hw-option.js";
import type { FxExpr, FxStmt } from "../../targets/fixed/ir.js";
import { toFloat } from "../../targets/fixed/qformat.js";
import { quantize } from "../../targets/fixed/quantize.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { costModel, emulate, firstSpikeDifference } from "../../targets/emulator/index.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

const NET = `
import "std/static.glia"
neuron InhLIF {
  parameters {
    taum: ms = 20 ms
    taui: ms = 10 ms
    Vt: mV = -50 mV
    Vr: mV = -60 mV
    El: mV = -20 mV
  }
  state {
    v: mV = uniform(Vr, Vt)
    gi: mV = 0 mV
  }
  equations {
    v' = (gi - (v - El)) / taum
    gi' = -gi / taui
  }
  method exact
  spike when v > Vt { v = Vr }
  refractory 1 ms clamp v   # not Lava's LIF: the generic fixed-point path on both sides
}
network FoldedWeight {
  dt = 0.1 ms
  seed = 1
  input src = poisson(rate = 100 Hz)[2]
  population n = InhLIF[20]
  connect src -> n with Static(w = -9 mV) onto gi all_to_all
  record spikes of n
  run 20 ms
}
`;

const loihi = loadPreset("loihi").spec as DigitalSpec;

/** The subtrahend of the first difference in a statement list (the folded weight of `post.gi - c`). */
function subtrahend(stmts: readonly FxStmt[]): FxExpr | undefined {
  const inExpr = (e: FxExpr): FxExpr | undefined => {
    if (e.k === "sub") return e.b;
    for (const x of Object.values(e))
      if (x && typeof x === "object" && "k" in x && typeof x.k === "string") {
        const found = inExpr(x as FxExpr);
        if (found) return found;
      }
    return undefined;
  };
  for (const s of stmts) {
    const found = s.k === "if" ? (subtrahend(s.then) ?? subtrahend(s.otherwise)) : inExpr(s.value);
    if (found) return found;
  }
  return undefined;
}

describe("a folded negative weight: the signed weight word on the fixed target as in the descriptor", () => {
  const c = compile("folded.glia", memoryHost({ "folded.glia": NET }, dirHost(REPO_ROOT)));
  const ir = c.ir!;

  it("the fixed target subtracts the magnitude of the descriptor's signed 9-bit weight word", () => {
    expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const q = quantize(ir, { spec: fixedSpecFor(loihi), profileSteps: 200 });
    const p = q.program!.projections.find((x) => x.name.startsWith("src"))!;
    const b = subtrahend(p.onPre);
    expect(b?.k).toBe("const");
    const d = mapDigital(ir, loihi, { profileSteps: 200 }).descriptor!;
    const t = d.projections[0]!;
    const w = t.vars.find((v) => v.name === t.weightVar)!;
    // Loihi's weights are 9-bit words: -9 mV as a signed one is -147 / 2^14 (unsigned, 0.009 would be 295 / 2^15)
    expect(w.fmt).toEqual({ signed: true, intBits: -6, fracBits: 14 });
    expect(t.scalars[t.weightVar]).toBe(-147);
    expect(b?.k === "const" && b.value).toBe(-toFloat(-147, w.fmt));
  });

  it("fixed target = descriptor runner = emulator, spike for spike", () => {
    const fixed = makeFixedTarget(undefined, 200).run(ir, { hw: "loihi" });
    expect(fixed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const d = mapDigital(ir, loihi, { profileSteps: 200 }).descriptor!;
    const emu = emulate(d, costModel(loihi));
    const ran = runDescriptor(d);
    expect(ran.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    const f = fixed.result!;
    // the inputs fire and the neurons spike (with the unsigned rounding the first difference was at step 138)
    expect(f.synapticEvents).toBeGreaterThan(20);
    expect(f.spikesTotal).toBeGreaterThan(20);
    expect(firstSpikeDifference(emu.spikes, ran.result!.spikes)).toBeNull();
    expect(firstSpikeDifference(emu.spikes, f.spikes)).toBeNull();
    expect(emu.spikes_total).toBe(f.spikesTotal);
  });
});
