// Connectivity of one projection from its rule, as CSR. In: an IRProjection, population sizes, seed;
// out: synapses ordered by pre element (ascending) then post element (ascending), with a post-indexed view.
// All element indices are population indices (a slice a[10:20] contributes elements 10..19).

import type { IRProjection } from "../../compiler/ir/nodes.js";
import { TargetError } from "./eval.js";
import { streams, uniform01 } from "./rng.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

/** Draw index stride per element: element e's m-th draw uses index e * 2^21 + m. */
export const ROW_STRIDE = 2 ** 21;

export interface Csr {
  /** Number of synapses; synapse s is the s-th in construction (CSR) order. */
  n: number;
  pre: Int32Array; // pre element of synapse s
  post: Int32Array; // post element of synapse s
  /** Synapses of pre element p are rowStart[p] .. rowStart[p+1]-1 (length = pre population size + 1). */
  rowStart: Int32Array;
  /** Incoming synapses of post element q are postSyn[postStart[q] .. postStart[q+1]-1], ascending. */
  postStart: Int32Array;
  postSyn: Int32Array;
}

/**
 * Builds the synapses of `proj`. `prePopSize`/`postPopSize` are the sizes of the whole populations.
 * Self-connections (pre and post are the same population and the same element) are dropped for
 * all_to_all, fixed_probability, fixed_indegree and fixed_outdegree unless `allowSelf`; one_to_one
 * and from_list keep what they name.
 */
export function buildConnectivity(proj: IRProjection, prePopSize: number, postPopSize: number, seed: number): Csr {
  const { pre, post, rule } = proj;
  const same = pre.population === post.population;
  const noSelf = same && !proj.allowSelf;
  const stream = streams.conn(proj.name);
  const nPre = pre.end - pre.start;
  const nPost = post.end - post.start;
  const ps: number[] = [];
  const qs: number[] = [];
  switch (rule.k) {
    case "all_to_all":
      for (let i = pre.start; i < pre.end; i++)
        for (let j = post.start; j < post.end; j++) if (!(noSelf && i === j)) { ps.push(i); qs.push(j); }
      break;
    case "one_to_one":
      if (nPre !== nPost) throw new TargetError(`one_to_one needs equal sizes (${nPre} vs ${nPost}) in ${proj.name}`);
      for (let r = 0; r < nPre; r++) { ps.push(pre.start + r); qs.push(post.start + r); }
      break;
    case "fixed_probability": {
      // Row i: positions j = post.start + x, x = -1 + sum of (1 + gap_m) with
      // gap_m = floor(ln(1 - u_m) / ln(1 - p)), u_m = uniform01(seed, conn:PROJ, i * 2^21 + m), m = 0, 1, ...
      // until x >= nPost. p <= 0: no synapse; p >= 1: every position.
      const p = rule.p;
      if (nPost >= ROW_STRIDE) throw new TargetError(`fixed_probability: post population of ${proj.name} too large`);
      if (p <= 0) break;
      const lq = math.log(1 - p);
      for (let i = pre.start; i < pre.end; i++) {
        let x = -1;
        for (let m = 0; ; m++) {
          if (p >= 1) x += 1;
          else {
            const u = uniform01(seed, stream, i * ROW_STRIDE + m);
            x += 1 + math.floor(math.log(1 - u) / lq);
          }
          if (x >= nPost) break;
          const j = post.start + x;
          if (!(noSelf && i === j)) { ps.push(i); qs.push(j); }
        }
      }
      break;
    }
    case "fixed_outdegree":
      for (let i = pre.start; i < pre.end; i++) {
        const chosen = choose(rule.n, post.start, nPost, noSelf ? i : -1, seed, stream, i, proj.name);
        chosen.sort((a, b) => a - b);
        for (const j of chosen) { ps.push(i); qs.push(j); }
      }
      break;
    case "fixed_indegree": {
      const byPost: number[][] = [];
      for (let j = post.start; j < post.end; j++) byPost.push(choose(rule.n, pre.start, nPre, noSelf ? j : -1, seed, stream, j, proj.name));
      // rows by pre ascending; within a row, post ascending (we visit posts in ascending order)
      const rows: number[][] = Array.from({ length: prePopSize }, () => []);
      byPost.forEach((pres, r) => { for (const i of pres) rows[i]!.push(post.start + r); });
      rows.forEach((row, i) => { for (const j of row) { ps.push(i); qs.push(j); } });
      break;
    }
    case "from_list": {
      if (rule.pre.length !== rule.post.length) throw new TargetError(`from_list of ${proj.name}: pre and post lists differ in length`);
      const order = rule.pre.map((_, k) => k);
      for (let k = 0; k < rule.pre.length; k++) {
        const i = rule.pre[k]!, j = rule.post[k]!;
        if (!(i >= pre.start && i < pre.end && j >= post.start && j < post.end) || !Number.isInteger(i) || !Number.isInteger(j))
          throw new TargetError(`from_list of ${proj.name}: pair (${i}, ${j}) is outside the connected populations`);
      }
      order.sort((a, b) => rule.pre[a]! - rule.pre[b]! || rule.post[a]! - rule.post[b]! || a - b);
      for (const k of order) { ps.push(rule.pre[k]!); qs.push(rule.post[k]!); }
      break;
    }
  }
  return toCsr(ps, qs, prePopSize, postPopSize);
}

/**
 * `n` distinct elements out of the candidate list L (L = start, start+1, ..., start+count-1 in
 * ascending order, with `exclude` removed when it is in range), by a partial Fisher–Yates shuffle:
 * for m = 0 .. n-1: r = m + floor(u_m * (|L| - m)), swap L[m] and L[r]; result L[0 .. n-1] (in that
 * order). u_m = uniform01(seed, stream, element * 2^21 + m).
 */
export function choose(n: number, start: number, count: number, exclude: number, seed: number, stream: number, element: number, proj: string): number[] {
  const skip = exclude >= start && exclude < start + count;
  const len = count - (skip ? 1 : 0);
  if (!Number.isInteger(n) || n < 0 || n > len)
    throw new TargetError(`${proj}: cannot choose ${n} distinct partners out of ${len}`);
  const base = (pos: number): number => start + pos + (skip && start + pos >= exclude ? 1 : 0);
  const swapped = new Map<number, number>();
  const at = (pos: number): number => swapped.get(pos) ?? base(pos);
  const out: number[] = [];
  for (let m = 0; m < n; m++) {
    const r = m + math.floor(uniform01(seed, stream, element * ROW_STRIDE + m) * (len - m));
    const vm = at(m), vr = at(r);
    swapped.set(m, vr);
    swapped.set(r, vm);
    out.push(vr);
  }
  return out;
}

/** Pairs already in (pre, post) order -> CSR with the post-indexed view. */
function toCsr(ps: number[], qs: number[], prePopSize: number, postPopSize: number): Csr {
  const n = ps.length;
  const pre = Int32Array.from(ps);
  const post = Int32Array.from(qs);
  const rowStart = new Int32Array(prePopSize + 1);
  for (let s = 0; s < n; s++) rowStart[pre[s]! + 1]!++;
  for (let p = 0; p < prePopSize; p++) rowStart[p + 1]! += rowStart[p]!;
  const postStart = new Int32Array(postPopSize + 1);
  for (let s = 0; s < n; s++) postStart[post[s]! + 1]!++;
  for (let q = 0; q < postPopSize; q++) postStart[q + 1]! += postStart[q]!;
  const fill = postStart.slice(0, postPopSize);
  const postSyn = new Int32Array(n);
  for (let s = 0; s < n; s++) postSyn[fill[post[s]!]!++] = s;
  return { n, pre, post, rowStart, postStart, postSyn };
}
