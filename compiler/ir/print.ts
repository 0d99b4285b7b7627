// Deterministic text form of the IR, for `--emit ir`, golden tests and debugging.
// In: an IRProgram (either form); out: a stable, readable string (same IR -> same text, byte for byte).

import type {
  IRExpr,
  IRGroup,
  IRInit,
  IRProgram,
  IRProjection,
  IRStmt,
  IRVar,
  PopSlice,
  Ref,
  ConnectRule,
  IRSource,
} from "./nodes.js";

// Precedence, loosest first (matches docs/language.md): ?: 1, or 2, and 3, not 4, comparisons 5,
// + - 6, * / 7, unary minus 8, ^ 9, atoms 10.
const BIN_PREC: Record<string, number> = {
  or: 2,
  and: 3,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  "==": 5,
  "!=": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  pow: 9,
};

function prec(e: IRExpr): number {
  switch (e.k) {
    case "num":
      return e.v < 0 || Object.is(e.v, -0) ? 8 : 10;
    case "bool":
    case "ref":
    case "call":
      return 10;
    case "neg":
      return 8;
    case "not":
      return 4;
    case "bin":
      return BIN_PREC[e.op]!;
    case "sel":
      return 1;
  }
}

export function printNumber(v: number): string {
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

export function printRef(r: Ref): string {
  switch (r.space) {
    case "pre":
    case "post":
    case "astro":
    case "mod":
    case "flag":
    case "noise":
      return `${r.space}.${r.name}`;
    case "poprate":
      return `rate(${r.name})`;
    case "popmean":
      return `mean(${r.name})`;
    default:
      return r.name;
  }
}

const wrap = (s: string, yes: boolean): string => (yes ? `(${s})` : s);

/** An expression with the fewest parentheses that keep its tree under the language's precedence. */
export function printExpr(e: IRExpr): string {
  switch (e.k) {
    case "num":
      return printNumber(e.v);
    case "bool":
      return e.v ? "true" : "false";
    case "ref":
      return printRef(e.ref);
    case "neg": {
      const inner = printExpr(e.a);
      // `- -x` would read as a decrement to humans; parenthesize any operand starting with '-'.
      return `-${wrap(inner, prec(e.a) < 8 || inner.startsWith("-"))}`;
    }
    case "not":
      return `not ${wrap(printExpr(e.a), prec(e.a) < 4)}`;
    case "bin": {
      const p = BIN_PREC[e.op]!;
      const opText = e.op === "pow" ? "^" : e.op;
      if (e.op === "pow") {
        // right-associative; the right operand may be a unary
        return `${wrap(printExpr(e.a), prec(e.a) <= p)} ^ ${wrap(printExpr(e.b), prec(e.b) < 8)}`;
      }
      if (p === 5) return `${wrap(printExpr(e.a), prec(e.a) <= p)} ${opText} ${wrap(printExpr(e.b), prec(e.b) <= p)}`;
      return `${wrap(printExpr(e.a), prec(e.a) < p)} ${opText} ${wrap(printExpr(e.b), prec(e.b) <= p)}`;
    }
    case "sel":
      return `${wrap(printExpr(e.c), prec(e.c) <= 1)} ? ${printExpr(e.a)} : ${printExpr(e.b)}`;
    case "call":
      return `${e.fn}(${e.args.map(printExpr).join(", ")})`;
  }
}

export function printStmts(stmts: readonly IRStmt[], indent: string): string[] {
  const out: string[] = [];
  for (const s of stmts) {
    switch (s.k) {
      case "assign":
        out.push(`${indent}${printRef(s.target)} = ${printExpr(s.value)}`);
        break;
      case "let":
        out.push(`${indent}let ${s.name} = ${printExpr(s.value)}`);
        break;
      case "if":
        out.push(`${indent}if ${printExpr(s.c)} {`);
        out.push(...printStmts(s.then, indent + "  "));
        if (s.otherwise.length > 0) {
          out.push(`${indent}} else {`);
          out.push(...printStmts(s.otherwise, indent + "  "));
        }
        out.push(`${indent}}`);
        break;
    }
  }
  return out;
}

export function printInit(init: IRInit): string {
  if (init.k === "expr") return printExpr(init.e);
  if (init.k === "table") return `csv_column(${JSON.stringify(init.file)}) ${nums(init.values)}`;
  const d = `${init.dist}(${init.args.map(printExpr).join(", ")})`;
  return init.scale === 1 ? d : `${d} * ${printNumber(init.scale)}`;
}

const slice = (s: PopSlice): string => `${s.population}[${s.start}:${s.end}]`;

function printVar(kind: string, v: IRVar): string {
  return `  ${kind} ${v.name}: ${v.dim} = ${printInit(v.init)}${v.perElement ? "  (per element)" : ""}`;
}

function block(out: string[], header: string, stmts: readonly IRStmt[]): void {
  if (stmts.length === 0) return;
  out.push(`  ${header} {`);
  out.push(...printStmts(stmts, "    "));
  out.push("  }");
}

function printGroup(g: IRGroup): string[] {
  const out = [
    `${g.kind} group ${g.name} = ${g.model}[${g.size}]${g.stepEvery !== 1 ? ` every ${g.stepEvery} steps` : ""}`,
  ];
  for (const v of g.params) out.push(printVar("param", v));
  for (const v of g.state) out.push(printVar("state", v));
  for (const v of g.inputs) out.push(printVar("input", v));
  for (const a of g.aliases) out.push(`  alias ${a.name} = ${printExpr(a.expr)}`);
  for (const o of g.odes) out.push(`  ${o.name}' = ${printExpr(o.rhs)}`);
  if (g.methodRequested) out.push(`  method requested ${g.methodRequested}`);
  if (g.methods) {
    const names = Object.keys(g.methods).sort();
    out.push(`  methods ${names.length === 0 ? "(none)" : names.map((n) => `${n}: ${g.methods![n]}`).join(", ")}`);
  }
  block(out, "update", g.update);
  if (g.threshold) out.push(`  spike when ${printExpr(g.threshold)}`);
  block(out, "reset", g.reset);
  if (g.refractory) {
    out.push(
      `  refractory ${g.refractory.steps} steps${g.refractory.clamp.length ? ` clamp ${g.refractory.clamp.join(", ")}` : ""}`,
    );
  }
  block(out, "on synapse_pre", g.onSynapsePre);
  block(out, "on synapse_post", g.onSynapsePost);
  for (const x of g.exposes) out.push(`  expose ${x.name}: ${x.dim} = ${printExpr(x.expr)}`);
  return out;
}

function printRule(r: ConnectRule): string {
  switch (r.k) {
    case "all_to_all":
    case "one_to_one":
      return r.k;
    case "fixed_probability":
      return `fixed_probability(${printNumber(r.p)})`;
    case "fixed_indegree":
    case "fixed_outdegree":
    case "fixed_total_number":
      return `${r.k}(${r.n})`;
    case "from_list":
      return `from_list(pre = [${r.pre.join(", ")}], post = [${r.post.join(", ")}]${r.weights ? `, w = [${r.weights.join(", ")}]` : ""}${r.delays ? `, delay_s = [${r.delays.join(", ")}]` : ""})`;
  }
}

function printProjection(p: IRProjection): string[] {
  const out = [
    `projection ${p.name} = ${slice(p.pre)} -> ${slice(p.post)} with ${p.synapse} ${printRule(p.rule)} delay ${printInit(p.delay)} steps${p.allowSelf ? " allow_self" : ""}`,
  ];
  for (const v of p.params) out.push(printVar("param", v));
  for (const v of p.state) out.push(printVar("state", v));
  for (const o of p.odes) out.push(`  ${o.name}' = ${printExpr(o.rhs)}`);
  if (p.eventDriven.length) out.push(`  event-driven ${p.eventDriven.join(", ")}`);
  block(out, "on pre", p.onPre);
  block(out, "on post", p.onPost);
  block(out, "continuous", p.continuous);
  if (p.ensheathedBy)
    out.push(`  ensheathed by ${p.ensheathedBy.astrocytes} ${p.ensheathedBy.rule}(pool = ${p.ensheathedBy.pool})`);
  return out;
}

const nums = (xs: readonly number[]): string => `[${xs.map(printNumber).join(", ")}]`;

function printSource(s: IRSource): string {
  switch (s.k) {
    case "poisson":
      return s.timed
        ? `source ${s.name} = poisson[${s.size}] rate timed_array(dt = ${printNumber(s.timed.dt)}, values = ${nums(s.timed.values)})`
        : `source ${s.name} = poisson[${s.size}] rate ${printInit(s.rate)}`;
    case "poisson_count":
      return `source ${s.name} = poisson_count[${s.size}] rate ${printInit(s.rate)}`;
    case "periodic":
      return `source ${s.name} = periodic[${s.size}] period ${printNumber(s.period)} phase ${printNumber(s.phase)}`;
    case "spike_times":
      return `source ${s.name} = spike_times[${s.size}] times ${nums(s.times)} indices ${nums(s.indices)}`;
    case "csv_spikes":
      return `source ${s.name} = csv_spikes[${s.size}] file ${JSON.stringify(s.file)} times ${nums(s.times)} indices ${nums(s.indices)}`;
  }
}

/** The whole program as text. */
export function printIR(p: IRProgram): string {
  const out: string[] = [];
  out.push(`glia ir ${p.version}: network ${p.network}`);
  out.push(`dt ${printNumber(p.dt)} s, seed ${p.seed}, steps ${p.steps}`);
  out.push(`passes: ${p.passes.length ? p.passes.join(", ") : "(none)"}`);
  for (const g of p.groups) out.push("", ...printGroup(g));
  for (const pr of p.projections) out.push("", ...printProjection(pr));
  if (p.sources.length + p.currents.length + p.modulators.length + p.monitors.length > 0) out.push("");
  for (const s of p.sources) out.push(printSource(s));
  for (const c of p.currents)
    out.push(`current ${c.variable} of ${slice(c.target)} = ${c.k} times ${nums(c.times)} values ${nums(c.values)}`);
  for (const m of p.modulators) out.push(`modulator ${m.name}: ${m.dim} = ${printExpr(m.expr)}`);
  for (const m of p.monitors) {
    if (m.k === "synapse") {
      const which = m.indices
        ? `[${m.indices.join(", ")}]`
        : m.target.end < 0
          ? ""
          : `[${m.target.start}:${m.target.end}]`;
      out.push(`record synapse ${m.variable} of ${m.target.population}${which} every ${m.everySteps} steps`);
    } else out.push(`record ${m.k === "state" ? m.variable : m.k} of ${slice(m.target)} every ${m.everySteps} steps`);
  }
  return out.join("\n") + "\n";
}
