// `glia export FILE --to sanafe [--hw PRESET] -o DIR`: the emitter. In: the discrete IR and a digital preset in
// Loihi neuron mode (default loihi); out: DIR/network.yaml (the SANA-FE network with glia's partitioning and
// placement, network.ts), DIR/arch.yaml (the preset as a SANA-FE architecture, arch.ts), DIR/run.py (loads both,
// runs, writes summary.json) and DIR/README.md; or E0808 naming what SANA-FE cannot express: a group that is not
// a Loihi LIF compartment (the loihi-mode plan's reason), a synapse other than `post.I += w`, delays, plasticity,
// stimuli, modulators, records other than spikes, a spec not in Loihi neuron mode, a network that needs several
// chips (SANA-FE's architecture is one chip).

import type { Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import type { IRProgram } from "../../../compiler/ir/nodes.js";
import { irFromJson } from "../../../compiler/ir/json.js";
import type { DigitalDescriptor } from "../../descriptor/types.js";
import { mapDigital } from "../../digital/map.js";
import { loihiMode } from "../../emulator/loihi.js";
import { costModel } from "../../emulator/costs.js";
import { decayConsistent } from "../../fixed/decay-consistent.js";
import { planLoihi } from "../../fixed/loihi-run.js";
import { resolveHardwareSpec } from "../../hw/resolve.js";
import type { DigitalSpec } from "../../hw/spec.js";
import type { Emitter, EmitResult } from "../../target.js";
import { countSourceRefusals } from "../count-sources.js";
import { refusal } from "../refuse.js";
import { sanafeArch } from "./arch.js";
import { sanafeNetwork } from "./network.js";
import { runScript } from "./script.js";

export const DEFAULT_SANAFE_HW = "loihi";

export const sanafeExporter: Emitter<IRProgram> = {
  name: "sanafe",
  emit(ir, options): EmitResult {
    const diagnostics: Diagnostic[] = [];
    const say = (span: Parameters<typeof refusal>[1], what: string, hint?: string): void => {
      diagnostics.push(refusal("sanafe", span ?? ir.spans?.network, what, hint));
    };
    let spec = options.spec;
    if (!spec) {
      const r = resolveHardwareSpec(DEFAULT_SANAFE_HW);
      if (!r.spec) return { diagnostics: r.diagnostics };
      spec = r.spec;
    }
    if (spec.kind !== "digital" || spec.neuronMode !== "loihi") {
      say(
        ir.spans?.network,
        `--hw ${spec.name}: SANA-FE's LIF soma is Loihi's compartment, and ${spec.name} does not run its neurons in Loihi neuron mode`,
        'give --hw loihi (or another digital preset with neuronMode "loihi")',
      );
      return { diagnostics };
    }
    diagnostics.push(...countSourceRefusals("sanafe", ir));
    for (const m of ir.modulators) say(ir.spans?.modulators[m.name], `the network modulator '${m.name}'`);
    ir.currents.forEach((c, n) =>
      say(ir.spans?.currents[n], `the current stimulus into ${c.target.population}.${c.variable}`),
    );
    ir.monitors.forEach((m, n) => {
      if (m.k !== "spikes")
        say(
          ir.spans?.monitors[n],
          `the ${m.k} record of ${m.target.population}${m.variable ? `.${m.variable}` : ""}`,
          "the SANA-FE export logs spikes only",
        );
    });
    for (const p of ir.projections) {
      if (p.onPost.length > 0 || p.continuous.length > 0)
        say(
          p.handlerSpans?.pre ?? p.modelSpan ?? p.span,
          `the synapse ${p.synapse} of ${p.name} (it updates on post or continuously)`,
          "SANA-FE's current-based synapse only adds a fixed weight on each presynaptic spike",
        );
    }
    const sources = new Set(ir.sources.map((s) => s.name));
    for (const p of ir.projections)
      if (sources.has(p.post.population))
        say(p.span, `the projection ${p.name} onto the input source ${p.post.population}`, "an input has no synapses");
    if (diagnostics.length > 0) return { diagnostics };
    const m = mapDigital(ir, spec);
    if (!m.descriptor) return { diagnostics: m.diagnostics };
    const d = m.descriptor as DigitalDescriptor;
    if (d.chips && d.chips.count > 1) {
      const c = d.chips;
      say(
        ir.spans?.network,
        `the network needs ${c.count} chips of ${spec.name} (${c.x} x ${c.y} chips of ${c.tilesX} x ${c.tilesY} tiles, ${d.cores.length} cores): SANA-FE 2.2's architecture is one chip, one mesh (topology, width, height) with no inter-chip links, so the hops between chips (${spec.name}'s interChipHop energy and latency in glia's emulator) would go uncharged`,
        `fit it on one chip (at most ${spec.neuronCores?.value ?? "the preset's"} cores: fewer or smaller populations), or emulate it in glia (glia emulate --hw ${spec.name})`,
      );
      return { diagnostics };
    }
    const parsed = irFromJson(JSON.stringify(d.ir));
    if (!parsed.ok) return { diagnostics: [refusal("sanafe", ir.spans?.network, `descriptor IR: ${parsed.error}`)] };
    const dir = parsed.program;
    // which groups are Loihi compartments: the plan the emulator and the fixed target make
    const dc = decayConsistent(dir, d.fixed);
    const plan = planLoihi(
      { spec: d.fixed, groups: dc.groups.map((g) => ({ name: g.name, ir: g })), ir: dc },
      d.seed >>> 0,
    );
    for (const r of plan.refused) {
      const g = ir.groups.find((x) => x.name === r.group);
      say(
        g?.modelSpan ?? g?.span,
        `${g?.model ?? "the model"} of ${r.group}: not a Loihi LIF compartment (${r.reason})`,
        "SANA-FE's leaky_integrate_fire is Loihi's compartment: a current-based LIF without refractoriness, `post.I += w` synapses",
      );
    }
    for (const c of d.cores)
      for (const s of c.synapses)
        if (s.delay.some((x) => x !== 0)) {
          const p = ir.projections.find((x) => x.name === s.projection);
          say(p?.span, `the synaptic delays of ${s.projection}`, "the export writes SANA-FE's delay-free dendrite");
          break;
        }
    if (diagnostics.some((x) => x.severity === "error")) return { diagnostics: dedupe(diagnostics) };
    const mode = loihiMode(d, dir);
    const steps = options.duration !== undefined ? Math.round(options.duration / d.dt) : d.steps;
    const cm = costModel(spec);
    const denseDiffers = cm.e.synapticOpDense !== cm.e.synapticOp || cm.c.synapticOpDense !== cm.c.synapticOp;
    const net = sanafeNetwork(d, dir, mode, steps, denseDiffers);
    if (typeof net === "string") return { diagnostics: [refusal("sanafe", ir.spans?.network, net)] };
    const arch = sanafeArch(spec as DigitalSpec);
    if (!arch.yaml) return { diagnostics: [refusal("sanafe", ir.spans?.network, arch.problem!)] };
    const out = options.out ?? ".";
    const placement = [...net.coreAddress]
      .sort((a, b) => a[0] - b[0])
      .map(([id, addr]) => {
        const c = d.cores.find((x) => x.id === id)!;
        return `| ${id} | ${c.population}[${c.start}..${c.end - 1}] | (${c.x}, ${c.y}) | ${addr} |`;
      });
    return {
      files: [
        { path: `${out}/network.yaml`, content: net.yaml },
        { path: `${out}/arch.yaml`, content: arch.yaml },
        { path: `${out}/run.py`, content: runScript(net.groups, steps) },
        { path: `${out}/README.md`, content: readme(ir, options.file, spec.name, steps, net, placement) },
      ],
      diagnostics,
    };
  },
};

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((x) => {
    const k = `${x.message}@${x.span.file}:${x.span.start}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function readme(
  ir: IRProgram,
  file: string,
  hw: string,
  steps: number,
  net: Exclude<ReturnType<typeof sanafeNetwork>, string>,
  placement: string[],
): string {
  const groups = [...net.groups].map(([pop, names]) => `| ${pop} | ${names.join(", ")} |`);
  return `# ${ir.network} for SANA-FE

Exported by glia from \`${file}\` (\`glia export ${file} --to sanafe --hw ${hw} -o DIR\`): network.yaml (${net.synapses}
synapses, ${net.tiles} occupied tiles) with the mapping of glia's placement on ${hw}, and arch.yaml (${hw}'s costs as a
SANA-FE architecture). \`python run.py [--arch FILE] [--steps N] [--timing detailed|simple] --out OUT\` runs ${steps}
steps and writes OUT/summary.json (spikes per glia population, energy by component, simulated time, per-step
counts and the wall time of loading and of the step loop). \`--arch\` takes SANA-FE's own loihi.yaml as well.

| glia population | SANA-FE groups |
|---|---|
${groups.join("\n")}

| glia core | neurons | mesh (x, y) | SANA-FE core (tile.offset) |
|---|---|---|---|
${placement.join("\n")}

How SANA-FE's run differs from glia's \`emulate --hw ${hw}\`:
- SANA-FE keeps the synaptic current u in floating point, Loihi (and glia) truncate it every step: spikes agree
  statistically, not bit for bit.
- An input source is a neuron on a core in SANA-FE; each source element is written once per destination tile
  (on a free core of that tile), so its messages cross no link, as glia's off-chip inputs.
- SANA-FE counts a neuron as updated when its potential is nonzero, it has input or a bias; glia when its u or
  v changed or it had input (they differ on the step after a spike).
`;
}
