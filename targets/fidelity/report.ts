// The fidelity report: how far one run (e.g. the fixed-point target) is from another of the same network
// (e.g. the float64 reference). In: two RunResults and the distance parameters; out: per-population spike
// counts, rates and their deviation, and Victor–Purpura / van Rossum distances averaged over the neurons of
// every spike-monitored population; plus a text rendering.

import type { FixedPointInfo, PopulationSpikes, RunResult } from "../target.js";
import { vanRossum, victorPurpura } from "./distances.js";
import { traceFidelity, type TraceFidelity } from "./traces.js";
import { AMPLITUDE_RANGE, verdictOf, verdictText, type Verdict } from "./verdict.js";

/** Default Victor–Purpura cost: 0.1 per ms (a shift of more than 20 ms costs as much as delete + insert). */
export const DEFAULT_VP_Q_PER_MS = 0.1;
/** A neuron is silenced when it fires at least this often in the reference and never in the run (one or two
 *  reference spikes moving out of a short run is spike-timing noise in a recurrent network, not a dead neuron). */
export const SILENCED_MIN_SPIKES = 3;
/** A decay's time constant moved by at least this fraction by the coefficient grid is reported. */
export const DECAY_SHIFT_MIN = 1e-3;
/** Default van Rossum time constant: 10 ms. */
export const DEFAULT_VR_TAU_MS = 10;

export interface PopulationFidelity {
  n: number;
  spikes: number;
  reference_spikes: number;
  rate_hz: number;
  reference_rate_hz: number;
  /** (rate - reference rate) / reference rate * 100 (null when the reference is silent). */
  rate_deviation_pct: number | null;
  /** Mean over the population's neurons (spike-monitored populations only). */
  victor_purpura?: number;
  van_rossum?: number;
  /** Spike-monitored populations: neurons that fire >= SILENCED_MIN_SPIKES times in the reference and never in
   *  this run (the first ten listed). */
  silenced?: number;
  silenced_neurons?: number[];
  /** Spike-monitored populations whose every neuron fires as often as in the reference: the largest shift of
   *  a spike (the k-th of a neuron against its k-th in the reference), in steps, and its sign (+ = later). */
  max_shift_steps?: number;
}

export interface FidelityReport {
  target: string;
  reference: string;
  vp_q_per_ms: number;
  vr_tau_ms: number;
  populations: Record<string, PopulationFidelity>;
  /** Means over every neuron of every spike-monitored population. */
  victor_purpura: number | null;
  van_rossum: number | null;
  neurons_compared: number;
  /** Recorded state traces present in both runs, and how many the reference recorded. */
  traces: TraceFidelity[];
  reference_traces: number;
  /** Fixed-point runs: decays whose time constant the coefficient grid moves by DECAY_SHIFT_MIN or more. */
  decays?: NonNullable<FixedPointInfo["decays"]>;
  /** Fixed-point runs: overflow events per "OWNER.var" (saturations or wraps, per `overflow_mode`). */
  overflows?: Record<string, number>;
  overflow_mode?: "saturate" | "wrap";
  verdict: Verdict;
}

/** What the report needs to know about the network beyond the two runs (from its IR). */
export interface FidelityContext {
  /** "POP.var" of every variable a projection's on-pre handler writes (synaptic inputs: PSPs, PSCs). */
  synapticInputs?: ReadonlySet<string>;
  /** "POP.var" of every variable whose update reads synaptic inputs (a PSP a PSC drives), and those inputs. */
  pspInputs?: ReadonlyMap<string, readonly string[]>;
  /** Update period in steps of each population (astrocytes on their own clock). */
  stepEvery?: ReadonlyMap<string, number>;
}

/** Spike times (s) of each neuron of a population. */
function trains(s: PopulationSpikes, n: number, dt: number): Float64Array[] {
  const counts = new Int32Array(n);
  for (let x = 0; x < s.indices.length; x++) counts[s.indices[x]!]!++;
  const out = Array.from(counts, (c) => new Float64Array(c));
  const fill = new Int32Array(n);
  for (let x = 0; x < s.indices.length; x++) {
    const e = s.indices[x]!;
    out[e]![fill[e]!++] = s.steps[x]! * dt; // steps ascend, so each train does too
  }
  return out;
}

export function fidelityReport(
  run: RunResult,
  ref: RunResult,
  opts: { vpQPerMs?: number; vrTauMs?: number } = {},
  context: FidelityContext = {},
): FidelityReport {
  const qms = opts.vpQPerMs ?? DEFAULT_VP_Q_PER_MS,
    taums = opts.vrTauMs ?? DEFAULT_VR_TAU_MS;
  const q = qms * 1e3,
    tau = taums * 1e-3;
  const populations: Record<string, PopulationFidelity> = {};
  let vpSum = 0,
    vrSum = 0,
    count = 0;
  for (const [name, p] of Object.entries(run.populations)) {
    const r = ref.populations[name];
    if (!r) continue;
    const f: PopulationFidelity = {
      n: p.n,
      spikes: p.spikes,
      reference_spikes: r.spikes,
      rate_hz: p.rate_hz,
      reference_rate_hz: r.rate_hz,
      rate_deviation_pct: r.rate_hz > 0 ? ((p.rate_hz - r.rate_hz) / r.rate_hz) * 100 : null,
    };
    const sa = run.spikes[name],
      sb = ref.spikes[name];
    if (sa && sb && p.n > 0) {
      const ta = trains(sa, p.n, run.dt),
        tb = trains(sb, p.n, ref.dt);
      let vp = 0,
        vr = 0;
      const silenced: number[] = [];
      let shift = 0,
        paired = true;
      for (let e = 0; e < p.n; e++) {
        vp += victorPurpura(ta[e]!, tb[e]!, q);
        vr += vanRossum(ta[e]!, tb[e]!, tau);
        if (tb[e]!.length >= SILENCED_MIN_SPIKES && ta[e]!.length === 0) silenced.push(e);
        if (ta[e]!.length !== tb[e]!.length) paired = false;
        else
          for (let k = 0; k < ta[e]!.length; k++) {
            const d = Math.round((ta[e]![k]! - tb[e]![k]!) / run.dt);
            if (Math.abs(d) > Math.abs(shift)) shift = d;
          }
      }
      if (paired && r.spikes > 0) f.max_shift_steps = shift;
      f.silenced = silenced.length;
      f.silenced_neurons = silenced.slice(0, 10);
      f.victor_purpura = vp / p.n;
      f.van_rossum = vr / p.n;
      vpSum += vp;
      vrSum += vr;
      count += p.n;
    }
    populations[name] = f;
  }
  const traces = traceFidelity(run, ref, context);
  const overflows = run.fixedPoint
    ? Object.fromEntries(Object.entries(run.fixedPoint.overflows).filter(([, c]) => c > 0))
    : undefined;
  const decays = run.fixedPoint?.decays?.filter((d) => Math.abs(d.grid_tau_s / d.tau_s - 1) >= DECAY_SHIFT_MIN);
  const base = {
    target: run.target,
    reference: ref.target,
    vp_q_per_ms: qms,
    vr_tau_ms: taums,
    populations,
    victor_purpura: count ? vpSum / count : null,
    van_rossum: count ? vrSum / count : null,
    neurons_compared: count,
    traces,
    reference_traces: ref.traces.length,
    ...(decays?.length ? { decays } : {}),
    ...(overflows ? { overflows, overflow_mode: run.fixedPoint!.overflow } : {}),
  };
  return { ...base, verdict: verdictOf(base, run.fixedPoint) };
}

const pctSigned = (x: number): string => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(2)} %`;
const fmt = (x: number | null | undefined, d: number): string => (x === null || x === undefined ? "-" : x.toFixed(d));

export function fidelityText(f: FidelityReport): string {
  const out = [
    `fidelity: ${f.target} against ${f.reference} (Victor-Purpura q = ${f.vp_q_per_ms}/ms, van Rossum tau = ${f.vr_tau_ms} ms)`,
  ];
  for (const [name, p] of Object.entries(f.populations)) {
    out.push(
      `  ${name.padEnd(12)} spikes ${p.spikes} vs ${p.reference_spikes}  rate ${fmt(p.rate_hz, 3)} vs ${fmt(p.reference_rate_hz, 3)} Hz (${p.rate_deviation_pct === null ? "-" : `${p.rate_deviation_pct >= 0 ? "+" : ""}${p.rate_deviation_pct.toFixed(2)} %`})` +
        (p.victor_purpura !== undefined ? `  VP ${fmt(p.victor_purpura, 3)}  vR ${fmt(p.van_rossum, 3)}` : "") +
        (p.max_shift_steps
          ? `  spikes up to ${Math.abs(p.max_shift_steps)} steps ${p.max_shift_steps < 0 ? "early" : "late"}`
          : ""),
    );
  }
  out.push(
    `  mean over ${f.neurons_compared} recorded neurons: Victor-Purpura ${fmt(f.victor_purpura, 3)}, van Rossum ${fmt(f.van_rossum, 3)}`,
  );
  for (const [name, p] of Object.entries(f.populations))
    if (p.silenced)
      out.push(
        `  SILENCED: ${p.silenced} of ${p.n} neurons of ${name} fire ${SILENCED_MIN_SPIKES}+ times in ${f.reference} and never in ${f.target} (${p.silenced_neurons!.join(", ")}${p.silenced > p.silenced_neurons!.length ? ", ..." : ""})`,
      );
  if (f.traces.length) out.push(...traceLines(f));
  else if (f.reference_traces)
    out.push(
      `  traces: ${f.target} recorded none of the ${f.reference_traces} the reference did (spikes compared only)`,
    );
  for (const d of f.decays ?? [])
    out.push(
      `  TIME CONSTANT: ${d.variable} decays by ${d.grid_decay.toPrecision(6)} per update on the ${d.coef_bits}-bit coefficient grid (float ${d.decay.toPrecision(6)}): tau ${g(d.grid_tau_s * 1e3)} ms against ${g(d.tau_s * 1e3)} ms (${pctSigned(d.grid_tau_s / d.tau_s - 1)}); decay-consistent coefficients keep its resting point, not its speed`,
    );
  if (f.overflows) {
    const what = f.overflow_mode === "wrap" ? "wraps" : "saturations";
    const list = Object.entries(f.overflows);
    out.push(`  ${what}: ${list.length ? list.map(([k, c]) => `${k} ${c}`).join(", ") : "none"}`);
  }
  out.push(verdictText(f.verdict));
  return out.join("\n") + "\n";
}

const g = (x: number): string =>
  x === 0 ? "0" : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(3);

/** The traces table and one line per frozen variable. */
function traceLines(f: FidelityReport): string[] {
  const out = [`  traces (SI units; error = |${f.target} - ${f.reference}| at the recorded steps):`];
  out.push(
    `    ${"variable".padEnd(22)} ${"format".padEnd(10)} ${"max error".padStart(10)} ${"RMS error".padStart(10)} ${"RMS/range".padStart(9)}  amplitude`,
  );
  for (const t of f.traces) {
    const amp =
      t.synaptic_input || t.psp_of
        ? (t.amplitude_ratio == null ? "-" : `${(t.amplitude_ratio * 100).toFixed(1)} %`) + (t.psp_of ? " (PSP)" : "")
        : "";
    out.push(
      `    ${`${t.population}.${t.variable}`.padEnd(22)} ${(t.format ?? "float").padEnd(10)} ${g(t.max_abs_error).padStart(10)} ${g(t.rms_error).padStart(10)} ${(t.rel_rms_error === null ? "-" : `${(t.rel_rms_error * 100).toFixed(2)} %`).padStart(9)}  ${amp}`,
    );
  }
  for (const t of f.traces) {
    const a = t.amplitude_ratio;
    if (a === undefined || a === null || (a >= AMPLITUDE_RANGE[0] && a <= AMPLITUDE_RANGE[1])) continue;
    const what = t.psp_of ? `PSPs (driven by ${t.psp_of.join(", ")})` : "synaptic inputs";
    out.push(
      `  ${a < 1 ? "SHRUNKEN" : "GROWN"}: ${t.population}.${t.variable}: the ${what} add up to ${g(t.deflection!)} against ${g(t.reference_deflection!)} in ${f.reference} per element: ${(a * 100).toFixed(1)} % of the reference's amplitude (median over ${t.elements} element(s)); ${t.events_below} of ${t.events} events below ${AMPLITUDE_RANGE[0] * 100} %`,
    );
    const e = t.smallest_event;
    if (e)
      out.push(
        `    smallest: the event at step ${e.step} (element ${e.element}): ${g(e.amplitude)} against ${g(e.reference_amplitude)} (${((e.amplitude / e.reference_amplitude) * 100).toFixed(1)} %)`,
      );
  }
  for (const t of f.traces) {
    const z = t.frozen;
    if (!z) continue;
    out.push(
      `  FROZEN: ${t.population}.${t.variable}[${z.element}] holds ${g(z.value)} from step ${z.from_step} to ${z.to_step} while ${f.reference} moves ${g(z.reference_change_per_update)} per update (LSB ${g(z.lsb)}) to ${g(z.reference_value)} (${g(Math.abs(z.reference_value - z.value))} off); it needs ${z.frac_bits_needed} fraction bits (has ${z.frac_bits}): a ${z.word_bits_needed}-bit word${t.frozen_elements > 1 ? ` (${t.frozen_elements} elements frozen)` : ""}`,
    );
  }
  return out;
}
