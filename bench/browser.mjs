// Browser-side benchmark cases, in Debian's chromium through playwright-core:
// map-draw-1m (memory-map frame at 1,048,576 pages) and run-to-views (browser
// mode: press Run on cow-reuse-1g until the views show the result). Appends
// to bench/results.json.
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

const entries = [entryOf('map-draw-1m (chromium, fill + putImageData)', 'ms/frame', times)];
const quick = process.argv.includes('--quick');
// The page as it is now: build it every time (an old out/web would measure old code).
const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: join(root, 'vite.web.config.ts'), logLevel: 'warn' });
const FOUR = ['v6.7', 'v6.9', 'rmapid', 'v6.15'];
for (const [policies, view] of [[['v6.15'], 'Memory map'], [FOUR, 'Memory map'], [FOUR, 'Compare']]) {
  const { xs, cold } = await runToViews(policies, quick ? 256 : 1024, view);
  const name = `run-to-views cow-reuse-${quick ? '256m' : '1g'} [${policies.join(' ')}] ${view} (browser mode)`;
  entries.push(entryOf(name, 'ms', xs, `first run after start-up ${cold.toFixed(0)} ms`));
}

for (const e of entries) console.log(`${e.name}\t${e.unit}\t${e.median.toFixed(2)}\t${e.min.toFixed(2)}\t${e.max.toFixed(2)}${e.note ? `\t(${e.note})` : ''}`);
const file = join(root, 'bench/results.json');
if (existsSync(file)) {
  const results = JSON.parse(readFileSync(file, 'utf8'));
  const names = new Set(entries.map((e) => e.name.split(' ')[0]));
  results.cases = results.cases.filter((c) => !names.has(c.name.split(' ')[0])).concat(entries);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}

function entryOf(name, unit, xs, note) {
  const s = [...xs].sort((a, b) => a - b);
  return { name, unit, median: s[s.length >> 1], min: s[0], max: s[s.length - 1], runs: s.length, note };
}

/**
 * Types the scenario into browser mode, then times Run -> the step bar shows
 * the run and `view` has painted it (Compare: its first-difference search is done).
 */
async function runToViews(policies, mb, view) {
  const { startStaticServer } = await import('../scripts/static-server.mjs');
  const scenarios = await build({ entryPoints: [join(root, 'bench/scenarios.ts')], bundle: true, write: false, format: 'esm', logLevel: 'warning' });
  const { cowCase } = await import('data:text/javascript;base64,' + Buffer.from(scenarios.outputFiles[0].text).toString('base64'));
  const source = cowCase(mb * 1024 * 1024, policies.join(' '), false).source;

  const server = await startStaticServer({ root: join(root, 'out/web') });
  const b = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const p = await b.newPage({ viewport: { width: 1400, height: 860 } });
  p.on('dialog', (d) => void d.accept());
  await p.goto(server.url);
  await p.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
  for (const id of ['v6.7', 'v6.9', 'rmapid', 'v6.15', 'ideal']) {
    const box = p.getByRole('checkbox', { name: id, exact: true });
    if ((await box.isChecked()) !== policies.includes(id)) await box.click();
  }
  await p.locator('.monaco-editor .view-lines').click();
  await p.keyboard.press('Control+A');
  await p.keyboard.press('Delete');
  await p.keyboard.insertText(source);
  await p.getByRole('tab', { name: view, exact: true }).click();
  const xs = [];
  // The first run warms up the engines' JIT; it is reported apart.
  for (let i = 0; i < 6; i++) {
    const t = await p.evaluate(() => performance.now());
    await p.getByRole('button', { name: 'Run', exact: true }).click();
    await p.waitForFunction(
      (view) =>
        [...document.querySelectorAll('button')].some((x) => x.textContent.trim() === 'Run' && !x.disabled) &&
        /step \d+\/\d+/.test(document.querySelector('[data-testid=step-label]')?.textContent ?? '') &&
        (view !== 'Compare' || !!document.querySelector('.flv-first-diff')),
      view,
      { timeout: 120_000, polling: 'raf' },
    );
    // One more frame: the views paint what the run produced.
    const done = await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
    xs.push(done - t);
  }
  await b.close();
  await server.close();
  return { cold: xs[0], xs: xs.slice(1) };
}
