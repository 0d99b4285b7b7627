// Rule: CSV data files named by csv_spikes / csv_current / csv_list are well-formed (E0605 with the
// file's line number). In: the string argument, the data map; out: diagnostics.
// Formats (docs/language.md, networks): csv_spikes `index,time_ms` or `index,time_s`;
// csv_current `time_ms,value_SI`; csv_list `pre,post[,weight|weight_UNIT][,delay_ms|delay_s]`
// (compiler/syntax/list-columns.ts reads that header for the checker and the IR builder alike).

import type { Expr } from "../../syntax/ast.js";
import type { Diagnostics } from "../../diagnostics/diagnostic.js";
import { resolvePath } from "../../syntax/load.js";
import { LIST_HEADER_HINT, listColumns, type ListColumns } from "../../syntax/list-columns.js";

export type DataKind = "csv_spikes" | "csv_current" | "csv_list";

export const HEADERS: Record<DataKind, string[][]> = {
  csv_spikes: [
    ["index", "time_ms"],
    ["index", "time_s"],
  ],
  csv_current: [["time_ms", "value_SI"]],
  csv_list: [
    ["pre", "post"],
    ["pre", "post", "weight"],
    ["pre", "post", "weight", "delay_ms"],
  ],
};

/** Limits on index columns: index < size (csv_spikes), pre < preCount and post < postCount (csv_list). */
export interface DataLimits {
  size?: number;
  preCount?: number;
  postCount?: number;
}

/**
 * Validates the file; a missing file is the loader's error (E0604), so it is skipped here. Returns the
 * columns of a csv_list header (undefined for the other kinds and a missing file), or null when the
 * csv_list file is malformed (E0605 given: the caller asks nothing more of the columns).
 */
export function checkDataFile(
  kind: DataKind,
  arg: Expr,
  data: ReadonlyMap<string, string>,
  limits: DataLimits,
  diags: Diagnostics,
): ListColumns | null | undefined {
  if (arg.kind !== "String") {
    diags.error("E0306", arg.span, `${kind} takes a file name in quotes: ${kind}("data.csv")`);
    return undefined;
  }
  const path = resolvePath(arg.span.file, arg.value);
  const text = data.get(path) ?? data.get(arg.value);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  let list: ListColumns | undefined;
  let problem: Problem | undefined;
  if (kind === "csv_list") {
    const cols = listColumns(lines[0] ?? "");
    if (typeof cols === "string") problem = { line: 1, message: cols };
    else {
      list = cols;
      problem = validateRows(kind, lines, cols.count, listNames(cols), limits);
    }
  } else problem = validate(kind, lines, limits);
  if (problem) {
    diags.error("E0605", arg.span, `${arg.value}:${problem.line}: ${problem.message}`, {
      hint:
        kind === "csv_list"
          ? LIST_HEADER_HINT
          : `${kind} files start with the header ${HEADERS[kind].map((h) => `\`${h.join(",")}\``).join(" or ")}`,
    });
    return kind === "csv_list" ? null : undefined;
  }
  return list;
}

function listNames(c: ListColumns): string[] {
  return ["pre", "post", ...(c.weight ? ["weight"] : []), ...(c.delay ? ["delay"] : [])];
}

interface Problem {
  line: number;
  message: string;
}

function validate(kind: DataKind, lines: readonly string[], limits: DataLimits): Problem | undefined {
  const header = (lines[0] ?? "").split(",").map((s) => s.trim());
  const cols = HEADERS[kind].find(
    (h) => h.length === header.length && h.every((c, k) => c.toLowerCase() === header[k]!.toLowerCase()),
  );
  if (!cols) return { line: 1, message: `unexpected header \`${lines[0] ?? ""}\`` };
  return validateRows(kind, lines, cols.length, cols, limits);
}

function validateRows(
  kind: DataKind,
  lines: readonly string[],
  count: number,
  cols: readonly string[],
  limits: DataLimits,
): Problem | undefined {
  let lastTime = -Infinity;
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.trim() === "") continue;
    const cells = line.split(",").map((s) => s.trim());
    if (cells.length !== count)
      return {
        line: k + 1,
        message: `expected ${count} columns (${cols.join(",")}) as the header says, found ${cells.length}`,
      };
    const values: number[] = [];
    for (let c = 0; c < cells.length; c++) {
      const v = cells[c] === "" ? NaN : Number(cells[c]);
      if (!Number.isFinite(v)) return { line: k + 1, message: `\`${cells[c]}\` in column ${cols[c]} is not a number` };
      values.push(v);
    }
    const problem = checkRow(kind, cols, values, limits);
    if (problem) return { line: k + 1, message: problem };
    if (kind === "csv_current") {
      if (values[0]! < lastTime) return { line: k + 1, message: "times must not decrease" };
      lastTime = values[0]!;
    }
  }
  return undefined;
}

function checkRow(kind: DataKind, cols: readonly string[], v: number[], limits: DataLimits): string | undefined {
  const index = (x: number, name: string, limit: number | undefined): string | undefined => {
    if (!Number.isInteger(x) || x < 0) return `${name} ${x} is not a non-negative integer`; // a file: no rounding
    if (limit !== undefined && x >= limit) return `${name} ${x} is out of range (size ${limit})`;
    return undefined;
  };
  switch (kind) {
    case "csv_spikes":
      return index(v[0]!, "index", limits.size) ?? (v[1]! < 0 ? `time ${v[1]} is negative` : undefined);
    case "csv_current":
      return v[0]! < 0 ? `time ${v[0]} is negative` : undefined;
    case "csv_list":
      return (
        index(v[0]!, "pre", limits.preCount) ??
        index(v[1]!, "post", limits.postCount) ??
        (cols.at(-1) === "delay" && v.at(-1)! < 0 ? `delay ${v.at(-1)} is negative` : undefined)
      );
  }
}
