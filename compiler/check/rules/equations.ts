// Rule: the equations section. ODEs only for state variables (E0403), one per variable (E0405), the
// right side in dim(x)/time (E0302), where white noise xi has dimension 1/sqrt(time) (rules in noise.ts);
// aliases match their annotation (E0307). In: a ModelEnv.

import type { Span } from "../../diagnostics/span.js";
import { DIM, closest, dimDiv, dimEq, formatDim, type Dim } from "../../units/units.js";
import { asNumber } from "../dims.js";
import type { ModelEnv } from "../model-env.js";
import { annotationDim, checkAgainstAnnotation } from "./annotate.js";
import { checkNoise } from "./noise.js";

export function checkEquations(env: ModelEnv): void {
  const odes = new Map<string, Span>();
  for (const eq of env.model.equations) {
    if (eq.kind === "Alias") {
      const declared = annotationDim(eq.unit, env);
      checkAgainstAnnotation(eq.name, declared, env.infer(eq.value), eq.value.span, env);
      continue;
    }
    // white noise (xi) is read here only; checkNoise says where it may be and how
    const rhs = asNumber(
      env.infer(eq.value, { distributions: false, modulator: false, noise: true }),
      eq.value.span,
      env,
    );
    const sym = env.symbols.byName.get(eq.name);
    if (!sym || sym.kind !== "state") {
      const states = env.model.state.map((d) => d.name);
      const near = sym ? undefined : closest(eq.name, states);
      env.diags.error(
        "E0403",
        eq.nameSpan,
        sym
          ? `\`${eq.name}\` is ${article(sym.kind)}, not a state variable; only state variables have ODEs`
          : `\`${eq.name}\` is not a state variable`,
        {
          hint: near ? `did you mean \`${near}'\`?` : `declare it in \`state { ${eq.name} = ... }\``,
        },
      );
      continue;
    }
    const prev = odes.get(eq.name);
    if (prev) {
      env.diags.error("E0405", eq.nameSpan, `\`${eq.name}\` already has an ODE`, {
        related: [{ span: prev, message: "first ODE here" }],
        hint: "combine the right sides into one equation",
      });
      continue;
    }
    odes.set(eq.name, eq.nameSpan);
    const x = env.symbolTy(sym);
    if (rhs.t !== "num" || !rhs.dim || x.t !== "num" || !x.dim) continue;
    const want = dimDiv(x.dim, DIM.time);
    if (!dimEq(rhs.dim, want)) {
      env.diags.error(
        "E0302",
        eq.value.span,
        `${eq.name}' must be ${perSecond(x.dim)} but the right side is ${formatDim(rhs.dim)}`,
        {
          related: env.related,
          hint: dimEq(rhs.dim, x.dim)
            ? "divide by a time constant, e.g. `/ tau`"
            : `the right side is the rate of change of \`${eq.name}\` per second`,
        },
      );
    }
  }
  checkNoise(env);
}

/** dim/time as the user thinks of it: "V/s", "1/s", "A/s" (formatDim would say Hz for 1/s). */
function perSecond(d: Dim): string {
  const base = formatDim(d);
  return /^[A-Za-z]+$|^1$/.test(base) ? `${base}/s` : formatDim(dimDiv(d, DIM.time));
}

function article(kind: string): string {
  return kind === "input" || kind === "alias" ? `an ${kind}` : `a ${kind}`;
}
