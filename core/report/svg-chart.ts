// Line charts as inline SVG text: no script, no external resource, readable in
// light and dark mode (text and axes use currentColor) and in print. Inline
// SVG inside HTML needs no xmlns, so the report holds no URL at all.

import { escapeHtml } from './escape';

/** Distinguishable in light and dark mode and in greyscale print (with the widths below). */
export const SERIES_COLOURS = ['#2f6fdb', '#d9480f', '#2b8a3e', '#9c36b5', '#c2255c', '#1098ad'];

export interface ChartLine {
  label: string;
  values: number[];
  colour: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  lines: ChartLine[];
  formatY: (value: number) => string;
  /** Ticks at powers of two (bytes) instead of 1-2-5 steps. */
  binary?: boolean;
  /** Top of the y axis at least this (the same scale across several charts). */
  minYMax?: number;
  /** What happened at each x (a step's statement), shown with the value when hovering a point. */
  xLabels?: string[];
  width?: number;
  height?: number;
}

/** At most this many points per line; longer series keep each bucket's maximum. */
const MAX_POINTS = 1000;

function downsample(values: number[]): { x: number; y: number }[] {
  if (values.length <= MAX_POINTS) return values.map((y, x) => ({ x, y }));
  const per = values.length / MAX_POINTS;
  const out: { x: number; y: number }[] = [];
  for (let b = 0; b < MAX_POINTS; b++) {
    const from = Math.floor(b * per);
    const to = Math.min(values.length, Math.floor((b + 1) * per));
    let y = values[from];
    for (let i = from + 1; i < to; i++) if (values[i] > y) y = values[i];
    out.push({ x: to - 1, y });
  }
  return out;
}

/** A tick step that divides `max` into about four intervals. */
function tickStep(max: number, binary: boolean): number {
  const raw = max / 4;
  if (raw <= 0) return 1;
  if (binary) return 2 ** Math.ceil(Math.log2(raw));
  const mag = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10;
  return Math.max(1, unit * mag);
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

export function lineChart(opts: ChartOptions): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 260;
  const left = 84;
  const right = 16;
  const bottom = 34;
  // Legend rows: about 7 px per character plus the swatch.
  const legend: { line: ChartLine; x: number; y: number }[] = [];
  let lx = left;
  let ly = 32;
  for (const line of opts.lines) {
    const w = 34 + line.label.length * 7 + 16;
    if (lx + w > width - right && lx > left) {
      lx = left;
      ly += 18;
    }
    legend.push({ line, x: lx, y: ly });
    lx += w;
  }
  const top = ly + 16;
  const plotW = width - left - right;
  const plotH = height - top - bottom;

  const n = Math.max(1, ...opts.lines.map((l) => l.values.length));
  const maxY = Math.max(opts.minYMax ?? 0, ...opts.lines.map((l) => l.values.reduce((m, v) => (v > m ? v : m), 0)));
  const step = tickStep(maxY, opts.binary ?? false);
  const yMax = Math.max(step, Math.ceil(maxY / step) * step);
  const xOf = (x: number) => left + (n === 1 ? plotW / 2 : (x / (n - 1)) * plotW);
  const yOf = (y: number) => top + plotH - (y / yMax) * plotH;

  const parts: string[] = [];
  const title = escapeHtml(opts.title);
  parts.push(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<text x="${left}" y="16" class="chart-title" font-size="14" font-weight="600" fill="currentColor">${title}</text>`,
  );
  // Horizontal grid and y labels.
  for (let v = 0; v <= yMax + step / 2; v += step) {
    const y = fmt(yOf(v));
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y}" y2="${y}" stroke="currentColor" stroke-opacity="${v === 0 ? 0.6 : 0.15}"/>`,
      `<text x="${left - 6}" y="${y}" dy="4" text-anchor="end" font-size="11" fill="currentColor">${escapeHtml(opts.formatY(v))}</text>`,
    );
  }
  // X ticks at integer steps, about eight of them.
  const xStep = Math.max(1, Math.ceil(n / 8));
  for (let x = 0; x < n; x += xStep) {
    const px = fmt(xOf(x));
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${top + plotH}" y2="${top + plotH + 4}" stroke="currentColor" stroke-opacity="0.6"/>`,
      `<text x="${px}" y="${top + plotH + 16}" text-anchor="middle" font-size="11" fill="currentColor">${x}</text>`,
    );
  }
  parts.push(`<text x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle" font-size="11" fill="currentColor">step</text>`);
  // Lines: earlier series drawn wider so equal series stay visible underneath.
  opts.lines.forEach((line, i) => {
    const widthPx = Math.max(1.5, 6 - 1.5 * i);
    const points = downsample(line.values);
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    const path = points.map((p) => `${fmt(xOf(p.x))},${fmt(yOf(p.y))}`).join(' ');
    parts.push(
      `<polyline class="series" fill="none" stroke="${line.colour}" stroke-width="${widthPx}" stroke-linejoin="round"${dash} points="${path}"/>`,
    );
    if (points.length <= 40) {
      for (const p of points) {
        const tip = `${line.label}, step ${p.x}${opts.xLabels?.[p.x] ? ` (${opts.xLabels[p.x]})` : ''}: ${opts.formatY(p.y)}`;
        parts.push(`<circle cx="${fmt(xOf(p.x))}" cy="${fmt(yOf(p.y))}" r="${widthPx / 2 + 1.5}" fill="${line.colour}"><title>${escapeHtml(tip)}</title></circle>`);
      }
    }
  });
  for (const { line, x, y } of legend) {
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<line x1="${x}" x2="${x + 26}" y1="${y - 4}" y2="${y - 4}" stroke="${line.colour}" stroke-width="3"${dash}/>`,
      `<text x="${x + 32}" y="${y}" font-size="12" fill="currentColor">${escapeHtml(line.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
