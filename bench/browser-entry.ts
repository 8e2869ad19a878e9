// Bundled for Chromium by bench/browser.mjs: the memory map's full frame
// (pixel fill + putImageData on a canvas) at 1,048,576 pages.
import { buildLut, defaultColours } from '../renderer/src/views/common/palette';
import { drawMap, type MapView } from '../renderer/src/views/map-draw';
import { sampleCells } from './map-draw-bench';

function frames(pages: number, n: number): number[] {
  const cols = 2 ** Math.ceil(Math.log2(Math.sqrt(pages)));
  const view: MapView = { cols, cellPx: 1, firstRow: 0, width: cols, height: Math.ceil(pages / cols) };
  const canvas = document.createElement('canvas');
  canvas.width = view.width;
  canvas.height = view.height;
  document.body.appendChild(canvas);
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(view.width, view.height);
  const out = new Uint32Array(image.data.buffer);
  const cells = sampleCells(pages);
  const lut = buildLut(defaultColours('light'));
  const times: number[] = [];
  for (let f = 0; f <= n; f++) {
    const t = performance.now();
    drawMap(out, view, cells, 0, pages, lut, f);
    ctx.putImageData(image, 0, 0);
    ctx.getImageData(0, 0, 1, 1); // forces the raster to finish before the clock stops
    if (f > 0) times.push(performance.now() - t); // frame 0 warms the JIT up
  }
  return times;
}

(globalThis as { benchMapDraw?: typeof frames }).benchMapDraw = frames;
