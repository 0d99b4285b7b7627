// The emulation report: one self-contained HTML page with three SVG charts (energy per component, cycles
// per step over time, spike raster; the last two with labelled time and value axes, the raster with each
// population's name and size) and the summary table. In: an EmulationResult; out: HTML text.

import { COMPONENTS } from "./energy.js";
import type { EmulationResult } from "./engine.js";

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const fmt = (x: number): string =>
  x === 0 ? "0" : Math.abs(x) >= 1e-2 && Math.abs(x) < 1e4 ? x.toFixed(3) : x.toExponential(3);

function energyBars(r: EmulationResult): string {
  const W = 700,
    rowH = 24,
    left = 100;
  const vals = COMPONENTS.map((c) => r.energy_breakdown_j[c]);
  const max = Math.max(...vals, 1e-300);
  const rows = COMPONENTS.map((c, i) => {
    const w = ((W - left - 160) * vals[i]!) / max;
    return `<text x="${left - 6}" y="${i * rowH + 16}" text-anchor="end">${c}</text><rect x="${left}" y="${i * rowH + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="#4a7ab5"/><text x="${left + w + 6}" y="${i * rowH + 16}">${fmt(vals[i]!)} J</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${COMPONENTS.length * rowH + 10}" font-family="sans-serif" font-size="12">${rows.join("")}</svg>`;
}

/** Axes of a chart: the plot box [l, W - r] x [t, H - b], ticks at the ends and the middle, axis titles. */
function axes(
  W: number,
  H: number,
  m: { l: number; r: number; t: number; b: number },
  x: { lo: number; hi: number; title: string },
  y: { lo: number; hi: number; title: string },
): string {
  const x0 = m.l,
    x1 = W - m.r,
    y0 = H - m.b,
    y1 = m.t;
  const parts = [
    `<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#000"/>`,
    `<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#000"/>`,
  ];
  for (const f of [0, 0.5, 1]) {
    const px = x0 + (x1 - x0) * f,
      py = y0 - (y0 - y1) * f;
    parts.push(
      `<line x1="${px.toFixed(1)}" y1="${y0}" x2="${px.toFixed(1)}" y2="${y0 + 4}" stroke="#000"/>`,
      `<text x="${px.toFixed(1)}" y="${y0 + 16}" text-anchor="middle">${fmt(x.lo + (x.hi - x.lo) * f)}</text>`,
      `<line x1="${x0 - 4}" y1="${py.toFixed(1)}" x2="${x0}" y2="${py.toFixed(1)}" stroke="#000"/>`,
      `<text x="${x0 - 6}" y="${(py + 4).toFixed(1)}" text-anchor="end">${fmt(y.lo + (y.hi - y.lo) * f)}</text>`,
    );
  }
  parts.push(
    `<text x="${((x0 + x1) / 2).toFixed(1)}" y="${H - 4}" text-anchor="middle">${esc(x.title)}</text>`,
    `<text transform="translate(14 ${((y0 + y1) / 2).toFixed(1)}) rotate(-90)" text-anchor="middle">${esc(y.title)}</text>`,
  );
  return parts.join("");
}

const MARGIN = { l: 80, r: 20, t: 10, b: 40 };

function cyclesChart(r: EmulationResult): string {
  const W = 700,
    H = 240,
    m = MARGIN,
    n = r.cyclesPerStep.length;
  let max = 1;
  for (let k = 0; k < n; k++) max = Math.max(max, r.cyclesPerStep[k]!);
  const every = Math.max(1, Math.ceil(n / 2000));
  const pts: string[] = [];
  for (let k = 0; k < n; k += every)
    pts.push(
      `${(m.l + ((W - m.l - m.r) * k) / Math.max(1, n - 1)).toFixed(1)},${(H - m.b - ((H - m.b - m.t) * r.cyclesPerStep[k]!) / max).toFixed(1)}`,
    );
  const ax = axes(W, H, m, { lo: 0, hi: n * r.dt, title: "time (s)" }, { lo: 0, hi: max, title: "cycles per step" });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">${ax}<polyline fill="none" stroke="#b5524a" points="${pts.join(" ")}"/></svg>`;
}

function raster(r: EmulationResult, sizes: Record<string, number>): string {
  const W = 700,
    H = 320,
    m = { ...MARGIN, r: 110 },
    steps = Math.max(1, r.steps);
  const pw = W - m.l - m.r,
    ph = H - m.t - m.b;
  const names = Object.keys(r.spikes).sort();
  const total = Math.max(
    1,
    names.reduce((a, nm) => a + (sizes[nm] ?? 0), 0),
  );
  let off = 0;
  const dots: string[] = [];
  const labels: string[] = [];
  // each step's x and each row's y formatted once (a run's spikes share a few thousand of each)
  const xs: string[] = [],
    ys: string[] = [];
  for (const nm of names) {
    const s = r.spikes[nm]!;
    const every = Math.max(1, Math.ceil(s.steps.length / 50000));
    for (let i = 0; i < s.steps.length; i += every) {
      const k = s.steps[i]!,
        row = off + s.indices[i]!;
      const x = (xs[k] ??= (m.l + (pw * k) / steps).toFixed(1)),
        y = (ys[row] ??= (H - m.b - (ph * (row + 0.5)) / total).toFixed(1));
      dots.push(`M${x} ${y}h1`);
    }
    const mid = H - m.b - (ph * (off + (sizes[nm] ?? 0) / 2)) / total;
    labels.push(`<text x="${W - m.r + 6}" y="${(mid + 4).toFixed(1)}">${esc(nm)} (${sizes[nm] ?? 0})</text>`);
    off += sizes[nm] ?? 0;
    if (off < total)
      labels.push(
        `<line x1="${m.l}" x2="${W - m.r}" y1="${(H - m.b - (ph * off) / total).toFixed(1)}" y2="${(H - m.b - (ph * off) / total).toFixed(1)}" stroke="#ccc"/>`,
      );
  }
  const ax = axes(W, H, m, { lo: 0, hi: steps * r.dt, title: "time (s)" }, { lo: 0, hi: total, title: "neuron" });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">${ax}${labels.join("")}<path stroke="#222" stroke-width="1.5" d="${dots.join("")}"/></svg>`;
}

export function emulationReportHtml(
  r: EmulationResult,
  sizes: Record<string, number>,
  bitExact: boolean | null,
): string {
  const rows: [string, string][] = [
    ["network", r.network],
    ["preset", r.preset],
    ["steps", String(r.steps)],
    ["cycles", String(r.cycles)],
    ["latency (s)", fmt(r.latency_s)],
    ["latency per step (s)", fmt(r.latency_per_step_s)],
    ["real-time factor", fmt(r.real_time_factor)],
    ["throughput (synaptic ops/s)", fmt(r.throughput_sops)],
    ["energy (J)", fmt(r.energy_j)],
    ["energy per biological second (J)", fmt(r.energy_per_bio_second_j)],
    ...(r.chips > 1 ? ([["chips / inter-chip hops", `${r.chips} / ${r.chip_hops}`]] as [string, string][]) : []),
    ["average power (W)", fmt(r.power_w)],
    ["energy per synaptic event (J)", fmt(r.energy_per_synaptic_event_j)],
    ["neuron updates", String(r.neuron_updates)],
    ...(r.astrocyte_updates + r.astrocyte_events
      ? ([
          ["astrocyte updates", String(r.astrocyte_updates)],
          ["astrocyte-stage ops", String(r.astrocyte_events)],
        ] as [string, string][])
      : []),
    ["synaptic events", String(r.synaptic_events)],
    ["spikes", String(r.spikes_total)],
    ["packets / hops (mean hops per packet)", `${r.packets} / ${r.hops} (${r.mean_hops_per_packet.toFixed(3)})`],
    ["tiles (x, y): units", r.placement.map((t) => `${t.tile} (${t.x}, ${t.y}): ${t.units.join(" ")}`).join("; ")],
    ...(r.kind === "crossbar" ? [["ADC clips", String(r.adc_clips)] as [string, string]] : []),
    ...(r.broadcast_packets
      ? ([
          ["modulator broadcast packets / hops", `${r.broadcast_packets} / ${r.broadcast_hops}`],
          ["modulator broadcast cycles per step", String(r.broadcast_cycles_per_step)],
        ] as [string, string][])
      : []),
    ["bit exact vs fixed", bitExact === null ? "not checked" : String(bitExact)],
    ["uncharged (no cited cost)", r.uncharged.join(", ") || "none"],
  ];
  return `<!doctype html><html><head><meta charset="utf-8"><title>glia emulate: ${esc(r.network)} on ${esc(r.preset)}</title></head><body style="font-family:sans-serif">
<h1>${esc(r.network)} on ${esc(r.preset)}</h1><table>${rows.map(([a, b]) => `<tr><td>${esc(a)}</td><td>${esc(b)}</td></tr>`).join("")}</table>
${coreTable(r)}<h2>Energy per component (J; costs the spec does not cite are charged 0: ${esc(r.uncharged.filter((u) => u.startsWith("energy.")).join(", ") || "none")})</h2>${energyBars(r)}<h2>Cycles per step</h2>${cyclesChart(r)}<h2>Spike raster</h2>${raster(r, sizes)}</body></html>
`;
}

/** Per-core utilization (digital): population slice, neurons, synapse memory and axons used of the core's. */
function coreTable(r: EmulationResult): string {
  if (!r.core_utilization.length) return "";
  const p = (x: number | null): string => (x === null ? "-" : `${(100 * x).toFixed(1)} %`);
  const head = ["core", "population [start:end]", "neurons", "synapses", "synapse bits", "axons"];
  const rows = r.core_utilization.map((u) => [
    String(u.core),
    `${u.population}[${u.start}:${u.end}]`,
    `${u.neurons} (${p(u.neurons_frac)})`,
    String(u.synapses),
    `${u.synapse_bits} (${p(u.synapse_frac)})`,
    `${u.axons} (${p(u.axons_frac)})`,
  ]);
  const tr = (cells: string[], tag: string): string =>
    `<tr>${cells.map((c) => `<${tag}>${esc(c)}</${tag}>`).join("")}</tr>`;
  return `<h2>Core utilization</h2><table>${tr(head, "th")}${rows.map((c) => tr(c, "td")).join("")}</table>`;
}
