// The linear-memory layout of what the host reads and feeds between steps: monitors (spike, rate and state
// buffers the host drains) and injected currents (step, value tables). In: layout.ts's Builder (allocator,
// initial writes, populations) and the program's monitors and currents; out: their MonitorLayout and
// CurrentLayout records (addresses and capacities).

import type { IRProgram } from "../../compiler/ir/nodes.js";
import { TargetError } from "../target.js";
import type { Builder, PopLayout } from "./layout.js";

export interface MonitorLayout {
  k: "spikes" | "rate" | "state";
  pop: PopLayout;
  start: number;
  end: number;
  every: number;
  variable: string;
  /** Entries per step at most, capacity in entries, entry bytes. */
  perStep: number;
  cap: number;
  /** spikes: (k, e) i32 pairs; rate: f64 hz; state: rows of f64 columns. */
  buf: number;
  /** rate/state: the step of each entry (i32). */
  stepsBuf: number;
  fill: number;
}

export interface CurrentLayout {
  pop: PopLayout;
  variable: string;
  start: number;
  end: number;
  count: number;
  from: number; // i32 steps
  values: number; // f64
  cursor: number; // i32 slot, starts at -1
}

/** Population `name` of the layout being built (a TargetError naming `what` when there is none). */
export function popOf(b: Builder, name: string, what: string): PopLayout {
  const p = b.pops.get(name);
  if (!p) throw new TargetError(`${what}: unknown population ${name}`);
  return p;
}

/** A current: value i holds from step floor(times[i]/dt + 0.5) on. */
export function currentLayout(b: Builder, c: IRProgram["currents"][number]): CurrentLayout {
  const { A, writes, slot, dt } = b;
  const target = popOf(b, c.target.population, `current ${c.variable}`);
  if (
    !target.arrays.has(c.variable) ||
    !(target.values?.inputs.has(c.variable) || target.values?.state.has(c.variable))
  )
    throw new TargetError(`current: ${target.name} has no input ${c.variable}`);
  const from = A.take(c.times.length * 4 + 4);
  const vals = A.take(c.values.length * 8 + 8, 8);
  const cursor = slot(4);
  writes.push(
    { addr: from, kind: "i32", data: c.times.map((x) => Math.floor(x / dt + 0.5)) },
    { addr: vals, kind: "f64", data: c.values },
    { addr: cursor, kind: "i32", data: [-1] },
  );
  return {
    pop: target,
    variable: c.variable,
    start: c.target.start,
    end: c.target.end,
    count: Math.min(c.times.length, c.values.length),
    from,
    values: vals,
    cursor,
  };
}

/** Monitors (buffers are drained by the host whenever one could overflow in the next step); one spike
 *  monitor per population. */
export function monitorLayouts(b: Builder, monitored: IRProgram["monitors"]): MonitorLayout[] {
  const { A, slot } = b;
  const monitors: MonitorLayout[] = [];
  const spikeMonitored = new Set<string>();
  for (const m of monitored) {
    if (m.k === "synapse") continue; // read by the host between steps (ProjLayout.synapseView)
    const target = popOf(b, m.target.population, "record");
    const every = Math.max(1, Math.round(m.everySteps));
    const base = {
      pop: target,
      start: m.target.start,
      end: m.target.end,
      every,
      variable: m.variable ?? "",
      stepsBuf: 0,
      fill: slot(4),
    };
    if (m.k === "spikes") {
      if (spikeMonitored.has(target.name)) continue;
      spikeMonitored.add(target.name);
      const cap = Math.max(4 * target.capacity, 1 << 16);
      monitors.push({
        ...base,
        k: "spikes",
        start: 0,
        end: target.size,
        perStep: target.capacity,
        cap,
        buf: A.take(cap * 8),
      });
    } else if (m.k === "rate") {
      const cap = 4096;
      monitors.push({ ...base, k: "rate", perStep: 1, cap, buf: A.take(cap * 8), stepsBuf: A.take(cap * 4) });
    } else {
      const name = m.variable ?? "";
      if (!target.values || !(target.arrays.has(name) || target.consts.has(name)))
        throw new TargetError(`record: ${target.name} has no variable ${name}`);
      const cols = Math.max(1, m.target.end - m.target.start);
      const cap = Math.max(16, Math.floor((1 << 20) / cols));
      monitors.push({ ...base, k: "state", perStep: 1, cap, buf: A.take(cap * cols * 8), stepsBuf: A.take(cap * 4) });
    }
  }
  return monitors;
}
