// Deterministic text of the fixed-point IR (`glia compile FILE --target fixed --emit ir`) and of the
// quantization report. In: a FixedProgram (+ report rows); out: a string.
//
// Notation: `v` is a stored word, `#123` a raw constant; `(a + b)@Q3.28s` is a sum in format Q3.28 that
// saturates (`w`: wraps); `(a * b >> 12 rne)@...` a product shifted right with its rounding
// (rz: toward zero, rd: floor, rne: nearest-even, rna: nearest-away, rs: stochastic).

import type { FixedProgram, FxBool, FxExpr, FxStmt, FxVar } from "./ir.js";
import { formatName, type Overflow, type Rounding } from "./qformat.js";
import type { VarReport } from "./quantize.js";
import type { ApproxReport } from "./lower.js";

const RND: Record<Rounding, string> = {
  trunc: "rz",
  floor: "rd",
  "nearest-even": "rne",
  "nearest-away": "rna",
  stochastic: "rs",
};
const OVF: Record<Overflow, string> = { saturate: "s", wrap: "w" };

const refText = (r: { space: string; name: string }): string =>
  r.space === "state" || r.space === "param" || r.space === "input" || r.space === "local"
    ? r.name
    : `${r.space}.${r.name}`;

export function fxExprText(e: FxExpr): string {
  switch (e.k) {
    case "const":
      return `#${e.raw}`;
    case "var":
      return refText(e.ref);
    case "add":
    case "sub":
      return `(${fxExprText(e.a)} ${e.k === "add" ? "+" : "-"} ${fxExprText(e.b)})@${formatName(e.fmt)}${OVF[e.ovf]}`;
    case "neg":
      return `(-${fxExprText(e.a)})@${formatName(e.fmt)}${OVF[e.ovf]}`;
    case "abs":
      return `abs(${fxExprText(e.a)})@${formatName(e.fmt)}${OVF[e.ovf]}`;
    case "mul":
      return `(${fxExprText(e.a)} * ${fxExprText(e.b)}${e.shift ? ` >> ${e.shift} ${RND[e.rnd]}` : ""})@${formatName(e.fmt)}${OVF[e.ovf]}`;
    case "shift":
      return e.by >= 0
        ? `(${fxExprText(e.a)} << ${e.by})@${formatName(e.fmt)}${OVF[e.ovf]}`
        : `(${fxExprText(e.a)} >> ${-e.by} ${RND[e.rnd]})@${formatName(e.fmt)}${OVF[e.ovf]}`;
    case "min":
    case "max":
      return `${e.k}(${fxExprText(e.a)}, ${fxExprText(e.b)})`;
    case "sel":
      return `(${fxBoolText(e.c)} ? ${fxExprText(e.a)} : ${fxExprText(e.b)})`;
    case "lut":
      if (e.fn === "log")
        return `log~(${fxExprText(e.a)}; clz + ${e.offs.length} exponent and ${e.ys.length} mantissa entries)@${formatName(e.fmt)}${OVF[e.ovf]}`;
      return `${e.fn}~(${fxExprText(e.a)}; from #${e.x0} step 2^${e.step}, ${e.ys.length} entries)@${formatName(e.fmt)}`;
    case "div":
      return `(${fxExprText(e.a)} / ${fxExprText(e.b)}${e.pre ? ` pre ${e.pre}` : ""} ${RND[e.rnd]})@${formatName(e.fmt)}${OVF[e.ovf]}`;
    case "edecay":
      return `decay(elapsed; exp(${e.rate} * n dt), ${e.table.length} entries)@${formatName(e.fmt)}`;
  }
}

export function fxBoolText(e: FxBool): string {
  switch (e.k) {
    case "bool":
      return String(e.v);
    case "flag":
      return `flag.${e.name}`;
    case "not":
      return `!${fxBoolText(e.a)}`;
    case "and":
    case "or":
      return `(${fxBoolText(e.a)} ${e.k} ${fxBoolText(e.b)})`;
    case "cmp":
      return `${fxExprText(e.a)} ${e.op} ${fxExprText(e.b)}`;
  }
}

function stmtsText(stmts: readonly FxStmt[], indent: string, locals: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const s of stmts) {
    if (s.k === "let") out.push(`${indent}let ${s.name}: ${formatName(s.value.fmt)} = ${fxExprText(s.value)}`);
    else if (s.k === "assign") out.push(`${indent}${refText(s.target)} = ${fxExprText(s.value)}`);
    else {
      out.push(`${indent}if ${fxBoolText(s.c)} {`);
      out.push(...stmtsText(s.then, indent + "  ", locals));
      if (s.otherwise.length) {
        out.push(`${indent}} else {`);
        out.push(...stmtsText(s.otherwise, indent + "  ", locals));
      }
      out.push(`${indent}}`);
    }
  }
  return out;
}

const varLine = (v: FxVar): string =>
  `  ${v.space} ${v.name}: ${formatName(v.fmt)}  range [${v.range.lo}, ${v.range.hi}] (${v.source})`;

export function printFixedIR(fp: FixedProgram): string {
  const s = fp.spec;
  const out: string[] = [
    `glia fixed ir: network ${fp.ir.network}`,
    `spec ${s.name}: state ${s.stateBits} bits, weights ${s.weightBits}, coefficients ${s.coefBits}, accumulator ${s.accBits}, rounding ${s.rounding}, overflow ${s.overflow}, headroom ${s.headroomBits}`,
    `dt ${fp.ir.dt} s, seed ${fp.ir.seed}, steps ${fp.ir.steps}`,
  ];
  for (const g of fp.groups) {
    out.push("", `group ${g.name}[${g.size}]`);
    for (const v of g.vars) out.push(varLine(v));
    if (g.update.length) out.push("  update {", ...stmtsText(g.update, "    ", g.locals), "  }");
    if (g.threshold) out.push(`  spike when ${fxBoolText(g.threshold)}`);
    if (g.reset.length) out.push("  reset {", ...stmtsText(g.reset, "    ", g.locals), "  }");
    if (g.refractory) out.push(`  refractory ${g.refractory.steps} steps clamp ${g.refractory.clamp.join(", ")}`);
  }
  for (const p of fp.projections) {
    out.push(
      "",
      `projection ${p.name} = ${p.ir.pre.population}[${p.ir.pre.start}:${p.ir.pre.end}] -> ${p.ir.post.population}[${p.ir.post.start}:${p.ir.post.end}]`,
    );
    for (const v of p.vars) out.push(varLine(v));
    if (p.continuous.length) out.push("  continuous {", ...stmtsText(p.continuous, "    ", p.locals), "  }");
    if (p.onPre.length) out.push("  on pre {", ...stmtsText(p.onPre, "    ", p.locals), "  }");
    if (p.onPost.length) out.push("  on post {", ...stmtsText(p.onPost, "    ", p.locals), "  }");
  }
  fp.ir.currents.forEach((c, i) =>
    out.push("", `current ${c.target.population}.${c.variable}: ${formatName(fp.currents[i]!)}`),
  );
  return out.join("\n") + "\n";
}

const num = (x: number | null | undefined): string =>
  x === null || x === undefined ? "-" : Number(x.toPrecision(6)).toString();

/** The quantization report as a text table. */
export function printReport(rows: readonly VarReport[], approximations: readonly ApproxReport[] = []): string {
  const head = [
    "variable",
    "format",
    "source",
    "ulp",
    "static range",
    "profiled range",
    "max abs error",
    "saturations",
  ];
  const body = rows.map((r) => [
    `${r.owner}.${r.variable}`,
    r.format,
    r.source,
    num(r.ulp),
    r.staticRange ? `[${num(r.staticRange.lo)}, ${num(r.staticRange.hi)}]` : "-",
    r.profiledRange ? `[${num(r.profiledRange.lo)}, ${num(r.profiledRange.hi)}]` : "-",
    num(r.maxAbsError),
    r.saturations === null ? "-" : String(r.saturations),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const text = [line(head), ...body.map(line)].join("\n") + "\n";
  if (!approximations.length) return text;
  const ah = ["approximation", "function", "input range", "resolution", "entries", "format", "max abs error"];
  const ab = approximations.map((a) => [
    a.owner,
    a.fn,
    `[${num(a.inputRange.lo)}, ${num(a.inputRange.hi)}]`,
    num(a.resolution),
    String(a.entries),
    a.format,
    num(a.maxAbsError),
  ]);
  const aw = ah.map((h, i) => Math.max(h.length, ...ab.map((b) => b[i]!.length)));
  const aline = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(aw[i]!))
      .join("  ")
      .trimEnd();
  return text + "\n" + [aline(ah), ...ab.map(aline)].join("\n") + "\n";
}
