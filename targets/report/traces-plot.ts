// An SVG plot of recorded state traces, written as text (no dependencies). In: a RunResult (state monitors, and
// synapse monitors) and a lookup of each variable's SI unit; out: an SVG document with one panel per recorded
// (population, variable) or (projection, variable): x = time, y = the value in a prefixed unit that suits its
// range (mV for volts near -0.065), at most MAX_LINES elements drawn per panel (the panel title says how many).

import type { RunResult } from "../target.js";
import type { UnitOf } from "./csv.js";
import { ticks, timeAxis } from "./raster.js";

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
const MAX_LINES = 8;
/** Points per line at most: longer traces are drawn at every m-th recorded step. */
const MAX_POINTS = 4000;

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (x: number): string => String(Number(x.toFixed(2)));

interface Panel {
  title: string;
  unit: string | undefined;
  labels: string[];
  steps: number[];
  /** columns[c][r]: value of line c at recorded step r (SI). */
  columns: Float64Array[];
  shown: number;
  total: number;
}

/** A prefix for a plain SI unit symbol so that the largest |value| reads between 1 and 1000. */
export function displayUnit(unit: string | undefined, maxAbs: number): { label: string; scale: number } {
  if (unit === undefined) return { label: "SI", scale: 1 };
  if (unit === "1") return { label: "1", scale: 1 };
  if (!/^[A-Za-z]+$/.test(unit) || !(maxAbs > 0)) return { label: unit, scale: 1 };
  const prefixes: [string, number][] = [
    ["G", 1e9],
    ["M", 1e6],
    ["k", 1e3],
    ["", 1],
    ["m", 1e-3],
    ["u", 1e-6],
    ["n", 1e-9],
    ["p", 1e-12],
    ["f", 1e-15],
  ];
  const [p, f] = prefixes.find(([, f]) => maxAbs / f >= 1) ?? prefixes[prefixes.length - 1]!;
  return { label: `${p}${unit}`, scale: 1 / f };
}

function panels(result: RunResult, unitOf: UnitOf): Panel[] {
  const out: Panel[] = [];
  const columns = (values: Float64Array[], shown: number): Float64Array[] =>
    Array.from({ length: shown }, (_, c) => Float64Array.from(values, (row) => row[c]!));
  for (const tr of result.traces) {
    const shown = Math.min(MAX_LINES, tr.indices.length);
    out.push({
      title: `${tr.population}.${tr.variable}`,
      unit: unitOf(tr.population, tr.variable),
      labels: tr.indices.slice(0, shown).map((e) => `${tr.population}[${e}]`),
      steps: tr.steps,
      columns: columns(tr.values, shown),
      shown,
      total: tr.indices.length,
    });
  }
  for (const tr of result.synapseTraces ?? []) {
    const shown = Math.min(MAX_LINES, tr.synapses.length);
    out.push({
      title: `${tr.projection}.${tr.variable}`,
      unit: unitOf(tr.projection, tr.variable),
      labels: tr.synapses.slice(0, shown).map((s, c) => `syn ${s} (${tr.pre[c]}->${tr.post[c]})`),
      steps: tr.steps,
      columns: columns(tr.values, shown),
      shown,
      total: tr.synapses.length,
    });
  }
  return out;
}

export function tracesSvg(result: RunResult, unitOf: UnitOf = () => undefined): string {
  const list = panels(result, unitOf);
  const W = 900,
    left = 80,
    right = 170,
    panelH = 200,
    gap = 60,
    top = 40;
  const H = top + list.length * (panelH + gap) + 10;
  const pw = W - left - right;
  const durationMs = result.steps * result.dt * 1000;
  const axis = timeAxis(durationMs);
  const xOf = (k: number): number => left + (durationMs > 0 ? ((k * result.dt * 1000) / durationMs) * pw : 0);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left + pw / 2}" y="22" text-anchor="middle" font-size="14">Recorded traces</text>`,
  ];
  list.forEach((p, i) => {
    const y0 = top + i * (panelH + gap);
    let lo = Infinity,
      hi = -Infinity;
    for (const col of p.columns)
      for (const x of col)
        if (Number.isFinite(x)) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
    if (!(hi >= lo)) {
      lo = 0;
      hi = 1;
    }
    const unit = displayUnit(p.unit, Math.max(Math.abs(lo), Math.abs(hi)));
    let a = lo * unit.scale,
      b = hi * unit.scale;
    if (b - a < 1e-12 * Math.max(1, Math.abs(a))) {
      a -= 1;
      b += 1;
    }
    const pad = (b - a) * 0.05;
    a -= pad;
    b += pad;
    const yOf = (v: number): number => y0 + panelH - ((v * unit.scale - a) / (b - a)) * panelH;
    const every = Math.max(1, Math.ceil(p.steps.length / MAX_POINTS));
    p.columns.forEach((col, c) => {
      const pts: string[] = [];
      for (let r = 0; r < p.steps.length; r += every) pts.push(`${fmt(xOf(p.steps[r]!))},${fmt(yOf(col[r]!))}`);
      const colour = PALETTE[c % PALETTE.length]!;
      out.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="${colour}" stroke-width="1.2"/>`);
      const ly = y0 + 12 + c * 16;
      out.push(`<rect x="${left + pw + 15}" y="${ly - 9}" width="10" height="10" fill="${colour}"/>`);
      out.push(`<text x="${left + pw + 30}" y="${ly}">${esc(p.labels[c]!)}</text>`);
    });
    const more = p.total > p.shown ? ` (first ${p.shown} of ${p.total})` : "";
    out.push(`<text x="${left}" y="${y0 - 8}" font-size="13">${esc(p.title + more)}</text>`);
    out.push(`<line x1="${left}" y1="${y0 + panelH}" x2="${left + pw}" y2="${y0 + panelH}" stroke="black"/>`);
    out.push(`<line x1="${left}" y1="${y0}" x2="${left}" y2="${y0 + panelH}" stroke="black"/>`);
    // y ticks over [a, b] (ticks() covers [0, max], so shift by a round start)
    const span = b - a;
    const step = ticks(span, 6)[1] ?? span;
    for (let v = Math.ceil(a / step) * step; v <= b + 1e-9 * span; v += step) {
      const y = fmt(y0 + panelH - ((v - a) / span) * panelH);
      out.push(
        `<line x1="${left - 5}" x2="${left}" y1="${y}" y2="${y}" stroke="black"/><text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${Number(v.toPrecision(6))}</text>`,
      );
    }
    out.push(
      `<text x="16" y="${y0 + panelH / 2}" text-anchor="middle" transform="rotate(-90 16 ${y0 + panelH / 2})">${esc(`${p.title} (${unit.label})`)}</text>`,
    );
    for (const tv of ticks(durationMs * axis.scale, 8)) {
      const x = fmt(xOf(tv / axis.scale / (result.dt * 1000)));
      out.push(
        `<line x1="${x}" x2="${x}" y1="${y0 + panelH}" y2="${y0 + panelH + 5}" stroke="black"/><text x="${x}" y="${y0 + panelH + 18}" text-anchor="middle">${tv}</text>`,
      );
    }
    out.push(`<text x="${left + pw / 2}" y="${y0 + panelH + 36}" text-anchor="middle">time (${axis.unit})</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
