// Spike-train distances. In: two ascending arrays of spike times (seconds) and a cost or time constant;
// out: the Victor–Purpura and van Rossum distances.
//
// Victor–Purpura (J Neurophysiol 76:1310, 1996), D_spike[q]: the cheapest way to turn one train into the
// other by deleting or inserting a spike (cost 1 each) or shifting one by dt (cost q |dt|). Computed by the
// usual dynamic programme over prefixes, O(n m) time, O(m) memory. Identical trains: 0; one spike shifted by
// d: min(2, q d); n spikes against none: n.
//
// van Rossum (Neural Comput 13:751, 2001): each train is filtered with a causal exponential
// f(t) = sum_i exp(-(t - t_i)/tau) H(t - t_i) and D^2 = (1/tau) * integral (f - g)^2 dt. In closed form,
// D^2 = (1/2) [ sum_ij e^{-|t_i - t_j|/tau} + sum_ij e^{-|u_i - u_j|/tau} - 2 sum_ij e^{-|t_i - u_j|/tau} ],
// so one spike against none gives D = sqrt(1/2) and two single spikes d apart D = sqrt(1 - e^{-d/tau}).
// The sums are evaluated in O(n + m) with running exponentially decayed accumulators.

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

/** Victor–Purpura distance; q is the cost per second of shifting a spike (1/s). */
export function victorPurpura(a: ArrayLike<number>, b: ArrayLike<number>, q: number): number {
  const n = a.length,
    m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev = new Float64Array(m + 1),
    cur = new Float64Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    const ai = a[i - 1]!;
    for (let j = 1; j <= m; j++) {
      const del = prev[j]! + 1,
        ins = cur[j - 1]! + 1,
        shift = prev[j - 1]! + q * math.abs(ai - b[j - 1]!);
      cur[j] = del < ins ? (del < shift ? del : shift) : ins < shift ? ins : shift;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m]!;
}

/** sum over i, j of e^{-|t_i - t_j|/tau} for one ascending train (pairs by index, so repeats count). */
function selfSum(t: ArrayLike<number>, tau: number): number {
  let acc = 0,
    total = t.length;
  for (let i = 1; i < t.length; i++) {
    acc = (acc + 1) * math.exp(-(t[i]! - t[i - 1]!) / tau); // sum over j < i of e^{-(t_i - t_j)/tau}
    total += 2 * acc;
  }
  return total;
}

/** sum over x in a, y in b with y <= x (strict: y < x) of e^{-(x - y)/tau}; both ascending. */
function causalSum(a: ArrayLike<number>, b: ArrayLike<number>, tau: number, strict: boolean): number {
  let acc = 0,
    last = 0,
    j = 0,
    total = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    while (j < b.length && (strict ? b[j]! < x : b[j]! <= x)) {
      acc = acc * math.exp(-(b[j]! - last) / tau) + 1;
      last = b[j]!;
      j++;
    }
    if (j > 0) total += acc * math.exp(-(x - last) / tau);
  }
  return total;
}

/** van Rossum distance with time constant tau (s), normalized as in the header (dimensionless). */
export function vanRossum(a: ArrayLike<number>, b: ArrayLike<number>, tau: number): number {
  const cross = causalSum(a, b, tau, false) + causalSum(b, a, tau, true);
  const d2 = 0.5 * (selfSum(a, tau) + selfSum(b, tau) - 2 * cross);
  return math.sqrt(math.max(0, d2)); // rounding can leave -1e-16 for identical trains
}
