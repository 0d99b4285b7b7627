// Network modulators (third factors) on the fixed-point target. In: the discrete IR's modulators and the chosen
// formats of the group variables; out: one word format per modulator (quantize), and at run time the words
// themselves, evaluated once per step (executor).
//
// Hardware model: a modulator is one scalar per network and step (a global reward, attention or novelty
// signal), so it is computed by the chip's controller (Loihi's embedded management cores, an FPGA's soft core)
// in float64 from what the fixed-point network did in the previous step (rate(POP): its spikes in step k-1 /
// (size dt); mean(POP.var): the mean of the words as reals; earlier modulators: their words), then broadcast to
// the synapse and neuron datapaths as a word of the state width, rounded to nearest (ties to even) and
// saturated (counted as "mod.NAME" overflows). Its format holds the modulator's range: every value it takes
// when it depends on t only (evaluated at every step of the run), else its static interval bound.

import type { IRExpr, IRModulator, IRProgram, Ref } from "../../compiler/ir/nodes.js";
import { evalExpr } from "../network/eval.js";
import { TargetError } from "../target.js";
import { formatForRange, fromFloat, toFloat, type OverflowCounter, type QFormat } from "./qformat.js";
import { intervalOf, isFinite, type Interval } from "./range.js";

export interface FxModulator {
  name: string;
  fmt: QFormat;
  range: Interval;
  /** "enumerated": every value of the run (t-only expressions); "static": interval bound. */
  source: "enumerated" | "static";
  ir: IRModulator;
}

/** True when e reads only t, dt, constants and the modulators in `tOnly`. */
function timeOnly(e: IRExpr, tOnly: ReadonlySet<string>): boolean {
  switch (e.k) {
    case "num":
    case "bool":
      return true;
    case "ref":
      return e.ref.space === "t" || e.ref.space === "dt" || (e.ref.space === "mod" && tOnly.has(e.ref.name));
    case "neg":
    case "not":
      return timeOnly(e.a, tOnly);
    case "bin":
      return timeOnly(e.a, tOnly) && timeOnly(e.b, tOnly);
    case "sel":
      return timeOnly(e.c, tOnly) && timeOnly(e.a, tOnly) && timeOnly(e.b, tOnly);
    case "call":
      return e.args.every((a) => timeOnly(a, tOnly));
  }
}

/** Formats of the program's modulators. `varRange("POP.var")` gives a group variable's range (for mean()).
 *  Errors (a modulator with no finite range) are returned as messages. */
export function modulatorFormats(
  ir: IRProgram,
  bits: number,
  varRange: (key: string) => Interval | undefined,
): { mods: FxModulator[]; errors: string[] } {
  const mods: FxModulator[] = [];
  const errors: string[] = [];
  const tOnly = new Set<string>();
  const ranges = new Map<string, Interval>();
  const steps = ir.steps;
  const sizes = new Map(
    ir.groups.map((g) => [g.name, g.size] as const).concat(ir.sources.map((s) => [s.name, s.size] as const)),
  );
  for (const m of ir.modulators) {
    let range: Interval;
    let source: FxModulator["source"];
    if (timeOnly(m.expr, tOnly)) {
      // evaluate at every step, as the controller will
      const vals = new Map<string, number>();
      let lo = Infinity,
        hi = -Infinity;
      const enumerated = ir.modulators.slice(0, ir.modulators.indexOf(m));
      for (let k = 0; k < steps; k++) {
        const t = k * ir.dt;
        const look = (r: Ref): number | undefined =>
          r.space === "t" ? t : r.space === "dt" ? ir.dt : r.space === "mod" ? vals.get(r.name) : undefined;
        for (const e of enumerated) if (tOnly.has(e.name)) vals.set(e.name, evalExpr(e.expr, look));
        const x = evalExpr(m.expr, look);
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      range = steps > 0 ? { lo, hi } : { lo: 0, hi: 0 };
      source = "enumerated";
      tOnly.add(m.name);
    } else {
      const env = (r: Ref): Interval | undefined => {
        switch (r.space) {
          case "t":
            return { lo: 0, hi: steps * ir.dt };
          case "dt":
            return { lo: ir.dt, hi: ir.dt };
          case "mod":
            return ranges.get(r.name);
          case "poprate":
            return sizes.has(r.name) ? { lo: 0, hi: 1 / ir.dt } : undefined;
          case "popmean":
            return varRange(r.name);
          default:
            return undefined;
        }
      };
      range = intervalOf(m.expr, env);
      source = "static";
    }
    if (!isFinite(range) || Number.isNaN(range.lo) || Number.isNaN(range.hi)) {
      errors.push(
        `modulator ${m.name} has no finite range (t, rate(POP) in [0, 1/dt] and mean(POP.var) within the variable's format)`,
      );
      continue;
    }
    ranges.set(m.name, range);
    mods.push({
      name: m.name,
      fmt: formatForRange(Math.min(range.lo, 0), Math.max(range.hi, 0), bits),
      range,
      source,
      ir: m,
    });
  }
  return { mods, errors };
}

/** What the controller reads from the fixed-point network at the start of step k. */
export interface ModulatorInputs {
  /** Spikes of population POP in step k - 1 (0 in step 0). */
  spikesLastStep(pop: string): number | undefined;
  size(pop: string): number | undefined;
  /** Mean over the elements of POP.var as reals. */
  mean(key: string): number | undefined;
}

/** The mean of a group variable's words as reals (what the controller reads for mean(POP.var)): per-element
 *  words `arr` (else the scalar word `scalar`) of format `fmt`, summed in element order. Shared by the
 *  executor and the cycle-accurate emulator so both sum in the same order. */
export function meanOfWords(arr: ArrayLike<number> | undefined, scalar: number, fmt: QFormat, size: number): number {
  let sum = 0;
  for (let e = 0; e < size; e++) sum += toFloat(arr ? arr[e]! : scalar, fmt);
  return sum / size;
}

/** Evaluates every modulator for step k into `words` (raw, in each modulator's format). */
export function stepModulators(
  mods: readonly FxModulator[],
  k: number,
  dt: number,
  words: Float64Array,
  inputs: ModulatorInputs,
  counters: OverflowCounter[],
): void {
  const real = new Map<string, number>();
  const t = k * dt;
  const look = (r: Ref): number | undefined => {
    switch (r.space) {
      case "t":
        return t;
      case "dt":
        return dt;
      case "mod":
        return real.get(r.name);
      case "poprate": {
        const n = inputs.spikesLastStep(r.name),
          size = inputs.size(r.name);
        return n === undefined || !size ? undefined : n / (size * dt);
      }
      case "popmean":
        return inputs.mean(r.name);
      default:
        return undefined;
    }
  };
  for (let i = 0; i < mods.length; i++) {
    const m = mods[i]!;
    let x: number;
    try {
      x = evalExpr(m.ir.expr, look);
    } catch (err) {
      if (err instanceof TargetError) throw new TargetError(`modulator ${m.name}: ${err.message}`);
      throw err;
    }
    const raw = fromFloat(x, m.fmt, "nearest-even", "saturate", undefined, counters[i]);
    words[i] = raw;
    // later modulators read this one as broadcast (its word)
    real.set(m.name, raw * 2 ** -m.fmt.fracBits);
  }
}
