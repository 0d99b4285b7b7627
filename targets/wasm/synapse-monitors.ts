// Synapse monitors on the wasm target (`record w of PROJ`), read by the host between steps. In: the program's
// synapse monitors, the layout (projections with a synapse view) and the memory views; out: SynapseTraces with
// the value of each chosen synapse at the start of every recorded step k (as the reference's monitors).
// run() returns before every step a synapse monitor records (lower-step.ts runFunction), so the host reads the
// memory at t_k; threaded layouts then keep the end-of-step barrier (step-sync.ts), so no thread is still
// delivering step k - 1.

import type { IRProgram } from "../../compiler/ir/nodes.js";
import type { MemoryViews } from "../../runtime/host/load.js";
import { TargetError, type SynapseTrace } from "../target.js";
import { synapseSelection } from "../schedule/monitors.js";
import type { Layout } from "./layout.js";

interface Recorder {
  trace: SynapseTrace;
  every: number;
  /** Element index into views.f32/f64 of each recorded synapse, or the constant value of a folded parameter. */
  at: Int32Array | null;
  constant: number;
}

export class WasmSynapseMonitors {
  private readonly recs: Recorder[] = [];

  constructor(
    program: IRProgram,
    private readonly layout: Layout,
    private readonly views: MemoryViews,
  ) {
    program.monitors.forEach((m, i) => {
      if (m.k !== "synapse") return;
      const pl = layout.projs.find((p) => p.proj.name === m.target.population);
      const view = pl?.synapseView;
      if (!pl || !view) throw new TargetError(`record ${m.variable ?? ""}: unknown projection ${m.target.population}`);
      const name = m.variable ?? "";
      const addr = pl.arrays.get(name);
      const constant = pl.consts.get(name);
      if (addr === undefined && constant === undefined)
        throw new TargetError(`record: projection ${pl.proj.name} has no variable ${name}`);
      const synapses = synapseSelection(m, pl.n, program.spans?.monitors[i]);
      const at =
        addr === undefined
          ? null
          : Int32Array.from(synapses, (s) => addr / layout.bytes + (view.storedAt ? view.storedAt[s]! : s));
      this.recs.push({
        trace: {
          projection: pl.proj.name,
          variable: name,
          synapses,
          pre: synapses.map((s) => view.pre[s]!),
          post: synapses.map((s) => view.post[s]!),
          steps: [],
          values: [],
        },
        every: Math.max(1, Math.round(m.everySteps)),
        at,
        constant: constant ?? 0,
      });
    });
  }

  get empty(): boolean {
    return this.recs.length === 0;
  }

  /** The distinct recording periods (run() returns before each step one of them divides). */
  periods(): number[] {
    return [...new Set(this.recs.map((r) => r.every))];
  }

  /** Start of step k (k < steps): the monitors due read their synapses. */
  record(k: number): void {
    const arr = this.layout.bytes === 4 ? this.views.f32 : this.views.f64;
    for (const r of this.recs) {
      if (k % r.every !== 0) continue;
      r.trace.steps.push(k);
      const at = r.at;
      r.trace.values.push(
        at ? Float64Array.from(at, (x) => arr[x]!) : new Float64Array(r.trace.synapses.length).fill(r.constant),
      );
    }
  }

  traces(): SynapseTrace[] {
    return this.recs.map((r) => r.trace);
  }
}
