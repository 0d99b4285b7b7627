// The runtime pieces every stepping engine shares: the last-spike sentinel, a growable int list, the spike list
// of one population within a step, and on-pre events waiting for their delay. In: population sizes, a
// projection's CSR rows and delays; out: the step's spiking elements and the events due in each step, in the
// order docs/internals.md ("Step details") fixes.

/** lastSpike of a neuron that never spiked: far enough back that no refractory period covers step 0. */
export const NEVER = -1_000_000_000;

/** A growable Int32 list. */
export class IntList {
  data = new Int32Array(64);
  n = 0;
  push(x: number): void {
    if (this.n === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.n++] = x;
  }
  /** A copy of the first n values. */
  values(): Int32Array {
    return this.data.slice(0, this.n);
  }
}

/** The elements of one population (group or source) that spiked in the current step: `buf[0..n)`, ascending.
 *  `n` keeps the previous step's count until the population's thresholds run again (modulators read it as
 *  rate(POP)); `total` counts every spike of the run. */
export class SpikeBuffer {
  readonly buf: Int32Array;
  n = 0;
  total = 0;
  /** `capacity`: room for the list of one step, `size` unless a source lists an element more than once
   *  (poisson_count, targets/network/sources.ts). */
  constructor(
    readonly name: string,
    readonly size: number,
    capacity = size,
  ) {
    this.buf = new Int32Array(capacity);
  }
}

/** On-pre events of one projection waiting for their delay. Uniform delay D: the ring holds the spiking pre
 *  elements (rows) of each emission step; mixed delays: synapse numbers. The slot of step k is k mod
 *  (maxDelay + 1). Either way the events of a step come out ordered by emission step, then pre element, then
 *  CSR order, and the delay-0 events of step k last. */
export class OnPreQueue {
  /** -1 when the delays differ between synapses */
  readonly uniformDelay: number;
  private readonly slots: IntList[];

  constructor(
    readonly rowStart: Int32Array,
    readonly delays: Int32Array,
  ) {
    const n = delays.length;
    let maxD = 0;
    let uniform = n > 0 ? delays[0]! : 0;
    for (let s = 0; s < n; s++) {
      if (delays[s]! > maxD) maxD = delays[s]!;
      if (delays[s] !== uniform) uniform = -1;
    }
    this.uniformDelay = uniform;
    this.slots = Array.from({ length: maxD + 1 }, () => new IntList());
  }

  /** Delivers the events due in step k: `row(e)` for every synapse of pre element e at once (uniform delay),
   *  `syn(s)` for one synapse (mixed delays); this step's spikes `spikes[0..n)` within [lo, hi) are delivered
   *  now (delay 0) or queued. Returns the number of synapse events delivered. */
  deliver(
    k: number,
    spikes: Int32Array,
    n: number,
    lo: number,
    hi: number,
    row: (e: number) => void,
    syn: (s: number) => void,
  ): number {
    const slots = this.slots,
      L = slots.length,
      rowStart = this.rowStart;
    const due = slots[k % L]!;
    let events = 0;
    if (this.uniformDelay >= 0) {
      if (this.uniformDelay > 0) {
        for (let x = 0; x < due.n; x++) {
          const e = due.data[x]!;
          events += rowStart[e + 1]! - rowStart[e]!;
          row(e);
        }
        due.n = 0;
        const later = slots[(k + this.uniformDelay) % L]!;
        for (let x = 0; x < n; x++) {
          const e = spikes[x]!;
          if (e >= lo && e < hi) later.push(e);
        }
      } else {
        for (let x = 0; x < n; x++) {
          const e = spikes[x]!;
          if (e >= lo && e < hi) {
            events += rowStart[e + 1]! - rowStart[e]!;
            row(e);
          }
        }
      }
      return events;
    }
    const delays = this.delays;
    for (let x = 0; x < due.n; x++) syn(due.data[x]!);
    events += due.n;
    due.n = 0;
    for (let x = 0; x < n; x++) {
      const e = spikes[x]!;
      if (e < lo || e >= hi) continue;
      for (let s = rowStart[e]!, end = rowStart[e + 1]!; s < end; s++) {
        const dl = delays[s]!;
        if (dl === 0) {
          syn(s);
          events++;
        } else slots[(k + dl) % L]!.push(s);
      }
    }
    return events;
  }
}

/** A per-synapse handler run for every incoming synapse of post element q (post-view order). */
export function perIncoming(
  postStart: Int32Array,
  postSyn: Int32Array,
  f: (s: number, k: number) => void,
): (q: number, k: number) => void {
  return (q, k) => {
    for (let y = postStart[q]!, end = postStart[q + 1]!; y < end; y++) f(postSyn[y]!, k);
  };
}

/** Current stimuli: value i holds from step floor(times[i]/dt + 0.5) on (none before the first). */
export class CurrentCursor {
  private readonly from: number[];
  private cursor = -1;
  constructor(times: readonly number[], dt: number) {
    this.from = times.map((x) => Math.floor(x / dt + 0.5));
  }
  /** The index of the value in force at step k (k ascending between calls), or -1. */
  at(k: number): number {
    while (this.cursor + 1 < this.from.length && this.from[this.cursor + 1]! <= k) this.cursor++;
    return this.cursor;
  }
}
