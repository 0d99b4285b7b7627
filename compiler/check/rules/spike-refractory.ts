// Rule: the spike condition is boolean (E0305), the refractory period and a model's own dt are times
// (E0309), clamped names are state variables (E0406). In: a ModelEnv; out: diagnostics.

import { DIM, closest, dimEq, formatDim } from "../../units/units.js";
import { asNumber, expectBool } from "../dims.js";
import type { Expr } from "../../syntax/ast.js";
import type { ModelEnv } from "../model-env.js";

function expectTime(e: Expr, what: string, env: ModelEnv): void {
  const ty = asNumber(env.infer(e), e.span, env);
  if (ty.t === "num" && ty.dim && !dimEq(ty.dim, DIM.time)) {
    env.diags.error("E0309", e.span, `${what} must be a time, but this is ${formatDim(ty.dim)}`, {
      related: env.related,
      hint: "write a unit of time, e.g. `2 ms`",
    });
  }
}

export function checkSpikeAndRefractory(env: ModelEnv): void {
  const m = env.model;
  if (m.spike) {
    expectBool(
      env.infer(m.spike.condition),
      m.spike.condition.span,
      env,
      "the spike condition must be a comparison or boolean",
    );
  }
  if (m.refractory) {
    expectTime(m.refractory.period, "the refractory period", env);
    for (const c of m.refractory.clamp) {
      const sym = env.symbols.byName.get(c.name);
      if (sym?.kind === "state") continue;
      const near = sym
        ? undefined
        : closest(
            c.name,
            m.state.map((d) => d.name),
          );
      env.diags.error(
        "E0406",
        c.span,
        sym
          ? `\`${c.name}\` is a ${sym.kind}; only state variables can be clamped`
          : `\`${c.name}\` is not a state variable of ${m.name}`,
        {
          hint: near ? `did you mean \`${near}\`?` : "clamp lists state variables held during the refractory period",
        },
      );
    }
  }
  if (m.dt) expectTime(m.dt, "the model's dt", env);
}
