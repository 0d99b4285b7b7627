// Monitors of a run, shared by every stepping engine. In: the program's monitors, each population's spike
// buffer and a reader of a recorded variable (the engine's own storage, converted to SI); out: the spikes,
// traces and rates of a RunResult (targets/target.ts). State monitors record at the start of step k (the
// value at t_k, before phase 0); spike monitors every spike (k, element) of their population; rate monitors
// the spikes of their slice in step k / (slice size * dt).

import type { IRMonitor } from "../../compiler/ir/nodes.js";
import { TargetError, type PopulationSpikes, type RateTrace, type RunResult, type StateTrace } from "../target.js";
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

  /** `population(name)` throws for an unknown population; `reader(name, variable)` is undefined for a
   *  variable the population does not hold. */
  constructor(
    monitors: readonly IRMonitor[],
    readonly dt: number,
    population: (name: string) => SpikeBuffer,
    reader: (population: string, variable: string) => ((e: number) => number) | undefined,
  ) {
    for (const m of monitors) {
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
  }

  /** Start of step k: the state monitors due record the value at t_k. */
  recordState(k: number): void {
    for (const m of this.stateMons) {
      if (k % m.every !== 0) continue;
      m.trace.steps.push(k);
      m.trace.values.push(Float64Array.from(m.trace.indices, m.read));
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

  result(): Pick<RunResult, "spikes" | "traces" | "rates"> {
    const spikes: Record<string, PopulationSpikes> = {};
    for (const [name, r] of this.spikeRecs) spikes[name] = r.result();
    return {
      spikes,
      traces: this.stateMons.map((m) => m.trace),
      rates: this.rateMons.map((m) => ({ ...m.trace, hz: Float64Array.from(m.hz) })),
    };
  }
}
