// Test helpers for the checker: parse source text with the real parser, check it, and print each
// diagnostic as `CODE line:col-endLine:endCol message`. In: glia source; out: diagnostics.

import { parseSource } from "../../compiler/syntax/parse.js";
import { checkProgram } from "../../compiler/check/check.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";

export const FILE = "test.glia";

export interface Checked {
  parseErrors: Diagnostic[];
  diagnostics: Diagnostic[];
}

export function check(source: string, data: Record<string, string> = {}, file = FILE): Checked {
  const parsed = parseSource(source, file);
  const { diagnostics } = checkProgram({ kind: "Program", files: [parsed.ast] }, new Map(Object.entries(data)));
  return { parseErrors: parsed.diagnostics, diagnostics };
}

export function spanText(d: Diagnostic): string {
  const s = d.span;
  return `${s.line}:${s.col}-${s.endLine}:${s.endCol}`;
}

export function brief(list: readonly Diagnostic[]): string[] {
  return list.map((d) => `${d.code} ${spanText(d)} ${d.message}`);
}

export const errors = (list: readonly Diagnostic[]) => list.filter((d) => d.severity === "error");

/** A LIF neuron with conductance-like inputs in mV (the CUBA benchmark's neuron). */
export const LIF = `
neuron LIF {
  parameters {
    tau_m: ms = 20 ms
    E_L: mV = -49 mV
    V_th: mV = -50 mV
    V_reset: mV = -60 mV
    t_ref: ms = 5 ms
    tau_e: ms = 5 ms
    tau_i: ms = 10 ms
  }
  state {
    v: mV = uniform(V_reset, V_th)
    ge: mV = 0 mV
    gi: mV = 0 mV
  }
  equations {
    v' = (ge + gi - (v - E_L)) / tau_m
    ge' = -ge / tau_e
    gi' = -gi / tau_i
  }
  spike when v > V_th { v = V_reset }
  refractory t_ref clamp v
}
synapse Static { parameters { w } on pre { post.target += w } }
`;

export const CUBA = `${LIF}
network CUBA {
  dt = 0.1 ms
  seed = 1
  population exc = LIF[3200]
  population inh = LIF[800]
  connect exc -> exc, inh with Static(w = 1.62 mV) onto ge fixed_probability(0.02)
  connect inh -> exc, inh with Static(w = -9 mV) onto gi fixed_probability(0.02)
  record spikes of exc, inh
  record v of exc[0:10]
  run 1 s
}
`;
