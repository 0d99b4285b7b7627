// Tile packing for the crossbar mapper. In: row groups (one pre population slice each, its used rows with
// their input delays and its number of column pairs) and the tile shape (R rows, P pairs); out: tile plans
// (which row-block x column-chunk pieces share a tile, at which rows and pairs) and the lower bounds.
//
// Every group is cut into pieces: row blocks of R used rows x column chunks of P pairs. A piece that fills
// a tile's pairs gets its own tile; the others are bin-packed first-fit decreasing (pairs, then rows) into
// tiles of the same pre population: a tile holds pieces while its distinct rows fit in R and its pairs in P.
// Pieces whose rows are the same pre elements with the same delay share those rows (their column pairs
// sit side by side); other pieces stack block-diagonally (cells off the pieces hold no synapse). Among the
// tiles a piece fits, the one sharing most of its rows wins (fewer tiles receive that pre slice's spikes),
// then the fullest. Tiles come out ordered by their first piece (group, row block, column chunk).

const math = Math;

export interface PackGroup {
  pre: string;
  /** Used rows: pre element and its row input delay (steps; -1 when unknown). */
  rows: number[];
  delays: number[];
  /** Column pairs of the group. */
  cols: number;
}

export interface Piece {
  group: number;
  /** Row block (rows rb*R .. of the group's used rows) and column chunk (pairs cc*P ..). */
  rb: number;
  cc: number;
  nRows: number;
  col0: number;
  nCols: number;
  /** Tile row of each of the piece's rows, and the tile pair of its first column (set by packing). */
  rowAt: Int32Array;
  pairAt: number;
}

export interface TilePlan {
  pre: string;
  rowInputs: number[];
  rowDelays: number[];
  /** Pieces in pair order: piece k's columns occupy pairs pairAt .. pairAt + nCols - 1. */
  pieces: Piece[];
  pairs: number;
}

interface Bin extends TilePlan {
  rowOf: Map<string, number>;
}

const rowKey = (e: number, d: number): string => `${e}:${d}`;

/** Pack the groups' pieces into tiles; `pieceOf[g][rb][cc]` is each piece after packing. */
export function packTiles(groups: PackGroup[], R: number, P: number): { tiles: TilePlan[]; pieceOf: Piece[][][] } {
  const pieces: Piece[] = [];
  const pieceOf: Piece[][][] = groups.map((g, gi) => {
    const rbs: Piece[][] = [];
    for (let rb = 0; rb * R < g.rows.length; rb++) {
      const row: Piece[] = [];
      const nRows = math.min(R, g.rows.length - rb * R);
      for (let cc = 0; cc * P < g.cols; cc++) {
        const p: Piece = {
          group: gi,
          rb,
          cc,
          nRows,
          col0: cc * P,
          nCols: math.min(P, g.cols - cc * P),
          rowAt: new Int32Array(nRows),
          pairAt: 0,
        };
        row.push(p);
        pieces.push(p);
      }
      rbs.push(row);
    }
    return rbs;
  });
  const order = pieces
    .map((p, i) => i)
    .sort((a, b) => pieces[b]!.nCols - pieces[a]!.nCols || pieces[b]!.nRows - pieces[a]!.nRows || a - b);
  const bins: Bin[] = [];
  const open = new Map<string, Bin[]>();
  for (const i of order) {
    const p = pieces[i]!,
      g = groups[p.group]!;
    const r0 = p.rb * R;
    let best: Bin | undefined,
      bestShared = -1,
      bestFree = Infinity;
    const cands = open.get(g.pre) ?? [];
    for (const b of cands) {
      if (b.pairs + p.nCols > P) continue;
      let shared = 0;
      for (let r = 0; r < p.nRows; r++) if (b.rowOf.has(rowKey(g.rows[r0 + r]!, g.delays[r0 + r]!))) shared++;
      if (b.rowInputs.length + p.nRows - shared > R) continue;
      const free = P - b.pairs - p.nCols + (R - b.rowInputs.length - p.nRows + shared);
      if (shared > bestShared || (shared === bestShared && free < bestFree)) {
        best = b;
        bestShared = shared;
        bestFree = free;
      }
    }
    if (!best) {
      best = { pre: g.pre, rowInputs: [], rowDelays: [], pieces: [], pairs: 0, rowOf: new Map() };
      bins.push(best);
      if (!open.has(g.pre)) open.set(g.pre, []);
      open.get(g.pre)!.push(best);
    }
    for (let r = 0; r < p.nRows; r++) {
      const e = g.rows[r0 + r]!,
        d = g.delays[r0 + r]!,
        k = rowKey(e, d);
      let at = best.rowOf.get(k);
      if (at === undefined) {
        at = best.rowInputs.length;
        best.rowOf.set(k, at);
        best.rowInputs.push(e);
        best.rowDelays.push(d);
      }
      p.rowAt[r] = at;
    }
    p.pairAt = best.pairs;
    best.pairs += p.nCols;
    best.pieces.push(p);
    if (best.pairs >= P || best.rowInputs.length >= R)
      open.set(
        g.pre,
        open.get(g.pre)!.filter((b) => b !== best),
      );
  }
  const first = (b: Bin): Piece =>
    b.pieces.reduce((m, q) =>
      q.group < m.group || (q.group === m.group && (q.rb < m.rb || (q.rb === m.rb && q.cc < m.cc))) ? q : m,
    );
  const firsts = new Map(bins.map((b) => [b, first(b)] as const));
  bins.sort((a, b) => {
    const x = firsts.get(a)!,
      y = firsts.get(b)!;
    return x.group - y.group || x.rb - y.rb || x.cc - y.cc;
  });
  return { tiles: bins.map(({ rowOf: _, ...t }) => t), pieceOf };
}

/** Lower bounds on tiles under the mapper's rule (a tile's rows share one pre population; a group's used
 *  rows x its column pairs are all mapped, as if dense). `area`: cells / cells per tile, all populations
 *  together. `bound`: per pre population the largest of its area bound, its row bound (pre element e needs
 *  ceil(c(e) / P) rows, c(e) the pairs of the groups e drives) and its column bound (a pair of a group of n
 *  rows needs ceil(n / R) tiles), summed over populations. */
export function tileLowerBound(groups: PackGroup[], R: number, P: number): { area: number; bound: number } {
  let cells = 0;
  const pops = new Map<string, { cells: number; colSlots: number; perRow: Map<number, number> }>();
  for (const g of groups) {
    let p = pops.get(g.pre);
    if (!p) pops.set(g.pre, (p = { cells: 0, colSlots: 0, perRow: new Map() }));
    const n = g.rows.length;
    cells += n * g.cols;
    p.cells += n * g.cols;
    p.colSlots += g.cols * math.ceil(n / R);
    for (const e of new Set(g.rows)) p.perRow.set(e, (p.perRow.get(e) ?? 0) + g.cols);
  }
  let bound = 0;
  for (const p of pops.values()) {
    let rowSlots = 0;
    for (const c of p.perRow.values()) rowSlots += math.ceil(c / P);
    bound += math.max(math.ceil(p.cells / (R * P)), math.ceil(rowSlots / R), math.ceil(p.colSlots / P));
  }
  return { area: math.ceil(cells / (R * P)), bound };
}
