// Test helpers for NIR: small NIR graphs built in the test (no binary fixtures in the repository), converted to
// glia in a temporary directory and run. In: node trees / bytes; out: .nir bytes, the imported glia text and the
// spike steps of a population on a target.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile } from "../../compiler/pipeline.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { arr, type NirArray, type NirNode } from "../../compiler/nir/graph.js";
import type { LowerOptions } from "../../compiler/nir/lower.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";
import { loadHdf5, writeNir } from "../../targets/nir/hdf5.js";
import { importNir } from "../../targets/nir/import.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunResult, Target } from "../../targets/target.js";

export const tmpDir = (tag: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `glia-nir-${tag}-`));

export function node(type: string, params: Record<string, NirArray | number[] | number> = {}): NirNode {
  const p: Record<string, NirArray> = {};
  for (const [k, v] of Object.entries(params))
    p[k] = typeof v === "number" ? { shape: [], data: [v] } : Array.isArray(v) ? arr(v) : v;
  return { type, params: p };
}

export function graph(nodes: Record<string, NirNode>, edges: [string, string][]): NirNode {
  return { type: "NIRGraph", params: {}, nodes: new Map(Object.entries(nodes)), edges };
}

export async function nirBytes(root: NirNode): Promise<Uint8Array> {
  await loadHdf5();
  return writeNir({ version: "1.0.8", root });
}

export const fill = (n: number, x: number): number[] => Array<number>(n).fill(x);

/** Imports `bytes` as `dir/NAME.glia` (data files beside it); input spikes from `spikes` (index, time ms) if given. */
export async function importToDir(
  bytes: Uint8Array,
  dir: string,
  name: string,
  options: LowerOptions & { spikes?: [number, number][] } = {},
): Promise<{ file: string; text?: string; diagnostics: Diagnostic[] }> {
  let inputSpikes: string | undefined;
  if (options.spikes) {
    inputSpikes = `${name}-input.csv`;
    const rows = options.spikes.map(([i, t]) => `${i},${t}`);
    fs.writeFileSync(path.join(dir, inputSpikes), ["index,time_ms", ...rows, ""].join("\n"));
  }
  const r = await importNir(bytes, `${name}.nir`, { ...options, inputSpikes, dataDir: `${name}.data` });
  const file = path.join(dir, `${name}.glia`);
  if (r.text !== undefined) {
    fs.writeFileSync(file, r.text);
    for (const [p, c] of r.data) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), c);
    }
  }
  return { file, text: r.text, diagnostics: r.diagnostics };
}

/** Compiles a .glia file (errors fail the test). */
export function compiled(file: string): IRProgram {
  const c = compile(file, nodeHost());
  const errors = c.diagnostics.filter((d) => d.severity === "error");
  if (errors.length || !c.ir) throw new Error(`${file}: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return c.ir;
}

export function run(target: Target, ir: IRProgram): RunResult {
  const r = target.run(ir, {});
  if (!r.result) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  return r.result;
}

/** Spike (step, index) pairs of a population, sorted. */
export function spikesOf(r: RunResult, pop: string): string[] {
  const s = r.spikes[pop];
  if (!s) throw new Error(`no spikes recorded for ${pop}`);
  return Array.from(s.steps, (k, n) => `${k}:${s.indices[n]}`);
}
