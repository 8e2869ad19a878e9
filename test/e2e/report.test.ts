// The HTML report opened from disk in Chromium: it loads nothing (no request
// besides the file itself and data: URIs), runs no script even with markup in
// every user-written string, renders its SVG charts and memory map, and
// prints (the app's PDF is printToPDF of the same HTML). Screenshots are kept
// in test-results/screenshots/.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportInputForFile } from '../../cli/report';
import { renderReport, type ReportInput } from '../../core/report/index';
import { hostileInput } from '../report/fixtures';
import { launch } from './browser';

const shots = resolve(__dirname, '../../test-results/screenshots');
/** The seed patch's story under every policy: a real run of an example. */
const example = resolve(__dirname, '../../examples/seed-pte-thp-child-exits.mms');
const dir = mkdtempSync(join(tmpdir(), 'foliolab-report-'));
let context: BrowserContext;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  context = await launch();
});
afterAll(async () => {
  await context?.close();
});

interface Opened {
  page: Page;
  requests: string[];
  problems: string[];
  url: string;
}

async function open(name: string, report: ReportInput, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
  const path = join(dir, name);
  writeFileSync(path, renderReport('html', report));
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  const url = pathToFileURL(path).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, problems, url };
}

function expectNoRequestBeyond(o: Opened) {
  expect(o.requests.filter((u) => u !== o.url && !u.startsWith('data:'))).toEqual([]);
  expect(o.requests).toContain(o.url);
}

describe('HTML report in Chromium', () => {
  it('loads nothing, runs nothing and renders its charts', async () => {
    const report = reportInputForFile(example, undefined, '0.0.0-e2e')!;
    expect(report.runs.map((r) => r.policy)).toEqual(['v6.7', 'v6.9', 'rmapid', 'v6.15']);
    const o = await open('report.html', report);
    expectNoRequestBeyond(o);
    expect(o.problems).toEqual([]);
    // Page-side code as text: the node tsconfig has no DOM types.
    const charts: { width: number; height: number; lines: number; lineWidths: number[] }[] = await o.page.evaluate(`
      [...document.querySelectorAll('svg.chart')].map((s) => {
        const box = s.getBoundingClientRect();
        const lines = [...s.querySelectorAll('polyline')].map((p) => p.getBBox());
        return { width: box.width, height: box.height, lines: lines.length, lineWidths: lines.map((b) => b.width) };
      })`);
    expect(charts).toHaveLength(1 + 4);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(400);
      expect(c.height).toBeGreaterThan(150);
      for (const w of c.lineWidths) expect(w).toBeGreaterThan(300); // each series spans the steps
    }
    // v6.7 and v6.9 use the same memory at every step, as do rmapid and v6.15: one line each pair.
    expect(charts.map((c) => c.lines)).toEqual([2, 2, 2, 2, 2]);
    expect(await o.page.locator('svg.chart').first().textContent()).toContain('v6.7 = v6.9');
    await o.page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
    await o.page.locator('#charts').screenshot({ path: join(shots, 'report-charts.png') });
    // The print stylesheet applies and Chromium prints it (the app's PDF path).
    await o.page.emulateMedia({ media: 'print' });
    expect(await o.page.evaluate(`getComputedStyle(document.querySelector('nav')).display`)).toBe('none');
    const pdf = await o.page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync(join(shots, 'report.pdf'), pdf);
    await o.page.close();
  });

  it('shows markup from the scenario as text and runs no script', async () => {
    const o = await open('hostile.html', hostileInput(), 'dark');
    expectNoRequestBeyond(o);
    expect(o.problems).toEqual([]);
    expect(await o.page.locator('img, script, iframe, object, embed').count()).toBe(0);
    expect(await o.page.locator('h1').textContent()).toContain('<img src=x onerror=alert(1)><script>alert(1)</script>');
    expect(await o.page.title()).toContain('<script>alert(1)</script>');
    // Dark mode follows prefers-color-scheme.
    expect(await o.page.evaluate(`getComputedStyle(document.body).backgroundColor`)).toBe('rgb(22, 25, 29)');
    await o.page.screenshot({ path: join(shots, 'report-hostile-dark.png'), fullPage: true });
    await o.page.close();
  });

  it('draws the final memory map of a single-policy run', async () => {
    const o = await open('single.html', reportInputForFile(example, ['v6.15'], '0.0.0-e2e')!);
    expectNoRequestBeyond(o);
    expect(o.problems).toEqual([]);
    const map: { width: number; height: number; fills: string[] } = await o.page.evaluate(`(() => {
      const s = document.querySelector('svg.memory-map');
      const fills = [...s.querySelectorAll('rect')].map((r) => getComputedStyle(r).fill);
      return { width: s.getBoundingClientRect().width, height: s.getBoundingClientRect().height, fills: [...new Set(fills)] };
    })()`);
    expect(map.width).toBeGreaterThan(300);
    expect(map.height).toBeGreaterThan(40);
    // P0's THP after the reuse: page 5 writable and PageAnonExclusive (green), the other
    // 511 pages read-only, mapped once, not PageAnonExclusive (yellow).
    expect(map.fills.sort()).toEqual(['rgb(212, 177, 6)', 'rgb(46, 157, 82)']);
    await o.page.locator('#memory-map').screenshot({ path: join(shots, 'report-memory-map.png') });
    await o.page.close();
  });
});
