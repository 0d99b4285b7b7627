// The quantize pass: discrete float IR to fixed-point IR. In: an IRProgram (discrete form), a FixedSpec and
// options; out: a FixedProgram (formats per variable, integer statements), a quantization report per
// variable, and diagnostics for constructs with no fixed-point form.
//
// A variable's range is its static bound (range.ts) when that is finite, else the range seen in a profiling
// run on the reference target (plus spec.headroomBits integer bits, warning W1005), joined with its initial
// values; its format is the spec's word width with the most fraction bits that holds the range.

import { NOISE_BOUND } from "../network/noise.js";
import { decayConsistent } from "./decay-consistent.js";
import { astroHandlerIR, inlineExposeStmts } from "./astro.js";
import type { IRExpr, IRGroup, IRProgram, IRProjection, Ref } from "../../compiler/ir/nodes.js";
import type { Diagnostic, Related } from "../../compiler/diagnostics/diagnostic.js";
import { Diagnostics } from "../../compiler/diagnostics/diagnostic.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import { networkSpan } from "../../compiler/ir/spans.js";
import { buildConnectivity } from "../network/connectivity.js";
import { initGroup, initSynapses } from "../network/init.js";
import { TargetError } from "../target.js";
import type { FixedProgram, FixedSpec, FxGroup, FxProjection, FxVar } from "./ir.js";
import { modulatorFormats } from "./modulators.js";
import { profileTable } from "./profile-table.js";
import { EXP_MAX_ARG, LowerError, lowerBool, lowerStmts, type ApproxReport, type LowerCtx } from "./lower.js";
import {
  externallyWritten,
  traceBound,
  hull,
  profileLength,
  initialRanges,
  intervalOf,
  isFinite,
  point,
  profileRun,
  staticGroupRanges,
  type Interval,
  type Narrow,
  type Profile,
} from "./range.js";
import { withHeadroom } from "./subexpr-profile.js";
import { astroOwner, handlerKey, synapseOwner } from "./handler-profile.js";
import {
  checkFormat,
  formatForRange,
  formatName,
  fromFloat,
  rawMax,
  rawMin,
  roundFloat,
  toFloat,
  ulp,
  type QFormat,
} from "./qformat.js";

/** A static bound that costs more fraction bits than this against the profiled range (with headroom) is
 *  replaced by the profiled range. */
export const LOOSE_STATIC_BITS = 4;

export interface QuantizeOptions {
  spec: FixedSpec;
  /** Steps of the profiling run (default: range.ts profileLength: the whole run when affordable, else enough
   *  for the slowest time scale); 0 disables profiling. */
  profileSteps?: number;
  /** Formats fixed by the caller, keyed "POP.var" or "PROJ.var". */
  formats?: Record<string, QFormat>;
}

export interface VarReport {
  owner: string;
  variable: string;
  format: string;
  source: FxVar["source"];
  ulp: number;
  staticRange: Interval | null;
  profiledRange: Interval | null;
  /** Max |x - q(x)| over the profiled values (q: the spec's rounding into the format, saturating). */
  maxAbsError: number | null;
  /** Profiled values outside the format's range. */
  saturations: number | null;
}

export interface QuantizeResult {
  program?: FixedProgram;
  report: VarReport[];
  diagnostics: Diagnostic[];
  /** Table approximations (sigmoid, tanh, exp, event-driven decay) with their max abs error vs float. */
  approximations: ApproxReport[];
}

/** Where a diagnostic about variable `name` of group/projection `owner` points: its declaration, else the
 *  population or connect statement, else the network. */
function varSpan(p: IRProgram, owner: string, name: string): Span {
  const o = p.groups.find((g) => g.name === owner) ?? p.projections.find((x) => x.name === owner);
  if (!o) return networkSpan(p);
  const vars = "inputs" in o ? [...o.params, ...o.state, ...o.inputs] : [...o.params, ...o.state];
  return vars.find((v) => v.name === name)?.span ?? o.span ?? networkSpan(p);
}

/** The refusal of an expression with no fixed-point form: the hint every such diagnostic carries. */
const LOWER_HINT =
  "rewrite the expression with operations the fixed-point targets lower, or run this network on a float target (--target reference or wasm)";

/** A fixed-point refusal: message, and where (default: the network declaration), with related spans. */
type Fail = (msg: string, at?: Span, hint?: string, related?: Related[]) => void;

/** The alias of group `g` whose declaration holds `at` (the expression a refusal points at came from it). */
function aliasAt(g: IRGroup, at: Span | undefined): { name: string; span: Span } | undefined {
  if (!at) return undefined;
  return g.aliasSpans?.find((a) => a.span.file === at.file && a.span.start <= at.start && at.end <= a.span.end);
}

export function quantize(ir0: IRProgram, opts: QuantizeOptions): QuantizeResult {
  const d = new Diagnostics();
  const spec = opts.spec;
  // decays on the coefficient grid with the other terms rescaled, so fixed points and gains survive
  const ir = decayConsistent(ir0, spec);
  const fail: Fail = (msg, at, hint, related) => d.error("E0802", at ?? networkSpan(ir), msg, { hint, related });
  checkQuantizeInputs(ir, opts, fail);
  if (d.hasErrors) return { report: [], diagnostics: d.items, approximations: [] };

  const report: VarReport[] = [];
  const approximations: ApproxReport[] = [];
  const choose = formatChooser(ir, opts, d, fail, report);
  const narrow = profiledNarrow((e) => choose.needProfile()?.subexpressions.get(e), spec);
  // a handler's nodes by key (handler-profile.ts): the lowering rewrites them (astro.X, inlined exposes)
  const handlerNarrow = (owner: string): Narrow =>
    profiledNarrow((e) => choose.needProfile()?.handlerSubexpressions.get(handlerKey(owner, e)), spec);
  const groupVars = groupFormats(ir, spec, choose);
  if (d.hasErrors) return { report, diagnostics: profileTable(d.items, report), approximations };
  const mods = modulatorWords(ir, opts, groupVars, fail);
  const modFmt = new Map(mods.map((m) => [m.name, m.fmt] as const));

  // ---- lowering
  const groups: FxGroup[] = [];
  for (const g of ir.groups) {
    const fx = lowerGroup(
      g,
      groupVars.get(g.name)!,
      modFmt,
      spec,
      ir.dt,
      (m, at, hint, related) => fail(m, at ?? g.span, hint, related),
      approximations,
      narrow,
    );
    if (fx) groups.push(fx);
  }
  const projections: FxProjection[] = [];
  for (const p of ir.projections) {
    const fx = lowerProjection(
      ir,
      p,
      groupVars,
      modFmt,
      spec,
      choose,
      (m, at, hint) => fail(m, at ?? p.span, hint),
      approximations,
      handlerNarrow,
    );
    if (fx) projections.push(fx);
  }
  const currents = ir.currents.map(
    (c) => groupVars.get(c.target.population)?.get(c.variable)?.fmt ?? formatForRange(-1, 1, spec.stateBits),
  );
  if (d.hasErrors) return { report, diagnostics: profileTable(d.items, report), approximations };
  return {
    program: { spec, groups, projections, currents, modulators: mods, ir },
    report,
    diagnostics: profileTable(d.items, report),
    approximations,
  };
}

/** Refusals before any range work: word widths outside 2..32, ODEs left unsolved, malformed given formats. */
function checkQuantizeInputs(ir: IRProgram, opts: QuantizeOptions, fail: Fail): void {
  const spec = opts.spec;
  for (const [name, bits] of [
    ["stateBits", spec.stateBits],
    ["weightBits", spec.weightBits],
    ["coefBits", spec.coefBits],
    ["accBits", spec.accBits],
  ] as const) {
    if (!Number.isInteger(bits) || bits < 2 || bits > 32)
      fail(
        `fixed-point spec ${spec.name}: ${name} = ${bits} is outside 2..32`,
        undefined,
        "word widths are whole bits from 2 to 32",
      );
  }
  for (const g of ir.groups) {
    if (g.odes.length)
      fail(
        `${g.name} still has ODEs: quantize runs on the discrete IR`,
        g.span,
        "run the solve-odes pass first (compile() runs every pass)",
      );
  }
  for (const [k, f] of Object.entries(opts.formats ?? {})) {
    const bad = checkFormat(f);
    if (bad)
      fail(
        `format given for ${k}: ${bad}`,
        varSpan(ir, k.slice(0, k.indexOf(".")), k.slice(k.indexOf(".") + 1)),
        "a format is a signed or unsigned Q(int, frac) of 2 to 32 bits",
      );
  }
}

/** The shared state of format choices: the spec, given formats and the profiling run (run lazily, once). */
interface ChooseEnv {
  ir: IRProgram;
  spec: FixedSpec;
  formats: Record<string, QFormat> | undefined;
  profileSteps: number;
  d: Diagnostics;
  fail: Fail;
  /** Runs the profiling run on first call (when profileSteps > 0) and returns its profile. */
  needProfile: () => Profile | undefined;
}

/** The format chooser every variable goes through: picks a format (formatFor) and appends the variable's
 *  report row (with its quantization error over the profiled samples, when a profiling run has been made). */
function formatChooser(
  ir: IRProgram,
  opts: QuantizeOptions,
  d: Diagnostics,
  fail: Fail,
  report: VarReport[],
): Choose & { needProfile: () => Profile | undefined } {
  const profileSteps = opts.profileSteps ?? profileLength(ir);
  let profile: Profile | undefined;
  let profiled = false;
  const env: ChooseEnv = {
    ir,
    spec: opts.spec,
    formats: opts.formats,
    profileSteps,
    d,
    fail,
    needProfile: () => {
      if (!profiled && profileSteps > 0) {
        profiled = true;
        const r = profileRun(ir, profileSteps);
        d.addAll(r.diagnostics);
        profile = r.profile;
      }
      return profile;
    },
  };
  const choose: Choose = (owner, name, space, init, stat, bits) => {
    const chosen = formatFor(env, owner, name, space, init, stat, bits);
    if (!chosen) return null;
    const { v, prof } = chosen;
    const samples = profile?.samples.get(`${owner}.${name}`);
    const err = samples && space !== "param" ? quantizationError(samples, v.fmt, opts.spec) : null;
    report.push({
      owner,
      variable: name,
      format: formatName(v.fmt),
      source: v.source,
      ulp: ulp(v.fmt),
      staticRange: stat,
      profiledRange: prof,
      maxAbsError: err ? err.maxAbsError : null,
      saturations: err ? err.saturations : null,
    });
    return v;
  };
  return Object.assign(choose, { needProfile: env.needProfile });
}

/** The lowering's narrowing of divisors, quotients and transcendental arguments (range.ts Narrow): the
 *  subexpression's profiled range with the spec's headroom (subexpr-profile.ts), intersected with the interval
 *  analysis, where that analysis alone gives no fixed-point form (unbounded; a divisor's range holding 0 that the
 *  profile excludes; exp of more than EXP_MAX_ARG; log, sqrt or a real power of a range reaching 0 or below), or
 *  it is loose (LOOSE_STATIC_BITS, as for variables; exp by its result; not sigmoid, tanh, log). Elsewhere the sound interval
 *  stands. The profiling run is made on first use; without one (profileSteps 0) nothing narrows. */

function profiledNarrow(profiled: (e: IRExpr) => Interval | undefined, spec: FixedSpec): Narrow {
  const cache = new Map<IRExpr, Interval | null>();
  return (e, I, role) => {
    let p = cache.get(e);
    if (p === undefined) {
      const r = profiled(e);
      p = r ? withHeadroom(r, spec.headroomBits) : null;
      cache.set(e, p);
    }
    if (!p) return I;
    const lo = Math.max(I.lo, p.lo),
      hi = Math.min(I.hi, p.hi);
    if (!(lo <= hi)) return I;
    const needed =
      !isFinite(I) ||
      (role === "divisor" && I.lo <= 0 && I.hi >= 0 && (lo > 0 || hi < 0)) ||
      (role === "exp" && I.hi > EXP_MAX_ARG) ||
      ((role === "log" || role === "sqrt" || role === "pow") && I.lo <= 0 && lo > 0) ||
      // loose: costs fraction bits of a division, or of exp's result (it grows as e^hi); sigmoid and tanh tables
      // have bounded results and declared ranges of their own, so a wider argument only spreads their segments;
      // log's table covers every positive word (exponent and mantissa), so a narrower argument would only give its
      // result fraction bits its table words cannot hold (a constant profile of max(y, 1): 39 of them)
      (role === "exp"
        ? Math.log2(Math.exp(I.hi - hi)) > LOOSE_STATIC_BITS
        : role !== "sigmoid" &&
          role !== "tanh" &&
          role !== "log" &&
          formatForRange(lo, hi, spec.accBits).fracBits - formatForRange(I.lo, I.hi, spec.accBits).fracBits >
            LOOSE_STATIC_BITS);
    return needed ? { lo, hi } : I;
  };
}

/** One variable's format: given, from its constant values, its static bound (or the profiled range when the
 *  bound is loose, W1005), else the profiled range with headroom (W1005); with the profiled range it saw. */
function formatFor(
  env: ChooseEnv,
  owner: string,
  name: string,
  space: FxVar["space"],
  init: Interval,
  stat: Interval | null,
  bits: number,
): { v: FxVar; prof: Interval | null } | null {
  const { ir, spec, profileSteps, d, needProfile } = env;
  const key = `${owner}.${name}`;
  const given = env.formats?.[key];
  let prof: Interval | null = null;
  let v: FxVar;
  if (given) {
    const lo = toFloat(rawMin(given), given),
      hi = toFloat(rawMax(given), given);
    // a parameter holds its initial values: its range is theirs (within the format), as without the override
    // (hardware descriptors force every format; a divisor's range must not widen to include 0)
    const own = space === "param" && isFinite(init) && Math.max(lo, init.lo) <= Math.min(hi, init.hi);
    v = {
      name,
      space,
      fmt: given,
      range: own ? { lo: Math.max(lo, init.lo), hi: Math.min(hi, init.hi) } : { lo, hi },
      source: "override",
    };
    if (space !== "param") prof = needProfile()?.ranges.get(key) ?? null;
  } else if (space === "param") {
    v = { name, space, fmt: formatForRange(init.lo, init.hi, bits), range: init, source: "constant" };
  } else if (stat && isFinite(stat)) {
    const r = hull(stat, init);
    v = { name, space, fmt: formatForRange(r.lo, r.hi, bits), range: r, source: "static" };
    prof = profileSteps > 0 ? (needProfile()?.ranges.get(key) ?? null) : null;
    // a sound bound far wider than what the variable does (widened fixpoints, worst-case trace sums) would
    // cost more than LOOSE_STATIC_BITS fraction bits: take the profiled range with headroom instead
    if (prof) {
      const rp = hull(prof, init);
      const fp = formatForRange(rp.lo, rp.hi, bits, spec.headroomBits);
      if (fp.fracBits - v.fmt.fracBits > LOOSE_STATIC_BITS) {
        v = { name, space, fmt: fp, range: rp, source: "profile" };
        d.warning(
          "W1005",
          varSpan(ir, owner, name),
          `${key}: static bound [${r.lo}, ${r.hi}] is ${fp.fracBits - formatForRange(r.lo, r.hi, bits).fracBits} bits wider than the range [${rp.lo}, ${rp.hi}] of a ${profileSteps}-step profiling run; format ${formatName(fp)} (profiled, ${spec.headroomBits} bit(s) of headroom) instead`,
        );
      }
    }
  } else {
    prof = needProfile()?.ranges.get(key) ?? null;
    if (!prof) {
      env.fail(
        `${key} has no static bound and no profiled range`,
        varSpan(ir, owner, name),
        `give it a format, or allow a profiling run (profileSteps > 0)`,
      );
      return null;
    }
    const r = hull(prof, init);
    v = { name, space, fmt: formatForRange(r.lo, r.hi, bits, spec.headroomBits), range: r, source: "profile" };
    d.warning(
      "W1005",
      varSpan(ir, owner, name),
      `${key}: range [${r.lo}, ${r.hi}] comes from a ${profileSteps}-step profiling run only; format ${formatName(v.fmt)} adds ${spec.headroomBits} bit(s) of headroom`,
    );
  }
  return { v, prof };
}

/** Max |x - q(x)| over profiled samples and the count of samples outside the format (q: the spec's rounding,
 *  stochastic taken as nearest-even, saturating). */
function quantizationError(
  samples: readonly Float64Array[],
  fmt: QFormat,
  spec: FixedSpec,
): { maxAbsError: number; saturations: number } {
  let maxAbsError = 0;
  const c = { count: 0 };
  const rounding = spec.rounding === "stochastic" ? "nearest-even" : spec.rounding;
  // fromFloat's steps for a value inside the format (its scaled value between the raw ends rounds inside them),
  // fromFloat itself for the others (NaN, infinities, saturating ones)
  const scale = 2 ** fmt.fracBits,
    lsb = 2 ** -fmt.fracBits, // toFloat's factor
    lo = rawMin(fmt),
    hi = rawMax(fmt);
  for (const row of samples)
    for (let j = 0; j < row.length; j++) {
      const x = row[j]!;
      const scaled = x * scale;
      const raw =
        scaled >= lo && scaled <= hi
          ? roundFloat(scaled, rounding)
          : fromFloat(x, fmt, rounding, "saturate", undefined, c);
      maxAbsError = Math.max(maxAbsError, Math.abs(raw * lsb - x));
    }
  return { maxAbsError, saturations: c.count };
}

/** Every group's variables with their formats (parameters, then state, then inputs), keyed by group. */
function groupFormats(ir: IRProgram, spec: FixedSpec, choose: Choose): Map<string, Map<string, FxVar>> {
  const groupVars = new Map<string, Map<string, FxVar>>();
  for (const g of ir.groups) {
    const inits = initialRanges(g, ir.seed, ir.dt);
    const external = externallyWritten(ir, g);
    const inputsStatic = new Map<string, Interval>();
    for (const v of g.inputs) if (!external.has(v.name)) inputsStatic.set(v.name, point(0));
    const stat = staticGroupRanges(g, inits.params, inits.state, external, inputsStatic);
    const vars = new Map<string, FxVar>();
    for (const p of g.params) {
      const v = choose(g.name, p.name, "param", inits.params.get(p.name) ?? point(0), null, spec.stateBits);
      if (v) vars.set(p.name, v);
    }
    for (const s of g.state) {
      const v = choose(
        g.name,
        s.name,
        "state",
        inits.state.get(s.name) ?? point(0),
        stat.get(s.name) ?? null,
        spec.stateBits,
      );
      if (v) vars.set(s.name, v);
    }
    for (const s of g.inputs) {
      const v = choose(g.name, s.name, "input", point(0), inputsStatic.get(s.name) ?? null, spec.stateBits);
      if (v) vars.set(s.name, v);
    }
    groupVars.set(g.name, vars);
  }
  return groupVars;
}

/** The modulators: words of the state width broadcast by the controller (modulators.ts); a format given as
 *  "mod.NAME" (a hardware descriptor's broadcast word) replaces the derived one. */
function modulatorWords(
  ir: IRProgram,
  opts: QuantizeOptions,
  groupVars: Map<string, Map<string, FxVar>>,
  fail: Fail,
): ReturnType<typeof modulatorFormats>["mods"] {
  const mf = modulatorFormats(ir, opts.spec.stateBits, (key) => {
    const dot = key.lastIndexOf(".");
    return groupVars.get(key.slice(0, dot))?.get(key.slice(dot + 1))?.range;
  });
  for (const m of mf.errors)
    fail(m, ir.spans?.modulators[m.split(" ")[1]!], "bound the modulator (clip, sigmoid) or make it depend on t only");
  for (const m of mf.mods) m.fmt = opts.formats?.[`mod.${m.name}`] ?? m.fmt;
  return mf.mods;
}

/** One group in fixed point: its update, threshold and reset lowered; null (with a refusal) when it has none. */
function lowerGroup(
  g: IRGroup,
  vars: Map<string, FxVar>,
  modFmt: ReadonlyMap<string, QFormat>,
  spec: FixedSpec,
  netDt: number,
  fail: Fail,
  approx: ApproxReport[],
  narrow: Narrow,
): FxGroup | null {
  // white noise: one word of the state width per draw, holding every draw
  const noiseFmt = formatForRange(-NOISE_BOUND, NOISE_BOUND, spec.stateBits);
  const noise: Record<string, QFormat> = {};
  const fmtOf = (r: Ref): QFormat | undefined => {
    if (r.space === "noise") return (noise[r.name] = noiseFmt);
    return r.space === "param" || r.space === "state" || r.space === "input"
      ? vars.get(r.name)?.fmt
      : r.space === "mod"
        ? modFmt.get(r.name)
        : undefined;
  };
  const cx: LowerCtx = {
    spec,
    fmtOf,
    locals: {},
    localRanges: new Map(),
    dt: netDt * g.stepEvery,
    owner: g.name,
    approx,
    narrow,
    spikeClamp: spikeClampVar(g, vars),
    // parameters are bounded by their values, statically bounded state and inputs by their (sound) bound
    paramRange: (r) => {
      const v = r.space === "param" || r.space === "state" || r.space === "input" ? vars.get(r.name) : undefined;
      return v && (v.space === "param" || v.source === "static") ? v.range : undefined;
    },
  };
  try {
    // the update reads only the old state, so its lets' definitions stay valid for interval analysis
    cx.localDefs = new Map();
    const update = lowerStmts(g.update, cx);
    cx.localDefs = undefined;
    const threshold = g.threshold ? lowerBool(g.threshold, cx) : null;
    const reset = lowerStmts(g.reset, cx);
    return {
      name: g.name,
      size: g.size,
      stepEvery: g.stepEvery,
      vars: [...vars.values()],
      locals: cx.locals,
      update,
      threshold,
      reset,
      refractory: g.refractory,
      ...(Object.keys(noise).length > 0 ? { noise } : {}),
      ir: g,
    };
  } catch (err) {
    if (!(err instanceof LowerError)) throw err;
    // an expression inlined from an alias: say which, and point at its declaration too
    const alias = aliasAt(g, err.span);
    fail(
      `${g.name}: ${alias ? `in alias ${alias.name}: ` : ""}${err.message}`,
      err.span,
      LOWER_HINT,
      alias ? [{ span: alias.span, message: `alias ${alias.name} is declared here` }] : undefined,
    );
    return null;
  }
}

/** The variable of a spike condition `x > c` (or >=) whose reset assigns x, with c below the top of x's format,
 *  in a group whose refractory period (if any) clamps x: any value at x's top spikes and is overwritten, so the
 *  update may cap x there (lower.ts spikeClamp) rather than count an overflow; AdEx's v grows without bound in
 *  the step of its spike. undefined otherwise. */
function spikeClampVar(g: IRGroup, vars: Map<string, FxVar>): string | undefined {
  const t = g.threshold;
  if (t?.k !== "bin" || (t.op !== ">" && t.op !== ">=") || t.a.k !== "ref" || t.a.ref.space !== "state") return;
  if (t.b.k !== "num") return;
  const x = t.a.ref.name;
  const f = vars.get(x)?.fmt;
  if (!f || !(t.b.v < toFloat(rawMax(f), f))) return;
  if (g.refractory && g.refractory.steps > 0 && !g.refractory.clamp.includes(x)) return;
  return g.reset.some((s) => s.k === "assign" && s.target.space === "state" && s.target.name === x) ? x : undefined;
}

type Choose = (
  owner: string,
  name: string,
  space: FxVar["space"],
  init: Interval,
  stat: Interval | null,
  bits: number,
) => FxVar | null;

/** One projection in fixed point: its variables' formats (projectionFormats), then its handlers and the
 *  ensheathing astrocyte's synapse handlers lowered; null (with a refusal) when it has no fixed-point form. */
function lowerProjection(
  ir: IRProgram,
  p: IRProjection,
  groupVars: Map<string, Map<string, FxVar>>,
  modFmt: ReadonlyMap<string, QFormat>,
  spec: FixedSpec,
  choose: Choose,
  fail: Fail,
  approx: ApproxReport[],
  narrowFor: (owner: string) => Narrow,
): FxProjection | null {
  const vars = projectionFormats(ir, p, groupVars, spec, choose, fail);
  if (!vars) return null;
  const astroG = p.ensheathedBy ? ir.groups.find((g) => g.name === p.ensheathedBy!.astrocytes) : undefined;
  if (p.ensheathedBy && astroG?.kind !== "astrocyte") {
    fail(
      `${p.name}: ${p.ensheathedBy.astrocytes} is not an astrocyte population`,
      p.ensheathSpan,
      "ensheath a projection with a population of an astrocyte model",
    );
    return null;
  }
  const { fmtOf, paramRange } = projectionRefs(p, vars, groupVars, astroG, modFmt);
  const sides = {
    astro: astroG,
    pre: ir.groups.find((g) => g.name === p.pre.population),
    post: ir.groups.find((g) => g.name === p.post.population),
  };
  const cx: LowerCtx = {
    spec,
    fmtOf,
    paramRange,
    locals: {},
    localRanges: new Map(),
    dt: ir.dt,
    weightBits: spec.weightBits,
    owner: p.name,
    approx,
    narrow: narrowFor(synapseOwner(p)),
  };
  try {
    const lower = (stmts: IRProjection["onPre"]) => lowerStmts(inlineExposeStmts(stmts, sides), cx);
    let astro: FxProjection["astro"] = null;
    if (astroG) {
      // the astrocyte's handlers: own refs are astro.NAME, pre./post. the synapse's elements; its clock's dt
      const ax: LowerCtx = {
        spec,
        fmtOf,
        paramRange,
        locals: {},
        localRanges: new Map(),
        dt: ir.dt * astroG.stepEvery,
        owner: astroG.name,
        approx,
        narrow: narrowFor(astroOwner(astroG.name, p)),
      };
      const lowerA = (stmts: IRProjection["onPre"]) => lowerStmts(inlineExposeStmts(astroHandlerIR(stmts), sides), ax);
      astro = {
        group: astroG.name,
        onSynapsePre: lowerA(astroG.onSynapsePre),
        onSynapsePost: lowerA(astroG.onSynapsePost),
        locals: ax.locals,
      };
    }
    return {
      name: p.name,
      eventDriven: p.eventDriven.length > 0,
      vars: [...vars.values()],
      locals: cx.locals,
      onPre: lower(p.onPre),
      onPost: lower(p.onPost),
      continuous: lower(p.continuous),
      astro,
      ir: p,
    };
  } catch (err) {
    if (!(err instanceof LowerError)) throw err;
    fail(`${p.name}: ${err.message}`, err.span, LOWER_HINT);
    return null;
  }
}

/** A projection's parameters and synapse state with their formats, ranged over the actual initial synapse
 *  values; null (with a refusal) when its connectivity cannot be built. */
function projectionFormats(
  ir: IRProgram,
  p: IRProjection,
  groupVars: Map<string, Map<string, FxVar>>,
  spec: FixedSpec,
  choose: Choose,
  fail: Fail,
): Map<string, FxVar> | null {
  const vars = new Map<string, FxVar>();
  if (!(p.params.length || p.state.length)) return vars;
  // the actual initial synapse values give the ranges of per-synapse parameters and weights
  const size = (name: string): number =>
    ir.groups.find((g) => g.name === name)?.size ?? ir.sources.find((s) => s.name === name)?.size ?? 0;
  const preG = ir.groups.find((g) => g.name === p.pre.population),
    postG = ir.groups.find((g) => g.name === p.post.population);
  let values;
  try {
    const csr = buildConnectivity(p, size(p.pre.population), size(p.post.population), ir.seed);
    values = initSynapses(
      p,
      csr,
      preG ? initGroup(preG, ir.seed, ir.dt) : undefined,
      postG ? initGroup(postG, ir.seed, ir.dt) : undefined,
      ir.seed,
      ir.dt,
    );
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    fail(
      `${p.name}: ${err.message}`,
      p.span,
      err.hint ?? "check the sizes, slices and rule arguments of this connect statement",
    );
    return null;
  }
  for (const v of p.params) {
    const x = choose(p.name, v.name, "param", rangeOf(values.params.get(v.name) ?? 0), null, spec.weightBits);
    if (x) vars.set(v.name, x);
  }
  // synapse state: bounded when the handlers keep it within its initial range or clip it
  const written = new Set<string>();
  for (const stmts of [p.onPre, p.onPost, p.continuous])
    for (const s of stmts)
      if (s.k === "assign" && (s.target.space === "state" || s.target.space === "param")) written.add(s.target.name);
  for (const v of p.state) {
    const init = rangeOf(values.state.get(v.name) ?? 0);
    let stat: Interval | null = init;
    // increments may read parameters, traces bounded before this one, and pre/post variables (their ranges)
    const paramEnv = (r: Ref): Interval | undefined =>
      (r.space === "param" || r.space === "state") && vars.has(r.name)
        ? vars.get(r.name)!.range
        : r.space === "pre" || r.space === "post"
          ? groupVars.get((r.space === "pre" ? p.pre : p.post).population)?.get(r.name)?.range
          : undefined;
    if (p.eventDriven.includes(v.name)) stat = traceBound(p, v.name, init, ir.dt, paramEnv);
    else if (written.has(v.name)) {
      stat = null;
      for (const stmts of [p.onPre, p.onPost, p.continuous])
        for (const s of stmts) {
          if (s.k === "assign" && s.target.name === v.name && s.target.space === "state") {
            const I = intervalOf(s.value, (r) => (r.space === "state" && r.name === v.name ? init : undefined));
            stat = isFinite(I) ? hull(stat ?? init, I) : { lo: -Infinity, hi: Infinity };
          }
        }
    }
    const x = choose(p.name, v.name, "state", init, stat && isFinite(stat) ? stat : null, spec.weightBits);
    if (x) vars.set(v.name, x);
  }
  return vars;
}

/** The range of a per-synapse value: a constant's point, else the hull of its values (0 when empty). */
function rangeOf(x: number | Float64Array): Interval {
  if (typeof x === "number") return point(x);
  let lo = Infinity,
    hi = -Infinity;
  for (const y of x) {
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  return x.length ? { lo, hi } : point(0);
}

/** How a projection's statements see references: the format of each (own, pre, post, astro, modulator) and
 *  the range of those that are constant or statically bounded. */
function projectionRefs(
  p: IRProjection,
  vars: Map<string, FxVar>,
  groupVars: Map<string, Map<string, FxVar>>,
  astroG: IRGroup | undefined,
  modFmt: ReadonlyMap<string, QFormat>,
): Pick<LowerCtx, "fmtOf" | "paramRange"> {
  const preVars = groupVars.get(p.pre.population),
    postVars = groupVars.get(p.post.population);
  const astroVars = astroG ? groupVars.get(astroG.name) : undefined;
  const fmtOf = (r: Ref): QFormat | undefined =>
    r.space === "param" || r.space === "state"
      ? vars.get(r.name)?.fmt
      : r.space === "pre"
        ? preVars?.get(r.name)?.fmt
        : r.space === "post"
          ? postVars?.get(r.name)?.fmt
          : r.space === "astro"
            ? astroVars?.get(r.name)?.fmt
            : r.space === "mod"
              ? modFmt.get(r.name)
              : undefined;
  // the astrocyte's parameters are constant: their initial values bound them
  // (so are the synapse's own and the pre/post elements' parameters; statically bounded variables by their bound)
  const paramRange = (r: Ref): Interval | undefined => {
    const v =
      r.space === "astro"
        ? astroVars?.get(r.name)
        : r.space === "pre"
          ? preVars?.get(r.name)
          : r.space === "post"
            ? postVars?.get(r.name)
            : r.space === "param"
              ? vars.get(r.name)
              : undefined;
    return v?.space === "param" || v?.source === "static" ? v.range : undefined;
  };
  return { fmtOf, paramRange };
}
