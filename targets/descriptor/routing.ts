// Spike routing tables for tiles and cores on a mesh. In: the units that need spikes of a population range
// (destination id + range), the unit hosting every neuron, and the mesh; out: one routing table per source
// unit (-1: inputs from off chip) and the traffic figure (sum of neurons x Manhattan hops).

import type { RoutingTable } from "./types.js";

export interface RouteNeed {
  id: number;
  population: string;
  start: number;
  end: number;
}

export function routesFor(
  needs: RouteNeed[],
  host: Map<string, Int32Array>,
  mesh: { x: number },
): { routing: RoutingTable[]; traffic: number } {
  const tables = new Map<number, RoutingTable>();
  const table = (from: number): RoutingTable => {
    let t = tables.get(from);
    if (!t) tables.set(from, (t = { from, routes: [] }));
    return t;
  };
  const xy = (u: number): [number, number] => [u % mesh.x, Math.floor(u / mesh.x)];
  let traffic = 0;
  for (const n of needs) {
    const h = host.get(n.population);
    const [tx, ty] = xy(n.id);
    let e = n.start;
    while (e < n.end) {
      const from = h ? h[e]! : -1;
      let f = e + 1;
      while (f < n.end && (h ? h[f]! : -1) === from) f++;
      let hops = 0;
      if (from >= 0) {
        const [sx, sy] = xy(from);
        hops = Math.abs(sx - tx) + Math.abs(sy - ty);
      }
      table(from).routes.push({ population: n.population, start: e, end: f, to: n.id, x: tx, y: ty, hops });
      traffic += (f - e) * hops;
      e = f;
    }
  }
  return { routing: [...tables.values()].sort((a, b) => a.from - b.from), traffic };
}
