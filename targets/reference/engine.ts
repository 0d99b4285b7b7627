// The reference simulation: builds the network and steps it in float64 through the step schedule
// (targets/schedule) with the semantics of docs/internals.md. In: a discrete IRProgram and RunOptions; out:
// a RunResult. Throws TargetError for constructs it cannot run (index.ts turns those into diagnostic E0801)
// and NonFiniteError when a state variable becomes infinite or NaN (the guard, E0806).

import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult } from "../target.js";
import { populationCounts } from "../target.js";
import { buildProjection, type PopulationFacts } from "../network/projection.js";
import { evalExpr } from "../network/eval.js";
import { TargetError } from "../target.js";
import { initGroup, valueAt } from "../network/init.js";
import { makeSource } from "../network/sources.js";
import { Monitors, type SynapseAccess } from "../schedule/monitors.js";
import { CurrentCursor, NEVER, OnPreQueue, SpikeBuffer } from "../schedule/spikes.js";
import {
  runSchedule,
  type ScheduledGroup,
  type ScheduledProjection,
  type ScheduledSource,
  type StepPhases,
} from "../schedule/step.js";
import { GUARD_EVERY, NonFiniteError, NumericGuard, type GuardedArray } from "../schedule/guard.js";
import { groupKernels, projectionKernels, type ModTable, type PopRt, type ProjRt } from "./kernels.js";

/** Math bound once: inside vm contexts (jest) every global lookup in a hot loop is slow. */
const math = Math;

/** The network as the reference runs it: populations, the schedule's phases, monitors. */
interface Network {
  dt: number;
  seed: number;
  steps: number;
  pops: Map<string, PopRt>;
  phases: StepPhases;
  monitors: Monitors;
  synapses: number;
  guard: NumericGuard;
}

export function simulate(program: IRProgram, options: RunOptions): RunResult {
  try {
    return simulateGuarded(program, options, options.numericGuard === false ? 0 : GUARD_EVERY);
  } catch (err) {
    if (!(err instanceof NonFiniteError) || err.step < 0) throw err;
    // the scan at the end of step err.step found it: run again to there, scanning every step, for the first
    simulateGuarded(program, { ...options, duration: (err.step + 1) * program.dt, onProgress: undefined }, 1);
    throw err;
  }
}

function simulateGuarded(program: IRProgram, options: RunOptions, guardEvery: number): RunResult {
  const t0 = performance.now();
  const net = setup(program, options, guardEvery);
  const setupWallS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  if (guardEvery > 0) net.guard.initial();
  const stop = options.shouldStop ? { shouldStop: options.shouldStop, at: undefined as number | undefined } : undefined;
  const synapticEvents = runSchedule(net.phases, net.monitors, net.steps, options.onProgress, stop);
  const simWallS = (performance.now() - t1) / 1000;
  const { dt, seed } = net;
  const steps = stop?.at ?? net.steps;
  const { populations, spikesTotal } = populationCounts(
    [...net.pops.values()].map((rt) => ({ name: rt.name, size: rt.size, spikes: rt.spikes.total })),
    steps,
    dt,
  );
  return {
    target: "reference",
    dt,
    steps,
    seed,
    populations,
    ...net.monitors.result(),
    spikesTotal,
    synapses: net.synapses,
    synapticEvents,
    simWallS,
    setupWallS,
    ...(stop?.at !== undefined ? { interrupted: { of: net.steps } } : {}),
  };
}

/** Builds the network (populations, kernels, projections, currents, monitors) as the schedule's phases. */
function setup(program: IRProgram, options: RunOptions, guardEvery: number): Network {
  const dt = program.dt;
  const seed = (options.seed ?? program.seed) >>> 0;
  const steps = options.duration !== undefined ? math.round(options.duration / dt) : program.steps;
  if (!(dt > 0) || !Number.isInteger(steps) || steps < 0)
    throw new TargetError(`invalid dt (${dt}) or step count (${steps})`);

  // ---- populations
  const pops = new Map<string, PopRt>();
  const groupRts: PopRt[] = [];
  for (const g of program.groups) {
    if (!(Number.isInteger(g.stepEvery) && g.stepEvery >= 1))
      throw new TargetError(`${g.name}: stepEvery must be a positive integer`);
    if (g.odes.length)
      throw new TargetError(
        `${g.name} still has ODEs: run the solve-odes pass first`,
        "the reference target runs the discrete IR",
      );
    const rt: PopRt = {
      name: g.name,
      size: g.size,
      group: g,
      values: initGroup(g, seed, dt),
      lastSpike: new Int32Array(g.size).fill(NEVER),
      refractorySteps: g.refractory ? math.max(0, math.round(g.refractory.steps)) : 0,
      dt: dt * g.stepEvery,
      spikes: new SpikeBuffer(g.name, g.size),
    };
    pops.set(g.name, rt);
    groupRts.push(rt);
  }
  const sources: ScheduledSource[] = [];
  for (const s of program.sources) {
    const stepper = makeSource(s, seed, dt, steps);
    const rt: PopRt = {
      name: s.name,
      size: s.size,
      group: null,
      values: null,
      lastSpike: new Int32Array(0),
      refractorySteps: 0,
      dt,
      spikes: new SpikeBuffer(s.name, s.size, stepper.capacity),
    };
    if (pops.has(s.name)) throw new TargetError(`population name ${s.name} used twice`);
    pops.set(s.name, rt);
    sources.push({ spikes: rt.spikes, stepper });
  }
  const pop = (name: string, what: string): PopRt => {
    const p = pops.get(name);
    if (!p) throw new TargetError(`${what}: unknown population ${name}`);
    return p;
  };

  // ---- modulators, group kernels
  const mods: ModTable = { values: new Float64Array(program.modulators.length), index: new Map() };
  program.modulators.forEach((m, i) => mods.index.set(m.name, i));
  const groups: ScheduledGroup[] = groupRts.map((rt) => {
    const k = groupKernels(rt, mods, seed);
    const update = k.update,
      threshold = k.threshold;
    return {
      spikes: rt.spikes,
      every: rt.group!.stepEvery,
      update: update ? (step) => update(step, step * dt) : null,
      threshold: threshold ? (step, buf) => threshold(step, step * dt, buf) : null,
      reset: (step, buf, n) => k.reset(buf, n, step, step * dt),
    };
  });

  const { projections, synapses, synapseState, access } = buildProjections(program, pop, mods, seed, dt);
  const groupState: GuardedArray[] = groupRts.flatMap((rt) =>
    [...rt.values!.state].map(([variable, values]) => ({
      owner: rt.name,
      kind: "population" as const,
      variable,
      values,
    })),
  );
  const guard = new NumericGuard([...groupState, ...synapseState], guardEvery);
  const currents = program.currents.map((c) => {
    const target = pop(c.target.population, `current ${c.variable}`);
    const arr = target.values?.inputs.get(c.variable) ?? target.values?.state.get(c.variable);
    if (!arr) throw new TargetError(`current: ${target.name} has no input ${c.variable}`);
    return { arr, start: c.target.start, end: c.target.end, cursor: new CurrentCursor(c.times, dt), values: c.values };
  });
  const monitors = new Monitors(
    program.monitors,
    dt,
    (name) => pop(name, "record").spikes,
    (name, variable) => {
      const v = pops.get(name)!.values;
      const arr = v ? (v.state.get(variable) ?? v.inputs.get(variable) ?? v.params.get(variable)) : undefined;
      if (arr === undefined) return undefined;
      return typeof arr === "number" ? () => arr : (e) => arr[e]!;
    },
    (name) => access.get(name),
    program.spans?.monitors,
  );
  const modLookup = modulatorLookup(pops, mods, dt);

  const phases: StepPhases = {
    groups,
    sources,
    projections,
    populations: [...pops.values()].map((rt) => rt.spikes),
    modulators(k) {
      const t = k * dt;
      for (let i = 0; i < program.modulators.length; i++)
        mods.values[i] = evalExpr(program.modulators[i]!.expr, modLookup(t));
    },
    clearInputs() {
      // inputs have been used by this step's update and thresholds: what the handlers of phase 3 add
      // reaches the next step's update
      for (const rt of groupRts) for (const arr of rt.values!.inputs.values()) arr.fill(0);
    },
    currents(k) {
      for (const c of currents) {
        const i = c.cursor.at(k);
        if (i < 0) continue;
        const v = c.values[i]!;
        for (let e = c.start; e < c.end; e++) c.arr[e]! += v;
      }
    },
    endStep: guardEvery > 0 ? (k) => guard.endStep(k, steps) : undefined,
  };
  return { dt, seed, steps, pops, phases, monitors, synapses, guard };
}

/** The projections' synapses and generated handlers as the schedule's projections. */
function buildProjections(
  program: IRProgram,
  pop: (name: string, what: string) => PopRt,
  mods: ModTable,
  seed: number,
  dt: number,
): {
  projections: ScheduledProjection[];
  synapses: number;
  synapseState: GuardedArray[];
  access: Map<string, SynapseAccess>;
} {
  const facts = (p: PopRt): PopulationFacts => ({
    size: p.size,
    kind: p.group ? p.group.kind : "source",
    values: p.values ?? undefined,
  });
  const projections: ScheduledProjection[] = [];
  const synapseState: GuardedArray[] = [];
  const access = new Map<string, SynapseAccess>();
  let synapses = 0;
  for (const p of program.projections) {
    const pre = pop(p.pre.population, p.name);
    const post = pop(p.post.population, p.name);
    const { csr, values, delays, astroOf } = buildProjection(p, (name) => facts(pop(name, p.name)), seed, dt);
    const astro = p.ensheathedBy ? pop(p.ensheathedBy.astrocytes, p.name) : null;
    const rt: ProjRt = {
      proj: p,
      pre,
      post,
      astro,
      n: csr.n,
      preIdx: csr.pre,
      postIdx: csr.post,
      rowStart: csr.rowStart,
      postStart: csr.postStart,
      postSyn: csr.postSyn,
      values,
      lastUpdate: new Float64Array(csr.n),
      astroOf,
    };
    for (const [variable, arr] of values.state)
      synapseState.push({ owner: p.name, kind: "projection", variable, values: arr });
    access.set(p.name, {
      n: csr.n,
      pre: csr.pre,
      post: csr.post,
      reader: (variable) => {
        const v = values.state.get(variable) ?? values.params.get(variable);
        if (v === undefined) return undefined;
        return typeof v === "number" ? () => v : (s) => v[s]!;
      },
    });
    const k = projectionKernels(rt, mods, dt);
    const { row, syn, postRow, continuous, astroPre, astroPost } = k;
    projections.push({
      pre: pre.spikes,
      post: post.spikes,
      preLo: p.pre.start,
      preHi: p.pre.end,
      postLo: p.post.start,
      postHi: p.post.end,
      queue: new OnPreQueue(csr.rowStart, delays),
      continuous: continuous ? (step) => continuous(step, step * dt) : null,
      onPre: row && syn ? (s, step) => syn(s, step * dt) : null,
      onPreRow:
        row && syn
          ? (e, step) => {
              row(e, step * dt);
            }
          : null,
      onPost: postRow ? (q, step) => postRow(q, step * dt) : null,
      astroPre: astroPre ? (s, step) => astroPre(s, step * dt) : null,
      astroPost: astroPost ? (q, step) => astroPost(q, step * dt) : null,
    });
    synapses += csr.n;
  }
  return { projections, synapses, synapseState, access };
}

/** Values of the refs a modulator expression may read at time t (rate(POP): the previous step's spikes). */
function modulatorLookup(pops: Map<string, PopRt>, mods: ModTable, dt: number) {
  return (t: number) =>
    (r: { space: string; name: string }): number | undefined => {
      switch (r.space) {
        case "t":
          return t;
        case "dt":
          return dt;
        case "mod": {
          const i = mods.index.get(r.name);
          return i === undefined ? undefined : mods.values[i];
        }
        case "poprate": {
          const p = pops.get(r.name);
          return p ? p.spikes.n / (p.size * dt) : undefined;
        }
        case "popmean": {
          const dot = r.name.lastIndexOf(".");
          const p = pops.get(r.name.slice(0, dot));
          if (!p?.values || p.size === 0) return undefined;
          let sum = 0;
          for (let e = 0; e < p.size; e++) sum += valueAt(p.values, r.name.slice(dot + 1), e) ?? NaN;
          return sum / p.size;
        }
        default:
          return undefined;
      }
    };
}
