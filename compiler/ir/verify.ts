// The IR verifier: structural invariants every stage must keep. Used between passes in tests.
// In: an IRProgram; out: a list of problems (empty when the IR is well formed), each naming where.
// Checks: refs resolve to declared names of the right space, assignments only to writable spaces,
// locals defined before use, calls with their arity (compiler/builtins), numbers finite, names unique,
// form consistent with `passes`.

import type { IRExpr, IRGroup, IRInit, IRProgram, IRProjection, IRStmt, IRVar, Ref } from "./nodes.js";
import { forEachRef } from "./expr.js";
import { printRef } from "./print.js";
import { BUILTINS } from "../builtins/functions.js";

interface Scope {
  /** Names per ref space that may be read. */
  spaces: Map<string, Set<string>>;
  where: string;
}

const names = (vs: readonly { name: string }[]): Set<string> => new Set(vs.map((v) => v.name));

function checkExpr(e: IRExpr, sc: Scope, locals: ReadonlySet<string>, out: string[], what: string): void {
  const walk = (x: IRExpr): void => {
    if (x.k === "num" && !Number.isFinite(x.v)) out.push(`${sc.where}: ${what}: non-finite number ${x.v}`);
    if (x.k === "call" && x.args.length !== BUILTINS[x.fn]?.arity)
      out.push(`${sc.where}: ${what}: ${x.fn} takes ${BUILTINS[x.fn]?.arity} arguments, has ${x.args.length}`);
    if (x.k === "neg" || x.k === "not") walk(x.a);
    else if (x.k === "bin") {
      walk(x.a);
      walk(x.b);
    } else if (x.k === "sel") {
      walk(x.c);
      walk(x.a);
      walk(x.b);
    } else if (x.k === "call") x.args.forEach(walk);
  };
  walk(e);
  forEachRef(e, (r) => {
    if (r.space === "local") {
      if (!locals.has(r.name)) out.push(`${sc.where}: ${what}: local ${r.name} used before it is defined`);
      return;
    }
    const allowed = sc.spaces.get(r.space);
    if (!allowed) out.push(`${sc.where}: ${what}: ${printRef(r)} (${r.space}) cannot be used here`);
    else if (allowed.size > 0 && !allowed.has(r.name) && !allowed.has("*"))
      out.push(`${sc.where}: ${what}: unknown ${r.space} ${r.name}`);
  });
}

const WRITABLE = new Set(["state", "input", "local", "pre", "post"]);

function checkStmts(
  stmts: readonly IRStmt[],
  sc: Scope,
  locals0: ReadonlySet<string>,
  out: string[],
  what: string,
  writable: Set<string>,
): void {
  const locals = new Set(locals0);
  for (const s of stmts) {
    if (s.k === "if") {
      checkExpr(s.c, sc, locals, out, what);
      checkStmts(s.then, sc, locals, out, what, writable);
      checkStmts(s.otherwise, sc, locals, out, what, writable);
      continue;
    }
    checkExpr(s.value, sc, locals, out, what);
    if (s.k === "let") {
      if (locals.has(s.name)) out.push(`${sc.where}: ${what}: local ${s.name} defined twice`);
      locals.add(s.name);
      continue;
    }
    const t: Ref = s.target;
    if (!WRITABLE.has(t.space) || !writable.has(t.space))
      out.push(`${sc.where}: ${what}: cannot assign to ${printRef(t)} (${t.space})`);
    else if (t.space === "local") {
      if (!locals.has(t.name)) out.push(`${sc.where}: ${what}: assignment to undefined local ${t.name}`);
    } else {
      const allowed = sc.spaces.get(t.space);
      if (allowed && allowed.size > 0 && !allowed.has(t.name) && !allowed.has("*"))
        out.push(`${sc.where}: ${what}: unknown ${t.space} ${t.name}`);
    }
  }
}

function checkInit(init: IRInit, sc: Scope, out: string[], what: string): void {
  if (init.k === "table") {
    if (init.values.some((x) => !Number.isFinite(x)))
      out.push(`${sc.where}: ${what}: non-finite value in ${init.file}`);
    return;
  }
  if (init.k === "expr") checkExpr(init.e, sc, new Set(), out, what);
  else {
    init.args.forEach((a) => checkExpr(a, sc, new Set(), out, what));
    if (!Number.isFinite(init.scale)) out.push(`${sc.where}: ${what}: non-finite scale`);
    const want =
      init.dist === "uniform" || init.dist === "normal" || init.dist === "lognormal"
        ? 2
        : init.dist === "truncated_normal"
          ? 4
          : -1;
    if (init.args.length !== want) out.push(`${sc.where}: ${what}: ${init.dist} takes ${want} arguments`);
  }
}

function unique(list: readonly string[], where: string, what: string, out: string[]): void {
  const seen = new Set<string>();
  for (const n of list) {
    if (seen.has(n)) out.push(`${where}: duplicate ${what} ${n}`);
    seen.add(n);
  }
}

function varsOf(g: IRGroup | undefined): Set<string> {
  return g ? new Set([...g.params, ...g.state, ...g.inputs].map((v) => v.name)) : new Set();
}

function checkGroup(g: IRGroup, p: IRProgram, after: (pass: string) => boolean, out: string[]): void {
  const where = `group ${g.name}`;
  unique(
    [...g.params, ...g.state, ...g.inputs, ...g.aliases].map((v) => v.name),
    where,
    "name",
    out,
  );
  if (g.size < 0 || !Number.isInteger(g.size)) out.push(`${where}: bad size ${g.size}`);
  if (g.stepEvery < 1 || !Number.isInteger(g.stepEvery)) out.push(`${where}: bad stepEvery ${g.stepEvery}`);
  const ensheathed = p.projections.filter((pr) => pr.ensheathedBy?.astrocytes === g.name);
  const groupOf = (n: string) => p.groups.find((x) => x.name === n);
  const preNames = new Set(ensheathed.flatMap((pr) => [...varsOf(groupOf(pr.pre.population))]));
  const postNames = new Set(ensheathed.flatMap((pr) => [...varsOf(groupOf(pr.post.population))]));
  const base = new Map<string, Set<string>>([
    ["param", names(g.params)],
    ["t", new Set(["t"])],
    ["dt", new Set(["dt"])],
    ["index", new Set(["i"])],
  ]);
  const initScope: Scope = { spaces: base, where };
  for (const v of g.params) checkInit(v.init, initScope, out, `param ${v.name}`);
  // state initial values may also read other state initial values (u = b * v)
  const stateInitScope: Scope = { spaces: new Map([...base, ["state", names(g.state)]]), where };
  for (const v of g.state) checkInit(v.init, stateInitScope, out, `init of ${v.name}`);
  for (const v of g.inputs) checkInit(v.init, initScope, out, `init of ${v.name}`);
  const spaces = new Map(base);
  spaces.delete("index");
  spaces.set("state", names(g.state));
  spaces.set("input", names(g.inputs));
  spaces.set("alias", names(g.aliases));
  spaces.set("mod", names(p.modulators));
  const sc: Scope = { spaces, where };
  const stateNames = names(g.state);
  for (const a of g.aliases) checkExpr(a.expr, sc, new Set(), out, `alias ${a.name}`);
  unique(
    g.odes.map((o) => o.name),
    where,
    "ode for",
    out,
  );
  // white noise: in ODEs (continuous form) and, as per-step draws, in the update (discrete form)
  const noise = new Set(["*"]);
  const odeScope: Scope = { spaces: new Map([...spaces, ["noise", noise]]), where };
  for (const o of g.odes) {
    if (!stateNames.has(o.name)) out.push(`${where}: ode for ${o.name}, which is not a state variable`);
    checkExpr(o.rhs, odeScope, new Set(), out, `${o.name}'`);
  }
  const updScope: Scope = {
    spaces: new Map([...spaces, ["flag", new Set(["refractory"])], ["noise", noise]]),
    where,
  };
  checkStmts(g.update, updScope, new Set(), out, "update", new Set(["state", "local"]));
  if (g.threshold) checkExpr(g.threshold, sc, new Set(), out, "threshold");
  checkStmts(g.reset, sc, new Set(), out, "reset", new Set(["state", "input", "local"]));
  const evSpaces = new Map([
    ...spaces,
    ["pre", preNames.size ? preNames : new Set(["*"])],
    ["post", postNames.size ? postNames : new Set(["*"])],
  ]);
  const evScope: Scope = { spaces: evSpaces, where };
  checkStmts(
    g.onSynapsePre,
    evScope,
    new Set(),
    out,
    "on synapse_pre",
    new Set(["state", "input", "local", "pre", "post"]),
  );
  checkStmts(
    g.onSynapsePost,
    evScope,
    new Set(),
    out,
    "on synapse_post",
    new Set(["state", "input", "local", "pre", "post"]),
  );
  for (const x of g.exposes) checkExpr(x.expr, sc, new Set(), out, `expose ${x.name}`);
  if (g.refractory) {
    if (!Number.isInteger(g.refractory.steps) || g.refractory.steps < 0)
      out.push(`${where}: bad refractory steps ${g.refractory.steps}`);
    for (const c of g.refractory.clamp)
      if (!stateNames.has(c)) out.push(`${where}: clamped ${c} is not a state variable`);
  }
  // form
  if (after("inline-aliases") && g.aliases.length > 0) out.push(`${where}: aliases left after inline-aliases`);
  if (after("solve-odes")) {
    if (g.odes.length > 0) out.push(`${where}: odes left after solve-odes`);
    if (g.methods === null) out.push(`${where}: no methods recorded by solve-odes`);
    for (const n of Object.keys(g.methods ?? {})) {
      if (!stateNames.has(n)) out.push(`${where}: method recorded for unknown state ${n}`);
      else if (!assigns(g.update, n))
        out.push(`${where}: ${n} is solved (${g.methods![n]}) but the update never assigns it`);
    }
  } else {
    if (g.update.length > 0) out.push(`${where}: update present before solve-odes`);
    if (g.methods !== null) out.push(`${where}: methods recorded before solve-odes`);
  }
}

function assigns(stmts: readonly IRStmt[], name: string): boolean {
  return stmts.some(
    (s) =>
      (s.k === "assign" && s.target.space === "state" && s.target.name === name) ||
      (s.k === "if" && (assigns(s.then, name) || assigns(s.otherwise, name))),
  );
}

function checkProjection(pr: IRProjection, p: IRProgram, after: (pass: string) => boolean, out: string[]): void {
  const where = `projection ${pr.name}`;
  unique(
    [...pr.params, ...pr.state].map((v) => v.name),
    where,
    "name",
    out,
  );
  const groupOf = (n: string) => p.groups.find((x) => x.name === n);
  const popSize = (n: string) => groupOf(n)?.size ?? p.sources.find((s) => s.name === n)?.size;
  for (const [side, s] of [
    ["pre", pr.pre],
    ["post", pr.post],
  ] as const) {
    const n = popSize(s.population);
    if (n === undefined) out.push(`${where}: unknown ${side} population ${s.population}`);
    else if (s.start < 0 || s.end > n || s.start > s.end)
      out.push(`${where}: ${side} slice [${s.start}:${s.end}] outside 0..${n}`);
  }
  // an input source may be the post side of a synapse that uses no post variable (the "post" space is then empty)
  if (!groupOf(pr.post.population) && !p.sources.some((s) => s.name === pr.post.population))
    out.push(`${where}: post population ${pr.post.population} is not a neuron group or an input source`);
  const astro = pr.ensheathedBy ? groupOf(pr.ensheathedBy.astrocytes) : undefined;
  if (pr.ensheathedBy && astro?.kind !== "astrocyte")
    out.push(`${where}: ensheathed by ${pr.ensheathedBy.astrocytes}, which is not an astrocyte group`);
  const idx = new Map<string, Set<string>>([
    ["param", names(pr.params)],
    ["index", new Set(["i", "j"])],
  ]);
  const initScope: Scope = { spaces: idx, where };
  checkInit(pr.delay, initScope, out, "delay");
  for (const v of [...pr.params, ...pr.state]) checkInit(v.init, initScope, out, `init of ${v.name}`);
  const spaces = new Map<string, Set<string>>([
    ["param", names(pr.params)],
    ["state", names(pr.state)],
    ["pre", varsOf(groupOf(pr.pre.population))],
    ["post", varsOf(groupOf(pr.post.population))],
    ["astro", new Set(astro ? astro.exposes.map((x) => x.name) : [])],
    ["mod", names(p.modulators)],
    ["t", new Set(["t"])],
    ["dt", new Set(["dt"])],
  ]);
  if (after("event-driven")) spaces.set("elapsed", new Set(["elapsed"]));
  if (!pr.ensheathedBy) spaces.delete("astro");
  const sc: Scope = { spaces, where };
  const stateNames = names(pr.state);
  for (const o of pr.odes) {
    if (!stateNames.has(o.name)) out.push(`${where}: ode for ${o.name}, which is not a state variable`);
    checkExpr(o.rhs, sc, new Set(), out, `${o.name}'`);
  }
  const w = new Set(["state", "local", "pre", "post"]);
  checkStmts(pr.onPre, sc, new Set(), out, "on pre", w);
  checkStmts(pr.onPost, sc, new Set(), out, "on post", w);
  checkStmts(pr.continuous, sc, new Set(), out, "continuous", w);
  for (const n of pr.eventDriven)
    if (!stateNames.has(n)) out.push(`${where}: event-driven ${n} is not a state variable`);
  if (after("event-driven") && pr.odes.length > 0) out.push(`${where}: odes left after event-driven`);
  if (!after("event-driven") && pr.eventDriven.length > 0)
    out.push(`${where}: event-driven variables before event-driven`);
  if (pr.rule.k === "fixed_probability" && !(pr.rule.p >= 0 && pr.rule.p <= 1))
    out.push(`${where}: probability ${pr.rule.p} outside [0, 1]`);
  if (pr.rule.k === "from_list" && pr.rule.pre.length !== pr.rule.post.length)
    out.push(`${where}: from_list pre and post differ in length`);
  if (pr.rule.k === "from_list" && pr.rule.weights && pr.rule.weights.length !== pr.rule.pre.length)
    out.push(`${where}: from_list has ${pr.rule.weights.length} weights for ${pr.rule.pre.length} pairs`);
  if (pr.rule.k === "from_list" && pr.rule.delays && pr.rule.delays.length !== pr.rule.pre.length)
    out.push(`${where}: from_list has ${pr.rule.delays.length} delays for ${pr.rule.pre.length} pairs`);
  if (pr.rule.k === "from_list" && pr.rule.weights && !pr.params.some((p) => p.name === "w"))
    out.push(`${where}: from_list weights but the synapse has no parameter w`);
}

function finiteList(xs: readonly number[], where: string, out: string[]): void {
  if (xs.some((x) => !Number.isFinite(x))) out.push(`${where}: non-finite value`);
}

/** Problems found in `p` (empty list: well formed). */
export function verifyIR(p: IRProgram): string[] {
  const out: string[] = [];
  const after = (pass: string): boolean => p.passes.includes(pass);
  if (p.version !== 1) out.push(`program: unsupported version ${String(p.version)}`);
  if (!(p.dt > 0) || !Number.isFinite(p.dt)) out.push(`program: bad dt ${p.dt}`);
  if (!Number.isInteger(p.steps) || p.steps < 0) out.push(`program: bad steps ${p.steps}`);
  unique([...p.groups.map((g) => g.name), ...p.sources.map((s) => s.name)], "program", "population", out);
  unique(
    p.projections.map((x) => x.name),
    "program",
    "projection",
    out,
  );
  unique(
    p.modulators.map((m) => m.name),
    "program",
    "modulator",
    out,
  );
  for (const g of p.groups) checkGroup(g, p, after, out);
  for (const pr of p.projections) checkProjection(pr, p, after, out);
  for (const s of p.sources) {
    if (s.k === "poisson_count") {
      checkInit(s.rate, { spaces: new Map([["index", new Set(["i"])]]), where: `source ${s.name}` }, out, "rate");
    } else if (s.k === "poisson") {
      checkInit(s.rate, { spaces: new Map([["index", new Set(["i"])]]), where: `source ${s.name}` }, out, "rate");
      if (s.timed) {
        finiteList(s.timed.values, `source ${s.name}`, out);
        if (!(s.timed.dt > 0) || s.timed.values.length === 0) out.push(`source ${s.name}: bad timed array`);
      }
    } else if (s.k === "periodic") {
      if (!(s.period > 0) || !(s.phase >= 0) || !Number.isFinite(s.period + s.phase))
        out.push(`source ${s.name}: bad period ${s.period} or phase ${s.phase}`);
    } else {
      finiteList(s.times, `source ${s.name}`, out);
      if (s.times.length !== s.indices.length) out.push(`source ${s.name}: times and indices differ in length`);
      if (s.indices.some((i) => !Number.isInteger(i) || i < 0 || i >= s.size))
        out.push(`source ${s.name}: index outside 0..${s.size}`);
    }
  }
  const groupOf = (n: string) => p.groups.find((x) => x.name === n);
  for (const c of p.currents) {
    const g = groupOf(c.target.population);
    const where = `current ${c.variable} of ${c.target.population}`;
    if (!g) out.push(`${where}: unknown population`);
    else if (!g.inputs.some((v) => v.name === c.variable)) out.push(`${where}: ${c.variable} is not an input`);
    finiteList([...c.times, ...c.values], where, out);
    if (c.times.length !== c.values.length) out.push(`${where}: times and values differ in length`);
  }
  const popNames = new Set([...p.groups.map((g) => g.name), ...p.sources.map((s) => s.name)]);
  const seenMods = new Set<string>();
  for (const m of p.modulators) {
    const means = new Set(
      p.groups.flatMap((g) => [...g.state, ...g.inputs, ...g.params].map((v: IRVar) => `${g.name}.${v.name}`)),
    );
    checkExpr(
      m.expr,
      {
        spaces: new Map([
          ["t", new Set(["t"])],
          ["dt", new Set(["dt"])],
          ["poprate", popNames],
          ["popmean", means],
          ["mod", new Set(seenMods)],
        ]),
        where: `modulator ${m.name}`,
      },
      new Set(),
      out,
      "value",
    );
    seenMods.add(m.name);
  }
  for (const m of p.monitors) {
    const where = `monitor of ${m.target.population}`;
    if (m.k === "synapse") {
      const pr = p.projections.find((x) => x.name === m.target.population);
      if (!pr) out.push(`${where}: unknown projection`);
      else if (![...pr.params, ...pr.state].some((v) => v.name === m.variable))
        out.push(`${where}: ${m.variable ?? "?"} is not a synapse variable`);
      if (!Number.isInteger(m.everySteps) || m.everySteps < 1) out.push(`${where}: bad everySteps ${m.everySteps}`);
      continue;
    }
    const g = groupOf(m.target.population);
    if (!g && !p.sources.some((s) => s.name === m.target.population)) out.push(`${where}: unknown population`);
    if (m.k === "state" && (!g || !g.state.some((v) => v.name === m.variable)))
      out.push(`${where}: ${m.variable ?? "?"} is not a state variable`);
    if (!Number.isInteger(m.everySteps) || m.everySteps < 1) out.push(`${where}: bad everySteps ${m.everySteps}`);
  }
  return out;
}
