// What `glia run` reports: the JSON summary (with compile time and file) and, with --out DIR, the
// files summary.json, spikes.csv, traces.csv, synapses.csv, rates.csv, raster.svg (populations in declaration
// order) and traces.svg. In: a RunResult (and the IR,
// for the units in the CSV headers); out: text/files.

import * as path from "node:path";
import type { RunResult } from "../targets/target.js";
import { runSummary as targetSummary, type RunSummary } from "../targets/report/summary.js";
import { spikesCsv, tracesCsv, ratesCsv, synapsesCsv } from "../targets/report/csv.js";
import { unitsOf } from "../targets/report/units.js";
import { spikeStatistics, type SpikeStatistics } from "../targets/report/spike-stats.js";
import type { IRProgram } from "../compiler/ir/nodes.js";
import { rasterSvg } from "../targets/report/raster.js";
import { tracesSvg } from "../targets/report/traces-plot.js";
import type { CliIo } from "./io.js";

export type CliRunSummary = RunSummary & {
  file: string;
  /** CV of the ISIs and synchrony of every spike-monitored population, over the --window (else the whole run). */
  spike_statistics?: SpikeStatistics;
  compile_wall_s: number;
  /** A run ended by Ctrl-C: `steps` of `of_steps` were run and everything recorded covers those. */
  interrupted?: { at_step: number; of_steps: number };
};

export function runSummary(
  result: RunResult,
  compileWallS: number,
  file: string,
  ir: IRProgram,
  window?: [number, number],
): CliRunSummary {
  const neurons = ir.groups.filter((g) => g.kind === "neuron").map((g) => g.name);
  const interrupted = result.interrupted ? { at_step: result.steps, of_steps: result.interrupted.of } : undefined;
  const summary = targetSummary(ir.network, result, { neurons, window });
  const [k0, k1] = summary.window ? [summary.window.first_step, summary.window.end_step] : [0, result.steps];
  return {
    file,
    ...summary,
    ...(Object.keys(result.spikes).length > 0 ? { spike_statistics: spikeStatistics(result, k0, k1) } : {}),
    compile_wall_s: compileWallS,
    ...(interrupted ? { interrupted } : {}),
  };
}

/** Writes the result files into `dir`; returns their names in the order written. */
export function writeRunOutputs(
  dir: string,
  result: RunResult,
  summary: CliRunSummary,
  io: CliIo,
  ir?: IRProgram,
): string[] {
  const unitOf = ir ? unitsOf(ir) : undefined;
  const files: [string, string][] = [
    ["summary.json", JSON.stringify(summary, null, 2) + "\n"],
    ["spikes.csv", spikesCsv(result)],
  ];
  if (result.traces.length > 0) files.push(["traces.csv", tracesCsv(result, unitOf)]);
  if ((result.synapseTraces?.length ?? 0) > 0) files.push(["synapses.csv", synapsesCsv(result, unitOf)]);
  if (result.rates.length > 0) files.push(["rates.csv", ratesCsv(result)]);
  files.push(["raster.svg", rasterSvg(result, { order: ir ? declarationOrder(ir) : undefined })]);
  if (result.traces.length > 0 || (result.synapseTraces?.length ?? 0) > 0)
    files.push(["traces.svg", tracesSvg(result, unitOf)]);
  for (const [name, content] of files) io.writeFile(path.join(dir, name), content);
  return files.map(([name]) => name);
}

/** Populations (groups and input sources) in the order the network declares them (IR order without spans). */
export function declarationOrder(ir: IRProgram): string[] {
  const at = (name: string, span: { start: number } | undefined, i: number): [string, number] => [
    name,
    span ? span.start : 1e15 + i,
  ];
  const all = [
    ...ir.groups.map((g, i) => at(g.name, g.span, i)),
    ...ir.sources.map((s, i) => at(s.name, ir.spans?.sources[s.name], ir.groups.length + i)),
  ];
  return all.sort((a, b) => a[1] - b[1]).map(([name]) => name);
}
