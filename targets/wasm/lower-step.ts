// The per-step loop in wasm and the whole kernel module. In: a Layout; out: a WasmModule exporting
// `run(k0, k1) -> k` that simulates steps k0.. until k1 or until a monitor buffer could overflow (the host
// drains and calls again), following docs/internals.md step by step: state monitors, modulators,
// continuous couplings, currents; group steps; sources; inputs = 0; on pre / on post / astrocyte
// events; resets; spike counts and spike/rate monitors.
// Threaded layouts (layout.threads > 1, thread id = imported global glia.tid, shared memory): every thread
// runs run(k0, k1); phase 0, the monitors and sources other than poisson_count (lower-count.ts) run on
// thread 0, groups, poisson_count draws and synaptic events on each thread's shard, with a barrier (atomics;
// spin, then memory.atomic.wait32) after phase 0, after thresholds, before non-fused resets and at the end
// of the step; the end-of-step one only where step-sync.ts says it is
// needed (else spike lists alternate by step parity). Only thread 0 returns early to drain monitors.
// Steps in pairs (step-batch.ts): the barrier after the thresholds only after odd steps (and the last), where
// each thread delivers both steps' spikes into its input rings (p<j>_ring) and thread 0 counts and records
// them (tally); every step then adds its ring slot into X (p<j>_deliver).

import { forEachStmtExpr, mentions } from "../../compiler/ir/expr.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { TargetError } from "../target.js";
import { WasmModule, valType, type Expr, type FunctionSpec } from "./module.js";
import { Fn } from "./fn.js";
import { f32Lanes, f32x4Lanes, f64Lanes, hostMathImports, hostMathName, type Precision } from "./lanes.js";
import { mathLib } from "./math-f32x4.js";
import { EVENT_STRIDE, type Layout, type MonitorLayout, type PopLayout } from "./layout.js";
import { asNum, lowerExpr, unsupportedRef, type Scope } from "./lower-expr.js";
import { lowerGroup, resetFusable, touchedVars, type GroupFunctions } from "./lower-group.js";
import { stepBatch } from "./step-batch.js";
import { lowerProjection, type ProjFunctions } from "./lower-synapses.js";
import { countSourceFn } from "./lower-count.js";
import { ownList, ownShard, shardElem, shardCount, stepFn, threadId, type Env, type StepFn } from "./scopes.js";

export interface KernelInfo {
  /** Groups whose reset runs fused in the element loop. */
  fused: string[];
  functions: number;
  /** Steps between two meetings of the threads (step-batch.ts): 1 or 2. */
  batch: 1 | 2;
}

/** Variables of each group that step-3 code (synapse and astrocyte handlers) reads or writes. */
function handlerConflicts(program: IRProgram): Map<string, Set<string> | "all"> {
  const out = new Map<string, Set<string> | "all">();
  const add = (pop: string, names: Iterable<string>): void => {
    const cur = out.get(pop);
    if (cur === "all") return;
    const set = cur ?? new Set<string>();
    for (const n of names) set.add(n);
    out.set(pop, set);
  };
  const groups = new Map(program.groups.map((g) => [g.name, g]));
  for (const p of program.projections) {
    const handlers = [...p.onPre, ...p.onPost];
    const astro = p.ensheathedBy ? groups.get(p.ensheathedBy.astrocytes) : undefined;
    const astroHandlers = astro ? [...astro.onSynapsePre, ...astro.onSynapsePost] : [];
    add(p.pre.population, touchedVars([...handlers, ...astroHandlers], ["pre"]));
    add(p.post.population, touchedVars([...handlers, ...astroHandlers], ["post"]));
    if (astro && (handlers.length > 0 || astroHandlers.length > 0)) out.set(astro.name, "all");
  }
  return out;
}

export function buildKernelModule(program: IRProgram, layout: Layout): { module: WasmModule; info: KernelInfo } {
  const pages = memoryPages(layout);
  const threaded = layout.threads > 1;
  // threaded: the shared memory is created before the network is built, with the largest maximum (simulate.ts)
  const m = new WasmModule(threaded ? { initialPages: pages, sharedMaximumPages: 65536 } : { initialPages: pages });
  if (threaded) m.importGlobalI32("tid", "glia", "tid");
  const { env, math } = kernelEnv(m, layout);

  const specs: FunctionSpec[] = [];
  const conflicts = handlerConflicts(program);
  const listResets = layout.groups.some(
    (pl) => pl.group!.threshold !== null && !resetFusable(pl, conflicts.get(pl.name) ?? new Set()),
  );
  const batch = stepBatch(layout, listResets);
  const fused: string[] = [];
  const groupFns = layout.groups.map((pl, i) => {
    const gf = lowerGroup(env, pl, i, conflicts.get(pl.name) ?? new Set());
    if (gf.step) specs.push(gf.step);
    if (gf.reset) specs.push(gf.reset);
    if (gf.fusedReset) fused.push(pl.name);
    return gf;
  });
  const projFns: ProjFunctions[] = layout.projs.map((pj, j) => {
    const pf = lowerProjection(env, pj, j, batch === 2);
    specs.push(...pf.specs);
    return pf;
  });
  // poisson_count sources: a function each, run by every thread on its shard
  const countFns = layout.sources.map((pl, i) => (pl.count ? countSourceFn(env, pl, `s${i}_count`) : null));
  for (const cf of countFns) if (cf) specs.push(cf);
  specs.push(stepFunction(env, program, groupFns, projFns, countFns, batch));
  if (batch === 2) specs.push(tallyFunction(env));
  if (threaded) specs.push(barrierFn(env));
  specs.push(runFunction(env, program, batch));

  for (const spec of specs) m.addFunction(spec);
  math.addTo(m);
  return { module: m, info: { fused, functions: specs.length, batch } };
}

/** The lowering environment for `layout` (lanes of its precision) and the math library, with the host math
 *  and runtime imports added to `m`. */
function kernelEnv(m: WasmModule, layout: Layout): { env: Env; math: ReturnType<typeof mathLib> } {
  const ir = m.ir;
  const math = mathLib(ir);
  const precision: Precision = layout.precision;
  let env: Env;
  if (precision === "f32") {
    const vec = f32x4Lanes(ir, math);
    env = { layout, ir, vec, scal: f32Lanes(ir, math, vec) };
  } else {
    const scal = f64Lanes(ir);
    env = { layout, ir, vec: scal, scal };
  }
  for (const [name, arity] of Object.entries(hostMathImports())) {
    m.importFunction({
      name: hostMathName(name),
      module: "Math",
      base: name,
      params: new Array(arity).fill("f64"),
      result: "f64",
    });
  }
  // white noise draws of group updates (lower-group.ts noiseRead), only when some update reads noise
  const noisy = layout.groups.some((pl) => {
    let reads = false;
    forEachStmtExpr(pl.group?.update ?? [], (e) => {
      if (mentions(e, (r) => r.space === "noise")) reads = true;
    });
    return reads;
  });
  if (noisy)
    m.importFunction({
      name: "normal",
      module: "runtime",
      base: "normal",
      params: ["i32", "i32", "i32", "i32"],
      result: "f64",
    });
  m.importFunction({
    name: "fillUniform01",
    module: "runtime",
    base: "fillUniform01",
    params: ["i32", "i32", "i32", "i32", "i32", "i32"],
    result: "none",
  });
  return { env, math };
}

/** step(k): one simulation step, phase by phase (docs/internals.md), calling the group and projection
 *  functions; barriers between phases when threaded. */
function stepFunction(
  env: Env,
  program: IRProgram,
  groupFns: GroupFunctions[],
  projFns: ProjFunctions[],
  countFns: (FunctionSpec | null)[],
  batch: 1 | 2,
): FunctionSpec {
  const { ir, layout } = env;
  const threaded = layout.threads > 1;
  const sf = stepFn(env);
  const fn = sf.fn;
  const k = (): Expr => fn.get(sf.k);
  const call = (name: string): Expr => ir.call(name, [k()], valType("none"));
  const everyK = (every: number, body: Expr): Expr =>
    every === 1 ? body : ir.if(ir.i32.eqz(ir.i32.rem_u(k(), ir.i32.const(every))), body);
  const body: Expr[] = [sf.prologue];
  const isThread0 = (): Expr => ir.i32.eqz(threadId(env));
  const onThread0 = (stmts: Expr[]): Expr[] =>
    threaded && stmts.length > 0 ? [ir.if(isThread0(), fn.block(stmts))] : stmts;
  const barrier = (): Expr[] => (threaded ? [ir.call("barrier", [], valType("none"))] : []);
  // 5 (start of step): state monitors
  const phase0: Expr[] = [];
  for (const mon of layout.monitors) if (mon.k === "state") phase0.push(everyK(mon.every, recordState(env, sf, mon)));
  // 0: modulators, continuous, currents (added to what the handlers of step k-1 left in the inputs)
  program.modulators.forEach((mod) => {
    const scope = modulatorScope(env, sf, `modulator ${mod.name}`);
    phase0.push(ir.f64.store(0, 8, ir.i32.const(layout.mods.get(mod.name)!), asNum(scope, lowerExpr(mod.expr, scope))));
  });
  for (const pf of projFns) if (pf.cont) phase0.push(call(pf.cont));
  for (const c of layout.currents) phase0.push(currentStep(env, sf, c));
  body.push(...onThread0(phase0));
  if (phase0.length > 0) body.push(...barrier());
  // 1-2: group steps (update + threshold [+ reset]) and sources
  layout.groups.forEach((pl, i) => {
    const gf = groupFns[i]!;
    const zero = fn.storeI32(ownList(env, sf, pl, "n"), ir.i32.const(0));
    if (!gf.step) body.push(zero);
    else if (pl.every === 1) body.push(call(gf.step.name));
    else body.push(ir.if(ir.i32.eqz(ir.i32.rem_u(k(), ir.i32.const(pl.every))), call(gf.step.name), zero));
  });
  for (const cf of countFns) if (cf) body.push(call(cf.name));
  body.push(...onThread0(layout.sources.filter((pl) => !pl.count).map((pl) => sourceStep(env, sf, pl))));
  // inputs were used by this step's updates and thresholds: clear them, so what step 3 adds acts on step k+1
  body.push(...clearInputs(env));
  if (batch === 2) {
    body.push(pairedDelivery(env, sf, projFns));
    return { name: "step", params: ["i32"], result: "none", locals: fn.locals, body: ir.block(null, body) };
  }
  body.push(...barrier());
  // 3: on pre, on post, astrocyte synapse events
  for (const pf of projFns) if (pf.deliver) body.push(call(pf.deliver));
  for (const pf of projFns) if (pf.post) body.push(call(pf.post));
  for (const pf of projFns) if (pf.astroPre) body.push(call(pf.astroPre));
  for (const pf of projFns) if (pf.astroPost) body.push(call(pf.astroPost));
  // 4: resets over spike lists (groups whose reset is not fused); other threads' handlers may read them
  const resets = groupFns.filter((gf) => gf.reset).map((gf) => call(gf.reset!.name));
  if (resets.length > 0) body.push(...barrier(), ...resets);
  // 5: counts, spike and rate monitors
  const phase5 = tallyExprs(env, sf);
  // the end-of-step barrier, unless the spike lists are double-buffered (targets/wasm/step-sync.ts)
  body.push(...onThread0(phase5), ...(layout.endBarrier ? barrier() : []));
  return { name: "step", params: ["i32"], result: "none", locals: fn.locals, body: ir.block(null, body) };
}

/**
 * Phase 3 when steps run in pairs (step-batch.ts): after an odd step k (or the last step) the threads meet,
 * deliver the spikes of steps k - 1 and k (or k alone) into their input rings in step order, and thread 0
 * counts and records them; then, in every step, each projection adds its slot of step k into X and counts
 * the events due (p<j>_deliver), which needs the rings to hold the spikes of steps up to k - 1 only.
 */
function pairedDelivery(env: Env, sf: StepFn, projFns: ProjFunctions[]): Expr {
  const { ir, layout } = env;
  const fn = sf.fn;
  const k = (): Expr => fn.get(sf.k);
  const odd = (): Expr => ir.i32.and(k(), ir.i32.const(1));
  const at = (name: string, step: Expr): Expr => ir.call(name, [step], valType("none"));
  const ringsOf = (step: () => Expr): Expr[] => projFns.filter((pf) => pf.ring).map((pf) => at(pf.ring!, step()));
  const previous = (): Expr => ir.i32.sub(k(), ir.i32.const(1));
  const meet: Expr[] = [
    ir.call("barrier", [], valType("none")),
    ir.if(odd(), fn.block([...ringsOf(previous), ir.if(ir.i32.eqz(threadId(env)), at("tally", previous()))])),
    ...ringsOf(k),
    ir.if(ir.i32.eqz(threadId(env)), at("tally", k())),
  ];
  const out: Expr[] = [ir.if(ir.i32.or(odd(), ir.i32.eq(k(), ir.i32.const(layout.steps - 1))), fn.block(meet))];
  for (const pf of projFns) if (pf.deliver) out.push(at(pf.deliver, k()));
  return fn.block(out);
}

/** tally(k): phase 5 of step k (thread 0, steps in pairs): spike counts, spike and rate monitors. */
function tallyFunction(env: Env): FunctionSpec {
  const sf = stepFn(env);
  const body = [sf.prologue, ...tallyExprs(env, sf)];
  return { name: "tally", params: ["i32"], result: "none", locals: sf.fn.locals, body: env.ir.block(null, body) };
}

/** Phase 5 of step k: spike counts (totals, the previous step's for rate()), spike and rate monitors. */
function tallyExprs(env: Env, sf: StepFn): Expr[] {
  const { ir, layout } = env;
  const fn = sf.fn;
  const k = (): Expr => fn.get(sf.k);
  const everyK = (every: number, body: Expr): Expr =>
    every === 1 ? body : ir.if(ir.i32.eqz(ir.i32.rem_u(k(), ir.i32.const(every))), body);
  const phase5: Expr[] = [];
  for (const pl of layout.pops) {
    let n: Expr = fn.loadI32(shardCount(env, sf, pl, pl.shards[0]!));
    for (const sh of pl.shards.slice(1)) n = ir.i32.add(n, fn.loadI32(shardCount(env, sf, pl, sh)));
    const cnt = fn.tmp("i32");
    phase5.push(fn.set(cnt, n));
    phase5.push(
      fn.storeI32(ir.i32.const(pl.totalAddr), ir.i32.add(fn.loadI32(ir.i32.const(pl.totalAddr)), fn.get(cnt))),
    );
    phase5.push(fn.storeI32(ir.i32.const(pl.prevAddr), fn.get(cnt)));
    // a poisson_count source drawn by several threads: their lists together must fit the step's room
    if (pl.count && pl.shards.length > 1)
      phase5.push(
        ir.if(
          ir.i32.and(
            ir.i32.gt_u(fn.get(cnt), ir.i32.const(pl.count.capacity)),
            ir.i32.eqz(fn.loadI32(ir.i32.const(pl.count.overflow))),
          ),
          fn.storeI32(ir.i32.const(pl.count.overflow), ir.i32.add(k(), ir.i32.const(1))),
        ),
      );
  }
  for (const mon of layout.monitors) {
    if (mon.k === "spikes") phase5.push(recordSpikes(env, sf, mon));
    if (mon.k === "rate") phase5.push(everyK(mon.every, recordRate(env, sf, mon)));
  }
  return phase5;
}

/** Step 2's end: every group's inputs set to 0 (on threads, each thread's shard). */
function clearInputs(env: Env): Expr[] {
  const { ir, layout } = env;
  const threaded = layout.threads > 1;
  const out: Expr[] = [];
  for (const pl of layout.groups) {
    for (const name of pl.inputs) {
      const base = pl.arrays.get(name)!;
      if (!threaded) out.push(ir.memory.fill(ir.i32.const(base), ir.i32.const(0), ir.i32.const(pl.pad * layout.bytes)));
      else {
        const shift = layout.bytes === 4 ? 2 : 3;
        out.push(
          ir.memory.fill(
            ir.i32.add(ir.i32.const(base), ir.i32.shl(ownShard(env, pl, 0), ir.i32.const(shift))),
            ir.i32.const(0),
            ir.i32.shl(ir.i32.sub(ownShard(env, pl, 1), ownShard(env, pl, 0)), ir.i32.const(shift)),
          ),
        );
      }
    }
  }
  return out;
}

/** run(k0, k1) -> k: steps until k1, or until some monitor buffer could overflow in the next step, or until a
 *  step k at which a synapse monitor records (the host reads those between steps). */
function runFunction(env: Env, program: IRProgram, batch: 1 | 2): FunctionSpec {
  const { ir, layout } = env;
  const threaded = layout.threads > 1;
  const rf = stepFn(env, ["i32", "i32"]);
  const rk = rf.fn.local("kk", "i32");
  let full: Expr = ir.i32.const(0);
  for (const mon of layout.monitors) {
    full = ir.i32.or(
      full,
      // steps in pairs: the next step may record two steps
      ir.i32.gt_s(
        ir.i32.add(rf.fn.loadI32(ir.i32.const(mon.fill)), ir.i32.const(batch * mon.perStep)),
        ir.i32.const(mon.cap),
      ),
    );
  }
  // synapse monitors are read by the host: return before every step one of them records
  const periods = [...new Set(program.monitors.filter((m) => m.k === "synapse").map((m) => m.everySteps))];
  for (const every of periods)
    full = ir.i32.or(full, ir.i32.eqz(ir.i32.rem_u(rf.fn.get(rk), ir.i32.const(Math.max(1, Math.round(every))))));
  // threads: only thread 0 drains monitors; the others run on (they wait in the next barrier meanwhile)
  if (threaded) full = ir.i32.and(ir.i32.eqz(threadId(env)), full);
  const done = rf.fn.label("run_done");
  const loop = rf.fn.label("run_loop");
  const runBody = ir.block(
    null,
    [
      rf.fn.set(rk, rf.fn.get(0)),
      ir.block(done, [
        ir.loop(
          loop,
          ir.block(null, [
            ir.br(done, ir.i32.ge_s(rf.fn.get(rk), rf.fn.get(1))),
            ir.call("step", [rf.fn.get(rk)], valType("none")),
            rf.fn.set(rk, ir.i32.add(rf.fn.get(rk), ir.i32.const(1))),
            ir.br(done, full),
            ir.br(loop),
          ]),
        ),
      ]),
      rf.fn.get(rk),
    ],
    valType("i32"),
  );
  return { name: "run", params: ["i32", "i32"], result: "i32", locals: rf.fn.locals, body: runBody, export: true };
}

/** Pages of the memory for `layout` (one spare page). */
export function memoryPages(layout: Layout): number {
  return Math.ceil(layout.end / 65536) + 1;
}

/**
 * How long a thread spins in a barrier before it sleeps (spins are atomic loads; 2^20 are about 1 ms
 * here), adapted per thread: the limit doubles after a wait that ended while spinning and halves after
 * one that had to sleep, between these bounds. A step of a large network is tens of microseconds and
 * waking a sleeping thread costs about as much on a VM, so with one core per thread the limit stays high
 * (a fixed 20,000 spins made the threads sleep at nearly every barrier: 2 threads ran CUBA 64k slower than
 * one, 0.40-0.45 s vs 0.35 s). With more threads than free cores a spinning thread holds the core that
 * the thread it waits for needs, and the limit falls (a fixed 2^20: CUBA 64k on 3-4 threads of 2 cores
 * took 5.4 s).
 */
const BARRIER_SPINS_MAX = 1 << 20;
const BARRIER_SPINS_MIN = 1 << 10;

/**
 * barrier(): all layout.threads threads meet. Words: count at layout.barrier, generation at +4. The last
 * to arrive resets the count, bumps the generation and wakes sleepers; the others spin on the
 * generation, then sleep in memory.atomic.wait32. Each thread's spin limit lives beside its event
 * counter (0 = not set yet: the maximum).
 */
function barrierFn(env: Env): FunctionSpec {
  const ir = env.ir;
  const layout = env.layout;
  const f = new Fn(ir, []);
  const gen = f.local("gen", "i32");
  const spins = f.local("spins", "i32");
  const limit = f.local("limit", "i32");
  const slept = f.local("slept", "i32");
  const C = (): Expr => ir.i32.const(layout.barrier);
  const G = (): Expr => ir.i32.const(layout.barrier + 4);
  const L = (): Expr =>
    ir.i32.add(ir.i32.const(layout.events + 16), ir.i32.shl(threadId(env), ir.i32.const(Math.log2(EVENT_STRIDE))));
  const done = f.label("bdone");
  const spin = f.label("bspin");
  const I = (v: number): Expr => ir.i32.const(v);
  const body = ir.block(null, [
    f.set(gen, ir.i32.atomic.load(0, G())),
    ir.if(
      ir.i32.eq(ir.i32.atomic.rmw.add(0, C(), I(1)), I(layout.threads - 1)),
      ir.block(null, [
        ir.i32.atomic.store(0, C(), I(0)),
        ir.drop(ir.i32.atomic.rmw.add(0, G(), I(1))),
        ir.drop(ir.memory.atomic.notify(G(), I(layout.threads))),
      ]),
      ir.block(null, [
        f.set(limit, f.loadI32(L())),
        ir.if(ir.i32.eqz(f.get(limit)), f.set(limit, I(BARRIER_SPINS_MAX))),
        f.set(spins, I(0)),
        f.set(slept, I(0)),
        ir.block(done, [
          ir.loop(
            spin,
            ir.block(null, [
              ir.br(done, ir.i32.ne(ir.i32.atomic.load(0, G()), f.get(gen))),
              f.set(spins, ir.i32.add(f.get(spins), I(1))),
              ir.if(
                ir.i32.gt_u(f.get(spins), f.get(limit)),
                ir.block(null, [
                  f.set(slept, I(1)),
                  ir.drop(ir.memory.atomic.wait32(G(), f.get(gen), ir.i64.const(-1n))),
                ]),
              ),
              ir.br(spin),
            ]),
          ),
        ]),
        f.storeI32(
          L(),
          ir.select(
            f.get(slept),
            ir.select(
              ir.i32.gt_u(f.get(limit), I(BARRIER_SPINS_MIN)),
              ir.i32.shr_u(f.get(limit), I(1)),
              I(BARRIER_SPINS_MIN),
            ),
            ir.select(
              ir.i32.lt_u(f.get(limit), I(BARRIER_SPINS_MAX)),
              ir.i32.shl(f.get(limit), I(1)),
              I(BARRIER_SPINS_MAX),
            ),
          ),
        ),
      ]),
    ),
  ]);
  return { name: "barrier", params: [], result: "none", locals: f.locals, body };
}

/** f64 scope of modulator expressions: t, dt, earlier modulators, rate(POP), mean(POP.var). */
function modulatorScope(env: Env, sf: StepFn, where: string): Scope {
  const ir = env.ir;
  const fn = sf.fn;
  const L = f64Lanes(ir);
  const layout = env.layout;
  const pop = (name: string): PopLayout => {
    const p = layout.pops.find((x) => x.name === name);
    if (!p) throw new TargetError(`${where}: unknown population ${name}`);
    return p;
  };
  return {
    lanes: L,
    fn,
    where,
    read(r) {
      switch (r.space) {
        case "t":
          return { k: "num", e: fn.get(sf.t) };
        case "dt":
          return { k: "num", e: ir.f64.const(layout.dt) };
        case "mod": {
          const addr = layout.mods.get(r.name);
          if (addr === undefined) throw new TargetError(`${where}: unknown modulator ${r.name}`);
          return { k: "num", e: ir.f64.load(0, 8, ir.i32.const(addr)) };
        }
        case "poprate": {
          const p = pop(r.name);
          return {
            k: "num",
            e: ir.f64.div(ir.f64.convert_s.i32(fn.loadI32(ir.i32.const(p.prevAddr))), ir.f64.const(p.size * layout.dt)),
          };
        }
        case "popmean": {
          const dot = r.name.lastIndexOf(".");
          const p = pop(r.name.slice(0, dot));
          const v = r.name.slice(dot + 1);
          if (p.size === 0 || !p.values) throw new TargetError(`${where}: cannot evaluate mean(${r.name})`);
          const c = p.consts.get(v);
          if (c !== undefined) {
            let sum = 0; // the reference sums element by element
            for (let e = 0; e < p.size; e++) sum += c;
            return { k: "num", e: ir.f64.const(sum / p.size) };
          }
          const a = p.arrays.get(v);
          if (a === undefined) throw new TargetError(`${where}: ${p.name} has no variable ${v}`);
          const e = fn.tmp("i32");
          const sum = fn.tmp("f64");
          const load =
            layout.bytes === 4
              ? ir.f64.promote(ir.f32.load(0, 4, fn.addr(a, fn.get(e), 4)))
              : ir.f64.load(0, 8, fn.addr(a, fn.get(e), 8));
          return {
            k: "num",
            e: ir.block(
              null,
              [
                fn.set(sum, ir.f64.const(0)),
                fn.forLoop(e, ir.i32.const(0), ir.i32.const(p.size), 1, [fn.set(sum, ir.f64.add(fn.get(sum), load))]),
                ir.f64.div(fn.get(sum), ir.f64.const(p.size)),
              ],
              valType("f64"),
            ),
          };
        }
        default:
          return unsupportedRef(r, where);
      }
    },
    write(r) {
      throw new TargetError(`${where}: cannot assign ${r.space}.${r.name}`);
    },
  };
}

function currentStep(env: Env, sf: StepFn, c: Layout["currents"][number]): Expr {
  const ir = env.ir;
  const fn = sf.fn;
  const L = env.scal;
  const cur = fn.tmp("i32");
  const e = fn.tmp("i32");
  const v = fn.tmp(L.vt);
  const arr = c.pop.arrays.get(c.variable)!;
  const next = (): Expr => ir.i32.add(fn.get(cur), ir.i32.const(1));
  return ir.block(null, [
    fn.set(cur, fn.loadI32(ir.i32.const(c.cursor))),
    fn.whileLoop(
      ir.i32.and(
        ir.i32.lt_s(next(), ir.i32.const(c.count)),
        ir.i32.le_s(fn.loadI32(fn.at32(c.from, next())), fn.get(sf.k)),
      ),
      [fn.set(cur, next())],
    ),
    fn.storeI32(ir.i32.const(c.cursor), fn.get(cur)),
    ir.if(
      ir.i32.ge_s(fn.get(cur), ir.i32.const(0)),
      ir.block(null, [
        fn.set(v, L.fromF64(ir.f64.load(0, 8, fn.addr(c.values, fn.get(cur), 8)))),
        fn.forLoop(e, ir.i32.const(c.start), ir.i32.const(c.end), 1, [
          L.store(fn.addr(arr, fn.get(e), L.bytes), L.add(L.load(fn.addr(arr, fn.get(e), L.bytes)), fn.get(v))),
        ]),
      ]),
    ),
  ]);
}

function sourceStep(env: Env, sf: StepFn, pl: PopLayout): Expr {
  const ir = env.ir;
  const fn = sf.fn;
  const n = fn.tmp("i32");
  const e = fn.tmp("i32");
  const append = (value: Expr): Expr[] => [
    fn.storeI32(shardElem(env, sf, pl, pl.shards[0]!, fn.get(n)), value),
    fn.set(n, ir.i32.add(fn.get(n), ir.i32.const(1))),
  ];
  const out: Expr[] = [fn.set(n, ir.i32.const(0))];
  if (pl.poisson) {
    const po = pl.poisson;
    const base = fn.tmp("i64");
    out.push(
      fn.set(base, ir.i64.mul(ir.i64.extend_s(fn.get(sf.k)), ir.i64.extend_u(ir.i32.const(pl.size)))),
      ir.call(
        "fillUniform01",
        [
          ir.i32.const(po.scratch),
          ir.i32.const(pl.size),
          ir.i32.const(env.layout.seed | 0),
          ir.i32.const(po.stream | 0),
          ir.i32.wrap(fn.get(base)),
          ir.i32.wrap(ir.i64.shr_u(fn.get(base), ir.i64.extend_u(ir.i32.const(32)))),
        ],
        valType("none"),
      ),
      fn.forLoop(e, ir.i32.const(0), ir.i32.const(pl.size), 1, [
        ir.if(
          ir.f64.lt(
            ir.f64.load(0, 8, fn.addr(po.scratch, fn.get(e), 8)),
            ir.f64.load(0, 8, fn.addr(po.p, fn.get(e), 8)),
          ),
          ir.block(null, append(fn.get(e))),
        ),
      ]),
    );
  } else if (pl.list) {
    const li = pl.list;
    const cur = fn.tmp("i32");
    const stepAt = (): Expr => fn.loadI32(fn.at32(li.steps, fn.get(cur)));
    out.push(
      fn.set(cur, fn.loadI32(ir.i32.const(li.cursor))),
      fn.whileLoop(ir.i32.and(ir.i32.lt_s(fn.get(cur), ir.i32.const(li.count)), ir.i32.lt_s(stepAt(), fn.get(sf.k))), [
        fn.set(cur, ir.i32.add(fn.get(cur), ir.i32.const(1))),
      ]),
      fn.whileLoop(ir.i32.and(ir.i32.lt_s(fn.get(cur), ir.i32.const(li.count)), ir.i32.eq(stepAt(), fn.get(sf.k))), [
        ...append(fn.loadI32(fn.at32(li.elems, fn.get(cur)))),
        fn.set(cur, ir.i32.add(fn.get(cur), ir.i32.const(1))),
      ]),
      fn.storeI32(ir.i32.const(li.cursor), fn.get(cur)),
    );
  }
  out.push(fn.storeI32(shardCount(env, sf, pl, pl.shards[0]!), fn.get(n)));
  return ir.block(null, out);
}

function recordState(env: Env, sf: StepFn, mon: MonitorLayout): Expr {
  const ir = env.ir;
  const fn = sf.fn;
  const layout = env.layout;
  const cols = Math.max(1, mon.end - mon.start);
  const fill = fn.tmp("i32");
  const row = fn.tmp("i32");
  const c = fn.tmp("i32");
  const pl = mon.pop;
  const konst = pl.consts.get(mon.variable);
  const arr = pl.arrays.get(mon.variable);
  const elem = (): Expr => ir.i32.add(fn.get(c), ir.i32.const(mon.start));
  const value =
    konst !== undefined
      ? ir.f64.const(konst)
      : layout.bytes === 4
        ? ir.f64.promote(ir.f32.load(0, 4, fn.addr(arr!, elem(), 4)))
        : ir.f64.load(0, 8, fn.addr(arr!, elem(), 8));
  return ir.block(null, [
    fn.set(fill, fn.loadI32(ir.i32.const(mon.fill))),
    fn.storeI32(fn.at32(mon.stepsBuf, fn.get(fill)), fn.get(sf.k)),
    fn.set(row, ir.i32.add(ir.i32.const(mon.buf), ir.i32.mul(fn.get(fill), ir.i32.const(cols * 8)))),
    fn.forLoop(c, ir.i32.const(0), ir.i32.const(mon.end - mon.start), 1, [
      ir.f64.store(0, 8, ir.i32.add(fn.get(row), ir.i32.shl(fn.get(c), ir.i32.const(3))), value),
    ]),
    fn.storeI32(ir.i32.const(mon.fill), ir.i32.add(fn.get(fill), ir.i32.const(1))),
  ]);
}

function recordSpikes(env: Env, sf: StepFn, mon: MonitorLayout): Expr {
  const ir = env.ir;
  const fn = sf.fn;
  const fill = fn.tmp("i32");
  const x = fn.tmp("i32");
  const at = (): Expr => ir.i32.add(ir.i32.const(mon.buf), ir.i32.shl(fn.get(fill), ir.i32.const(3)));
  return ir.block(null, [
    fn.set(fill, fn.loadI32(ir.i32.const(mon.fill))),
    ...mon.pop.shards.map((sh) =>
      fn.forLoop(x, ir.i32.const(0), fn.loadI32(shardCount(env, sf, mon.pop, sh)), 1, [
        fn.storeI32(at(), fn.get(sf.k)),
        fn.storeI32(at(), fn.loadI32(shardElem(env, sf, mon.pop, sh, fn.get(x))), 4),
        fn.set(fill, ir.i32.add(fn.get(fill), ir.i32.const(1))),
      ]),
    ),
    fn.storeI32(ir.i32.const(mon.fill), fn.get(fill)),
  ]);
}

function recordRate(env: Env, sf: StepFn, mon: MonitorLayout): Expr {
  const ir = env.ir;
  const fn = sf.fn;
  const fill = fn.tmp("i32");
  const x = fn.tmp("i32");
  const e = fn.tmp("i32");
  const c = fn.tmp("i32");
  const width = mon.end - mon.start;
  const hz: Expr =
    width > 0 ? ir.f64.div(ir.f64.convert_s.i32(fn.get(c)), ir.f64.const(width * env.layout.dt)) : ir.f64.const(0);
  return ir.block(null, [
    fn.set(c, ir.i32.const(0)),
    ...mon.pop.shards.map((sh) =>
      fn.forLoop(x, ir.i32.const(0), fn.loadI32(shardCount(env, sf, mon.pop, sh)), 1, [
        fn.set(e, fn.loadI32(shardElem(env, sf, mon.pop, sh, fn.get(x)))),
        fn.set(
          c,
          ir.i32.add(
            fn.get(c),
            ir.i32.and(ir.i32.ge_s(fn.get(e), ir.i32.const(mon.start)), ir.i32.lt_s(fn.get(e), ir.i32.const(mon.end))),
          ),
        ),
      ]),
    ),
    fn.set(fill, fn.loadI32(ir.i32.const(mon.fill))),
    fn.storeI32(fn.at32(mon.stepsBuf, fn.get(fill)), fn.get(sf.k)),
    ir.f64.store(0, 8, fn.addr(mon.buf, fn.get(fill), 8), hz),
    fn.storeI32(ir.i32.const(mon.fill), ir.i32.add(fn.get(fill), ir.i32.const(1))),
  ]);
}
