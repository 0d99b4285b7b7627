// Input populations: Poisson generators and spike lists. In: an IRSource, seed, dt; out: a stepper
// that lists the elements spiking in step k (ascending), identical in every target.
//
// Poisson: rate r_e per element from the source's IRInit (stream init:SRC.rate, index e; refs: index
//   i = e, t = 0); element e spikes in step k iff uniform01(seed, poisson:SRC, k * size + e) < r_e * dt.
//   A timed rate (timed_array): every element has the rate values[m] from step floor(m * timed.dt / dt + 0.5)
//   on (the last value to the end), same draws.
// Spike lists (spike_times, csv_spikes): spike (time, index) falls in step floor(time / dt + 0.5);
//   several spikes of one element in one step count once; times outside [0, steps) are dropped.
// Periodic: the spike list of every element at phase + m * period over the run (period >= dt).
// Poisson count (poisson_count): rate r_e per element as for Poisson; element e emits
//   poissonCount(uniform01(seed, poisson:SRC, k * size + e), r_e * dt, exp(-r_e * dt)) events in step k
//   (compiler/builtins/poisson-count.ts), listed as e repeated that many times (ascending, so non-decreasing);
//   the list holds at most countCapacity(...) events, a step drawing more stops the run (never truncated).

import type { IRSource } from "../../compiler/ir/nodes.js";
import { evalExpr } from "./eval.js";
import { TargetError } from "../target.js";
import { sampleDist, streams, uniform01 } from "./rng.js";
import { POISSON_COUNT_MAX, poissonCount } from "../../compiler/builtins/poisson-count.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

export interface SourceStepper {
  size: number;
  /** The most elements `step` lists in one step: `size`, or countCapacity for a poisson_count source. */
  capacity: number;
  /** Writes the elements spiking in step k into `out` (ascending), returns how many. */
  step(k: number, out: Int32Array): number;
}

export function poissonRates(src: Extract<IRSource, { k: "poisson" | "poisson_count" }>, seed: number): Float64Array {
  const rates = new Float64Array(src.size);
  const init = src.rate;
  for (let e = 0; e < src.size; e++) {
    const lookup = (r: { space: string; name: string }): number | undefined =>
      r.space === "index" ? e : r.space === "t" ? 0 : undefined;
    if (init.k === "expr") rates[e] = evalExpr(init.e, lookup);
    else if (init.k === "table") rates[e] = init.values[e] ?? 0;
    else
      rates[e] =
        sampleDist(
          init.dist,
          init.args.map((a) => evalExpr(a, lookup)),
          seed,
          streams.init(src.name, "rate"),
          e,
        ) * init.scale;
  }
  return rates;
}

/**
 * rate * dt per element: the probability of a spike in a step. An element spikes at most once per step, so
 * a value above 1 would cap the rate silently: refused (the checker reports constant rates as E0527).
 */
export function poissonProbabilities(name: string, rates: Float64Array, dt: number): Float64Array {
  const p = rates.map((r) => r * dt);
  let worst = 0;
  for (let e = 1; e < p.length; e++) if (p[e]! > p[worst]!) worst = e;
  if (p.length > 0 && p[worst]! > 1) {
    const over = p.reduce((n, x) => n + (x > 1 ? 1 : 0), 0);
    throw new TargetError(
      `Poisson source ${name}: ${over} of ${p.length} elements have rate * dt > 1 (element ${worst}: ${rates[worst]} Hz, ${p[worst]!.toPrecision(3)} spikes per step); an element spikes at most once per step`,
      "split the rate over more elements or use a smaller dt",
    );
  }
  return p;
}

/**
 * rate * dt per element of a poisson_count source: its mean count per step, at most POISSON_COUNT_MAX (the
 * checker reports constant rates as E0531, drawn ones are refused here).
 */
export function poissonCountMeans(name: string, rates: Float64Array, dt: number): Float64Array {
  const lam = rates.map((r) => r * dt);
  let worst = 0;
  for (let e = 1; e < lam.length; e++) if (lam[e]! > lam[worst]!) worst = e;
  if (lam.length > 0 && !(lam[worst]! <= POISSON_COUNT_MAX)) {
    const over = lam.reduce((n, x) => n + (x > POISSON_COUNT_MAX ? 1 : 0), 0);
    throw new TargetError(
      `poisson_count source ${name}: ${over} of ${lam.length} elements have rate * dt > ${POISSON_COUNT_MAX} (element ${worst}: ${rates[worst]} Hz, ${lam[worst]!.toPrecision(3)} events per step)`,
      "split the rate over more elements or use a smaller dt",
    );
  }
  return lam;
}

/**
 * Room for the events of one step of a poisson_count source whose means per step are `means`: their total is
 * Poisson(L), L = sum of means; L + 12 sqrt(L) + 64 is exceeded with a probability far below 1e-30 per step
 * (a run that does exceed it stops with an error, it is never truncated). Rounded up to 4 lanes.
 */
export function countCapacity(means: Float64Array): number {
  let total = 0;
  for (const x of means) total += x;
  return 4 * math.ceil((math.max(means.length, total + 12 * math.sqrt(total)) + 64) / 4);
}

/** The error of a poisson_count step that drew more events than its list holds. */
export function countOverflow(name: string, k: number, capacity: number): TargetError {
  return new TargetError(
    `poisson_count source ${name}: more than ${capacity} events in step ${k} (the room reserved for one step)`,
  );
}

export function makeSource(src: IRSource, seed: number, dt: number, steps: number): SourceStepper {
  const size = src.size;
  if (src.k === "poisson_count") {
    const lam = poissonCountMeans(src.name, poissonRates(src, seed), dt);
    const q0 = lam.map((x) => math.exp(-x));
    const stream = streams.poisson(src.name);
    const capacity = countCapacity(lam);
    return {
      size,
      capacity,
      step(k, out) {
        let n = 0;
        const base = k * size;
        for (let e = 0; e < size; e++) {
          const c = poissonCount(uniform01(seed, stream, base + e), lam[e]!, q0[e]!);
          if (n + c > capacity) throw countOverflow(src.name, k, capacity);
          for (let j = 0; j < c; j++) out[n++] = e;
        }
        return n;
      },
    };
  }
  if (src.k === "poisson" && src.timed) {
    // one rate for every element, from the timed array at the step's start time t = k * dt
    const timed = src.timed;
    const p = poissonProbabilities(src.name, Float64Array.from(timed.values), dt);
    const stream = streams.poisson(src.name);
    // value m starts in step floor(m * timed.dt / dt + 0.5), as a current's step does
    const starts = timed.values.map((_, m) => math.floor((m * timed.dt) / dt + 0.5));
    let m = 0;
    return {
      size,
      capacity: size,
      step(k, out) {
        while (m + 1 < starts.length && starts[m + 1]! <= k) m++;
        while (m > 0 && starts[m]! > k) m--;
        const pk = p[m]!;
        let n = 0;
        const base = k * size;
        for (let e = 0; e < size; e++) if (uniform01(seed, stream, base + e) < pk) out[n++] = e;
        return n;
      },
    };
  }
  if (src.k === "poisson") {
    const rates = poissonRates(src, seed);
    const p = poissonProbabilities(src.name, rates, dt);
    const stream = streams.poisson(src.name);
    return {
      size,
      capacity: size,
      step(k, out) {
        let n = 0;
        const base = k * size;
        for (let e = 0; e < size; e++) if (uniform01(seed, stream, base + e) < p[e]!) out[n++] = e;
        return n;
      },
    };
  }
  const list = src.k === "periodic" ? periodicList(src, dt, steps) : src;
  if (list.times.length !== list.indices.length)
    throw new TargetError(`spike list ${src.name}: times and indices differ in length`);
  const events: [number, number][] = [];
  for (let q = 0; q < list.times.length; q++) {
    const k = math.floor(list.times[q]! / dt + 0.5);
    const e = list.indices[q]!;
    if (!Number.isInteger(e) || e < 0 || e >= size)
      throw new TargetError(`spike list ${src.name}: index ${e} outside 0..${size - 1}`);
    if (k >= 0 && k < steps) events.push([k, e]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const stepsOf = new Int32Array(events.length);
  const elems = new Int32Array(events.length);
  let m = 0;
  for (const [k, e] of events) {
    if (m > 0 && stepsOf[m - 1] === k && elems[m - 1] === e) continue;
    stepsOf[m] = k;
    elems[m] = e;
    m++;
  }
  let cursor = 0;
  return {
    size,
    capacity: size,
    step(k, out) {
      while (cursor < m && stepsOf[cursor]! < k) cursor++;
      let n = 0;
      while (cursor < m && stepsOf[cursor] === k) out[n++] = elems[cursor++]!;
      return n;
    },
  };
}

/** A periodic source as a spike list over the run: every element at phase + m * period, m = 0, 1, ... */
function periodicList(
  src: Extract<IRSource, { k: "periodic" }>,
  dt: number,
  steps: number,
): { times: number[]; indices: number[] } {
  if (!(src.period >= dt)) throw new TargetError(`periodic source ${src.name}: period ${src.period} s is below dt`);
  const times: number[] = [];
  const indices: number[] = [];
  const end = (steps + 1) * dt;
  for (let m = 0; src.phase + m * src.period < end; m++) {
    const t = src.phase + m * src.period;
    for (let e = 0; e < src.size; e++) {
      times.push(t);
      indices.push(e);
    }
  }
  return { times, indices };
}
