// Which projections are dense: every pre element of the projection's slice connected to every post element of
// its slice, once each (all-to-all, or any rule that draws that). A core holds such a projection in its dense
// synapse encoding (a weight matrix, no per-synapse index) and a preset may cost its ops differently
// (synapticOpDense, targets/emulator/costs.ts; SANA-FE's loihi_dense_synapse). In: the slices and the synapse
// list; out: true or false. The one rule the emulator and the SANA-FE export share.

import type { PopSlice } from "../../compiler/ir/nodes.js";

export function isDense(
  pre: PopSlice,
  post: PopSlice,
  n: number,
  preIndex: ArrayLike<number>,
  postIndex: ArrayLike<number>,
): boolean {
  const P = pre.end - pre.start,
    Q = post.end - post.start;
  if (P <= 0 || Q <= 0 || n !== P * Q) return false;
  const seen = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    const a = preIndex[s]! - pre.start,
      b = postIndex[s]! - post.start;
    if (a < 0 || a >= P || b < 0 || b >= Q) return false;
    const k = a * Q + b;
    if (seen[k]) return false;
    seen[k] = 1;
  }
  return true;
}
