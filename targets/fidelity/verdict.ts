// The fidelity verdict: pass or fail, and every reason, from a fidelity report's numbers. In: the report's
// populations, traces and overflow counts (and the run's fixed-point words); out: a Verdict and its one-line
// rendering. The tolerances live here, and only here:
// - a spike-monitored neuron that fires in the reference (report.ts SILENCED_MIN_SPIKES times) and never in the
//   run (silenced) fails;
// - a population's rate off by more than RATE_TOLERANCE_PCT (when the reference has >= MIN_SPIKES spikes) fails;
// - a recorded variable whose RMS error exceeds TRACE_TOLERANCE of the reference's range fails;
// - a synaptic input whose PSP/PSC amplitude ratio lies outside AMPLITUDE_RANGE fails;
// - frozen state (targets/fidelity/traces.ts) fails, and so does any saturation or wrap.

import type { FixedPointInfo } from "../target.js";
import type { FidelityReport } from "./report.js";

export const RATE_TOLERANCE_PCT = 10;
export const MIN_SPIKES = 10;
export const TRACE_TOLERANCE = 0.1;
export const AMPLITUDE_RANGE: readonly [number, number] = [0.8, 1.25];
/** A decay whose time constant the coefficient grid moves by this fraction or more is named as a cause. */
export const DECAY_CAUSE_MIN = 2.5e-3;

export interface Verdict {
  pass: boolean;
  failures: string[];
  /** State word width the frozen variables would need (fixed-point runs with frozen state). */
  state_bits_needed?: number;
  /** Word widths a re-run found to pass (set by the caller that tried them), or why none did. */
  suggestion?: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export function verdictOf(f: Omit<FidelityReport, "verdict">, words?: FixedPointInfo): Verdict {
  const failures: string[] = [];
  for (const [name, p] of Object.entries(f.populations)) {
    if (p.silenced) failures.push(`${p.silenced} silenced neuron(s) in ${name}`);
    if (p.reference_spikes >= MIN_SPIKES && Math.abs(p.rate_deviation_pct ?? 0) > RATE_TOLERANCE_PCT)
      failures.push(`${name} rate ${p.rate_deviation_pct! >= 0 ? "+" : ""}${p.rate_deviation_pct!.toFixed(1)} %`);
  }
  let bits = 0;
  for (const t of f.traces) {
    const key = `${t.population}.${t.variable}`;
    if (t.frozen) {
      failures.push(`${key} frozen`);
      bits = Math.max(bits, t.frozen.word_bits_needed);
    }
    const a = t.amplitude_ratio;
    if (a !== undefined && a !== null && (a < AMPLITUDE_RANGE[0] || a > AMPLITUDE_RANGE[1]))
      failures.push(`${key} ${t.psp_of ? "PSP " : ""}amplitude ${pct(a)} of the reference`);
    if (t.rel_rms_error !== null && t.rel_rms_error > TRACE_TOLERANCE)
      failures.push(`${key} RMS error ${pct(t.rel_rms_error)} of its range${timingCause(f, t.population, t.variable)}`);
  }
  for (const [k, c] of Object.entries(f.overflows ?? {}))
    failures.push(`${k} ${c} ${f.overflow_mode === "wrap" ? "wrap(s)" : "saturation(s)"}`);
  return {
    pass: failures.length === 0,
    failures,
    ...(bits && words && bits > words.stateBits ? { state_bits_needed: bits } : {}),
  };
}

/** Why a population's traces may be off: decays of its variables the coefficient grid moved, and how far that
 *  shifted its spikes (" (...)" or ""). */
function timingCause(f: Omit<FidelityReport, "verdict">, population: string, variable: string): string {
  const shift = f.populations[population]?.max_shift_steps;
  // named when the time constant moves by DECAY_CAUSE_MIN or more, and it is this variable's or the
  // population's spikes drift
  const ds = (f.decays ?? []).filter(
    (d) =>
      Math.abs(d.grid_tau_s / d.tau_s - 1) >= DECAY_CAUSE_MIN &&
      (d.variable === `${population}.${variable}` || (shift && d.variable.startsWith(`${population}.`))),
  );
  if (!ds.length) return "";
  const taus = ds
    .map(
      (d) =>
        `${d.variable} tau ${(d.grid_tau_s * 1e3).toPrecision(4)} ms for ${(d.tau_s * 1e3).toPrecision(4)} ms on the ${d.coef_bits}-bit decay grid`,
    )
    .join(", ");
  return ` (${taus}${shift ? `: its spikes drift up to ${Math.abs(shift)} steps ${shift < 0 ? "early" : "late"}, and the traces with them` : ""})`;
}

export function verdictText(v: Verdict): string {
  const tol = `rates within ${RATE_TOLERANCE_PCT} %, trace RMS within ${TRACE_TOLERANCE * 100} % of range, PSP amplitude ${AMPLITUDE_RANGE[0] * 100}-${AMPLITUDE_RANGE[1] * 100} %, no silenced neurons, frozen state or overflows`;
  const lines = [v.pass ? `verdict: PASS (${tol})` : `verdict: FAIL: ${v.failures.join("; ")} (pass: ${tol})`];
  if (v.state_bits_needed) lines.push(`  frozen state needs ${v.state_bits_needed}-bit state words`);
  if (v.suggestion) lines.push(`  ${v.suggestion}`);
  return lines.join("\n");
}
