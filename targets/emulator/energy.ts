// The energy ledger: per-component accounts charged operation by operation. In: (component, count, joules
// per operation) charges; out: energy and operation counts per component and their total. The total is
// the sum of the components in COMPONENTS order, so a breakdown always sums to it.

export const COMPONENTS = [
  "synaptic",
  "neuron",
  "learning",
  "astrocyte",
  "routing",
  "crossbar",
  "adc",
  "dac",
  "barrier",
  "static",
  "controller",
] as const;
export type Component = (typeof COMPONENTS)[number];

export const C_SYNAPTIC = 0,
  C_NEURON = 1,
  C_LEARNING = 2,
  C_ASTROCYTE = 3,
  C_ROUTING = 4,
  C_CROSSBAR = 5,
  C_ADC = 6,
  C_DAC = 7,
  C_BARRIER = 8,
  C_STATIC = 9,
  C_CONTROLLER = 10;

export class EnergyLedger {
  readonly energy = new Float64Array(COMPONENTS.length);
  readonly ops = new Float64Array(COMPONENTS.length);

  charge(component: number, count: number, joulesEach: number): void {
    if (count === 0) return;
    this.energy[component] = this.energy[component]! + count * joulesEach;
    this.ops[component] = this.ops[component]! + count;
  }

  breakdown(): Record<Component, number> {
    const out = {} as Record<Component, number>;
    COMPONENTS.forEach((c, i) => {
      out[c] = this.energy[i]!;
    });
    return out;
  }

  total(): number {
    let s = 0;
    for (let i = 0; i < COMPONENTS.length; i++) s += this.energy[i]!;
    return s;
  }
}
