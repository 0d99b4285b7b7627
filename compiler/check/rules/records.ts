// Rule: `record WHAT of POPS [every T]`. Targets are populations, sources or named projections
// (E0206); WHAT is `spikes`, `rate` or a variable of the model (E0511); `every` is a positive time
// (E0309). In: the NetContext; out: diagnostics.

import { DIM, closest, dimEq, formatDim } from "../../units/units.js";
import { constValue } from "../const-value.js";
import { asNumber } from "../dims.js";
import type { NetContext } from "../context.js";
import type { NetEnv } from "../net-env.js";
import { resolvePopRef } from "./poprefs.js";

export function checkRecords(net: NetContext, env: NetEnv): void {
  for (const item of net.network.items) {
    if (item.kind !== "Record") continue;
    for (const ref of item.targets) {
      const proj = !ref.slice ? net.projections.get(ref.name) : undefined;
      if (proj) {
        const syn = net.ctx.info.models.get(proj.synapse);
        if (syn?.modelKind !== "synapse") continue;
        const vars = [...syn.state, ...syn.parameters].map((d) => d.name);
        if (!vars.includes(item.what)) {
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
