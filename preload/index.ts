// The sandboxed preload (built as CJS, pitfall P1). It exposes exactly one
// object, `window.foliolab`, through contextBridge; ipcRenderer itself never
// reaches the page. Engine ports arrive from main and are forwarded into the
// page with a nonce the page checks (docs/architecture.md, "Port handshake").

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  ENGINE_PORT_MESSAGE,
  IPC_CHANNELS,
  type EnginePortMessage,
  type EngineStatus,
  type FolioLabApi,
  type MenuCommand,
} from '../core/contract/protocol';
import { version } from '../package.json';

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const nonce = randomNonce();

/** The page's window, typed here because this project type-checks preload without the DOM lib. */
interface PageWindow {
  postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void;
  location: { origin: string };
}
const page = globalThis as unknown as PageWindow;

/** Subscribes to a main -> page channel, passing only the payload (never the IPC event). */
function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, wrapped);
  return () => void ipcRenderer.removeListener(channel, wrapped);
}

ipcRenderer.on(IPC_CHANNELS.enginePort, (event: IpcRendererEvent, payload: { generation?: unknown }) => {
  // One port per engine process; the page pools them.
  if (!event.ports.length) return;
  const generation = typeof payload?.generation === 'number' ? payload.generation : 0;
  const message: EnginePortMessage = { type: ENGINE_PORT_MESSAGE, nonce, generation };
  // Same window only: the page accepts it when event.source === window and the nonce matches.
  page.postMessage(message, page.location.origin === 'null' ? '*' : page.location.origin, [...event.ports]);
});

const api: FolioLabApi = {
  mode: 'electron',
  version,
  enginePortNonce: nonce,
  files: {
    open: () => ipcRenderer.invoke(IPC_CHANNELS.filesOpen),
    openPath: (path) => ipcRenderer.invoke(IPC_CHANNELS.filesOpenPath, path),
    save: (path, text, suggestedName) => ipcRenderer.invoke(IPC_CHANNELS.filesSave, path, text, suggestedName),
    recent: () => ipcRenderer.invoke(IPC_CHANNELS.filesRecent),
    initial: () => ipcRenderer.invoke(IPC_CHANNELS.filesInitial),
  },
  journal: {
    write: (entry) => ipcRenderer.invoke(IPC_CHANNELS.journalWrite, entry),
    list: () => ipcRenderer.invoke(IPC_CHANNELS.journalList),
    discard: (id) => ipcRenderer.invoke(IPC_CHANNELS.journalDiscard, id),
  },
  reports: {
    save: (format, suggestedName, content) => ipcRenderer.invoke(IPC_CHANNELS.reportsSave, format, suggestedName, content),
    savePdf: (suggestedName, html) => ipcRenderer.invoke(IPC_CHANNELS.reportsSavePdf, suggestedName, html),
    open: (path) => ipcRenderer.invoke(IPC_CHANNELS.reportsOpen, path),
  },
  setDirty: (dirty) => ipcRenderer.send(IPC_CHANNELS.setDirty, dirty === true),
  onMenu: (listener) => subscribe<MenuCommand>(IPC_CHANNELS.menu, listener),
  onEngineStatus: (listener) => subscribe<EngineStatus>(IPC_CHANNELS.engineStatus, listener),
  requestEnginePort: () => ipcRenderer.send(IPC_CHANNELS.requestEnginePort),
  restartEngine: () => ipcRenderer.send(IPC_CHANNELS.restartEngine),
};

contextBridge.exposeInMainWorld('foliolab', api);
