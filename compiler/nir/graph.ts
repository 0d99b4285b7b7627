// NIR graphs as glia reads and writes them. In: nothing (types and small helpers only); out: the raw node tree
// a reader produces from an HDF5 file (targets/nir/hdf5.ts) and a writer consumes, and the table of NIR
// primitives glia knows with the parameters each one requires.

/** A numeric array as stored in the file: row-major data and its shape ([] for a scalar). */
export interface NirArray {
  shape: number[];
  data: number[];
}

/** One node of the file: its type, numeric parameters, and (NIRGraph only) children and edges. */
export interface NirNode {
  type: string;
  params: Record<string, NirArray>;
  /** String parameters (a Conv's padding "same" / "valid"). */
  strings?: Record<string, string>;
  /** NIRGraph: its nodes by name, in the file's order. */
  nodes?: Map<string, NirNode>;
  /** NIRGraph: edges [from, to], in the file's order (any order; a name may be `sub.node` into a subgraph). */
  edges?: [string, string][];
}

/** A whole file: the version string and the root graph. */
export interface NirFile {
  version: string;
  root: NirNode;
}

/** The primitives glia imports and the parameters each must carry (optional ones listed apart). */
export const PRIMITIVES: Record<string, { required: string[]; optional?: string[] }> = {
  Input: { required: ["shape"] },
  Output: { required: ["shape"] },
  Affine: { required: ["weight", "bias"] },
  Linear: { required: ["weight"] },
  Scale: { required: ["scale"] },
  Threshold: { required: ["threshold"] },
  LI: { required: ["tau", "r", "v_leak"] },
  LIF: { required: ["tau", "r", "v_leak", "v_threshold"], optional: ["v_reset"] },
  CubaLIF: { required: ["tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "w_in"], optional: ["v_reset"] },
  CubaLI: { required: ["tau_mem", "tau_syn", "r", "v_leak", "w_in"] },
  IF: { required: ["r", "v_threshold"], optional: ["v_reset"] },
  I: { required: ["r"] },
  Delay: { required: ["delay"] },
  Conv1d: {
    required: ["weight", "stride", "padding", "dilation", "groups", "bias"],
    optional: ["input_shape"],
  },
  Conv2d: {
    required: ["weight", "stride", "padding", "dilation", "groups", "bias"],
    optional: ["input_shape"],
  },
  SumPool2d: { required: ["kernel_size", "stride", "padding"] },
  AvgPool2d: { required: ["kernel_size", "stride", "padding"] },
  Flatten: { required: ["start_dim", "end_dim"], optional: ["input_type"] },
  NIRGraph: { required: [] },
};

/** NIR names the integrator `I` in files; the issue and the docs call it Integrator. */
export const TYPE_ALIASES: Record<string, string> = { Integrator: "I" };

export const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function arr(data: number[], shape: number[] = [data.length]): NirArray {
  return { shape, data };
}
