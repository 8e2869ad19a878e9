// The real Electron app, through Playwright's Electron driver. These need the
// Electron binary, which cannot be downloaded on an offline machine: there
// they are skipped with the reason printed (the only skip in the suite).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBinary } from '../../scripts/electron-binary.mjs';

const binary = electronBinary();
const REASON = 'the Electron binary is not installed (node_modules/electron/dist is missing; offline machine)';
if (!binary) console.log(`test/electron skipped: ${REASON}`);
const real = binary ? it : it.skip;

describe(`Electron app${binary ? '' : ` (skipped: ${REASON})`}`, () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    if (!binary) return;
    execFileSync(resolve('node_modules/.bin/electron-vite'), ['build'], { stdio: 'pipe' });
    app = await _electron.launch({ executablePath: binary, args: ['.'], cwd: resolve('.') });
    page = await app.firstWindow();
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  real('loads the renderer from app:// with no Node in the page and only window.foliolab exposed', async () => {
    expect(page.url()).toMatch(/^app:\/\/foliolab\//);
    const probe = await page.evaluate(() => {
      const w = globalThis as unknown as { require?: unknown; process?: unknown; foliolab: object };
      return { require: typeof w.require, process: typeof w.process, keys: Object.keys(w.foliolab).sort() };
    });
    expect(probe.require).toBe('undefined');
    expect(probe.process).toBe('undefined');
    expect(probe.keys).toContain('enginePortNonce');
    expect(probe.keys).not.toContain('ipcRenderer');
  });

  real('the CSP blocks inline script and navigation away is denied', async () => {
    type Doc = { createElement(t: string): { textContent: string }; body: { append(n: unknown): void } };
    const ran = await page.evaluate(() => {
      const g = globalThis as unknown as { document: Doc; __inline?: number };
      const s = g.document.createElement('script');
      s.textContent = 'globalThis.__inline = 1';
      g.document.body.append(s);
      return g.__inline === 1;
    });
    expect(ran).toBe(false);
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/foliolab\//);
  });

  real('the engine in the utility process answers a run through the page', async () => {
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.locator('[data-app-state="ready"]').count(), { timeout: 30_000 }).toBe(1);
    const pids = await app.evaluate(({ app: a }) => a.getAppMetrics().filter((m) => m.type === 'Utility').length);
    expect(pids).toBeGreaterThan(0);
  });
});
