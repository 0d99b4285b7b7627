// NIR files (HDF5) read and written with h5wasm, in memory (its ESM build keeps files in an in-memory file
// system, so the same code runs in Node and in a browser). In: the file's bytes / a NirFile; out: a NirFile
// (compiler/nir/graph.ts) / the bytes. A file that is not HDF5 or not laid out as NIR is an error string, not
// an exception.

import type H5 from "h5wasm";
import type { NirArray, NirFile, NirNode } from "../../compiler/nir/graph.js";

type H5Module = {
  FS: { writeFile(p: string, b: Uint8Array): void; readFile(p: string): Uint8Array; unlink(p: string): void };
};
let ready: H5Module | undefined;
let h5wasm: typeof H5;
/** While true, what the HDF5 library prints on stderr (its error stack for a damaged file) is dropped: the
 *  reader reports the failure as a diagnostic instead. */
let quiet = false;

/** Loads the HDF5 library (once); every other function here needs it. The library binds console.error when it
 *  loads, so it is loaded with a console.error that can be silenced. */
export async function loadHdf5(): Promise<void> {
  if (ready) return;
  const original = console.error;
  console.error = (...args: unknown[]): void => {
    if (!quiet) original.apply(console, args);
  };
  try {
    h5wasm = (await import("h5wasm")).default;
    ready = (await h5wasm.ready) as unknown as H5Module;
  } finally {
    console.error = original;
  }
}

function fs(): H5Module["FS"] {
  if (!ready) throw new Error("internal: loadHdf5() was not awaited");
  return ready.FS;
}

let counter = 0;
const tempName = (): string => `/glia-nir-${++counter}.h5`;

type Group = InstanceType<typeof H5.Group>;
type Dataset = InstanceType<typeof H5.Dataset>;

/** Parses NIR bytes; an error message when the bytes are not an HDF5 file with a `node` group. */
export function readNir(bytes: Uint8Array): { file: NirFile } | { error: string } {
  // checked here rather than by the library, which prints its error stack on stderr for a file it cannot open
  if (!hasSignature(bytes)) return { error: "not an HDF5 file (no HDF5 signature)" };
  const name = tempName();
  fs().writeFile(name, bytes);
  let f: InstanceType<typeof H5.File> | undefined;
  quiet = true;
  try {
    f = new h5wasm.File(name, "r");
    const root = f.get("node");
    if (!(root instanceof h5wasm.Group)) return { error: "no `node` group: not a NIR file" };
    const version = f.get("version");
    const v = version instanceof h5wasm.Dataset ? String(version.value as string) : "unknown";
    return { file: { version: v, root: readNode(root) } };
  } catch (e) {
    return { error: `not an HDF5 file (${(e as Error).message.split("\n")[0]})` };
  } finally {
    try {
      f?.close();
    } catch {
      // a file the library could not open has nothing to close
    }
    fs().unlink(name);
    quiet = false;
  }
}

/** HDF5's signature, at offset 0 or after a user block of 512, 1024, 2048, ... bytes. */
function hasSignature(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  for (let at = 0; at + sig.length <= bytes.length; at = at === 0 ? 512 : at * 2)
    if (sig.every((b, i) => bytes[at + i] === b)) return true;
  return false;
}

function numeric(d: Dataset): NirArray | undefined {
  const v = d.value as unknown;
  const shape = (d.shape ?? []).map(Number);
  if (typeof v === "number") return { shape, data: [v] };
  if (typeof v === "bigint") return { shape, data: [Number(v)] };
  if (typeof v === "boolean") return { shape, data: [v ? 1 : 0] };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const data = Array.from(v as unknown as ArrayLike<number | bigint>, Number);
    return { shape, data };
  }
  return undefined;
}

function readNode(g: Group): NirNode {
  const typeDs = g.get("type");
  const type = typeDs instanceof h5wasm.Dataset ? String(typeDs.value as string) : "";
  const node: NirNode = { type, params: {} };
  for (const key of g.keys()) {
    if (key === "type" || key === "metadata") continue;
    const item = g.get(key);
    if (type === "NIRGraph" && key === "nodes" && item instanceof h5wasm.Group) {
      node.nodes = new Map(
        item.keys().flatMap((k) => {
          const child = item.get(k);
          return child instanceof h5wasm.Group ? [[k, readNode(child)] as const] : [];
        }),
      );
    } else if (type === "NIRGraph" && key === "edges" && item instanceof h5wasm.Dataset) {
      const flat = ([] as unknown[]).concat(item.value as unknown[]).map(String);
      node.edges = [];
      for (let i = 0; i + 1 < flat.length; i += 2) node.edges.push([flat[i]!, flat[i + 1]!]);
    } else if (item instanceof h5wasm.Dataset) {
      const a = numeric(item);
      if (a) node.params[key] = a;
      else if (typeof item.value === "string") (node.strings ??= {})[key] = item.value;
    } else if (item instanceof h5wasm.Group) {
      // Flatten's input_type = {input: shape}; Input/Output may carry {input|output: shape} the same way
      for (const k of item.keys()) {
        const sub = item.get(k);
        const a = sub instanceof h5wasm.Dataset ? numeric(sub) : undefined;
        if (a) node.params[key] = a;
      }
    }
  }
  if (type === "NIRGraph") {
    node.nodes ??= new Map();
    node.edges ??= [];
  }
  return node;
}

/** Parameters NIR stores as integers (shapes, strides, ...); everything else is float64. */
const INTEGER_PARAMS = new Set([
  "shape",
  "stride",
  "padding",
  "dilation",
  "groups",
  "kernel_size",
  "start_dim",
  "end_dim",
  "input_shape",
]);

/** The bytes of a NIR file holding `file` (version string, node tree; compressed as h5py's default). */
export function writeNir(file: NirFile): Uint8Array {
  const name = tempName();
  const f = new h5wasm.File(name, "w");
  try {
    f.create_dataset({ name: "version", data: file.version });
    writeNode(f.create_group("node"), file.root);
  } finally {
    f.close();
  }
  const bytes = fs().readFile(name);
  fs().unlink(name);
  return bytes;
}

function writeNode(g: Group, n: NirNode): void {
  g.create_dataset({ name: "type", data: n.type });
  for (const [key, a] of Object.entries(n.params)) {
    const int = INTEGER_PARAMS.has(key);
    const data = int ? BigInt64Array.from(a.data, (x) => BigInt(Math.round(x))) : Float64Array.from(a.data);
    g.create_dataset({ name: key, data, shape: a.shape, dtype: int ? "<q" : "<d" });
  }
  if (n.type === "NIRGraph") {
    const nodes = g.create_group("nodes");
    for (const [k, child] of n.nodes ?? []) writeNode(nodes.create_group(k), child);
    const edges = n.edges ?? [];
    g.create_dataset({ name: "edges", data: edges.flat(), shape: [edges.length, 2] });
  }
}
