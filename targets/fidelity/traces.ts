// Trace fidelity: how far one run's recorded state traces are from another's (e.g. fixed point against the
// float64 reference). In: two RunResults of the same network, the fixed-point words of the first (optional),
// which recorded variables are synaptic inputs, and each population's update period in steps; out: per
// recorded variable the max and RMS error (and RMS relative to the reference's range), the PSP/PSC amplitude
// ratio for synaptic inputs, and frozen state: an element whose word stays constant while the reference moves
// by less than one LSB per update but by more than one LSB in all (an update rounded away every step).
//
// Amplitude ratio: per element, the sum of the moves between recorded samples in the direction of the
// reference's deflection (the sign of its largest departure from its first sample: up for an excitatory PSC
// from 0 or a PSP from rest, down for an inhibitory one), in the run over the reference's (elements whose
// reference never moves are skipped), the median over elements. That is the PSCs or PSPs the synaptic events
// add (decay only moves back); recorded every step, the mean event amplitude. Measured on every variable an
// on-pre handler writes (the PSC, or the PSP of a synapse onto v) and on every variable whose update reads
// one (the PSP a PSC drives, e.g. v of a current-based LIF).
// Frozen: at least FROZEN_MIN_UPDATES updates (K) of the owner with the word unchanged, the reference's change
// per update below one LSB throughout and its total change over the window above one LSB, and the run ending
// the window more than one LSB and more than FROZEN_MIN_OFFSET of the element's reference range from the
// reference (a decay that stalls a few LSBs above zero, 0.05 % of its PSC peak, is rounding, not lost dynamics). "Bits it would need": fraction bits f with 2^-f <= 2 * the
// reference's mean change per update over the window (round-to-nearest keeps a change of half an LSB), reported as the state word width that holds the variable's integer bits plus those fraction bits.

import type { FixedPointInfo, RunResult, StateTrace } from "../target.js";
import { AMPLITUDE_RANGE } from "./verdict.js";

/** K: updates a word must stay unchanged (while the reference drifts) to count as frozen. */
export const FROZEN_MIN_UPDATES = 20;
/** An event counts for the smallest-event ratio when the reference gives it this share of its largest. */
export const EVENT_MIN_SHARE = 0.01;
/** The least offset from the reference, as a fraction of the element's reference range, that counts as frozen. */
export const FROZEN_MIN_OFFSET = 1e-3;

export interface FrozenState {
  element: number;
  /** The window: first and last recorded step with the word unchanged. */
  from_step: number;
  to_step: number;
  /** The run's (constant) value and the reference's at the window's end, SI units. */
  value: number;
  reference_value: number;
  /** The word's LSB and the reference's mean change per update over the window (SI). */
  lsb: number;
  reference_change_per_update: number;
  /** Fraction bits the variable has, and would need to keep that change. */
  frac_bits: number;
  frac_bits_needed: number;
  /** The state word width with those fraction bits (same integer bits and sign). */
  word_bits_needed: number;
}

/** One PSC or PSP: a run of rises of the reference (in its deflection's direction) and what follows up to the
 *  next; its summed rises in both runs (SI). */
export interface SynapticEvent {
  element: number;
  /** The recorded step before its first rise. */
  step: number;
  amplitude: number;
  reference_amplitude: number;
}

export interface TraceFidelity {
  population: string;
  variable: string;
  elements: number;
  samples: number;
  max_abs_error: number;
  rms_error: number;
  /** Max - min of the reference trace (all elements); rms_error over it (null when the reference is flat). */
  reference_range: number;
  rel_rms_error: number | null;
  /** The run's word for the variable (fixed-point runs). */
  format?: string;
  lsb?: number;
  /** Onto-target of a projection (a PSP/PSC): median over elements of the summed rises, run over reference. */
  synaptic_input: boolean;
  /** A variable whose update reads synaptic inputs (the PSP they drive): those inputs, "POP.var". */
  psp_of?: string[];
  amplitude_ratio?: number | null;
  /** The summed moves in the deflection's direction (see the header), the run's and the reference's, mean
   *  over the elements measured (SI; synaptic inputs and PSP variables). */
  reference_deflection?: number;
  deflection?: number;
  /** Events (rises of the reference) over all elements, and the one the run shrinks most (see smallestEvent). */
  events?: number;
  /** Of those, how many the run gives less than AMPLITUDE_RANGE[0] of the reference's amplitude. */
  events_below?: number;
  smallest_event?: SynapticEvent;
  /** The first frozen element found (the worst: longest window), when any. */
  frozen?: FrozenState;
  frozen_elements: number;
}

/** Rows of both traces at the steps they share (monitors of the same IR record the same steps). */
function pairRows(a: StateTrace, b: StateTrace): [number, number][] {
  const at = new Map(b.steps.map((k, r) => [k, r] as const));
  const out: [number, number][] = [];
  a.steps.forEach((k, r) => {
    const s = at.get(k);
    if (s !== undefined) out.push([r, s]);
  });
  return out;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Summed moves of element column c (run) and cb (reference) in the direction of the reference's deflection
 *  (see the header); [lo, hi] is the reference's range. */
function deflections(
  a: StateTrace,
  b: StateTrace,
  rows: [number, number][],
  c: number,
  cb: number,
  lo: number,
  hi: number,
): { upA: number; upB: number; events: SynapticEvent[] } {
  const first = b.values[rows[0]![1]]![cb]!;
  const s = hi - first >= first - lo ? 1 : -1;
  let upA = 0,
    upB = 0;
  const events: SynapticEvent[] = [];
  let cur: SynapticEvent | null = null,
    rising = false;
  for (let i = 1; i < rows.length; i++) {
    const dA = Math.max(0, s * (a.values[rows[i]![0]]![c]! - a.values[rows[i - 1]![0]]![c]!));
    const dB = Math.max(0, s * (b.values[rows[i]![1]]![cb]! - b.values[rows[i - 1]![1]]![cb]!));
    upA += dA;
    upB += dB;
    if (dB > 0 && !rising) {
      cur = { element: a.indices[c]!, step: a.steps[rows[i - 1]![0]]!, amplitude: 0, reference_amplitude: 0 };
      events.push(cur);
    }
    rising = dB > 0;
    if (cur) {
      cur.amplitude += dA;
      cur.reference_amplitude += dB;
    }
  }
  return { upA, upB, events };
}

/** Events (counted as in smallestEvent) the run shrinks below the verdict's lower amplitude bound. */
function countBelow(events: SynapticEvent[]): number {
  const top = Math.max(0, ...events.map((e) => e.reference_amplitude));
  return events.filter(
    (e) =>
      top > 0 &&
      e.reference_amplitude >= EVENT_MIN_SHARE * top &&
      e.amplitude < AMPLITUDE_RANGE[0] * e.reference_amplitude,
  ).length;
}

/** Of an element's events, the one with the smallest amplitude ratio among those the reference gives at least
 *  EVENT_MIN_SHARE of its largest event (a smaller reference move is numerical, not a PSP). */
function smallestEvent(events: SynapticEvent[]): SynapticEvent | null {
  const top = Math.max(0, ...events.map((e) => e.reference_amplitude));
  let best: SynapticEvent | null = null;
  for (const e of events)
    if (e.reference_amplitude >= EVENT_MIN_SHARE * top && top > 0)
      if (!best || e.amplitude / e.reference_amplitude < best.amplitude / best.reference_amplitude) best = e;
  return best;
}

/** The longest frozen window of element column c (see the header), or null. */
function frozenWindow(
  a: StateTrace,
  b: StateTrace,
  rows: [number, number][],
  c: number,
  cb: number,
  word: FixedPointInfo["formats"][string],
  stepEvery: number,
  range: number,
): FrozenState | null {
  const lsb = word.ulp;
  let best: FrozenState | null = null;
  let start = 0;
  const close = (end: number): void => {
    // rows[start..end] hold the same word
    if (end <= start) return;
    const k0 = a.steps[rows[start]![0]]!,
      k1 = a.steps[rows[end]![0]]!;
    const updates = Math.floor((k1 - k0) / stepEvery);
    if (updates < FROZEN_MIN_UPDATES) return;
    let maxChange = 0;
    for (let r = start + 1; r <= end; r++) {
      const dk = a.steps[rows[r]![0]]! - a.steps[rows[r - 1]![0]]!;
      const n = Math.max(1, Math.floor(dk / stepEvery));
      const d = Math.abs(b.values[rows[r]![1]]![cb]! - b.values[rows[r - 1]![1]]![cb]!) / n;
      maxChange = Math.max(maxChange, d);
    }
    const refEnd = b.values[rows[end]![1]]![cb]!,
      refStart = b.values[rows[start]![1]]![cb]!,
      value = a.values[rows[end]![0]]![c]!;
    const off = Math.abs(refEnd - value);
    if (!(maxChange < lsb && Math.abs(refEnd - refStart) > lsb && off > lsb && off > FROZEN_MIN_OFFSET * range)) return;
    const perUpdate = Math.abs(refEnd - refStart) / updates;
    const need = Math.ceil(-Math.log2(2 * perUpdate));
    const f: FrozenState = {
      element: a.indices[c]!,
      from_step: k0,
      to_step: k1,
      value,
      reference_value: refEnd,
      lsb,
      reference_change_per_update: perUpdate,
      frac_bits: word.fracBits,
      frac_bits_needed: need,
      word_bits_needed: (word.signed ? 1 : 0) + word.intBits + need,
    };
    if (!best || f.to_step - f.from_step > best.to_step - best.from_step) best = f;
  };
  for (let r = 1; r < rows.length; r++) {
    if (a.values[rows[r]![0]]![c] !== a.values[rows[start]![0]]![c]) {
      close(r - 1);
      start = r;
    }
  }
  close(rows.length - 1);
  return best;
}

export function traceFidelity(
  run: RunResult,
  ref: RunResult,
  context: {
    synapticInputs?: ReadonlySet<string>;
    pspInputs?: ReadonlyMap<string, readonly string[]>;
    stepEvery?: ReadonlyMap<string, number>;
  } = {},
): TraceFidelity[] {
  const out: TraceFidelity[] = [];
  for (const a of run.traces) {
    const b = ref.traces.find((t) => t.population === a.population && t.variable === a.variable);
    if (!b) continue;
    const rows = pairRows(a, b);
    const colB = new Map(b.indices.map((e, c) => [e, c] as const));
    const key = `${a.population}.${a.variable}`;
    const word = run.fixedPoint?.formats[key];
    const synaptic = context.synapticInputs?.has(key) ?? false;
    const pspOf = synaptic ? undefined : context.pspInputs?.get(key);
    const amplitude = synaptic || pspOf !== undefined;
    let sumA = 0,
      sumB = 0,
      eventCount = 0,
      eventsBelow = 0,
      smallest: SynapticEvent | null = null;
    const stepEvery = context.stepEvery?.get(a.population) ?? 1;
    let maxErr = 0,
      sq = 0,
      n = 0,
      lo = Infinity,
      hi = -Infinity,
      frozenCount = 0;
    let frozen: FrozenState | undefined;
    const ratios: number[] = [];
    a.indices.forEach((e, c) => {
      const cb = colB.get(e);
      if (cb === undefined) return;
      let blo = Infinity,
        bhi = -Infinity;
      rows.forEach(([ra, rb]) => {
        const x = a.values[ra]![c]!,
          y = b.values[rb]![cb]!;
        const err = Math.abs(x - y);
        if (err > maxErr) maxErr = err;
        sq += err * err;
        n++;
        blo = Math.min(blo, y);
        bhi = Math.max(bhi, y);
      });
      lo = Math.min(lo, blo);
      hi = Math.max(hi, bhi);
      if (amplitude && rows.length > 1) {
        const { upA, upB, events } = deflections(a, b, rows, c, cb, blo, bhi);
        if (upB > 0) {
          ratios.push(upA / upB);
          sumA += upA;
          sumB += upB;
          eventCount += events.length;
          eventsBelow += countBelow(events);
          const e = smallestEvent(events);
          if (
            e &&
            (!smallest || e.amplitude / e.reference_amplitude < smallest.amplitude / smallest.reference_amplitude)
          )
            smallest = e;
        }
      }
      if (word) {
        const fz = frozenWindow(a, b, rows, c, cb, word, stepEvery, bhi - blo);
        if (fz) {
          frozenCount++;
          if (!frozen || fz.to_step - fz.from_step > frozen.to_step - frozen.from_step) frozen = fz;
        }
      }
    });
    if (n === 0) continue;
    const rms = Math.sqrt(sq / n),
      range = hi - lo;
    out.push({
      population: a.population,
      variable: a.variable,
      elements: a.indices.length,
      samples: rows.length,
      max_abs_error: maxErr,
      rms_error: rms,
      reference_range: range,
      rel_rms_error: range > 0 ? rms / range : null,
      ...(word ? { format: word.format, lsb: word.ulp } : {}),
      synaptic_input: synaptic,
      ...(pspOf ? { psp_of: [...pspOf] } : {}),
      ...(amplitude
        ? {
            amplitude_ratio: median(ratios),
            ...(sumB > 0 ? { deflection: sumA / ratios.length, reference_deflection: sumB / ratios.length } : {}),
            events: eventCount,
            events_below: eventsBelow,
            ...(smallest ? { smallest_event: smallest } : {}),
          }
        : {}),
      ...(frozen ? { frozen } : {}),
      frozen_elements: frozenCount,
    });
  }
  return out;
}
