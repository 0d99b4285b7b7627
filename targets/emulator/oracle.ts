// Runs a hardware descriptor on the bit-exact fixed-point executor: this defines "the spikes of a
// descriptor" that the cycle-accurate emulator must reproduce. In: a validated Descriptor and RunOptions;
// out: the executor's RunResult, or diagnostics (E0805 when the descriptor's programs, sizes or indices are not
// consistent (descriptor/consistency.ts) or its IR cannot be read back; E0811 for the run's first overflow of a
// format, an error unless RunOptions.numericGuard is "warn", with the run's result all the same).
//
// The executor builds synapses from IR rules, so each projection is handed to it as one `from_list`
// projection per distinct (delay, raw words of every per-synapse variable) with those words as constants,
// and every variable's Q format is forced to the descriptor's (`formats`, profiling off). The synapses of
// one descriptor projection thus keep their words, delays and pre/post elements exactly; the executor runs
// the splits of a projection one after another (split order: first appearance in the synapse table), so
// the order of event adds within a step differs from the table order only inside one projection — which
// changes nothing unless an input word saturates. The astrocyte of each ensheathed synapse is the one the
// core's synapse memory stores (SynapseMemory.astrocyte), handed to the executor instead of being drawn again.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan, type Span } from "../../compiler/diagnostics/span.js";
import { irFromJson } from "../../compiler/ir/json.js";
import type { IRProgram, IRProjection, IRVar } from "../../compiler/ir/nodes.js";
import type { RunOptions, RunResult } from "../target.js";
import { TargetError } from "../target.js";
import { execute } from "../fixed/executor.js";
import { overflowDiagnostic } from "../fixed/guard.js";
import { quantize } from "../fixed/quantize.js";
import { toFloat, type QFormat } from "../fixed/qformat.js";
import { astroMaps } from "../descriptor/astro.js";
import { checkConsistency } from "../descriptor/consistency.js";
import { descriptorModulators } from "../descriptor/modulators.js";
import { crossbarDelivery } from "../crossbar/read-exec.js";
import type { ReadStats } from "../crossbar/read-model.js";
import type { Descriptor, SynapseTable } from "../descriptor/types.js";

const num = (v: number): IRVar["init"] => ({ k: "expr", e: { k: "num", v } });

/** The IR and forced formats that make the executor run exactly the descriptor's synapse tables, and the
 *  astrocyte of every synapse of each ensheathed split (from the cores' synapse memories, astro.ts). */
export function descriptorProgram(d: Descriptor): {
  ir?: IRProgram;
  formats: Record<string, QFormat>;
  astroOf: Map<string, Int32Array>;
  error?: string;
} {
  const back = irFromJson(JSON.stringify(d.ir));
  const astroOf = new Map<string, Int32Array>();
  if (!back.ok) return { formats: {}, astroOf, error: back.error };
  const ir = back.program;
  const formats: Record<string, QFormat> = {};
  for (const [k, f] of Object.entries(d.formats)) formats[k] = f;
  // the broadcast words' formats (quantize lowers mod.NAME reads with them)
  for (const m of d.modulators ?? []) formats[`mod.${m.name}`] = m.fmt;
  const tables = new Map(d.projections.map((t) => [t.projection, t]));
  const maps = astroMaps(d);
  const projections: IRProjection[] = [];
  for (const p of ir.projections) {
    const t = tables.get(p.name);
    if (!t) return { formats, astroOf, error: `the IR's projection ${p.name} has no synapse table` };
    const map = maps.get(p.name);
    if (p.ensheathedBy) {
      if (!map)
        return {
          formats,
          astroOf,
          error: `${p.name} is ensheathed by ${p.ensheathedBy.astrocytes}, but no synapse memory holds its astrocyte map`,
        };
      const s = map.indexOf(-1);
      if (s >= 0)
        return { formats, astroOf, error: `synapse ${s} of ${p.name} has no astrocyte in any synapse memory` };
    }
    projections.push(...splitProjection(p, t, formats, p.ensheathedBy ? map : undefined, astroOf));
  }
  return { ir: { ...ir, seed: d.seed, projections }, formats, astroOf };
}

function splitProjection(
  p: IRProjection,
  t: SynapseTable,
  formats: Record<string, QFormat>,
  astro: Int32Array | undefined,
  astroOf: Map<string, Int32Array>,
): IRProjection[] {
  const perSyn = Object.keys(t.raw);
  const fmt = new Map(t.vars.map((v) => [v.name, v.fmt]));
  const groups = new Map<string, number[]>();
  for (let s = 0; s < t.n; s++) {
    const key = [t.delay[s], ...perSyn.map((n) => t.raw[n]![s])].join(",");
    let l = groups.get(key);
    if (!l) groups.set(key, (l = []));
    l.push(s);
  }
  const out: IRProjection[] = [];
  let k = 0;
  for (const syns of groups.values()) {
    const s0 = syns[0]!;
    const name = `${p.name}#${k++}`;
    const valueOf = (v: string): number => toFloat(t.raw[v]?.[s0] ?? t.scalars[v] ?? 0, fmt.get(v)!);
    for (const v of t.vars) formats[`${name}.${v.name}`] = v.fmt;
    // from_list builds its synapses ordered by (pre, post, list position): the astrocytes in that order
    if (astro) {
      const order = syns
        .map((_, i) => i)
        .sort(
          (a, b) =>
            t.preIndex[syns[a]!]! - t.preIndex[syns[b]!]! || t.postIndex[syns[a]!]! - t.postIndex[syns[b]!]! || a - b,
        );
      astroOf.set(
        name,
        Int32Array.from(order, (i) => astro[syns[i]!]!),
      );
    }
    out.push({
      ...p,
      name,
      rule: { k: "from_list", pre: syns.map((s) => t.preIndex[s]!), post: syns.map((s) => t.postIndex[s]!) },
      delay: num(t.delay[s0]!),
      params: t.vars
        .filter((v) => v.space === "param")
        .map((v) => ({ name: v.name, dim: "1", init: num(valueOf(v.name)), perElement: false })),
      state: t.vars
        .filter((v) => v.space === "state")
        .map((v) => ({ name: v.name, dim: "1", init: num(valueOf(v.name)), perElement: false })),
    });
  }
  return out;
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
  const q = quantize(prog.ir, { spec: d.fixed, profileSteps: 0, formats: prog.formats });
  if (!q.program) return { diagnostics: q.diagnostics.map(sourceless) };
  // the controller's modulators: the descriptor's words and the IR's definitions, as the emulator uses them
  // (a descriptor without the field predates it: the formats quantize derived from the IR)
  const mods = d.modulators ? descriptorModulators(d, prog.ir) : { mods: q.program.modulators ?? [], error: undefined };
  if (mods.error) return fail(`descriptor: ${mods.error}`);
  try {
    // crossbar: column reads with read noise and ADC (targets/crossbar/read-model.ts) unless they are exact
    const xbar = d.kind === "crossbar" ? crossbarDelivery(d) : null;
    const r = execute(
      { ...q.program, modulators: mods.mods },
      { ...options, seed: options.seed ?? d.seed },
      { astroOf: (name) => prog.astroOf.get(name) },
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
