// Rule: white noise in equations (`xi`, `xi_NAME`, dimension 1/sqrt(time), as in Brian2). Noise may appear
// only in the right side of a neuron's or astrocyte's ODE (elsewhere E0420, from the dimension checker; in a
// synapse's event-driven ODE E0420 here), must enter it linearly, x' = f + g * xi with g free of noise
// (E0421), plain `xi` in one ODE only (E0423: `xi_NAME` names a noise shared by the ODEs that name it), and
// the model's method must be able to integrate it: euler (Euler–Maruyama), exact, or automatic (E0422 for
// rk4 and exponential_euler). In: a ModelEnv; out: diagnostics.

import type { Expr } from "../../syntax/ast.js";
import { isNoiseName } from "../dims.js";
import { linearity, type NameClass } from "../linear.js";
import type { ModelEnv } from "../model-env.js";

/** The noise names an expression reads (names the model does not declare), each with its first node. */
export function noiseNames(
  e: Expr,
  declared: (name: string) => boolean,
  out = new Map<string, Expr>(),
): Map<string, Expr> {
  switch (e.kind) {
    case "Name":
      if (isNoiseName(e.name) && !declared(e.name) && !out.has(e.name)) out.set(e.name, e);
      break;
    case "Unary":
      noiseNames(e.operand, declared, out);
      break;
    case "Binary":
      noiseNames(e.left, declared, out);
      noiseNames(e.right, declared, out);
      break;
    case "Conditional":
      for (const x of [e.cond, e.then, e.otherwise]) noiseNames(x, declared, out);
      break;
    case "Call":
      for (const a of e.args) noiseNames(a.value, declared, out);
      break;
    case "List":
      for (const x of e.items) noiseNames(x, declared, out);
      break;
    default:
      break;
  }
  return out;
}

export function checkNoise(env: ModelEnv): void {
  const declared = (name: string): boolean => env.symbols.byName.has(name);
  let plainXi: Expr | undefined;
  let noisy: Expr | undefined;
  for (const eq of env.model.equations) {
    if (eq.kind === "Alias") continue;
    const names = noiseNames(eq.value, declared);
    if (names.size === 0) continue;
    const [first, at] = [...names][0]!;
    if (env.model.modelKind === "synapse") {
      env.diags.error("E0420", at.span, `white noise \`${first}\` in an equation of synapse ${env.model.name}`, {
        hint: "synapse equations are advanced only at events (event-driven); put the noise into the neuron's equations",
      });
      continue;
    }
    noisy ??= at;
    const xi = names.get("xi");
    if (xi) {
      if (plainXi)
        env.diags.error("E0423", xi.span, "plain `xi` appears in more than one ODE", {
          related: [{ span: plainXi.span, message: "first used here" }],
          hint: "name the noises: xi_1 in both ODEs for one shared noise, xi_1 and xi_2 for independent ones",
        });
      else plainXi = xi;
    }
    const classify = (name: string): NameClass => (names.has(name) ? "var" : "const");
    const lin = linearity(eq.value, classify);
    if (lin.kind === "nonlinear")
      env.diags.error("E0421", lin.at.span, `white noise enters ${eq.name}' nonlinearly (${lin.why})`, {
        hint: "write the noise as an additive term: x' = f(x) + g(x) * xi",
      });
  }
  const m = env.model.method;
  if (noisy && m && (m.name === "rk4" || m.name === "exponential_euler")) {
    env.diags.error("E0422", m.span, `method ${m.name} cannot integrate white noise`, {
      related: [{ span: noisy.span, message: "noise used here" }],
      hint: "use `method euler` (Euler–Maruyama), `method exact` (exact for linear equations, e.g. Ornstein–Uhlenbeck) or leave the method out",
    });
  }
}
