// Helpers for hand-built discrete IR programs in tests. In: short descriptions; out: IRProgram parts
// with every field filled (so tests stay readable).

import type {
  IRExpr,
  IRGroup,
  IRInit,
  IRProgram,
  IRProjection,
  IRStmt,
  IRVar,
  RefSpace,
} from "../../compiler/ir/nodes.js";

export const n = (v: number): IRExpr => ({ k: "num", v });
export const r = (space: RefSpace, name: string): IRExpr => ({ k: "ref", ref: { space, name } });
export const b = (op: "+" | "-" | "*" | "/" | "<" | ">" | ">=" | "==" | "pow", a: IRExpr, c: IRExpr): IRExpr => ({
  k: "bin",
  op,
  a,
  b: c,
});
export const set = (space: RefSpace, name: string, value: IRExpr): IRStmt => ({
  k: "assign",
  target: { space, name },
  value,
});
export const init = (v: number): IRInit => ({ k: "expr", e: n(v) });
export const v = (name: string, value: number | IRInit, perElement = false): IRVar => ({
  name,
  dim: "1",
  init: typeof value === "number" ? init(value) : value,
  perElement,
});

export function group(name: string, size: number, extra: Partial<IRGroup> = {}): IRGroup {
  return {
    name,
    kind: "neuron",
    model: name,
    size,
    stepEvery: 1,
    params: [],
    state: [],
    inputs: [],
    aliases: [],
    odes: [],
    methodRequested: null,
    methods: {},
    update: [],
    threshold: null,
    reset: [],
    refractory: null,
    onSynapsePre: [],
    onSynapsePost: [],
    exposes: [],
    ...extra,
  };
}

export function projection(
  name: string,
  pre: [string, number],
  post: [string, number],
  extra: Partial<IRProjection> = {},
): IRProjection {
  return {
    name,
    synapse: name,
    pre: { population: pre[0], start: 0, end: pre[1] },
    post: { population: post[0], start: 0, end: post[1] },
    rule: { k: "all_to_all" },
    allowSelf: false,
    delay: init(0),
    params: [],
    state: [],
    eventDriven: [],
    odes: [],
    onPre: [],
    onPost: [],
    continuous: [],
    ensheathedBy: null,
    ...extra,
  };
}

export function program(extra: Partial<IRProgram>): IRProgram {
  return {
    version: 1,
    network: "test",
    dt: 1e-4,
    seed: 1,
    steps: 100,
    groups: [],
    sources: [],
    projections: [],
    currents: [],
    modulators: [],
    monitors: [],
    passes: ["solve-odes", "event-driven"],
    ...extra,
  };
}
