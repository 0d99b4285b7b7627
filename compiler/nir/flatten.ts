// NIR graph checks and flattening. In: a NirFile (compiler/nir/graph.ts) and the file name for diagnostics;
// out: one flat list of nodes named by their path (`sub.lif` for node `lif` of subgraph `sub`), edges between
// them, and every node's input and output shape, or diagnostics: an unknown primitive or a parameter glia does
// not read (E0809), a missing parameter, an edge naming no node, a shape that does not match (E0810), each
// naming the node's path. Edges may come in any order; cycles are allowed (recurrence).

import { Diagnostics } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { PRIMITIVES, TYPE_ALIASES, arr, product, type NirArray, type NirFile, type NirNode } from "./graph.js";

export interface FlatNode {
  /** Path from the root graph, dot-separated. */
  path: string;
  /** NIR type; the Input/Output of a nested graph become `Pass` (identity). */
  type: string;
  params: Record<string, NirArray>;
  inShape: number[];
  outShape: number[];
}

export interface FlatGraph {
  version: string;
  nodes: Map<string, FlatNode>;
  edges: [string, string][];
}

/** The span NIR diagnostics point at: the file itself (a NIR file has no lines; messages name node paths). */
export function fileSpan(file: string): Span {
  return { file, start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
}

export function flattenNir(nir: NirFile, file: string): { graph?: FlatGraph; diagnostics: Diagnostics } {
  const diags = new Diagnostics();
  const span = fileSpan(file);
  const nodes = new Map<string, FlatNode>();
  const edges: [string, string][] = [];
  if (nir.root.type !== "NIRGraph") {
    diags.error("E0810", span, `the file's root node is a ${nir.root.type || "node without a type"}, not a NIRGraph`);
    return { diagnostics: diags };
  }
  addGraph(nir.root, "", true, nodes, edges, diags, span);
  if (diags.hasErrors) return { diagnostics: diags };
  inferShapes(nodes, edges, diags, span);
  return { graph: diags.hasErrors ? undefined : { version: nir.version, nodes, edges }, diagnostics: diags };
}

/** Adds graph `g` (prefix: its path and a dot, "" at the root) and returns nothing; subgraphs recurse. */
function addGraph(
  g: NirNode,
  prefix: string,
  root: boolean,
  nodes: Map<string, FlatNode>,
  edges: [string, string][],
  diags: Diagnostics,
  span: Span,
): void {
  const children = g.nodes ?? new Map<string, NirNode>();
  for (const [name, child] of children) {
    const path = prefix + name;
    const type = TYPE_ALIASES[child.type] ?? child.type;
    const spec = PRIMITIVES[type];
    if (!spec) {
      diags.error("E0809", span, `node \`${path}\` is a NIR ${child.type || "(no type)"}, which glia does not import`, {
        hint: `glia imports ${Object.keys(PRIMITIVES).join(", ")}`,
      });
      continue;
    }
    if (type === "NIRGraph") {
      addGraph(child, path + ".", false, nodes, edges, diags, span);
      continue;
    }
    const params = { ...child.params };
    const pad = child.strings?.padding;
    if (pad !== undefined && (type === "Conv1d" || type === "Conv2d") && !("padding" in params)) {
      const p = convPadding(pad, params);
      if (typeof p === "string") diags.error("E0809", span, `node \`${path}\` (${type}): ${p}`);
      else params.padding = p;
    }
    const missing = spec.required.filter((p) => !(p in params));
    for (const p of missing)
      diags.error("E0810", span, `node \`${path}\` (${type}) has no parameter \`${p}\``, {
        hint: `a NIR ${type} carries ${spec.required.join(", ")}`,
      });
    const known = new Set([...spec.required, ...(spec.optional ?? [])]);
    for (const p of Object.keys(params))
      if (!known.has(p))
        diags.error("E0809", span, `node \`${path}\` (${type}) has a parameter \`${p}\` glia does not read`, {
          hint: `glia reads ${[...known].join(", ")} of a ${type}`,
        });
    const nested = !root && (type === "Input" || type === "Output");
    nodes.set(path, { path, type: nested ? "Pass" : type, params, inShape: [], outShape: [] });
  }
  for (const [a, b] of g.edges ?? []) {
    const from = endpoint(prefix, a, children, "Output");
    const to = endpoint(prefix, b, children, "Input");
    for (const [name, end] of [
      [a, from],
      [b, to],
    ] as const)
      if (!nodes.has(end) && !diags.hasErrors)
        diags.error(
          "E0810",
          span,
          `edge \`${prefix}${a}\` -> \`${prefix}${b}\` names \`${prefix}${name}\`, no node of the graph`,
        );
    edges.push([from, to]);
  }
}

/** A Conv's padding given as a string: "valid" is none; "same" (stride 1) pads dilation * (k - 1) / 2 on each
 *  side, which must be a whole number (PyTorch pads an even kernel unevenly, which NIR's padding cannot say). */
function convPadding(pad: string, p: Record<string, NirArray>): NirArray | string {
  const k = p.weight?.shape.slice(2) ?? [];
  if (pad === "valid") return arr(k.map(() => 0));
  if (pad !== "same") return `padding "${pad}" is neither "same" nor "valid"`;
  const dil = k.map((_, i) =>
    p.dilation ? (p.dilation.data.length === 1 ? p.dilation.data[0]! : p.dilation.data[i]!) : 1,
  );
  const out = k.map((kk, i) => (dil[i]! * (kk - 1)) / 2);
  if (out.some((x) => !Number.isInteger(x)))
    return `padding "same" with kernel [${k.join(", ")}] pads unevenly, which glia does not lower`;
  return arr(out);
}

/** An edge end: `name` (a subgraph means its single Input or Output) or `sub.node`. */
function endpoint(prefix: string, name: string, children: Map<string, NirNode>, io: "Input" | "Output"): string {
  const child = children.get(name);
  if (child?.type === "NIRGraph") {
    const inner = [...(child.nodes ?? new Map<string, NirNode>())].filter(([, n]) => n.type === io);
    if (inner.length === 1) return `${prefix}${name}.${inner[0]![0]}`;
  }
  return prefix + name;
}

const NEURONS = new Set(["LIF", "CubaLIF", "CubaLI", "IF", "LI", "I", "Threshold"]);
/** The per-neuron parameter giving a neuron node's shape. */
const SHAPE_PARAM: Record<string, string> = {
  LIF: "v_threshold",
  CubaLIF: "v_threshold",
  CubaLI: "tau_mem",
  IF: "v_threshold",
  LI: "tau",
  I: "r",
  Threshold: "threshold",
};

const ints = (a: NirArray | undefined, n: number, fallback: number): number[] => {
  if (!a) return Array<number>(n).fill(fallback);
  return a.data.length === 1 ? Array<number>(n).fill(a.data[0]!) : a.data.slice(0, n);
};

/** Output shape of a node given its input shape (undefined: not known from the node alone). */
export function outputShape(n: FlatNode, inShape: number[] | undefined): number[] | undefined {
  const p = n.params;
  switch (n.type) {
    case "Input":
    case "Output":
      return p.shape!.data;
    case "Affine":
    case "Linear":
      return [p.weight!.shape[0]!];
    case "Scale":
      return p.scale!.shape.length ? p.scale!.shape : inShape;
    case "Delay":
      return p.delay!.shape.length ? p.delay!.shape : inShape;
    case "Pass":
      return inShape;
    case "Conv1d":
    case "Conv2d": {
      const dims = n.type === "Conv1d" ? 1 : 2;
      // input_shape is the spatial shape only (N, or H and W); channels come from the weight
      const spatial = p.input_shape?.data ?? inShape?.slice(1);
      if (!spatial || spatial.length !== dims) return undefined;
      const w = p.weight!.shape;
      const k = w.slice(2);
      const s = ints(p.stride, dims, 1);
      const pad = ints(p.padding, dims, 0);
      const d = ints(p.dilation, dims, 1);
      return [w[0]!, ...spatial.map((x, i) => Math.floor((x + 2 * pad[i]! - d[i]! * (k[i]! - 1) - 1) / s[i]! + 1))];
    }
    case "SumPool2d":
    case "AvgPool2d": {
      if (!inShape || inShape.length !== 3) return undefined;
      const k = ints(p.kernel_size, 2, 1);
      const s = ints(p.stride, 2, 1);
      const pad = ints(p.padding, 2, 0);
      return [
        inShape[0]!,
        ...[1, 2].map((i) => Math.floor((inShape[i]! + 2 * pad[i - 1]! - k[i - 1]!) / s[i - 1]! + 1)),
      ];
    }
    case "Flatten": {
      const shape = p.input_type?.data ?? inShape;
      if (!shape) return undefined;
      // as nir's calc_flatten_output: dims index `shape` itself, end_dim -1 is the last axis
      const norm = (d: number): number => (d < 0 ? shape.length + d : d);
      const a = Math.max(0, norm(p.start_dim!.data[0]!));
      const b = Math.min(shape.length - 1, norm(p.end_dim!.data[0]!));
      return [...shape.slice(0, a), product(shape.slice(a, b + 1)), ...shape.slice(b + 1)];
    }
    default:
      if (NEURONS.has(n.type)) {
        const a = p[SHAPE_PARAM[n.type]!]!;
        return a.shape.length ? a.shape : inShape;
      }
      return undefined;
  }
}

/** Input size a node requires (undefined: any). */
function requiredInput(n: FlatNode): number | undefined {
  const p = n.params;
  switch (n.type) {
    case "Affine":
    case "Linear":
      return p.weight!.shape[1];
    case "Conv1d":
    case "Conv2d":
      return p.input_shape ? p.weight!.shape[1]! * (p.groups?.data[0] ?? 1) * product(p.input_shape.data) : undefined;
    case "Flatten":
      return p.input_type ? product(p.input_type.data) : undefined;
    case "Input":
    case "Pass":
    case "SumPool2d":
    case "AvgPool2d":
      return undefined;
    default:
      return n.outShape.length ? product(n.outShape) : undefined;
  }
}

/** Propagates shapes along the edges until nothing changes; checks every edge's sizes. */
function inferShapes(nodes: Map<string, FlatNode>, edges: [string, string][], diags: Diagnostics, span: Span): void {
  const known = new Map<string, number[]>();
  for (let round = 0; round <= nodes.size + 1; round++) {
    let changed = false;
    for (const n of nodes.values()) {
      if (known.has(n.path)) continue;
      const ins = edges.filter(([, b]) => b === n.path).map(([a]) => known.get(a));
      const inShape = ins.find((s) => s !== undefined);
      const out = outputShape(n, inShape);
      if (out) {
        n.inShape = inShape ?? [];
        n.outShape = out;
        known.set(n.path, out);
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (const n of nodes.values()) {
    if (!known.has(n.path)) {
      diags.error("E0810", span, `node \`${n.path}\` (${n.type}): its shape cannot be inferred (no input reaches it)`);
      continue;
    }
    const ins = edges.filter(([, b]) => b === n.path).map(([a]) => a);
    if (ins.length) n.inShape = known.get(ins[0]!)!;
    const need = requiredInput(n);
    for (const a of ins) {
      const got = product(known.get(a)!);
      const want = need ?? product(n.inShape);
      if (got !== want)
        diags.error(
          "E0810",
          span,
          `edge \`${a}\` -> \`${n.path}\`: \`${a}\` gives ${got} values (shape [${known.get(a)!.join(", ")}]), ` +
            `\`${n.path}\` (${n.type}) takes ${want}`,
        );
    }
  }
}
