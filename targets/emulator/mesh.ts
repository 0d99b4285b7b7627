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
// Several chips (`chip`: each a w x h block of the mesh): a link between two chips' edge routers is an inter-chip
// link; it is busy max(linkCycles, chip.cycles) per packet and adds chip.cycles to the hop (chipHops counts them).
// Cycles are whole numbers (timings, injection cycles): a fractional or negative one is a RangeError. An event's
// (time, packet number) is kept as one exact number, time * 2^b + packet (2^b above the batch's packet count).

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
  /** Hops (among hopsX + hopsY) that crossed an inter-chip link. */
  chipHops: number;
}

/** Chip boundaries of a multi-chip mesh: chips of w x h tiles; cycles an inter-chip link adds per hop. */
export interface ChipLinks {
  w: number;
  h: number;
  cycles: number;
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
  // the event queue: a binary min-heap of packets keyed by time * span + packet number (span: a power of two above
  // the batch's packet count, so the key orders by time, then packet number); a packet has one event at most
  private heap = new Float64Array(0);
  private readonly chip: ChipLinks | null;

  constructor(width: number, height: number, timing: MeshTiming, chip: ChipLinks | null = null) {
    this.width = width;
    this.height = height;
    this.timing = { ...timing, linkCycles: Math.max(1, timing.linkCycles) };
    for (const [k, v] of Object.entries(this.timing).concat(chip ? [["chip.cycles", chip.cycles]] : []))
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`mesh timing ${k} = ${v}: expected whole cycles`);
    this.free = new Float64Array(width * height * PORTS);
    this.chip = chip && (chip.w < width || chip.h < height) ? chip : null;
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
    this.heap = new Float64Array(cap);
  }

  /** deliver() over arrays; the result's arrive and order are views of the mesh's buffers, valid until its
   *  next batch. */
  deliverBatch(b: PacketBatch): DeliveryResult {
    const { hopCyclesX, hopCyclesY, linkCycles } = this.timing;
    const w = this.width;
    const free = this.free;
    free.fill(0);
    const n = b.n,
      src = b.src,
      dst = b.dst,
      inject = b.inject;
    this.grow(n);
    const at = this.at,
      stage = this.stage,
      started = this.started,
      arrive = this.arrive,
      order = this.order,
      heap = this.heap;
    const routers = free.length / PORTS,
      colOf = this.colOf,
      rowOf = this.rowOf;
    let hopsX = 0,
      hopsY = 0,
      local = 0,
      waitCycles = 0,
      chipHops = 0,
      delivered = 0;
    const chip = this.chip;
    let lastInject = 0;
    for (let i = 0; i < n; i++) {
      const s = src[i]!,
        d = dst[i]!,
        c = inject[i]!;
      if (s < 0 || s >= routers || d < 0 || d >= routers)
        throw new RangeError(`packet ${i}: tile outside the ${this.width}x${this.height} mesh`);
      if (!(c >= 0) || Math.floor(c) !== c) throw new RangeError(`packet ${i}: injection cycle ${c} is not whole`);
      if (c > lastInject) lastInject = c;
      at[i] = s;
      started[i] = 0;
      if (s === d) {
        local++;
        stage[i] = 1;
      } else stage[i] = 0;
    }
    // The event queue: a binary min-heap keyed by (time, packet number) of the packets in flight and, of the
    // packets not yet started, only the first of each run (a run: consecutive packets with nondecreasing
    // injection cycles, as a core sends them); a run's next packet enters when the one before it starts. So the
    // heap stays as small as the traffic in flight, and its earliest event is the earliest of all.
    // keys stay exact while times stay below 2^53 / span (checked where an event is keyed: at 10 GHz and a
    // million packets in a batch, a step of 0.8 s)
    const span = 2 ** Math.ceil(Math.log2(n + 1));
    const maxTime = 2 ** 53 / span;
    if (lastInject >= maxTime) throw new RangeError(`injection cycle ${lastInject}: event keys would not be exact`);
    let size = 0;
    for (let i = 0; i < n; i++)
      if (i === 0 || inject[i]! < inject[i - 1]!) size = siftUp(heap, size, inject[i]! * span + i);
    while (size > 0) {
      // the earliest event (time, packet number)
      const key = heap[0]!;
      const t = Math.floor(key / span),
        i = key - t * span;
      if (started[i] === 0) {
        started[i] = 1;
        const j = i + 1;
        if (j < n && inject[j]! >= inject[i]!) {
          // the run's next packet: pushed, then the root (still packet i: j's key is larger) is handled below
          size = siftUp(heap, size, inject[j]! * span + j);
        }
      }
      const r = at[i]!;
      let port: number;
      if (stage[i] === 0) port = PORT_INJECT;
      else {
        const rx = colOf[r]!,
          dx = colOf[dst[i]!]!;
        if (rx < dx) port = PORT_E;
        else if (rx > dx) port = PORT_W;
        else {
          const ry = rowOf[r]!,
            dy = rowOf[dst[i]!]!;
          port = ry < dy ? PORT_S : ry > dy ? PORT_N : PORT_EJECT;
        }
      }
      const slot = r * PORTS + port;
      const f = free[slot]!;
      const g = f > t ? f : t;
      waitCycles += g - t;
      // an inter-chip link: the hop leaves this chip's block of the mesh
      let extra = 0;
      if (chip !== null && port !== PORT_INJECT && port !== PORT_EJECT) {
        const rx = colOf[r]!,
          ry = rowOf[r]!;
        const crosses =
          port === PORT_E
            ? (rx + 1) % chip.w === 0
            : port === PORT_W
              ? rx % chip.w === 0
              : port === PORT_S
                ? (ry + 1) % chip.h === 0
                : ry % chip.h === 0;
        if (crosses) {
          extra = chip.cycles;
          chipHops++;
        }
      }
      free[slot] = g + (extra > linkCycles ? extra : linkCycles);
      let next: number;
      switch (port) {
        case PORT_INJECT:
          stage[i] = 1;
          next = g + linkCycles;
          break;
        case PORT_E:
          at[i] = r + 1;
          hopsX++;
          next = g + hopCyclesX + extra;
          break;
        case PORT_W:
          at[i] = r - 1;
          hopsX++;
          next = g + hopCyclesX + extra;
          break;
        case PORT_S:
          at[i] = r + w;
          hopsY++;
          next = g + hopCyclesY + extra;
          break;
        case PORT_N:
          at[i] = r - w;
          hopsY++;
          next = g + hopCyclesY + extra;
          break;
        default:
          arrive[i] = g + linkCycles;
          order[delivered++] = i;
          size--;
          if (size > 0) siftDown(heap, size, heap[size]!);
          continue;
      }
      if (next >= maxTime) throw new RangeError(`a batch of ${n} packets past cycle ${maxTime}: keys not exact`);
      siftDown(heap, size, next * span + i);
    }
    return {
      arrive: arrive.subarray(0, n),
      order: order.subarray(0, n),
      hopsX,
      hopsY,
      local,
      waitCycles,
      chipHops,
    };
  }
}

/** Adds an event key to a binary min-heap of `size` keys; returns the new size. */
function siftUp(heap: Float64Array, size: number, key: number): number {
  let c = size;
  while (c > 0) {
    const p = (c - 1) >> 1;
    const pk = heap[p]!;
    if (pk < key) break;
    heap[c] = pk;
    c = p;
  }
  heap[c] = key;
  return size + 1;
}

/** Replaces the root of a binary min-heap of `size` keys by `key`, moving it down past smaller children. */
function siftDown(heap: Float64Array, size: number, key: number): void {
  let c = 0;
  for (;;) {
    const a = 2 * c + 1;
    if (a >= size) break;
    let m = a,
      mk = heap[a]!;
    const b = a + 1;
    if (b < size) {
      const bk = heap[b]!;
      if (bk < mk) {
        m = b;
        mk = bk;
      }
    }
    if (key < mk) break;
    heap[c] = mk;
    c = m;
  }
  heap[c] = key;
}
