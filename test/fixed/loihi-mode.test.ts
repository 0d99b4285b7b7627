// The loihi neuron mode's matcher: a current-based LIF group in the discrete IR maps to Lava's bit-accurate
// LIF parameters (hand-computed du, dv, bias, vth); groups that do not fit are refused with a reason.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { LOIHI_VTH, loihiInput, matchLoihiLif } from "../../targets/fixed/loihi-mode.js";
import { dirHost, memoryHost, REPO_ROOT } from "../helpers/dir-host.js";

const LIF = (extra = ""): string => `
neuron CurLIF {
  parameters { taum: ms = 20 ms
    taus: ms = 5 ms
    Vt: mV = -50 mV
    Vr: mV = -60 mV
    El: mV = -45 mV }
  state { v: mV = -60 mV
    I: mV = 0 mV }
  equations { v' = (I - (v - El)) / taum
    I' = -I / taus }
  method exact
  spike when v > Vt { v = Vr }
  ${extra}
}
network N {
  dt = 1 ms
  population p = CurLIF[3]
  run 50 ms
}
`;

function group(src: string, file = "lif.glia") {
  const r = compile(file, memoryHost({ [file]: src }, dirHost(REPO_ROOT)));
  expect(r.ir).toBeDefined();
  return { g: r.ir!.groups[0]!, ir: r.ir! };
}

describe("loihi mode matcher", () => {
  it("maps a current-based LIF to du, dv, bias and vth (hand-computed)", () => {
    const { g, ir } = group(LIF());
    const m = matchLoihiLif(g, ir.dt, ir.seed);
    expect(m.reason).toBeUndefined();
    // a_u = e^{-1/5} = 0.818731: du = round(4096 * 0.181269) - 1 = 742 - 1; a_v = e^{-1/20}: dv = round(4096 * 0.048771) = 200
    expect(m.match!.params.du).toBe(741);
    expect(m.match!.params.dv).toBe(200);
    // bias = (1 - a_v)(El - Vr) * 2^22 / (Vt - Vr) = 0.048771 * 1.5 * 4194304 = 306838 -> 2397 << 7
    expect(m.match!.params.biasExp).toBe(7);
    expect(m.match!.params.biasMant).toBe(2397);
    expect(m.match!.params.vth).toBe(LOIHI_VTH);
    expect(m.match!.u).toBe("I");
    // a 1 mV input: c = (1 - a_v)... coefficient of I in v', times the scale, >> 6
    expect(loihiInput(m.match!, 1e-3)).toBe(Math.round((1e-3 * m.match!.c * m.match!.scale) / 64));
  });

  it("refuses a refractory LIF and CUBA's three-variable neuron", () => {
    const { g, ir } = group(LIF("refractory 2 ms"));
    expect(matchLoihiLif(g, ir.dt, ir.seed).reason).toContain("refractory");
    const cuba = compile("examples/cuba.glia", dirHost(REPO_ROOT)).ir!;
    expect(matchLoihiLif(cuba.groups[0]!, cuba.dt, cuba.seed).reason).toContain("two state variables");
  });
});
