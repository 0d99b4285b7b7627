// NESTML models for the groups and synapses no NEST built-in matches (match*.ts). In: a continuous-IR group (with
// the variables incoming synapses add to) and the same group after the passes (glia's discrete update), or a
// projection and the same projection after the passes; out: the NESTML text (neuron: parameters, state, input ports,
// an update block that is glia's step; synapse: pre/post ports, onReceive handlers that are glia's discrete `on pre`
// / `on post` and emit glia's delivered amount, continuous ports for the post state they read), how run.py binds it
// (the neuron's spike ports), or the first construct NESTML cannot express here with its span (index.ts refuses with
// E0808).
//
// Neurons hold every variable as a plain `real` in SI (run.py sets glia's values unchanged) and integrate with glia's own step: the discrete
// update solve-odes wrote for the group's method (forward Euler, RK4's stages, the exact propagator with glia's
// numbers, exponential Euler...) printed statement by statement, never NESTML's integrate_odes (analytic propagators
// or GSL's RKF45, which differ from glia's euler and rk4 and fail on a singular linear system).
// Synapses too: plain `real`s in SI, the event-driven traces advanced in closed form over glia's elapsed time at
// glia's handler times (nestmlSynapse), never NESTML's equations. (nestmlExpr can still scale literals to NEST's
// units, ms, mV, pA, pF, nS, when a scope gives dimensions; both scopes here give none.)
// glia's step (docs/internals.md) in NESTML's update block: the discrete update (clamped variables of a refractory
// neuron keep their value: the flag is refr_count > 0, for refractory.steps - 1 steps after the spike step); the
// threshold, unless refractory, on the new state, then the reset runs and the spike is emitted; inputs cleared;
// the synapses' additions (onReceive) after the update, as glia delivers them at the end of the step.
// A group on its own clock (astrocytes, no threshold) runs that update only when its step counter glia_clock is 0
// (glia's steps k % stepEvery == 0, its own dt); inputs are cleared and the ports added every step.

import type { Span } from "../../../compiler/diagnostics/span.js";
import type { IRCurrent, IRExpr, IRGroup, IRProjection, IRStmt, Ref } from "../../../compiler/ir/nodes.js";
import { inlineGroupAliases } from "../../../compiler/passes/inline-aliases.js";
import { DIMENSIONLESS, dimDiv, dimMul, dimPow, exprDim, type Dim } from "../dims.js";
import { pairedVariable, postPort, readSpan } from "./post-ports.js";

/** SI to NEST's units, per base dimension (m, kg, s, A, K, mol, cd): s -> ms, A -> pA, kg chosen so V -> mV. */
const BASE_SCALE = [1, 1e24, 1e3, 1e12, 1, 1, 1];

export function siScale(d: Dim): number {
  return d.reduce((f, x, i) => f * BASE_SCALE[i]! ** x, 1);
}

export interface NestmlBinding {
  model: "nestml";
  /** The NESTML model name as written (neuron: `NAME_neuron`, synapse: `NAME_synapse`). */
  name: string;
  text: string;
  /** Neurons: the spike input port of each variable incoming synapses add to. */
  ports: Map<string, string>;
}

/** A projection's NESTML synapse as the exporter binds it: the post variable `on pre` adds to, the continuous post
 *  ports and the neuron variables they are paired with (post-ports.ts), its state variables, and every variable it
 *  declares (parameters and state, set per connection from glia's values). */
export type NestmlSynapseBinding = NestmlBinding & {
  target: string;
  postPorts: [string, string][];
  state: string[];
  variables: ReadonlySet<string>;
  /** presynaptic spikes relayed by parrot_neurons after glia's delay (relays.ts) */
  relay?: boolean;
};

export type NestmlResult = { ok: true; binding: NestmlBinding } | { ok: false; why: string; span?: Span };

class Refuse extends Error {
  constructor(
    readonly why: string,
    readonly span?: Span,
  ) {
    super(why);
  }
}

const ident = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, "_");

/** Status keys every NEST node has (ArchivingNode's calcium trace and STDP archive, the node's bookkeeping): a NESTML
 *  neuron variable of that name is shadowed by NEST's own in GetStatus (measured: a state `Ca` read back as
 *  ArchivingNode's decaying Ca), so it is declared as glia_NAME. */
const NODE_KEYS = new Set(
  "Ca tau_Ca beta_Ca tau_minus tau_minus_triplet t_spike post_trace archiver_length synaptic_elements frozen element_type global_id local model model_id node_uses_wfr recordables thread thread_local_id vp ignore_and_spike ignore_and_spike_interval ignore_and_spike_offset".split(
    " ",
  ),
);

/** A glia neuron variable's name in the NESTML neuron and in NEST's status dictionary. */
export const nestVariable = (s: string): string => (NODE_KEYS.has(s) ? `glia_${s}` : ident(s));

/** The power of time in d written over volt, ampere, second (kg = V A s^3 / m^2): what NESTML checks here. */
const timePower = (d: Dim): number => d[2]! + 3 * d[1]!;

/** NESTML's type for dimension d: real times ms^p. */
function typeOf(d: Dim): string {
  const p = timePower(d);
  if (!Number.isInteger(p)) throw new Refuse(`a fractional power of time (${p})`);
  return p === 0 ? "real" : p === 1 ? "ms" : p === -1 ? "1/ms" : p > 0 ? `ms**${p}` : `1/ms**${-p}`;
}

/** x as NESTML text whose C++ NESTML 8.3.0 prints right: it writes a double with 17 significant digits and strips
 *  trailing zeros, also an exponent's (measured: 4.991344172491703e-10 became 4.99...e-1, which stopped every cell
 *  of examples/reservoir_homeostasis.glia from firing). Such a literal is written as y * 2^k, y = x / 2^k, which is
 *  exact (a power of two scales without rounding), so C++ computes with x itself. */
export function nestmlNumber(x: number): string {
  const bad = (y: number): boolean => {
    // the exponent C++ prints (17 significant digits): log10 can round across a power of ten (9.999999999999999e-10
    // has log10 -9 in doubles and prints as 9.9999999999999986e-10, which NESTML made 9.99...e-1)
    const e = Number(y.toExponential(16).split("e")[1]);
    return y !== 0 && Number.isFinite(e) && (e < -4 || e >= 17) && e % 10 === 0;
  };
  if (!bad(x)) return String(x);
  const k = Math.abs(x) < 1 ? -4 : 4;
  const real = (y: number): string => (/[.e]/.test(String(y)) ? String(y) : `${y}.0`);
  return `(${real(x / 2 ** k)} * ${real(2 ** k)})`;
}

function literal(v: number, d: Dim | undefined): string {
  if (!Number.isFinite(v)) throw new Refuse("an infinite or NaN literal");
  const dd = d ?? DIMENSIONLESS;
  const x = Number((v * siScale(dd)).toPrecision(17));
  const text = Number.isInteger(x) && Math.abs(x) < 1e15 ? `${x}.0` : nestmlNumber(x);
  const p = timePower(dd);
  const unit = p === 0 ? "" : p === 1 ? " * ms" : p === -1 ? " / ms" : p > 0 ? ` * ms**${p}` : ` / ms**${-p}`;
  return x < 0 || unit ? `(${text}${unit})` : text;
}

interface Scope {
  name(r: Ref): string;
  dim(r: Ref): Dim | undefined;
}

const LOGIC = new Set(["<", "<=", ">", ">=", "==", "!=", "and", "or"]);

/** An IR expression as NESTML text, literals scaled to the dimension the context demands. */
export function nestmlExpr(e: IRExpr, scope: Scope, want?: Dim): string {
  const dimOf = (x: IRExpr): Dim | undefined => exprDim(x, (r) => scope.dim(r));
  const p = (x: IRExpr, w?: Dim): string => nestmlExpr(x, scope, w);
  switch (e.k) {
    case "num":
      return literal(e.v, want);
    case "bool":
      return e.v ? "true" : "false";
    case "ref":
      return scope.name(e.ref);
    case "neg":
      return `(-${p(e.a, want)})`;
    case "not":
      return `(not ${p(e.a)})`;
    case "sel": {
      const d = want ?? dimOf(e.a) ?? dimOf(e.b);
      return `(${p(e.c)} ? ${p(e.a, d)} : ${p(e.b, d)})`;
    }
    case "bin": {
      const { op, a, b } = e;
      if (op === "and" || op === "or") return `(${p(a)} ${op} ${p(b)})`;
      if (LOGIC.has(op)) {
        const d = dimOf(a) ?? dimOf(b) ?? DIMENSIONLESS;
        return `(${p(a, d)} ${op} ${p(b, d)})`;
      }
      if (op === "+" || op === "-") {
        const d = want ?? dimOf(a) ?? dimOf(b);
        return `(${p(a, d)} ${op} ${p(b, d)})`;
      }
      if (op === "pow") {
        if (b.k !== "num") throw new Refuse("a power with a non-literal exponent");
        const da = dimOf(a) ?? (want && b.v !== 0 ? dimPow(want, 1 / b.v) : DIMENSIONLESS);
        return `(${p(a, da)}**${b.v})`;
      }
      const da = dimOf(a);
      const db = dimOf(b);
      let wa = da;
      let wb = db;
      if (da === undefined && db !== undefined)
        wa = want ? (op === "*" ? dimDiv(want, db) : dimMul(want, db)) : DIMENSIONLESS;
      else if (db === undefined && da !== undefined)
        wb = want ? (op === "*" ? dimDiv(want, da) : dimDiv(da, want)) : DIMENSIONLESS;
      else if (da === undefined && db === undefined) {
        wa = want;
        wb = DIMENSIONLESS;
      }
      return `(${p(a, wa)} ${op} ${p(b, wb)})`;
    }
    case "call": {
      const [x, y, z] = e.args;
      const same = (): Dim | undefined => want ?? e.args.map(dimOf).find((d) => d !== undefined);
      switch (e.fn) {
        case "exp":
        case "tanh":
        case "sin":
        case "cos":
          return `${e.fn}(${p(x!, DIMENSIONLESS)})`;
        case "log":
          return `ln(${p(x!, DIMENSIONLESS)})`;
        case "sigmoid":
          return `(1.0 / (1.0 + exp(-${p(x!, DIMENSIONLESS)})))`;
        case "sqrt": {
          const d = dimOf(x!) ?? (want ? dimPow(want, 2) : DIMENSIONLESS);
          return `sqrt(${p(x!, d)})`;
        }
        case "abs":
        case "floor":
        case "ceil":
          return `${e.fn}(${p(x!, same())})`;
        case "min":
        case "max":
          return `${e.fn}(${p(x!, same())}, ${p(y!, same())})`;
        case "clip":
          return `clip(${p(x!, same())}, ${p(y!, same())}, ${p(z!, same())})`;
        case "pow": {
          if (y!.k !== "num") throw new Refuse("a power with a non-literal exponent");
          const d = dimOf(x!) ?? (want && y!.v !== 0 ? dimPow(want, 1 / y!.v) : DIMENSIONLESS);
          return `(${p(x!, d)}**${y!.v})`;
        }
        case "heaviside": {
          const d = dimOf(x!) ?? DIMENSIONLESS;
          return `(${p(x!, d)} > ${literal(0, d)} ? 1.0 : 0.0)`;
        }
        case "int":
          throw new Refuse("int() (no truncation in NESTML)");
      }
    }
  }
  throw new Refuse("an expression NESTML has no form for");
}

/** Statements as NESTML lines; `post` handles an assignment to a postsynaptic variable (synapses). */
function statements(
  ss: IRStmt[],
  scope: Scope,
  pad: string,
  dimOfTarget: (r: Ref) => Dim | undefined,
  post?: (s: Extract<IRStmt, { k: "assign" }>) => string[],
  locals: Map<string, Dim | undefined> = new Map(),
): string[] {
  const out: string[] = [];
  for (const s of ss) {
    if (s.k === "let") {
      const d = exprDim(s.value, (r) => (r.space === "local" ? locals.get(r.name) : scope.dim(r)));
      locals.set(s.name, d);
      out.push(
        `${pad}${scope.name({ space: "local", name: s.name })} ${typeOf(d ?? DIMENSIONLESS)} = ${nestmlExpr(s.value, scope, d)}`,
      );
    } else if (s.k === "if") {
      out.push(`${pad}if ${nestmlExpr(s.c, scope)}:`);
      const t = statements(s.then, scope, pad + "    ", dimOfTarget, post, locals);
      out.push(...(t.length > 0 ? t : [`${pad}    pass`]));
      if (s.otherwise.length > 0) {
        out.push(`${pad}else:`);
        out.push(...statements(s.otherwise, scope, pad + "    ", dimOfTarget, post, locals));
      }
    } else if (s.target.space === "post" && post) out.push(...post(s).map((l) => pad + l));
    else if (s.target.space === "state" || s.target.space === "local") {
      const d = s.target.space === "local" ? locals.get(s.target.name) : dimOfTarget(s.target);
      out.push(`${pad}${scope.name(s.target)} = ${nestmlExpr(s.value, scope, d)}`);
    } else throw new Refuse(`an assignment to ${s.target.space}.${s.target.name}`, s.span);
  }
  return out;
}

/** The inputs of group `g` current stimuli feed, in the order of the continuous ports (NEST's receptor_type of a
 *  CurrentEvent is the port's index): the first stimulus into each. */
export function stimulatedInputs(currents: readonly IRCurrent[], g: string): string[] {
  return [...new Set(currents.filter((c) => c.target.population === g).map((c) => c.variable))];
}

/** A group as a NESTML neuron. `targets`: the variables incoming synapses add to (one spike port each). Unlike the
 *  synapses, the neuron holds every variable as a plain `real` in SI: its update block is glia's discrete
 *  update (`discrete`, the group after the passes: solve-odes wrote the method's step, euler, rk4, exact...) printed
 *  as it is, so NEST computes glia's numbers with glia's operations (no unit conversion to round in between). */
export function nestmlNeuron(
  g0: IRGroup,
  discrete: IRGroup,
  name: string,
  targets: string[],
  defaults: ReadonlyMap<string, number> = new Map(),
  /** the inputs current stimuli feed: one continuous port each (`stim_X`, fed by run.py's dc_generators) and a
   *  parameter `stim_head_X` (the value of the first steps: currents.ts) */
  stimulated: readonly string[] = [],
  /** state variables a paired synapse reads (post-ports.ts): each kept as `glia_seen_X` after the update */
  exposed: readonly string[] = [],
): NestmlResult {
  try {
    // a group on its own clock (astrocytes: astro-exchange.ts) runs glia's update when its step counter is 0
    const every = g0.stepEvery;
    if (g0.kind !== "neuron" && every === 1) throw new Refuse("an astrocyte group", g0.modelSpan);
    if (every !== 1 && (g0.threshold || g0.refractory))
      throw new Refuse("a threshold on its own clock", g0.handlerSpans?.spike ?? g0.modelSpan);
    if (g0.onSynapsePre.length + g0.onSynapsePost.length + g0.exposes.length > 0)
      throw new Refuse("astrocyte handlers", g0.modelSpan);
    // threshold and reset read aliases: substituted, as the passes do for the update
    const g = inlineGroupAliases(g0);
    const names = new Set([...g.params, ...g.state, ...g.inputs].map((v) => v.name));
    const refr = g.refractory && g.refractory.steps > 1 ? g.refractory : null;
    const scope = siScope(refr ? "refr_count > 0" : "false", every);
    const lines: string[] = [`model ${name}:`, `    parameters:`];
    for (const v of g.params)
      lines.push(`        ${nestVariable(v.name)} real = ${literal(defaults.get(v.name) ?? 0, undefined)}`);
    // inputs (summed per step; continuous couplings are refused before): a state variable without an
    // equation, constant through the step's integration, which the spike port adds to and the update clears, so a
    // synapse's addition acts on one update as a one-step pulse, as in glia
    if (refr) lines.push(`        refr_steps integer = ${refr.steps - 1}`);
    // a current stimulus's value in the first steps, which no device reaches (run.py sets it for them: currents.ts)
    for (const x of stimulated) lines.push(`        stim_head_${ident(x)} real = 0.0`);
    if (lines.length === 2) lines.pop();
    lines.push(`    state:`);
    for (const v of [...g.state, ...g.inputs]) lines.push(`        ${nestVariable(v.name)} real = 0.0`);
    if (refr) lines.push(`        refr_count integer = 0`);
    if (every !== 1) lines.push(`        glia_clock integer = 0`);
    for (const x of exposed) lines.push(`        ${pairedVariable(x)} real = 0.0`);
    // the equations as written (in SI), for the reader: the update block integrates them with glia's own step
    const eqs = g.odes.map((o) => `    #   ${nestVariable(o.name)}' = ${nestmlExpr(o.rhs, scope)}`);
    if (eqs.length > 0)
      lines.push(
        `    # glia's equations, in SI, integrated by the update block (method ${methodsOf(discrete)}):`,
        ...eqs,
      );
    const ports = new Map<string, string>();
    lines.push(`    input:`);
    // NESTML 8.3.0's neuron with more than one spike port adds |weight| to an unqualified port (measured: glia's -1 mV
    // of examples/reservoir_homeostasis.glia's inhibitory synapses arrived as +1 mV), and keeps the sign only through
    // a pair `excitatory` / `inhibitory` sharing one receptor (the latter receiving -weight), which it numbers so
    // only while two unqualified ports exist: each variable gets such a pair, plus two unqualified ports never
    // connected. One target keeps one port (its weights arrive with their sign).
    const paired = targets.length > 1;
    for (const t of targets) {
      if (![...g.state, ...g.inputs].some((v) => v.name === t))
        throw new Refuse(`a synapse adding to ${t}, which is not a state variable or an input`);
      ports.set(t, `in_${ident(t)}`);
      if (paired)
        lines.push(`        in_${ident(t)} <- excitatory spike`, `        inneg_${ident(t)} <- inhibitory spike`);
      else lines.push(`        in_${ident(t)} <- spike`);
    }
    if (paired) lines.push(`        glia_unused_a <- spike`, `        glia_unused_b <- spike`);
    // a current stimulus: a continuous port holding, in step k's update, the value glia's stimulus has at step k (in
    // SI: run.py's dc_generator carries glia's number unchanged, switched one step ahead, delay one step)
    for (const x of stimulated) {
      if (!g.inputs.some((v) => v.name === x)) throw new Refuse(`a current stimulus into ${x}, which is not an input`);
      lines.push(`        stim_${ident(x)} real <- continuous`);
    }
    if (targets.length === 0) lines.push(`        unused_spikes <- spike`);
    lines.push(`    output:`, `        spike`, `    update:`);
    // the reset's statements (an empty reset needs no flag and no empty block)
    const reset = g.threshold ? statements(g.reset, scope, "            ", () => undefined) : [];
    const spike: string[] = [];
    if (g.threshold) {
      spike.push(`if ${nestmlExpr(g.threshold, scope)}:`);
      if (reset.length > 0) spike.push(`    glia_spiked = true`);
      if (refr) spike.push(`    refr_count = refr_steps`);
      spike.push(`    emit_spike()`);
    }
    // glia's step (docs/internals.md): the discrete update, with the refractory flag as refr_count > 0; the threshold
    // on the new state unless refractory; inputs cleared; this step's synaptic additions (the spike ports, read in
    // the update block: NEST fills them before it); then the reset, which overwrites what it assigns
    // glia's phase 0: the stimuli's values at t_k added to their inputs before the update
    for (const x of stimulated) lines.push(`        ${nestVariable(x)} += stim_${ident(x)} + stim_head_${ident(x)}`);
    // own clock: glia's update over its own dt (every network steps) in the steps k % every == 0 only; inputs are
    // still cleared and the ports added every step (glia's phases 2 and 3 run every network step)
    if (every !== 1)
      lines.push(
        `        if glia_clock == 0:`,
        ...gliaStep(discrete, scope, names).map((l) => `            ${l}`),
        `        glia_clock = (glia_clock + 1) % ${every}`,
      );
    else lines.push(...gliaStep(discrete, scope, names).map((l) => `        ${l}`));
    // post.X as glia's handlers of this step read it (after the update, before the reset: post-ports.ts)
    for (const x of exposed) lines.push(`        ${pairedVariable(x)} = ${nestVariable(x)}`);
    if (reset.length > 0) lines.push(`        glia_spiked boolean = false`);
    if (refr) {
      lines.push(`        if refr_count > 0:`, `            refr_count -= 1`);
      if (spike.length > 0) lines.push(`        else:`, ...spike.map((l) => `            ${l}`));
    } else lines.push(...spike.map((l) => `        ${l}`));
    for (const v of g.inputs) lines.push(`        ${nestVariable(v.name)} = 0.0`);
    // a port's value is the weight per second (NESTML's spike ports carry 1/s): times `s` is the weight
    for (const t of targets)
      lines.push(
        `        ${nestVariable(t)} += ${paired ? `(in_${ident(t)} - inneg_${ident(t)})` : `in_${ident(t)}`} * s`,
      );
    if (reset.length > 0) lines.push(`        if glia_spiked:`, ...reset);
    if (lines.at(-1) === `    update:`) lines.pop();
    return { ok: true, binding: { model: "nestml", name, text: lines.join("\n") + "\n", ports } };
  } catch (e) {
    if (e instanceof Refuse) return { ok: false, why: e.why, span: e.span };
    throw e;
  }
}

/** Names for a neuron's SI expressions: variables as they are, glia's literals unscaled (no dimension given),
 *  dt and t in seconds, the refractory flag as `refractory` (NESTML text). */
function siScope(refractory: string, every = 1): Scope {
  return {
    name(r) {
      if (r.space === "param" || r.space === "state" || r.space === "input") return nestVariable(r.name);
      if (r.space === "local") return `glia_l_${ident(r.name).replace(/__/g, "_")}`;
      // a group on its own clock: glia's dt * stepEvery
      if (r.space === "dt")
        return every === 1 ? `(resolution() / ms / 1000.0)` : `(resolution() / ms / 1000.0 * ${every}.0)`;
      if (r.space === "t") return `(t / ms / 1000.0)`;
      if (r.space === "flag" && r.name === "refractory") return `(${refractory})`;
      throw new Refuse(`a reference to ${r.space === "noise" ? "noise" : `${r.space}.${r.name}`}`);
    },
    dim: () => undefined,
  };
}

/** The methods solve-odes chose for a group, for the NESTML file's comment. */
function methodsOf(g: IRGroup): string {
  const ms = [...new Set(Object.values(g.methods ?? {}))];
  return ms.length > 0 ? ms.join(", ") : "none";
}

/** The group's discrete update (glia's step after the passes) as NESTML lines in SI: glia's statements in order,
 *  locals as `real` (or `boolean`) variables of the update block. */
function gliaStep(discrete: IRGroup, scope: Scope, names: ReadonlySet<string>): string[] {
  const logical = (e: IRExpr): boolean => e.k === "bool" || e.k === "not" || (e.k === "bin" && LOGIC.has(e.op));
  const out: string[] = [];
  for (const s of discrete.update) {
    if (s.k === "if") throw new Refuse("a branch in glia's discrete update", s.span);
    const text = nestmlExpr(s.value, scope);
    if (s.k === "let")
      out.push(`${scope.name({ space: "local", name: s.name })} ${logical(s.value) ? "boolean" : "real"} = ${text}`);
    else if ((s.target.space === "state" || s.target.space === "input") && names.has(s.target.name))
      out.push(`${nestVariable(s.target.name)} = ${text}`);
    else throw new Refuse(`an assignment to ${s.target.space}.${s.target.name} in glia's step`, s.span);
  }
  return out;
}

/** A projection's synapse as a NESTML synapse, on glia's own discrete form (`discrete`, the projection after the
 *  passes: the event-driven pass made each ODE a closed-form advance over `elapsed` at the top of the handlers):
 *  every variable a plain `real` in SI, as the neurons hold theirs, never NESTML's equations and
 *  integrate_odes (NESTML moved a trace only `on post` increments into the neuron and advanced the traces over
 *  NEST's dendritic-delay times, post spikes a step later than glia's). glia's `t` of a handler is NEST's time of the
 *  event less one step: a presynaptic spike of glia's step k is NEST's stamp (k + 1) h, sent with the one-step delay
 *  that glia's zero delay becomes, and NESTML hands `on post` the postsynaptic spikes stamped up to k h before it (glia's
 *  steps before k: glia runs `on post` of step k after `on pre`), each at its stamp (k' + 1) h; `elapsed` is the time
 *  since the handler before (glia's lastUpdate, `glia_last`, 0 at the start). `on pre` emits the amount it adds to
 *  the post variable (one such statement, at the top level), `on post` changes only synapse state; `post.X` read
 *  in either is the continuous port post_X (post-ports.ts pairs it with the neuron). Returns the post variable added
 *  to and the post variables read too. index.ts refuses delays that break this (a synapse with `on post` and a delay of a step or more). */
export function nestmlSynapse(
  p: IRProjection,
  discrete: IRProjection,
  name: string,
  defaults: ReadonlyMap<string, number> = new Map(),
): NestmlResult & { target?: string; postReads?: string[]; variables?: string[]; state?: string[] } {
  try {
    if (p.ensheathedBy) throw new Refuse(`ensheathed by ${p.ensheathedBy.astrocytes}`, p.ensheathSpan);
    if (p.continuous.length > 0) throw new Refuse("a continuous coupling", p.handlerSpans?.continuous);
    if (discrete.odes.length > 0) throw new Refuse("a synapse equation glia does not advance at events", p.modelSpan);
    // post.X: a continuous port paired with the neuron's copy of X (post-ports.ts)
    const postReads = new Set<string>();
    // glia's time of the handler (s) and the time since its last one: NEST's event time less one step
    const NOW = "glia_now";
    const scope: Scope = {
      name(r) {
        if (r.space === "param" || r.space === "state") return ident(r.name);
        if (r.space === "local") return `glia_l_${ident(r.name).replace(/__/g, "_")}`;
        if (r.space === "elapsed") return `((${NOW} - glia_last) / 1000.0)`;
        if (r.space === "t") return `(${NOW} / 1000.0)`;
        if (r.space === "dt") return `(resolution() / ms / 1000.0)`;
        if (r.space === "post") {
          postReads.add(r.name);
          return postPort(r.name);
        }
        if (r.space === "pre")
          throw new Refuse(
            `a synapse reading pre.${r.name} (a NESTML synapse sees its postsynaptic neuron's state through continuous ports, never its presynaptic neuron's)`,
            readSpan(p, "pre", r.name),
          );
        throw new Refuse(
          `a synapse reading ${r.space}.${r.name} (NESTML synapses here see their own variables and their postsynaptic neuron's)`,
        );
      },
      dim: () => undefined,
    };
    const lines: string[] = [`model ${name}:`, `    state:`];
    for (const v of discrete.state) lines.push(`        ${ident(v.name)} real = 0.0`);
    // glia's lastUpdate of the synapse (NEST's time in ms of the last handler less one step)
    lines.push(`        glia_last real = 0.0`);
    // NEST's `weight` of the connection (NESTML requires one variable for it): unused, glia's amount is emitted
    lines.push(`    parameters:`, `        nest_weight real = 1.0`);
    for (const v of discrete.params)
      lines.push(`        ${ident(v.name)} real = ${literal(defaults.get(v.name) ?? 0, undefined)}`);
    const eqs = p.odes.map((o) => `    #   ${ident(o.name)}' = ${nestmlExpr(o.rhs, siScope("false"))}`);
    if (eqs.length > 0)
      lines.push(
        `    # glia's equations, in SI, advanced by the handlers in closed form from glia's last event:`,
        ...eqs,
      );
    lines.push(`    input:`, `        pre_spikes <- spike`);
    if (discrete.onPost.length > 0) lines.push(`        post_spikes <- spike`);
    const portsAt = lines.length;
    lines.push(`    output:`, `        spike`);
    let target: string | undefined;
    let emitted = 0;
    const emit = (s: Extract<IRStmt, { k: "assign" }>): string[] => {
      const v = s.value;
      if (
        v.k !== "bin" ||
        (v.op !== "+" && v.op !== "-") ||
        v.a.k !== "ref" ||
        v.a.ref.space !== "post" ||
        v.a.ref.name !== s.target.name ||
        (target !== undefined && target !== s.target.name)
      )
        throw new Refuse(`\`post.${s.target.name} = ...\` other than one \`post.X += amount\``, s.span);
      target = s.target.name;
      emitted++;
      // the amount in SI, as the NESTML neuron holds its variables
      const amount = nestmlExpr(v.b, scope);
      return [`emit_spike(${v.op === "+" ? amount : `-${amount}`})`];
    };
    const handler = (stmts: IRStmt[], post?: (s: Extract<IRStmt, { k: "assign" }>) => string[]): string[] => {
      const body = statements(stmts, scope, "        ", () => undefined, post);
      const stamp = JSON.stringify(stmts).includes('"space":"elapsed"');
      return [
        `        ${NOW} real = (t - resolution()) / ms`,
        ...body,
        ...(stamp ? [`        glia_last = ${NOW}`] : []),
      ];
    };
    lines.push(`    onReceive(pre_spikes):`);
    lines.push(...handler(discrete.onPre, emit));
    if (emitted !== 1 || discrete.onPre.some((s) => s.k === "if" && JSON.stringify(s).includes('"space":"post"')))
      throw new Refuse("an `on pre` that does not add to one post variable exactly once", p.handlerSpans?.pre);
    if (discrete.onPost.length > 0) {
      lines.push(`    onReceive(post_spikes):`);
      lines.push(
        ...handler(discrete.onPost, (s) => {
          throw new Refuse(`\`on post\` writing post.${s.target.name}`, s.span ?? p.handlerSpans?.post);
        }),
      );
    }
    lines.splice(portsAt, 0, ...[...postReads].map((x) => `        ${postPort(x)} real <- continuous`));
    return {
      ok: true,
      target,
      postReads: [...postReads],
      variables: [...discrete.params, ...discrete.state].map((v) => v.name),
      state: [...discrete.state.map((v) => v.name), "glia_last"],
      binding: { model: "nestml", name, text: lines.join("\n") + "\n", ports: new Map() },
    };
  } catch (e) {
    if (e instanceof Refuse) return { ok: false, why: e.why, span: e.span };
    throw e;
  }
}
