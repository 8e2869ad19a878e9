// The final memory map of a single-policy run as a picture: one SVG per VMA,
// a coloured cell per page (per group of pages above MAX_CELLS), runs of equal
// cells merged into one rectangle so even a large map stays a small file.

import { CELL, type StateQuery, type VmaView } from '../mm/api';
import { CELL_STATES, cellState, PINNED, PMD_SHADE, type CellStateId } from './cell-states';
import { escapeHtml } from './escape';
import { formatAddress, formatInt } from './format';
import type { MapImage } from './input';

/** Cells drawn per VMA at most; larger mappings are downsampled. */
export const MAX_CELLS = 4096;

/** Most frequent cell byte of each group of `per` pages. */
function downsampleCells(cells: Uint8Array, per: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(cells.length / per));
  const counts = new Uint32Array(256);
  for (let c = 0; c < out.length; c++) {
    counts.fill(0);
    let best = cells[c * per];
    const end = Math.min(cells.length, (c + 1) * per);
    for (let p = c * per; p < end; p++) if (++counts[cells[p]] > counts[best]) best = cells[p];
    out[c] = best;
  }
  return out;
}

/**
 * One VMA's picture from its page cells (`pageCells` of the whole mapping, as
 * the app gets them from a `cells` query), downsampled above MAX_CELLS.
 */
export function mapImageFromCells(process: string, vma: Pick<VmaView, 'mapping' | 'start' | 'pages'>, cells: Uint8Array): MapImage {
  const per = Math.max(1, Math.ceil(vma.pages / MAX_CELLS));
  return {
    process,
    mapping: vma.mapping,
    start: vma.start,
    pages: vma.pages,
    pagesPerCell: per,
    cells: per === 1 ? cells.slice(0, vma.pages) : downsampleCells(cells.subarray(0, vma.pages), per),
  };
}

/** The pictures of every live process's VMAs in a state (the run's final state). */
export function mapImagesFromState(state: StateQuery): MapImage[] {
  return state
    .processes()
    .filter((p) => p.alive)
    .flatMap((p) => p.vmas.map((vma) => mapImageFromCells(p.name, vma, state.pageCells(p.name, vma.mapping, 0, vma.pages))));
}

/**
 * A report draws pinned pages as a state of their own (the app marks them over
 * their state); PMD-mapped pages in the darker shade, as the app does.
 */
const MAP_STATES = [...CELL_STATES, PINNED];

function mapCellState(cell: number): CellStateId | 'pinned' {
  return cell & CELL.PRESENT && cell & CELL.PINNED ? 'pinned' : cellState(cell);
}

/** The CSS class a cell is drawn with: its state, `-pmd` when PMD-mapped. */
function cellClass(cell: number): string {
  const state = mapCellState(cell);
  return cell & CELL.PRESENT && cell & CELL.PMD_MAPPED ? `ms-${state}-pmd` : `ms-${state}`;
}

function shade(hex: string): string {
  const v = parseInt(hex.slice(1), 16);
  const c = [v >> 16, (v >> 8) & 255, v & 255].map((x) => Math.round(x * PMD_SHADE).toString(16).padStart(2, '0'));
  return `#${c.join('')}`;
}

/** Fill rules for every cell class, light and dark. */
export function memoryMapCss(): string {
  const rules = (scheme: 'light' | 'dark') =>
    MAP_STATES.map((s) => `.ms-${s.id}{fill:${s[scheme]}}.ms-${s.id}-pmd{fill:${shade(s[scheme])}}`).join('');
  return `${rules('light')}\n@media (prefers-color-scheme: dark){${rules('dark')}}\n@media print{${rules('light')}}`;
}

/** Legend entries: each state, and the PMD shade shown on the writable colour. */
export function memoryMapLegend(): { cls: string; label: string }[] {
  return [
    ...MAP_STATES.map((s) => ({ cls: `ms-${s.id}`, label: s.label })),
    { cls: 'ms-writable-pmd', label: 'darker: PMD-mapped' },
  ];
}

const COLUMNS = 64;
const SIZE = 6;

/** Mappings drawn at most; a report of a run with more says how many were left out. */
export const MAX_MAP_IMAGES = 64;

/** `P0 A at 0x10000000: 512 pages (one cell = 4 pages)` */
export function mapImageCaption(image: MapImage): string {
  return `${image.process} ${image.mapping} at ${formatAddress(image.start)}: ${formatInt(image.pages)} pages` +
    (image.pagesPerCell > 1 ? ` (one cell = ${formatInt(image.pagesPerCell)} pages)` : '');
}

/** One VMA's cells as an inline SVG (no xmlns needed inside HTML). */
export function mapImageSvg(image: MapImage): string {
  const rows = Math.max(1, Math.ceil(image.cells.length / COLUMNS));
  const width = COLUMNS * SIZE;
  const height = rows * SIZE;
  const label = mapImageCaption(image);
  const parts = [
    `<svg class="memory-map" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(label)}">`,
    `<title>${escapeHtml(label)}</title>`,
  ];
  for (let r = 0; r < rows; r++) {
    let c = 0;
    while (c < COLUMNS && r * COLUMNS + c < image.cells.length) {
      const cls = cellClass(image.cells[r * COLUMNS + c]);
      let end = c + 1;
      while (end < COLUMNS && r * COLUMNS + end < image.cells.length && cellClass(image.cells[r * COLUMNS + end]) === cls) end++;
      parts.push(`<rect class="${cls}" x="${c * SIZE}" y="${r * SIZE}" width="${(end - c) * SIZE}" height="${SIZE - 1}"/>`);
      c = end;
    }
  }
  parts.push('</svg>');
  return parts.join('');
}
