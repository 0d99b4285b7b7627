// Rule: `record WHAT of POPS [every T]`. Targets are populations, sources or named projections
// (E0206); WHAT is `spikes`, `rate` or a variable of the model (E0511), of the synapse model for a
// projection; a projection's subset `PROJ[a:b]` or `PROJ[i, j, ...]` holds constant non-negative integer
// synapse numbers, a slice with a < b (E0521; beyond the projection's synapses is a run-time E0521); `every`
// is a positive time (E0309). In: the NetContext; out: diagnostics.

import { DIM, closest, dimEq, formatDim, isDimensionless } from "../../units/units.js";
import { constValue } from "../const-value.js";
import { asNumber } from "../dims.js";
import type { NetContext } from "../context.js";
import type { NetEnv } from "../net-env.js";
import { resolvePopRef } from "./poprefs.js";
import type { PopRef } from "../../syntax/ast.js";

export function checkRecords(net: NetContext, env: NetEnv): void {
  for (const item of net.network.items) {
    if (item.kind !== "Record") continue;
    for (const ref of item.targets) {
      const proj = net.projections.get(ref.name);
      if (proj) {
        checkSynapseSubset(ref, env);
        const syn = net.ctx.info.models.get(proj.synapse);
        if (syn?.modelKind !== "synapse") continue;
        const vars = [...syn.state, ...syn.parameters].map((d) => d.name);
        if (item.what === "spikes" || item.what === "rate") {
          env.diags.error("E0511", item.whatSpan, `${ref.name} is a projection; synapses have no \`${item.what}\``, {
            hint: `record a synapse variable (${vars.join(", ") || "none"}) of ${ref.name}, or \`${item.what}\` of its populations`,
          });
        } else if (!vars.includes(item.what)) {
          const near = closest(item.what, vars);
          env.diags.error(
            "E0511",
            item.whatSpan,
            `synapse ${syn.name} of projection ${ref.name} has no variable \`${item.what}\``,
            { hint: near ? `did you mean \`${near}\`?` : `variables: ${vars.join(", ") || "(none)"}` },
          );
        }
        continue;
      }
      const r = resolvePopRef(ref, net, env, { sources: true, role: "recorded" });
      if (!r) continue;
      const pop = r.pop;
      if (item.what === "spikes" || item.what === "rate") {
        if (pop.model?.modelKind === "astrocyte") {
          env.diags.error(
            "E0511",
            item.whatSpan,
            `${pop.name} is a population of astrocyte ${pop.model.name}; astrocytes do not spike`,
            { hint: "record a state variable instead" },
          );
        }
        continue;
      }
      if (pop.source) {
        env.diags.error(
          "E0511",
          item.whatSpan,
          `${pop.name} is an input source; only \`spikes\` and \`rate\` can be recorded`,
        );
        continue;
      }
      const model = pop.model;
      if (!model) continue;
      const syms = net.ctx.info.symbols.get(model);
      if (syms?.byName.has(item.what)) continue;
      const near = closest(item.what, [...(syms?.byName.keys() ?? []), "spikes", "rate"]);
      env.diags.error(
        "E0511",
        item.whatSpan,
        `model ${model.name} of population ${pop.name} has no variable \`${item.what}\``,
        {
          hint: near ? `did you mean \`${near}\`?` : "record `spikes`, `rate`, or a state variable, input or alias",
        },
      );
    }
    if (item.every) {
      const ty = asNumber(env.infer(item.every), item.every.span, env);
      if (ty.t === "num" && ty.dim && !dimEq(ty.dim, DIM.time)) {
        env.diags.error("E0309", item.every.span, `\`every\` must be a time, but this is ${formatDim(ty.dim)}`);
      } else if (ty.t === "num" && !((constValue(item.every) ?? 0) > 0)) {
        env.diags.error("E0309", item.every.span, "`every` must be a positive constant time");
      }
    }
  }
}

/** A synapse monitor's subset: constant non-negative integers, slices non-empty (E0521). */
function checkSynapseSubset(ref: PopRef, env: NetEnv): void {
  const exprs = ref.indices ?? (ref.slice ? [ref.slice.start, ref.slice.end] : []);
  const values: number[] = [];
  for (const e of exprs) {
    const ty = asNumber(env.infer(e), e.span, env);
    if (ty.t !== "num") return;
    const v = constValue(e);
    if (v === undefined || !Number.isInteger(v) || v < 0 || (ty.dim && !isDimensionless(ty.dim))) {
      env.diags.error("E0521", e.span, "a synapse number must be a constant non-negative integer", {
        hint: "synapses are numbered 0, 1, ... in construction order (pre ascending, then post ascending)",
      });
      return;
    }
    values.push(v);
  }
  if (ref.slice && values.length === 2 && values[0]! >= values[1]!) {
    env.diags.error("E0521", ref.span, `synapse slice [${values[0]}:${values[1]}] is empty`, {
      hint: "slices are half-open: [start:end] with start < end",
    });
  }
}
