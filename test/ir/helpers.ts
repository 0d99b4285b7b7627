// Test-only helpers: hand-built IR entities, one pipeline pass run through the pass manager, and a tiny
// evaluator for discrete IR statements.
// In: partial groups/programs, statements and an environment; out: IR values and evaluated state.

import type { IRExpr, IRGroup, IRProgram, IRProjection, IRStmt, IRVar, Ref } from "../../compiler/ir/nodes.js";
import { evalBin, evalBuiltin, type Value } from "../../compiler/ir/evaluate.js";
import { num } from "../../compiler/ir/expr.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { PASSES } from "../../compiler/pipeline.js";
import { passContext, runPass } from "../../compiler/passes/manager.js";

export const scalar = (name: string, v: number, dim = "1"): IRVar => ({
  name,
  dim,
  init: { k: "expr", e: num(v) },
  perElement: false,
});
export const perElem = (name: string, v: number, dim = "1"): IRVar => ({
  name,
  dim,
  init: { k: "expr", e: num(v) },
  perElement: true,
});

export function group(over: Partial<IRGroup> & { name: string }): IRGroup {
  return {
    kind: "neuron",
    model: over.name.toUpperCase(),
    size: 1,
    stepEvery: 1,
    params: [],
    state: [],
    inputs: [],
    aliases: [],
    odes: [],
    methodRequested: null,
    methods: null,
    update: [],
    threshold: null,
    reset: [],
    refractory: null,
    onSynapsePre: [],
    onSynapsePost: [],
    exposes: [],
    ...over,
  };
}

export function projection(
  over: Omit<Partial<IRProjection>, "pre" | "post"> & { name: string; pre: string; post: string },
): IRProjection {
  const { pre, post, ...rest } = over;
  return {
    synapse: "S",
    rule: { k: "all_to_all" },
    allowSelf: false,
    delay: { k: "expr", e: num(0) },
    params: [],
    state: [],
    eventDriven: [],
    odes: [],
    onPre: [],
    onPost: [],
    continuous: [],
    ensheathedBy: null,
    ...rest,
    pre: { population: pre, start: 0, end: 1 },
    post: { population: post, start: 0, end: 1 },
  };
}

export function program(over: Partial<IRProgram>): IRProgram {
  return {
    version: 1,
    network: "Test",
    dt: 1e-4,
    seed: 1,
    steps: 10,
    groups: [],
    sources: [],
    projections: [],
    currents: [],
    modulators: [],
    monitors: [],
    passes: [],
    ...over,
  };
}

export interface Env {
  state: Record<string, number>;
  params?: Record<string, number>;
  inputs?: Record<string, number>;
  t?: number;
  dt?: number;
  elapsed?: number;
  refractory?: boolean;
  locals?: Map<string, Value>;
}

function lookup(r: Ref, env: Env, locals: Map<string, Value>): Value {
  const pick = (o: Record<string, number> | undefined): number => {
    const v = o?.[r.name];
    if (v === undefined) throw new Error(`test evaluator: no value for ${r.space}:${r.name}`);
    return v;
  };
  switch (r.space) {
    case "state":
      return pick(env.state);
    case "param":
      return pick(env.params);
    case "input":
      return pick(env.inputs);
    case "local": {
      const v = locals.get(r.name);
      if (v === undefined) throw new Error(`test evaluator: local ${r.name} undefined`);
      return v;
    }
    case "t":
      return env.t ?? 0;
    case "dt":
      return env.dt ?? 0;
    case "elapsed":
      return env.elapsed ?? 0;
    case "flag":
      return env.refractory ?? false;
    default:
      throw new Error(`test evaluator: unsupported space ${r.space}`);
  }
}

/** Runs the pipeline's pass `name` over `p` through the pass manager (the name is recorded in `passes`). */
export function applyPassReporting(name: string, p: IRProgram): { ir: IRProgram; diagnostics: Diagnostic[] } {
  const pass = PASSES.find((x) => x.name === name);
  if (!pass) throw new Error(`no pass ${name}`);
  const ctx = passContext();
  return { ir: runPass(pass, p, ctx), diagnostics: ctx.diagnostics.items };
}

export const applyPass = (name: string, p: IRProgram): IRProgram => applyPassReporting(name, p).ir;

export function evalE(e: IRExpr, env: Env, locals: Map<string, Value> = new Map()): Value {
  switch (e.k) {
    case "num":
    case "bool":
      return e.v;
    case "ref":
      return lookup(e.ref, env, locals);
    case "neg":
      return -(evalE(e.a, env, locals) as number);
    case "not":
      return !evalE(e.a, env, locals);
    case "bin":
      return evalBin(e.op, evalE(e.a, env, locals), evalE(e.b, env, locals));
    case "sel":
      return evalE(e.c, env, locals) ? evalE(e.a, env, locals) : evalE(e.b, env, locals);
    case "call":
      return evalBuiltin(
        e.fn,
        e.args.map((a) => evalE(a, env, locals) as number),
      );
  }
}

/** Runs statements in place on env.state / env.inputs (locals scoped to the list). */
export function run(stmts: readonly IRStmt[], env: Env, outer: Map<string, Value> = new Map()): void {
  const locals = new Map(outer);
  for (const s of stmts) {
    if (s.k === "let") locals.set(s.name, evalE(s.value, env, locals));
    else if (s.k === "if") run(evalE(s.c, env, locals) ? s.then : s.otherwise, env, locals);
    else {
      const v = evalE(s.value, env, locals) as number;
      if (s.target.space === "state") env.state[s.target.name] = v;
      else if (s.target.space === "input") (env.inputs ??= {})[s.target.name] = v;
      else if (s.target.space === "local") locals.set(s.target.name, v);
      else throw new Error(`test evaluator: cannot assign ${s.target.space}`);
    }
  }
}

/** Steps a solved group `n` times from `state` (t advances by h each step). */
export function simulate(
  g: IRGroup,
  state: Record<string, number>,
  n: number,
  h: number,
  extra: Omit<Env, "state"> = {},
): Record<string, number> {
  const env: Env = { ...extra, state: { ...state }, t: 0 };
  for (let k = 0; k < n; k++) {
    env.t = k * h;
    run(g.update, env);
  }
  return env.state;
}
