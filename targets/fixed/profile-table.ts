// The profiled-range table: the quantize pass's W1005 warnings (one per variable whose format comes from a
// profiling run rather than a static bound) folded into one warning per model, whose message is a table.
// In: the pass's diagnostics and its per-variable report; out: the diagnostics with every W1005 replaced by
// one, at the first such variable (the table names the others).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { VarReport } from "./quantize.js";

const num = (x: number): string => (x === 0 ? "0" : +x.toPrecision(4) + "");

export function profileTable(items: Diagnostic[], report: VarReport[]): Diagnostic[] {
  const w = items.filter((d) => d.code === "W1005");
  if (w.length <= 1) return items;
  const keyOf = (d: Diagnostic): string => d.message.slice(0, d.message.indexOf(":"));
  const rows = w.map((d) => {
    const key = keyOf(d);
    const r = report.find((x) => `${x.owner}.${x.variable}` === key);
    const range = r?.profiledRange ? `[${num(r.profiledRange.lo)}, ${num(r.profiledRange.hi)}]` : "-";
    const why = d.message.includes("static bound") ? "static bound too loose" : "no static bound";
    return [key, range, r?.format ?? "-", r ? num(r.ulp) : "-", why];
  });
  const head = ["variable", "profiled range (SI)", "format", "LSB", "why profiled"];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => ("  " + r.map((c, i) => c.padEnd(width[i]!)).join("  ")).trimEnd();
  const steps = /(\d+)-step profiling run/.exec(w[0]!.message)?.[1];
  const folded: Diagnostic = {
    ...w[0]!,
    message: `${w.length} variables take their fixed-point formats from a ${steps ?? "profiling"}-step profiling run (plus headroom), not a static bound:\n${[head, ...rows].map(line).join("\n")}`,
    related: [],
    hint: "values outside a profiled range saturate (E0811 at run time); give such variables a declared range or check a longer run",
  };
  const first = items.indexOf(w[0]!);
  return items.flatMap((d, i) => (i === first ? [folded] : d.code === "W1005" ? [] : [d]));
}
