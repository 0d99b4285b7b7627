// Fidelity of crossbar reads: CUBA (N = 4000) on reram-128 as cited (read noise 0.06, 5-bit ADC), run on its
// descriptor (where crossbar effects apply; `glia run --target fixed --hw reram-128` only takes the preset's
// word widths), against the float64 reference: population rates within a few percent.
import { describe, expect, it } from "@jest/globals";
import { compile } from "../../compiler/pipeline.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { CrossbarSpec } from "../../targets/hw/spec.js";
import { mapCrossbar } from "../../targets/crossbar/map.js";
import { runDescriptor } from "../../targets/emulator/oracle.js";
import { referenceTarget } from "../../targets/reference/index.js";
import { fidelityReport } from "../../targets/fidelity/report.js";

describe("crossbar fidelity", () => {
  it("CUBA on reram-128 with read noise, 0.5 s: rates within 5 % of the reference", () => {
    const c = compile("examples/cuba.glia", nodeHost());
    const d = mapCrossbar(c.ir!, loadPreset("reram-128").spec as CrossbarSpec).descriptor!;
    const duration = 0.5;
    const ref = referenceTarget.run(c.ir!, { duration }).result!;
    const noisy = runDescriptor(d, { duration });
    expect(noisy.crossbar!.conversions).toBeGreaterThan(0);
    const f = fidelityReport(noisy.result!, ref);
    console.log(
      `CUBA reram-128 (read noise ${d.device.readNoiseSigma}, 5-bit ADC) vs reference, ${duration} s: ${JSON.stringify(noisy.crossbar)} ` +
        Object.entries(f.populations)
          .map(
            ([p, x]) =>
              `${p} ${x.rate_hz.toFixed(3)} Hz vs ${x.reference_rate_hz.toFixed(3)} Hz (${x.rate_deviation_pct!.toFixed(2)} %)`,
          )
          .join(", ") +
        `; VP ${f.victor_purpura!.toFixed(3)}, vR ${f.van_rossum!.toFixed(3)}`,
    );
    for (const p of ["exc", "inh"]) {
      expect(f.populations[p]!.reference_spikes).toBeGreaterThan(1000);
      expect(Math.abs(f.populations[p]!.rate_deviation_pct!)).toBeLessThan(5);
    }
  });
});
