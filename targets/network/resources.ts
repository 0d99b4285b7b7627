// Resource estimates before allocation (issue 17). In: a discrete IRProgram, the run's duration override and a
// memory budget in bytes; out: the estimate (steps, elements, a synapse upper bound per projection, delay-ring,
// monitor and total bytes) and diagnostic E0807 for the first limit it breaks, with the numbers and a caret on
// the item responsible (the run statement or dt setting, the population, the connect statement, the record
// statement). Byte counts are lower bounds of what any target allocates (4 bytes per value), so a network that
// fits is never refused; the targets call this before they size any typed array or wasm memory.
// Pure (no Node imports): budget.ts supplies the machine's memory on Node.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan, type Span } from "../../compiler/diagnostics/span.js";
import type { IRInit, IRProgram, IRProjection } from "../../compiler/ir/nodes.js";
import { groupSpan, networkSpan, projectionSpan } from "../../compiler/ir/spans.js";

/** Steps are int32 in every target. */
export const MAX_STEPS = 2 ** 31 - 1;
/** Elements of one population (indices are int32). */
export const MAX_ELEMENTS = 2 ** 31 - 1;
/** Bytes per stored value in the estimate (float32 / int32: the smallest any target uses). */
const WORD = 4;

export interface ResourceEstimate {
  steps: number;
  neurons: number;
  /** Upper bound of synapses per projection, by name. */
  synapses: Record<string, number>;
  delayRingBytes: number;
  monitorBytes: number;
  totalBytes: number;
}

const fmt = (x: number): string => (Number.isFinite(x) && x < 1e15 ? String(Math.round(x)) : x.toExponential(3));
const gib = (b: number): string => `${(b / 2 ** 30).toFixed(b < 2 ** 30 ? 3 : 1)} GiB`;

const e0807 = (span: Span, message: string, hint: string): Diagnostic => ({
  code: "E0807",
  severity: "error",
  message,
  span,
  related: [],
  hint,
});

/** Upper bound of the synapses `pr` can make (fixed_probability: p*n*m plus six standard deviations). */
export function synapseBound(pr: IRProjection): number {
  const n = Math.max(0, pr.pre.end - pr.pre.start),
    m = Math.max(0, pr.post.end - pr.post.start);
  switch (pr.rule.k) {
    case "all_to_all":
      return n * m;
    case "one_to_one":
      return Math.min(n, m);
    case "fixed_probability": {
      const mean = pr.rule.p * n * m;
      return Math.min(n * m, Math.ceil(mean + 6 * Math.sqrt(mean * (1 - pr.rule.p)) + 16));
    }
    case "fixed_indegree":
      return pr.rule.n * m;
    case "fixed_outdegree":
      return pr.rule.n * n;
    case "fixed_total_number":
      return pr.rule.n;
    case "from_list":
      return pr.rule.pre.length;
  }
}

/** The largest |z| the generator's normal draw can give: sqrt(-2 ln u1) * cos(2 pi u2) with u1 >= 2^-32
 *  (targets/network/rng.ts), about 6.66; so a normal or lognormal delay is bounded too. */
export const MAX_NORMAL_DRAW = Math.sqrt(-2 * Math.log(2 ** -32));

/** The largest delay in steps a delay init can give, when it is a constant or a draw with constant arguments
 *  (uniform: its upper end; normal: mean + 6.66 sd; lognormal: exp(mu + 6.66 sigma)); else 0. */
export function maxDelaySteps(d: IRInit): number {
  if (d.k === "expr") return d.e.k === "num" ? Math.max(0, d.e.v) : 0;
  if (d.k === "table") {
    let top = 0;
    for (const v of d.values) if (v > top) top = v;
    return top;
  }
  const [a, b, , hi] = d.args.map((x) => (x.k === "num" ? x.v : undefined));
  if (a === undefined || b === undefined) return 0;
  const top =
    d.dist === "uniform"
      ? Math.max(a, b)
      : d.dist === "normal"
        ? a + Math.abs(b) * MAX_NORMAL_DRAW
        : d.dist === "truncated_normal"
          ? Math.min(hi ?? Infinity, a + Math.abs(b) * MAX_NORMAL_DRAW)
          : Math.exp(a + Math.abs(b) * MAX_NORMAL_DRAW);
  return Math.max(0, top * d.scale);
}

/** Estimates `ir`'s run (with `duration` in s overriding its run statement) and checks it against the limits. */
export function checkResources(
  ir: IRProgram,
  options: { duration?: number },
  memoryBytes: number,
): { estimate: ResourceEstimate; diagnostics: Diagnostic[] } {
  const fromCli = options.duration !== undefined;
  const steps = fromCli ? options.duration! / ir.dt : ir.steps;
  const stepsSpan = fromCli ? syntheticSpan("--duration") : (ir.spans?.run ?? networkSpan(ir));
  const diagnostics: Diagnostic[] = [];
  if (!(steps <= MAX_STEPS)) {
    const at = fromCli ? `--duration ${options.duration} s` : `the run statement`;
    diagnostics.push(
      e0807(
        stepsSpan,
        `${at} is ${fmt(steps)} steps of dt = ${ir.dt} s, more than the limit of ${MAX_STEPS} steps`,
        "shorten the run or make dt larger",
      ),
    );
    if (!fromCli && ir.spans?.dt) diagnostics[0].related.push({ span: ir.spans.dt, message: "dt is set here" });
  }
  let neurons = 0,
    neuronBytes = 0;
  const sized: { name: string; n: number; span: Span }[] = [
    ...ir.groups.map((g) => ({ name: g.name, n: g.size, span: groupSpan(ir, g.name) })),
    ...ir.sources.map((s) => ({ name: s.name, n: s.size, span: ir.spans?.sources[s.name] ?? networkSpan(ir) })),
  ];
  for (const g of ir.groups) {
    neurons += g.size;
    neuronBytes += g.size * WORD * (1 + g.state.length + g.inputs.length);
  }
  for (const s of sized)
    if (!(s.n <= MAX_ELEMENTS))
      diagnostics.push(
        e0807(
          s.span,
          `population ${s.name} has ${fmt(s.n)} elements, more than the limit of ${MAX_ELEMENTS}`,
          "split it into smaller populations or reduce its size",
        ),
      );
  const synapses: Record<string, number> = {};
  let delayRingBytes = 0,
    largest: { bytes: number; span: Span; what: string } = { bytes: 0, span: networkSpan(ir), what: "" };
  const consider = (bytes: number, span: Span, what: string) => {
    if (bytes > largest.bytes) largest = { bytes, span, what };
  };
  for (const g of ir.groups)
    consider(g.size * WORD * (1 + g.state.length), groupSpan(ir, g.name), `population ${g.name}`);
  let synapseBytes = 0;
  for (const pr of ir.projections) {
    const count = synapseBound(pr);
    synapses[pr.name] = count;
    const perSynapse = WORD * (1 + pr.state.length + pr.params.filter((v) => v.perElement).length);
    const ring = (maxDelaySteps(pr.delay) + 1) * 2 * WORD;
    synapseBytes += count * perSynapse;
    delayRingBytes += ring;
    consider(count * perSynapse, projectionSpan(ir, pr.name), `projection ${pr.name} (up to ${fmt(count)} synapses)`);
    consider(ring, projectionSpan(ir, pr.name), `the delay ring of ${pr.name} (${fmt(maxDelaySteps(pr.delay))} steps)`);
  }
  let monitorBytes = 0;
  ir.monitors.forEach((m, i) => {
    if (m.k === "spikes") return;
    const rows = Math.min(steps, MAX_STEPS) / m.everySteps + 1;
    const cols =
      m.k === "synapse"
        ? (m.indices?.length ??
          (m.target.end < 0 ? (synapses[m.target.population] ?? 0) : m.target.end - m.target.start))
        : m.k === "state"
          ? Math.max(0, m.target.end - m.target.start)
          : 1;
    const bytes = rows * WORD * cols;
    monitorBytes += bytes;
    consider(bytes, ir.spans?.monitors[i] ?? networkSpan(ir), `a ${m.k} monitor of ${m.target.population}`);
  });
  const totalBytes = neuronBytes + synapseBytes + delayRingBytes + monitorBytes;
  const estimate = { steps, neurons, synapses, delayRingBytes, monitorBytes, totalBytes };
  if (diagnostics.length === 0 && !(totalBytes <= memoryBytes))
    diagnostics.push(
      e0807(
        largest.span,
        `the run needs at least ${gib(totalBytes)} (neurons ${gib(neuronBytes)}, synapses ${gib(synapseBytes)}, delay rings ${gib(delayRingBytes)}, monitors ${gib(monitorBytes)}), more than the ${gib(memoryBytes)} available; the largest part is ${largest.what}`,
        "reduce the sizes, connection counts, delays or recorded elements, or record less often",
      ),
    );
  return { estimate, diagnostics };
}
