// Naive tick-by-tick models of the mesh and the pipeline, for tests only: they advance one clock cycle
// at a time and move packets / operations by explicit per-cycle rules. In: the same inputs as
// targets/emulator/mesh.ts and pipeline-unit.ts; out: the same timings, computed the slow way.

import type { MeshTiming, Packet } from "../../targets/emulator/mesh.js";

/** Every packet's delivery cycle, simulating each router port cycle by cycle. */
export function tickMesh(width: number, height: number, timing: MeshTiming, packets: readonly Packet[]): number[] {
  const L = Math.max(1, timing.linkCycles);
  const n = packets.length;
  // per packet: where it waits (router, port) and since when, or in flight until a cycle
  const router = packets.map((p) => p.src);
  const injected = packets.map((p) => p.src === p.dst); // a spike within a tile takes only the ejection port
  const readyAt = packets.map((p) => p.inject); // cycle it starts waiting at its current port
  const waiting = packets.map(() => true);
  const arrive: number[] = packets.map(() => -1);
  const busy = new Map<string, number>(); // port -> cycle it is free again
  let delivered = 0;
  const portOf = (i: number): string => {
    const r = router[i]!,
      d = packets[i]!.dst;
    if (!injected[i]) return `${r}:inj`;
    const rx = r % width,
      ry = Math.floor(r / width),
      dx = d % width,
      dy = Math.floor(d / width);
    if (rx !== dx) return `${r}:${rx < dx ? "E" : "W"}`;
    if (ry !== dy) return `${r}:${ry < dy ? "S" : "N"}`;
    return `${r}:ej`;
  };
  for (let c = 0; delivered < n; c++) {
    if (c > 1e6) throw new Error("tick model did not finish");
    // each free port grants the oldest waiting packet (lowest number among equals)
    const candidates = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      if (!waiting[i] || readyAt[i]! > c) continue;
      const port = portOf(i);
      if ((busy.get(port) ?? 0) > c) continue;
      const j = candidates.get(port);
      if (j === undefined || readyAt[i]! < readyAt[j]! || (readyAt[i] === readyAt[j] && i < j)) candidates.set(port, i);
    }
    for (const [port, i] of candidates) {
      busy.set(port, c + L);
      const kind = port.split(":")[1];
      const r = router[i]!;
      if (kind === "inj") {
        injected[i] = true;
        readyAt[i] = c + L;
      } else if (kind === "ej") {
        waiting[i] = false;
        arrive[i] = c + L;
        delivered++;
      } else {
        router[i] = kind === "E" ? r + 1 : kind === "W" ? r - 1 : kind === "S" ? r + width : r - width;
        readyAt[i] = c + (kind === "E" || kind === "W" ? timing.hopCyclesX : timing.hopCyclesY);
      }
    }
  }
  void height;
  return arrive;
}

/** A structural pipeline: stage registers advanced once per cycle, in-order issue, hazard on keys. */
export function tickPipeline(
  depth: number,
  ops: { ready: number; ii: number; key: number }[],
): { finish: number[]; done: number } {
  const finish: number[] = ops.map(() => -1);
  // inFlight: [op index, cycles left in the pipeline]
  let inFlight: { op: number; leaveAt: number }[] = [];
  let next = 0,
    stageFreeAt = 0,
    done = 0;
  for (let c = 0; next < ops.length || inFlight.length; c++) {
    if (c > 1e6) throw new Error("tick pipeline did not finish");
    // write-backs at the start of cycle c: ops whose last stage ended at cycle c
    inFlight = inFlight.filter((f) => {
      if (f.leaveAt <= c) {
        finish[f.op] = f.leaveAt;
        done = Math.max(done, f.leaveAt);
        return false;
      }
      return true;
    });
    if (next < ops.length) {
      const o = ops[next]!;
      const hazard = o.key >= 0 && inFlight.some((f) => ops[f.op]!.key === o.key);
      if (c >= o.ready && c >= stageFreeAt && !hazard) {
        stageFreeAt = c + o.ii;
        inFlight.push({ op: next, leaveAt: c + o.ii + depth - 1 });
        next++;
      }
    }
  }
  return { finish, done };
}
