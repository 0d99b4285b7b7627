// White noise draws (`xi` in ODEs; after solve-odes a ref {space: "noise", name}): element e of population POP
// reads in network step k the standard normal normal(seed, fnv1a32("noise:POP.NAME"), k * size + e)
// (targets/network/rng.ts), the same for every read of that name in that step. In: the seed, population,
// noise name and size; out: a draw function. The wasm runtime computes the same draw (runtime/assembly/rng.ts).

import { fnv1a32, normal } from "./rng.js";

/** The stream of noise `name` of population `pop`. */
export function noiseStream(pop: string, name: string): number {
  return fnv1a32(`noise:${pop}.${name}`);
}

/** (k, e) -> the draw of noise `name` for element e in step k. */
export function noiseSource(seed: number, pop: string, name: string, size: number): (k: number, e: number) => number {
  const stream = noiseStream(pop, name);
  const s = seed >>> 0;
  return (k, e) => normal(s, stream, k * size + e);
}

/** The largest |draw|: Box–Muller's radius at its smallest u1 = 2^-32, sqrt(-2 ln 2^-32) = 6.6604. */
export const NOISE_BOUND = Math.sqrt(64 * Math.LN2);
