// Synapse records (`record VAR of PROJ[...] every T`) in exported scripts, shared by the Brian2 and NEST
// generators. In: the IR, the network files (synapse counts, scalar and per-synapse parameters) and the engine's
// answer of how it reads each recorded variable; out: the Python constants SYNAPSE_RECORDS and SYNAPSE_HEADER, the
// records the engine cannot read (the generator warns, W1016) and E0521 for a synapse number past the projection's
// synapses (the reference's rule, targets/schedule/monitors.ts). The script writes synapses.csv in glia's `--out`
// format (targets/report/csv.ts) with PY_SYNAPSES (python-num.ts).
//
// A parameter of a synapse never changes in a run, so it is written from glia's own values (data/proj_PROJ.csv's
// column, or the scalar), never read from the engine: exact on every engine. A state variable is the engine's.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { IRMonitor, IRProgram } from "../../compiler/ir/nodes.js";
import { valueColumns } from "../report/csv.js";
import { unitsOf } from "../report/units.js";
import { synapseSelection } from "../schedule/monitors.js";
import { TargetError } from "../target.js";
import type { NetworkData } from "./network-data.js";
import { NOWHERE } from "./refuse.js";

/** How the engine reads a synapse state variable: Python text for the record's last tuple item, or why it cannot. */
export type EngineRead = { ok: true; python: string } | { ok: false; why: string };

export interface SynapseRecordPlan {
  /** `SYNAPSE_RECORDS = [...]` and `SYNAPSE_HEADER = "..."`. */
  python: string[];
  /** Monitor indices (into ir.monitors) of the records the script writes. */
  written: number[];
  /** Records the engine cannot read: the monitor index and why. */
  unread: { monitor: number; why: string }[];
  errors: Diagnostic[];
}

/** One entry of SYNAPSE_RECORDS: (projection, variable, synapse numbers, every, source, unit suffix, engine item),
 *  source None (the engine's value), "data" (proj_PROJ.csv's column) or a number (a scalar parameter). */
export function synapseRecordPlan(
  ir: IRProgram,
  data: NetworkData,
  read: (m: IRMonitor, p: IRProgram["projections"][number]) => EngineRead,
): SynapseRecordPlan {
  const plan: SynapseRecordPlan = { python: [], written: [], unread: [], errors: [] };
  const unitOf = unitsOf(ir);
  const entries: { m: IRMonitor; n: number; engine: string; source: string }[] = [];
  ir.monitors.forEach((m, n) => {
    if (m.k !== "synapse") return;
    const p = ir.projections.find((x) => x.name === m.target.population);
    const info = data.projections.get(m.target.population);
    if (!p || !info) return;
    const variable = m.variable ?? "";
    try {
      synapseSelection(m, info.n, ir.spans?.monitors[n]);
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      plan.errors.push({
        code: e.code ?? "E0521",
        severity: "error",
        message: e.message,
        span: e.span ?? ir.spans?.network ?? NOWHERE,
        related: [],
        hint: e.hint,
      });
      return;
    }
    const scalar = info.scalars.get(variable);
    const isParam = p.params.some((v) => v.name === variable);
    if (isParam) {
      entries.push({ m, n, engine: "None", source: scalar !== undefined ? String(scalar) : `"data"` });
      return;
    }
    const r = read(m, p);
    if (!r.ok) {
      plan.unread.push({ monitor: n, why: r.why });
      return;
    }
    entries.push({ m, n, engine: r.python, source: "None" });
  });
  const units = entries.map((e) => unitOf(e.m.target.population, e.m.variable ?? ""));
  const cols = valueColumns(units);
  const rows = entries.map((e, i) => {
    const m = e.m;
    const sel = m.indices
      ? `[${m.indices.join(", ")}]`
      : `range(${m.target.start}, ${m.target.end < 0 ? data.projections.get(m.target.population)!.n : m.target.end})`;
    const every = Math.max(1, Math.round(m.everySteps));
    return `(${JSON.stringify(m.target.population)}, ${JSON.stringify(m.variable)}, ${sel}, ${every}, ${e.source}, ${JSON.stringify(cols.suffix(units[i]))}, ${e.engine})`;
  });
  plan.written = entries.map((e) => e.n);
  plan.python = [
    `# synapse records: (projection, variable, synapse numbers, every (steps), source: None = the engine's value,`,
    `# "data" = glia's per-synapse parameter, a number = a scalar parameter; unit suffix; how the engine reads it)`,
    `SYNAPSE_RECORDS = [${rows.join(",\n                   ")}]`,
    `SYNAPSE_HEADER = ${JSON.stringify(`projection,variable,synapse,pre,post,step,time_s,${cols.header}`)}`,
  ];
  return plan;
}
