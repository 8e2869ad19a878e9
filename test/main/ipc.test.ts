// IPC: only our windows' top frames on app:// may call; arguments are
// validated; files are confined to what the user chose.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../core/contract/protocol';
import { BrowserWindow, FakeFrame, FakeWebContents, dialogAnswers, invoke, ipcEvent, recorded, resetStub } from '../stubs/electron';
import { spawnUtility } from '../../main/engine';
import { FileGrants, RecentFiles, ScenarioFiles } from '../../main/files';
import { registerIpc } from '../../main/ipc';
import { Reports } from '../../main/reports';
import { createScenarioWindow } from '../../main/window';
import { WindowRegistry } from '../../main/windows';

let dir: string;
let registry: WindowRegistry;
let win: BrowserWindow;
let files: ScenarioFiles;

beforeEach(() => {
  resetStub();
  dir = mkdtempSync(join(tmpdir(), 'foliolab-ipc-'));
  registry = new WindowRegistry();
  files = new ScenarioFiles(new FileGrants(), new RecentFiles(dir));
  registerIpc({ registry, files, reports: new Reports(), journalDir: join(dir, 'journal') });
  createScenarioWindow({ registry, preloadPath: 'p.cjs', hostPath: '/h.js', spawn: spawnUtility }, null);
  win = BrowserWindow.all[0];
});

describe('IPC sender check', () => {
  it('registers a handler for every invoke channel of the contract', () => {
    const invokes = Object.entries(IPC_CHANNELS)
      .filter(([k]) => !['menu', 'engineStatus', 'enginePort', 'setDirty', 'requestEnginePort', 'restartEngine'].includes(k))
      .map(([, v]) => v)
      .sort();
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual(invokes);
    expect([...recorded.ipcListeners.keys()].sort()).toEqual([IPC_CHANNELS.requestEnginePort, IPC_CHANNELS.restartEngine, IPC_CHANNELS.setDirty].sort());
  });

  it('accepts our window on app://', async () => {
    await expect(invoke(IPC_CHANNELS.journalList, ipcEvent(win.webContents))).resolves.toEqual([]);
  });

  it('rejects a foreign frame: other origin, a subframe, an unknown web contents', async () => {
    const foreign = [
      ipcEvent(win.webContents, 'https://evil.example/'),
      ipcEvent(win.webContents, 'file:///tmp/x.html'),
      ipcEvent(win.webContents, 'app://other/index.html'),
      ipcEvent(win.webContents, 'app://foliolab/index.html', new FakeFrame('app://foliolab/index.html')),
      ipcEvent(new FakeWebContents()),
      { sender: win.webContents, senderFrame: null },
    ];
    for (const event of foreign) {
      await expect(invoke(IPC_CHANNELS.journalList, event)).rejects.toThrow(/not a Folio Lab window/);
      await expect(invoke(IPC_CHANNELS.filesSave, event, null, 'x')).rejects.toThrow(/not a Folio Lab window/);
    }
    expect(recorded.ipcHandlers.size).toBeGreaterThan(0);
  });

  it('ignores fire-and-forget messages from a foreign sender', () => {
    const setDirty = recorded.ipcListeners.get(IPC_CHANNELS.setDirty)!;
    setDirty(ipcEvent(win.webContents, 'https://evil.example/'), true);
    expect(registry.all()[0].dirty).toBe(false);
    setDirty(ipcEvent(win.webContents), true);
    expect(registry.all()[0].dirty).toBe(true);
  });

  it('validates arguments before touching the disk', async () => {
    const ev = ipcEvent(win.webContents);
    await expect(invoke(IPC_CHANNELS.journalWrite, ev, { id: '../../evil', path: null, name: 'x', text: '', savedAt: 1 })).rejects.toThrow(/journal id/);
    await expect(invoke(IPC_CHANNELS.journalDiscard, ev, '../x')).rejects.toThrow(/journal id/);
    await expect(invoke(IPC_CHANNELS.reportsSave, ev, 'exe', 'r', 'x')).rejects.toThrow(/report format/);
    await expect(invoke(IPC_CHANNELS.filesSave, ev, 42, 'x')).rejects.toThrow(/Invalid argument/);
    await expect(invoke(IPC_CHANNELS.filesSave, ev, null, { text: 1 })).rejects.toThrow(/Invalid argument/);
  });

  it('confines openPath/save/open to paths the user chose', async () => {
    const ev = ipcEvent(win.webContents);
    const secret = join(dir, 'secret.mms');
    writeFileSync(secret, 'title "s"\n');
    await expect(invoke(IPC_CHANNELS.filesOpenPath, ev, secret)).rejects.toThrow(/did not open/);
    await expect(invoke(IPC_CHANNELS.filesSave, ev, secret, 'overwritten')).rejects.toThrow(/did not open/);
    await expect(invoke(IPC_CHANNELS.reportsOpen, ev, '/etc/passwd')).rejects.toThrow(/did not write/);
    expect(readFileSync(secret, 'utf8')).toBe('title "s"\n');
    // chosen in the dialog: now allowed, and remembered as recent
    dialogAnswers.push(secret);
    await expect(invoke(IPC_CHANNELS.filesOpen, ev)).resolves.toMatchObject({ path: secret, name: 'secret.mms', text: 'title "s"\n' });
    await expect(invoke(IPC_CHANNELS.filesSave, ev, secret, 'new text')).resolves.toEqual({ path: secret });
    expect(readFileSync(secret, 'utf8')).toBe('new text');
    await expect(invoke(IPC_CHANNELS.filesRecent, ev)).resolves.toEqual([secret]);
  });

  it('save with a null path asks with a save dialog; cancel returns null', async () => {
    const ev = ipcEvent(win.webContents);
    await expect(invoke(IPC_CHANNELS.filesSave, ev, null, 'x', 'a.mms')).resolves.toBeNull();
    const target = join(dir, 'chosen.mms');
    dialogAnswers.push(target);
    await expect(invoke(IPC_CHANNELS.filesSave, ev, null, 'chosen text', 'a.mms')).resolves.toEqual({ path: target });
    expect(readFileSync(target, 'utf8')).toBe('chosen text');
  });

  it('reports: save asks, writes atomically, open only what it wrote; PDF via printToPDF', async () => {
    const ev = ipcEvent(win.webContents);
    const html = join(dir, 'r.html');
    dialogAnswers.push(html);
    await expect(invoke(IPC_CHANNELS.reportsSave, ev, 'html', 'r.html', '<h1>r</h1>')).resolves.toEqual({ path: html });
    expect(readFileSync(html, 'utf8')).toBe('<h1>r</h1>');
    // JSON/CSV arrive as UTF-8 bytes; anything else is refused.
    const json = join(dir, 'r.json');
    dialogAnswers.push(json);
    await expect(invoke(IPC_CHANNELS.reportsSave, ev, 'json', 'r.json', new TextEncoder().encode('{"files":[]}'))).resolves.toEqual({ path: json });
    expect(readFileSync(json, 'utf8')).toBe('{"files":[]}');
    await expect(invoke(IPC_CHANNELS.reportsSave, ev, 'json', 'r.json', { files: [] })).rejects.toThrow(/report must be a string/);
    await invoke(IPC_CHANNELS.reportsOpen, ev, html);
    expect(recorded.openedPaths).toEqual([html]);
    const pdf = join(dir, 'r.pdf');
    dialogAnswers.push(pdf);
    await expect(invoke(IPC_CHANNELS.reportsSavePdf, ev, 'r.pdf', '<h1>r</h1>')).resolves.toEqual({ path: pdf });
    expect(readFileSync(pdf, 'latin1')).toMatch(/^%PDF-1.4 stub of app:\/\/foliolab\/__transient\//);
    const pdfWindow = BrowserWindow.all.at(-1)!;
    expect(pdfWindow.options.webPreferences).toMatchObject({ sandbox: true, javascript: false, contextIsolation: true, nodeIntegration: false });
    expect(pdfWindow.destroyed).toBe(true);
  });

  it('files.initial hands the start file once (main/index.ts grants it)', async () => {
    const start = join(dir, 'start.mms');
    writeFileSync(start, 'title "start"\n');
    registry.all()[0].initialFile = start;
    files.grants.grant(start);
    await expect(invoke(IPC_CHANNELS.filesInitial, ipcEvent(win.webContents))).resolves.toMatchObject({ path: start, text: 'title "start"\n' });
    await expect(invoke(IPC_CHANNELS.filesInitial, ipcEvent(win.webContents))).resolves.toBeNull();
  });
});
