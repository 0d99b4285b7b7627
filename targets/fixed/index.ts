// The fixed-point target: quantize the discrete IR for a FixedSpec, then run it bit-exactly. In: a discrete
// IRProgram and RunOptions; out: a RunResult, or diagnostics (E0802 for constructs with no fixed-point form,
// E0801 for what the executor cannot run, E0807 before anything is allocated past the step, element or memory
// limits, E0811 for the first overflow of a format during the run: an error unless RunOptions.numericGuard is
// "warn"). RunOptions.hw (a preset or a spec file) sets the word widths and the neuron mode (the loihi preset:
// Lava's LIF where a group fits, an E0801 note for each group that does not).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { groupSpan, networkSpan } from "../../compiler/ir/spans.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult, Target } from "../target.js";
import { TargetError } from "../target.js";
import { execute } from "./executor.js";
import { overflowDiagnostic } from "./guard.js";
import type { FixedSpec } from "./ir.js";
import { quantize } from "./quantize.js";
import { resolveHardware } from "./hw-option.js";
import { resourceDiagnostics } from "../network/budget.js";
import { fixedPointInfo } from "./point-info.js";
import { decayShifts } from "./decay-consistent.js";

/** A generic 16-bit datapath: 16-bit state, 8-bit weights, 16-bit multipliers, 32-bit accumulator. */
export const DEFAULT_FIXED_SPEC: FixedSpec = {
  name: "default-16",
  stateBits: 16,
  weightBits: 8,
  coefBits: 16,
  accBits: 32,
  rounding: "nearest-even",
  overflow: "saturate",
  headroomBits: 1,
};

export function makeFixedTarget(spec: FixedSpec = DEFAULT_FIXED_SPEC, profileSteps?: number): Target {
  return {
    name: "fixed",
    run(program: IRProgram, options: RunOptions): { result?: RunResult; diagnostics: Diagnostic[] } {
      const tooBig = resourceDiagnostics(program, options);
      if (tooBig.length > 0) return { diagnostics: tooBig };
      let used = spec;
      if (options.hw !== undefined) {
        const hw = resolveHardware(options.hw);
        if (!hw.spec) return { diagnostics: hw.diagnostics };
        used = hw.spec;
      }
      const q = quantize(program, { spec: used, profileSteps });
      if (!q.program || hasErrors(q.diagnostics)) return { diagnostics: q.diagnostics };
      try {
        const ran = execute(q.program, options);
        const notes: Diagnostic[] = ran.loihiRefused.map((r) => ({
          code: "E0801",
          severity: "note",
          span: groupSpan(program, r.group),
          related: [],
          message: `loihi mode: group ${r.group} runs on the generic fixed-point path: ${r.reason}`,
          hint: "Lava's LIF takes a current-based LIF: two state variables, affine update, `v > Vt`, `v = Vr`, no refractory period, synapses `post.I += w`",
        }));
        const first = ran.firstOverflow;
        if (first) {
          const d = overflowDiagnostic(program, first, "fixed", options.numericGuard === "warn");
          if (d.severity === "error") return { diagnostics: [...q.diagnostics, ...notes, d] };
          notes.push(d);
        }
        return {
          result: {
            ...ran.result,
            fixedPoint: fixedPointInfo(q.program, ran.overflows, decayShifts(program, used)),
          },
          diagnostics: [...q.diagnostics, ...notes],
        };
      } catch (err) {
        if (!(err instanceof TargetError)) throw err;
        const d: Diagnostic = {
          code: err.code ?? "E0801",
          severity: "error",
          message: `fixed target: ${err.message}`,
          span: err.span ?? networkSpan(program),
          related: [],
          hint: err.hint,
        };
        return { diagnostics: [...q.diagnostics, d] };
      }
    },
  };
}

export const fixedTarget: Target = makeFixedTarget();
