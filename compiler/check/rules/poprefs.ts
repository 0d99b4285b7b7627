// Population references `NAME` or `NAME[a:b]`: the name is a population or source (E0206) and the
// half-open slice lies inside its size (E0503); an index list `[a, b]` is for synapse monitors only (E0520). In: a PopRef; out: the population and element count.

import type { PopRef } from "../../syntax/ast.js";
import { closest, formatDim, isDimensionless } from "../../units/units.js";
import { constValue, isIntegral } from "../const-value.js";
import { asNumber } from "../dims.js";
import type { NetContext, PopInfo } from "../context.js";
import type { NetEnv } from "../net-env.js";

export interface ResolvedRef {
  pop: PopInfo;
  /** Number of elements referenced, when the size and slice are known. */
  count?: number;
}

export function resolvePopRef(
  ref: PopRef,
  net: NetContext,
  env: NetEnv,
  opts: { sources: boolean; role: string },
): ResolvedRef | undefined {
  const pop = net.pops.get(ref.name);
  if (!pop) {
    const near = closest(ref.name, net.pops.keys());
    const proj = net.projections.has(ref.name);
    env.diags.error(
      "E0206",
      ref.nameSpan,
      proj ? `\`${ref.name}\` is a projection, not a population` : `unknown population \`${ref.name}\``,
      {
        hint: near ? `did you mean \`${near}\`?` : "declare it with `population NAME = MODEL[size]`",
      },
    );
    return undefined;
  }
  if (pop.source && !opts.sources) {
    env.diags.error("E0206", ref.nameSpan, `\`${ref.name}\` is an input source and cannot be ${opts.role}`, {
      related: [{ span: pop.nameSpan, message: "declared here" }],
      hint: "input sources only emit spikes: use them on the left of `->`",
    });
    return undefined;
  }
  if (ref.indices) {
    env.diags.error("E0520", ref.span, `an index list selects synapses of a projection; ${ref.name} takes a slice`, {
      hint: `write ${ref.name}[start:end] (half-open)`,
    });
    return { pop };
  }
  if (!ref.slice) return { pop, count: pop.size };
  const bounds: (number | undefined)[] = [];
  for (const e of [ref.slice.start, ref.slice.end]) {
    const ty = asNumber(env.infer(e), e.span, env);
    if (ty.t !== "num") return { pop };
    if (ty.dim && !isDimensionless(ty.dim)) {
      env.diags.error("E0503", e.span, `a slice bound must be a plain integer, but this is ${formatDim(ty.dim)}`);
      return { pop };
    }
    const v = constValue(e);
    if (v === undefined || !isIntegral(v)) {
      env.diags.error("E0503", e.span, "a slice bound must be a constant integer");
      return { pop };
    }
    bounds.push(Math.round(v));
  }
  const [a, b] = bounds as [number, number];
  if (pop.size === undefined) return { pop };
  if (a < 0 || b > pop.size || a >= b) {
    env.diags.error("E0503", ref.span, `slice [${a}:${b}] is out of range for ${ref.name} of size ${pop.size}`, {
      related: [{ span: pop.nameSpan, message: `${ref.name} has ${pop.size} elements` }],
      hint: `slices are half-open: 0 <= start < end <= ${pop.size}`,
    });
    return { pop };
  }
  return { pop, count: b - a };
}
