// Rule: a population argument `csv_column("cells.csv", "V_th_mV")` (per-element values from a data-file
// column, compiler/syntax/data-column.ts): two string arguments (E0306), the column exists and every row is
// a number (E0605 with the file and line), one row per element (E0605). In: the call, the population size;
// out: the argument's type (the column's unit dimension, or unknown for a column without a unit).

import type { Expr } from "../../syntax/ast.js";
import { resolvePath } from "../../syntax/load.js";
import { readDataColumn } from "../../syntax/data-column.js";
import { ERR, num, type Ty } from "../dims.js";
import type { NetEnv } from "../net-env.js";

export function checkDataColumn(call: Extract<Expr, { kind: "Call" }>, size: number | undefined, env: NetEnv): Ty {
  const [file, column] = call.args.map((a) => a.value);
  if (call.args.length !== 2 || file?.kind !== "String" || column?.kind !== "String") {
    env.diags.error(
      "E0306",
      call.span,
      'csv_column takes a file and a column name in quotes: csv_column("cells.csv", "V_th_mV")',
    );
    return ERR;
  }
  const text = env.net.ctx.data.get(resolvePath(file.span.file, file.value)) ?? env.net.ctx.data.get(file.value);
  if (text === undefined) return num(undefined); // the loader reported the missing file (E0604)
  const col = readDataColumn(text, column.value);
  const fail = (line: number, message: string): Ty => {
    env.diags.error("E0605", file.span, `${file.value}:${line}: ${message}`, {
      hint: "csv_column reads one column of a CSV file with a header line: one row per element, in order",
    });
    return ERR;
  };
  if ("message" in col) return fail(col.line, col.message);
  if (size !== undefined && col.values.length !== size)
    return fail(col.values.length + 1, `column ${column.value} has ${col.values.length} values for ${size} elements`);
  return num(col.dim);
}
