// The workbench in browser mode, end to end, in Debian's chromium: one page
// goes through what a user does, in order. Screenshots of every main view go
// to test-results/screenshots/ (looked at by eye; kept as artefacts).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, normalise, recordRequests } from './browser';

const SHOTS = resolve(__dirname, '../../test-results/screenshots');
const baseUrl = inject('baseUrl');

let context: BrowserContext;
let page: Page;
let requests: string[];
const consoleErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: resolve(SHOTS, `${name}.png`) });
const button = (name: string) => page.getByRole('button', { name, exact: true });
const tab = (name: string) => page.getByRole('tab', { name, exact: true });
const stepLabel = () => page.getByTestId('step-label').innerText();
const editorText = async () => normalise(await page.locator('.monaco-editor .view-lines').innerText());

// The page functions below run in the browser (the app's CSP forbids string eval);
// this file is type-checked without the DOM library.
declare const document: any, localStorage: { [key: string]: string }, performance: { now(): number }, requestAnimationFrame: (f: () => void) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Run is enabled again and the step bar shows a run. */
const runDone = () =>
  [...document.querySelectorAll('button')].some((b: { textContent: string; disabled: boolean }) => b.textContent.trim() === 'Run' && !b.disabled) &&
  /step \d+\/\d+/.test(document.querySelector('[data-testid=step-label]')?.textContent ?? '');

/** Replaces the editor's text as a user would: select all, then type (insertText: no auto-closing). */
async function setEditorText(text: string) {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function runAndWait() {
  await button('Run').click();
  await page.waitForFunction(runDone);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  context = await launch();
  page = await context.newPage();
  requests = recordRequests(page);
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('dialog', (d) => void d.accept()); // "discard unsaved changes?" when loading an example
});

afterAll(async () => {
  await context?.close();
});

describe('workbench (browser mode)', () => {
  it('opens ready for input, in browser mode, with the story loaded', async () => {
    const t0 = Date.now();
    await page.goto(baseUrl);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 20_000 });
    const sinceNavigation = await page.evaluate(() => performance.now());
    console.log(`time to ready: ${Date.now() - t0} ms from goto, ~${Math.round(sinceNavigation)} ms from navigation start`);
    expect(await page.getByTestId('mode').innerText()).toContain('browser');
    expect(await page.getByTestId('engine-state').innerText()).toContain('ready');
    expect(await editorText()).toContain('scenario "pte-mapped THP reuse after child exit"');
    // A checkbox per policy, named by its id.
    for (const id of ['v6.7', 'v6.9', 'rmapid', 'v6.15']) expect(await page.getByRole('checkbox', { name: id, exact: true }).isChecked()).toBe(true);
    await page.waitForSelector('.monaco-editor .mtk1'); // tokenized
    await shot('01-start');
  });

  it('shows a diagnostic for a scenario with an error, and clears it when fixed', async () => {
    await setEditorText('scenario "e2e: fork, write, compare"\nP0: mmap A 64K\nP0: write A\nP0: fork P1\nP1: write A[0..4]\nP0: write A[8]\n');
    await page.keyboard.type('P0: madvise A hugepages');
    const problems = page.getByTestId('problems');
    await expect.poll(() => problems.innerText().catch(() => ''), { timeout: 3000 }).toMatch(/:7:\d+.*error.*hugepages/s);
    await page.waitForSelector('.monaco-editor .squiggly-error');
    await shot('02-diagnostic');
    await page.keyboard.press('Backspace'); // "hugepages" -> "hugepage"
    await expect.poll(() => problems.count(), { timeout: 3000 }).toBe(0);
    expect(await page.locator('.monaco-editor .squiggly-error').count()).toBe(0);
  });

  it('completes operations and explains them on hover', async () => {
    await page.keyboard.press('Enter');
    await page.keyboard.type('P1: mpro');
    const suggest = page.locator('.monaco-editor .suggest-widget.visible');
    await expect.poll(() => suggest.innerText().catch(() => ''), { timeout: 3000 }).toContain('mprotect');
    await page.keyboard.press('Escape');
    // Take the line out again: the scenario stays as it was.
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.locator('.monaco-editor .view-line span', { hasText: /^fork$/ }).hover();
    const hover = page.locator('.monaco-editor .monaco-hover:visible').first();
    await expect.poll(() => hover.innerText().catch(() => ''), { timeout: 3000 }).toMatch(/fork/);
    await shot('02b-hover');
    await page.mouse.move(0, 0);
  });

  it('formats the document with Shift+Alt+F', async () => {
    await page.locator('.monaco-editor .view-line span', { hasText: /^fork$/ }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('     #   the child');
    await page.keyboard.press('Home');
    await page.keyboard.type('   ');
    expect(await editorText()).toContain('   P0: fork P1     #   the child');
    await page.keyboard.press('Shift+Alt+F');
    await expect.poll(editorText).not.toContain('   P0: fork P1     #');
    expect(await editorText()).toMatch(/^P0: fork P1 +# {3}the child$/m);
    expect(await editorText()).toContain('P0: madvise A hugepage');
  });

  it('runs it and shows the memory map', async () => {
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\nexpect violations == 0\nexpect P1.cow_copies == 4\nexpect P0 A[8].order == 0 for v6.7 v6.9\n');
    const t0 = Date.now();
    await button('Run').click();
    await page.waitForSelector('[data-view="memory"] canvas', { timeout: 15_000 });
    await page.waitForFunction(runDone);
    console.log(`Run to views: ${Date.now() - t0} ms; ${await page.getByTestId('run-time').innerText()}`);
    expect(await stepLabel()).toMatch(/^step 5\/5: P0: madvise A hugepage/);
    expect(await page.getByTestId('counters').innerText()).toMatch(/pgfault \d+/);
    await shot('03-memory-map');
  });

  it('steps through the run with every view following', async () => {
    await button('First step').click();
    expect(await stepLabel()).toMatch(/^before step 0/);
    expect(await button('Step back').isDisabled()).toBe(true);
    await button('Step forward').click();
    await button('Step forward').click();
    expect(await stepLabel()).toMatch(/^step 1\/5: P0: write A/);
    await button('Step back').click();
    expect(await stepLabel()).toMatch(/^step 0\/5: P0: mmap A/);
    // The editor marks the step's line.
    await page.waitForSelector('.monaco-editor .step-line');
    await page.getByRole('slider', { name: 'Step' }).fill('3');
    expect(await stepLabel()).toMatch(/^step 3\/5: P1: write A\[0\.\.4\]/);
    await button('Last step').click();
    expect(await stepLabel()).toMatch(/^step 5\/5/);
    expect(await button('Step forward').isDisabled()).toBe(true);
  });

  it('opens the page inspector on a page of the memory map', async () => {
    const canvas = page.locator('[data-view="memory"] canvas').first();
    await canvas.click({ position: { x: 40, y: 12 } }); // page 1 at the default zoom
    await expect.poll(() => tab('Page inspector').getAttribute('aria-selected'), { timeout: 3000 }).toBe('true');
    await expect.poll(() => page.locator('[data-view="inspector"]').innerText(), { timeout: 5000 }).toMatch(/PTE|pte/);
    await shot('04-page-inspector');
  });

  it('shows the folios, the trace and the expectations', async () => {
    for (const [name, view] of [
      ['Folios', 'folios'],
      ['Trace', 'trace'],
      ['Expectations', 'expectations'],
    ] as const) {
      await tab(name).click();
      const panel = page.locator(`[data-view="${view}"]`);
      await expect.poll(() => panel.innerText(), { timeout: 5000 }).not.toMatch(/^\s*$/);
      await page.waitForTimeout(150); // let canvases and lists settle for the picture
      await shot(`05-${view}`);
    }
  });

  it('compares the policies side by side', async () => {
    await tab('Compare').click();
    const panel = page.locator('[data-view="compare"]');
    for (const id of ['v6.7', 'v6.9', 'rmapid', 'v6.15']) await expect.poll(() => panel.innerText(), { timeout: 5000 }).toContain(id);
    await page.waitForTimeout(150);
    await shot('06-compare');
  });

  it('exports a report of the run as a download', async () => {
    await page.getByRole('button', { name: 'Export Report' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'HTML' }).click()]);
    expect(download.suggestedFilename()).toMatch(/-report\.html$/);
    const html = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
    expect(html).toContain('e2e: fork, write, compare');
    for (const id of ['v6.7', 'v6.9', 'rmapid', 'v6.15']) expect(html).toContain(id);
  });

  it('opens an example from the library', async () => {
    await page.getByRole('button', { name: 'Examples' }).click();
    const items = page.getByRole('menuitem');
    expect(await items.count()).toBeGreaterThan(0);
    const title = (await items.first().innerText()).trim();
    await items.first().click();
    await expect.poll(editorText).not.toContain('e2e: fork, write, compare');
    await runAndWait();
    expect(await page.getByTestId('banner').count()).toBe(0);
    console.log(`example opened and run: ${title}`);
  });

  it('stops a long run within 200 ms and runs again', async () => {
    await setEditorText('scenario "long"\nmemory 8G\nP0: mmap A 4G\nP0: write A\nP0: fork P1\nP1: write A\nP0: write A\n');
    await button('Run').click();
    await expect.poll(() => page.getByTestId('engine-state').innerText()).toContain('running');
    await page.waitForTimeout(300); // well into the run
    // Click Stop and time, inside the page, until Run is enabled again.
    const stopMs = await page.evaluate(
      () =>
        new Promise<number>((done) => {
          const find = (name: string) => [...document.querySelectorAll('button')].find((b: { textContent: string }) => b.textContent.trim() === name);
          const t0 = performance.now();
          find('Stop').click();
          const check = () => (find('Run').disabled ? requestAnimationFrame(check) : done(performance.now() - t0));
          check();
        }),
    );
    const t1 = Date.now();
    await expect.poll(() => page.getByTestId('engine-state').innerText(), { interval: 10 }).toContain('ready');
    console.log(`Stop: Run enabled after ${stopMs.toFixed(1)} ms, new engine ready after ~${Date.now() - t1 + stopMs | 0} ms`);
    expect(stopMs).toBeLessThan(200);
    expect(await page.getByTestId('banner').innerText()).toMatch(/stopped/i);
    // The scenario text is intact and the restarted engine takes the next run.
    expect(await editorText()).toContain('P0: mmap A 4G');
    await setEditorText('P0: mmap A 16K\nP0: write A\n');
    await runAndWait();
    expect(await stepLabel()).toMatch(/^step 1\/1/);
  });

  it('a run over its step budget stops early and says so; raising the budget lets it finish', async () => {
    await page.getByRole('button', { name: 'Budget' }).click();
    const maxSteps = page.getByLabel('Max steps');
    const before = await maxSteps.inputValue();
    await maxSteps.fill('1');
    await maxSteps.press('Tab');
    await setEditorText('P0: mmap A 16K\nP0: write A\nP0: fork P1\n');
    await runAndWait();
    await expect.poll(() => page.getByTestId('banner').innerText()).toMatch(/step budget of 1 exhausted/);
    await page.getByRole('button', { name: 'Budget' }).click();
    await maxSteps.fill(before);
    await maxSteps.press('Tab');
    await runAndWait();
    expect(await page.getByTestId('banner').count()).toBe(0);
    expect(await stepLabel()).toMatch(/^step 2\/2/);
  });

  it('follows a dark colour scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await tab('Memory map').click();
    await page.waitForTimeout(200);
    await shot('07-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('offers unsaved work back after the page is lost', async () => {
    await setEditorText('scenario "unsaved work"\nP0: mmap A 8K\n');
    // The journal is written every 3 s; then the tab "crashes" (reload without saving).
    await expect
      .poll(() => page.evaluate(() => JSON.stringify(Object.entries(localStorage))), { timeout: 6000, interval: 250 })
      .toContain('unsaved work');
    page.removeAllListeners('dialog');
    page.on('dialog', (d) => void d.accept()); // beforeunload: leave anyway
    await page.reload();
    await page.waitForSelector('[data-app-state="ready"]');
    const offer = page.getByTestId('restore-offer');
    await expect.poll(() => offer.innerText()).toMatch(/Unsaved changes to .* were found/);
    await offer.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(editorText).toContain('scenario "unsaved work"');
    expect(await page.getByTestId('restore-offer').count()).toBe(0);
  });

  it('never leaves 127.0.0.1 and logs no errors', () => {
    const origin = new URL(baseUrl).origin;
    const outside = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
    expect(requests.length).toBeGreaterThan(3);
    expect(consoleErrors).toEqual([]);
  });
});
