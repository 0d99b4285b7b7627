// The IR builder: checked AST to continuous IR. In: a Program (assumed to have passed the checker)
// and the data files it names (keyed by resolved path); out: an IRProgram in continuous form, with one
// model instance per population and per (pre, post) pair of every connect, all values in SI.

import type { Arg, Decl, Expr, FileAst, ModelDef, NetItem, NetworkDef, PopRef, Program } from "../syntax/ast.js";
import type {
  ConnectRule,
  HandlerSpans,
  IRExpr,
  IRGroup,
  IRInit,
  IRMonitor,
  IRModulator,
  IRProgram,
  IRProgramSpans,
  IRProjection,
  IRSource,
  IRCurrent,
  IRTimedArray,
  IRStmt,
  IRVar,
  PopSlice,
  Ref,
} from "./nodes.js";
import type { Span } from "../diagnostics/span.js";
import { IR_VERSION } from "./nodes.js";
import { mentions, num, substitute } from "./expr.js";
import { evalNumber } from "./evaluate.js";
import { inferDim, lowerExpr, lowerInit, lowerStmts, type LowerCtx } from "./build-expr.js";
import { DIMENSIONLESS, type Dim, evalUnit, formatDim } from "../units/units.js";
import { lookupData, readConnectionList, readCsv, resolveDataPath } from "./build-data.js";
import { readDataColumn } from "../syntax/data-column.js";
import { DEFAULT_DT, isMethod } from "../builtins/settings.js";
import { groupIndexParams, projectionIndexParams } from "./build-index.js";
import { replaceCall, timedArrayCalls, timedValues } from "../syntax/timed-expr.js";

// ---------------------------------------------------------------- model instances

interface Instance {
  params: IRVar[];
  state: IRVar[];
  inputs: IRVar[];
  aliases: { name: string; expr: IRExpr; span?: Span }[];
  ctx: LowerCtx;
  dims: Map<string, Dim>;
}

/** Binds arguments to parameters: positional in declaration order, then by name. */
function bindArgs(model: ModelDef, args: readonly Arg[]): Map<string, Expr> {
  const out = new Map<string, Expr>();
  args.forEach((a, k) => {
    const name = a.name ?? model.parameters[k]?.name;
    if (name !== undefined) out.set(name, a.value);
  });
  return out;
}

function annotated(d: { unit?: import("../syntax/ast.js").UnitExpr }): Dim | undefined {
  if (!d.unit) return undefined;
  const u = evalUnit(d.unit);
  return u.ok ? u.dim : undefined;
}

/** Whether an init differs per element: a draw, the element index, or a per-element parameter. */
function isPerElement(init: IRInit, perElemParams: ReadonlySet<string>): boolean {
  if (init.k === "dist" || init.k === "table") return true;
  return mentions(init.e, (r) => r.space === "index" || (r.space === "param" && perElemParams.has(r.name)));
}

/**
 * One instance of `model` with `args` bound. `argCtx` resolves names in the arguments (i, j);
 * `onto` is the variable `post.target` stands for in synapses.
 */
function instantiate(
  model: ModelDef,
  args: readonly Arg[],
  argIndex: readonly string[],
  onto?: string,
  size?: number,
  column?: (e: Expr) => IRInit | undefined,
): Instance {
  const bound = bindArgs(model, args);
  const kinds = new Map<string, Ref["space"]>();
  for (const d of model.parameters) kinds.set(d.name, "param");
  for (const d of model.state) kinds.set(d.name, "state");
  for (const d of model.inputs) kinds.set(d.name, "input");
  for (const q of model.equations) if (q.kind === "Alias") kinds.set(q.name, "alias");
  const resolveModel = (n: string): Ref | undefined => {
    const k = kinds.get(n);
    return k ? { space: k, name: n } : undefined;
  };
  // groups: initial values and arguments read the element index i and the population size N (the
  // checker allows them there only); N is a constant of the population
  // synapses: equations and handlers read the pre and post indices i, j (groupIndexParams and
  // projectionIndexParams turn per-step reads into per-element parameters)
  const element = (n: string): Ref | undefined =>
    (size !== undefined ? n === "i" : argIndex.includes(n)) ? { space: "index", name: n } : undefined;
  const constant = (n: string): number | undefined => (size !== undefined && n === "N" ? size : undefined);
  const ctx: LowerCtx = { resolve: (n) => resolveModel(n) ?? element(n), onto, constant };
  // arguments see the element indices first, then the model's own names (defaults)
  const argCtx: LowerCtx = {
    resolve: (n) => (argIndex.includes(n) ? { space: "index", name: n } : (resolveModel(n) ?? element(n))),
    onto,
    constant,
  };
  const dims = new Map<string, Dim>();
  const dimOf = (n: string): Dim | undefined => dims.get(n);
  const argDimOf = (n: string): Dim | undefined => (argIndex.includes(n) ? DIMENSIONLESS : dims.get(n));

  const mkVar = (d: Decl, fromArg: Expr | undefined): IRVar => {
    const src = fromArg ?? d.value;
    const init: IRInit =
      (fromArg && column?.(fromArg)) ?? (src ? lowerInit(src, fromArg ? argCtx : ctx) : { k: "expr", e: num(0) });
    const dim = annotated(d) ?? (src ? inferDim(src, fromArg ? argDimOf : dimOf) : undefined) ?? DIMENSIONLESS;
    dims.set(d.name, dim);
    return { name: d.name, dim: formatDim(dim), init, perElement: false, span: d.span };
  };
  const params = model.parameters.map((d) => mkVar(d, bound.get(d.name)));
  // per-element parameters: drawn, index-dependent, or depending on such a parameter (to a fixed point)
  const perElem = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const p of params) {
      if (!perElem.has(p.name) && isPerElement(p.init, perElem)) {
        perElem.add(p.name);
        changed = true;
      }
    }
  }
  for (const p of params) p.perElement = perElem.has(p.name);
  const state = model.state.map((d) => mkVar(d, undefined));
  for (const s of state) s.perElement = isPerElement(s.init, perElem);
  const inputs = model.inputs.map((d) => mkVar(d, undefined));
  const aliases: { name: string; expr: IRExpr; span?: Span }[] = [];
  for (const q of model.equations) {
    if (q.kind !== "Alias") continue;
    dims.set(q.name, annotated(q) ?? inferDim(q.value, dimOf) ?? DIMENSIONLESS);
    aliases.push({ name: q.name, expr: lowerExpr(q.value, ctx), span: q.span });
  }
  return { params, state, inputs, aliases, ctx, dims };
}

function odesOf(model: ModelDef, ctx: LowerCtx) {
  return model.equations.flatMap((q) =>
    q.kind === "Ode" ? [{ name: q.name, rhs: lowerExpr(q.value, ctx), span: q.span }] : [],
  );
}

/** Header spans of the model's handlers (the first of each event) and of its spike rule. */
function handlerSpans(model: ModelDef): HandlerSpans {
  const out: HandlerSpans = {};
  for (const h of model.handlers) out[h.event] ??= h.span;
  if (model.spike) out.spike = model.spike.span;
  return out;
}

function handler(model: ModelDef, event: string, ctx: LowerCtx): IRStmt[] {
  return model.handlers.filter((h) => h.event === event).flatMap((h) => lowerStmts(h.body, ctx));
}

// ---------------------------------------------------------------- network

interface Net {
  dt: number;
  models: Map<string, ModelDef>;
  file: FileAst;
  data: ReadonlyMap<string, string>;
  sizes: Map<string, number>;
}

/** A constant network-level value in SI (0 when it is not constant, which the checker rejects). */
function constant(e: Expr | undefined, fallback = 0): number {
  if (!e) return fallback;
  const v = evalNumber(lowerExpr(e, { resolve: () => undefined }));
  return v === undefined || !Number.isFinite(v) ? fallback : v;
}

function numList(e: Expr | undefined): number[] {
  if (!e) return [];
  if (e.kind === "List") return e.items.map((x) => constant(x));
  return [constant(e)];
}

function argNamed(args: readonly Arg[], name: string, position: number): Expr | undefined {
  return (
    args.find((a) => a.name === name)?.value ??
    (args[position] && args[position]!.name === undefined ? args[position]!.value : undefined)
  );
}

function stringArg(args: readonly Arg[]): string | undefined {
  const v = args.find((a) => a.value.kind === "String")?.value;
  return v && v.kind === "String" ? v.value : undefined;
}

function slice(r: PopRef, net: Net): PopSlice {
  const n = net.sizes.get(r.name) ?? 0;
  if (!r.slice) return { population: r.name, start: 0, end: n };
  return { population: r.name, start: Math.round(constant(r.slice.start)), end: Math.round(constant(r.slice.end)) };
}

function buildGroup(item: Extract<NetItem, { kind: "Population" }>, net: Net): IRGroup | undefined {
  const model = net.models.get(item.model);
  if (!model || model.modelKind === "synapse") return undefined;
  const inst = instantiate(model, item.args, ["i"], undefined, Math.round(constant(item.size)), (e) =>
    dataColumn(e, net),
  );
  const ctx = inst.ctx;
  const consts = constantsOf(inst.params);
  const period = model.refractory ? evalNumber(lowerExpr(model.refractory.period, ctx), consts) : undefined;
  const modelDt = model.dt ? evalNumber(lowerExpr(model.dt, ctx), consts) : undefined;
  const method = model.method && isMethod(model.method.name) ? model.method.name : null;
  return groupIndexParams({
    name: item.name,
    kind: model.modelKind,
    model: model.name,
    size: Math.round(constant(item.size)),
    stepEvery: modelDt !== undefined ? Math.max(1, Math.round(modelDt / net.dt)) : 1,
    params: inst.params,
    state: inst.state,
    inputs: inst.inputs,
    aliases: inst.aliases,
    odes: odesOf(model, ctx),
    methodRequested: method,
    methods: null,
    update: [],
    threshold: model.spike ? lowerExpr(model.spike.condition, ctx) : null,
    reset: model.spike ? lowerStmts(model.spike.reset, ctx) : [],
    refractory: model.refractory
      ? { steps: Math.round((period ?? 0) / net.dt), clamp: model.refractory.clamp.map((c) => c.name) }
      : null,
    onSynapsePre: handler(model, "synapse_pre", ctx),
    onSynapsePost: handler(model, "synapse_post", ctx),
    exposes: model.exposes.map((x) => ({
      name: x.name,
      dim: formatDim(annotated(x) ?? inferDim(x.value, (n) => inst.dims.get(n)) ?? DIMENSIONLESS),
      expr: lowerExpr(x.value, ctx),
    })),
    span: item.span,
    modelSpan: model.nameSpan,
    handlerSpans: handlerSpans(model),
  });
}

/** Scalar parameter values, for constants in the model (refractory period, own dt). */
function constantsOf(params: readonly IRVar[]): (r: Ref) => number | undefined {
  const byName = new Map(params.map((p) => [p.name, p]));
  const look = (r: Ref): number | undefined => {
    if (r.space !== "param") return undefined;
    const p = byName.get(r.name);
    return p && !p.perElement && p.init.k === "expr" ? evalNumber(p.init.e, look) : undefined;
  };
  return look;
}

function buildRule(rule: Extract<NetItem, { kind: "Connect" }>["rule"], net: Net): ConnectRule {
  const a = rule.args;
  switch (rule.name) {
    case "one_to_one":
      return { k: "one_to_one" };
    case "fixed_probability":
      return { k: "fixed_probability", p: constant(argNamed(a, "p", 0)) };
    case "fixed_indegree":
    case "fixed_outdegree":
      return { k: rule.name, n: Math.round(constant(argNamed(a, "n", 0) ?? argNamed(a, "k", 0))) };
    case "fixed_total_number":
      return { k: "fixed_total_number", n: Math.round(constant(argNamed(a, "n", 0) ?? argNamed(a, "N", 0))) };
    case "from_list":
      return {
        k: "from_list",
        pre: numList(argNamed(a, "pre", 0)).map(Math.round),
        post: numList(argNamed(a, "post", 1)).map(Math.round),
      };
    case "csv_list":
      return { k: "from_list", ...readConnectionList(net.data, resolveDataPath(net.file.file, stringArg(a) ?? "")) };
    default:
      return { k: "all_to_all" };
  }
}

function buildDelay(e: Expr | undefined, net: Net): IRInit {
  if (!e) return { k: "expr", e: num(0) };
  const init = lowerInit(e, { resolve: (n) => (n === "i" || n === "j" ? { space: "index", name: n } : undefined) });
  // distributions keep their arguments in seconds; value = draw * scale in steps, rounded by the target
  if (init.k === "dist") return { ...init, scale: init.scale / net.dt };
  const v = evalNumber(init.e);
  if (v !== undefined) return { k: "expr", e: num(Math.round(v / net.dt)) };
  return {
    k: "expr",
    e: {
      k: "call",
      fn: "floor",
      args: [{ k: "bin", op: "+", a: { k: "bin", op: "/", a: init.e, b: num(net.dt) }, b: num(0.5) }],
    },
  };
}

function buildConnect(item: Extract<NetItem, { kind: "Connect" }>, net: Net, taken: Set<string>): IRProjection[] {
  const model = net.models.get(item.synapse);
  const out: IRProjection[] = [];
  const pairs = item.pre.flatMap((pre) => item.post.map((post) => [pre, post] as const));
  pairs.forEach(([pre, post], k) => {
    let name =
      item.name !== undefined ? (pairs.length === 1 ? item.name : `${item.name}_${k + 1}`) : `${pre.name}_${post.name}`;
    if (taken.has(name)) {
      let n = 2;
      while (taken.has(`${name}_${n}`)) n++;
      name = `${name}_${n}`;
    }
    taken.add(name);
    const inst = model ? instantiate(model, item.args, ["i", "j"], item.onto?.name) : undefined;
    // synapses have no alias list in the IR: substitute aliases where they are used
    const aliasMap = new Map((inst?.aliases ?? []).map((a) => [a.name, a.expr]));
    const inline = (e: IRExpr): IRExpr => {
      for (let d = 0; d < 16 && mentions(e, (r) => r.space === "alias"); d++)
        e = substitute(e, (r) => (r.space === "alias" ? aliasMap.get(r.name) : undefined));
      return e;
    };
    const inlineStmts = (ss: IRStmt[]): IRStmt[] =>
      ss.map((s) =>
        s.k === "if"
          ? { ...s, c: inline(s.c), then: inlineStmts(s.then), otherwise: inlineStmts(s.otherwise) }
          : { ...s, value: inline(s.value) },
      );
    const rule = buildRule(item.rule, net);
    // a weight column sets `w` per synapse (the checker has rejected a `w` argument beside it)
    if (rule.k === "from_list" && rule.weights)
      for (const p of inst?.params ?? []) if (p.name === "w") p.perElement = true;
    out.push(
      projectionIndexParams({
        name,
        synapse: item.synapse,
        pre: slice(pre, net),
        post: slice(post, net),
        rule,
        allowSelf: item.allowSelf,
        delay: buildDelay(item.delay, net),
        params: inst?.params ?? [],
        state: inst?.state ?? [],
        eventDriven: [],
        odes: model && inst ? odesOf(model, inst.ctx).map((o) => ({ ...o, rhs: inline(o.rhs) })) : [],
        onPre: model && inst ? inlineStmts(handler(model, "pre", inst.ctx)) : [],
        onPost: model && inst ? inlineStmts(handler(model, "post", inst.ctx)) : [],
        continuous: model && inst ? inlineStmts(handler(model, "continuous", inst.ctx)) : [],
        ensheathedBy: null,
        span: item.span,
        modelSpan: model?.nameSpan,
        handlerSpans: model ? handlerSpans(model) : undefined,
      }),
    );
  });
  return out;
}

function buildSource(item: Extract<NetItem, { kind: "Input" }>, net: Net): IRSource {
  const size = Math.round(constant(item.size));
  const a = item.args;
  switch (item.generator) {
    case "spike_times": {
      const times = numList(argNamed(a, "times", 0));
      const idx = argNamed(a, "indices", 1);
      return {
        name: item.name,
        k: "spike_times",
        size,
        times,
        indices: idx ? numList(idx).map(Math.round) : times.map(() => 0),
      };
    }
    case "csv_spikes": {
      const file = resolveDataPath(net.file.file, stringArg(a) ?? "");
      const rows = readCsv(net.data, file, ["time", "index"]);
      return {
        name: item.name,
        k: "csv_spikes",
        size,
        file,
        times: rows.map((r) => r[0]!),
        indices: rows.map((r) => Math.round(r[1]!)),
      };
    }
    case "periodic":
      return {
        name: item.name,
        k: "periodic",
        size,
        period: constant(argNamed(a, "period", 0)),
        phase: constant(argNamed(a, "phase", 1)),
      };
    default: {
      const rate = argNamed(a, "rate", 0);
      const inner = rate && item.generator !== "poisson_count" ? timedExpr(rate) : undefined;
      if (inner)
        return { name: item.name, k: "poisson", size, rate: { k: "expr", e: num(inner.values[0] ?? 0) }, timed: inner };
      if (rate?.kind === "Call" && rate.callee === "timed_array" && item.generator !== "poisson_count") {
        const timed = timedArray(rate.args, net);
        return { name: item.name, k: "poisson", size, rate: { k: "expr", e: num(timed.values[0] ?? 0) }, timed };
      }
      const init = rate
        ? lowerInit(rate, {
            resolve: (n) => (n === "i" ? { space: "index", name: "i" } : undefined),
            constant: (n) => (n === "N" ? size : undefined),
          })
        : { k: "expr" as const, e: num(0) };
      return { name: item.name, k: item.generator === "poisson_count" ? "poisson_count" : "poisson", size, rate: init };
    }
  }
}

/** A `csv_column("file.csv", "name")` argument as per-element values (SI); undefined for anything else. */
function dataColumn(e: Expr, net: Net): IRInit | undefined {
  if (e.kind !== "Call" || e.callee !== "csv_column") return undefined;
  const [file, name] = e.args.map((a) => a.value);
  if (file?.kind !== "String" || name?.kind !== "String") return undefined;
  const path = resolveDataPath(net.file.file, file.value);
  const col = readDataColumn(lookupData(net.data, path) ?? "", name.value);
  return { k: "table", file: file.value, values: "values" in col ? col.values : [] };
}

/** An expression of one timed_array (not the bare call) as the timed array of its values (SI); else undefined. */
function timedExpr(e: Expr): IRTimedArray | undefined {
  const calls = timedArrayCalls(e);
  const call = calls[0];
  const list = call && timedValues(call);
  if (calls.length !== 1 || call === e || list?.kind !== "List") return undefined;
  return {
    values: list.items.map((v) => constant(replaceCall(e, call, v))),
    dt: constant(argNamed(call.args, "step", 1)),
  };
}

/** timed_array(values = [...], step = ...) in SI. */
function timedArray(args: readonly Arg[], net: Net): IRTimedArray {
  const values = argNamed(args, "values", 0);
  const column = values ? dataColumn(values, net) : undefined;
  return {
    values: column?.k === "table" ? column.values : numList(values),
    dt: constant(argNamed(args, "step", 1)),
  };
}

function buildCurrent(item: Extract<NetItem, { kind: "Current" }>, net: Net): IRCurrent {
  const target = slice(item.target, net);
  const inner = item.value ? timedExpr(item.value) : undefined;
  if (inner)
    return {
      variable: item.variable,
      target,
      k: "steps",
      times: inner.values.map((_, m) => m * inner.dt),
      values: inner.values,
    };
  if (item.generator === "timed_array") {
    // a timed array is a step function: value m from m * dt on (the last one to the end of the run)
    const timed = timedArray(item.args, net);
    return {
      variable: item.variable,
      target,
      k: "steps",
      times: timed.values.map((_, m) => m * timed.dt),
      values: timed.values,
    };
  }
  if (item.generator === "csv_current") {
    const rows = readCsv(net.data, resolveDataPath(net.file.file, stringArg(item.args) ?? ""), ["time", "value"]);
    return {
      variable: item.variable,
      target,
      k: "csv_current",
      times: rows.map((r) => r[0]!),
      values: rows.map((r) => r[1]!),
    };
  }
  return {
    variable: item.variable,
    target,
    k: "steps",
    times: numList(argNamed(item.args, "times", 0)),
    values: numList(argNamed(item.args, "values", 1)),
  };
}

function findNetwork(program: Program): { net: NetworkDef; file: FileAst } | undefined {
  for (const f of program.files) if (f.networks[0]) return { net: f.networks[0], file: f };
  return undefined;
}

/** Builds the continuous IR of the program's network (the first network of the entry file). */
export function buildIR(program: Program, data: ReadonlyMap<string, string>): IRProgram {
  const models = new Map<string, ModelDef>();
  for (const f of program.files) for (const m of f.models) if (!models.has(m.name)) models.set(m.name, m);
  const found = findNetwork(program);
  const empty: IRProgram = {
    version: IR_VERSION,
    network: "",
    dt: DEFAULT_DT,
    seed: 0,
    steps: 0,
    groups: [],
    sources: [],
    projections: [],
    currents: [],
    modulators: [],
    monitors: [],
    passes: [],
  };
  if (!found) return empty;
  const { net: nd, file } = found;
  const setting = (n: "dt" | "seed" | "window") =>
    nd.items.find((x): x is Extract<NetItem, { kind: "Setting" }> => x.kind === "Setting" && x.name === n);
  const dt = constant(setting("dt")?.value, DEFAULT_DT) || DEFAULT_DT;
  const net: Net = { dt, models, file, data, sizes: new Map() };
  for (const it of nd.items)
    if (it.kind === "Population" || it.kind === "Input") net.sizes.set(it.name, Math.round(constant(it.size)));

  const spans: IRProgramSpans = { network: nd.nameSpan, sources: {}, currents: [], monitors: [], modulators: {} };
  const dtSpan = setting("dt")?.span;
  if (dtSpan) spans.dt = dtSpan;
  const p: IRProgram = { ...empty, network: nd.name, dt, seed: Math.round(constant(setting("seed")?.value, 0)), spans };
  const win = setting("window")?.value;
  if (win?.kind === "List" && win.items.length === 2) p.window = [constant(win.items[0], 0), constant(win.items[1], 0)];
  const taken = new Set<string>();
  const byGivenName = new Map<string, IRProjection[]>();
  const modNames = new Set<string>();
  const givenNames = new Set(nd.items.flatMap((x) => (x.kind === "Connect" && x.name !== undefined ? [x.name] : [])));
  const synapseRecords: { item: Extract<NetItem, { kind: "Record" }>; ref: PopRef }[] = [];
  for (const it of nd.items) {
    switch (it.kind) {
      case "Population": {
        const g = buildGroup(it, net);
        if (g) p.groups.push(g);
        break;
      }
      case "Input":
        p.sources.push(buildSource(it, net));
        spans.sources[it.name] = it.span;
        break;
      case "Current":
        p.currents.push(buildCurrent(it, net));
        spans.currents.push(it.span);
        break;
      case "Connect": {
        const projs = buildConnect(it, net, taken);
        p.projections.push(...projs);
        for (const pr of projs) byGivenName.set(pr.name, [pr]);
        if (it.name !== undefined) byGivenName.set(it.name, projs);
        break;
      }
      case "Ensheath": {
        const astrocytes = it.astrocytes;
        const rule = it.rule.name === "block" ? "block" : "random";
        const pool = Math.round(constant(argNamed(it.rule.args, "pool", 0), 1));
        for (const ref of it.projections) {
          for (const pr of byGivenName.get(ref.name) ?? []) {
            pr.ensheathedBy = { astrocytes, rule, pool };
            pr.ensheathSpan = it.span;
          }
        }
        break;
      }
      case "Modulator": {
        const ctx: LowerCtx = { resolve: (n) => (modNames.has(n) ? { space: "mod", name: n } : undefined) };
        const dim = (it.unit && annotatedUnit(it.unit)) ?? inferDim(it.value, () => undefined) ?? DIMENSIONLESS;
        const m: IRModulator = { name: it.name, dim: formatDim(dim), expr: lowerExpr(it.value, ctx) };
        p.modulators.push(m);
        spans.modulators[it.name] = it.span;
        modNames.add(it.name);
        break;
      }
      case "Record":
        for (const t of it.targets) {
          if (givenNames.has(t.name)) {
            synapseRecords.push({ item: it, ref: t });
            continue;
          }
          const kind: IRMonitor["k"] = it.what === "spikes" ? "spikes" : it.what === "rate" ? "rate" : "state";
          const everySteps = it.every ? Math.max(1, Math.round(constant(it.every) / dt)) : 1;
          const m: IRMonitor =
            kind === "state"
              ? { k: kind, variable: it.what, target: slice(t, net), everySteps }
              : { k: kind, target: slice(t, net), everySteps };
          p.monitors.push(m);
          spans.monitors.push(it.span);
        }
        break;
      case "Run":
        p.steps = Math.round(constant(it.duration) / dt);
        spans.run = it.span;
        break;
      case "Setting":
        break;
    }
  }
  // synapse monitors: one per projection the name stands for (a named connect between several populations
  // makes several), after every connect is built
  for (const { item, ref } of synapseRecords) {
    const everySteps = item.every ? Math.max(1, Math.round(constant(item.every) / dt)) : 1;
    for (const pr of byGivenName.get(ref.name) ?? []) {
      const m: IRMonitor = {
        k: "synapse",
        variable: item.what,
        target: ref.slice
          ? {
              population: pr.name,
              start: Math.round(constant(ref.slice.start)),
              end: Math.round(constant(ref.slice.end)),
            }
          : { population: pr.name, start: 0, end: -1 },
        everySteps,
      };
      if (ref.indices) m.indices = ref.indices.map((e) => Math.round(constant(e)));
      p.monitors.push(m);
      spans.monitors.push(item.span);
    }
  }
  return p;
}

function annotatedUnit(u: import("../syntax/ast.js").UnitExpr): Dim | undefined {
  const r = evalUnit(u);
  return r.ok ? r.dim : undefined;
}
