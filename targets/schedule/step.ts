// The step schedule: the one place that says in which order a step's phases run (docs/internals.md,
// "Simulation semantics"). In: an engine's phases (its groups, sources and projections as handlers over its
// own storage) and monitors; out: the steps run, the synaptic events counted. The reference target, the
// fixed-point executor (and through it the descriptor runner) and the cycle-accurate emulator all step here.
//
// Step k:
//   5a. state monitors record the value at t_k
//   0.  modulators (from step k-1's spikes); continuous blocks of every projection; current stimuli (added to
//       what the handlers of step k-1 left in the inputs)
//   1.  update of every group on its clock (k % every == 0)
//   2.  thresholds of those groups; sources; then every input of every group is cleared (the one rule, on
//       every engine: what phase 3 adds into an input acts on step k+1's update, docs/internals.md)
//   3.  on pre of every projection (events due after their delay, then this step's delay-0 events), the
//       engine's afterOnPre (crossbar reads convert here), on post of every incoming synapse of a spiking
//       post element, the astrocytes' on synapse_pre (per delivered event) and on synapse_post
//   4.  resets of the elements that spiked (their refractory period starts)
//   5b. spike counts, spike and rate monitors; the engine's endStep (the emulator's timing)

import type { SourceStepper } from "../network/sources.js";
import type { Monitors } from "./monitors.js";
import { IntList, type OnPreQueue, type SpikeBuffer } from "./spikes.js";

export interface ScheduledGroup {
  spikes: SpikeBuffer;
  /** Network steps per step of the group's own clock. */
  every: number;
  update: ((k: number) => void) | null;
  /** Writes the spiking elements to buf (ascending), returns how many; null: the group never spikes. */
  threshold: ((k: number, buf: Int32Array) => number) | null;
  /** Runs the spike block of buf[0..n) and stamps their last spike (n > 0). */
  reset: (k: number, buf: Int32Array, n: number) => void;
}

export interface ScheduledSource {
  spikes: SpikeBuffer;
  stepper: SourceStepper;
}

export interface ScheduledProjection {
  pre: SpikeBuffer;
  post: SpikeBuffer;
  /** The pre and post slices [lo, hi) of the projection. */
  preLo: number;
  preHi: number;
  postLo: number;
  postHi: number;
  queue: OnPreQueue;
  continuous: ((k: number) => void) | null;
  /** on pre of synapse s; `onPreRow` (optional) runs it for every synapse of pre element e at once. */
  onPre: ((s: number, k: number) => void) | null;
  onPreRow?: ((e: number, k: number) => void) | null;
  /** on post of every incoming synapse of post element q. */
  onPost: ((q: number, k: number) => void) | null;
  /** the ensheathing astrocyte's on synapse_pre for a delivered event of synapse s */
  astroPre: ((s: number, k: number) => void) | null;
  /** on synapse_post of every incoming synapse of post element q */
  astroPost: ((q: number, k: number) => void) | null;
  /** Count (and queue) events of a projection without on pre too (the emulator charges them). */
  countAllEvents?: boolean;
}

export interface StepPhases {
  groups: readonly ScheduledGroup[];
  sources: readonly ScheduledSource[];
  projections: readonly ScheduledProjection[];
  /** every population (groups, then sources): spike counts */
  populations: readonly SpikeBuffer[];
  modulators(k: number): void;
  /** Zeroes every input of every group; the schedule calls it after the thresholds and sources of each step. */
  clearInputs(): void;
  currents(k: number): void;
  afterOnPre?(k: number): void;
  /** After the monitors: `events` = synaptic events of step k. */
  endStep?(k: number, events: number): void;
}

/** Steps between two questions to RunOptions.shouldStop at most (Ctrl-C is honoured within this many steps). */
export const STOP_EVERY = 1000;

/** Runs steps 0..steps-1; returns the synaptic events (on pre executions) of the run. With `stop`, asked every
 *  STOP_EVERY steps (or 1% of the run, if less): when it says so the run ends there and `stop.at` is the number of
 *  steps done. */
export function runSchedule(
  ph: StepPhases,
  monitors: Monitors | null,
  steps: number,
  onProgress?: (fraction: number) => void,
  stop?: { shouldStop: () => boolean; at?: number },
): number {
  const astroEvents = ph.projections.map((p) => (p.astroPre ? new IntList() : null));
  const progressEvery = Math.max(1, Math.floor(steps / 100));
  const stopEvery = Math.min(progressEvery, STOP_EVERY);
  let synapticEvents = 0;
  for (let k = 0; k < steps; k++) {
    monitors?.recordState(k);
    phase0(ph, k);
    updateAndThresholds(ph, k);
    const events = deliver(ph, k, astroEvents);
    synapticEvents += events;
    for (const g of ph.groups) if (g.spikes.n > 0) g.reset(k, g.spikes.buf, g.spikes.n);
    for (const b of ph.populations) b.total += b.n;
    monitors?.recordSpikes(k);
    ph.endStep?.(k, events);
    if (onProgress && (k + 1) % progressEvery === 0) onProgress((k + 1) / steps);
    if (stop && (k + 1) % stopEvery === 0 && k + 1 < steps && stop.shouldStop()) {
      stop.at = k + 1;
      return synapticEvents;
    }
  }
  if (onProgress && steps % progressEvery !== 0) onProgress(1);
  return synapticEvents;
}

/** Phase 0: modulators, couplings, currents. */
function phase0(ph: StepPhases, k: number): void {
  ph.modulators(k);
  for (const p of ph.projections) p.continuous?.(k);
  ph.currents(k);
}

/** Phases 1-2: updates, thresholds (groups on their clock), sources; then the inputs are cleared: they have
 *  been read by this step's updates and thresholds, so what phase 3's handlers add reaches step k+1. */
function updateAndThresholds(ph: StepPhases, k: number): void {
  for (const g of ph.groups) {
    g.spikes.n = 0;
    if (k % g.every === 0) g.update?.(k);
  }
  for (const g of ph.groups) if (k % g.every === 0 && g.threshold) g.spikes.n = g.threshold(k, g.spikes.buf);
  for (const s of ph.sources) s.spikes.n = s.stepper.step(k, s.spikes.buf);
  ph.clearInputs();
}

/** Phase 3: on pre after delays, on post, astrocyte synapse events. Returns the step's synaptic events. */
function deliver(ph: StepPhases, k: number, astroEvents: (IntList | null)[]): number {
  let events = 0;
  for (let j = 0; j < ph.projections.length; j++) {
    const p = ph.projections[j]!,
      ev = astroEvents[j]!;
    if (ev) ev.n = 0;
    const onPre = p.onPre;
    if (!onPre && !ev && !p.countAllEvents) continue;
    const rowStart = p.queue.rowStart,
      onPreRow = p.onPreRow;
    const syn = (s: number): void => {
      if (onPre) onPre(s, k);
      if (ev) ev.push(s);
    };
    const row = (e: number): void => {
      if (onPreRow) onPreRow(e, k);
      else if (onPre) for (let s = rowStart[e]!, end = rowStart[e + 1]!; s < end; s++) onPre(s, k);
      if (ev) for (let s = rowStart[e]!, end = rowStart[e + 1]!; s < end; s++) ev.push(s);
    };
    const n = p.queue.deliver(k, p.pre.buf, p.pre.n, p.preLo, p.preHi, row, syn);
    if (onPre || p.countAllEvents) events += n;
  }
  ph.afterOnPre?.(k);
  for (const p of ph.projections) if (p.onPost) forSpiking(p.post, p.postLo, p.postHi, p.onPost, k);
  for (let j = 0; j < ph.projections.length; j++) {
    const f = ph.projections[j]!.astroPre,
      ev = astroEvents[j];
    if (f && ev) for (let x = 0; x < ev.n; x++) f(ev.data[x]!, k);
  }
  for (const p of ph.projections) if (p.astroPost) forSpiking(p.post, p.postLo, p.postHi, p.astroPost, k);
  return events;
}

function forSpiking(b: SpikeBuffer, lo: number, hi: number, f: (q: number, k: number) => void, k: number): void {
  for (let x = 0; x < b.n; x++) {
    const q = b.buf[x]!;
    if (q >= lo && q < hi) f(q, k);
  }
}
