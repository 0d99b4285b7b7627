// The parts of a descriptor every mapper shares: quantize the discrete IR for the hardware's word widths,
// then build neuron programs (fixed code + initial raw words) and synapse tables (connectivity, delays and
// raw words of every synapse, in the executor's construction order). In: an IRProgram, a FixedSpec; out:
// a NetworkTables value, or diagnostics (E0802 from the quantize pass, E0801 for construction problems).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import type { Span } from "../../compiler/diagnostics/span.js";
import { networkSpan } from "../../compiler/ir/spans.js";
import { irToJson } from "../../compiler/ir/json.js";
import { forEachRef } from "../../compiler/ir/expr.js";
import type { IRExpr, IRProgram, IRProjection, IRStmt } from "../../compiler/ir/nodes.js";
import { buildProjection, type PopulationFacts } from "../network/projection.js";
import { TargetError } from "../target.js";
import { initGroup, type Values } from "../network/init.js";
import type { FixedProgram, FixedSpec, FxVar } from "../fixed/ir.js";
import { fromFloat, type QFormat } from "../fixed/qformat.js";
import { quantize } from "../fixed/quantize.js";
import { modulatorWords } from "./modulators.js";
import type { DescriptorModulator, DescriptorVar, NeuronProgram, SynapseTable } from "./types.js";

export interface NetworkTables {
  fixed: FixedProgram;
  neurons: NeuronProgram[];
  projections: SynapseTable[];
  formats: Record<string, QFormat>;
  /** Float weight of every synapse (SI), per projection, before any hardware quantization. */
  floatWeights: Map<string, Float64Array>;
  /** Ensheathed projections: the astrocyte element of every synapse (targets/network/ensheath.ts). */
  astroOf: Map<string, Int32Array>;
  /** The network's modulators as controller-broadcast words (quantize's formats). */
  modulators: DescriptorModulator[];
  ir: { glia_ir: number; program: unknown };
}

/** A typed array's values as a number[] (an index loop: Array.from goes through the iterator, several times
 *  slower on CUBA's 320,000 synapses; pushed, since new Array(n) of a large n makes a sparse array). */
function numbers(a: Int32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) out.push(a[i]!);
  return out;
}

const dvars = (vars: FxVar[]): DescriptorVar[] => vars.map((v) => ({ name: v.name, space: v.space, fmt: v.fmt }));

/** Raw words of `vars` from float values, rounded as the executor rounds initial values. */
function rawWords(
  vars: FxVar[],
  values: Values,
  size: number,
  skipInputs: boolean,
): { arrays: Record<string, number[]>; scalars: Record<string, number> } {
  const arrays: Record<string, number[]> = {},
    scalars: Record<string, number> = {};
  for (const v of vars) {
    if (v.space === "input" && skipInputs) continue;
    const src =
      v.space === "param"
        ? values.params.get(v.name)
        : v.space === "state"
          ? values.state.get(v.name)
          : values.inputs.get(v.name);
    if (typeof src === "number") scalars[v.name] = fromFloat(src, v.fmt, "nearest-even", "saturate");
    else {
      const out = new Array<number>(size);
      for (let e = 0; e < size; e++) out[e] = src ? fromFloat(src[e]!, v.fmt, "nearest-even", "saturate") : 0;
      arrays[v.name] = out;
    }
  }
  return { arrays, scalars };
}

/** The synapse variable an on-pre handler (else the continuous coupling) adds into the post neuron: the first
 *  param/state read by an assignment to post.X (for std Static: `w`); null when neither writes a post variable
 *  through one. */
export function weightVariable(p: IRProjection): string | null {
  let found: string | null = null;
  const visit = (stmts: IRStmt[]): void => {
    for (const s of stmts) {
      if (found) return;
      if (s.k === "if") {
        visit(s.then);
        visit(s.otherwise);
        continue;
      }
      if (s.k === "assign" && s.target.space === "post") {
        forEachRef(s.value, (r) => {
          if (!found && (r.space === "param" || r.space === "state")) found = r.name;
        });
      }
    }
  };
  visit(p.onPre);
  if (!found) visit(p.continuous);
  return found;
}

/** `e` with its first constant factor (through products, and the numerator of a quotient) replaced by `w`. */
function liftFactor(e: IRExpr, w: IRExpr): { e: IRExpr; c: number } | null {
  if (e.k === "num") return { e: w, c: e.v };
  if (e.k !== "bin" || (e.op !== "*" && e.op !== "/")) return null;
  const a = liftFactor(e.a, w);
  if (a) return { e: { ...e, a: a.e }, c: a.c };
  if (e.op !== "*") return null;
  const b = liftFactor(e.b, w);
  return b ? { e: { ...e, b: b.e }, c: b.c } : null;
}

/** Hardware stores a weight per synapse even when the compiler folded a constant weight into the code. In the
 *  first assignment to a post variable of on pre (else of the continuous coupling), of a projection without a
 *  weight variable: `post.X = post.X +/- c` becomes `post.X = post.X + param.w` with w = +/-c, and
 *  `post.X = post.X +/- c * E` (c a factor of a product) becomes `post.X = post.X +/- w * E` with w = c (named
 *  w, or w_hw when w is taken). Other projections are kept. */
export function withWeightParams(ir: IRProgram): IRProgram {
  const projections = ir.projections.map((p): IRProjection => {
    if (weightVariable(p) !== null) return p;
    const name = [...p.params, ...p.state].some((v) => v.name === "w") ? "w_hw" : "w";
    const wref: IRExpr = { k: "ref", ref: { space: "param", name } };
    for (const key of ["onPre", "continuous"] as const) {
      const stmts = p[key];
      const idx = stmts.findIndex((s) => s.k === "assign" && s.target.space === "post");
      const s = stmts[idx];
      if (!s) continue;
      if (s.k !== "assign" || s.value.k !== "bin" || (s.value.op !== "+" && s.value.op !== "-")) return p;
      const { op, a, b } = s.value;
      const self = (e: IRExpr): boolean => e.k === "ref" && e.ref.space === "post" && e.ref.name === s.target.name;
      let c: number | null = null;
      let value: IRExpr;
      if (self(a) && b.k === "num") c = op === "+" ? b.v : -b.v;
      else if (op === "+" && self(b) && a.k === "num") c = a.v;
      if (c !== null) value = { k: "bin", op: "+", a: { k: "ref", ref: s.target }, b: wref };
      else {
        const term = self(a) ? b : op === "+" && self(b) ? a : null;
        const l = term && term.k !== "num" ? liftFactor(term, wref) : null;
        if (!l) return p;
        c = l.c;
        value = { k: "bin", op, a: { k: "ref", ref: s.target }, b: l.e };
      }
      const post = ir.groups.find((g) => g.name === p.post.population);
      const dim =
        value.k === "bin" && value.b === wref
          ? ([...(post?.inputs ?? []), ...(post?.state ?? [])].find((v) => v.name === s.target.name)?.dim ?? "1")
          : "1";
      const out = [...stmts];
      out[idx] = { k: "assign", target: s.target, value, span: s.span };
      return {
        ...p,
        params: [...p.params, { name, dim, init: { k: "expr", e: { k: "num", v: c } }, perElement: false }],
        [key]: out,
      };
    }
    return p;
  });
  return { ...ir, projections };
}

export function buildTables(
  ir0: IRProgram,
  spec: FixedSpec,
  profileSteps?: number,
): { tables?: NetworkTables; diagnostics: Diagnostic[] } {
  // decay-consistent coefficients (quantize applies fixed/decay-consistent.ts): a decay rounded to the spec's
  // multiplier width keeps each update's resting point (without it CUBA on Loihi's 12-bit decays rests below threshold)
  const ir = withWeightParams(ir0);
  const q = quantize(ir, { spec, profileSteps });
  if (!q.program || hasErrors(q.diagnostics)) return { diagnostics: q.diagnostics };
  const fp = q.program;
  const diagnostics = [...q.diagnostics];
  const formats: Record<string, QFormat> = {};
  const seed = ir.seed >>> 0;
  let at: Span = networkSpan(ir); // the population or connect statement being built, for construction errors
  try {
    const groupValues = new Map<string, Values>();
    const neurons: NeuronProgram[] = fp.groups.map((g) => {
      at = g.ir.span ?? networkSpan(ir);
      const noisy = Object.keys(g.noise ?? {});
      if (noisy.length > 0)
        throw new TargetError(
          `population ${g.name} reads white noise (${noisy.join(", ")}); hardware descriptors have no noise source yet`,
          "run it on the fixed target (glia run --target fixed --hw SPEC), which draws the noise into a state word",
        );
      for (const v of g.vars) formats[`${g.name}.${v.name}`] = v.fmt;
      const values = initGroup(g.ir, seed, ir.dt);
      groupValues.set(g.name, values);
      const w = rawWords(g.vars, values, g.size, true);
      return {
        population: g.name,
        size: g.size,
        stepEvery: g.stepEvery,
        vars: dvars(g.vars),
        locals: g.locals,
        update: g.update,
        threshold: g.threshold,
        reset: g.reset,
        refractory: g.refractory,
        initial: w.arrays,
        scalars: w.scalars,
      };
    });
    const sizeOf = (name: string): number =>
      ir.groups.find((g) => g.name === name)?.size ?? ir.sources.find((s) => s.name === name)?.size ?? 0;
    const facts = (name: string): PopulationFacts => ({
      size: sizeOf(name),
      kind: ir.groups.find((g) => g.name === name)?.kind ?? "source",
      values: groupValues.get(name),
    });
    const floatWeights = new Map<string, Float64Array>();
    const astroOf = new Map<string, Int32Array>();
    const projections: SynapseTable[] = fp.projections.map((p) => {
      at = p.ir.span ?? networkSpan(ir);
      for (const v of p.vars) formats[`${p.name}.${v.name}`] = v.fmt;
      const { csr, values, delays, astroOf: ensheath } = buildProjection(p.ir, facts, seed, ir.dt);
      if (ensheath) astroOf.set(p.name, ensheath);
      const weightVar = weightVariable(p.ir) ?? p.vars[0]?.name ?? "";
      const wv = values.params.get(weightVar) ?? values.state.get(weightVar);
      floatWeights.set(p.name, typeof wv === "number" || wv === undefined ? new Float64Array(csr.n).fill(wv ?? 0) : wv);
      const w = rawWords(p.vars, values, csr.n, false);
      return {
        projection: p.name,
        pre: { ...p.ir.pre },
        post: { ...p.ir.post },
        synapse: p.ir.synapse,
        vars: dvars(p.vars),
        locals: p.locals,
        onPre: p.onPre,
        onPost: p.onPost,
        continuous: p.continuous,
        weightVar,
        astro: p.astro
          ? {
              population: p.astro.group,
              locals: p.astro.locals,
              onSynapsePre: p.astro.onSynapsePre,
              onSynapsePost: p.astro.onSynapsePost,
            }
          : null,
        n: csr.n,
        preIndex: numbers(csr.pre),
        postIndex: numbers(csr.post),
        delay: numbers(delays),
        raw: w.arrays,
        scalars: w.scalars,
      };
    });
    const irDoc = JSON.parse(irToJson(ir)) as { glia_ir: number; program: unknown };
    return {
      tables: {
        fixed: fp,
        neurons,
        projections,
        formats,
        floatWeights,
        astroOf,
        modulators: modulatorWords(fp.modulators ?? []),
        ir: irDoc,
      },
      diagnostics,
    };
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    return {
      diagnostics: [
        ...diagnostics,
        {
          code: "E0801",
          severity: "error",
          message: `hardware mapping: ${err.message}`,
          span: at,
          related: [],
          hint: err.hint ?? "check the sizes, slices and rule arguments of this statement",
        },
      ],
    };
  }
}

/** Places `units` on a mesh: the spec's, or the smallest square that holds them. */
export function meshFor(
  units: number,
  spec: { x: number; y: number } | null,
): { x: number; y: number; fromSpec: boolean } {
  if (spec) return { ...spec, fromSpec: true };
  const side = Math.max(1, Math.ceil(Math.sqrt(units)));
  return { x: side, y: Math.max(1, Math.ceil(units / side)), fromSpec: false };
}

export const meshXY = (u: number, mesh: { x: number }): { x: number; y: number } => ({
  x: u % mesh.x,
  y: Math.floor(u / mesh.x),
});
