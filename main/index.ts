// Electron main: app lifecycle only; everything else lives in the modules it wires.

import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { app, BrowserWindow, session } from 'electron';
import { IPC_CHANNELS } from '../core/contract/protocol';
import { spawnUtility } from './engine';
import { FileGrants, RecentFiles, ScenarioFiles } from './files';
import hostPath from './host-path';
import { registerIpc } from './ipc';
import { journalDir } from './journal';
import { installMenu } from './menu';
import { registerAppProtocol, registerAppScheme } from './protocol';
import { Reports } from './reports';
import { installAppSecurity } from './security';
import { createScenarioWindow } from './window';
import { WindowRegistry } from './windows';

/** `--open=<file>` or a bare `*.mms` argument: the file the first window opens. */
function fileFromArgs(argv: string[]): string | null {
  const flag = argv.find((a) => a.startsWith('--open='));
  const path = flag ? flag.slice('--open='.length) : argv.slice(1).find((a) => a.endsWith('.mms'));
  return path && existsSync(path) ? path : null;
}

app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) app.quit();

void app.whenReady().then(() => {
  const registry = new WindowRegistry();
  const grants = new FileGrants();
  const files = new ScenarioFiles(grants, new RecentFiles(app.getPath('userData')));
  const deps = { registry, preloadPath: join(import.meta.dirname, '../preload/index.cjs'), hostPath, spawn: spawnUtility };
  const open = (file: string | null) => {
    if (file) grants.grant(file);
    return createScenarioWindow(deps, file);
  };

  installAppSecurity(app, session.defaultSession);
  registerAppProtocol(join(import.meta.dirname, '../renderer'));
  registerIpc({ registry, files, reports: new Reports(), journalDir: journalDir(app.getPath('userData')) });
  installMenu({
    send: (command) => BrowserWindow.getFocusedWindow()?.webContents.send(IPC_CHANNELS.menu, command),
    newWindow: () => open(null),
  });

  open(fileFromArgs(process.argv));
  app.on('second-instance', (_event, argv) => open(fileFromArgs(argv)));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open(null);
  });
});

app.on('window-all-closed', () => app.quit());
