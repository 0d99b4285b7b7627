// CSV writers for run results. In: a RunResult; out: CSV text.
// spikes: `population,index,step,time_s` (populations in name order, spikes in step order);
// traces: `population,variable,index,step,time_s,value` (one row per recorded value, SI units).

import type { RunResult } from "../target.js";

/** Time of step k as text: k*dt rounded to 12 significant digits (removes float noise like 0.30000000000000004). */
function timeText(k: number, dt: number): string {
  return String(Number((k * dt).toPrecision(12)));
}

export function spikesCsv(result: RunResult): string {
  const lines = ["population,index,step,time_s"];
  for (const name of Object.keys(result.spikes).sort()) {
    const s = result.spikes[name]!;
    for (let x = 0; x < s.steps.length; x++)
      lines.push(`${name},${s.indices[x]},${s.steps[x]},${timeText(s.steps[x]!, result.dt)}`);
  }
  return lines.join("\n") + "\n";
}

export function tracesCsv(result: RunResult): string {
  const lines = ["population,variable,index,step,time_s,value"];
  for (const tr of result.traces) {
    tr.steps.forEach((k, row) => {
      const values = tr.values[row]!;
      tr.indices.forEach((e, c) =>
        lines.push(`${tr.population},${tr.variable},${e},${k},${timeText(k, result.dt)},${values[c]}`),
      );
    });
  }
  return lines.join("\n") + "\n";
}

/** Population rates: `population,step,time_s,rate_hz`. */
export function ratesCsv(result: RunResult): string {
  const lines = ["population,step,time_s,rate_hz"];
  for (const r of result.rates)
    r.steps.forEach((k, i) => lines.push(`${r.population},${k},${timeText(k, result.dt)},${r.hz[i]}`));
  return lines.join("\n") + "\n";
}
