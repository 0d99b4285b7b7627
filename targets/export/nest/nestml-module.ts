// The one NESTML module of an export. In: the groups' bindings, the NESTML synapses and the neuron-synapse pairs
// (a synapse with `on post` or reading post state, and its postsynaptic group); out: the module's name (a hash of its NESTML text, so
// run.py builds it once and re-runs load the built library), the .nestml files for DIR/nestml/, the pairs for
// NESTML's co-generation (with the continuous post ports of post-ports.ts), each synapse's state variables, and the model name NEST knows each population and projection by, or undefined when the
// export needs no NESTML.

import { createHash } from "node:crypto";
import type { IRProgram } from "../../../compiler/ir/nodes.js";
import type { NestmlBinding, NestmlSynapseBinding } from "./nestml.js";

export interface NestmlModule {
  name: string;
  files: { path: string; content: string }[];
  /** NESTML's neuron_synapse_pairs: post_ports lists the synapse's spike port and (port, neuron variable) pairs. */
  pairs: { neuron: string; synapse: string; post_ports: (string | [string, string])[] }[];
  /** Per NESTML synapse model, its state variables (NESTML's strictly_synaptic_vars: none moves into the neuron). */
  synapseState: Record<string, string[]>;
  /** NEST model name by population or projection. */
  nestName: Map<string, string>;
}

export function nestmlModule(
  ir: IRProgram,
  bindings: ReadonlyMap<string, { model: string }>,
  synapses: ReadonlyMap<string, NestmlSynapseBinding>,
  pairs: ReadonlyMap<string, string>,
): NestmlModule | undefined {
  const neurons = ir.groups
    .map((g) => [g.name, bindings.get(g.name)] as const)
    .filter((x): x is readonly [string, NestmlBinding] => x[1]?.model === "nestml");
  if (neurons.length === 0 && synapses.size === 0) return undefined;
  const files: { path: string; content: string }[] = [];
  const nestName = new Map<string, string>();
  for (const [pop, b] of neurons) {
    files.push({ path: `nestml/${b.name}.nestml`, content: b.text });
    nestName.set(pop, b.name);
  }
  for (const [proj, b] of synapses) {
    // projections sharing one model (index.ts) share its file
    if (!files.some((f) => f.path === `nestml/${b.name}.nestml`))
      files.push({ path: `nestml/${b.name}.nestml`, content: b.text });
    nestName.set(proj, b.name);
  }
  const pairList: NestmlModule["pairs"] = [];
  for (const [pop, proj] of pairs) {
    const neuron = nestName.get(pop)!;
    const b = synapses.get(proj)!;
    const synapse = b.name;
    const spiking = ir.projections.find((p) => p.name === proj)!.onPost.length > 0 ? ["post_spikes"] : [];
    pairList.push({ neuron, synapse, post_ports: [...spiking, ...b.postPorts] });
    // NESTML names the co-generated models NEURON__with_SYNAPSE and SYNAPSE__with_NEURON
    nestName.set(pop, `${neuron}__with_${synapse}`);
    for (const p of ir.projections)
      if (synapses.get(p.name)?.name === synapse && p.post.population === pop)
        nestName.set(p.name, `${synapse}__with_${neuron}`);
  }
  const synapseState = Object.fromEntries([...synapses.values()].map((b) => [b.name, b.state]));
  // a paired synapse's build depends on run.py's options too (strictly_synaptic_vars, post_spike_based): in the hash
  const paired = pairList.map((p) => [p.synapse, synapseState[p.synapse], "post_spike_based"]);
  const hash = createHash("sha256")
    .update(JSON.stringify(paired.length > 0 ? [files, pairList, paired] : [files, pairList]))
    .digest("hex")
    .slice(0, 12);
  return { name: `glia${hash}module`, files, pairs: pairList, synapseState, nestName };
}
