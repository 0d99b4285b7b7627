// The fixed executor's per-population and per-projection kernels. In: a fixed-point group or projection, its
// raw arrays (RawVars) and overflow counters; out: generated JS loops (codegen.ts) for the group update
// (reading each element's old state), the threshold scan, the resets, and one synapse handler per event kind.

import { noiseSource } from "../network/noise.js";
import type { Ref } from "../../compiler/ir/nodes.js";
import { TargetError } from "../target.js";
import { accessFxVar, declareFxLocals, genCondition, genStmts, JsBuilder, type FxGenEnv } from "./codegen.js";
import type { FxBool, FxExpr, FxGroup, FxProjection, FxStmt, FxVar } from "./ir.js";
import type { Lfsr32 } from "./lfsr.js";
import { fromFloat, type OverflowCounter, type QFormat } from "./qformat.js";
import type { Values } from "../network/init.js";

/** Raw arrays of a population or a projection: per-element words, or one scalar word. */
export interface RawVars {
  arrays: Map<string, Float64Array>;
  scalars: Map<string, number>;
  fmts: Map<string, QFormat>;
}

/** Initial values rounded to nearest (ties to even) into each variable's format, saturating. */
export function rawVars(vars: FxVar[], values: Values, size: number): RawVars {
  const out: RawVars = { arrays: new Map(), scalars: new Map(), fmts: new Map() };
  for (const v of vars) {
    out.fmts.set(v.name, v.fmt);
    const src =
      v.space === "param"
        ? values.params.get(v.name)
        : v.space === "state"
          ? values.state.get(v.name)
          : values.inputs.get(v.name);
    if (typeof src === "number") {
      out.scalars.set(v.name, fromFloat(src, v.fmt, "nearest-even", "saturate"));
      continue;
    }
    const arr = new Float64Array(size);
    if (src) for (let e = 0; e < size; e++) arr[e] = fromFloat(src[e]!, v.fmt, "nearest-even", "saturate");
    out.arrays.set(v.name, arr);
  }
  return out;
}

const access = (b: JsBuilder, rv: RawVars, name: string, idx: string, where: string, write: boolean): string =>
  accessFxVar(b, rv, name, idx, where, write, (m) => new TargetError(m));
const declareLocals = declareFxLocals;

/** The modulator words of the current step (executor phase 0), by modulator name. */
export interface ModWords {
  words: Float64Array;
  index: ReadonlyMap<string, number>;
}

/** A read of modulator `name`, or null when there is no such modulator. */
function modRead(b: JsBuilder, mods: ModWords | undefined, name: string): string | null {
  const i = mods?.index.get(name);
  return i === undefined ? null : `${b.bind(mods!.words, "mods")}[${i}]`;
}

export interface GroupKernels {
  update: ((k: number) => void) | null;
  /** Writes the spiking elements to buf; returns how many. */
  threshold: ((k: number, buf: Int32Array) => number) | null;
  /** Resets the first n elements of buf and stamps their last spike step. */
  reset: (k: number, buf: Int32Array, n: number) => void;
}

export function groupKernels(
  g: FxGroup,
  raw: RawVars,
  lastSpike: Int32Array,
  rng: Lfsr32,
  counterOf: (t: Ref | null) => OverflowCounter,
  mods?: ModWords,
  seed = 0,
): GroupKernels {
  const refr = g.refractory ? Math.max(0, Math.round(g.refractory.steps)) : 0;
  const stateNames = g.vars.filter((v) => v.space === "state").map((v) => v.name);
  const make = (snapshot: boolean): { b: JsBuilder; env: FxGenEnv } => {
    const b = new JsBuilder();
    const ls = b.bind(lastSpike, "lastSpike");
    const env: FxGenEnv = {
      b,
      rng,
      counterOf,
      element: () => "e",
      refractory: refr > 0 ? `k - ${ls}[e] < ${refr}` : "false",
      resolve: (r, write) => {
        if (r.space === "state" && snapshot && !write && stateNames.includes(r.name))
          return `o_${stateNames.indexOf(r.name)}`;
        if (r.space === "state" || r.space === "param" || r.space === "input") {
          if (write && r.space === "param") throw new TargetError(`${g.name}: cannot assign the parameter ${r.name}`);
          return access(b, raw, r.name, "e", g.name, write);
        }
        const m = r.space === "mod" && !write ? modRead(b, mods, r.name) : null;
        if (m) return m;
        const nf = r.space === "noise" && !write ? g.noise?.[r.name] : undefined;
        if (nf) {
          // the float64 draw (targets/network/noise.ts) rounded into its word: nearest, ties to even
          const draw = noiseSource(seed, g.name, r.name, g.size);
          const word = (k: number, e: number): number => fromFloat(draw(k, e), nf, "nearest-even", "saturate");
          return `${b.bind(word, `noise_${r.name}`)}(k, e)`;
        }
        throw new TargetError(`${g.name}: cannot read ${r.space}.${r.name}`);
      },
    };
    return { b, env };
  };
  const locals = declareLocals(g.locals);

  let update: GroupKernels["update"] = null;
  if (g.update.length) {
    const { b, env } = make(true);
    const body = genStmts(g.update, env);
    const snap = stateNames.map((n, i) => `const o_${i} = ${access(b, raw, n, "e", g.name, false)};`).join(" ");
    update = b.build(["k"], `for (let e = 0; e < ${g.size}; e++) {\n${snap}\n${locals}\n${body.join("\n")}\n}`);
  }
  let threshold: GroupKernels["threshold"] = null;
  if (g.threshold) {
    const { b, env } = make(false);
    const ls = b.bind(lastSpike, "lastSpike");
    const cond = genCondition(g.threshold, env, "c");
    threshold = b.build(
      ["k", "buf"],
      `let n = 0;\nfor (let e = 0; e < ${g.size}; e++) {\n${refr > 0 ? `if (k - ${ls}[e] < ${refr}) continue;\n` : ""}let c;\n${cond.join("\n")}\nif (c) buf[n++] = e;\n}\nreturn n;`,
    );
  }
  const { b, env } = make(false);
  const ls = b.bind(lastSpike, "lastSpike");
  const body = genStmts(g.reset, env);
  const reset = b.build<GroupKernels["reset"]>(
    ["k", "buf", "n"],
    `for (let x = 0; x < n; x++) {\nconst e = buf[x];\n${locals}\n${body.join("\n")}\n${ls}[e] = k;\n}`,
  );
  return { update, threshold, reset };
}

export type SynapseHandler = (s: number, k: number) => void;

export interface ProjectionSides {
  preIdx: Int32Array;
  postIdx: Int32Array;
  pre: { name: string; raw: RawVars | null; vars: FxVar[] };
  post: { name: string; raw: RawVars | null; vars: FxVar[] };
  /** Ensheathed projections: the astrocyte population and the astrocyte of each synapse (astro.NAME refs). */
  astro?: { name: string; raw: RawVars; vars: FxVar[]; astroOf: Int32Array };
  /** The network's modulator words (mod.NAME refs). */
  mods?: ModWords;
}

/** One handler per non-empty statement list (on pre, on post, continuous, and the astrocyte's on synapse_pre /
 *  synapse_post with `locals` = p.astro.locals). */
export function projectionHandler(
  p: FxProjection,
  stmts: readonly FxStmt[],
  raw: RawVars,
  sides: ProjectionSides,
  rng: Lfsr32,
  counterOf: (t: Ref | null) => OverflowCounter,
  lastUpdate?: Int32Array,
  locals: Record<string, QFormat> = p.locals,
): SynapseHandler | null {
  if (!stmts.length) return null;
  return synapseHandlerCode(p.name, stmts, {
    rng,
    counterOf,
    locals,
    preIdx: sides.preIdx,
    postIdx: sides.postIdx,
    astroOf: sides.astro?.astroOf ?? null,
    lastUpdate: lastUpdate ?? null,
    resolve: (b, r, write) => {
      if (r.space === "param" || r.space === "state") {
        if (write && r.space === "param") throw new TargetError(`${p.name}: cannot assign the parameter ${r.name}`);
        return access(b, raw, r.name, "s", p.name, write);
      }
      if (r.space === "pre" || r.space === "post") {
        const side = r.space === "pre" ? sides.pre : sides.post;
        if (!side.raw)
          throw new TargetError(`${p.name}: ${side.name} is an input population and has no variable ${r.name}`);
        if (write && side.vars.find((v) => v.name === r.name)?.space === "param")
          throw new TargetError(`${p.name}: cannot assign ${side.name}.${r.name}`);
        return access(b, side.raw, r.name, r.space === "pre" ? "pi" : "po", `${p.name} (${side.name})`, write);
      }
      if (r.space === "astro") {
        const a = sides.astro;
        if (!a) throw new TargetError(`${p.name}: astro.${r.name} is read but ${p.name} is not ensheathed`);
        if (write && a.vars.find((v) => v.name === r.name)?.space === "param")
          throw new TargetError(`${p.name}: cannot assign ${a.name}.${r.name}`);
        return access(b, a.raw, r.name, "a", `${p.name} (${a.name})`, write);
      }
      const m = r.space === "mod" && !write ? modRead(b, sides.mods, r.name) : null;
      if (m) return m;
      throw new TargetError(`${p.name}: cannot read ${r.space}.${r.name}`);
    },
  });
}

/** Where a synapse handler's code reads its synapses and what its statements read (the executor's arrays or
 *  the emulator's descriptor words: `resolve`). */
export interface SynapseCodeSides {
  rng: Lfsr32;
  counterOf: (t: Ref | null) => OverflowCounter;
  locals: Record<string, unknown>;
  preIdx: Int32Array;
  postIdx: Int32Array;
  /** the ensheathing astrocyte of each synapse (bound as `a`), or null */
  astroOf: Int32Array | null;
  /** each synapse's step of its last event-driven update; needed when the statements decay a trace */
  lastUpdate: Int32Array | null;
  resolve: (b: JsBuilder, r: Ref, write: boolean) => string;
}

/** One synapse statement list as the code the executor and the emulator both run: per synapse s at step k,
 *  `pi`, `po` (and `a`) from the index arrays, the locals, the statements, and the event-driven stamp. */
export function synapseHandlerCode(name: string, stmts: readonly FxStmt[], o: SynapseCodeSides): SynapseHandler {
  const b = new JsBuilder();
  const decays = readsElapsed(stmts);
  if (decays && !o.lastUpdate) throw new TargetError(`${name}: event-driven decay without last-update steps`);
  const lu = decays ? b.bind(o.lastUpdate!, "lastUpdate") : "";
  const env: FxGenEnv = {
    b,
    rng: o.rng,
    counterOf: o.counterOf,
    refractory: "false",
    element: (t) => (t?.space === "post" ? "po" : t?.space === "pre" ? "pi" : t?.space === "astro" ? "a" : "s"),
    elapsed: decays ? `(k - ${lu}[s])` : undefined,
    resolve: (r, write) => o.resolve(b, r, write),
  };
  const body = genStmts(stmts, env);
  const pre = b.bind(o.preIdx, "preIdx"),
    post = b.bind(o.postIdx, "postIdx");
  const ast = o.astroOf ? `, a = ${b.bind(o.astroOf, "astroOf")}[s]` : "";
  return b.build(
    ["s", "k"],
    `const pi = ${pre}[s], po = ${post}[s]${ast};\n${declareLocals(o.locals)}\n${body.join("\n")}${decays ? `\n${lu}[s] = k;` : ""}`,
  );
}

/** True when a statement list holds an event-driven decay (it reads the elapsed time). */
export function readsElapsed(stmts: readonly FxStmt[]): boolean {
  const inExpr = (e: FxExpr): boolean => {
    switch (e.k) {
      case "edecay":
        return true;
      case "const":
      case "var":
        return false;
      case "add":
      case "sub":
      case "mul":
      case "min":
      case "max":
      case "div":
        return inExpr(e.a) || inExpr(e.b);
      case "neg":
      case "abs":
      case "shift":
      case "lut":
        return inExpr(e.a);
      case "sel":
        return inBool(e.c) || inExpr(e.a) || inExpr(e.b);
    }
  };
  const inBool = (c: FxBool): boolean => {
    switch (c.k) {
      case "cmp":
        return inExpr(c.a) || inExpr(c.b);
      case "and":
      case "or":
        return inBool(c.a) || inBool(c.b);
      case "not":
        return inBool(c.a);
      default:
        return false;
    }
  };
  return stmts.some((s) =>
    s.k === "if" ? inBool(s.c) || readsElapsed(s.then) || readsElapsed(s.otherwise) : inExpr(s.value),
  );
}
