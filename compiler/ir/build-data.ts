// Data files for the IR builder: path resolution and CSV tables (spikes, currents, connection lists).
// In: the data map from the loader, a path, and the wanted columns; out: rows of numbers in SI.
// A header row names columns, optionally with a unit suffix (`index,time_ms`, `t_s,current_pA`,
// `pre,post`); columns are matched by name (time/t, index/i/neuron/id, pre, post, anything else for
// value) and scaled to SI by their unit. Without a header the columns are taken in the wanted order.

import { UNITS } from "../units/units.js";
import { resolvePath } from "../syntax/load.js";
import { listColumns } from "../syntax/list-columns.js";

/** `rel` resolved against the directory of `fromFile`, exactly as the loader keys `data`. */
export function resolveDataPath(fromFile: string, rel: string): string {
  return resolvePath(fromFile, rel);
}

type Column = "time" | "index" | "value" | "pre" | "post";

function columnKind(base: string): Column {
  const b = base.toLowerCase();
  if (b === "t" || b.startsWith("time")) return "time";
  if (b === "i" || b === "id" || b.startsWith("index") || b.startsWith("neuron")) return "index";
  if (b.startsWith("pre")) return "pre";
  if (b.startsWith("post")) return "post";
  return "value";
}

/** Splits a header cell into a name and a unit scale: `time_ms`, `time (ms)`, `I[pA]`. */
function headerCell(cell: string): { kind: Column; scale: number } {
  const c = cell.trim();
  const m = /^(.*?)[\s_]*[([]\s*([A-Za-z/]+)\s*[)\]]$/.exec(c) ?? /^(.*)_([A-Za-z]+)$/.exec(c);
  if (m && UNITS.has(m[2]!)) return { kind: columnKind(m[1]!), scale: UNITS.get(m[2]!)!.scale };
  return { kind: columnKind(c), scale: 1 };
}

/** Looks up a data file by resolved path (falling back to a unique key ending in the same path). */
export function lookupData(data: ReadonlyMap<string, string>, path: string): string | undefined {
  return lookup(data, path);
}

function lookup(data: ReadonlyMap<string, string>, path: string): string | undefined {
  const direct = data.get(path);
  if (direct !== undefined) return direct;
  const hits = [...data.keys()].filter((k) => k.endsWith(`/${path}`) || path.endsWith(`/${k}`));
  return hits.length === 1 ? data.get(hits[0]!) : undefined;
}

/** Rows of the wanted columns, in SI. A missing file or column yields no rows (the checker reports). */
export function readCsv(data: ReadonlyMap<string, string>, path: string, want: readonly Column[]): number[][] {
  const text = lookup(data, path);
  if (text === undefined) return [];
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  if (lines.length === 0) return [];
  const first = lines[0]!.split(",");
  const hasHeader = first.some((c) => c.trim() !== "" && Number.isNaN(Number(c)));
  let cols: { index: number; scale: number }[];
  if (hasHeader) {
    const cells = first.map(headerCell);
    cols = want.map((w) => {
      const index = cells.findIndex((c) => c.kind === w);
      return { index, scale: index >= 0 ? cells[index]!.scale : 1 };
    });
    if (cols.some((c) => c.index < 0)) return [];
  } else cols = want.map((_, k) => ({ index: k, scale: 1 }));
  const rows: number[][] = [];
  for (const line of hasHeader ? lines.slice(1) : lines) {
    const cells = line.split(",");
    const row = cols.map((c) => Number(cells[c.index]) * c.scale);
    if (row.every((x) => Number.isFinite(x))) rows.push(row);
  }
  return rows;
}

/** A csv_list file as parallel columns: pre, post, and weights (SI) / delays (s) when the header has them. */
export function readConnectionList(
  data: ReadonlyMap<string, string>,
  path: string,
): { pre: number[]; post: number[]; weights?: number[]; delays?: number[] } {
  const text = lookup(data, path);
  const lines = (text ?? "").split(/\r?\n/);
  const cols = listColumns(lines[0] ?? "");
  if (typeof cols === "string") return { pre: [], post: [] };
  const out = {
    pre: [] as number[],
    post: [] as number[],
    weights: cols.weight ? ([] as number[]) : undefined,
    delays: cols.delay ? ([] as number[]) : undefined,
  };
  for (const line of lines.slice(1)) {
    if (line.trim() === "") continue;
    const v = line.split(",").map(Number);
    out.pre.push(Math.round(v[0]!));
    out.post.push(Math.round(v[1]!));
    if (cols.weight) out.weights!.push(v[2]! * cols.weight.scale);
    if (cols.delay) out.delays!.push(v[cols.count - 1]! * cols.delay.scale);
  }
  if (!out.weights) delete out.weights;
  if (!out.delays) delete out.delays;
  return out;
}
