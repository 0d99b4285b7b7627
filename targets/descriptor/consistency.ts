// Cross-section meaning checks of a descriptor that the per-table rules of validate.ts do not cover: the neuron
// programs and synapse tables against the embedded IR (every population and projection on both sides, equal sizes
// and slices), every fixed-point program (programs.ts: ops, operands, numbers, references, depth), refractory
// periods and clamps, the hardware word widths of stored variables, delays, the cores' coverage of every population, routing tables (sources, destinations,
// mesh positions) and the crossbar periphery (populations, slices, tile ids). In: a descriptor that passed the
// JSON Schema; out: "PATH: what is wrong" messages through `err` (true: enough collected, stop).

import { widthOf } from "../fixed/qformat.js";
import { MAX_STEPS } from "../network/resources.js";
import { checkProgram, type ProgramScope } from "./programs.js";
import type { Descriptor } from "./types.js";

interface IRPart {
  name: string;
  size?: number;
  pre?: { population: string; start: number; end: number };
  post?: { population: string; start: number; end: number };
}

/** The longest synaptic delay a descriptor may state, in steps: hardware delay fields hold 4 to 6 bits, and the
 *  executor's and emulator's event queues keep one slot per step of delay (2^31 slots exhaust the heap). */
export const MAX_DESCRIPTOR_DELAY = 2 ** 20;

/** Deepest nesting of the embedded IR document (it is serialized and read back recursively). */
const MAX_IR_DEPTH = 512;

/** The JSON path of a value nested deeper than `limit` in `root`, or null (an iterative walk). */
function deepestPath(root: unknown, limit: number): string | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: root, path: "/ir/program", depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth > limit) return path;
    for (const [k, x] of Object.entries(v))
      if (typeof x === "object" && x !== null) stack.push({ v: x, path: `${path}/${k}`, depth: depth + 1 });
  }
  return null;
}

/** The embedded IR's groups, sources and projections (only what the checks need), or a message. */
function irParts(d: Descriptor): { groups: IRPart[]; sources: IRPart[]; projections: IRPart[] } | string {
  const prog = d.ir.program as Record<string, unknown>;
  const parts: Record<string, IRPart[]> = {};
  for (const key of ["groups", "sources", "projections"]) {
    const xs = prog[key];
    if (!Array.isArray(xs)) return `/ir/program/${key}: expected a list`;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as IRPart | null;
      if (typeof x !== "object" || x === null || typeof x.name !== "string")
        return `/ir/program/${key}/${i}: expected an object with a name`;
      if (key !== "projections" && !(Number.isInteger(x.size) && x.size! >= 0))
        return `/ir/program/${key}/${i}/size: expected a non-negative integer`;
    }
    parts[key] = xs as IRPart[];
  }
  const monitors = prog.monitors;
  if (!Array.isArray(monitors)) return "/ir/program/monitors: expected a list";
  for (let i = 0; i < monitors.length; i++) {
    const m = monitors[i] as { k?: unknown; everySteps?: unknown; target?: Record<string, unknown> } | null;
    const t = m?.target;
    if (
      !m ||
      !["spikes", "rate", "state"].includes(m.k as string) ||
      !(Number.isInteger(m.everySteps) && (m.everySteps as number) >= 1) ||
      typeof t !== "object" ||
      t === null ||
      typeof t.population !== "string" ||
      !Number.isInteger(t.start) ||
      !Number.isInteger(t.end)
    )
      return `/ir/program/monitors/${i}: expected { k: spikes | rate | state, everySteps >= 1, target: { population, start, end } }`;
  }
  const deep = deepestPath(prog, MAX_IR_DEPTH);
  if (deep) return `/ir/program: nested deeper than ${MAX_IR_DEPTH} levels (at ${deep.slice(0, 80)}...)`;
  return { groups: parts.groups!, sources: parts.sources!, projections: parts.projections! };
}

/** Neuron programs and synapse tables agree with the IR they claim to implement. */
function checkAgainstIR(d: Descriptor, err: (m: string) => boolean): boolean {
  const ir = irParts(d);
  if (typeof ir === "string") return !err(ir);
  const groups = new Map(ir.groups.map((g) => [g.name, g]));
  for (let i = 0; i < d.neurons.length; i++) {
    const g = d.neurons[i]!;
    const want = groups.get(g.population);
    if (!want) {
      if (err(`/neurons/${i}/population: ${g.population} is no population of the embedded IR`)) return false;
    } else if (want.size !== g.size) {
      if (err(`/neurons/${i}/size: ${g.size} neurons, but the IR's population ${g.population} has ${want.size}`))
        return false;
    }
  }
  const programs = new Set(d.neurons.map((g) => g.population));
  for (let i = 0; i < ir.groups.length; i++)
    if (!programs.has(ir.groups[i]!.name) && err(`/neurons: no program for the IR's population ${ir.groups[i]!.name}`))
      return false;
  const projections = new Map(ir.projections.map((p) => [p.name, p]));
  for (let i = 0; i < d.projections.length; i++) {
    const t = d.projections[i]!;
    const want = projections.get(t.projection);
    if (!want) {
      if (err(`/projections/${i}/projection: ${t.projection} is no projection of the embedded IR`)) return false;
      continue;
    }
    for (const side of ["pre", "post"] as const) {
      const a = t[side],
        b = want[side];
      if (b && (a.population !== b.population || a.start !== b.start || a.end !== b.end))
        if (
          err(
            `/projections/${i}/${side}: ${a.population}[${a.start}, ${a.end}), but the IR's ${t.projection} connects ${b.population}[${b.start}, ${b.end})`,
          )
        )
          return false;
    }
  }
  const tables = new Set(d.projections.map((t) => t.projection));
  for (const p of ir.projections)
    if (!tables.has(p.name) && err(`/projections: no synapse table for the IR's projection ${p.name}`)) return false;
  return true;
}

/** Every program's nodes, refractory periods and the word widths of stored variables. */
function checkPrograms(d: Descriptor, err: (m: string) => boolean): boolean {
  const mods = null; // modulator reads are checked against the descriptor's words by validate.ts
  const varsOf = new Map<string, { name: string; space: string }[]>(d.neurons.map((g) => [g.population, g.vars]));
  const bySpace = (vars: readonly { name: string; space: string }[], space: string): Set<string> =>
    new Set(vars.filter((v) => v.space === space).map((v) => v.name));
  const maxRefractory = Math.min(MAX_STEPS, 2 ** d.fixed.stateBits - 1);
  for (let i = 0; i < d.neurons.length; i++) {
    const g = d.neurons[i]!,
      p = `/neurons/${i}`;
    const scope: ProgramScope = {
      spaces: {
        state: bySpace(g.vars, "state"),
        param: bySpace(g.vars, "param"),
        input: bySpace(g.vars, "input"),
        local: new Set(Object.keys(g.locals)),
        mod: mods,
      },
    };
    if (!checkProgram(g.update, `${p}/update`, "stmts", scope, err)) return false;
    if (g.threshold !== null && !checkProgram(g.threshold, `${p}/threshold`, "bool", scope, err)) return false;
    if (!checkProgram(g.reset, `${p}/reset`, "stmts", scope, err)) return false;
    const r = g.refractory;
    if (r) {
      if (!Number.isInteger(r.steps) || r.steps > maxRefractory) {
        if (
          err(
            `${p}/refractory/steps: ${r.steps} is not a whole number of steps within 0..${maxRefractory} (the ${d.fixed.stateBits}-bit state word of the refractory counter)`,
          )
        )
          return false;
      }
      for (let c = 0; c < r.clamp.length; c++)
        if (
          !scope.spaces.state!.has(r.clamp[c]!) &&
          err(`${p}/refractory/clamp/${c}: ${r.clamp[c]} is no state variable of ${g.population}`)
        )
          return false;
    }
    if (g.stepEvery > MAX_STEPS && err(`${p}/stepEvery: ${g.stepEvery} is more than ${MAX_STEPS} steps`)) return false;
    for (let v = 0; v < g.vars.length; v++) {
      const w = widthOf(g.vars[v]!.fmt);
      if (
        w > d.fixed.accBits &&
        err(`${p}/vars/${v}/fmt: a ${w}-bit word on a datapath of ${d.fixed.accBits}-bit accumulators`)
      )
        return false;
    }
  }
  for (let i = 0; i < d.projections.length; i++) {
    const t = d.projections[i]!,
      p = `/projections/${i}`;
    const pre = varsOf.get(t.pre.population) ?? [],
      post = varsOf.get(t.post.population) ?? [];
    const astro = t.astro ? (varsOf.get(t.astro.population) ?? []) : null;
    const scope: ProgramScope = {
      spaces: {
        state: bySpace(t.vars, "state"),
        param: bySpace(t.vars, "param"),
        pre: new Set(pre.map((v) => v.name)),
        post: new Set(post.map((v) => v.name)),
        local: new Set([...Object.keys(t.locals), ...Object.keys(t.astro?.locals ?? {})]),
        mod: mods,
        ...(astro ? { astro: new Set(astro.map((v) => v.name)) } : {}),
      },
    };
    for (const key of ["onPre", "onPost", "continuous"] as const)
      if (!checkProgram(t[key], `${p}/${key}`, "stmts", scope, err)) return false;
    if (t.astro)
      for (const key of ["onSynapsePre", "onSynapsePost"] as const)
        if (!checkProgram(t.astro[key], `${p}/astro/${key}`, "stmts", scope, err)) return false;
    for (let s = 0; s < t.delay.length; s++)
      if (t.delay[s]! > MAX_DESCRIPTOR_DELAY) {
        if (err(`${p}/delay/${s}: ${t.delay[s]} steps is more than the limit of ${MAX_DESCRIPTOR_DELAY} steps`))
          return false;
        break;
      }
  }
  return true;
}

/** Routing tables: known source units and populations, element ranges inside them, destinations on the mesh. */
function checkRouting(d: Descriptor, sizes: Map<string, number>, err: (m: string) => boolean): boolean {
  const units = d.kind === "crossbar" ? d.tiles.length : d.cores.length;
  for (let i = 0; i < d.routing.length; i++) {
    const r = d.routing[i]!,
      p = `/routing/${i}`;
    if (r.from >= units && err(`${p}/from: unit ${r.from} does not exist (${units} units; -1 is off chip)`))
      return false;
    for (let j = 0; j < r.routes.length; j++) {
      const e = r.routes[j]!,
        q = `${p}/routes/${j}`;
      const n = sizes.get(e.population);
      if (n === undefined) {
        if (err(`${q}/population: unknown population ${e.population}`)) return false;
      } else if (e.start >= e.end || e.end > n) {
        if (err(`${q}: elements [${e.start}, ${e.end}) are not a non-empty slice of ${e.population} (size ${n})`))
          return false;
      }
      if (e.to >= units) {
        if (err(`${q}/to: unit ${e.to} does not exist (${units} units)`)) return false;
        continue;
      }
      // the route's position is its destination's own (the mapper places tiles as a block: targets/digital/map.ts)
      const dest = d.kind === "crossbar" ? d.tiles[e.to]! : d.cores[e.to]!;
      if (
        (e.x !== dest.x || e.y !== dest.y) &&
        err(`${q}: mesh position (${e.x}, ${e.y}) of unit ${e.to} is not its own (${dest.x}, ${dest.y})`)
      )
        return false;
    }
  }
  return true;
}

/** Digital cores hold every neuron of every population exactly once (a population larger than its cores is
 *  refused here, before anything is sized by it). */
function checkCoverage(d: Descriptor, err: (m: string) => boolean): boolean {
  if (d.kind !== "digital") return true;
  const held = new Map<string, number>();
  for (const c of d.cores) held.set(c.population, (held.get(c.population) ?? 0) + Math.max(0, c.end - c.start));
  for (let i = 0; i < d.neurons.length; i++) {
    const g = d.neurons[i]!;
    const n = held.get(g.population) ?? 0;
    if (n !== g.size && err(`/neurons/${i}/size: ${g.size} neurons, but the cores hold ${n} of ${g.population}`))
      return false;
  }
  return true;
}

/** The crossbar periphery: neurons of known populations behind existing tiles. */
function checkPeriphery(d: Descriptor, sizes: Map<string, number>, err: (m: string) => boolean): boolean {
  if (d.kind !== "crossbar") return true;
  for (let i = 0; i < d.periphery.length; i++) {
    const r = d.periphery[i]!,
      p = `/periphery/${i}`;
    const n = sizes.get(r.population);
    if (n === undefined) {
      if (err(`${p}/population: unknown population ${r.population}`)) return false;
    } else if (r.start > r.end || r.end > n) {
      if (err(`${p}: elements [${r.start}, ${r.end}) are outside ${r.population} (size ${n})`)) return false;
    }
    for (let j = 0; j < r.tiles.length; j++)
      if (
        r.tiles[j]! >= d.tiles.length &&
        err(`${p}/tiles/${j}: tile ${r.tiles[j]} does not exist (${d.tiles.length} tiles)`)
      )
        return false;
  }
  for (let ti = 0; ti < d.tiles.length; ti++) {
    const t = d.tiles[ti]!;
    const n = sizes.get(t.prePopulation);
    if (n === undefined) {
      if (err(`/tiles/${ti}/prePopulation: unknown population ${t.prePopulation}`)) return false;
      continue;
    }
    const late = t.rowDelays.findIndex((x) => x > MAX_DESCRIPTOR_DELAY);
    if (
      late >= 0 &&
      err(
        `/tiles/${ti}/rowDelays/${late}: ${t.rowDelays[late]} steps is more than the limit of ${MAX_DESCRIPTOR_DELAY} steps`,
      )
    )
      return false;
    const r = t.rowInputs.findIndex((x) => x >= n);
    if (
      r >= 0 &&
      err(`/tiles/${ti}/rowInputs/${r}: element ${t.rowInputs[r]} is outside ${t.prePopulation} (size ${n})`)
    )
      return false;
    for (let c = 0; c < t.pairs.length; c++) {
      const col = t.pairs[c]!;
      const m = sizes.get(col.population);
      if (m === undefined || col.index >= m)
        if (
          err(
            `/tiles/${ti}/pairs/${c}: neuron ${col.index} is outside ${col.population}${m === undefined ? " (unknown population)" : ` (size ${m})`}`,
          )
        )
          return false;
    }
  }
  return true;
}

/** All checks of this file, in order; `sizes` maps every population and source of the descriptor to its size. */
export function checkConsistency(d: Descriptor, sizes: Map<string, number>, err: (m: string) => boolean): void {
  if (!checkAgainstIR(d, err)) return;
  if (!checkPrograms(d, err)) return;
  if (!checkCoverage(d, err)) return;
  if (!checkRouting(d, sizes, err)) return;
  checkPeriphery(d, sizes, err);
}
