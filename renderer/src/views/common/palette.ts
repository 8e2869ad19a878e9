// The memory map's colours, used both to build the canvas lookup table and to
// draw the legend. Which page state gets which colour is core/report/cell-states.ts.
// Every colour is a CSS variable (`--flv-cell-<id>`) with a light and a dark
// default, so a theme can override it and the map follows.

import { CELL } from '../../../../core/mm/api';
import { CELL_STATES, cellState, PINNED, PMD_SHADE, type CellStateId, type PaletteEntry } from '../../../../core/report/cell-states';

// The page states, their colours and cellState are shared with the report's map.
export { CELL_STATES, cellState, PMD_SHADE, type CellStateId, type PaletteEntry };

export type Rgb = readonly [number, number, number];

/** Colours that are not a page state but marks drawn on top of one. */
export type MarkId = 'pinned' | 'boundary' | 'background' | 'highlight';

export const MARKS: readonly PaletteEntry<MarkId>[] = [
  PINNED,
  { id: 'boundary', label: 'folio boundary', light: '#1f2124', dark: '#f1f3f4' },
  { id: 'background', label: 'background', light: '#ffffff', dark: '#1b1c1f' },
  { id: 'highlight', label: 'selected page', light: '#0b57d0', dark: '#8ab4f8' },
];

/** Below BIG_CELL_PX a boundary line does not fit: a folio's head page is drawn a little darker instead. */
export const HEAD_SHADE = 0.84;
export const BIG_CELL_PX = 4;

export function cssVar(id: string): string {
  return `--flv-cell-${id}`;
}

/** The CSS value of a palette colour: the theme's variable, else the built-in light/dark pair. */
export function cssColour(entry: PaletteEntry<string>): string {
  return `var(${cssVar(entry.id)}, light-dark(${entry.light}, ${entry.dark}))`;
}

const BIT_NAMES: [number, string][] = [
  [CELL.PRESENT, 'present'],
  [CELL.WRITABLE, 'writable'],
  [CELL.ANON_EXCLUSIVE, 'PageAnonExclusive'],
  [CELL.PMD_MAPPED, 'PMD-mapped'],
  [CELL.SWAPPED, 'swapped'],
  [CELL.SHARED, 'shared with another mm'],
  [CELL.FOLIO_HEAD, 'folio head'],
  [CELL.PINNED, 'pinned'],
];

/** Every bit of a cell in words, for tooltips: "present, writable, PageAnonExclusive". */
export function describeCell(cell: number): string {
  const names = BIT_NAMES.filter(([bit]) => cell & bit).map(([, name]) => name);
  return names.length > 0 ? names.join(', ') : 'not present';
}

export function parseCssColour(text: string): Rgb | null {
  const s = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(s);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(s);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])].map((v) => Math.round(v)) as unknown as Rgb;
  return null;
}

export type PaletteColours = Record<CellStateId | MarkId, Rgb>;

/** The built-in colours of one scheme (used when the page's computed colours cannot be read). */
export function defaultColours(scheme: 'light' | 'dark'): PaletteColours {
  const out = {} as Record<string, Rgb>;
  for (const e of [...CELL_STATES, ...MARKS]) out[e.id] = parseCssColour(e[scheme]) as Rgb;
  return out as PaletteColours;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** One RGBA pixel as the Uint32 an ImageData's buffer holds on this machine. */
export function packPixel([r, g, b]: Rgb): number {
  return LITTLE_ENDIAN ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

function shade([r, g, b]: Rgb, f: number): Rgb {
  return [Math.round(r * f), Math.round(g * f), Math.round(b * f)];
}

/** Lookup tables from a cell byte to a pixel, built once per theme. */
export interface MapLut {
  /** Cells of BIG_CELL_PX and more: state colour, PMD shade. */
  fill: Uint32Array;
  /** Smaller cells: also folio heads shaded and pinned pages in the pinned colour. */
  fillSmall: Uint32Array;
  /** Inner mark of a big cell (pinned), 0 = none. */
  mark: Uint32Array;
  boundary: number;
  background: number;
  highlight: number;
}

export function buildLut(colours: PaletteColours): MapLut {
  const fill = new Uint32Array(256);
  const fillSmall = new Uint32Array(256);
  const mark = new Uint32Array(256);
  const pinned = packPixel(colours.pinned);
  for (let cell = 0; cell < 256; cell++) {
    let rgb = colours[cellState(cell)];
    if (cell & CELL.PMD_MAPPED) rgb = shade(rgb, PMD_SHADE);
    fill[cell] = packPixel(rgb);
    const pin = (cell & CELL.PINNED) !== 0;
    fillSmall[cell] = pin ? pinned : packPixel(cell & CELL.FOLIO_HEAD ? shade(rgb, HEAD_SHADE) : rgb);
    mark[cell] = pin ? pinned : 0;
  }
  return {
    fill,
    fillSmall,
    mark,
    boundary: packPixel(colours.boundary),
    background: packPixel(colours.background),
    highlight: packPixel(colours.highlight),
  };
}

/** One line colour per policy in charts: mid tones that read on light and dark backgrounds. */
export const POLICY_COLOURS: Record<string, string> = {
  'v6.7': '#e8710a',
  'v6.9': '#1a73e8',
  rmapid: '#d01884',
  'v6.15': '#1e8e3e',
  ideal: '#9334e6',
};

/** The CSS colour of a page state (for views that reuse the map's colours, e.g. bit strips). */
export function stateCss(id: CellStateId): string {
  return cssColour(CELL_STATES.find((e) => e.id === id)!);
}
