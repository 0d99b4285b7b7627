// Runs a hardware descriptor on the bit-exact fixed-point executor: this defines "the spikes of a
// descriptor" that the cycle-accurate emulator must reproduce. In: a validated Descriptor and RunOptions;
// out: the executor's RunResult, or diagnostics (E0805 when the descriptor's programs, sizes or indices are not
// consistent (descriptor/consistency.ts) or its IR cannot be read back; E0811 for the run's first overflow of a
// format, an error unless RunOptions.numericGuard is "warn", with the run's result all the same).
//
// Each projection's synapses are the descriptor's synapse table, handed to the executor as they are (its
// NetworkOverrides.projection): pre/post elements, delays, the raw words of every synapse variable and the
// astrocyte of each ensheathed synapse (SynapseMemory.astrocyte) in table order, so events run in the order
// the hardware runs them (the order matters: an add into a coarser word rounds each partial sum). Every
// variable's Q format is forced to the descriptor's (`formats`, profiling off), and the statements the
// executor runs are the descriptor's own (neuron programs and synapse tables, withDescriptorPrograms).

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan, type Span } from "../../compiler/diagnostics/span.js";
import { irFromJson } from "../../compiler/ir/json.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { BuiltProjection } from "../network/projection.js";
import type { Values } from "../network/init.js";
import type { RunOptions, RunResult } from "../target.js";
import { TargetError } from "../target.js";
import { execute } from "../fixed/executor.js";
import { overflowDiagnostic } from "../fixed/guard.js";
import { quantize } from "../fixed/quantize.js";
import type { FixedProgram, FxGroup, FxProjection } from "../fixed/ir.js";
import { toFloat, type QFormat } from "../fixed/qformat.js";
import { astroMaps } from "../descriptor/astro.js";
import { checkConsistency } from "../descriptor/consistency.js";
import { descriptorModulators } from "../descriptor/modulators.js";
import { crossbarDelivery } from "../crossbar/read-exec.js";
import type { ReadStats } from "../crossbar/read-model.js";
import type { Descriptor, SynapseTable } from "../descriptor/types.js";

/** The IR, the forced formats and the synapses of every projection (from its synapse table) that make the
 *  executor run exactly the descriptor. */
export function descriptorProgram(d: Descriptor): {
  ir?: IRProgram;
  formats: Record<string, QFormat>;
  synapses: Map<string, BuiltProjection>;
  error?: string;
} {
  const back = irFromJson(JSON.stringify(d.ir));
  const synapses = new Map<string, BuiltProjection>();
  if (!back.ok) return { formats: {}, synapses, error: back.error };
  const ir = back.program;
  const formats: Record<string, QFormat> = {};
  for (const [k, f] of Object.entries(d.formats)) formats[k] = f;
  // the broadcast words' formats (quantize lowers mod.NAME reads with them)
  for (const m of d.modulators ?? []) formats[`mod.${m.name}`] = m.fmt;
  const sizes = new Map<string, number>([
    ...d.neurons.map((np) => [np.population, np.size] as const),
    ...ir.sources.map((s) => [s.name, s.size] as const),
  ]);
  const tables = new Map(d.projections.map((t) => [t.projection, t]));
  const maps = astroMaps(d);
  for (const p of ir.projections) {
    const t = tables.get(p.name);
    if (!t) return { formats, synapses, error: `the IR's projection ${p.name} has no synapse table` };
    const preSize = sizes.get(t.pre.population),
      postSize = sizes.get(t.post.population);
    if (preSize === undefined || postSize === undefined)
      return { formats, synapses, error: `${p.name}: unknown population ${t.pre.population} or ${t.post.population}` };
    let astroOf: Int32Array | null = null;
    if (p.ensheathedBy) {
      const map = maps.get(p.name);
      if (!map)
        return {
          formats,
          synapses,
          error: `${p.name} is ensheathed by ${p.ensheathedBy.astrocytes}, but no synapse memory holds its astrocyte map`,
        };
      const s = map.indexOf(-1);
      if (s >= 0)
        return { formats, synapses, error: `synapse ${s} of ${p.name} has no astrocyte in any synapse memory` };
      astroOf = map;
    }
    for (const v of t.vars) formats[`${p.name}.${v.name}`] = v.fmt;
    synapses.set(p.name, tableSynapses(t, preSize, postSize, astroOf));
  }
  return { ir: { ...ir, seed: d.seed }, formats, synapses };
}

/** A synapse table as the executor's built projection: CSR over the populations, the variables' values (the
 *  raw words in their formats, exact), delays and astrocytes. */
function tableSynapses(
  t: SynapseTable,
  preSize: number,
  postSize: number,
  astroOf: Int32Array | null,
): BuiltProjection {
  const n = t.n,
    pre = Int32Array.from(t.preIndex),
    post = Int32Array.from(t.postIndex);
  const rowStart = new Int32Array(preSize + 1),
    postStart = new Int32Array(postSize + 1);
  for (let s = 0; s < n; s++) {
    rowStart[pre[s]! + 1]!++;
    postStart[post[s]! + 1]!++;
  }
  for (let i = 0; i < preSize; i++) rowStart[i + 1]! += rowStart[i]!;
  for (let i = 0; i < postSize; i++) postStart[i + 1]! += postStart[i]!;
  const fill = postStart.slice(0, postSize),
    postSyn = new Int32Array(n);
  for (let s = 0; s < n; s++) postSyn[fill[post[s]!]!++] = s;
  const values: Values = { size: n, params: new Map(), state: new Map(), inputs: new Map() };
  for (const v of t.vars) {
    const raw = t.raw[v.name];
    const x = raw ? Float64Array.from(raw, (w) => toFloat(w, v.fmt)) : toFloat(t.scalars[v.name] ?? 0, v.fmt);
    if (v.space === "state") values.state.set(v.name, typeof x === "number" ? new Float64Array(n).fill(x) : x);
    else values.params.set(v.name, x);
  }
  return { csr: { n, pre, post, rowStart, postStart, postSyn }, values, delays: Int32Array.from(t.delay), astroOf };
}

/** The re-quantized program with the descriptor's own statements: each group's update, threshold, reset,
 *  locals and refractory period from its neuron program, each split's handlers and locals from its synapse
 *  table. Quantizing the IR again (without profiling) forces the variables' formats but not the formats of
 *  locals and intermediate sums, so its statements can differ from the ones the hardware runs (a local's
 *  coarser format froze a group's membrane in the feature network of test/differential/features.test.ts). */
function withDescriptorPrograms(fp: FixedProgram, d: Descriptor): { program?: FixedProgram; error?: string } {
  const neurons = new Map(d.neurons.map((np) => [np.population, np]));
  const tables = new Map(d.projections.map((t) => [t.projection, t]));
  const groups: FxGroup[] = [];
  for (const g of fp.groups) {
    const np = neurons.get(g.name);
    if (!np) return { error: `the IR's group ${g.name} has no neuron program` };
    const { stepEvery, locals, update, threshold, reset, refractory } = np;
    groups.push({ ...g, stepEvery, locals, update, threshold, reset, refractory });
  }
  const projections: FxProjection[] = [];
  for (const p of fp.projections) {
    const t = tables.get(p.name);
    if (!t) return { error: `no synapse table for ${p.name}` };
    const a = t.astro;
    const astro =
      p.astro && a
        ? { group: p.astro.group, locals: a.locals, onSynapsePre: a.onSynapsePre, onSynapsePost: a.onSynapsePost }
        : p.astro;
    projections.push({ ...p, locals: t.locals, onPre: t.onPre, onPost: t.onPost, continuous: t.continuous, astro });
  }
  return { program: { ...fp, groups, projections } };
}

/** `crossbar`: tile reads, pair conversions and ADC clips when the crossbar read model was applied. */
export function runDescriptor(
  d: Descriptor,
  options: RunOptions = {},
  at?: Span,
): { result?: RunResult; overflows?: Record<string, number>; crossbar?: ReadStats; diagnostics: Diagnostic[] } {
  // a descriptor holds no source spans: diagnostics point at `at` (the caller's network declaration, when it
  // compiled the descriptor from source), else at the descriptor's network name
  const span = at ?? syntheticSpan(d.network);
  const sourceless = (x: Diagnostic): Diagnostic =>
    at && x.span.file === d.network && x.span.end === 0 ? { ...x, span } : x;
  const fail = (message: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [
      {
        code: "E0805",
        severity: "error",
        message,
        span,
        related: [],
        hint: "regenerate the descriptor from its source with `glia compile FILE --target crossbar|fpga --hw PRESET -o FILE`",
      },
    ],
  });
  // a descriptor built in memory (not read through validateDescriptor) still gets the meaning checks that keep
  // its programs, sizes and indices from crashing the code generator or the executor
  const sizes = new Map<string, number>(d.neurons.map((g) => [g.population, g.size]));
  for (const s of (d.ir.program as { sources?: { name: string; size: number }[] }).sources ?? [])
    sizes.set(s.name, s.size);
  const problems: string[] = [];
  checkConsistency(d, sizes, (m) => problems.push(m) >= 20);
  if (problems.length) return { diagnostics: problems.map((m) => fail(`descriptor: ${m}`).diagnostics[0]!) };
  const prog = descriptorProgram(d);
  if (!prog.ir) return fail(`descriptor: ${prog.error}`);
  // formats are forced and every statement is replaced by the descriptor's (withDescriptorPrograms), but the
  // lowering still needs the profiled range of a divisor or transcendental argument whose interval alone has no
  // fixed-point form (AdEx's exp): profiling stays on, and runs only when the lowering asks for such a range
  const q = quantize(prog.ir, { spec: d.fixed, formats: prog.formats });
  if (!q.program) return { diagnostics: q.diagnostics.map(sourceless) };
  // the controller's modulators: the descriptor's words and the IR's definitions, as the emulator uses them
  // (a descriptor without the field predates it: the formats quantize derived from the IR)
  const mods = d.modulators ? descriptorModulators(d, prog.ir) : { mods: q.program.modulators ?? [], error: undefined };
  if (mods.error) return fail(`descriptor: ${mods.error}`);
  const own = withDescriptorPrograms(q.program, d);
  if (own.error) return fail(`descriptor: ${own.error}`);
  try {
    // crossbar: column reads with read noise and ADC (targets/crossbar/read-model.ts) unless they are exact
    const xbar = d.kind === "crossbar" ? crossbarDelivery(d) : null;
    const r = execute(
      { ...own.program!, modulators: mods.mods },
      { ...options, seed: options.seed ?? d.seed },
      { projection: (name) => prog.synapses.get(name) },
      xbar?.delivery,
    );
    // the first overflow of a format (E0811; the run's result is still given, for callers that compare runs)
    const guard = r.firstOverflow
      ? [overflowDiagnostic(prog.ir, r.firstOverflow, "descriptor run", options.numericGuard === "warn", span)]
      : [];
    return {
      result: r.result,
      overflows: r.overflows,
      crossbar: xbar?.reads.stats,
      diagnostics: [...q.diagnostics, ...guard],
    };
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    return fail(`descriptor run: ${err.message}`);
  }
}
