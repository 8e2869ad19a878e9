// The memory map's pure drawing step: page cells (one byte of CELL bits per
// page) to pixels in a Uint32Array over an ImageData's buffer. No DOM, no
// canvas, so it is unit-tested and benchmarked in Node; the component only
// wraps the buffer in an ImageData and calls putImageData.
//
// Layout: pages run left to right in rows of `cols` pages; row `firstRow` is
// at the top. A cell is `cellPx` x `cellPx` pixels. From BIG_CELL_PX up a cell
// keeps a 1-pixel gap on its right and bottom, a folio's first page gets a
// boundary line on its left edge and a pinned page an inner square; smaller
// cells use the `fillSmall` table, which encodes heads and pins in the colour.

import { CELL } from '../../../core/mm/api';
import { BIG_CELL_PX, type MapLut } from './common/palette';

export interface MapView {
  /** Pages per row. */
  cols: number;
  /** Side of one cell in pixels (integer >= 1). */
  cellPx: number;
  /** Row drawn at the top. */
  firstRow: number;
  /** Pixel buffer size. */
  width: number;
  height: number;
}

/** The page under pixel (x, y), or -1 outside the mapping. */
export function pageAt(view: MapView, totalPages: number, x: number, y: number): number {
  const col = Math.floor(x / view.cellPx);
  if (x < 0 || y < 0 || col >= view.cols) return -1;
  const page = (view.firstRow + Math.floor(y / view.cellPx)) * view.cols + col;
  return page < totalPages ? page : -1;
}

/** Pages [from, to) that are visible, to fetch their cells. */
export function visiblePages(view: MapView, totalPages: number): { from: number; to: number } {
  const rows = Math.ceil(view.height / view.cellPx);
  const from = Math.min(totalPages, view.firstRow * view.cols);
  return { from, to: Math.min(totalPages, from + rows * view.cols) };
}

/**
 * Draws pages into `out` (width*height pixels). `cells[i]` is page
 * `cellsFrom + i`; visible pages outside that window (not fetched yet) and
 * space past the mapping's end get the background. `selected` (a page index,
 * -1 = none) is outlined in the highlight colour.
 */
export function drawMap(
  out: Uint32Array,
  view: MapView,
  cells: Uint8Array,
  cellsFrom: number,
  totalPages: number,
  lut: MapLut,
  selected = -1,
): void {
  const { cols, cellPx, firstRow, width, height } = view;
  const bg = lut.background;
  const big = cellPx >= BIG_CELL_PX;
  const table = big ? lut.fill : lut.fillSmall;
  const drawCols = Math.min(cols, Math.floor(width / cellPx));
  const cellsTo = cellsFrom + cells.length;
  // Inner mark rows/columns [q, cellPx - 1 - q) of a big cell.
  const q = Math.max(1, Math.floor(cellPx / 3));
  const HEAD = CELL.FOLIO_HEAD;

  // Each pixel is written once where possible (no clearing pass first): a full redraw is one pass.
  let y0 = 0;
  for (let row = firstRow; y0 < height; y0 += cellPx, row++) {
    const rowStart = row * cols;
    if (rowStart >= totalPages) break;
    const line = y0 * width;
    const lineEnd = line + width;
    const rows = Math.min(cellPx, height - y0);
    const first = Math.max(rowStart, cellsFrom);
    const last = Math.min(rowStart + drawCols, totalPages, cellsTo);
    if (first >= last) {
      out.fill(bg, line, line + rows * width);
      continue;
    }
    const x0 = (first - rowStart) * cellPx;
    out.fill(bg, line, line + x0);
    if (!big) {
      let o = line + x0;
      if (cellPx === 1) {
        // The hot loop of a zoomed-out million-page map: one lookup per pixel.
        for (let i = first - cellsFrom, end = last - cellsFrom; i < end; i++) out[o++] = table[cells[i]];
      } else {
        for (let i = first - cellsFrom, end = last - cellsFrom; i < end; i++) {
          const colour = table[cells[i]];
          for (let k = 0; k < cellPx; k++) out[o++] = colour;
        }
      }
      out.fill(bg, o, lineEnd);
      for (let dy = 1; dy < rows; dy++) out.copyWithin(line + dy * width, line, lineEnd);
      continue;
    }
    let marks = false;
    let o = line + x0;
    for (let p = first; p < last; p++, o += cellPx) {
      const cell = cells[p - cellsFrom];
      const colour = table[cell];
      for (let k = 0; k < cellPx - 1; k++) out[o + k] = colour;
      out[o + cellPx - 1] = bg; // the gap on the right
      if (cell & HEAD) out[o] = lut.boundary;
      if (lut.mark[cell] !== 0) marks = true;
    }
    out.fill(bg, o, lineEnd);
    const filled = Math.min(cellPx - 1, rows);
    for (let dy = 1; dy < filled; dy++) out.copyWithin(line + dy * width, line, lineEnd);
    if (rows === cellPx) out.fill(bg, line + (cellPx - 1) * width, line + cellPx * width); // the gap below
    if (marks) {
      for (let p = first, x = x0; p < last; p++, x += cellPx) {
        const mark = lut.mark[cells[p - cellsFrom]];
        if (mark === 0) continue;
        for (let dy = q; dy < Math.min(cellPx - 1 - q, filled); dy++) {
          out.fill(mark, line + dy * width + x + q, line + dy * width + x + cellPx - 1 - q);
        }
      }
    }
  }
  out.fill(bg, Math.min(y0, height) * width); // below the mapping's end
  if (selected >= 0 && selected < totalPages) outlinePage(out, view, selected, lut.highlight);
}

/** A 1-pixel rectangle around the page's cell (outside it when cells are small). */
function outlinePage(out: Uint32Array, view: MapView, page: number, colour: number): void {
  const { cols, cellPx, firstRow, width, height } = view;
  const row = Math.floor(page / cols) - firstRow;
  const col = page % cols;
  const grow = cellPx >= BIG_CELL_PX ? 0 : 1;
  const x0 = col * cellPx - grow;
  const y0 = row * cellPx - grow;
  const x1 = col * cellPx + cellPx - 1 + grow - (cellPx >= BIG_CELL_PX ? 1 : 0);
  const y1 = row * cellPx + cellPx - 1 + grow - (cellPx >= BIG_CELL_PX ? 1 : 0);
  const put = (x: number, y: number): void => {
    if (x >= 0 && y >= 0 && x < width && y < height) out[y * width + x] = colour;
  };
  for (let x = x0; x <= x1; x++) {
    put(x, y0);
    put(x, y1);
  }
  for (let y = y0; y <= y1; y++) {
    put(x0, y);
    put(x1, y);
  }
}
