// Rule: a model's own `dt` (astrocytes on a slower clock) is a positive whole multiple of the
// network dt (E0413), checked for every population of such a model. In: the NetContext.

import { constValue } from "../const-value.js";
import type { NetContext } from "../context.js";
import type { NetEnv } from "../net-env.js";

export function checkModelDt(net: NetContext, env: NetEnv): void {
  for (const item of net.network.items) {
    if (item.kind !== "Population") continue;
    const model = net.pops.get(item.name)?.model;
    if (!model?.dt) continue;
    const v = constValue(model.dt);
    if (v === undefined) continue; // not a constant time: reported with the model
    const ratio = v / net.dt;
    if (!(v > 0) || Math.abs(ratio - Math.round(ratio)) > 1e-6 * Math.max(1, ratio) || Math.round(ratio) < 1) {
      env.diags.error(
        "E0413",
        model.dt.span,
        `dt of ${model.name} (${ms(v)} ms) is not a positive multiple of the network dt (${ms(net.dt)} ms)`,
        {
          related: [{ span: item.nameSpan, message: `population ${item.name} of network ${net.network.name}` }],
          hint: `use a whole multiple such as ${ms(Math.max(1, Math.round(ratio)) * net.dt)} ms`,
        },
      );
    }
  }
}

const ms = (seconds: number): number => Number((seconds * 1e3).toPrecision(6));
