// The glia IR: one data structure from the checked AST to every target. In: nothing (types only);
// out: node types. All quantities are in SI base units (volt, second, ampere, siemens, ...), as float64.
//
// The IR has two forms in the same types:
//  - continuous (after build): groups carry `odes` and `aliases`; `update` is empty;
//  - discrete (after the solve-odes pass): `update` holds the per-step statements, `odes` is empty,
//    aliases are inlined; synapse ODEs have become lazy event-driven prefixes of handlers.
// Every group and projection carries its own instance of its model, with the population's or
// connection's argument values bound, so constant parameters fold into the code.

import type { Span } from "../diagnostics/span.js";
import type { BuiltinFn } from "../builtins/functions.js";
import type { Method } from "../builtins/settings.js";

export const IR_VERSION = 1;

// Source spans (optional everywhere; absent on IR made by hand or read back from JSON): groups,
// projections, variables, ODEs and statements carry them as plain `span`-named fields, so the passes'
// spreads keep them; network-level items keep theirs in IRProgram.spans; expression nodes carry a
// non-enumerable `span` (see spans.ts) so structural equality, printing and JSON ignore it. Neither
// printIR nor irToJson writes any span: both stay deterministic and independent of source layout.

// ---------------------------------------------------------------- expressions

/** Where a referenced value lives.
 *  param:  a parameter of this instance (scalar if `perElement` is false, else one per element)
 *  state:  a state variable of this instance (one per element)
 *  input:  a summed input of this instance (one per element, zeroed every step)
 *  alias:  a named subexpression (continuous form only)
 *  local:  a `let` in a handler, or a temporary introduced by a pass (tmp_*)
 *  pre / post: state, input or param of the pre/post element of a synapse (or of a neuron's astrocyte)
 *  astro:  an exposed value of the astrocyte ensheathing this synapse
 *  mod:    a network modulator
 *  t:      current time (start of the step, or event time in handlers); name "t"
 *  dt:     the clock step of this group; name "dt"
 *  elapsed: time since the synapse's last event-driven update (event-driven prefixes); name "elapsed"
 *  index:  "i" (pre element index) or "j" (post element index) in connection arguments
 *  poprate / popmean: in modulator expressions, rate(POP) in Hz and mean(POP.var); name "POP" / "POP.var"
 *  flag:   a per-element boolean provided by the target; name "refractory" (true while the neuron is
 *          refractory in this step, see docs/internals.md); used by solve-odes for clamped variables
 *  noise:  white noise; name "xi" or "xi_NAME". Continuous form: xi in an ODE (dimension 1/sqrt(s)). Discrete
 *          form (after solve-odes): one standard normal draw per element and step, the same for every read
 *          of that name in the step: normal(seed, fnv1a32("noise:POP.NAME"), k * size + e), k the network step
 */
export type RefSpace =
  | "param"
  | "state"
  | "input"
  | "alias"
  | "local"
  | "pre"
  | "post"
  | "astro"
  | "mod"
  | "t"
  | "dt"
  | "elapsed"
  | "index"
  | "poprate"
  | "popmean"
  | "flag"
  | "noise";

export interface Ref {
  space: RefSpace;
  name: string;
}

/** A built-in function: a row of the table in compiler/builtins/functions.ts. */
export type { BuiltinFn };

export type BinOp = "+" | "-" | "*" | "/" | "pow" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "and" | "or";

export type IRExpr =
  | { k: "num"; v: number }
  | { k: "bool"; v: boolean }
  | { k: "ref"; ref: Ref }
  | { k: "neg"; a: IRExpr }
  | { k: "not"; a: IRExpr }
  | { k: "bin"; op: BinOp; a: IRExpr; b: IRExpr }
  | { k: "sel"; c: IRExpr; a: IRExpr; b: IRExpr } // c ? a : b
  | { k: "call"; fn: BuiltinFn; args: IRExpr[] };
// (every variant may also hold a non-enumerable `span` set by spans.ts attachSpan; read it with exprSpan)

// ---------------------------------------------------------------- statements

export type IRStmt =
  | { k: "assign"; target: Ref; value: IRExpr; span?: Span } // target space: state | input | local | pre | post
  | { k: "let"; name: string; value: IRExpr; span?: Span } // introduces a local
  | { k: "if"; c: IRExpr; then: IRStmt[]; otherwise: IRStmt[]; span?: Span };
// span: the source statement (a statement solve-odes writes for an ODE has the equation's span)

// ---------------------------------------------------------------- initial values

/** How a per-element value is initialized (params, state, weights, delays). */
export type IRInit =
  | { k: "expr"; e: IRExpr } // may use params, index i/j, t=0; constant if it references none
  | { k: "dist"; dist: "uniform" | "normal" | "lognormal" | "truncated_normal"; args: IRExpr[]; scale: number }
  | { k: "table"; file: string; values: number[] }; // element e takes values[e] (SI): a data-file column
// lognormal: exp(normal(mu, sigma)) * scale; uniform/normal args are in SI already, scale = 1.
// Every dist value is draw * scale (scale != 1 for uniform/normal only in delays, see IRProjection.delay).

export interface IRVar {
  name: string;
  /** Dimension in printable form, e.g. "V", "s", "1", "A*s^-1". */
  dim: string;
  init: IRInit;
  /** params only: true when the value differs per element (drawn or index-dependent). */
  perElement: boolean;
  /** The declaration in the model. */
  span?: Span;
}

// ---------------------------------------------------------------- groups (neurons, astrocytes)

export type { Method };

export interface IROde {
  name: string; // state variable
  rhs: IRExpr;
  span?: Span; // the equation `x' = ...`
}

export interface IRGroup {
  name: string; // population name
  kind: "neuron" | "astrocyte";
  model: string; // model name it was instantiated from
  size: number;
  /** Steps of the network clock per step of this group (1 unless the model sets its own dt). */
  stepEvery: number;
  params: IRVar[];
  state: IRVar[];
  inputs: IRVar[];
  aliases: { name: string; expr: IRExpr; span?: Span }[];
  /** Where each inlined alias was declared (set by inline-aliases, for diagnostics naming the alias an
   *  expression came from). */
  aliasSpans?: { name: string; span: Span }[];
  odes: IROde[];
  /** The method the model named, or null for automatic choice. */
  methodRequested: Method | null;
  /** Chosen by solve-odes, per state variable (null before). */
  methods: Record<string, Method> | null;
  /** Discrete per-step update: reads old state, writes new state (all assignments use the old values
   *  unless the statement list says otherwise through locals). Empty before solve-odes. */
  update: IRStmt[];
  threshold: IRExpr | null;
  reset: IRStmt[];
  refractory: { steps: number; clamp: string[] } | null;
  /** Astrocytes: handlers for ensheathed synapses' events; exposes read by synapses as astro.NAME. */
  onSynapsePre: IRStmt[];
  onSynapsePost: IRStmt[];
  exposes: { name: string; dim: string; expr: IRExpr }[];
  /** The population statement, the model declaration's name, and handler headers by event. */
  span?: Span;
  modelSpan?: Span;
  handlerSpans?: HandlerSpans;
}

/** Header spans of a model's handlers (`on pre`, `continuous`, ...) and its spike rule, where present. */
export type HandlerSpans = Partial<
  Record<"pre" | "post" | "synapse_pre" | "synapse_post" | "continuous" | "spike", Span>
>;

// ---------------------------------------------------------------- projections (synapses)

export type ConnectRule =
  | { k: "all_to_all" }
  | { k: "one_to_one" }
  | { k: "fixed_probability"; p: number }
  | { k: "fixed_indegree"; n: number }
  | { k: "fixed_outdegree"; n: number }
  /** n synapses, each pre and post element drawn uniformly (with replacement: multapses), as NEST's rule */
  | { k: "fixed_total_number"; n: number }
  | { k: "from_list"; pre: number[]; post: number[]; weights?: number[]; delays?: number[] };
// from_list: `weights` (SI, one per row) set the synapse parameter `w` and `delays` (seconds, one per row)
// the delay of each listed synapse; both come from csv_list columns (a weight column and an explicit
// `w` argument, or a delay column and a `delay =` option, are rejected by the checker, E0610).

export interface PopSlice {
  population: string;
  start: number; // inclusive
  end: number; // exclusive
}

export interface IRProjection {
  name: string; // given name, or `${pre}_${post}_${n}`
  synapse: string; // model name it was instantiated from
  pre: PopSlice; // one pre slice and one post slice per projection (the builder expands lists)
  post: PopSlice;
  rule: ConnectRule;
  allowSelf: boolean;
  /** Delay in steps of the network clock. A constant delay is {k:"expr", e: num(round(delay/dt))}; a
   *  distribution keeps its args in seconds with scale = 1/dt (lognormal: times its own scale), and
   *  the target rounds draw * scale to whole steps (the reference target uses Math.round); an
   *  index-dependent delay is floor(delay/dt + 0.5). */
  delay: IRInit;
  params: IRVar[];
  state: IRVar[]; // per-synapse state (w, traces)
  /** State variables advanced lazily at events (event-driven traces); the discrete form holds the
   *  closed-form decay as the first statements of onPre/onPost, and needs `lastUpdate` per synapse.
   *  If `continuous` reads such a variable it carries the same prefix; targets set lastUpdate = t
   *  after every handler (onPre, onPost, continuous) that has the prefix. */
  eventDriven: string[];
  odes: IROde[]; // continuous form only
  onPre: IRStmt[];
  onPost: IRStmt[];
  continuous: IRStmt[]; // summed coupling, every step
  /** Astrocyte population ensheathing this projection, with the pool rule. */
  ensheathedBy: { astrocytes: string; rule: "random" | "block"; pool: number } | null;
  /** The connect statement, the synapse model declaration's name, its handler headers, and the
   *  ensheath statement naming this projection. */
  span?: Span;
  modelSpan?: Span;
  handlerSpans?: HandlerSpans;
  ensheathSpan?: Span;
}

// ---------------------------------------------------------------- network level

/** A timed array (Brian2's TimedArray): values[m] holds from m * dt until (m + 1) * dt (s), the last value
 *  after the end. */
export interface IRTimedArray {
  dt: number;
  values: number[];
}

export type IRSource =
  | { name: string; k: "poisson"; size: number; rate: IRInit; timed?: IRTimedArray } // timed: rate (Hz) by time, every element
  | { name: string; k: "poisson_count"; size: number; rate: IRInit } // element e emits Poisson(rate_e * dt) events per step
  | { name: string; k: "periodic"; size: number; period: number; phase: number } // every element at phase + m * period (s)
  | { name: string; k: "spike_times"; size: number; times: number[]; indices: number[] } // times in s
  | { name: string; k: "csv_spikes"; size: number; file: string; times: number[]; indices: number[] };

export interface IRCurrent {
  variable: string; // an input of the target population
  target: PopSlice;
  k: "steps" | "csv_current";
  times: number[]; // s, ascending; value[i] holds from times[i] until times[i+1]
  values: number[]; // SI
}

export interface IRMonitor {
  k: "spikes" | "rate" | "state" | "synapse";
  variable?: string; // state and synapse monitors
  /** synapse monitors: `population` is the projection's name and [start, end) are synapse numbers (construction
   *  order), end -1 = every synapse of the projection; `indices` (when present) lists synapse numbers instead. */
  target: PopSlice;
  indices?: number[];
  everySteps: number;
}

export interface IRModulator {
  name: string;
  dim: string;
  expr: IRExpr; // may use t, poprate, popmean, and earlier modulators
}

export interface IRProgram {
  version: typeof IR_VERSION;
  network: string;
  dt: number; // s
  seed: number;
  steps: number; // run duration in steps
  /** `window = [FROM, TO]` of the network (s): rates over that half-open window as well (as `--window`). */
  window?: [number, number];
  groups: IRGroup[];
  sources: IRSource[];
  projections: IRProjection[];
  currents: IRCurrent[];
  modulators: IRModulator[];
  monitors: IRMonitor[];
  /** Which passes have run, in order (the verifier checks form against it). */
  passes: string[];
  /** Source spans of network-level items (absent on IR made by hand or read from JSON). */
  spans?: IRProgramSpans;
}

export interface IRProgramSpans {
  /** The network's name in `network NAME {`: the fallback for diagnostics with nothing more specific. */
  network: Span;
  sources: Record<string, Span>; // by source name: the input statement
  currents: Span[]; // parallel to IRProgram.currents
  monitors: Span[]; // parallel to IRProgram.monitors: the record statement
  modulators: Record<string, Span>; // by modulator name
  /** The run statement and the dt setting, where present. */
  run?: Span;
  dt?: Span;
}
