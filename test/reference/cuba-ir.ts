// The CUBA benchmark network (Vogels & Abbott 2005; Brian2's examples/CUBA.py) as a hand-built discrete
// IR program, with the exact linear propagator written out. In: sizes and duration; out: an IRProgram.

import type { IRExpr, IRProgram, IRStmt } from "../../compiler/ir/nodes.js";
import { b, group, n, program, projection, r, set, v } from "./ir-helpers.js";

export function cubaProgram(N = 4000, p = 0.02, steps = 10000, seed = 1): IRProgram {
  const dt = 1e-4,
    taum = 0.02,
    taue = 0.005,
    taui = 0.01,
    Vt = -0.05,
    Vr = -0.06,
    El = -0.049;
  const em = Math.exp(-dt / taum),
    ee = Math.exp(-dt / taue),
    ei = Math.exp(-dt / taui);
  const ce = (taue / (taue - taum)) * (ee - em),
    ci = (taui / (taui - taum)) * (ei - em);
  // v(t+dt) = El + (v-El) em + ge ce + gi ci; ge, gi decay exponentially; v clamped while refractory
  const vNew: IRExpr = b(
    "+",
    b("+", b("+", n(El), b("*", b("-", r("state", "v"), n(El)), n(em))), b("*", r("state", "ge"), n(ce))),
    b("*", r("state", "gi"), n(ci)),
  );
  const update: IRStmt[] = [
    { k: "let", name: "v_new", value: vNew },
    set("state", "v", { k: "sel", c: r("flag", "refractory"), a: r("state", "v"), b: r("local", "v_new") }),
    set("state", "ge", b("*", r("state", "ge"), n(ee))),
    set("state", "gi", b("*", r("state", "gi"), n(ei))),
  ];
  const Ne = Math.round(N * 0.8);
  const pop = (name: string, size: number) =>
    group(name, size, {
      state: [v("v", { k: "dist", dist: "uniform", args: [n(Vr), n(Vt)], scale: 1 }), v("ge", 0), v("gi", 0)],
      update,
      threshold: b(">", r("state", "v"), n(Vt)),
      reset: [set("state", "v", n(Vr))],
      refractory: { steps: 50, clamp: ["v"] },
    });
  const conn = (name: string, pre: [string, number], post: [string, number], w: number, onto: string) =>
    projection(name, pre, post, {
      rule: { k: "fixed_probability", p },
      allowSelf: true,
      onPre: [set("post", onto, b("+", r("post", onto), n(w)))],
    });
  const exc: [string, number] = ["exc", Ne],
    inh: [string, number] = ["inh", N - Ne];
  return program({
    network: "CUBA",
    dt,
    seed,
    steps,
    groups: [pop("exc", Ne), pop("inh", N - Ne)],
    projections: [
      conn("ee", exc, exc, 0.00162, "ge"),
      conn("ei", exc, inh, 0.00162, "ge"),
      conn("ie", inh, exc, -0.009, "gi"),
      conn("ii", inh, inh, -0.009, "gi"),
    ],
    monitors: [
      { k: "spikes", target: { population: "exc", start: 0, end: Ne }, everySteps: 1 },
      { k: "spikes", target: { population: "inh", start: 0, end: N - Ne }, everySteps: 1 },
    ],
  });
}
