// Reads a traces.csv written by `glia run --out` or by an exported script (population,variable,index,step,time_s,
// value) into population.variable -> "index:step" -> value, for the peer tests that compare traces; readSynapses the
// same for a synapses.csv; readFinalSynapses the rows of an exported NEST run's synapses_final.csv.
import * as fs from "node:fs";

export function readTraces(file: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const line of fs.readFileSync(file, "utf8").trim().split("\n").slice(1)) {
    const [pop, v, index, step, , value] = line.split(",");
    const key = `${pop}.${v}`;
    if (!out.has(key)) out.set(key, new Map());
    out.get(key)!.set(`${index}:${step}`, Number(value));
  }
  return out;
}

/** Reads a synapses.csv (glia's `--out` format, glia's or an exported script's: projection,variable,synapse,pre,
 *  post,step,time_s,value...) into projection.variable -> "synapse:step" -> value, and the header. */
export function readSynapses(file: string): { header: string; values: Map<string, Map<string, number>> } {
  const lines = fs.readFileSync(file, "utf8").trim().split("\n");
  const values = new Map<string, Map<string, number>>();
  for (const line of lines.slice(1)) {
    const [proj, v, synapse, , , step, , value] = line.split(",");
    const key = `${proj}.${v}`;
    if (!values.has(key)) values.set(key, new Map());
    values.get(key)!.set(`${synapse}:${step}`, Number(value));
  }
  return { header: lines[0]!, values };
}

/** The rows of an exported NEST run's synapses_final.csv (projection,pre,post,variable,value), in file order
 *  ((pre, post) order per projection and variable). */
export function readFinalSynapses(
  file: string,
): { projection: string; pre: number; post: number; variable: string; value: number }[] {
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))
    .map(([projection, pre, post, variable, value]) => ({
      projection: projection!,
      pre: Number(pre),
      post: Number(post),
      variable: variable!,
      value: Number(value),
    }));
}
