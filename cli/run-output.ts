// What `glia run` reports: the JSON summary (with compile time and file) and, with --out DIR, the
// files summary.json, spikes.csv, traces.csv, rates.csv and raster.svg. In: a RunResult; out: text/files.

import * as path from "node:path";
import type { RunResult } from "../targets/target.js";
import { runSummary as targetSummary, type RunSummary } from "../targets/report/summary.js";
import { spikesCsv, tracesCsv, ratesCsv } from "../targets/report/csv.js";
import { rasterSvg } from "../targets/report/raster.js";
import type { CliIo } from "./io.js";

export type CliRunSummary = RunSummary & {
  file: string;
  compile_wall_s: number;
  /** A run ended by Ctrl-C: `steps` of `of_steps` were run and everything recorded covers those. */
  interrupted?: { at_step: number; of_steps: number };
};

export function runSummary(result: RunResult, compileWallS: number, file: string, network: string): CliRunSummary {
  const interrupted = result.interrupted ? { at_step: result.steps, of_steps: result.interrupted.of } : undefined;
  return {
    file,
    ...targetSummary(network, result),
    compile_wall_s: compileWallS,
    ...(interrupted ? { interrupted } : {}),
  };
}

export function writeRunOutputs(dir: string, result: RunResult, summary: CliRunSummary, io: CliIo): void {
  io.writeFile(path.join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  io.writeFile(path.join(dir, "spikes.csv"), spikesCsv(result));
  if (result.traces.length > 0) io.writeFile(path.join(dir, "traces.csv"), tracesCsv(result));
  if (result.rates.length > 0) io.writeFile(path.join(dir, "rates.csv"), ratesCsv(result));
  io.writeFile(path.join(dir, "raster.svg"), rasterSvg(result));
}
