// NIR -> glia source text. In: a flat, checked NIR graph (compiler/nir/flatten.ts), the file name, and options
// (convention, dt, duration, input spikes); out: one readable .glia file (neuron models for the NIR neuron types
// used, a network with a population per neuron node, an input per Input node, explicit connection lists from the
// composed linear nodes (compiler/nir/linear.ts), bias currents, records for the Outputs) plus the data files it
// names (long connection lists; a `csv_column` file per population whose parameters differ between neurons),
// or diagnostics naming the node that glia cannot carry.

import { Diagnostics } from "../diagnostics/diagnostic.js";
import { fileSpan, type FlatGraph, type FlatNode } from "./flatten.js";
import { CONVENTIONS, DEFAULT_CONVENTION, neuronModel, type ConventionName, type NeuronModel } from "./conventions.js";
import { afferentOf, isEmitter, type Afferent, type Synapse } from "./linear.js";
import { product } from "./graph.js";

export interface LowerOptions {
  convention?: ConventionName;
  /** network step, s (default 1 ms) */
  dt?: number;
  /** run duration, s (default 100 ms) */
  duration?: number;
  /** csv_spikes file (relative to the generated .glia) driving the Input nodes; default Poisson 100 Hz. */
  inputSpikes?: string;
  /** Directory (relative to the generated .glia) for connection lists too long to write inline. */
  dataDir?: string;
}

export interface Lowered {
  text?: string;
  /** data files: path relative to the generated .glia -> content */
  data: Map<string, string>;
  diagnostics: Diagnostics;
}

/** Neuron types whose output is their v (no spikes): recorded, never connected onward. */
const CONTINUOUS = new Set(["LI", "I", "CubaLI"]);

/** More distinct (weight, delay) pairs than this in one projection: a csv_list file instead of inline lists. */
export const INLINE_GROUPS = 2000;
const POISSON_HZ = 100;

const RESERVED = new Set(
  (
    "import neuron synapse astrocyte network parameters state inputs equations spike when refractory clamp method dt " +
    "on continuous expose pre post synapse_pre synapse_post let if else seed population input current of connect " +
    "with onto allow_self delay ensheath modulator record every run true false and or not astro mod i j t e pi " +
    "s ms us ns second volt mV uV Hz kHz mol molar metre meter cm mm um nm kg coulomb joule watt kelvin farad ohm siemens"
  ).split(" "),
);

/** A glia number literal for a float64 (shortest round trip; no `+` in the exponent). */
export function num(x: number): string {
  const s = String(x).replace("e+", "e");
  return s;
}

/** A glia identifier for a NIR path, unique among `taken`. */
function ident(path: string, taken: Set<string>): string {
  let base = path.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z_]/.test(base)) base = "n_" + base;
  if (RESERVED.has(base)) base = base + "_";
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
  taken.add(name);
  return name;
}

/** The values of a node's parameters per neuron (NIR stores per-neuron arrays; a scalar or a 1-element array
 *  holds for every neuron; v_reset defaults to 0). */
function neuronParams(node: FlatNode, model: NeuronModel, size: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const p of model.params) {
    const a = node.params[p.nir];
    const data = a ? a.data : [0];
    out[p.nir] = data.length === size ? data.slice() : Array<number>(size).fill(data[0] ?? 0);
  }
  return out;
}

/** Population arguments: a parameter equal on every neuron is written inline; one that differs between
 *  neurons is read per neuron from a column of a CSV file beside the glia file (`csv_column`, one row per
 *  element; a time's column header ends in `_s`). */
function populationArgs(
  model: NeuronModel,
  values: Record<string, number[]>,
  size: number,
  file: string,
  data: Map<string, string>,
): { args: string; perNeuron: string[] } {
  const varying = model.params.filter((q) => values[q.nir]!.some((x) => x !== values[q.nir]![0]));
  const column = (q: { nir: string; unit: string }): string => (q.unit === "s" ? `${q.nir}_s` : q.nir);
  if (varying.length) {
    const rows = [["neuron", ...varying.map(column)].join(",")];
    for (let k = 0; k < size; k++) rows.push([k, ...varying.map((q) => num(values[q.nir]![k]!))].join(","));
    data.set(file, [...rows, ""].join("\n"));
  }
  const args = model.params
    .map((q) =>
      varying.includes(q)
        ? `${q.glia} = csv_column("${file}", "${column(q)}")`
        : `${q.glia} = ${num(values[q.nir]![0]!)}${q.unit ? " " + q.unit : ""}`,
    )
    .join(", ");
  return { args, perNeuron: varying.map((q) => q.nir) };
}

export function lowerNir(graph: FlatGraph, file: string, options: LowerOptions = {}): Lowered {
  const diags = new Diagnostics();
  const span = fileSpan(file);
  const conv = CONVENTIONS[options.convention ?? DEFAULT_CONVENTION];
  const dt = options.dt ?? 1e-3;
  const duration = options.duration ?? 0.1;
  const data = new Map<string, string>();
  const taken = new Set<string>();
  const glia = new Map<string, string>(); // NIR path -> glia population/input name
  const models = new Map<string, NeuronModel>();
  const nodeModel = new Map<string, NeuronModel>();
  const paramsOf = new Map<string, Record<string, number[]>>();
  const lines: string[] = [];

  // inputs and populations, in the file's node order
  const inputs = [...graph.nodes.values()].filter((n) => n.type === "Input");
  for (const n of graph.nodes.values()) {
    if (n.type === "Input") {
      const name = ident(n.path, taken);
      glia.set(n.path, name);
      const size = product(n.outShape);
      if (options.inputSpikes && inputs.length === 1)
        lines.push(
          `  input ${name} = csv_spikes("${options.inputSpikes}")[${size}]   # NIR Input \`${n.path}\`, shape [${n.outShape.join(", ")}]`,
        );
      else {
        lines.push(
          `  input ${name} = poisson(rate = ${POISSON_HZ} Hz)[${size}]   # NIR Input \`${n.path}\`: no spikes given`,
        );
        diags.warning(
          "W1010",
          span,
          `NIR Input \`${n.path}\` carries no spikes: driven by Poisson spikes at ${POISSON_HZ} Hz`,
          {
            hint: "give the input's spikes as a csv_spikes file (glia import/run --nir-input FILE.csv)",
          },
        );
      }
      continue;
    }
    if (!isEmitter(n)) continue;
    const model = neuronModel(n.type, conv);
    if (!model) {
      diags.error("E0809", span, `node \`${n.path}\` is a NIR ${n.type}, which glia does not lower`);
      continue;
    }
    models.set(model.name, model);
    nodeModel.set(n.path, model);
    const size = product(n.outShape);
    const p = neuronParams(n, model, size);
    paramsOf.set(n.path, p);
    const name = ident(n.path, taken);
    glia.set(n.path, name);
    const csv = `${options.dataDir ?? "nir-data"}/${name}.params.csv`;
    const { args, perNeuron } = populationArgs(model, p, size, csv, data);
    const note = perNeuron.length ? `, per-neuron ${perNeuron.join(", ")}` : "";
    lines.push(`  population ${name} = ${model.name}(${args})[${size}]   # NIR ${n.type} \`${n.path}\`${note}`);
  }
  if (diags.hasErrors) return { data, diagnostics: diags };

  // what feeds each population: synapses per emitting node, and biases
  const memo = new Map<string, Afferent>();
  const loops: string[][] = [];
  const connects: string[] = [];
  const currents: string[] = [];
  for (const n of graph.nodes.values()) {
    if (n.type === "Input" || !isEmitter(n)) continue;
    const aff = afferentOf(graph, n.path, memo, (l) => loops.push(l), [n.path]);
    const model = nodeModel.get(n.path)!;
    const p = paramsOf.get(n.path)!;
    const factor = Array.from({ length: product(n.outShape) }, (_, k) =>
      model.weightFactor(Object.fromEntries(Object.entries(p).map(([q, a]) => [q, a[k]!]))),
    );
    for (const [src, syns] of aff.from) {
      const from = graph.nodes.get(src)!;
      if (CONTINUOUS.has(from.type)) {
        diags.error(
          "E0809",
          span,
          `node \`${src}\` (${from.type}) feeds \`${n.path}\`: its output is a continuous value, and glia connects spikes only`,
          {
            hint: "an LI or Integrator can be an Output (its v is recorded), not an input to another node",
          },
        );
        continue;
      }
      connects.push(
        ...connectLines(
          glia.get(src)!,
          glia.get(n.path)!,
          model.onto,
          syns,
          factor,
          dt,
          options,
          data,
          diags,
          file,
          src,
          n.path,
          taken,
        ),
      );
    }
    currents.push(...biasLines(glia.get(n.path)!, aff.bias));
  }
  for (const l of loops)
    diags.error(
      "E0810",
      span,
      `a cycle of linear nodes only (${l.join(" -> ")}): the value would depend on itself within a step`,
      {
        hint: "a recurrent path must pass through a neuron node",
      },
    );

  const records = recordLines(graph, memo, loops, glia);
  if (diags.hasErrors) return { data, diagnostics: diags };

  const netName = ident(file.replace(/^.*\//, "").replace(/\.nir$/, "") || "nir", new Set(RESERVED));
  const text = [
    `# Imported from the NIR file ${file.replace(/^.*\//, "")} (NIR ${graph.version}) by glia import.`,
    `# Convention ${conv.name}: ${conv.about}.`,
    "# Values are NIR's own (dimensionless v; times in seconds); weights are NIR's times the convention's factor.",
    "",
    'import "std/static.glia"',
    "",
    ...[...models.values()].map((m) => m.source),
    `network ${netName} {`,
    `  dt = ${num(dt)} s`,
    "  seed = 1",
    ...lines,
    ...connects,
    ...currents,
    ...records,
    `  run ${num(duration)} s`,
    "}",
    "",
  ].join("\n");
  return { text, data, diagnostics: diags };
}

/** `record` lines: each Output records what reaches it (spikes of neurons and inputs, v of LI / Integrator); the
 *  spikes of every other spiking population are recorded too. */
function recordLines(
  graph: FlatGraph,
  memo: Map<string, Afferent>,
  loops: string[][],
  glia: Map<string, string>,
): string[] {
  const records: string[] = [];
  const recorded = new Set<string>();
  for (const n of graph.nodes.values()) {
    if (n.type !== "Output") continue;
    const sources = new Set<string>();
    const aff = afferentOf(graph, n.path, memo, (l) => loops.push(l), [n.path]);
    for (const src of aff.from.keys()) sources.add(src);
    for (const src of sources) {
      const t = graph.nodes.get(src)!.type;
      const what = CONTINUOUS.has(t) ? "v" : "spikes";
      records.push(`  record ${what} of ${glia.get(src)!}   # NIR Output \`${n.path}\``);
      recorded.add(src);
    }
  }
  for (const n of graph.nodes.values())
    if (isEmitter(n) && n.type !== "Input" && !CONTINUOUS.has(n.type) && !recorded.has(n.path))
      records.push(`  record spikes of ${glia.get(n.path)!}   # NIR ${n.type} \`${n.path}\` (no Output)`);
  return records;
}

/** `connect` lines for the synapses from `pre` to `post`: one per distinct (weight, delay), lists inline. */
function connectLines(
  pre: string,
  post: string,
  onto: string,
  syns: Synapse[],
  factor: number[],
  dt: number,
  options: LowerOptions,
  data: Map<string, string>,
  diags: Diagnostics,
  file: string,
  srcPath: string,
  postPath: string,
  taken: Set<string>,
): string[] {
  const groups = new Map<string, { w: number; steps: number; pre: number[]; post: number[] }>();
  let offGrid = 0;
  for (const s of syns) {
    const w = s.w * factor[s.post]!;
    const steps = Math.round(s.delay / dt);
    if (Math.abs(s.delay / dt - steps) > 1e-9) offGrid++;
    const key = `${w},${steps}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { w, steps, pre: [], post: [] }));
    g.pre.push(s.pre);
    g.post.push(s.post);
  }
  if (offGrid > 0)
    diags.warning(
      "W1010",
      fileSpan(file),
      `${offGrid} delays from \`${srcPath}\` to \`${postPath}\` are not whole steps of ${num(dt)} s: rounded to the nearest step`,
    );
  const out: string[] = [];
  const via = `# from NIR \`${srcPath}\` to \`${postPath}\``;
  if (groups.size > INLINE_GROUPS) {
    const name = ident(`${pre}_${post}`, taken);
    const path = `${options.dataDir ?? "nir-data"}/${name}.csv`;
    const rows = syns.map(
      (s) => `${s.pre},${s.post},${num(s.w * factor[s.post]!)},${num(Math.round(s.delay / dt) * dt * 1e3)}`,
    );
    data.set(path, ["pre,post,weight,delay_ms", ...rows, ""].join("\n"));
    out.push(`  connect ${name}: ${pre} -> ${post} with Static onto ${onto} csv_list("${path}") allow_self   ${via}`);
    return out;
  }
  for (const g of groups.values()) {
    const name = ident(`${pre}_${post}`, taken);
    const delay = g.steps > 0 ? ` delay = ${num(g.steps * dt)} s` : "";
    out.push(
      `  connect ${name}: ${pre} -> ${post} with Static(w = ${num(g.w)}) onto ${onto} from_list([${g.pre.join(", ")}], [${g.post.join(", ")}]) allow_self${delay}   ${via}`,
    );
  }
  return out;
}

/** `current` lines for a constant bias per neuron: one per run of equal nonzero values. */
function biasLines(pop: string, bias: Float64Array): string[] {
  const out: string[] = [];
  for (let a = 0; a < bias.length;) {
    let b = a + 1;
    while (b < bias.length && bias[b] === bias[a]) b++;
    if (bias[a] !== 0)
      out.push(`  current I of ${pop}[${a}:${b}] = steps(times = [0 s], values = [${num(bias[a]!)}])   # NIR bias`);
    a = b;
  }
  return out;
}
