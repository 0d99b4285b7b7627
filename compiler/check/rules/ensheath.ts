// Rule: `ensheath PROJ, ... with ASTROPOP random(pool = k) | block(pool = k)`. Known named
// projections (E0206), an astrocyte population (E0206, E0507), a known pool rule (E0213) with a
// positive integer pool (E0502). In: the NetContext; out: diagnostics.

import { closest } from "../../units/units.js";
import type { NetContext } from "../context.js";
import type { NetEnv } from "../net-env.js";
import { matchArgs, type ArgSpec } from "./args.js";
import { checkSize } from "./network-populations.js";

export const ENSHEATH_RULES: Record<string, ArgSpec[]> = {
  random: [{ name: "pool", required: true }],
  block: [{ name: "pool", required: true }],
};

export function checkEnsheath(net: NetContext, env: NetEnv): void {
  for (const item of net.network.items) {
    if (item.kind !== "Ensheath") continue;
    for (const p of item.projections) {
      if (net.projections.has(p.name)) continue;
      const near = closest(p.name, net.projections.keys());
      env.diags.error(
        "E0206",
        p.span,
        net.pops.has(p.name)
          ? `\`${p.name}\` is a population; ensheath takes named projections`
          : `unknown projection \`${p.name}\``,
        {
          hint: near ? `did you mean \`${near}\`?` : "name the projection: `connect NAME: pre -> post with ...`",
        },
      );
    }
    const pop = net.pops.get(item.astrocytes);
    if (!pop) {
      const near = closest(item.astrocytes, net.pops.keys());
      env.diags.error("E0206", item.astrocytesSpan, `unknown population \`${item.astrocytes}\``, {
        hint: near ? `did you mean \`${near}\`?` : undefined,
      });
    } else if (pop.source || (pop.model && pop.model.modelKind !== "astrocyte")) {
      env.diags.error(
        "E0507",
        item.astrocytesSpan,
        `\`${item.astrocytes}\` is ${pop.source ? "an input source" : `a population of ${pop.model!.modelKind} ${pop.model!.name}`}, not of an astrocyte model`,
        {
          related: [{ span: pop.nameSpan, message: "declared here" }],
        },
      );
    }
    const spec = ENSHEATH_RULES[item.rule.name];
    if (!spec) {
      const near = closest(item.rule.name, Object.keys(ENSHEATH_RULES));
      env.diags.error("E0213", item.rule.span, `unknown ensheath rule \`${item.rule.name}\``, {
        hint: near ? `did you mean \`${near}\`?` : "rules: random(pool = k), block(pool = k)",
      });
      continue;
    }
    const pool = matchArgs(item.rule.name, item.rule.span, item.rule.args, spec, env.diags).get("pool");
    if (pool) checkSize(pool.value, env, "a pool size");
  }
}
