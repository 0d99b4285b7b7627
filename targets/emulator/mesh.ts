// Spike delivery over a 2-D mesh network-on-chip with XY routing. In: packets (source tile, destination
// tile, injection cycle), as objects or as arrays (the emulator's step), and the mesh timing; out: each packet's
// delivery cycle, the order the destination tiles took them in, hop counts per direction and the cycles packets
// spent waiting for busy links (contention).
//
// Model (what a tick-by-tick router does, computed event by event): every router has six ports: one
// injection port from its core, four links (east, west, north, south) and one ejection port to its core.
// A packet first crosses the injection port, then at each router takes the X link towards its destination
// column until the column matches, then the Y link, then the ejection port. A port carries one packet at a
// time for `linkCycles` cycles; packets waiting for a port are served first come first served, ties by
// packet number (lower first). A packet granted a link at cycle g reaches the next router at
// g + hopCyclesX (east/west) or g + hopCyclesY (north/south); granted the ejection port at g it is
// delivered at g + linkCycles; granted the injection port at g it is at its own router at g + linkCycles.
// A packet between two cores of one tile (source tile = destination tile) crosses only the ejection port:
// one port time, the "spike within a tile" of a chip whose tiles hold several cores (Loihi: 2.1 ns).

export interface MeshTiming {
  /** Cycles from a grant on an east/west link to arrival at the next router. */
  hopCyclesX: number;
  /** Cycles from a grant on a north/south link to arrival at the next router. */
  hopCyclesY: number;
  /** Cycles a port is busy with one packet (serialization); at least 1. */
  linkCycles: number;
}

export interface Packet {
  src: number; // tile index y * width + x
  dst: number;
  inject: number; // cycle the packet is ready at its source core
}

export interface DeliveryResult {
  /** Delivery cycle of each packet (same order as the input). */
  arrive: Float64Array;
  /** The packets in the order their destination tiles' ejection ports took them: within one destination tile,
   *  ascending delivery cycle (a port takes one packet at a time, so no two share a cycle). */
  order: Int32Array;
  hopsX: number;
  hopsY: number;
  /** Packets whose source and destination tile are the same (no link hop). */
  local: number;
  /** Sum over packets of cycles spent waiting for a busy port. */
  waitCycles: number;
}

const PORT_INJECT = 0,
  PORT_E = 1,
  PORT_W = 2,
  PORT_N = 3,
  PORT_S = 4,
  PORT_EJECT = 5;
const PORTS = 6;

/** A batch of packets as arrays (packet i: src[i], dst[i], inject[i]), the form the emulator's step fills. */
export interface PacketBatch {
  n: number;
  src: Int32Array;
  dst: Int32Array;
  inject: Float64Array;
}

export class Mesh {
  readonly width: number;
  readonly height: number;
  readonly timing: MeshTiming;
  private free: Float64Array;
  /** Column and row of each router. */
  private readonly colOf: Int32Array;
  private readonly rowOf: Int32Array;
  // per-batch state, grown as needed and reused: no allocation per batch
  private cap = 0;
  private at = new Int32Array(0); // router the packet is at (or injects into)
  private stage = new Uint8Array(0); // 0: before injection, 1: in the network
  private started = new Uint8Array(0); // 1: the packet's first event has been taken
  private arrive = new Float64Array(0);
  private order = new Int32Array(0);
  // the event queue: a binary min-heap of packets keyed by (time, packet number); a packet has one event at most
  private heapTime = new Float64Array(0);
  private heapItem = new Int32Array(0);

  constructor(width: number, height: number, timing: MeshTiming) {
    this.width = width;
    this.height = height;
    this.timing = { ...timing, linkCycles: Math.max(1, timing.linkCycles) };
    const whole = (c: number): boolean => Number.isInteger(c) && c >= 1 && c < 2 ** 20;
    this.integralTiming = whole(this.timing.linkCycles) && whole(timing.hopCyclesX) && whole(timing.hopCyclesY);
    this.free = new Float64Array(width * height * PORTS);
    this.colOf = new Int32Array(width * height);
    this.rowOf = new Int32Array(width * height);
    for (let r = 0; r < width * height; r++) {
      this.colOf[r] = r % width;
      this.rowOf[r] = Math.floor(r / width);
    }
  }

  /** Number of link hops from src to dst under XY routing (x then y). */
  hops(src: number, dst: number): { x: number; y: number } {
    const w = this.width;
    return { x: Math.abs((src % w) - (dst % w)), y: Math.abs(Math.floor(src / w) - Math.floor(dst / w)) };
  }

  /** Delivers a batch of packets into an idle network (the state of a previous batch is forgotten). */
  deliver(packets: readonly Packet[]): DeliveryResult {
    const n = packets.length;
    const b: PacketBatch = { n, src: new Int32Array(n), dst: new Int32Array(n), inject: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      const p = packets[i]!;
      b.src[i] = p.src;
      b.dst[i] = p.dst;
      b.inject[i] = p.inject;
    }
    const r = this.deliverBatch(b);
    return { ...r, arrive: r.arrive.slice(), order: r.order.slice() };
  }

  private grow(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(n, 2 * this.cap, 64);
    this.cap = cap;
    this.at = new Int32Array(cap);
    this.stage = new Uint8Array(cap);
    this.started = new Uint8Array(cap);
    this.arrive = new Float64Array(cap);
    this.order = new Int32Array(cap);
    this.heapTime = new Float64Array(cap);
    this.heapItem = new Int32Array(cap);
  }

  /** deliver() over arrays; the result's arrive and order are views of the mesh's buffers, valid until its
   *  next batch. */
  deliverBatch(b: PacketBatch): DeliveryResult {
    const n = b.n,
      src = b.src,
      dst = b.dst,
      inject = b.inject;
    this.free.fill(0);
    this.grow(n);
    const at = this.at,
      stage = this.stage,
      started = this.started;
    const routers = this.free.length / PORTS;
    let local = 0;
    for (let i = 0; i < n; i++) {
      const s = src[i]!,
        d = dst[i]!;
      if (s < 0 || s >= routers || d < 0 || d >= routers)
        throw new RangeError(`packet ${i}: tile outside the ${this.width}x${this.height} mesh`);
      at[i] = s;
      started[i] = 0;
      if (s === d) {
        local++;
        stage[i] = 1;
      } else stage[i] = 0;
    }
    this.hopsX = this.hopsY = this.waitCycles = this.delivered = 0;
    if (this.integralTiming && integral(inject, n)) this.runCalendar(b);
    else this.runHeap(b);
    return {
      arrive: this.arrive.subarray(0, n),
      order: this.order.subarray(0, n),
      hopsX: this.hopsX,
      hopsY: this.hopsY,
      local,
      waitCycles: this.waitCycles,
    };
  }

  // the batch's tallies, kept by advance()
  private hopsX = 0;
  private hopsY = 0;
  private waitCycles = 0;
  private delivered = 0;

  /** Packet i's event at cycle t: it takes its next port (waiting while the port is busy); returns the cycle of
   *  its next event, or -1 when the ejection port delivered it. */
  private advance(i: number, t: number, dst: Int32Array): number {
    const { hopCyclesX, hopCyclesY, linkCycles } = this.timing;
    const r = this.at[i]!;
    let port: number;
    if (this.stage[i] === 0) port = PORT_INJECT;
    else {
      const colOf = this.colOf,
        rx = colOf[r]!,
        dx = colOf[dst[i]!]!;
      if (rx < dx) port = PORT_E;
      else if (rx > dx) port = PORT_W;
      else {
        const ry = this.rowOf[r]!,
          dy = this.rowOf[dst[i]!]!;
        port = ry < dy ? PORT_S : ry > dy ? PORT_N : PORT_EJECT;
      }
    }
    const free = this.free;
    const slot = r * PORTS + port;
    const f = free[slot]!;
    const g = f > t ? f : t;
    this.waitCycles += g - t;
    free[slot] = g + linkCycles;
    switch (port) {
      case PORT_INJECT:
        this.stage[i] = 1;
        return g + linkCycles;
      case PORT_E:
        this.at[i] = r + 1;
        this.hopsX++;
        return g + hopCyclesX;
      case PORT_W:
        this.at[i] = r - 1;
        this.hopsX++;
        return g + hopCyclesX;
      case PORT_S:
        this.at[i] = r + this.width;
        this.hopsY++;
        return g + hopCyclesY;
      case PORT_N:
        this.at[i] = r - this.width;
        this.hopsY++;
        return g + hopCyclesY;
      default:
        this.arrive[i] = g + linkCycles;
        this.order[this.delivered++] = i;
        return -1;
    }
  }

  /** The events in order of (cycle, packet number) from a binary min-heap holding the packets in flight and, of
   *  the packets not yet started, only the first of each run (a run: consecutive packets with nondecreasing
   *  injection cycles, as a core sends them); a run's next packet enters when the one before it starts. So the
   *  heap stays as small as the traffic in flight, and its earliest event is the earliest of all. */
  private runHeap(b: PacketBatch): void {
    const n = b.n,
      dst = b.dst,
      inject = b.inject,
      started = this.started,
      ht = this.heapTime,
      hi = this.heapItem;
    let size = 0;
    for (let i = 0; i < n; i++) if (i === 0 || inject[i]! < inject[i - 1]!) size = siftUp(ht, hi, size, inject[i]!, i);
    while (size > 0) {
      const t = ht[0]!,
        i = hi[0]!;
      if (started[i] === 0) {
        started[i] = 1;
        const j = i + 1;
        // the run's next packet: pushed, then the root (still packet i: j's key is larger) is handled below
        if (j < n && inject[j]! >= inject[i]!) size = siftUp(ht, hi, size, inject[j]!, j);
      }
      const next = this.advance(i, t, dst);
      if (next >= 0) siftDown(ht, hi, size, 0, next, i);
      else {
        size--;
        if (size > 0) siftDown(ht, hi, size, 0, ht[size]!, hi[size]!);
      }
    }
  }

  /** True when every port time and hop time is a whole number of cycles, at least 1 (then a packet's next event
   *  is always in a later cycle and the calendar below applies). */
  private readonly integralTiming: boolean = false;
  // the calendar: CAL buckets of one cycle each, a linked list of packets per bucket (calNext); events CAL or
  // more cycles ahead wait in the heap; now: the current cycle's packets in line
  private calHead = new Int32Array(CAL).fill(-1);
  private calNext = new Int32Array(0);
  private calOcc = new Int32Array(CAL >> 5); // one bit per bucket: set while the bucket holds packets
  private now = new Int32Array(0);

  /** The same events in the same order as runHeap, from a calendar queue (one bucket per cycle, the packets of
   *  the current cycle taken in ascending packet number) for integral times: no heap work per event. */
  private runCalendar(b: PacketBatch): void {
    const n = b.n,
      dst = b.dst,
      inject = b.inject,
      started = this.started,
      ht = this.heapTime,
      hi = this.heapItem;
    if (this.calNext.length < n) {
      this.calNext = new Int32Array(this.cap);
      this.now = new Int32Array(this.cap);
    }
    const head = this.calHead,
      nextOf = this.calNext,
      occ = this.calOcc,
      now = this.now;
    let queued = 0, // events in the calendar
      size = 0, // events in the overflow heap
      cur = Infinity;
    for (let i = 0; i < n; i++) if (i === 0 || inject[i]! < inject[i - 1]!) cur = Math.min(cur, inject[i]!);
    if (n === 0) return;
    // an event at cycle t goes into the calendar when t < cur + CAL, else into the heap
    for (let i = 0; i < n; i++)
      if (i === 0 || inject[i]! < inject[i - 1]!) {
        const t = inject[i]!;
        if (t < cur + CAL) {
          calPush(head, nextOf, occ, t, i);
          queued++;
        } else size = siftUp(ht, hi, size, t, i);
      }
    while (queued > 0 || size > 0) {
      // the next cycle with events: the next occupied bucket or, with none, the heap's earliest (the heap holds
      // only events at or past the window's end, so skipping to a bucket never passes one)
      if (queued === 0) cur = ht[0]!;
      else {
        const k0 = cur & CAL_MASK;
        cur += (nextBucket(occ, k0) - k0) & CAL_MASK;
      }
      // the heap's events that the window now reaches
      while (size > 0 && ht[0]! < cur + CAL) {
        const t = ht[0]!,
          i = hi[0]!;
        size--;
        if (size > 0) siftDown(ht, hi, size, 0, ht[size]!, hi[size]!);
        calPush(head, nextOf, occ, t, i);
        queued++;
      }
      // this cycle's packets, ascending
      const k = cur & CAL_MASK;
      let len = 0;
      for (let i = head[k]!; i >= 0; i = nextOf[i]!) len++;
      // the bucket's list runs newest first, and packets mostly enter in ascending order: filled from the back,
      // the line is nearly sorted and the insertion sort does little
      for (let i = head[k]!, c = len - 1; i >= 0; i = nextOf[i]!, c--) now[c] = i;
      for (let a = 1; a < len; a++) {
        const i = now[a]!;
        let c = a;
        while (c > 0 && now[c - 1]! > i) {
          now[c] = now[c - 1]!;
          c--;
        }
        now[c] = i;
      }
      head[k] = -1;
      occ[k >> 5] &= ~(1 << (k & 31));
      queued -= len;
      for (let x = 0; x < len; x++) {
        const i = now[x]!,
          t = cur;
        if (started[i] === 0) {
          started[i] = 1;
          const j = i + 1;
          if (j < n && inject[j]! >= inject[i]!) {
            if (inject[j] === t) {
              // the run's next packet in this cycle: next in line (every packet still in line is above i)
              for (let c = len++; c > x + 1; c--) now[c] = now[c - 1]!;
              now[x + 1] = j;
            } else {
              const tj = inject[j]!;
              if (tj < cur + CAL) {
                calPush(head, nextOf, occ, tj, j);
                queued++;
              } else size = siftUp(ht, hi, size, tj, j);
            }
          }
        }
        const next = this.advance(i, t, dst);
        if (next < 0) continue;
        if (next < cur + CAL) {
          calPush(head, nextOf, occ, next, i);
          queued++;
        } else size = siftUp(ht, hi, size, next, i);
      }
      cur++;
    }
  }
}

/** Queues packet i's event at cycle t in its calendar bucket. */
function calPush(head: Int32Array, nextOf: Int32Array, occ: Int32Array, t: number, i: number): void {
  const k = t & CAL_MASK;
  occ[k >> 5] |= 1 << (k & 31);
  nextOf[i] = head[k]!;
  head[k] = i;
}

/** The first occupied bucket at or after bucket k0, going round the calendar (one must be occupied). */
function nextBucket(occ: Int32Array, k0: number): number {
  const words = occ.length;
  let w = k0 >> 5;
  let bits = occ[w]! & (-1 << (k0 & 31));
  // words w (from k0 on), w + 1, ..., round to w again (all of it)
  for (let s = 0; s <= words; s++) {
    if (bits !== 0) return (w << 5) | (31 - Math.clz32(bits & -bits));
    w = (w + 1) % words;
    bits = occ[w]!;
  }
  throw new Error("mesh calendar: no occupied bucket while events are queued");
}

/** Calendar size (cycles ahead an event goes straight into its bucket); a power of two. */
const CAL = 1024;
const CAL_MASK = CAL - 1;

/** True when the first n injection cycles are whole numbers the calendar can index (|t| < 2^30). */
function integral(inject: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const t = inject[i]!;
    if (!Number.isInteger(t) || t >= 2 ** 30 || t <= -(2 ** 30)) return false;
  }
  return true;
}

/** Adds event (t, i) to a binary min-heap of `size` events keyed by (time, packet number); returns the new size. */
function siftUp(ht: Float64Array, hi: Int32Array, size: number, t: number, i: number): number {
  let c = size;
  while (c > 0) {
    const p = (c - 1) >> 1;
    const pt = ht[p]!;
    if (pt < t || (pt === t && hi[p]! <= i)) break;
    ht[c] = pt;
    hi[c] = hi[p]!;
    c = p;
  }
  ht[c] = t;
  hi[c] = i;
  return size + 1;
}

/** Places event (t, i) at position c of a binary min-heap of `size` events keyed by (time, packet number), moving
 *  it down past smaller children. */
function siftDown(ht: Float64Array, hi: Int32Array, size: number, c: number, t: number, i: number): void {
  for (;;) {
    const a = 2 * c + 1;
    if (a >= size) break;
    let m = a;
    const b = a + 1;
    if (b < size && (ht[b]! < ht[a]! || (ht[b] === ht[a] && hi[b]! < hi[a]!))) m = b;
    const mt = ht[m]!;
    if (t < mt || (t === mt && i <= hi[m]!)) break;
    ht[c] = mt;
    hi[c] = hi[m]!;
    c = m;
  }
  ht[c] = t;
  hi[c] = i;
}
