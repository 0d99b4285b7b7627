// Resource limits of a descriptor run, before the emulator or the descriptor runner sizes anything: the same
// estimate and limits as every target (targets/network/resources.ts, E0807) applied to the descriptor's own
// tables (its neuron counts, synapse tables, largest delay per projection, the embedded IR's sources and monitors,
// its step count or the --duration override). In: a validated descriptor, the duration override, the memory
// budget; out: E0807 diagnostics whose message starts with the JSON path of the item responsible, at `file`.

import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { syntheticSpan, type Span } from "../../compiler/diagnostics/span.js";
import type { IRProgram } from "../../compiler/ir/nodes.js";
import { checkResources } from "../network/resources.js";
import type { Descriptor } from "./types.js";

/** Marker spans: their file names the JSON path, turned into the message by descriptorResources. */
const MARK = "\u0000descriptor:";
const mark = (path: string): Span => syntheticSpan(`${MARK}${path}`);

/** The descriptor as the estimator sees a network: populations, synapse tables, delays, sources and monitors. */
function estimatorView(d: Descriptor): IRProgram {
  const prog = d.ir.program as {
    sources?: { name: string; size: number }[];
    monitors?: { k: string; everySteps: number; target: { population: string; start: number; end: number } }[];
  };
  const sources = prog.sources ?? [];
  const monitors = prog.monitors ?? [];
  const vars = (xs: readonly { name: string; space: string }[], space: string) =>
    xs.filter((v) => v.space === space).map((v) => ({ name: v.name, dim: "1", perElement: true }));
  const view = {
    network: d.network,
    dt: d.dt,
    steps: d.steps,
    seed: d.seed,
    groups: d.neurons.map((g, i) => ({
      name: g.population,
      size: g.size,
      state: vars(g.vars, "state"),
      inputs: vars(g.vars, "input"),
      span: mark(`/neurons/${i}/size`),
    })),
    sources: sources.map((s) => ({ name: s.name, size: s.size })),
    projections: d.projections.map((t, i) => {
      let maxDelay = 0;
      for (const x of t.delay) if (x > maxDelay) maxDelay = x;
      return {
        name: t.projection,
        pre: t.pre,
        post: t.post,
        rule: { k: "from_list", pre: t.preIndex, post: t.postIndex },
        state: vars(t.vars, "state"),
        params: vars(t.vars, "param").filter((v) => v.name in t.raw),
        delay: { k: "expr", e: { k: "num", v: maxDelay } },
        span: mark(`/projections/${i}`),
      };
    }),
    monitors,
    spans: {
      network: mark("(top level)"),
      sources: Object.fromEntries(sources.map((s, i) => [s.name, mark(`/ir/program/sources/${i}/size`)])),
      currents: [],
      monitors: monitors.map((_, i) => mark(`/ir/program/monitors/${i}`)),
      modulators: {},
      run: mark("/steps"),
      dt: mark("/dt"),
    },
  };
  return view as unknown as IRProgram;
}

/** E0807 for a run of `d` (steps from `duration` when given) that breaks a limit; empty when it fits. */
export function descriptorResources(
  d: Descriptor,
  options: { duration?: number },
  memoryBytes: number,
  file: string,
): Diagnostic[] {
  const { diagnostics } = checkResources(estimatorView(d), options, memoryBytes);
  return diagnostics.map((x) => {
    const path = x.span.file.startsWith(MARK) ? x.span.file.slice(MARK.length) : null;
    return {
      ...x,
      span: path ? syntheticSpan(file) : x.span,
      message: path ? `${file}: ${path}: ${x.message}` : x.message,
      related: x.related.filter((r) => !r.span.file.startsWith(MARK)),
    };
  });
}
