// Browser-side benchmark cases, in Debian's chromium through playwright-core:
// map-draw-1m (memory-map frame at 1,048,576 pages). Appends to bench/results.json.
import { build } from 'esbuild';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const exe = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(exe)) {
  console.log(`map-draw-1m: skipped, no Chromium at ${exe} (apt-get install chromium)`);
  process.exit(0);
}
const bundle = await build({
  entryPoints: [join(root, 'bench/browser-entry.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  target: 'es2022',
  logLevel: 'warning',
});
const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.setContent('<!doctype html><body></body>');
await page.addScriptTag({ content: bundle.outputFiles[0].text });
const times = await page.evaluate(() => globalThis.benchMapDraw(1048576, 15));
await browser.close();

const s = [...times].sort((a, b) => a - b);
const entry = { name: 'map-draw-1m (chromium, fill + putImageData)', unit: 'ms/frame', median: s[s.length >> 1], min: s[0], max: s[s.length - 1], runs: s.length };
console.log(`${entry.name}\t${entry.unit}\t${entry.median.toFixed(2)}\t${entry.min.toFixed(2)}\t${entry.max.toFixed(2)}`);
const file = join(root, 'bench/results.json');
if (existsSync(file)) {
  const results = JSON.parse(readFileSync(file, 'utf8'));
  results.cases = results.cases.filter((c) => !c.name.startsWith('map-draw-1m')).concat(entry);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}
