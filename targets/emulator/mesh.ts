// Spike delivery over a 2-D mesh network-on-chip with XY routing. In: packets (source tile, destination
// tile, injection cycle), as objects or as arrays (the emulator's step), and the mesh timing; out: each packet's
// delivery cycle, the order the destination tiles took them in, hop counts per direction and the cycles packets
// spent waiting for busy links (contention).
//
// Model (what a tick-by-tick router does, computed port by port in the order XY routing feeds them): every
// router has six ports: one injection port from its core, four links (east, west, north, south) and one ejection
// port to its core.
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
/** Ascending runs a port's requests are merged from, pairwise; a port with more is sorted. */
const MAX_RUNS = 7;

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
  /** Column and row of each router. */
  private readonly colOf: Int32Array;
  private readonly rowOf: Int32Array;
  private readonly chip: ChipLinks | null;
  /** Every port (router * PORTS + port) in an order that puts each port after every port feeding it. */
  private readonly portOrder: Int32Array;
  /** Per port: 1 for an inter-chip link, and the cycles it adds (0 within a chip, injection and ejection). */
  private readonly portCrosses: Uint8Array;
  /** The port a packet for router d takes at router r, at [r * routers + d] (null on meshes over 2048 routers). */
  private readonly portOf: Uint8Array | null;
  private readonly portExtra: Float64Array;
  // per-batch state, reused: each port's requests (keys time * span + packet) and where a new ascending run of
  // them starts; the delivery cycles and the ejection order
  private readonly queue: Float64Array[];
  private readonly queued: Int32Array;
  private readonly capacity: Int32Array;
  /** Per port: how many times a request came in below the one before it, and where (the first MAX_RUNS). */
  private readonly breaks: Int32Array;
  private readonly breakAt: Int32Array;
  private cap = 0;
  private arrive = new Float64Array(0);
  private order = new Int32Array(0);
  private merged = new Float64Array(0);
  private readonly bounds = new Int32Array(MAX_RUNS + 2);
  private readonly bounds2 = new Int32Array(MAX_RUNS + 2);

  constructor(width: number, height: number, timing: MeshTiming, chip: ChipLinks | null = null) {
    this.width = width;
    this.height = height;
    this.timing = { ...timing, linkCycles: Math.max(1, timing.linkCycles) };
    for (const [k, v] of Object.entries(this.timing).concat(chip ? [["chip.cycles", chip.cycles]] : []))
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`mesh timing ${k} = ${v}: expected whole cycles`);
    this.chip = chip && (chip.w < width || chip.h < height) ? chip : null;
    const routers = width * height;
    this.colOf = new Int32Array(routers);
    this.rowOf = new Int32Array(routers);
    for (let r = 0; r < routers; r++) {
      this.colOf[r] = r % width;
      this.rowOf[r] = Math.floor(r / width);
    }
    this.queue = Array.from({ length: routers * PORTS }, () => new Float64Array(16));
    this.queued = new Int32Array(routers * PORTS);
    this.capacity = new Int32Array(routers * PORTS).fill(16);
    this.breaks = new Int32Array(routers * PORTS);
    this.breakAt = new Int32Array(routers * PORTS * MAX_RUNS);
    this.portOrder = portOrder(width, height);
    this.portOf = routers <= 2048 ? new Uint8Array(routers * routers) : null;
    if (this.portOf)
      for (let r = 0; r < routers; r++)
        for (let d = 0; d < routers; d++) this.portOf[r * routers + d] = this.portAt(r, d);
    this.portCrosses = new Uint8Array(routers * PORTS);
    this.portExtra = new Float64Array(routers * PORTS);
    const c = this.chip;
    if (c !== null)
      for (let r = 0; r < routers; r++) {
        const rx = r % width,
          ry = Math.floor(r / width);
        // the hop leaves this chip's block of the mesh
        const crosses: [number, boolean][] = [
          [PORT_E, (rx + 1) % c.w === 0],
          [PORT_W, rx % c.w === 0],
          [PORT_S, (ry + 1) % c.h === 0],
          [PORT_N, ry % c.h === 0],
        ];
        for (const [port, yes] of crosses)
          if (yes) {
            this.portCrosses[r * PORTS + port] = 1;
            this.portExtra[r * PORTS + port] = c.cycles;
          }
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
    this.arrive = new Float64Array(cap);
    this.order = new Int32Array(cap);
    this.merged = new Float64Array(cap);
  }

  /** The port packet i takes at router r: the X link towards its destination column, then the Y link, then the
   *  ejection port (XY routing). */
  private portAt(r: number, d: number): number {
    const rx = this.colOf[r]!,
      dx = this.colOf[d]!;
    if (rx < dx) return PORT_E;
    if (rx > dx) return PORT_W;
    const ry = this.rowOf[r]!,
      dy = this.rowOf[d]!;
    return ry < dy ? PORT_S : ry > dy ? PORT_N : PORT_EJECT;
  }

  /** deliver() over arrays; the result's arrive and order are views of the mesh's buffers, valid until its
   *  next batch. The order holds the destination tiles one after another (ascending tile index), each tile's
   *  packets in the order its ejection port took them. */
  deliverBatch(b: PacketBatch): DeliveryResult {
    const { hopCyclesX, hopCyclesY, linkCycles } = this.timing;
    const w = this.width;
    const n = b.n,
      src = b.src,
      dst = b.dst,
      inject = b.inject;
    this.grow(n);
    const arrive = this.arrive,
      order = this.order,
      queue = this.queue,
      queued = this.queued,
      capacity = this.capacity,
      breaks = this.breaks,
      breakAt = this.breakAt,
      portExtra = this.portExtra,
      portCrosses = this.portCrosses,
      portOf = this.portOf;
    const routers = this.colOf.length;
    let hopsX = 0,
      hopsY = 0,
      local = 0,
      waitCycles = 0,
      chipHops = 0,
      delivered = 0;
    // An event's (time, packet number) as one exact number, time * span + packet (span: a power of two above the
    // packet count); keys stay exact while times stay below 2^53 / span (checked where an event is keyed: at
    // 10 GHz and a million packets in a batch, a step of 0.8 s)
    const span = 2 ** Math.ceil(Math.log2(n + 1));
    const maxTime = 2 ** 53 / span,
      perSpan = 1 / span; // a power of two: key * perSpan is exact
    const push = (slot: number, key: number): void => {
      const len = queued[slot]!;
      let q = queue[slot]!;
      if (len === capacity[slot]) {
        const bigger = new Float64Array(2 * len);
        capacity[slot] = 2 * len;
        bigger.set(q);
        queue[slot] = q = bigger;
      }
      if (len > 0 && key < q[len - 1]!) {
        const k = breaks[slot]!++;
        if (k < MAX_RUNS) breakAt[slot * MAX_RUNS + k] = len;
      }
      q[len] = key;
      queued[slot] = len + 1;
    };
    let lastInject = 0;
    for (let i = 0; i < n; i++) {
      const s = src[i]!,
        d = dst[i]!,
        c = inject[i]!;
      if (s < 0 || s >= routers || d < 0 || d >= routers)
        throw new RangeError(`packet ${i}: tile outside the ${this.width}x${this.height} mesh`);
      if (!(c >= 0) || Math.floor(c) !== c) throw new RangeError(`packet ${i}: injection cycle ${c} is not whole`);
      if (c > lastInject) lastInject = c;
    }
    if (lastInject >= maxTime) throw new RangeError(`injection cycle ${lastInject}: event keys would not be exact`);
    // a packet first asks for its router's injection port (a packet within a tile: the ejection port)
    for (let i = 0; i < n; i++) {
      const s = src[i]!;
      if (s === dst[i]!) {
        local++;
        push(s * PORTS + PORT_EJECT, inject[i]! * span + i);
      } else push(s * PORTS + PORT_INJECT, inject[i]! * span + i);
    }
    // Each port serves its requests first come first served, ties by packet number: in ascending key order.
    // XY routing never leads a packet back to a port that fed it (injection, then X links in the direction of
    // travel, then Y links, then ejection), so serving whole ports in that order (portOrder) grants every
    // request exactly as the event-by-event simulation in time order would: a port's requests are all known
    // when its turn comes.
    const portOrder = this.portOrder;
    for (let pi = 0; pi < portOrder.length; pi++) {
      const slot = portOrder[pi]!;
      const m = queued[slot]!;
      if (m === 0) continue;
      const keys = this.ascending(slot, m);
      const r = (slot / PORTS) | 0,
        port = slot - r * PORTS,
        extra = portExtra[slot]!,
        crosses = portCrosses[slot] === 1,
        busy = extra > linkCycles ? extra : linkCycles;
      let free = 0;
      for (let x = 0; x < m; x++) {
        const key = keys[x]!;
        const t = Math.floor(key * perSpan),
          i = key - t * span;
        const g = free > t ? free : t;
        waitCycles += g - t;
        free = g + busy;
        let to: number, next: number;
        switch (port) {
          case PORT_INJECT:
            to = r;
            next = g + linkCycles;
            break;
          case PORT_E:
            to = r + 1;
            hopsX++;
            next = g + hopCyclesX + extra;
            break;
          case PORT_W:
            to = r - 1;
            hopsX++;
            next = g + hopCyclesX + extra;
            break;
          case PORT_S:
            to = r + w;
            hopsY++;
            next = g + hopCyclesY + extra;
            break;
          case PORT_N:
            to = r - w;
            hopsY++;
            next = g + hopCyclesY + extra;
            break;
          default:
            arrive[i] = g + linkCycles;
            order[delivered++] = i;
            continue;
        }
        if (crosses) chipHops++;
        if (next >= maxTime) throw new RangeError(`a batch of ${n} packets past cycle ${maxTime}: keys not exact`);
        const d = dst[i]!;
        push(to * PORTS + (portOf !== null ? portOf[to * routers + d]! : this.portAt(to, d)), next * span + i);
      }
      queued[slot] = 0;
      breaks[slot] = 0;
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

  /** The `m` request keys of a port in ascending order: its queue itself when they came in ascending, else its
   *  ascending runs merged (up to MAX_RUNS + 1 runs: pairwise; more: sorted). */
  private ascending(slot: number, m: number): Float64Array {
    const q = this.queue[slot]!,
      k = this.breaks[slot]!;
    if (k === 0) return q;
    const out = this.merged;
    if (k > MAX_RUNS) {
      out.set(q.subarray(0, m));
      return out.subarray(0, m).sort();
    }
    // runs merged pairwise, pass after pass, between the queue and the scratch buffer
    const base = slot * MAX_RUNS,
      breakAt = this.breakAt;
    let bounds = this.bounds,
      next = this.bounds2;
    let runs = k + 1;
    bounds[0] = 0;
    for (let j = 1; j <= k; j++) bounds[j] = breakAt[base + j - 1]!;
    bounds[runs] = m;
    let from: Float64Array = q,
      to: Float64Array = out;
    while (runs > 1) {
      let merged = 0;
      for (let j = 0; j < runs; j += 2) {
        const lo = bounds[j]!;
        next[merged++] = lo;
        if (j + 1 === runs) {
          to.set(from.subarray(lo, m), lo);
          break;
        }
        const mid = bounds[j + 1]!,
          hi = bounds[j + 2]!;
        let a = lo,
          b = mid,
          o = lo;
        while (a < mid && b < hi) {
          const x = from[a]!,
            y = from[b]!;
          if (x < y) {
            to[o++] = x;
            a++;
          } else {
            to[o++] = y;
            b++;
          }
        }
        while (a < mid) to[o++] = from[a++]!;
        while (b < hi) to[o++] = from[b++]!;
      }
      next[merged] = m;
      runs = merged;
      [bounds, next] = [next, bounds];
      [from, to] = [to, from];
    }
    return from;
  }
}

/** Every port of a width x height mesh, each after the ports that can feed it under XY routing: injection
 *  ports; east links by ascending column, west links by descending column; south links by ascending row, north
 *  links by descending row; ejection ports (ascending router). */
function portOrder(width: number, height: number): Int32Array {
  const out: number[] = [];
  const at = (x: number, y: number, port: number): number => (y * width + x) * PORTS + port;
  for (let r = 0; r < width * height; r++) out.push(r * PORTS + PORT_INJECT);
  for (let x = 0; x < width; x++) for (let y = 0; y < height; y++) out.push(at(x, y, PORT_E));
  for (let x = width - 1; x >= 0; x--) for (let y = 0; y < height; y++) out.push(at(x, y, PORT_W));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.push(at(x, y, PORT_S));
  for (let y = height - 1; y >= 0; y--) for (let x = 0; x < width; x++) out.push(at(x, y, PORT_N));
  for (let r = 0; r < width * height; r++) out.push(r * PORTS + PORT_EJECT);
  return Int32Array.from(out);
}
