// A network mapped onto a digital preset, as a SANA-FE network with its mapping (YAML, SANA-FE 2.2 schema). In:
// the digital descriptor (glia's partitioning and placement), its IR and the loihi-mode plan of its groups
// (targets/emulator/loihi.ts: the same compartments `glia emulate` steps); out: the YAML text and what it holds.
//
// Units: SANA-FE's potential is Loihi's v / 2^6 (its LIF truncates v to 1/64 after the leak, which is Lava's
// truncation of the integer v), so threshold = vth, bias = bias / 2^6, weight = the synapse's a_in increment,
// leak_decay = (4096 - dv) / 4096, input_decay = (4096 - du - 1) / 4096. SANA-FE's first update adds bias and
// input to the potential given without leaking it, so a neuron starting at v0 is given trunc(v0 (4096 - dv) /
// 4096) / 2^6. SANA-FE keeps u in floating point where Lava truncates it each step: the runs agree statistically
// (the peer tests state by how much), not bit for bit.
//
// Mapping: every core of the descriptor is a SANA-FE core (tile = x * mesh height + y, SANA-FE numbers tiles
// column by column; cores of one tile in glia's order). glia's input sources sit off chip and send to each
// destination core without a hop; SANA-FE's inputs are neurons on a core, so each source element is written
// once per destination tile (group SRC__tT), on a core of that tile glia leaves free (else its first core),
// each copy with the glia spike train of the run and only the synapses onto that tile: the same messages per
// destination core, no hops.

import type { IRProgram } from "../../../compiler/ir/nodes.js";
import type { DigitalDescriptor } from "../../descriptor/types.js";
import type { LoihiMode } from "../../emulator/loihi.js";
import { synapseInputs } from "../../fixed/loihi-run.js";
import { DECAY_UNITY, DM_OFFSET, DS_OFFSET, effectiveBias, effectiveVth } from "../../fixed/lava-lif.js";
import { buildProjection } from "../../network/projection.js";
import { isDense } from "../../descriptor/dense.js";
import { makeSource } from "../../network/sources.js";
import { INPUT_UNITS, UNIT } from "./arch.js";

const SCALE = 64; // 2^ACT_SHIFT: Loihi's v and u per SANA-FE unit

export interface SanafeNetwork {
  yaml: string;
  /** SANA-FE groups written for each glia population (a source: one per destination tile). */
  groups: Map<string, string[]>;
  synapses: number;
  /** Occupied tiles, and the core (tile.offset) of each descriptor core. */
  tiles: number;
  coreAddress: Map<number, string>;
}

const num = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

/** The network YAML, or why it cannot be written (a string). */
export function sanafeNetwork(
  d: DigitalDescriptor,
  ir: IRProgram,
  mode: LoihiMode,
  steps: number,
  denseCostsDiffer: boolean,
): SanafeNetwork | string {
  const h = d.mesh.y;
  const coresPerTile = d.coresPerTile ?? 1;
  // ---- placement: SANA-FE tile and core offset of every descriptor core
  const tileOf = (c: { x: number; y: number }): number => c.x * h + c.y;
  const byTile = new Map<number, number[]>();
  for (const c of [...d.cores].sort((a, b) => a.id - b.id)) {
    const t = tileOf(c);
    byTile.set(t, [...(byTile.get(t) ?? []), c.id]);
  }
  const coreAddress = new Map<number, string>();
  for (const [t, ids] of byTile) ids.forEach((id, o) => coreAddress.set(id, `${t}.${o}`));
  // element -> descriptor core, per population
  const coreOf = new Map<string, Int32Array>();
  for (const c of d.cores) {
    let a = coreOf.get(c.population);
    if (!a) coreOf.set(c.population, (a = new Int32Array(mode.facts(c.population).size).fill(-1)));
    for (let e = c.start; e < c.end; e++) a[e] = c.id;
  }
  const coreById = new Map(d.cores.map((c) => [c.id, c]));

  // ---- synapses (built as every glia target builds them) and each group's synapse unit: SANA-FE takes the unit
  // from the post neuron, so a group whose incoming projections are all dense (descriptor/dense.ts) gets the
  // dense unit, as glia's emulator charges them; one mixing dense and sparse ones cannot be charged as glia does
  // when the two units cost differently
  const built = [...mode.projections.values()].map((p) => {
    const b = buildProjection(p, mode.facts, mode.seed, mode.dt);
    return { p, b, dense: isDense(p.pre, p.post, b.csr.n, b.csr.pre, b.csr.post) };
  });
  const unitOf = new Map<string, string>();
  for (const g of ir.groups) {
    const into = built.filter((x) => x.p.post.population === g.name);
    const dense = into.filter((x) => x.dense).map((x) => x.p.name),
      sparse = into.filter((x) => !x.dense).map((x) => x.p.name);
    if (dense.length && sparse.length && denseCostsDiffer)
      return `${g.name} receives dense (${dense.join(", ")}) and sparse (${sparse.join(", ")}) projections: SANA-FE 2.2 takes the synapse unit from the post neuron, one per neuron, and the preset costs the two encodings differently`;
    unitOf.set(g.name, dense.length && !sparse.length ? UNIT.denseSynapse : UNIT.synapse);
  }
  const groups = new Map<string, string[]>();
  const lines: string[] = [`network:`, `  name: ${ir.network}`, `  groups:`];
  const mappings: string[] = [];
  // ---- LIF groups (every group is in loihi mode: the exporter refused the others)
  for (const g of ir.groups) {
    const L = mode.groups.get(g.name)!;
    const p = L.match.params;
    const vFactor = DECAY_UNITY - (p.dv + DM_OFFSET),
      uFactor = DECAY_UNITY - (p.du + DS_OFFSET);
    const attrs = [
      `threshold: ${num(effectiveVth(p) / SCALE)}`,
      `reset: 0.0`,
      `reset_mode: hard`,
      `leak_decay: ${num(vFactor / DECAY_UNITY)}`,
      `input_decay: ${num(uFactor / DECAY_UNITY)}`,
      `bias: ${num(effectiveBias(p) / SCALE)}`,
      `soma_hw_name: ${UNIT.lif}`,
      `synapse_hw_name: ${unitOf.get(g.name)!}`,
      `log_spikes: true`,
    ];
    lines.push(`    - name: ${g.name}`, `      attributes: [${attrs.join(", ")}]`, `      neurons:`);
    const special: string[] = [];
    for (let e = 0; e < g.size; e++) {
      const v1 = Math.trunc((L.v[e]! * vFactor) / DECAY_UNITY);
      if (v1 !== 0) special.push(`        - ${e}: [potential: ${num(v1 / SCALE)}]`);
    }
    // ranges of neurons without their own attributes
    const given = new Set(special.map((s) => Number(/- (\d+):/.exec(s)![1])));
    let start = -1;
    for (let e = 0; e <= g.size; e++) {
      const plain = e < g.size && !given.has(e);
      if (plain && start < 0) start = e;
      if (!plain && start >= 0) {
        lines.push(`        - ${start === e - 1 ? start : `${start}..${e - 1}`}: []`);
        start = -1;
      }
    }
    lines.push(...special);
    groups.set(g.name, [g.name]);
    for (const c of d.cores.filter((x) => x.population === g.name).sort((a, b) => a.start - b.start))
      mappings.push(
        `  - ${g.name}.${c.start === c.end - 1 ? c.start : `${c.start}..${c.end - 1}`}: [core: ${coreAddress.get(c.id)}]`,
      );
  }
  // ---- edges, and which tiles each source element reaches
  const edges: string[] = [];
  const sourceNames = new Set(ir.sources.map((s) => s.name));
  const copies = new Map<string, Map<number, Set<number>>>(); // source -> tile -> elements
  let synapses = 0;
  for (const { p, b } of built) {
    const L = mode.groups.get(p.post.population)!;
    const w = synapseInputs(p, L.match, b.values, b.csr.n);
    const postCore = coreOf.get(p.post.population)!;
    const fromSource = sourceNames.has(p.pre.population);
    let perTile = copies.get(p.pre.population);
    if (fromSource && !perTile) copies.set(p.pre.population, (perTile = new Map<number, Set<number>>()));
    for (let s = 0; s < b.csr.n; s++) {
      const pre = b.csr.pre[s]!,
        post = b.csr.post[s]!;
      let from = `${p.pre.population}.${pre}`;
      if (fromSource) {
        const t = tileOf(coreById.get(postCore[post]!)!);
        let set = perTile!.get(t);
        if (!set) perTile!.set(t, (set = new Set()));
        set.add(pre);
        from = `${p.pre.population}__t${t}.${pre}`;
      }
      edges.push(`    - ${from} -> ${p.post.population}.${post}: [weight: ${num(w[s]!)}]`);
    }
    synapses += b.csr.n;
  }
  // ---- sources: one input group per (source, destination tile), the run's spike train on each element
  for (const src of ir.sources) {
    const perTile = copies.get(src.name);
    if (!perTile) continue;
    const trains = sourceTrains(src, mode.seed, mode.dt, steps);
    const names: string[] = [];
    for (const [t, elements] of [...perTile].sort((a, b) => a[0] - b[0])) {
      const name = `${src.name}__t${t}`;
      names.push(name);
      const used = byTile.get(t) ?? [];
      const offset = used.length < coresPerTile ? used.length : 0;
      lines.push(`    - name: ${name}`, `      attributes: [log_spikes: false]`, `      neurons:`);
      const sorted = [...elements].sort((a, b) => a - b);
      if (sorted.length > INPUT_UNITS)
        return `source ${src.name}: ${sorted.length} elements reach tile ${t}; a core holds ${INPUT_UNITS} inputs`;
      sorted.forEach((e, i) => {
        lines.push(`        - ${e}: [spikes: [${trains[e]!.join(", ")}]]`);
        mappings.push(`  - ${name}.${e}: [core: ${t}.${offset}, soma: "${UNIT.input(i)}"]`);
      });
    }
    groups.set(src.name, names);
  }
  const yaml = [...lines, `  edges:`, ...edges, `mappings:`, ...mappings, ""].join("\n");
  return { yaml, groups, synapses, tiles: byTile.size, coreAddress };
}

/** Each element's spikes in the run as 0/1 per step (glia's own draws: makeSource with the run's seed). */
function sourceTrains(src: IRProgram["sources"][number], seed: number, dt: number, steps: number): Uint8Array[] {
  const stepper = makeSource(src, seed, dt, steps);
  const trains = Array.from({ length: src.size }, () => new Uint8Array(steps));
  const out = new Int32Array(src.size);
  for (let k = 0; k < steps; k++) {
    const n = stepper.step(k, out);
    for (let x = 0; x < n; x++) trains[out[x]!]![k] = 1;
  }
  return trains;
}
