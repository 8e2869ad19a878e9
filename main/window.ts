// One BrowserWindow per open scenario, locked down: context isolation, the
// sandbox, no Node, web security on, only our preload (CJS, pitfall P1), only
// app:// content. A window with unsaved changes asks before it closes.

import { availableParallelism } from 'node:os';
import { BrowserWindow, dialog, type BrowserWindowConstructorOptions } from 'electron';
import { IPC_CHANNELS, type MenuCommand } from '../core/contract/protocol';
import { defaultEngineCount } from '../core/service/engine-pool';
import { createEngineSupervisor, type SpawnHost } from './engine';
import { APP_INDEX_URL } from './protocol';
import type { ScenarioWindow, WindowRegistry } from './windows';

export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
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
  };
}

export interface WindowDeps {
  registry: WindowRegistry;
  preloadPath: string;
  hostPath: string;
  spawn: SpawnHost;
}

/** Close guard: returns true when the window may close. Save = keep it open and ask the page to save. */
export function confirmClose(entry: ScenarioWindow): boolean {
  if (!entry.dirty) return true;
  const choice = dialog.showMessageBoxSync(entry.win, {
    type: 'question',
    buttons: ['Save', "Don't Save", 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    message: 'This scenario has unsaved changes. Save them before closing?',
    detail: 'If you close without saving, the changes are lost.',
  });
  if (choice === 0) entry.win.webContents.send(IPC_CHANNELS.menu, 'save' satisfies MenuCommand);
  return choice === 1;
}

export function createScenarioWindow(deps: WindowDeps, initialFile: string | null = null): ScenarioWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Folio Lab',
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(deps.preloadPath),
  });
  const contents = win.webContents;
  const engine = createEngineSupervisor({
    spawn: deps.spawn,
    modulePath: deps.hostPath,
    hosts: defaultEngineCount(availableParallelism()),
    deliverPorts: (ports, generation) => {
      if (!contents.isDestroyed()) contents.postMessage(IPC_CHANNELS.enginePort, { generation }, ports as Electron.MessagePortMain[]);
    },
    onStatus: (status) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.engineStatus, status);
    },
  });
  const entry: ScenarioWindow = { win, dirty: false, initialFile, engine };
  deps.registry.add(entry);
  const contentsId = contents.id;

  win.on('close', (event) => {
    if (!confirmClose(entry)) event.preventDefault();
  });
  win.on('closed', () => {
    engine.dispose();
    deps.registry.remove(contentsId);
  });
  win.once('ready-to-show', () => win.show());

  engine.start();
  void win.loadURL(APP_INDEX_URL);
  return entry;
}
