// Monitors of a run, shared by every stepping engine. In: the program's monitors, each population's spike
// buffer and a reader of a recorded variable (the engine's own storage, converted to SI); out: the spikes,
// traces and rates of a RunResult (targets/target.ts). State monitors record at the start of step k (the
// value at t_k, before phase 0); spike monitors every spike (k, element) of their population; rate monitors
// the spikes of their slice in step k / (slice size * dt); synapse monitors (`record w of PROJ`) record the chosen
// synapses' value at the start of step k, as state monitors (an event-driven variable holds its value as of its
// synapse's last event).

import type { IRMonitor } from "../../compiler/ir/nodes.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import {
  TargetError,
  type PopulationSpikes,
  type RateTrace,
  type RunResult,
  type StateTrace,
  type SynapseTrace,
} from "../target.js";
import { IntList, type SpikeBuffer } from "./spikes.js";

/** Every spike (step, element) of one population. */
export class SpikeRecorder {
  private readonly steps = new IntList();
  private readonly idx = new IntList();
  constructor(readonly spikes: SpikeBuffer) {}
  record(k: number): void {
    const b = this.spikes;
    for (let x = 0; x < b.n; x++) {
      this.steps.push(k);
      this.idx.push(b.buf[x]!);
    }
  }
  result(): PopulationSpikes {
    return { steps: this.steps.values(), indices: this.idx.values() };
  }
}

interface StateMon {
  trace: StateTrace;
  read: (e: number) => number;
  every: number;
}
/** What an engine exposes of a projection for synapse monitors: its synapse count, each synapse's pre and post
 *  element (construction order), and a reader of a variable (undefined when the projection holds none). */
export interface SynapseAccess {
  n: number;
  pre: ArrayLike<number>;
  post: ArrayLike<number>;
  reader(variable: string): ((s: number) => number) | undefined;
}

/** The synapse numbers a synapse monitor records, checked against the projection's `n` synapses: its index list,
 *  its slice, or all (end -1). A number past the synapses is E0521 at the record statement (`span`). */
export function synapseSelection(m: IRMonitor, n: number, span: Span | undefined): number[] {
  const fail = (what: string): never => {
    const err = new TargetError(
      `record ${m.variable ?? ""} of ${m.target.population}: ${what}, but the projection has ${n} synapses`,
      `synapses are numbered 0 to ${Math.max(0, n - 1)} in construction order`,
    );
    err.code = "E0521";
    err.span = span;
    throw err;
  };
  if (m.indices) {
    for (const s of m.indices) if (!(Number.isInteger(s) && s >= 0 && s < n)) fail(`synapse ${s} does not exist`);
    return [...m.indices];
  }
  const start = m.target.start;
  const end = m.target.end < 0 ? n : m.target.end;
  if (m.target.end >= 0 && (end > n || start >= end)) fail(`slice [${start}:${m.target.end}] is out of range`);
  const out: number[] = [];
  for (let s = start; s < end; s++) out.push(s);
  return out;
}

interface SynapseMon {
  trace: SynapseTrace;
  read: (s: number) => number;
  every: number;
}

interface RateMon {
  trace: RateTrace;
  spikes: SpikeBuffer;
  start: number;
  end: number;
  every: number;
  hz: number[];
}

export class Monitors {
  private readonly spikeRecs = new Map<string, SpikeRecorder>();
  private readonly stateMons: StateMon[] = [];
  private readonly rateMons: RateMon[] = [];
  private readonly synapseMons: SynapseMon[] = [];

  /** `population(name)` throws for an unknown population; `reader(name, variable)` is undefined for a
   *  variable the population does not hold; `projection(name)` gives a projection's synapses (synapse monitors);
   *  `spans[i]` is monitor i's record statement. */
  constructor(
    monitors: readonly IRMonitor[],
    readonly dt: number,
    population: (name: string) => SpikeBuffer,
    reader: (population: string, variable: string) => ((e: number) => number) | undefined,
    projection?: (name: string) => SynapseAccess | undefined,
    spans?: readonly Span[],
  ) {
    monitors.forEach((m, i) => {
      if (m.k === "synapse") this.addSynapseMonitor(m, projection?.(m.target.population), spans?.[i]);
      else this.addMonitor(m, population, reader);
    });
  }

  private addSynapseMonitor(m: IRMonitor, acc: SynapseAccess | undefined, span: Span | undefined): void {
    const name = m.variable ?? "";
    if (!acc) throw new TargetError(`record ${name}: unknown projection ${m.target.population}`);
    const read = acc.reader(name);
    if (!read) throw new TargetError(`record: projection ${m.target.population} has no variable ${name}`);
    const synapses = synapseSelection(m, acc.n, span);
    const trace: SynapseTrace = {
      projection: m.target.population,
      variable: name,
      synapses,
      pre: synapses.map((s) => acc.pre[s]!),
      post: synapses.map((s) => acc.post[s]!),
      steps: [],
      values: [],
    };
    this.synapseMons.push({ trace, read, every: Math.max(1, Math.round(m.everySteps)) });
  }

  private addMonitor(
    m: IRMonitor,
    population: (name: string) => SpikeBuffer,
    reader: (population: string, variable: string) => ((e: number) => number) | undefined,
  ): void {
    const sp = population(m.target.population);
    const every = Math.max(1, Math.round(m.everySteps));
    if (m.k === "spikes") {
      if (!this.spikeRecs.has(sp.name)) this.spikeRecs.set(sp.name, new SpikeRecorder(sp));
    } else if (m.k === "rate") {
      const trace: RateTrace = { population: sp.name, steps: [], hz: new Float64Array(0) };
      this.rateMons.push({ trace, spikes: sp, start: m.target.start, end: m.target.end, every, hz: [] });
    } else {
      const name = m.variable ?? "";
      const read = reader(sp.name, name);
      if (!read) throw new TargetError(`record: ${sp.name} has no variable ${name}`);
      const indices: number[] = [];
      for (let e = m.target.start; e < m.target.end; e++) indices.push(e);
      this.stateMons.push({
        trace: { population: sp.name, variable: name, indices, steps: [], values: [] },
        read,
        every,
      });
    }
  }

  /** Start of step k: the state monitors due record the value at t_k. */
  recordState(k: number): void {
    for (const m of this.stateMons) {
      if (k % m.every !== 0) continue;
      m.trace.steps.push(k);
      m.trace.values.push(readRow(m.trace.indices, m.read));
    }
    for (const m of this.synapseMons) {
      if (k % m.every !== 0) continue;
      m.trace.steps.push(k);
      m.trace.values.push(readRow(m.trace.synapses, m.read));
    }
  }

  /** End of step k: spike monitors, and the rate monitors due. */
  recordSpikes(k: number): void {
    for (const r of this.spikeRecs.values()) r.record(k);
    for (const m of this.rateMons) {
      if (k % m.every !== 0) continue;
      let c = 0;
      const b = m.spikes;
      for (let x = 0; x < b.n; x++) {
        const e = b.buf[x]!;
        if (e >= m.start && e < m.end) c++;
      }
      m.trace.steps.push(k);
      m.hz.push(m.end > m.start ? c / ((m.end - m.start) * this.dt) : 0);
    }
  }

  result(): Pick<RunResult, "spikes" | "traces" | "rates" | "synapseTraces"> {
    const spikes: Record<string, PopulationSpikes> = {};
    for (const [name, r] of this.spikeRecs) spikes[name] = r.result();
    return {
      spikes,
      traces: this.stateMons.map((m) => m.trace),
      ...(this.synapseMons.length > 0 ? { synapseTraces: this.synapseMons.map((m) => m.trace) } : {}),
      rates: this.rateMons.map((m) => ({ ...m.trace, hz: Float64Array.from(m.hz) })),
    };
  }
}

/** read(of[x]) for every x (a plain loop: Float64Array.from with a map function is several times slower). */
function readRow(of: readonly number[], read: (e: number) => number): Float64Array {
  const row = new Float64Array(of.length);
  for (let x = 0; x < of.length; x++) row[x] = read(of[x]!);
  return row;
}
