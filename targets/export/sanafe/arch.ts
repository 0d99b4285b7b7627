// A digital hardware preset as a SANA-FE architecture (YAML, SANA-FE 2.2 schema): the mesh, the tiles' hop
// costs, the cores' message, soma and synapse units, and the end-of-step synchronisation, each from the cost
// the emulator charges (targets/emulator/costs.ts). In: a DigitalSpec; out: the YAML text, or why the spec has no
// SANA-FE form (a string).
//
// How glia's costs become SANA-FE's units (energy J, latency s):
//   soma access (every neuron, every step)  = neuronInactive
//   soma update (a neuron not idle)         = neuronActive - neuronInactive
//   soma spike out                          = neuronSpike
//   sparse synapse (one per synaptic op)    = synapticOp
//   dense synapse (an op of a neuron whose incoming projections are all dense, descriptor/dense.ts)
//                                           = synapticOpDense (synapticOp when the preset gives none)
//   axon out (one message per destination core) = spikeLocal energy, messageOut latency
//   axon in (one message received)          = messageIn latency, no energy
//   hops east/west, north/south             = hopX, hopY
//   sync table by occupied tiles            = the barrier table at every tile count 1..tiles (SANA-FE looks up
//                                             the largest entry not above the count; glia interpolates)
// Unit names are SANA-FE's own Loihi names (loihi_lif, loihi_inputs[..], loihi_sparse_synapse, loihi_dense_synapse, loihi_in,
// loihi_out) so an exported network runs on this file and on SANA-FE's bundled loihi.yaml alike.

import type { DigitalSpec } from "../../hw/spec.js";
import { tableBarrierSeconds } from "../../emulator/barrier.js";
import { cyclesOf } from "../../emulator/clock.js";
import { costModel } from "../../emulator/costs.js";

/** Soma units for input neurons per core (SANA-FE's input model holds one spike train per unit). */
export const INPUT_UNITS = 1024;

export const UNIT = {
  lif: "loihi_lif",
  input: (i: number): string => `loihi_inputs[${i}]`,
  synapse: "loihi_sparse_synapse",
  denseSynapse: "loihi_dense_synapse",
} as const;

const num = (x: number): string => (x === 0 ? "0.0" : x.toExponential());

export function sanafeArch(spec: DigitalSpec): { yaml?: string; problem?: string } {
  const w = spec.mesh?.x.value ?? 1,
    h = spec.mesh?.y.value ?? 1;
  const cores = spec.coresPerTile?.value ?? 1;
  const perCore = spec.neuronsPerCore?.value;
  if (perCore === undefined) return { problem: `${spec.name} gives no neuronsPerCore` };
  const cm = costModel(spec);
  // latencies in seconds as the emulator rounds them (its clock's cycles)
  const sec = (cycles: number): number => cycles / cm.clockHz;
  const tiles = w * h;
  let sync: string;
  if (cm.barrier) {
    const rows: string[] = [];
    for (let n = 1; n <= tiles; n++) rows.push(`${n}: ${num(sec(cyclesAt(n, cm)))}`);
    sync = `sync_model: table\n    latency_sync: { ${rows.join(", ")} }`;
  } else sync = "sync_model: fixed\n    latency_sync: 0.0";
  const yaml = `# ${spec.name} as a SANA-FE architecture, written by glia from the preset's cited costs
# (glia export --to sanafe; targets/export/sanafe/arch.ts says how each cost maps).
architecture:
  name: glia_${spec.name.replace(/[^A-Za-z0-9_]/g, "_")}
  attributes:
    topology: mesh
    width: ${w}
    height: ${h}
    link_buffer_size: 16
    ${sync}
  tile:
    - name: glia_tile[0..${tiles - 1}]
      attributes:
        energy_north_hop: ${num(cm.e.hopY)}
        latency_north_hop: ${num(sec(cm.c.hopY))}
        energy_east_hop: ${num(cm.e.hopX)}
        latency_east_hop: ${num(sec(cm.c.hopX))}
        energy_south_hop: ${num(cm.e.hopY)}
        latency_south_hop: ${num(sec(cm.c.hopY))}
        energy_west_hop: ${num(cm.e.hopX)}
        latency_west_hop: ${num(sec(cm.c.hopX))}
      core:
        - name: glia_core[0..${cores - 1}]
          attributes:
            buffer_position: soma
            buffer_inside_unit: false
            max_neurons_supported: ${Math.max(perCore, INPUT_UNITS)}
          axon_in:
            - name: loihi_in
              attributes:
                energy_message_in: 0.0
                latency_message_in: ${num(sec(cm.c.messageIn))}
          soma:
            - name: ${UNIT.lif}
              attributes:
                model: leaky_integrate_fire
                energy_access_neuron: ${num(cm.e.neuronInactive)}
                latency_access_neuron: ${num(sec(cm.c.neuronInactive))}
                energy_update_neuron: ${num(Math.max(0, cm.e.neuronActive - cm.e.neuronInactive))}
                latency_update_neuron: ${num(sec(Math.max(0, cm.c.neuronActive - cm.c.neuronInactive)))}
                energy_spike_out: ${num(cm.e.neuronSpike)}
                latency_spike_out: ${num(sec(cm.c.neuronSpike))}
            - name: loihi_inputs[0..${INPUT_UNITS - 1}]
              attributes:
                model: input
                energy_access_neuron: 0.0
                latency_access_neuron: 0.0
                energy_update_neuron: 0.0
                latency_update_neuron: 0.0
                energy_spike_out: 0.0
                latency_spike_out: 0.0
          dendrite:
            - name: loihi_dendrites
              attributes:
                model: accumulator
                energy_update: 0.0
                latency_update: 0.0
          synapse:
            - name: ${UNIT.synapse}
              attributes:
                model: current_based
                energy_process_spike: ${num(cm.e.synapticOp)}
                latency_process_spike: ${num(sec(cm.c.synapticOp))}
            - name: ${UNIT.denseSynapse}
              attributes:
                model: current_based
                energy_process_spike: ${num(cm.e.synapticOpDense)}
                latency_process_spike: ${num(sec(cm.c.synapticOpDense))}
          axon_out:
            - name: loihi_out
              attributes:
                energy_message_out: ${num(cm.e.spikeLocal)}
                latency_message_out: ${num(sec(cm.c.messageOut))}
`;
  return { yaml };
}

/** The barrier's cycles at n occupied tiles, as the emulator charges them. */
function cyclesAt(n: number, cm: ReturnType<typeof costModel>): number {
  return cyclesOf(tableBarrierSeconds(n, cm.barrier!), cm.clockHz);
}
