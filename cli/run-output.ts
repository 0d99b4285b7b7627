// What `glia run` reports: the JSON summary (with compile time and file) and, with --out DIR, the
// files summary.json, spikes.csv, traces.csv, synapses.csv, rates.csv and raster.svg. In: a RunResult (and the IR,
// for the units in the CSV headers); out: text/files.

import * as path from "node:path";
import type { RunResult } from "../targets/target.js";
import { runSummary as targetSummary, type RunSummary } from "../targets/report/summary.js";
import { spikesCsv, tracesCsv, ratesCsv, synapsesCsv } from "../targets/report/csv.js";
import { unitsOf } from "../targets/report/units.js";
import type { IRProgram } from "../compiler/ir/nodes.js";
import { rasterSvg } from "../targets/report/raster.js";
import type { CliIo } from "./io.js";

export type CliRunSummary = RunSummary & { file: string; compile_wall_s: number };

export function runSummary(
  result: RunResult,
  compileWallS: number,
  file: string,
  ir: IRProgram,
  window?: [number, number],
): CliRunSummary {
  const neurons = ir.groups.filter((g) => g.kind === "neuron").map((g) => g.name);
  return { file, ...targetSummary(ir.network, result, { neurons, window }), compile_wall_s: compileWallS };
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
  files.push(["raster.svg", rasterSvg(result)]);
  for (const [name, content] of files) io.writeFile(path.join(dir, name), content);
  return files.map(([name]) => name);
}
