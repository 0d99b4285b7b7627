// An SVG raster plot of spikes, written as text (no dependencies). In: a RunResult (spikes of the
// monitored populations) and optionally the populations' declaration order; out: an SVG document: x = time
// (ms, or s past 2 s), y = neuron (populations stacked in declaration order from the top, each in its own
// colour, with its own index ticks starting at 0), with axes, ticks and a legend.

import type { RunResult } from "../target.js";

const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#7f7f7f",
  "#bcbd22",
];

export interface RasterOptions {
  width?: number;
  height?: number;
  title?: string;
  /** Most spikes drawn; beyond it every m-th spike is drawn (the title says so). */
  maxSpikes?: number;
  /** Population names in declaration order (the first is drawn at the top); others follow by name. */
  order?: readonly string[];
}

/** The time axis: milliseconds up to 2 s, seconds beyond. */
export function timeAxis(durationMs: number): { unit: "ms" | "s"; scale: number } {
  return durationMs > 2000 ? { unit: "s", scale: 1e-3 } : { unit: "ms", scale: 1 };
}

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (x: number): string => String(Number(x.toFixed(2)));

/** Up to ~`count` round tick values covering [0, max]. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9 * max; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function rasterSvg(result: RunResult, options: RasterOptions = {}): string {
  const W = options.width ?? 900,
    H = options.height ?? 500;
  const left = 70,
    right = 150,
    top = 40,
    bottom = 50;
  const pw = W - left - right,
    ph = H - top - bottom;
  const known = (options.order ?? []).filter((nm) => result.spikes[nm] !== undefined);
  const names = [
    ...known,
    ...Object.keys(result.spikes)
      .filter((nm) => !known.includes(nm))
      .sort(),
  ];
  const sizes = names.map((nm) => result.populations[nm]?.n ?? 0);
  const totalN = Math.max(
    1,
    sizes.reduce((a, b) => a + b, 0),
  );
  const durationMs = result.steps * result.dt * 1000;
  const nSpikes = names.reduce((a, nm) => a + result.spikes[nm]!.steps.length, 0);
  const every = Math.max(1, Math.ceil(nSpikes / (options.maxSpikes ?? 200000)));
  const xOf = (ms: number): number => left + (durationMs > 0 ? (ms / durationMs) * pw : 0);
  // row r counted from the top: the first population's element 0 is the top row
  const yOf = (row: number): number => top + ((row + 0.5) / totalN) * ph;
  const dotH = Math.max(0.6, Math.min(3, ph / totalN));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  const title = (options.title ?? "Spike raster") + (every > 1 ? ` (every ${every}th spike shown)` : "");
  out.push(`<text x="${left + pw / 2}" y="${top - 15}" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  let offset = 0;
  names.forEach((nm, p) => {
    const colour = PALETTE[p % PALETTE.length]!;
    const s = result.spikes[nm]!;
    const parts: string[] = [];
    for (let x = 0; x < s.steps.length; x += every) {
      parts.push(
        `M${fmt(xOf(s.steps[x]! * result.dt * 1000))} ${fmt(yOf(offset + s.indices[x]!) - dotH / 2)}v${fmt(dotH)}`,
      );
    }
    out.push(
      `<path d="${parts.join("")}" stroke="${colour}" stroke-width="1" fill="none"><title>${esc(nm)}</title></path>`,
    );
    const ly = top + 10 + p * 18;
    out.push(`<rect x="${left + pw + 15}" y="${ly - 9}" width="10" height="10" fill="${colour}"/>`);
    out.push(`<text x="${left + pw + 30}" y="${ly}">${esc(nm)} (${sizes[p]})</text>`);
    // the population's own index ticks (0 at its top row), as many as its band has room for
    const bandH = (sizes[p]! / totalN) * ph;
    const count = Math.max(1, Math.min(5, Math.floor(bandH / 28)));
    for (const tv of ticks(Math.max(0, sizes[p]! - 1), count)) {
      const y = fmt(yOf(offset + tv));
      out.push(
        `<line x1="${left - 5}" x2="${left}" y1="${y}" y2="${y}" stroke="${colour}"/><text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="${colour}">${tv}</text>`,
      );
      if (bandH < 28) break;
    }
    offset += sizes[p]!;
    if (p < names.length - 1)
      out.push(
        `<line x1="${left}" x2="${left + pw}" y1="${fmt(yOf(offset - 0.5))}" y2="${fmt(yOf(offset - 0.5))}" stroke="#ccc"/>`,
      );
  });
  // axes
  out.push(`<line x1="${left}" y1="${top + ph}" x2="${left + pw}" y2="${top + ph}" stroke="black"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="black"/>`);
  const axis = timeAxis(durationMs);
  for (const tv of ticks(durationMs * axis.scale, 8)) {
    const x = fmt(xOf(tv / axis.scale));
    out.push(
      `<line x1="${x}" x2="${x}" y1="${top + ph}" y2="${top + ph + 5}" stroke="black"/><text x="${x}" y="${top + ph + 18}" text-anchor="middle">${tv}</text>`,
    );
  }
  out.push(`<text x="${left + pw / 2}" y="${H - 12}" text-anchor="middle">time (${axis.unit})</text>`);
  out.push(
    `<text x="18" y="${top + ph / 2}" text-anchor="middle" transform="rotate(-90 18 ${top + ph / 2})">neuron index (per population)</text>`,
  );
  out.push("</svg>");
  return out.join("\n") + "\n";
}
