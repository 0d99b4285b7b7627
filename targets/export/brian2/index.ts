// `glia export FILE --to brian2 -o DIR`: the emitter. In: the continuous IR (equations as written); out: DIR/run.py
// (the Brian2 script), DIR/README.md and DIR/data/*.csv (glia's network: targets/export/network-data.ts), or E0808
// for what Brian2 cannot express (check.ts). The passes run here too, for the methods solve-odes chooses.

import type { IRProgram } from "../../../compiler/ir/nodes.js";
import type { Method } from "../../../compiler/builtins/settings.js";
import { PASSES } from "../../../compiler/pipeline.js";
import { runPasses } from "../../../compiler/passes/manager.js";
import type { Emitter, EmitResult } from "../../target.js";
import { TargetError } from "../../target.js";
import { networkData } from "../network-data.js";
import { DIMENSIONLESS, brian2Unit, parseDim } from "../dims.js";
import { countSourceRefusals } from "../count-sources.js";
import { refusal, synapseRecordNote } from "../refuse.js";
import { synapseRecordPlan } from "../synapse-records.js";
import { checkBrian2, groupMethod } from "./check.js";
import { brian2Script, pyName } from "./script.js";
import { brian2CannotSolve, propagatorUpdater } from "./propagator.js";

export const brian2Exporter: Emitter<IRProgram> = {
  name: "brian2",
  emit(ir, options): EmitResult {
    const discrete = runPasses(ir, PASSES).ir;
    const chosen = new Map<string, Record<string, Method> | null>(discrete.groups.map((g) => [g.name, g.methods]));
    const eventDriven = new Map(discrete.projections.map((p) => [p.name, p.eventDriven]));
    const diagnostics = checkBrian2(ir, chosen, eventDriven);
    if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
    const methods = new Map<string, Method | null>([...chosen].map(([name, m]) => [name, groupMethod(m) ?? null]));
    let data;
    try {
      data = networkData(ir);
    } catch (e) {
      if (e instanceof TargetError) return { diagnostics: [refusal("brian2", ir.spans?.network, e.message)] };
      throw e;
    }
    diagnostics.push(...countSourceRefusals("brian2", ir, data));
    // synapse records: a StateMonitor on the projection's Synapses (every variable of the model is one)
    const records = synapseRecordPlan(ir, data, (m, p) => {
      const v = p.state.find((x) => x.name === m.variable)!;
      return { ok: true, python: `("${pyName(v.name)}", ${brian2Unit(parseDim(v.dim) ?? DIMENSIONLESS)})` };
    });
    diagnostics.push(...records.errors);
    for (const u of records.unread) diagnostics.push(synapseRecordNote("brian2", ir, u.monitor, u.why));
    if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
    const dir = options.out ?? ".";
    // a linear system Brian2's `exact` cannot solve (singular: a pure integrator) runs on glia's own propagator
    const updaters = new Map(
      ir.groups
        .filter((g) => methods.get(g.name) === "exact" && brian2CannotSolve(g))
        .map((g) => [
          g.name,
          propagatorUpdater(
            g,
            discrete.groups.find((d) => d.name === g.name)!,
          ),
        ]),
    );
    const script = brian2Script({ ir, methods, updaters, data, file: options.file, synapseRecords: records.python });
    const files = [
      { path: `${dir}/run.py`, content: script },
      { path: `${dir}/README.md`, content: readme(ir, options.file) },
      ...[...data.files].map(([name, content]) => ({ path: `${dir}/data/${name}`, content })),
    ];
    return { files, diagnostics };
  },
};

function readme(ir: IRProgram, file: string): string {
  return `# ${ir.network} for Brian2

Exported by glia from \`${file}\` (\`glia export ${file} --to brian2 -o DIR\`).

- \`run.py\`: the Brian2 script (equations with units, thresholds, resets, refractoriness, synapses with their
  on_pre/on_post code and event-driven traces, summed variables for continuous couplings, groups on their own
  clocks, inputs, monitors). \`python run.py --out OUT\` writes spikes.csv, traces.csv, synapses.csv, rates.csv
  and summary.json in the format of \`glia run --out\`.
- \`data/\`: the network glia builds with seed ${ir.seed}: \`pop_*.csv\` initial values per element,
  \`proj_*.csv\` synapses (pre, post, delay in steps, per-synapse values), \`src_*.csv\` spike lists (step, index)
  or Poisson (and poisson_count) rates, \`current_*.csv\` current stimuli. Values are in SI base units.

Poisson inputs are drawn by Brian2 (\`--seed\`), not by glia's generator: runs with Poisson inputs agree with glia
statistically (rates), deterministic ones step for step. A poisson_count input is a group drawing Brian2's exact
\`poisson(rate * dt)\` events per element and step (PoissonInput's binomial(N, rate dt) is not Poisson for small N),
spiking when it drew any; its synapses add \`events_pre * w\` (delay 0 only), so it agrees with glia in distribution.
`;
}
