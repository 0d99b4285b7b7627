// Astrocyte assignment of ensheathed synapses (tripartite pools, after NEST's tripartite connect).
// In: a projection's CSR, its post slice, the astrocyte population size, the pool rule and seed;
// out: for every synapse the astrocyte element that ensheathes it.
//
// Each post element q of the projection (r = q - post.start, nPost = post slice size, A = astrocyte
// population size, P = min(pool, A), pool >= 1) has a pool of P astrocytes:
//   block:  astrocytes (floor(r * A / nPost) + c) mod A for c = 0 .. P-1 (contiguous blocks);
//   random: P distinct astrocytes out of 0 .. A-1 by the partial Fisher–Yates of connectivity.ts
//           (`choose`), draws u_m = uniform01(seed, ensheath:PROJ, q * 2^21 + m).
// Synapse s (onto q) takes pool[0] when P = 1, else pool[floor(u * P)] with
//   u = uniform01(seed, ensheath:PROJ, 2^43 + s)   (2^43 lies above every pool draw index).

import type { PopSlice } from "../../compiler/ir/nodes.js";
import type { Csr } from "./connectivity.js";
import { choose } from "./connectivity.js";
import { TargetError } from "../target.js";
import { streams, uniform01 } from "./rng.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

export const SYNAPSE_DRAW_BASE = 2 ** 43;

export function assignAstrocytes(
  proj: string,
  csr: Csr,
  post: PopSlice,
  nAstro: number,
  rule: "random" | "block",
  pool: number,
  seed: number,
): Int32Array {
  if (nAstro < 1) throw new TargetError(`ensheath of ${proj}: the astrocyte population is empty`);
  const P = math.min(math.max(1, math.floor(pool)), nAstro);
  const nPost = post.end - post.start;
  const stream = streams.ensheath(proj);
  const pools = new Int32Array(nPost * P);
  for (let r = 0; r < nPost; r++) {
    if (rule === "block") {
      const first = math.floor((r * nAstro) / nPost);
      for (let c = 0; c < P; c++) pools[r * P + c] = (first + c) % nAstro;
    } else {
      const chosen = choose(P, 0, nAstro, -1, seed, stream, post.start + r, proj);
      for (let c = 0; c < P; c++) pools[r * P + c] = chosen[c]!;
    }
  }
  const out = new Int32Array(csr.n);
  for (let s = 0; s < csr.n; s++) {
    const r = csr.post[s]! - post.start;
    const c = P === 1 ? 0 : math.floor(uniform01(seed, stream, SYNAPSE_DRAW_BASE + s) * P);
    out[s] = pools[r * P + c]!;
  }
  return out;
}
