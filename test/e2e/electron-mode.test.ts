// The renderer's Electron path, in Chromium without Electron: an init script
// plays preload (window.foliolab) and main (a MessagePort to the real engine
// worker, relayed as the utility process would be). Checks the port handshake
// with the nonce, runs over the port, Stop handing over a new port, menu
// commands, the initial file and the journal going to the host.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, normalise } from './browser';

const baseUrl = inject('baseUrl');
const workerFile = readdirSync(resolve(__dirname, '../../out/web/assets')).find((f) => /^engine\.worker-.*\.js$/.test(f));

let context: BrowserContext;
let page: Page;

// Runs in the page before the app (this file is type-checked without the DOM library).
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
function fakeHost(workerUrl: string) {
  const host = (window.__host = {
    ports: 0,
    restarts: 0,
    journal: [] as unknown[],
    dirty: [] as boolean[],
    menu: null as null | ((c: string) => void),
    status: [] as ((s: unknown) => void)[],
    /** What main does when the utility process dies: tell the page, start a new engine, hand over its port. */
    crash() {
      worker.terminate();
      host.status.forEach((l) => l({ state: 'crashed', message: 'The engine process exited (code 9).' }));
      setTimeout(() => {
        host.status.forEach((l) => l({ state: 'restarted', message: 'The engine was restarted.' }));
        givePort();
      }, 20);
    },
  });
  let worker: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  const givePort = () => {
    worker?.terminate();
    worker = new window.Worker(workerUrl, { type: 'module' });
    const channel = new window.MessageChannel();
    const w = worker;
    channel.port2.onmessage = (e: { data: unknown }) => w.postMessage(e.data);
    w.onmessage = (e: { data: unknown }) => channel.port2.postMessage(e.data);
    host.ports++;
    // A wrong nonce first: the page must ignore it.
    window.postMessage({ type: 'foliolab:engine-port', nonce: 'forged', generation: 99 }, '*', [new window.MessageChannel().port1]);
    window.postMessage({ type: 'foliolab:engine-port', nonce: 'n-123', generation: host.ports }, '*', [channel.port1]);
  };
  window.foliolab = {
    mode: 'electron',
    version: 'e2e',
    enginePortNonce: 'n-123',
    files: {
      open: async () => null,
      openPath: async () => null,
      save: async (path: string | null) => ({ path: path ?? '/home/u/new.mms' }),
      recent: async () => ['/home/u/older.mms'],
      initial: async () => ({ path: '/home/u/start.mms', name: 'start.mms', text: 'scenario "from the command line"\nP0: mmap A 16K\nP0: write A\nP0: fork P1\nP1: write A[1]\n' }),
    },
    journal: {
      write: async (e: unknown) => void host.journal.push(e),
      list: async () => [],
      discard: async () => {},
    },
    reports: { save: async () => null, savePdf: async () => null, open: async () => {} },
    setDirty: (d: boolean) => void host.dirty.push(d),
    onMenu: (l: (c: string) => void) => ((host.menu = l), () => {}),
    onEngineStatus: (l: (s: unknown) => void) => (host.status.push(l), () => {}),
    requestEnginePort: () => setTimeout(givePort, 0),
    restartEngine: () => {
      host.restarts++;
      setTimeout(givePort, 0);
    },
  };
}

beforeAll(async () => {
  context = await launch();
  page = await context.newPage();
  await page.addInitScript(fakeHost, `${baseUrl}assets/${workerFile}`);
});
afterAll(async () => {
  await context?.close();
});

describe('renderer in Electron mode (preload and main played by the test)', () => {
  it('takes the engine port with the nonce, opens the initial file and runs over the port', async () => {
    expect(workerFile).toBeDefined();
    await page.goto(baseUrl);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 20_000 });
    expect(await page.getByTestId('mode').innerText()).toContain('electron');
    expect(await page.getByTestId('engine-state').innerText()).toContain('ready');
    await expect.poll(async () => normalise(await page.locator('.monaco-editor .view-lines').innerText())).toContain('from the command line');
    // The menu's Run command, as main would send it.
    await page.evaluate(() => window.__host.menu('run'));
    await expect.poll(() => page.getByTestId('step-label').innerText()).toMatch(/^step 3\/3/);
  });

  it('Stop asks the host for a new engine, whose port replaces the old one', async () => {
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('memory 8G\nP0: mmap A 4G\nP0: write A\nP0: fork P1\nP1: write A\n');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('engine-state').innerText()).toContain('running');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.getByTestId('engine-state').innerText()).toContain('ready');
    expect(await page.evaluate(() => [window.__host.restarts, window.__host.ports])).toEqual([1, 2]);
    // The earlier results are still there and the next run goes to the new engine.
    expect(await page.getByTestId('step-label').innerText()).toMatch(/\/3/);
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('P0: mmap A 8K\nP0: write A\n');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('step-label').innerText()).toMatch(/^step 1\/1/);
  });

  it('marks the window dirty and journals unsaved text through the host', async () => {
    expect(await page.evaluate(() => window.__host.dirty.at(-1))).toBe(true);
    await expect
      .poll(() => page.evaluate(() => window.__host.journal.at(-1)?.text ?? ''), { timeout: 5000 })
      .toBe('P0: mmap A 8K\nP0: write A\n');
    expect(await page.getByRole('button', { name: 'Recent' }).count()).toBe(1);
  });

  it('survives the engine process dying: says so, keeps text and results, views and runs work again', async () => {
    const text = await page.locator('.monaco-editor .view-lines').innerText();
    await page.evaluate(() => window.__host.crash());
    await expect.poll(() => page.getByTestId('banner').innerText()).toMatch(/engine process exited.*results are kept/);
    await expect.poll(() => page.getByTestId('engine-state').innerText()).toContain('ready');
    expect(await page.locator('.monaco-editor .view-lines').innerText()).toBe(text);
    expect(await page.getByTestId('step-label').innerText()).toMatch(/^step 1\/1/);
    // The new engine never saw this run: the view's query rebuilds it there.
    await page.getByRole('button', { name: 'First step', exact: true }).click();
    await page.getByRole('button', { name: 'Last step', exact: true }).click();
    await page.getByRole('tab', { name: 'Page inspector' }).click();
    await page.getByRole('tab', { name: 'Memory map' }).click();
    await expect.poll(() => page.locator('[data-view="memory"] canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-view="memory"]').innerText()).not.toMatch(/unknown-run|no run named/);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByTestId('step-label').innerText()).toMatch(/^step 1\/1/);
  });
});
