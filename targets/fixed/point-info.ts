// What a fixed-point run tells the fidelity report about its words. In: a FixedProgram and the executor's
// overflow counts; out: a FixedPointInfo (targets/target.ts): the format and LSB of every stored state variable
// of every group and projection, the overflows counted per "OWNER.var", and the decays the coefficient grid moved.

import type { FixedPointInfo } from "../target.js";
import type { FixedProgram } from "./ir.js";
import { formatName, ulp } from "./qformat.js";

export function fixedPointInfo(
  fp: FixedProgram,
  overflows: Record<string, number>,
  decays: FixedPointInfo["decays"] = [],
): FixedPointInfo {
  const formats: FixedPointInfo["formats"] = {};
  for (const o of [...fp.groups, ...fp.projections])
    for (const v of o.vars)
      if (v.space !== "param")
        formats[`${o.name}.${v.name}`] = {
          format: formatName(v.fmt),
          ulp: ulp(v.fmt),
          intBits: v.fmt.intBits,
          fracBits: v.fmt.fracBits,
          signed: v.fmt.signed,
        };
  return {
    spec: fp.spec.name,
    stateBits: fp.spec.stateBits,
    overflow: fp.spec.overflow,
    formats,
    overflows,
    ...(decays.length ? { decays } : {}),
  };
}
