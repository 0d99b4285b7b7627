// `--check`: compares the emulator's spikes with a reference run's (the fixed-point executor on the same
// descriptor). In: two spike records per population; out: the first differing spike (step, population,
// neuron), or null when every population agrees bit for bit.

export interface SpikeDifference {
  population: string;
  step: number;
  neuron: number;
  /** Which side has the spike ("emulator" or "fixed"). */
  onlyIn: "emulator" | "fixed";
}

type Spikes = Record<string, { steps: Int32Array; indices: Int32Array }>;

export function firstSpikeDifference(emu: Spikes, fixed: Spikes): SpikeDifference | null {
  let best: SpikeDifference | null = null;
  const names = [...new Set([...Object.keys(fixed), ...Object.keys(emu)])].filter((n) => fixed[n] && emu[n]).sort();
  for (const name of names) {
    const a = emu[name]!,
      b = fixed[name]!;
    const n = Math.max(a.steps.length, b.steps.length);
    for (let i = 0; i < n; i++) {
      const sa = i < a.steps.length ? a.steps[i]! : Infinity,
        sb = i < b.steps.length ? b.steps[i]! : Infinity;
      const ia = i < a.indices.length ? a.indices[i]! : -1,
        ib = i < b.indices.length ? b.indices[i]! : -1;
      if (sa === sb && ia === ib) continue;
      const emuFirst = sa < sb || (sa === sb && ia < ib);
      const d: SpikeDifference = {
        population: name,
        step: emuFirst ? sa : sb,
        neuron: emuFirst ? ia : ib,
        onlyIn: emuFirst ? "emulator" : "fixed",
      };
      if (!best || d.step < best.step || (d.step === best.step && d.population < best.population)) best = d;
      break;
    }
  }
  return best;
}
