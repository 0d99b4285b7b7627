// The 32-bit linear-feedback shift register that drives stochastic rounding. In: a 32-bit seed;
// out: a reproducible sequence of nonzero 32-bit words (and uniform numbers in (0, 1)).
//
// Polynomial x^32 + x^22 + x^2 + x + 1 (taps 32, 22, 2, 1; maximal length, period 2^32 - 1; Xilinx
// XAPP052's table), in Galois form shifting right: one step is
//     out = s & 1;  s = s >>> 1;  if (out) s ^= 0x80200003
// (bit 31 of the mask is the x^32 term fed back into the top, bits 21, 1, 0 are x^22, x^2, x^1).
// One draw is one step; the draw is the new state. State 0 is a fixed point of the register, so seed 0
// is replaced by SEED_ZERO_SUBSTITUTE. Hardware implements a step with one shift and one XOR.

export const LFSR_MASK = 0x80200003;
export const SEED_ZERO_SUBSTITUTE = 0x1d872b41;

export function lfsrStep(s: number): number {
  const out = s & 1;
  s = s >>> 1;
  return out ? (s ^ LFSR_MASK) >>> 0 : s;
}

export class Lfsr32 {
  state: number;

  constructor(seed: number) {
    const s = seed >>> 0;
    this.state = s === 0 ? SEED_ZERO_SUBSTITUTE : s;
  }

  /** Advances one step and returns the new state (1 .. 2^32 - 1). */
  next(): number {
    this.state = lfsrStep(this.state);
    return this.state;
  }

  /** next() * 2^-32, in (0, 1). */
  nextUnit(): number {
    return this.next() * 2 ** -32;
  }
}
