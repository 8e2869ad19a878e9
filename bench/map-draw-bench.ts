// Micro benchmark of the memory map's drawing step, for the bench suite
// (issue 6, case map-draw-1m: run in Chromium) and for the figure in Node.
// It draws a mapping of `pages` pages, zoomed out to one pixel per page, into
// a square-ish buffer: the same work a full redraw does before putImageData.

import { CELL } from '../core/mm/api';
import { buildLut, defaultColours } from '../renderer/src/views/common/palette';
import { drawMap, type MapView } from '../renderer/src/views/map-draw';

/** A plausible mix: PMD-mapped THPs, PTE-mapped THPs shared after fork, small folios, holes. */
export function sampleCells(pages: number): Uint8Array {
  const cells = new Uint8Array(pages);
  for (let p = 0; p < pages; p++) {
    const thp = Math.floor(p / 512) % 4;
    const head = p % 512 === 0 ? CELL.FOLIO_HEAD : 0;
    if (thp === 0) cells[p] = CELL.PRESENT | CELL.WRITABLE | CELL.ANON_EXCLUSIVE | CELL.PMD_MAPPED | head;
    else if (thp === 1) cells[p] = CELL.PRESENT | CELL.SHARED | head;
    else if (thp === 2) cells[p] = p % 7 === 0 ? 0 : CELL.PRESENT | CELL.WRITABLE | CELL.ANON_EXCLUSIVE | CELL.FOLIO_HEAD;
    else cells[p] = p % 3 === 0 ? CELL.SWAPPED : CELL.PRESENT | CELL.ANON_EXCLUSIVE | CELL.FOLIO_HEAD;
  }
  return cells;
}

export function measureMapDraw(pages: number, frames = 30): { msPerFrame: number } {
  const cols = 2 ** Math.ceil(Math.log2(Math.sqrt(pages)));
  const view: MapView = { cols, cellPx: 1, firstRow: 0, width: cols, height: Math.ceil(pages / cols) };
  const out = new Uint32Array(view.width * view.height);
  const cells = sampleCells(pages);
  const lut = buildLut(defaultColours('light'));
  drawMap(out, view, cells, 0, pages, lut); // warm-up (JIT)
  const t0 = performance.now();
  for (let f = 0; f < frames; f++) drawMap(out, view, cells, 0, pages, lut, f % pages);
  return { msPerFrame: (performance.now() - t0) / frames };
}
