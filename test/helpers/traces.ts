// Reads a traces.csv written by `glia run --out` or by an exported script (population,variable,index,step,time_s,
// value) into population.variable -> "index:step" -> value, for the peer tests that compare traces.
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
