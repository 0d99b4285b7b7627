// A test-only emit target: the size of every population of the discrete IR and the synapses each projection
// builds (targets/network's connectivity, the same draws every target uses), with each population's outgoing
// and incoming totals. In: the discrete IR; out: a table on stdout. It lives in a folder of its own and is
// registered by one line (test/registry/registry.test.ts), as a new target would be.

import type { IRProgram } from "../../../compiler/ir/nodes.js";
import { buildConnectivity } from "../../../targets/network/connectivity.js";
import type { Emitter } from "../../../targets/target.js";

export const populationCountsEmitter: Emitter<IRProgram> = {
  name: "population-counts",
  emit(ir) {
    const sizes = new Map<string, number>([...ir.sources, ...ir.groups].map((p) => [p.name, p.size]));
    const out = new Map<string, number>(),
      inc = new Map<string, number>();
    let lines = "";
    for (const proj of ir.projections) {
      const n = buildConnectivity(proj, sizes.get(proj.pre.population)!, sizes.get(proj.post.population)!, ir.seed).n;
      out.set(proj.pre.population, (out.get(proj.pre.population) ?? 0) + n);
      inc.set(proj.post.population, (inc.get(proj.post.population) ?? 0) + n);
      lines += `projection ${proj.name} ${proj.pre.population} -> ${proj.post.population}: ${n} synapses\n`;
    }
    let text = `network ${ir.network}\n`;
    for (const [name, size] of sizes)
      text += `population ${name}: ${size} neurons, ${out.get(name) ?? 0} synapses out, ${inc.get(name) ?? 0} in\n`;
    return { stdout: text + lines, diagnostics: [] };
  },
};
