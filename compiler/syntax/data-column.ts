// One named column of a CSV data file, read the same way by the checker and the IR builder: the per-element
// values of `csv_column("cells.csv", "V_th_mV")`. In: the file text and the column's header cell; out: the
// values in SI (the cell's unit suffix `_mV` / `(mV)` / `[mV]` scales them) with the unit's dimension, or the
// problem with its 1-based line.

import { UNITS, type Dim } from "../units/units.js";

export interface DataColumn {
  values: number[];
  /** The unit symbol the header cell names ("" for none: the values are taken as SI, dimension unchecked). */
  unit: string;
  dim?: Dim;
}

/** The unit a header cell names: `V_th_mV`, `V_th (mV)`, `V_th[mV]`; "" when none is a known unit. */
function cellUnit(cell: string): string {
  const m = /[([]\s*([A-Za-z/]+)\s*[)\]]$/.exec(cell) ?? /_([A-Za-z]+)$/.exec(cell);
  return m && UNITS.has(m[1]!) ? m[1]! : "";
}

/** The column named `name` (exactly as in the header); lines are 1-based, blank lines skipped. */
export function readDataColumn(text: string, name: string): DataColumn | { line: number; message: string } {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "").split(",").map((c) => c.trim());
  const at = header.indexOf(name);
  if (at < 0) return { line: 1, message: `no column \`${name}\` in the header \`${lines[0] ?? ""}\`` };
  const unit = cellUnit(name);
  const info = unit ? UNITS.get(unit) : undefined;
  const values: number[] = [];
  for (let k = 1; k < lines.length; k++) {
    if (lines[k]!.trim() === "") continue;
    const cells = lines[k]!.split(",").map((c) => c.trim());
    if (cells.length !== header.length)
      return { line: k + 1, message: `expected ${header.length} columns as the header says, found ${cells.length}` };
    const v = cells[at] === "" ? NaN : Number(cells[at]);
    if (!Number.isFinite(v)) return { line: k + 1, message: `\`${cells[at]}\` in column ${name} is not a number` };
    values.push(v * (info?.scale ?? 1));
  }
  return { values, unit, dim: info?.dim };
}
