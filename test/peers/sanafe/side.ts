// Test helper for the SANA-FE side-by-side (test/peers/sanafe.test.ts): one model on glia's emulator and on SANA-FE
// through `glia export --to sanafe`, both on a Loihi preset with 125 neurons per core. In: a fixture path and a
// preset name; out: per-step figures of each side in one shape (spikes, synaptic events, packets, hops, active
// neuron updates, energy by component, latency) and the markdown table the docs page holds.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile } from "../../../compiler/pipeline.js";
import { mapDigital } from "../../../targets/digital/map.js";
import { costModel, emulate } from "../../../targets/emulator/index.js";
import { sanafeExporter } from "../../../targets/export/sanafe/index.js";
import { loadPreset } from "../../../targets/hw/presets.js";
import type { DigitalSpec } from "../../../targets/hw/spec.js";
import { dirHost, REPO_ROOT } from "../../helpers/dir-host.js";
import { runPeerScript } from "../../helpers/peers.js";

export const PER_CORE = 125;

/** A preset with 125 neurons per core (the packing of SANA-FE's CUBA runs). */
export function spec125(preset: string): DigitalSpec {
  const s = loadPreset(preset).spec as DigitalSpec;
  return {
    ...s,
    name: `${preset}-125`,
    neuronsPerCore: { value: PER_CORE, source: "SANA-FE's CUBA runs", table: "125 neurons per core" },
  };
}

/** Per step, both tools in one shape (energy in J, latency in s). */
export interface Side {
  steps: number;
  spikes: Record<string, number>;
  spikesTotal: number;
  synapticEvents: number;
  packets: number;
  hops: number;
  activeUpdates: number;
  energy: { synaptic: number; neuron: number; routing: number; other: number; total: number };
  latency: number;
}

const steps = (file: string): number => compile(file, dirHost(REPO_ROOT)).ir!.steps;

/** glia's emulator on `preset` with 125 neurons per core. */
export function gliaSide(file: string, preset: string): Side & { wallS: number } {
  const c = compile(file, dirHost(REPO_ROOT));
  const spec = spec125(preset);
  const m = mapDigital(c.ir!, spec);
  if (!m.descriptor) throw new Error(m.diagnostics.map((d) => d.message).join("; "));
  const r = emulate(m.descriptor, costModel(spec));
  const n = r.steps;
  const spikes: Record<string, number> = {};
  for (const g of c.ir!.groups) spikes[g.name] = r.spikes[g.name]!.steps.length;
  const total = Object.values(spikes).reduce((a, b) => a + b, 0);
  const b = r.energy_breakdown_j;
  return {
    steps: n,
    spikes,
    spikesTotal: total,
    synapticEvents: r.synaptic_events,
    packets: r.packets,
    hops: r.hops,
    activeUpdates: r.neuron_updates_active,
    energy: {
      synaptic: b.synaptic,
      neuron: b.neuron,
      routing: b.routing,
      other: Object.entries(b)
        .filter(([k]) => k !== "synaptic" && k !== "neuron" && k !== "routing")
        .reduce((a, [, x]) => a + x, 0),
      total: r.energy_j,
    },
    latency: r.latency_s,
    wallS: r.wallS,
  };
}

interface SanafeSummary {
  steps: number;
  spikes: Record<string, number>;
  spikes_total: number;
  energy: { total: number; synapse: number; dendrite: number; soma: number; network: number };
  sim_time: number;
  messages: number;
  hops: number;
  synaptic_events: number;
  neurons_updated: number;
  load_s: number;
  sim_s: number;
}

/** Exports `file` to SANA-FE (placement and arch.yaml from `preset`, 125 per core) into a temporary directory. */
export function exportSanafe(file: string, preset: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glia-sanafe-"));
  const c = compile(file, dirHost(REPO_ROOT));
  const r = sanafeExporter.emit(c.ir!, { file, out: dir, spec: spec125(preset) });
  if (!r.files) throw new Error(`export: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  for (const f of r.files) fs.writeFileSync(f.path, f.content);
  return dir;
}

/** SANA-FE on an exported directory: `arch` is "bundled-loihi" (SANA-FE's own loihi.yaml) or the exported one. */
export function sanafeSide(
  dir: string,
  arch: "bundled-loihi" | "exported",
  out: string,
): Side & Omit<SanafeSummary, "energy" | "spikes"> {
  const o = path.join(dir, out);
  runPeerScript(path.join(dir, "run.py"), [...(arch === "bundled-loihi" ? ["--arch", arch] : []), "--out", o]);
  const s = JSON.parse(fs.readFileSync(path.join(o, "summary.json"), "utf8")) as SanafeSummary;
  return {
    ...s,
    spikesTotal: s.spikes_total,
    synapticEvents: s.synaptic_events,
    packets: s.messages,
    activeUpdates: s.neurons_updated,
    energy: {
      synaptic: s.energy.synapse,
      neuron: s.energy.soma,
      routing: s.energy.network,
      other: s.energy.dendrite,
      total: s.energy.total,
    },
    latency: s.sim_time,
  };
}

export const ratio = (a: number, b: number): number => (b === 0 ? (a === 0 ? 1 : Infinity) : a / b);

export { steps as modelSteps };

const fmt = (x: number, digits = 4): string => (x === 0 ? "0" : Number(x.toPrecision(digits)).toString());

/** The side-by-side table per step (markdown): one column per run. */
export function sideTable(cols: { title: string; side: Side }[]): string {
  const per = (f: (s: Side) => number, scale = 1, d = 4): string[] =>
    cols.map(({ side }) => fmt((f(side) / side.steps) * scale, d));
  const rows: [string, string[]][] = [
    ["spikes", per((s) => s.spikesTotal)],
    ["synaptic events", per((s) => s.synapticEvents)],
    ["packets (messages)", per((s) => s.packets)],
    ["hops", per((s) => s.hops)],
    ["active neuron updates", per((s) => s.activeUpdates)],
    ["energy: synaptic (nJ)", per((s) => s.energy.synaptic, 1e9)],
    ["energy: neuron / soma (nJ)", per((s) => s.energy.neuron, 1e9)],
    ["energy: routing / network (nJ)", per((s) => s.energy.routing, 1e9)],
    ["energy: other (barrier hops; nJ)", per((s) => s.energy.other, 1e9)],
    ["energy: total (nJ)", per((s) => s.energy.total, 1e9)],
    ["latency (us)", per((s) => s.latency, 1e6)],
  ];
  return [
    `| per step | ${cols.map((c) => c.title).join(" | ")} |`,
    `|---|${cols.map(() => "---").join("|")}|`,
    ...rows.map(([k, v]) => `| ${k} | ${v.join(" | ")} |`),
  ].join("\n");
}
