// Spike delivery over a 2-D mesh network-on-chip with XY routing. In: packets (source tile, destination
// tile, injection cycle) and the mesh timing; out: each packet's delivery cycle, hop counts per direction
// and the cycles packets spent waiting for busy links (contention).
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

import { EventQueue } from "./clock.js";

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

export class Mesh {
  readonly width: number;
  readonly height: number;
  readonly timing: MeshTiming;
  private free: Float64Array;
  private queue = new EventQueue<number>();

  private readonly chip: ChipLinks | null;

  constructor(width: number, height: number, timing: MeshTiming, chip: ChipLinks | null = null) {
    this.width = width;
    this.height = height;
    this.timing = { ...timing, linkCycles: Math.max(1, timing.linkCycles) };
    this.free = new Float64Array(width * height * PORTS);
    this.chip = chip && (chip.w < width || chip.h < height) ? chip : null;
  }

  /** Number of link hops from src to dst under XY routing (x then y). */
  hops(src: number, dst: number): { x: number; y: number } {
    const w = this.width;
    return { x: Math.abs((src % w) - (dst % w)), y: Math.abs(Math.floor(src / w) - Math.floor(dst / w)) };
  }

  /** Delivers a batch of packets into an idle network (the state of a previous batch is forgotten). */
  deliver(packets: readonly Packet[]): DeliveryResult {
    const { hopCyclesX, hopCyclesY, linkCycles } = this.timing;
    const w = this.width;
    const free = this.free;
    free.fill(0);
    const q = this.queue;
    q.clear();
    const n = packets.length;
    const at = new Int32Array(n); // router the packet is at (or injects into)
    const stage = new Uint8Array(n); // 0: before injection, 1: in the network
    const arrive = new Float64Array(n);
    let hopsX = 0,
      hopsY = 0,
      local = 0,
      waitCycles = 0,
      chipHops = 0;
    const chip = this.chip;
    for (let i = 0; i < n; i++) {
      const p = packets[i]!;
      if (p.src < 0 || p.src >= free.length / PORTS || p.dst < 0 || p.dst >= free.length / PORTS)
        throw new RangeError(`packet ${i}: tile outside the ${this.width}x${this.height} mesh`);
      at[i] = p.src;
      if (p.src === p.dst) {
        local++;
        stage[i] = 1;
      }
      q.push(p.inject, i, i);
    }
    for (;;) {
      const ev = q.pop();
      if (!ev) break;
      const i = ev.item,
        t = ev.time;
      const r = at[i]!;
      const dst = packets[i]!.dst;
      let port: number;
      if (stage[i] === 0) port = PORT_INJECT;
      else {
        const rx = r % w,
          dx = dst % w;
        if (rx < dx) port = PORT_E;
        else if (rx > dx) port = PORT_W;
        else {
          const ry = (r - rx) / w,
            dy = (dst - dx) / w;
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
        const rx = r % w,
          ry = (r - rx) / w;
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
      switch (port) {
        case PORT_INJECT:
          stage[i] = 1;
          q.push(g + linkCycles, i, i);
          break;
        case PORT_E:
          at[i] = r + 1;
          hopsX++;
          q.push(g + hopCyclesX + extra, i, i);
          break;
        case PORT_W:
          at[i] = r - 1;
          hopsX++;
          q.push(g + hopCyclesX + extra, i, i);
          break;
        case PORT_S:
          at[i] = r + w;
          hopsY++;
          q.push(g + hopCyclesY + extra, i, i);
          break;
        case PORT_N:
          at[i] = r - w;
          hopsY++;
          q.push(g + hopCyclesY + extra, i, i);
          break;
        default:
          arrive[i] = g + linkCycles;
      }
    }
    return { arrive, hopsX, hopsY, local, waitCycles, chipHops };
  }
}
