// Rule: CSV data files named by csv_spikes / csv_current / csv_list are well-formed (E0605 with the
// file's line number). In: the string argument, the data map; out: diagnostics.
// Formats (docs/language.md, networks): csv_spikes `index,time_ms` or `index,time_s`;
// csv_current `time_ms,value_SI`; csv_list `pre,post[,weight[,delay_ms]]`.

import type { Expr } from "../../syntax/ast.js";
import type { Diagnostics } from "../../diagnostics/diagnostic.js";
import { isIntegral } from "../const-value.js";
import { resolvePath } from "../../syntax/load.js";

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

/** Validates the file; a missing file is the loader's error (E0604), so it is skipped here. */
export function checkDataFile(
  kind: DataKind,
  arg: Expr,
  data: ReadonlyMap<string, string>,
  limits: DataLimits,
  diags: Diagnostics,
): void {
  if (arg.kind !== "String") {
    diags.error("E0306", arg.span, `${kind} takes a file name in quotes: ${kind}("data.csv")`);
    return;
  }
  const path = resolvePath(arg.span.file, arg.value);
  const text = data.get(path) ?? data.get(arg.value);
  if (text === undefined) return;
  const problem = validate(kind, text, limits);
  if (problem) {
    diags.error("E0605", arg.span, `${arg.value}:${problem.line}: ${problem.message}`, {
      hint: `${kind} files start with the header ${HEADERS[kind].map((h) => `\`${h.join(",")}\``).join(" or ")}`,
    });
  }
}

interface Problem {
  line: number;
  message: string;
}

function validate(kind: DataKind, text: string, limits: DataLimits): Problem | undefined {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "").split(",").map((s) => s.trim());
  const cols = HEADERS[kind].find(
    (h) => h.length === header.length && h.every((c, k) => c.toLowerCase() === header[k]!.toLowerCase()),
  );
  if (!cols) return { line: 1, message: `unexpected header \`${lines[0] ?? ""}\`` };
  let lastTime = -Infinity;
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.trim() === "") continue;
    const cells = line.split(",").map((s) => s.trim());
    if (cells.length !== cols.length)
      return { line: k + 1, message: `expected ${cols.length} columns, found ${cells.length}` };
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

function checkRow(kind: DataKind, cols: string[], v: number[], limits: DataLimits): string | undefined {
  const index = (x: number, name: string, limit: number | undefined): string | undefined => {
    if (!isIntegral(x) || x < 0) return `${name} ${x} is not a non-negative integer`;
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
        (cols[3] && v[3]! < 0 ? `delay ${v[3]} is negative` : undefined)
      );
  }
}
