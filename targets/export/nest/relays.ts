// Relays for NESTML synapses with `on post` (or a handler reading t) and a delay of a step or more. In: a projection
// (NESTML synapse) and its delays; out: whether it is relayed, run.py's lines that relay its presynaptic spikes
// (relayLines) and the Python that maps a relay back to its presynaptic element (PY_RELAYS).
//
// NESTML's synapse (8.3.0 on NEST 3.10) counts its whole delay D as dendritic: it handles a presynaptic spike at the
// spike's stamp and the postsynaptic spikes stamped in (last - D, stamp - D] before it, each at its stamp + D. glia's
// synapse of delay d runs `on pre` d steps after the spike and `on post` at the postsynaptic spike's step, those of
// steps before `on pre`'s first. NEST 3.10 (as test/peers/install.sh builds it) has no synapse with an axonal delay
// (nest.synapse_models: static, stdp, tsodyks, tsodyks2, sic_connection and their _hpc/_lbl forms). A parrot_neuron
// connected from the presynaptic element with glia's delay d repeats its spike stamped d steps later (the stamp of a
// glia spike at step k + d), and the synapse from the parrot with NEST's minimal delay (one step, as glia's zero delay
// becomes) then handles the presynaptic spike at glia's time of `on pre` and the postsynaptic ones in glia's order:
// the handlers are glia's exactly. Its transmission acts one step later than glia's, as a zero-delay synapse's does
// (NEST's delays are at least one step): the stated tolerance.

import type { IRProjection } from "../../../compiler/ir/nodes.js";

/** Whether a NESTML synapse needs relays: `on post` or a handler reading t, and a delay of a step or more. */
export function needsRelay(p: IRProjection, delays: Iterable<number>): boolean {
  const readsT = JSON.stringify([p.onPre, p.onPost]).includes('"space":"t"');
  return (p.onPost.length > 0 || readsT) && [...delays].some((d) => d > 0);
}

/** run.py lines (inside nestmlProjectionLines' `if len(syn["pre"]):`, after `pre` and `delay`): for each distinct
 *  delay d >= 1 a parrot_neuron per presynaptic element, connected with delay d, the synapses of that delay leaving
 *  from it with NEST's minimal delay. */
export function relayLines(p: IRProjection): string[] {
  const pre = JSON.stringify(p.pre.population);
  return [
    `        # glia's delay d >= 1 with \`on post\`: each presynaptic spike repeated d steps later by a parrot_neuron, the`,
    `        # synapse leaving from it with NEST's minimal delay, so NESTML runs the handlers in glia's order (relays.ts)`,
    `        late = syn["delay"] >= 1`,
    `        for d in np.unique(syn["delay"][late]):`,
    `            relay = nest.Create("parrot_neuron", SIZES[${pre}])`,
    `            nest.Connect(nodes[${pre}], relay, "one_to_one", syn_spec={"delay": float(d) * DT * 1e3})`,
    `            RELAYS.setdefault(${JSON.stringify(p.name)}, []).append(relay)`,
    `            of = syn["delay"] == d`,
    `            pre[of] = np.asarray(relay.tolist())[syn["pre"][of].astype(np.int64)]`,
    `        delay[late] = DT * 1e3`,
  ];
}

/** The Python of relays in run.py: the relays of each projection, the nodes its connections leave from, and a
 *  connection's source as the presynaptic element's node id. */
export const PY_RELAYS = `
RELAYS = {}  # projection: the parrot_neurons relaying its presynaptic spikes, one collection per delay (relays.ts)


def presynaptic(nodes, proj, pre):
    """The nodes a projection's connections leave from: the presynaptic population, and its relays."""
    if proj not in RELAYS:
        return nodes[pre]
    return nest.NodeCollection(sorted(nodes[pre].tolist() + [i for r in RELAYS[proj] for i in r.tolist()]))


def pre_ids(nodes, proj, pre, ids):
    """Connection sources as the presynaptic population's node ids (a relay as the element it repeats)."""
    ids = np.array(ids, dtype=np.int64)
    first = nodes[pre].tolist()[0]
    for r in RELAYS.get(proj, []):
        lo = r.tolist()[0]
        inside = (ids >= lo) & (ids < lo + len(r))
        ids[inside] = ids[inside] - lo + first
    return ids
`;

/** README.md's line on relayed projections (empty without any). */
export function relayNote(projections: string[]): string {
  if (projections.length === 0) return "";
  return `
Relayed NESTML synapses (${projections.join(", ")}): a synapse with \`on post\` and a delay of a step or more has each
presynaptic spike repeated by a parrot_neuron after glia's delay and leaves from it with NEST's minimal delay, since
NESTML counts the whole delay as dendritic (it would hand the synapse the postsynaptic spikes by it); the handlers run
in glia's order at glia's times, and the transmission acts one step later than glia's, as a zero-delay synapse's does.
`;
}
