// The header of a csv_list connection file, read the same way by the checker and the IR builder.
// In: the header line; out: the columns (pre, post, optional weight with its unit, optional delay with
// its unit) or the reason the header is not one. Accepted: `pre,post`, then optionally `weight` (SI) or
// `weight_UNIT` (`weight_mV`, `weight_nS`), then optionally `delay_ms` or `delay_s`, in that order.

import { UNITS, type Dim } from "../units/units.js";

export interface ListColumns {
  /** Number of columns every row must have. */
  count: number;
  /** The weight column: its unit symbol ("" for SI), scale to SI and dimension (undefined for SI). */
  weight?: { unit: string; scale: number; dim?: Dim };
  /** The delay column: scale to seconds. */
  delay?: { scale: number };
}

export const LIST_HEADER_HINT =
  "csv_list files start with the header `pre,post`, `pre,post,weight` (SI) or `pre,post,weight_UNIT` (e.g. weight_mV), optionally followed by `,delay_ms` or `,delay_s`";

/** Parses a csv_list header line; a string is the problem with it. */
export function listColumns(line: string): ListColumns | string {
  const cells = line.split(",").map((c) => c.trim());
  if (cells.length < 2 || cells[0]!.toLowerCase() !== "pre" || cells[1]!.toLowerCase() !== "post")
    return `unexpected header \`${line}\`: the first two columns must be pre,post`;
  const out: ListColumns = { count: cells.length };
  let k = 2;
  const w = /^weight(?:_(.+))?$/i.exec(cells[k] ?? "");
  if (w) {
    const unit = w[1] ?? "";
    const info = unit === "" ? undefined : UNITS.get(unit);
    if (unit !== "" && !info) return `unknown unit \`${unit}\` in the column \`${cells[k]}\``;
    out.weight = { unit, scale: info ? info.scale : 1, dim: info?.dim };
    k++;
  }
  const d = /^delay_(ms|s)$/i.exec(cells[k] ?? "");
  if (d) {
    out.delay = { scale: d[1]!.toLowerCase() === "ms" ? 1e-3 : 1 };
    k++;
  }
  if (k < cells.length) return `unexpected column \`${cells[k]}\` in the header \`${line}\``;
  return out;
}
