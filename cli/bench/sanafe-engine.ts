// The SANA-FE side-by-side bench rows (config cuba-sanafe): glia's cycle-accurate emulator and SANA-FE on the
// same CUBA-like network on Loihi at 125 neurons per core, SANA-FE's own costs on both sides (preset loihi-sanafe;
// SANA-FE's bundled loihi.yaml). In: a BenchConfig and a BenchContext; out: EngineRows.
//   emulator row (role glia): sim s = the emulator's step loop; total s = source to report (the preset's loading,
//     read, compile, map, emulate, the summary and the HTML report);
//   SANA-FE row (role peer): the network exported by `glia export --to sanafe` (export s in extra, not counted),
//     run by the exported run.py with --fast (no traces); sim s = chip.sim(), total s = SANA-FE's YAML loading
//     (arch and network, mapping) + sim s, as run.py measures them (Python start-up and `import sanafe` not
//     counted; extra.process_s has the whole process).

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { posix } from "node:path";
import { compile } from "../../compiler/pipeline.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { mapDigital } from "../../targets/digital/map.js";
import * as emu from "../../targets/emulator/index.js";
import { emulationSummary } from "../../targets/emulator/summary.js";
import { emulationReportHtml } from "../../targets/emulator/report.js";
import { sanafeExporter } from "../../targets/export/sanafe/index.js";
import { loadPreset } from "../../targets/hw/presets.js";
import type { DigitalSpec } from "../../targets/hw/spec.js";
import { configSource, MODEL_EXAMPLE, type BenchConfig } from "./configs.js";
import { perSecond, type BenchContext, type BenchEngine, type EngineOutcome, type EngineRow } from "./engine.js";
import { variantPath } from "./glia-engine.js";

export const SANAFE_PRESET = "loihi-sanafe";
export const SANAFE_NEURONS_PER_CORE = 125;

const applies = (c: BenchConfig): boolean => c.model === "cuba-loihi";

/** The preset with SANA-FE's CUBA packing (125 neurons per core). */
export function sanafeBenchSpec(): DigitalSpec | string {
  const r = loadPreset(SANAFE_PRESET);
  if (!r.spec || r.spec.kind !== "digital") return r.diagnostics.map((d) => d.message).join("; ");
  return {
    ...r.spec,
    neuronsPerCore: { value: SANAFE_NEURONS_PER_CORE, source: "SANA-FE's CUBA runs", table: "125 neurons per core" },
  };
}

/** The config's source (the model file with the config's sizes) and a host serving it. */
function variant(config: BenchConfig, ctx: BenchContext): { entry: string; host: BenchContext["host"] } | string {
  const path = posix.join(ctx.root, MODEL_EXAMPLE[config.model]);
  const text = ctx.host.readFile(path);
  if (text === undefined) return `cannot read ${path}`;
  const v = configSource(config, text);
  if ("problem" in v) return v.problem;
  const entry = variantPath(ctx.root, config);
  return { entry, host: { readFile: (p: string) => (p === entry ? v.text : ctx.host.readFile(p)) } };
}

export function emulatorSanafeEngine(): BenchEngine {
  return {
    name: `emulator-${SANAFE_PRESET}`,
    role: "glia",
    applies,
    async measure(config: BenchConfig, ctx: BenchContext): Promise<EngineOutcome> {
      // source to report starts with the hardware preset's loading, which a user of `glia emulate --hw` waits for
      const t0 = performance.now();
      const spec = sanafeBenchSpec();
      if (typeof spec === "string") return { kind: "unavailable", reason: spec };
      const v = variant(config, ctx);
      if (typeof v === "string") return { kind: "unavailable", reason: v };
      const compiled = compile(v.entry, v.host);
      if (hasErrors(compiled.diagnostics) || !compiled.ir)
        return { kind: "diagnostics", diagnostics: compiled.diagnostics, sources: compiled.sources };
      const mapped = mapDigital(compiled.ir, spec);
      if (!mapped.descriptor)
        return { kind: "diagnostics", diagnostics: mapped.diagnostics, sources: compiled.sources };
      const compileS = (performance.now() - t0) / 1000;
      let r;
      try {
        r = emu.emulate(mapped.descriptor, emu.costModel(spec));
      } catch (err) {
        if (!(err instanceof emu.EmulatorError)) throw err;
        return { kind: "unavailable", reason: `emulator: ${err.message}` };
      }
      // the report a user gets: the summary and the HTML page
      const sizes = Object.fromEntries(compiled.ir.groups.map((g) => [g.name, g.size]));
      const summary = JSON.stringify(emulationSummary(r, null));
      const html = emulationReportHtml(r, sizes, null);
      const totalS = (performance.now() - t0) / 1000;
      const spikes: Record<string, number> = {};
      for (const g of compiled.ir.groups) spikes[g.name] = r.spikes[g.name]!.steps.length;
      const row: EngineRow = {
        engine: `emulator-${SANAFE_PRESET}`,
        compile_s: compileS,
        sim_s: r.loopS,
        total_s: totalS,
        steps: r.steps,
        spikes,
        spikes_total: Object.values(spikes).reduce((a, b) => a + b, 0),
        synapses: mapped.descriptor.stats.synapses,
        synaptic_events: r.synaptic_events,
        events_per_s: perSecond(r.synaptic_events, r.loopS),
        steps_per_s: perSecond(r.steps, r.loopS),
        peak_rss_bytes: null,
        bytes_per_synapse: null,
        extra: {
          emulate_call_s: r.wallS,
          report_bytes: html.length + summary.length,
          energy_per_step_j: r.energy_j / r.steps,
          latency_per_step_s: r.latency_per_step_s,
          packets: r.packets,
          hops: r.hops,
        },
      };
      return { kind: "row", row };
    },
  };
}

interface RunSummary {
  steps: number;
  spikes_total: number;
  energy: { total: number };
  sim_time: number;
  messages: number;
  synaptic_events: number;
  load_s: number;
  sim_s: number;
}

export function sanafeEngine(): BenchEngine {
  return {
    name: "sanafe",
    role: "peer",
    applies,
    async measure(config: BenchConfig, ctx: BenchContext): Promise<EngineOutcome> {
      const python = [posix.join(ctx.root, ".venv-peers/bin/python"), ctx.python].find(
        (p) => p.includes("/") === false || fs.existsSync(p),
      )!;
      const probe = spawnSync(python, ["-c", "import sanafe"], { encoding: "utf8" });
      if (probe.status !== 0) return { kind: "unavailable", reason: `${python} cannot import sanafe` };
      const spec = sanafeBenchSpec();
      if (typeof spec === "string") return { kind: "unavailable", reason: spec };
      const v = variant(config, ctx);
      if (typeof v === "string") return { kind: "unavailable", reason: v };
      const t0 = performance.now();
      const compiled = compile(v.entry, v.host);
      if (hasErrors(compiled.diagnostics) || !compiled.ir)
        return { kind: "diagnostics", diagnostics: compiled.diagnostics, sources: compiled.sources };
      const dir = fs.mkdtempSync(posix.join(os.tmpdir(), "glia-bench-sanafe-"));
      try {
        const e = sanafeExporter.emit(compiled.ir, { file: v.entry, out: dir, spec });
        if (!e.files) return { kind: "diagnostics", diagnostics: e.diagnostics, sources: compiled.sources };
        for (const f of e.files) fs.writeFileSync(f.path, f.content);
        const exportS = (performance.now() - t0) / 1000;
        const t1 = performance.now();
        const run = spawnSync(
          python,
          [posix.join(dir, "run.py"), "--arch", "bundled-loihi", "--fast", "--out", posix.join(dir, "out")],
          { encoding: "utf8", maxBuffer: 64 << 20 },
        );
        const processS = (performance.now() - t1) / 1000;
        if (run.status !== 0)
          return { kind: "unavailable", reason: `run.py exited ${run.status}: ${run.stderr.slice(-400)}` };
        const s = JSON.parse(fs.readFileSync(posix.join(dir, "out", "summary.json"), "utf8")) as RunSummary;
        const row: EngineRow = {
          engine: "sanafe",
          compile_s: s.load_s,
          sim_s: s.sim_s,
          total_s: s.load_s + s.sim_s,
          steps: s.steps,
          spikes: {},
          spikes_total: s.spikes_total,
          synapses: 0,
          synaptic_events: s.synaptic_events,
          events_per_s: perSecond(s.synaptic_events, s.sim_s),
          steps_per_s: perSecond(s.steps, s.sim_s),
          peak_rss_bytes: null,
          bytes_per_synapse: null,
          extra: {
            export_s: exportS,
            process_s: processS,
            energy_per_step_j: s.energy.total / s.steps,
            latency_per_step_s: s.sim_time / s.steps,
            packets: s.messages,
          },
        };
        return { kind: "row", row };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
