// What a preset's cores implement natively, checked against a model before it is mapped. In: the discrete IR, a
// hardware spec (its `capabilities`) and whether the user allows programmable-core approximations; out: E0814
// per population or projection outside the cores' dynamics (caret on its model), or with the allowance W1014
// naming the costs the emulator borrows from the native dynamics.
//
// Neuron dynamics: "lif": a linear integrate-and-fire compartment (every ODE solved exactly, i.e. linear decays
// and inputs; a spike condition `x > c` or `x >= c` on a state variable; resets that set or add constants);
// "fixed-point-ir": any update the fixed-point lowering accepts (a programmable datapath within its operators).
// Synapse dynamics: "static": a weight added on pre (no synapse state written, no on post, no continuous
// coupling); "learning-rules": event-driven handlers on pre and on post (traces, weight updates) but no
// continuous coupling; "fixed-point-ir": any handler the lowering accepts (on a crossbar spec the mapper refuses
// synapse state itself, E0801). A spec without `capabilities` states none and is not checked.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt } from "../../compiler/ir/nodes.js";
import { networkSpan } from "../../compiler/ir/spans.js";
import type { HardwareSpec } from "./spec.js";

export type NeuronDynamics = "lif" | "fixed-point-ir";
export type SynapseDynamics = "static" | "learning-rules" | "fixed-point-ir";

/** The `capabilities` field of a preset (targets/hw/schemas.ts). */
export interface CoreCapabilities {
  neurons: NeuronDynamics;
  synapses: SynapseDynamics;
  source: string;
  table: string;
  note?: string;
}

const NEURON_TEXT: Record<NeuronDynamics, string> = {
  lif: "a linear leaky integrate-and-fire compartment (exact linear decays, a threshold on one variable, a reset to constants)",
  "fixed-point-ir": "any fixed-point program within the datapath's operators",
};
const SYNAPSE_TEXT: Record<SynapseDynamics, string> = {
  static: "static weights added on a presynaptic spike",
  "learning-rules": "event-driven synapses (on pre, on post) with learning rules, no continuous coupling",
  "fixed-point-ir": "any fixed-point synapse program",
};

const isConst = (e: IRExpr): boolean => e.k === "num" || (e.k === "ref" && e.ref.space === "param");

/** Why group g is not a linear LIF compartment, or null when it is one. */
function notLif(g: IRGroup): string | null {
  const methods = Object.entries(g.methods ?? {}).filter(([, m]) => m !== "exact");
  if (methods.length) return `it integrates ${methods.map(([v, m]) => `${v} (${m})`).join(", ")}: not linear dynamics`;
  const t = g.threshold;
  if (!t) return "it has no spike condition";
  if (!(
    t.k === "bin" &&
    (t.op === ">" || t.op === ">=") &&
    t.a.k === "ref" &&
    t.a.ref.space === "state" &&
    isConst(t.b)
  ))
    return "its spike condition is not one state variable against a constant";
  const resetOk = (s: IRStmt): boolean =>
    s.k === "assign" &&
    s.target.space === "state" &&
    (isConst(s.value) ||
      (s.value.k === "bin" &&
        (s.value.op === "+" || s.value.op === "-") &&
        s.value.a.k === "ref" &&
        s.value.a.ref.name === s.target.name &&
        isConst(s.value.b)));
  if (!g.reset.every(resetOk)) return "its reset does more than set or add constants";
  return null;
}

/** Why projection p is outside the synapse dynamics, or null. */
function notSynapse(p: IRProjection, dyn: SynapseDynamics): string | null {
  if (dyn === "fixed-point-ir") return null;
  if (p.continuous.length) return "it has a continuous coupling (evaluated every step, not on spikes)";
  if (dyn === "learning-rules") return null;
  if (p.onPost.length) return "it has an on post handler (plasticity)";
  let writes = false;
  const walk = (ss: readonly IRStmt[]): void => {
    for (const s of ss) {
      if (s.k === "if") {
        walk(s.then);
        walk(s.otherwise);
      } else if (s.k === "assign" && (s.target.space === "state" || s.target.space === "param")) writes = true;
    }
  };
  walk(p.onPre);
  return writes || p.eventDriven.length ? "it updates synapse state (plasticity or traces)" : null;
}

/** The emulator's costs a programmable-core approximation borrows from the native dynamics. */
function borrowed(spec: HardwareSpec, keys: readonly string[]): string {
  const e = spec.emulator?.energy as Record<string, { value: number } | undefined> | undefined;
  const l = spec.emulator?.latency as Record<string, { value: number } | undefined> | undefined;
  const parts = keys.flatMap((k) => {
    const en = e?.[k]?.value,
      la = l?.[k]?.value;
    if (en === undefined && la === undefined) return [];
    const bits = [
      en !== undefined ? `${+(en * 1e12).toPrecision(4)} pJ` : "",
      la !== undefined ? `${+(la * 1e9).toPrecision(4)} ns` : "",
    ];
    return [`${k} ${bits.filter(Boolean).join(" / ")}`];
  });
  return parts.length ? parts.join(", ") : "none (the spec cites no per-operation cost for them)";
}

/** E0814 (or W1014 when approximations are allowed) for every population and projection outside the spec's
 *  native dynamics; [] when the spec states no capabilities. */
export function capabilityDiagnostics(ir: IRProgram, spec: HardwareSpec, allowApproximate: boolean): Diagnostic[] {
  const cap = spec.capabilities;
  if (!cap) return [];
  const out: Diagnostic[] = [];
  const report = (
    what: string,
    why: string,
    native: string,
    costs: string,
    at: Diagnostic["span"],
    pop: Diagnostic["span"] | undefined,
  ): void => {
    out.push(
      allowApproximate
        ? {
            code: "W1014",
            severity: "warning",
            message: `${spec.name}: ${what} runs on its cores as a programmable-core approximation (${why}; the cores implement ${native}): the emulator's costs for it are borrowed from the native dynamics: ${costs}`,
            span: at,
            related: pop ? [{ span: pop, message: "mapped here" }] : [],
            hint: "the cycles and energy of this model are estimates from another model's costs; the fixed-point results are the preset's word widths",
          }
        : {
            code: "E0814",
            severity: "error",
            message: `${spec.name}: ${what} is not what its cores implement natively: ${why}; the cores implement ${native}`,
            span: at,
            related: pop ? [{ span: pop, message: "mapped here" }] : [],
            hint: `map it onto a preset with programmable cores (fpga-ultrascale), or pass --allow-approximate-cores to run it with ${spec.name}'s native costs borrowed (a warning lists them)`,
          },
    );
  };
  if (cap.neurons === "lif")
    for (const g of ir.groups) {
      const why = notLif(g);
      if (why)
        report(
          `population ${g.name} (${g.kind} model ${g.model})`,
          why,
          NEURON_TEXT.lif,
          borrowed(spec, g.kind === "astrocyte" ? ["astrocyteUpdate"] : ["neuronActive", "neuronInactive"]),
          g.modelSpan ?? g.span ?? networkSpan(ir),
          g.modelSpan ? g.span : undefined,
        );
    }
  // a crossbar's mapper refuses synapse state itself (E0801 at the connect, naming the handler that writes it)
  if (spec.kind === "crossbar") return out;
  for (const p of ir.projections) {
    const why = notSynapse(p, cap.synapses);
    if (why)
      report(
        `projection ${p.name} (synapse model ${p.synapse})`,
        why,
        SYNAPSE_TEXT[cap.synapses],
        borrowed(spec, ["synapticOp", "learningUpdate"]),
        p.modelSpan ?? p.span ?? networkSpan(ir),
        p.modelSpan ? p.span : undefined,
      );
  }
  return out;
}
