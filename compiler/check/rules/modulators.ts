// Rule: network modulators `modulator NAME [: unit] = expr`, evaluated in declaration order: unique
// names (E0202), annotation vs value (E0307), rate()/mean()/mod. of earlier ones. In: the NetContext;
// out: every modulator's dimension (for mod.X in models) and diagnostics.

import type { Span } from "../../diagnostics/span.js";
import type { Dim } from "../../units/units.js";
import type { NetContext } from "../context.js";
import type { NetEnv } from "../net-env.js";
import { annotationDim, checkAgainstAnnotation } from "./annotate.js";

/** Fills env.modulators (which mod.X may read) in order and returns the complete table. */
export function checkModulators(net: NetContext, env: NetEnv): Map<string, Dim | undefined> {
  const first = new Map<string, Span>();
  for (const item of net.network.items) {
    if (item.kind !== "Modulator") continue;
    const declared = annotationDim(item.unit, env);
    const ty = env.infer(item.value, { modulator: true });
    checkAgainstAnnotation(item.name, declared, ty, item.value.span, env);
    const prev = first.get(item.name);
    if (prev) {
      env.diags.error("E0202", item.nameSpan, `modulator \`${item.name}\` is already declared`, {
        related: [{ span: prev, message: "first declared here" }],
      });
      continue;
    }
    first.set(item.name, item.nameSpan);
    env.modulators.set(item.name, declared ?? (ty.t === "num" ? ty.dim : undefined));
  }
  return env.modulators;
}
