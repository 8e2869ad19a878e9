// The window's security settings, the CSP, and the deny-everything handlers,
// asserted on what main actually installs (through the electron stub).
import { availableParallelism } from 'node:os';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultEngineCount } from '../../core/service/engine-pool';
import { BrowserWindow, FakeSession, FakeWebContents, app, recorded, resetStub, session } from '../stubs/electron';
import { APP_INDEX_URL, isAppUrl } from '../../main/protocol';
import { CSP, hardenWebContents, installAppSecurity, isAllowedRequest } from '../../main/security';
import { createScenarioWindow, secureWebPreferences } from '../../main/window';
import { WindowRegistry } from '../../main/windows';
import { spawnUtility } from '../../main/engine';

beforeEach(resetStub);

describe('scenario window', () => {
  it('has exactly the locked-down webPreferences and loads only app://', () => {
    createScenarioWindow({ registry: new WindowRegistry(), preloadPath: '/app/out/preload/index.cjs', hostPath: '/app/host.js', spawn: spawnUtility });
    const win = BrowserWindow.all[0];
    expect(win.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    });
    expect(win.webContents.loadedURL).toBe(APP_INDEX_URL);
    expect(APP_INDEX_URL.startsWith('app://foliolab/')).toBe(true);
  });

  it('the preload is the CJS build (sandboxed preloads cannot be ESM)', () => {
    expect(secureWebPreferences('/x/out/preload/index.cjs').preload).toMatch(/\.cjs$/);
  });

  it('forks engine utility processes per window (one per core, at most 4), killed when the window closes', () => {
    const registry = new WindowRegistry();
    const n = defaultEngineCount(availableParallelism());
    const a = createScenarioWindow({ registry, preloadPath: 'p.cjs', hostPath: '/h.js', spawn: spawnUtility });
    createScenarioWindow({ registry, preloadPath: 'p.cjs', hostPath: '/h.js', spawn: spawnUtility });
    expect(recorded.forks.map((f) => f.modulePath)).toEqual(Array(2 * n).fill('/h.js'));
    a.win.close();
    expect(recorded.forks.map((f) => f.killed)).toEqual([...Array(n).fill(true), ...Array(n).fill(false)]);
    expect(registry.all()).toHaveLength(1);
  });
});

describe('CSP', () => {
  it('is the strict policy, exactly', () => {
    expect(CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });

  it('is added to every response header set', () => {
    const ses = new FakeSession();
    installAppSecurity(app as never, ses as never);
    let out: Record<string, unknown> = {};
    ses.headersReceived!({ url: 'app://foliolab/index.html', responseHeaders: { 'X-Other': ['1'] } }, (r) => (out = r));
    expect(out).toEqual({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CSP] } });
  });
});

describe('session hardening', () => {
  it('cancels every request that is not app:// (or local data/blob)', () => {
    const ses = new FakeSession();
    installAppSecurity(app as never, ses as never);
    const verdict = (url: string) => {
      let r: Record<string, unknown> = {};
      ses.beforeRequest!.listener({ url }, (x) => (r = x));
      return r.cancel;
    };
    expect(verdict('app://foliolab/assets/index.js')).toBe(false);
    expect(verdict('data:image/png;base64,AAAA')).toBe(false);
    expect(verdict('https://example.com/x.js')).toBe(true);
    expect(verdict('http://127.0.0.1:5173/')).toBe(true);
    expect(verdict('file:///etc/passwd')).toBe(true);
    expect(verdict('app://evil/index.html')).toBe(true);
    expect(verdict('ws://localhost/')).toBe(true);
    expect(isAllowedRequest('app://foliolab.evil.com/')).toBe(false);
    expect(isAppUrl('app://foliolab/x')).toBe(true);
  });

  it('denies every permission request and check', () => {
    const ses = session.defaultSession;
    installAppSecurity(app as never, ses as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      let granted: boolean | undefined;
      ses.permissionRequest!({}, permission, (g) => (granted = g), {});
      expect(granted, permission).toBe(false);
      expect(ses.permissionCheck!({}, permission)).toBe(false);
    }
  });

  it('every web contents created gets navigation, window.open and webview denied', () => {
    installAppSecurity(app as never, new FakeSession() as never);
    const wc = new FakeWebContents();
    app.emit('web-contents-created', {}, wc);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      wc.emit(event, { preventDefault: () => (prevented = true) }, 'https://example.com/');
      expect(prevented, event).toBe(true);
    }
    expect(wc.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'app://foliolab/index.html' })).toEqual({ action: 'deny' });
  });

  it('hardenWebContents alone covers a contents created before the hook', () => {
    const wc = new FakeWebContents();
    hardenWebContents(wc as never);
    expect(wc.listenerCount('will-navigate')).toBe(1);
    expect(wc.windowOpenHandler).not.toBeNull();
  });
});
