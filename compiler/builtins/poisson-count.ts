// The draw of a poisson_count input (`input S = poisson_count(rate = R)[n]`): the one rule every target applies.
// In: one uniform u in [0, 1) (the source's counter-based stream, as a Poisson element's spike test uses) and the
// element's mean count per step lambda = rate * dt; out: the element's event count in the step, Poisson(lambda)
// by inversion: the smallest k with u < F(k) = sum_{j <= k} e^-lambda lambda^j / j!, F built term by term as
// p_0 = e^-lambda, p_j = p_{j-1} * lambda / j (in this order of f64 operations, so the wasm target, which
// repeats them instruction for instruction, draws the very same counts). The search stops when a term
// underflows to 0 (F cannot grow any more), which bounds it for any u.

/** Largest mean count per step (rate * dt) a poisson_count element may have (E0531): the inversion takes about
 *  lambda steps, and e^-lambda stays a normal float64 far beyond it. */
export const POISSON_COUNT_MAX = 100;

/** The count of one element in one step: u uniform in [0, 1), lambda = rate * dt, q0 = Math.exp(-lambda). */
export function poissonCount(u: number, lambda: number, q0: number): number {
  let k = 0;
  let p = q0;
  let f = q0;
  while (u >= f && p > 0) {
    k++;
    p = (p * lambda) / k;
    f += p;
  }
  return k;
}
