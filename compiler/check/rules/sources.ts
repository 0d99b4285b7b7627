// Rule: input sources (`input S = poisson(rate)[n]`, spike_times, csv_spikes) and current stimuli
// (`current I of POP = steps(times, values)`, csv_current): known generators (E0213), arguments
// (E0208-E0210), dimensions, the stimulated variable is an input of the model (E0207), data files.

import { replaceCall, timedArrayCalls, timedValues } from "../../syntax/timed-expr.js";
import type { Arg, Expr } from "../../syntax/ast.js";
import { DIM, closest, dimEq, formatDim, type Dim } from "../../units/units.js";
import { constValue } from "../const-value.js";
import { asNumber } from "../dims.js";
import type { NetContext } from "../context.js";
import type { NetEnv } from "../net-env.js";
import { ModelEnv } from "../model-env.js";
import { Diagnostics } from "../../diagnostics/diagnostic.js";
import { matchArgs, type ArgSpec } from "./args.js";
import { resolvePopRef } from "./poprefs.js";
import { checkDataFile } from "./data-files.js";
import { indexList } from "./connect.js";
import { checkDataColumn } from "./data-column.js";
import { POISSON_COUNT_MAX } from "../../builtins/poisson-count.js";

export const INPUT_GENERATORS: Record<string, ArgSpec[]> = {
  poisson: [{ name: "rate", required: true }],
  poisson_count: [{ name: "rate", required: true }],
  spike_times: [
    { name: "times", required: true },
    { name: "indices", required: true },
  ],
  csv_spikes: [{ name: "file", required: true }],
  periodic: [
    { name: "period", required: true },
    { name: "phase", required: false },
  ],
};

/** timed_array(values = [...], step = ...): a Poisson rate or a current stimulus by time (Brian2's TimedArray). */
export const TIMED_ARRAY: ArgSpec[] = [
  { name: "values", required: true },
  { name: "step", required: true }, // `dt` is a reserved word
];

export const CURRENT_GENERATORS: Record<string, ArgSpec[]> = {
  steps: [
    { name: "times", required: true },
    { name: "values", required: true },
  ],
  csv_current: [{ name: "file", required: true }],
  timed_array: TIMED_ARRAY,
};

function unknownGenerator(
  name: string,
  span: Expr["span"],
  table: Record<string, ArgSpec[]>,
  what: string,
  env: NetEnv,
): void {
  const near = closest(name, Object.keys(table));
  env.diags.error("E0213", span, `unknown ${what} \`${name}\``, {
    hint: near ? `did you mean \`${near}\`?` : `${what}s: ${Object.keys(table).join(", ")}`,
  });
}

/** Every element of a list argument has dimension `want` (E0301); returns the list length. */
function dimList(a: Arg | undefined, want: Dim | undefined, what: string, env: NetEnv): number | undefined {
  if (!a) return undefined;
  if (a.value.kind !== "List") {
    env.diags.error("E0306", a.value.span, `${what} must be a list: [1 ms, 2 ms]`);
    return undefined;
  }
  for (const x of a.value.items) {
    const ty = asNumber(env.infer(x), x.span, env);
    if (ty.t === "num" && ty.dim && want && !dimEq(ty.dim, want)) {
      env.diags.error(
        dimEq(want, DIM.time) ? "E0309" : "E0301",
        x.span,
        `${what} must be in ${formatDim(want)}, but this is ${formatDim(ty.dim)}`,
      );
      return undefined;
    }
  }
  return a.value.items.length;
}

export function checkSources(net: NetContext, env: NetEnv): void {
  for (const item of net.network.items) {
    if (item.kind === "Input") {
      const spec = INPUT_GENERATORS[item.generator];
      if (!spec) {
        unknownGenerator(item.generator, item.generatorSpan, INPUT_GENERATORS, "input generator", env);
        continue;
      }
      const args = matchArgs(item.generator, item.generatorSpan, item.args, spec, env.diags);
      const size = net.pops.get(item.name)?.size;
      if (item.generator === "poisson") {
        const rate = args.get("rate");
        if (!rate) continue;
        const r = rate.value;
        if (timedArrayCalls(r).length > 0 && !(r.kind === "Call" && r.callee === "timed_array")) {
          const values = checkTimedExpr(r, DIM.frequency, "a Poisson rate", env);
          const top = values && Math.max(...values);
          if (top !== undefined) poissonCap(top, r.span, net.dt, env);
          if (values?.some((x) => x < 0)) env.diags.error("E0301", r.span, "a Poisson rate cannot be negative");
          continue;
        }
        if (r.kind === "Call" && r.callee === "timed_array") {
          const values = checkTimedArray(r.callee, r.span, r.args, DIM.frequency, "rates", env);
          const top = values && Math.max(...values);
          if (top !== undefined) poissonCap(top, r.span, net.dt, env);
          if (values?.some((x) => x < 0)) env.diags.error("E0301", r.span, "a Poisson rate cannot be negative");
          continue;
        }
        const ty = asNumber(env.infer(rate.value, { distributions: true, element: true }), rate.value.span, env);
        if (ty.t === "num" && ty.dim && !dimEq(ty.dim, DIM.frequency)) {
          env.diags.error("E0301", rate.value.span, `a Poisson rate must be in Hz, but this is ${formatDim(ty.dim)}`, {
            hint: "write e.g. `rate = 10 Hz`",
          });
        } else if ((constValue(rate.value) ?? 0) < 0)
          env.diags.error("E0301", rate.value.span, "a Poisson rate cannot be negative");
        else checkPoissonCap(rate.value, net.dt, env);
      } else if (item.generator === "poisson_count") {
        const rate = args.get("rate");
        if (rate) checkCountRate(rate.value, net.dt, env);
      } else if (item.generator === "periodic") {
        const period = args.get("period");
        const phase = args.get("phase");
        const pv = period && constTime(period.value, "a period", env);
        const ph = phase && constTime(phase.value, "a phase", env);
        if (period && pv !== undefined && !(pv >= net.dt))
          env.diags.error(
            "E0528",
            period.value.span,
            `a period of ${pv * 1e3} ms is shorter than the step (${net.dt * 1e3} ms)`,
            {
              hint: "an element spikes at most once per step: use a period of at least dt",
            },
          );
        if (phase && ph !== undefined && ph < 0)
          env.diags.error("E0309", phase.value.span, "a phase cannot be negative");
      } else if (item.generator === "spike_times") {
        const n = dimList(args.get("times"), DIM.time, "spike times", env);
        const m = indexList(args.get("indices"), size, "indices", env);
        if (n !== undefined && m !== undefined && n !== m)
          env.diags.error("E0208", item.generatorSpan, `spike_times: ${n} times but ${m} indices`);
      } else {
        const file = args.get("file");
        if (file) checkDataFile("csv_spikes", file.value, net.ctx.data, { size }, env.diags);
      }
    } else if (item.kind === "Current") {
      const ref = resolvePopRef(item.target, net, env, { sources: false, role: "stimulated by a current" });
      let want: Dim | undefined;
      const model = ref?.pop.model;
      if (model) {
        const syms = net.ctx.info.symbols.get(model);
        const sym = syms?.byName.get(item.variable);
        if (!syms || !sym || sym.kind !== "input") {
          const inputs = model.inputs.map((d) => d.name);
          const near = closest(item.variable, inputs);
          env.diags.error(
            "E0207",
            item.variableSpan,
            sym
              ? `\`${item.variable}\` is a ${sym.kind} of ${model.name}; a current adds into an input`
              : `${model.name} has no input \`${item.variable}\``,
            {
              hint: near ? `did you mean \`${near}\`?` : `inputs of ${model.name}: ${inputs.join(", ") || "(none)"}`,
            },
          );
        } else {
          const ty = new ModelEnv(syms, new Diagnostics(), net.ctx.info).symbolTy(sym);
          want = ty.t === "num" ? ty.dim : undefined;
        }
      }
      if (item.value) {
        checkTimedExpr(item.value, want, `a current into ${item.variable}`, env);
        continue;
      }
      const spec = CURRENT_GENERATORS[item.generator];
      if (!spec) {
        unknownGenerator(item.generator, item.generatorSpan, CURRENT_GENERATORS, "current generator", env);
        continue;
      }
      const args = matchArgs(item.generator, item.generatorSpan, item.args, spec, env.diags);
      if (item.generator === "timed_array") {
        checkTimedArray(item.generator, item.generatorSpan, item.args, want, `values for ${item.variable}`, env);
      } else if (item.generator === "steps") {
        const n = dimList(args.get("times"), DIM.time, "step times", env);
        const m = dimList(args.get("values"), want, `values for ${item.variable}`, env);
        if (n !== undefined && m !== undefined && n !== m)
          env.diags.error("E0208", item.generatorSpan, `steps: ${n} times but ${m} values`);
      } else {
        const file = args.get("file");
        if (file) checkDataFile("csv_current", file.value, net.ctx.data, {}, env.diags);
      }
    }
  }
}

/**
 * A Poisson element spikes at most once per step (probability rate * dt), so a rate above 1/dt would be
 * capped: E0527 for a constant rate, or for the upper end of a uniform(lo, hi) one (a drawn or
 * index-dependent rate above 1/dt is refused by the targets, targets/network/sources.ts).
 */
function checkPoissonCap(rate: Expr, dt: number, env: NetEnv): void {
  const upper =
    constValue(rate) ??
    (rate.kind === "Call" && rate.callee === "uniform" && rate.args[1] ? constValue(rate.args[1].value) : undefined);
  if (upper !== undefined) poissonCap(upper, rate.span, dt, env);
}

function poissonCap(upper: number, span: Expr["span"], dt: number, env: NetEnv): void {
  if (!(upper * dt > 1)) return;
  env.diags.error(
    "E0527",
    span,
    `a Poisson rate of ${upper} Hz gives ${(upper * dt).toPrecision(3)} spikes per step of ${dt * 1e3} ms, but an element spikes at most once per step`,
    {
      hint: `split the rate over more elements (e.g. k times as many at rate / k) or use a dt below ${(1e3 / upper).toPrecision(3)} ms`,
    },
  );
}

/**
 * A poisson_count rate (targets/network/sources.ts draws the counts): in Hz (E0301), not negative, a constant or
 * per-element value (a timed array is E0532), and at most POISSON_COUNT_MAX events per step on average (E0531;
 * a drawn or index-dependent rate above it is refused by the targets).
 */
function checkCountRate(r: Expr, dt: number, env: NetEnv): void {
  if (timedArrayCalls(r).length > 0) {
    env.diags.error("E0532", r.span, "a poisson_count rate cannot be a timed array", {
      hint: "use `poisson(rate = timed_array(...))[n]` (at most one spike per element and step)",
    });
    return;
  }
  const ty = asNumber(env.infer(r, { distributions: true, element: true }), r.span, env);
  if (ty.t === "num" && ty.dim && !dimEq(ty.dim, DIM.frequency)) {
    env.diags.error("E0301", r.span, `a Poisson rate must be in Hz, but this is ${formatDim(ty.dim)}`, {
      hint: "write e.g. `rate = 10 kHz`",
    });
    return;
  }
  if ((constValue(r) ?? 0) < 0) {
    env.diags.error("E0301", r.span, "a Poisson rate cannot be negative");
    return;
  }
  const upper =
    constValue(r) ??
    (r.kind === "Call" && r.callee === "uniform" && r.args[1] ? constValue(r.args[1].value) : undefined);
  if (upper !== undefined && upper * dt > POISSON_COUNT_MAX)
    env.diags.error(
      "E0531",
      r.span,
      `a poisson_count rate of ${upper} Hz gives ${(upper * dt).toPrecision(3)} events per step of ${dt * 1e3} ms on average, above the limit of ${POISSON_COUNT_MAX}`,
      {
        hint: `split the rate over more elements or use a dt below ${((1e3 * POISSON_COUNT_MAX) / upper).toPrecision(3)} ms`,
      },
    );
}

/** A constant time (E0309 otherwise); its value in seconds. */
function constTime(e: Expr, what: string, env: NetEnv): number | undefined {
  const ty = asNumber(env.infer(e), e.span, env);
  if (ty.t !== "num") return undefined;
  if (ty.dim && !dimEq(ty.dim, DIM.time)) {
    env.diags.error("E0309", e.span, `${what} must be a time, but this is ${formatDim(ty.dim)}`);
    return undefined;
  }
  const v = constValue(e);
  if (v === undefined) env.diags.error("E0309", e.span, `${what} must be a constant time`);
  return v;
}

/**
 * timed_array(values = [...], step = ...): values a non-empty list in `want`'s dimension, dt a positive constant
 * time (E0309). Returns the values in SI when they are all constant.
 */
function checkTimedArray(
  callee: string,
  span: Expr["span"],
  args: readonly Arg[],
  want: Dim | undefined,
  what: string,
  env: NetEnv,
): number[] | undefined {
  const got = matchArgs(callee, span, args, TIMED_ARRAY, env.diags);
  const values = got.get("values");
  const dt = got.get("step");
  const step = dt && constTime(dt.value, "the step of a timed array", env);
  if (dt && step !== undefined && !(step > 0))
    env.diags.error("E0309", dt.value.span, "the step of a timed array must be positive");
  const v = values?.value;
  if (v?.kind === "Call" && v.callee === "csv_column") {
    // values from a data-file column, as many rows as the file has, in the header's unit
    const ty = checkDataColumn(v, undefined, env);
    if (ty.t === "num" && ty.dim && want && !dimEq(ty.dim, want))
      env.diags.error(
        "E0301",
        v.span,
        `${what} must be in ${formatDim(want)}, but the column is in ${formatDim(ty.dim)}`,
      );
    return undefined;
  }
  const n = dimList(values, want, what, env);
  if (values && n === 0) env.diags.error("E0208", values.value.span, "timed_array needs at least one value");
  if (!values || values.value.kind !== "List" || !n) return undefined;
  const xs = values.value.items.map((x) => constValue(x));
  return xs.every((x) => x !== undefined) ? (xs as number[]) : undefined;
}

/**
 * An expression of one timed_array (`2 * timed_array([...], 10 ms) + 5 Hz`): one call (E0204 for none or more),
 * its values a list (E0204 for a data column here), the expression constant apart from it (E0204) and in `want`'s
 * dimension (E0301). Returns the expression's value at each of the array's values, in SI.
 */
function checkTimedExpr(e: Expr, want: Dim | undefined, what: string, env: NetEnv): number[] | undefined {
  const calls = timedArrayCalls(e);
  const hint = "write one timed_array inside constants, e.g. `2 * timed_array([1 pA, 3 pA], 10 ms) + 5 pA`";
  if (calls.length !== 1) {
    const at = calls[1]?.calleeSpan ?? e.span;
    env.diags.error("E0204", at, `${what} takes a generator call or an expression of exactly one timed_array`, {
      hint,
    });
    return undefined;
  }
  const call = calls[0]!;
  const list = timedValues(call);
  if (list?.kind !== "List") {
    env.diags.error("E0204", call.calleeSpan, "a timed_array inside an expression takes a list of values", { hint });
    return undefined;
  }
  if (checkTimedArray(call.callee, call.span, call.args, undefined, "the timed array's values", env) === undefined)
    return undefined;
  const at = (m: number) => replaceCall(e, call, list.items[m]!);
  const ty = asNumber(env.infer(at(0)), e.span, env);
  if (ty.t !== "num") return undefined;
  if (ty.dim && want && !dimEq(ty.dim, want)) {
    env.diags.error("E0301", e.span, `${what} must be in ${formatDim(want)}, but this is ${formatDim(ty.dim)}`);
    return undefined;
  }
  const values = list.items.map((_, m) => constValue(at(m)));
  if (values.some((v) => v === undefined || !Number.isFinite(v))) {
    env.diags.error("E0204", e.span, `${what}: apart from the timed array, the expression must be constant`, {
      hint,
    });
    return undefined;
  }
  return values as number[];
}
