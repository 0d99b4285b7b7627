// Cycle clock and event queue of the emulator. In: durations in seconds and timestamped events; out: whole
// cycle counts at a clock (durations round up: an operation occupies every cycle it touches) and events
// popped in (cycle, sequence) order, the order a tick-by-tick model would see them.

/** Seconds -> whole cycles at `hz`, rounding up (a 3.5 ns operation at 1 GHz takes 4 cycles). A tiny
 *  tolerance keeps exact multiples (4.1 ns at 10 GHz = 41 cycles) from rounding up by float noise. */
export function cyclesOf(seconds: number, hz: number): number {
  if (!(seconds > 0)) return 0;
  const c = seconds * hz;
  const r = Math.round(c);
  return Math.abs(c - r) < 1e-9 * Math.max(1, c) ? r : Math.ceil(c);
}

/** A binary min-heap of events keyed by (time, seq); seq is the insertion number unless given. */
export class EventQueue<T> {
  private times: number[] = [];
  private seqs: number[] = [];
  private items: T[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: number, item: T, seq: number = this.nextSeq++): void {
    const times = this.times,
      seqs = this.seqs,
      items = this.items;
    let i = items.length;
    times.push(time);
    seqs.push(seq);
    items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p]! < time || (times[p] === time && seqs[p]! <= seq)) break;
      times[i] = times[p]!;
      seqs[i] = seqs[p]!;
      items[i] = items[p]!;
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    items[i] = item;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.items.length ? this.times[0]! : Infinity;
  }

  pop(): { time: number; seq: number; item: T } | undefined {
    const times = this.times,
      seqs = this.seqs,
      items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const out = { time: times[0]!, seq: seqs[0]!, item: items[0]! };
    const lt = times.pop()!,
      ls = seqs.pop()!,
      li = items.pop()!;
    if (n > 1) {
      let i = 0;
      const m = n - 1;
      for (;;) {
        const a = 2 * i + 1;
        if (a >= m) break;
        const b = a + 1;
        let c = a;
        if (b < m && (times[b]! < times[a]! || (times[b] === times[a] && seqs[b]! < seqs[a]!))) c = b;
        if (lt < times[c]! || (lt === times[c] && ls <= seqs[c]!)) break;
        times[i] = times[c]!;
        seqs[i] = seqs[c]!;
        items[i] = items[c]!;
        i = c;
      }
      times[i] = lt;
      seqs[i] = ls;
      items[i] = li;
    }
    return out;
  }

  clear(): void {
    this.times.length = 0;
    this.seqs.length = 0;
    this.items.length = 0;
    this.nextSeq = 0;
  }
}
