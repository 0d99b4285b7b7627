// The result of one benchmark configuration and how it is printed. In: the config and each engine's
// outcome; out: one flat JSON object (glia_*, brian2_*, ratios glia/Brian2 and glia/each peer, every row) and
// text/Markdown tables (rows with per-population rates, the microcircuit's, get a table of their own). Ratios are
// glia / peer: below 1 means glia took less time.

import type { BenchConfig } from "./configs.js";
import type { EngineRow } from "./engine.js";

export interface EngineEntry {
  engine: string;
  role: "glia" | "peer" | "emulator" | "scaling";
  row?: EngineRow;
  /** Why there is no row (not installed, failed). */
  unavailable?: string;
}

export interface ConfigResult {
  config: string;
  description: string;
  model: string;
  n: number;
  p: number;
  duration_s: number;
  seed: number;
  glia_engine: string | null;
  glia_compile_s: number | null;
  glia_sim_s: number | null;
  glia_total_s: number | null;
  glia_synaptic_events: number | null;
  glia_events_per_s: number | null;
  glia_peak_rss_bytes: number | null;
  glia_bytes_per_synapse: number | null;
  brian2_engine: string | null;
  brian2_sim_s: number | null;
  brian2_total_s: number | null;
  brian2_synaptic_events: number | null;
  brian2_events_per_s: number | null;
  /** glia_sim_s / brian2_sim_s */
  sim_ratio: number | null;
  /** glia sim s / each peer's sim s, by engine name (NEST and Brian2 on the microcircuit). */
  sim_ratios: Record<string, number | null>;
  /** glia total (front end + network construction + kernels + sim) / Brian2 total (setup + codegen + make + binary) */
  end_to_end_ratio: number | null;
  /** Threads of the glia row (the target's default), and where that is more than one: the same run forced
   *  to one thread (sim s) and the speed-up single-thread sim / glia sim. */
  glia_threads: number | null;
  single_thread_sim_s: number | null;
  thread_speedup: number | null;
  /** Set when Brian2 (or another engine) gave no numbers, with the reason. */
  notes: string[];
  loadavg_1m: number;
  rows: EngineRow[];
}

export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || !(b > 0)) return null;
  return a / b;
}

export function configResult(config: BenchConfig, entries: EngineEntry[], loadavg1m: number): ConfigResult {
  const glia = entries.find((e) => e.role === "glia" && e.row)?.row;
  const peers = entries.filter((e) => e.role === "peer" && e.row).map((e) => e.row!);
  const peer = peers.find((r) => r.engine.startsWith("brian2")) ?? peers[0];
  const single = entries.find((e) => e.role === "scaling" && e.row)?.row;
  const threads = typeof glia?.extra["threads"] === "number" ? glia.extra["threads"] : null;
  const scaled = single !== undefined && threads !== null && threads > 1;
  const notes = entries.filter((e) => e.unavailable !== undefined).map((e) => `${e.engine}: ${e.unavailable}`);
  return {
    config: config.name,
    description: config.description,
    model: config.model,
    n: config.n,
    p: config.p,
    duration_s: config.duration,
    seed: config.seed,
    glia_engine: glia?.engine ?? null,
    glia_compile_s: glia?.compile_s ?? null,
    glia_sim_s: glia?.sim_s ?? null,
    glia_total_s: glia?.total_s ?? null,
    glia_synaptic_events: glia?.synaptic_events ?? null,
    glia_events_per_s: glia?.events_per_s ?? null,
    glia_peak_rss_bytes: glia?.peak_rss_bytes ?? null,
    glia_bytes_per_synapse: glia?.bytes_per_synapse ?? null,
    brian2_engine: peer?.engine ?? null,
    brian2_sim_s: peer?.sim_s ?? null,
    brian2_total_s: peer?.total_s ?? null,
    brian2_synaptic_events: peer?.synaptic_events ?? null,
    brian2_events_per_s: peer?.events_per_s ?? null,
    sim_ratio: ratio(glia?.sim_s, peer?.sim_s),
    sim_ratios: Object.fromEntries(peers.map((r) => [r.engine, ratio(glia?.sim_s, r.sim_s)])),
    end_to_end_ratio: ratio(glia?.total_s, peer?.total_s),
    glia_threads: threads,
    single_thread_sim_s: scaled ? single.sim_s : null,
    thread_speedup: scaled ? ratio(single.sim_s, glia?.sim_s) : null,
    notes,
    loadavg_1m: loadavg1m,
    rows: entries.flatMap((e) => (e.row ? [e.row] : [])),
  };
}

// ---- formatting

function fixed(x: number | null, digits: number): string {
  return x === null ? "-" : x.toFixed(digits);
}

function sci(x: number | null): string {
  return x === null ? "-" : x.toExponential(2);
}

function mib(bytes: number | null): string {
  return bytes === null ? "-" : (bytes / (1 << 20)).toFixed(0);
}

const ROW_HEADER = [
  "config",
  "engine",
  "compile s",
  "sim s",
  "total s",
  "spikes",
  "synapses",
  "syn. events",
  "events/s",
  "steps/s",
  "peak MiB",
  "B/syn",
];

function rowCells(config: string, r: EngineRow): string[] {
  return [
    config,
    r.engine,
    fixed(r.compile_s, 3),
    fixed(r.sim_s, 3),
    fixed(r.total_s, 2),
    String(r.spikes_total),
    String(r.synapses),
    r.synaptic_events === null ? "-" : String(r.synaptic_events),
    sci(r.events_per_s),
    sci(r.steps_per_s),
    mib(r.peak_rss_bytes),
    fixed(r.bytes_per_synapse, 1),
  ];
}

const RATIO_HEADER = [
  "config",
  "sim glia/Brian2",
  "end-to-end glia/Brian2",
  "glia threads",
  "speed-up vs 1 thread",
  "load avg 1m",
];

function ratioCells(c: ConfigResult): string[] {
  return [
    c.config,
    fixed(c.sim_ratio, 2),
    fixed(c.end_to_end_ratio, 2),
    c.glia_threads === null ? "-" : String(c.glia_threads),
    fixed(c.thread_speedup, 2),
    c.loadavg_1m.toFixed(1),
  ];
}

/** Columns before `leftColumns` are names (left-aligned), the rest numbers (right-aligned). */
function textTable(header: string[], rows: string[][], leftColumns: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
}

function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}

const EMULATOR_HEADER = ["config", "engine", "emulated s", "cycles", "cycles/s", "emulated events/s", "steps/s"];

/** Rows of engines that emulate hardware cycles (extra.emulated_cycles): the emulator's own speed. */
function emulatorCells(results: ConfigResult[]): string[][] {
  return results.flatMap((c) =>
    c.rows
      .filter((r) => typeof r.extra["emulated_cycles"] === "number")
      .map((r) => [
        c.config,
        r.engine,
        fixed(r.extra["emulated_s"] as number, 3),
        String(r.extra["emulated_cycles"]),
        sci(r.extra["cycles_per_s"] as number | null),
        sci(r.events_per_s),
        sci(r.steps_per_s),
      ]),
  );
}

/** Population names of the rate columns: those of the first row with rates, in its order. */
function ratePopulations(results: ConfigResult[]): string[] {
  const first = results.flatMap((c) => c.rows).find((r) => r.rates_hz !== undefined);
  return first ? Object.keys(first.rates_hz!) : [];
}

function ratesHeader(pops: string[]): string[] {
  return [
    "config",
    "engine",
    "threads",
    "build s",
    "sim s / bio s",
    "glia faster x",
    "peak MiB",
    ...pops.map((p) => `${p} Hz`),
  ];
}

/** Rows with per-population rates (the microcircuit): build s = total - sim, sim s per biological second, how
 *  many times glia's sim is faster (this row's sim / glia's), peak memory, and each population's rate. */
function ratesCells(results: ConfigResult[], pops: string[]): string[][] {
  return results.flatMap((c) =>
    c.rows
      .filter((r) => r.rates_hz !== undefined)
      .map((r) => [
        c.config,
        r.engine,
        r.threads === undefined ? "-" : String(r.threads),
        fixed(r.total_s - r.sim_s, 1),
        fixed(c.duration_s > 0 ? r.sim_s / c.duration_s : null, 2),
        fixed(ratio(r.sim_s, c.glia_sim_s), 2),
        mib(r.peak_rss_bytes),
        ...pops.map((p) => fixed(r.rates_hz![p] ?? null, 2)),
      ]),
  );
}

/** Plain-text tables: every engine row, the ratios, rates, emulator speed, then notes (engines without numbers). */
export function formatText(results: ConfigResult[]): string {
  const rows = results.flatMap((c) => c.rows.map((r) => rowCells(c.config, r)));
  let out = textTable(ROW_HEADER, rows, 2) + "\n" + textTable(RATIO_HEADER, results.map(ratioCells), 1);
  const pops = ratePopulations(results);
  if (pops.length > 0) out += "\n" + textTable(ratesHeader(pops), ratesCells(results, pops), 2);
  const emu = emulatorCells(results);
  if (emu.length > 0) out += "\n" + textTable(EMULATOR_HEADER, emu, 2);
  for (const c of results) for (const n of c.notes) out += `note: ${c.config}: ${n}\n`;
  return out;
}

export function formatMarkdown(results: ConfigResult[]): string {
  const rows = results.flatMap((c) => c.rows.map((r) => rowCells(c.config, r)));
  let out = markdownTable(ROW_HEADER, rows) + "\n" + markdownTable(RATIO_HEADER, results.map(ratioCells));
  const pops = ratePopulations(results);
  if (pops.length > 0) out += "\n" + markdownTable(ratesHeader(pops), ratesCells(results, pops));
  const emu = emulatorCells(results);
  if (emu.length > 0) out += "\n" + markdownTable(EMULATOR_HEADER, emu);
  const notes = results.flatMap((c) => c.notes.map((n) => `- ${c.config}: ${n}`));
  if (notes.length > 0) out += "\n" + notes.join("\n") + "\n";
  return out;
}
