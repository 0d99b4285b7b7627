// CSV writers for run results. In: a RunResult (and, for the value columns' units, a lookup of each recorded
// variable's SI unit, `UnitOf`); out: CSV text. Headers carry units:
// spikes: `population,index,step,time_s` (populations in name order, spikes in step order);
// traces: `population,variable,index,step,time_s,value_U` (one row per recorded value, SI unit U; when the
//   variables have different units: `value_SI,unit` with each row's unit; no unit known: `value_SI`);
// synapses: `projection,variable,synapse,pre,post,step,time_s,value_U` (synapse monitors, same unit rule);
// rates: `population,step,time_s,rate_hz`.

import type { RunResult } from "../target.js";

/** The SI unit of a recorded variable as printed by the IR ("V", "A", "s^-1", "1"), undefined when unknown. */
export type UnitOf = (owner: string, variable: string) => string | undefined;

/** Time of step k as text: k*dt rounded to 12 significant digits (removes float noise like 0.30000000000000004). */
function timeText(k: number, dt: number): string {
  return String(Number((k * dt).toPrecision(12)));
}

/** The value column(s) for rows of these units: one unit: `value_U` (`value` when dimensionless); mixed or
 *  unknown: `value_SI,unit`, and the text each row appends. */
export function valueColumns(units: (string | undefined)[]): {
  header: string;
  suffix: (u: string | undefined) => string;
} {
  const distinct = [...new Set(units)];
  if (distinct.every((u) => u === undefined)) return { header: "value_SI", suffix: () => "" };
  if (distinct.length === 1 && distinct[0] !== undefined) {
    const u = distinct[0];
    return { header: u === "1" ? "value" : `value_${u}`, suffix: () => "" };
  }
  return { header: "value_SI,unit", suffix: (u) => `,${u ?? "SI"}` };
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

export function tracesCsv(result: RunResult, unitOf: UnitOf = () => undefined): string {
  const units = result.traces.map((tr) => unitOf(tr.population, tr.variable));
  const cols = valueColumns(units);
  const lines = [`population,variable,index,step,time_s,${cols.header}`];
  result.traces.forEach((tr, i) => {
    const suffix = cols.suffix(units[i]);
    tr.steps.forEach((k, row) => {
      const values = tr.values[row]!;
      tr.indices.forEach((e, c) =>
        lines.push(`${tr.population},${tr.variable},${e},${k},${timeText(k, result.dt)},${values[c]}${suffix}`),
      );
    });
  });
  return lines.join("\n") + "\n";
}

/** Synapse monitors: one row per recorded synapse and step. */
export function synapsesCsv(result: RunResult, unitOf: UnitOf = () => undefined): string {
  const traces = result.synapseTraces ?? [];
  const units = traces.map((tr) => unitOf(tr.projection, tr.variable));
  const cols = valueColumns(units);
  const lines = [`projection,variable,synapse,pre,post,step,time_s,${cols.header}`];
  traces.forEach((tr, i) => {
    const suffix = cols.suffix(units[i]);
    tr.steps.forEach((k, row) => {
      const values = tr.values[row]!;
      const time = timeText(k, result.dt);
      tr.synapses.forEach((s, c) =>
        lines.push(
          `${tr.projection},${tr.variable},${s},${tr.pre[c]},${tr.post[c]},${k},${time},${values[c]}${suffix}`,
        ),
      );
    });
  });
  return lines.join("\n") + "\n";
}

/** Population rates: `population,step,time_s,rate_hz`. */
export function ratesCsv(result: RunResult): string {
  const lines = ["population,step,time_s,rate_hz"];
  for (const r of result.rates)
    r.steps.forEach((k, i) => lines.push(`${r.population},${k},${timeText(k, result.dt)},${r.hz[i]}`));
  return lines.join("\n") + "\n";
}
