// The linear NIR primitives as explicit sparse maps, and their composition into synapse lists.
// In: the flat graph (compiler/nir/flatten.ts); out: for every neuron node, the synapses reaching it from each
// spike-emitting node (Input or neuron) through chains of Affine, Linear, Scale, Conv1d, Conv2d, SumPool2d,
// AvgPool2d, Flatten, Delay and nested-graph boundaries (pre element, post element, weight, delay in seconds;
// equal (pre, post, delay) summed), and the constant bias each neuron receives (Affine and Conv biases carried
// through what follows them). Indices are row-major (C order) over each node's shape, as NIR's arrays.

import { product, type NirArray } from "./graph.js";
import type { FlatGraph, FlatNode } from "./flatten.js";

export interface Synapse {
  pre: number;
  post: number;
  w: number;
  /** seconds */
  delay: number;
}

/** What reaches a node's input: synapses per emitting node, and a constant bias per element. */
export interface Afferent {
  from: Map<string, Synapse[]>;
  bias: Float64Array;
}

export const LINEAR = new Set([
  "Affine",
  "Linear",
  "Scale",
  "Conv1d",
  "Conv2d",
  "SumPool2d",
  "AvgPool2d",
  "Flatten",
  "Delay",
  "Pass",
]);

type Emit = (out: number, w: number) => void;

const at = (a: NirArray, i: number): number => (a.data.length === 1 ? a.data[0]! : a.data[i]!);
const per = (a: NirArray | undefined, n: number, fallback: number): number[] =>
  a ? Array.from({ length: n }, (_, i) => at(a, i)) : Array<number>(n).fill(fallback);

/** The sparse map of a linear node: for input element i, the outputs it reaches and their weights. */
function sparseMap(n: FlatNode): (i: number, emit: Emit) => void {
  const p = n.params;
  switch (n.type) {
    case "Affine":
    case "Linear": {
      const [rows, cols] = [p.weight!.shape[0]!, p.weight!.shape[1]!];
      const w = p.weight!.data;
      return (i, emit) => {
        for (let r = 0; r < rows; r++) if (w[r * cols + i] !== 0) emit(r, w[r * cols + i]!);
      };
    }
    case "Scale":
      return (i, emit) => emit(i, at(p.scale!, i));
    case "Flatten":
    case "Delay":
    case "Pass":
      return (i, emit) => emit(i, 1);
    case "Conv1d":
    case "Conv2d":
      return convMap(n);
    case "SumPool2d":
    case "AvgPool2d":
      return poolMap(n);
    default:
      throw new Error(`internal: ${n.type} is not linear`);
  }
}

/** Conv1d/Conv2d (weight [Cout, Cin/groups, k...], stride, padding, dilation, groups) as a scatter. */
function convMap(n: FlatNode): (i: number, emit: Emit) => void {
  const p = n.params;
  const dims = n.type === "Conv1d" ? 1 : 2;
  const [cOut, cInG] = [p.weight!.shape[0]!, p.weight!.shape[1]!];
  const k = p.weight!.shape.slice(2);
  while (k.length < 2) k.unshift(1);
  const s = per(p.stride, dims, 1);
  const pad = per(p.padding, dims, 0);
  const dil = per(p.dilation, dims, 1);
  const groups = p.groups?.data[0] ?? 1;
  const inSp = n.inShape.slice(1);
  const outSp = n.outShape.slice(1);
  if (dims === 1) {
    inSp.unshift(1);
    outSp.unshift(1);
    s.unshift(1);
    pad.unshift(0);
    dil.unshift(1);
  }
  const [H, W] = [inSp[0]!, inSp[1]!];
  const [OH, OW] = [outSp[0]!, outSp[1]!];
  const w = p.weight!.data;
  const perOutG = cOut / groups;
  return (i, emit) => {
    const c = Math.floor(i / (H * W));
    const y = Math.floor(i / W) % H;
    const x = i % W;
    const g = Math.floor(c / cInG);
    const ci = c % cInG;
    for (let o = g * perOutG; o < (g + 1) * perOutG; o++) {
      for (let ky = 0; ky < k[0]!; ky++) {
        const ny = y + pad[0]! - ky * dil[0]!;
        if (ny < 0 || ny % s[0]! !== 0 || ny / s[0]! >= OH) continue;
        for (let kx = 0; kx < k[1]!; kx++) {
          const nx = x + pad[1]! - kx * dil[1]!;
          if (nx < 0 || nx % s[1]! !== 0 || nx / s[1]! >= OW) continue;
          const wv = w[((o * cInG + ci) * k[0]! + ky) * k[1]! + kx]!;
          if (wv !== 0) emit((o * OH + ny / s[0]!) * OW + nx / s[1]!, wv);
        }
      }
    }
  };
}

/** SumPool2d / AvgPool2d (kernel_size, stride, padding; the average divides by the whole window). */
function poolMap(n: FlatNode): (i: number, emit: Emit) => void {
  const p = n.params;
  const k = per(p.kernel_size, 2, 1);
  const s = per(p.stride, 2, 1);
  const pad = per(p.padding, 2, 0);
  const [, H, W] = n.inShape as [number, number, number];
  const [, OH, OW] = n.outShape as [number, number, number];
  const scale = n.type === "AvgPool2d" ? 1 / (k[0]! * k[1]!) : 1;
  return (i, emit) => {
    const c = Math.floor(i / (H * W));
    const y = Math.floor(i / W) % H;
    const x = i % W;
    for (let ky = 0; ky < k[0]!; ky++) {
      const ny = y + pad[0]! - ky;
      if (ny < 0 || ny % s[0]! !== 0 || ny / s[0]! >= OH) continue;
      for (let kx = 0; kx < k[1]!; kx++) {
        const nx = x + pad[1]! - kx;
        if (nx < 0 || nx % s[1]! !== 0 || nx / s[1]! >= OW) continue;
        emit((c * OH + ny / s[0]!) * OW + nx / s[1]!, scale);
      }
    }
  };
}

/** The additive constant of a linear node (Affine and Conv biases), per output element. */
function ownBias(n: FlatNode): Float64Array {
  const size = product(n.outShape);
  const out = new Float64Array(size);
  const b = n.params.bias;
  if (!b || (n.type !== "Affine" && n.type !== "Conv1d" && n.type !== "Conv2d")) return out;
  const perChannel = n.type === "Affine" ? 1 : size / n.outShape[0]!;
  for (let e = 0; e < size; e++) out[e] = at(b, Math.floor(e / perChannel));
  return out;
}

/** Applies node `n` to what reaches its input. */
function applyLinear(n: FlatNode, input: Afferent): Afferent {
  const map = sparseMap(n);
  const delays = n.type === "Delay" ? n.params.delay! : undefined;
  const from = new Map<string, Synapse[]>();
  for (const [src, syns] of input.from) {
    const merged = new Map<string, Synapse>();
    for (const syn of syns)
      map(syn.post, (o, w) => {
        const delay = syn.delay + (delays ? at(delays, o) : 0);
        const key = `${syn.pre},${o},${delay}`;
        const m = merged.get(key);
        if (m) m.w += syn.w * w;
        else merged.set(key, { pre: syn.pre, post: o, w: syn.w * w, delay });
      });
    from.set(
      src,
      [...merged.values()].filter((s) => s.w !== 0),
    );
  }
  const bias = ownBias(n);
  input.bias.forEach((b, i) => {
    if (b !== 0) map(i, (o, w) => (bias[o]! += b * w));
  });
  return { from, bias };
}

/** Emitting nodes: a spike source (root Input) or a neuron; everything else is linear or an Output. */
export const isEmitter = (n: FlatNode): boolean => n.type === "Input" || (!LINEAR.has(n.type) && n.type !== "Output");

/** Sums afferents of the same size. */
function sum(parts: Afferent[], size: number): Afferent {
  const from = new Map<string, Synapse[]>();
  const bias = new Float64Array(size);
  for (const a of parts) {
    for (const [src, syns] of a.from) from.set(src, [...(from.get(src) ?? []), ...syns]);
    a.bias.forEach((b, i) => (bias[i]! += b));
  }
  return { from, bias };
}

/** What reaches node `path`'s input (the sum over its incoming edges); a cycle of linear nodes only (an
 *  algebraic loop) is reported through `loop` with the nodes on it. */
export function afferentOf(
  g: FlatGraph,
  path: string,
  memo: Map<string, Afferent>,
  loop: (nodes: string[]) => void,
  visiting: string[] = [],
): Afferent {
  const node = g.nodes.get(path)!;
  const size = product(node.inShape);
  const parts: Afferent[] = [];
  for (const [a, b] of g.edges) {
    if (b !== path) continue;
    const src = g.nodes.get(a)!;
    if (isEmitter(src)) {
      const n = product(src.outShape);
      const syns = Array.from({ length: n }, (_, i) => ({ pre: i, post: i, w: 1, delay: 0 }));
      parts.push({ from: new Map([[a, syns]]), bias: new Float64Array(n) });
      continue;
    }
    if (visiting.includes(a)) {
      loop([...visiting.slice(visiting.indexOf(a)), a]);
      continue;
    }
    let out = memo.get(a);
    if (!out) {
      out = applyLinear(src, afferentOf(g, a, memo, loop, [...visiting, a]));
      memo.set(a, out);
    }
    parts.push(out);
  }
  return sum(parts, size);
}
