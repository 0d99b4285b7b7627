// Time discretization of NIR's continuous-time neurons: the conventions glia offers (`--nir-convention`) and
// the glia neuron models each one gives. In: a convention name and a NIR neuron type; out: the model's glia
// source, the variable incoming spikes are added to, and the factor on a NIR weight. docs/nir.md states each
// rule; compiler/nir/lower.ts uses them.
//
// NIR's equations (dimensionless v, times in seconds): LIF tau v' = (v_leak - v) + r I; CubaLIF
// tau_syn i' = -i + w_in I, tau_mem v' = (v_leak - v) + r i; IF v' = r I; LI as LIF without spikes;
// Integrator (I) v' = r I; Threshold: a spike when I > threshold. I is the sum of the weighted input spikes
// and of the biases.

export type ConventionName = "nir" | "snntorch" | "snntorch-synaptic" | "norse" | "sinabs";

export interface Convention {
  name: ConventionName;
  /** One line for --help and the generated file's header. */
  about: string;
  /** exact: each spike a Dirac delta of area w (a jump), the ODE solved exactly between steps;
   *  euler: I held over the step as the step's sum of weights, forward Euler. */
  input: "dirac" | "step";
  reset: "value" | "subtract" | "subtract-delayed";
  compare: ">" | ">=";
  /** CubaLIF: v's update reads the current already updated in the same step (snnTorch Synaptic), not the old one. */
  newCurrent?: boolean;
}

export const CONVENTIONS: Record<ConventionName, Convention> = {
  nir: {
    name: "nir",
    about: "NIR's continuous time: spikes are Dirac deltas (v jumps r w / tau), exact integration, reset to v_reset",
    input: "dirac",
    reset: "value",
    compare: ">",
  },
  snntorch: {
    name: "snntorch",
    about:
      "snnTorch Leaky: forward Euler with the step's summed input (beta = 1 - dt/tau), reset by subtracting the threshold before the next decay",
    input: "step",
    reset: "subtract-delayed",
    compare: ">",
  },
  "snntorch-synaptic": {
    name: "snntorch-synaptic",
    about:
      "snnTorch Synaptic (CubaLIF): as snntorch, and v integrates the current of the same step (i = alpha i + I, then v = beta v + i)",
    input: "step",
    reset: "subtract-delayed",
    compare: ">",
    newCurrent: true,
  },
  norse: {
    name: "norse",
    about: "Norse LIFBox/CubaLIF: forward Euler with the step's summed input, reset to v_reset",
    input: "step",
    reset: "value",
    compare: ">",
  },
  sinabs: {
    name: "sinabs",
    about: "Sinabs IAF/LIF: forward Euler with the step's summed input, spike at v >= threshold, reset by subtraction",
    input: "step",
    reset: "subtract",
    compare: ">=",
  },
};

export const CONVENTION_NAMES = Object.keys(CONVENTIONS) as ConventionName[];
export const DEFAULT_CONVENTION: ConventionName = "nir";

/** A glia neuron model for one NIR neuron type under one convention. */
export interface NeuronModel {
  /** glia model name */
  name: string;
  /** glia parameters, in order, and the NIR parameter each one comes from */
  params: { glia: string; nir: string; unit: "s" | "" }[];
  source: string;
  /** The variable incoming spikes are added to (`onto`), and the factor on a NIR weight for it. */
  onto: string;
  weightFactor: (p: Record<string, number>) => number;
}

const P = (nir: string, unit: "s" | "" = ""): { glia: string; nir: string; unit: "s" | "" } => ({
  glia: nir,
  nir,
  unit,
});

/** The reset block and the spike condition of a spiking model. `tau` names the leak time constant (for the
 *  delayed subtraction, whose next update multiplies v by beta = 1 - dt / tau), or undefined (IF: beta 1). */
function spikeRule(c: Convention, tau: string | undefined): string {
  const reset =
    c.reset === "value"
      ? "v = v_reset"
      : c.reset === "subtract"
        ? "v -= v_threshold"
        : tau
          ? `v -= v_threshold / (1 - dt / ${tau})   # after the next update: beta * v - v_threshold, as snnTorch`
          : "v -= v_threshold";
  return `  spike when v ${c.compare} v_threshold {\n    ${reset}\n  }`;
}

export function neuronModel(type: string, c: Convention): NeuronModel | undefined {
  const exact = c.input === "dirac";
  const method = exact ? "exact" : "euler";
  const head = (name: string, what: string): string =>
    `# NIR ${type}: ${what}\n# convention ${c.name}: ${c.about}\nneuron ${name} {\n`;
  const step = !exact;
  switch (type) {
    case "LIF":
    case "LI": {
      const spiking = type === "LIF";
      const name = `NIR_${type}`;
      const params = [P("tau", "s"), P("r"), P("v_leak"), ...(spiking ? [P("v_threshold"), P("v_reset")] : [])];
      const source =
        head(
          name,
          spiking ? "tau v' = (v_leak - v) + r I, spike when v crosses v_threshold" : "tau v' = (v_leak - v) + r I",
        ) +
        paramBlock(params) +
        "  state { v = 0 }\n  inputs { I }   # biases (and, stepped conventions, the step's input spikes)\n" +
        "  equations { v' = (v_leak - v + r * I) / tau }\n" +
        `  method ${method}\n` +
        (spiking ? spikeRule(c, "tau") + "\n" : "") +
        "}\n";
      return step
        ? { name, params, source, onto: "I", weightFactor: () => 1 }
        : { name, params, source, onto: "v", weightFactor: (p) => p.r! / p.tau! };
    }
    case "CubaLIF":
    case "CubaLI": {
      const spiking = type === "CubaLIF";
      const name = `NIR_${type}`;
      const params = [
        P("tau_mem", "s"),
        P("tau_syn", "s"),
        P("r"),
        P("v_leak"),
        ...(spiking ? [P("v_threshold"), P("v_reset")] : []),
        P("w_in"),
      ];
      const source =
        head(
          name,
          "tau_syn i' = -i + w_in I, tau_mem v' = (v_leak - v) + r i" +
            (spiking ? ", spike when v crosses v_threshold" : ""),
        ) +
        paramBlock(params) +
        "  state {\n    v = 0\n    i = 0\n  }\n  inputs { I }\n" +
        (c.newCurrent
          ? "  equations {\n    i' = (w_in * I - i) / tau_syn\n" +
            "    # v reads the current after this step's update, i + dt i' (snnTorch Synaptic)\n" +
            "    v' = (v_leak - v + r * (i + dt * (w_in * I - i) / tau_syn)) / tau_mem\n  }\n"
          : "  equations {\n    i' = (w_in * I - i) / tau_syn\n    v' = (v_leak - v + r * i) / tau_mem\n  }\n") +
        `  method ${method}\n` +
        (spiking ? spikeRule(c, "tau_mem") + "\n" : "") +
        "}\n";
      return step
        ? { name, params, source, onto: "I", weightFactor: () => 1 }
        : { name, params, source, onto: "i", weightFactor: (p) => p.w_in! / p.tau_syn! };
    }
    case "IF":
    case "I": {
      const spiking = type === "IF";
      const name = spiking ? "NIR_IF" : "NIR_Integrator";
      const params = [P("r"), ...(spiking ? [P("v_threshold"), P("v_reset")] : [])];
      const source =
        head(name, spiking ? "v' = r I, spike when v crosses v_threshold" : "v' = r I") +
        paramBlock(params) +
        "  state { v = 0 }\n  inputs { I }\n  equations { v' = r * I / 1 s }   # NIR's r carries 1/s\n" +
        `  method ${method}\n` +
        (spiking ? spikeRule(c, undefined) + "\n" : "") +
        "}\n";
      return step
        ? { name, params, source, onto: "I", weightFactor: () => 1 }
        : { name, params, source, onto: "v", weightFactor: (p) => p.r! };
    }
    case "Threshold": {
      const name = "NIR_Threshold";
      const params = [P("threshold")];
      const source =
        head(name, "a spike in every step whose summed input exceeds threshold (no state kept)") +
        paramBlock(params) +
        "  inputs { I }\n" +
        "  spike when I > threshold {}\n}\n";
      return { name, params, source, onto: "I", weightFactor: () => 1 };
    }
    default:
      return undefined;
  }
}

function paramBlock(params: { glia: string; unit: string }[]): string {
  const lines = params.map((p) => `    ${p.glia}${p.unit ? ": " + p.unit : ""}`);
  return `  parameters {\n${lines.join("\n")}\n  }\n`;
}
