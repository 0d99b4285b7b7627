// End-of-step barrier synchronization. In: the occupied tiles and the barrier model; out: its cycles and
// the token hops it sends.
//
// Two models: a measured latency table (occupied tiles -> seconds, linear between points, clamped at the
// ends), or, when a preset has none, a gather-release tree over the mesh rooted at tile 0: every occupied
// tile sends a token to the root and receives the release (2 messages of its XY hop distance), and the
// barrier lasts 2 x (the farthest tile's hops x the slower hop latency + one port crossing).

export interface BarrierTable {
  /** (occupied tiles, seconds), ascending by tiles. */
  points: [number, number][];
}

export function tableBarrierSeconds(tiles: number, table: BarrierTable): number {
  const p = table.points;
  if (p.length === 0) return 0;
  if (tiles <= p[0]![0]) return p[0]![1];
  for (let i = 1; i < p.length; i++) {
    const [x1, y1] = p[i]!;
    if (tiles <= x1) {
      const [x0, y0] = p[i - 1]!;
      return y0 + ((y1 - y0) * (tiles - x0)) / (x1 - x0);
    }
  }
  return p[p.length - 1]![1];
}

export interface TreeBarrier {
  cycles: number;
  hopsX: number;
  hopsY: number;
}

/** Gather-release barrier over occupied tiles (indices y * width + x) rooted at tile 0. */
export function treeBarrier(
  tiles: readonly number[],
  width: number,
  hopCyclesX: number,
  hopCyclesY: number,
  linkCycles: number,
): TreeBarrier {
  let far = 0,
    hopsX = 0,
    hopsY = 0;
  for (const t of tiles) {
    const x = t % width,
      y = Math.floor(t / width);
    far = Math.max(far, x * hopCyclesX + y * hopCyclesY);
    hopsX += 2 * x;
    hopsY += 2 * y;
  }
  return { cycles: tiles.length > 1 ? 2 * (far + linkCycles) : 0, hopsX, hopsY };
}
