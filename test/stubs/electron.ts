// Stand-in for the `electron` module under Vitest (the binary cannot run here,
// and importing the npm package tries to download it). It records what main
// and preload do (handlers, exposures, window options, session hooks, forks,
// ports) so tests can assert on it and drive the recorded handlers. Tests
// import helpers from this file directly: it is the same module instance.

import { EventEmitter } from 'node:events';

export const recorded = {
  ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  ipcListeners: new Map<string, (event: unknown, ...args: unknown[]) => void>(),
  exposed: new Map<string, unknown>(),
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  appListeners: new Map<string, ((...args: unknown[]) => unknown)[]>(),
  forks: [] as FakeUtilityProcess[],
  menuTemplate: null as unknown,
  openedPaths: [] as string[],
  rendererSent: [] as { channel: string; args: unknown[] }[],
  rendererListeners: new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>(),
};

/** Answers the next dialog calls (FIFO); an empty queue means "cancelled". */
export const dialogAnswers: unknown[] = [];
export const dialogCalls: { kind: string; options: unknown }[] = [];
let userDataDir = '/nonexistent-userdata';
export function setUserData(dir: string) {
  userDataDir = dir;
}

export function resetStub() {
  for (const v of Object.values(recorded)) if (v instanceof Map) v.clear();
  recorded.privilegedSchemes.length = 0;
  recorded.forks.length = 0;
  recorded.openedPaths.length = 0;
  recorded.rendererSent.length = 0;
  recorded.menuTemplate = null;
  dialogAnswers.length = 0;
  dialogCalls.length = 0;
  BrowserWindow.all.length = 0;
  session.defaultSession = new FakeSession();
}

// --- app -------------------------------------------------------------------

export const app = {
  whenReady: () => new Promise<void>(() => {}),
  on(event: string, listener: (...args: unknown[]) => unknown) {
    recorded.appListeners.set(event, [...(recorded.appListeners.get(event) ?? []), listener]);
    return app;
  },
  emit(event: string, ...args: unknown[]) {
    for (const l of recorded.appListeners.get(event) ?? []) l(...args);
  },
  getPath: (name: string) => (name === 'userData' ? userDataDir : `/nonexistent-${name}`),
  getVersion: () => '0.0.0-stub',
  getAppPath: () => process.cwd(),
  isPackaged: false,
  enableSandbox() {},
  quit() {},
  requestSingleInstanceLock: () => true,
};

// --- protocol and session --------------------------------------------------

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    recorded.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>) {
    recorded.protocolHandlers.set(scheme, handler);
  },
};

type Listener = (details: Record<string, unknown>, callback: (response: Record<string, unknown>) => void) => void;

export class FakeSession {
  beforeRequest: { filter: unknown; listener: Listener } | null = null;
  headersReceived: Listener | null = null;
  permissionRequest: ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null = null;
  permissionCheck: ((wc: unknown, permission: string) => boolean) | null = null;
  webRequest = {
    onBeforeRequest: (filter: unknown, listener?: Listener) => {
      this.beforeRequest = listener ? { filter, listener } : { filter: null, listener: filter as Listener };
    },
    onHeadersReceived: (filter: unknown, listener?: Listener) => {
      this.headersReceived = (listener ?? filter) as Listener;
    },
  };
  setPermissionRequestHandler(h: FakeSession['permissionRequest']) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']) {
    this.permissionCheck = h;
  }
  protocol = protocol;
}

export const session = { defaultSession: new FakeSession() };

// --- windows and web contents ---------------------------------------------

let nextId = 1;

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  id = nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  sent: { channel: string; args: unknown[] }[] = [];
  posted: { channel: string; message: unknown; transfer: unknown[] }[] = [];
  mainFrame = new FakeFrame('app://foliolab/index.html');
  session = session.defaultSession;
  loadedURL: string | null = null;
  destroyed = false;
  setWindowOpenHandler(h: FakeWebContents['windowOpenHandler']) {
    this.windowOpenHandler = h;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  postMessage(channel: string, message: unknown, transfer: unknown[] = []) {
    this.posted.push({ channel, message, transfer });
  }
  async loadURL(url: string) {
    this.loadedURL = url;
  }
  async printToPDF(_options: unknown) {
    return Buffer.from(`%PDF-1.4 stub of ${this.loadedURL}`);
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.mainFrame.url;
  }
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  static getAllWindows() {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }
  static fromWebContents(wc: unknown) {
    return BrowserWindow.all.find((w) => w.webContents === wc) ?? null;
  }
  static getFocusedWindow() {
    return BrowserWindow.getAllWindows().at(-1) ?? null;
  }
  webContents = new FakeWebContents();
  id = this.webContents.id;
  destroyed = false;
  shown = false;
  constructor(public options: Record<string, unknown> = {}) {
    super();
    BrowserWindow.all.push(this);
  }
  loadURL(url: string) {
    return this.webContents.loadURL(url);
  }
  show() {
    this.shown = true;
  }
  focus() {}
  setTitle(_t: string) {}
  isDestroyed() {
    return this.destroyed;
  }
  /** Like Electron: emits 'close' (preventable), then 'closed' unless prevented. */
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

/** The stub behind a window typed as Electron's (main's modules hold the real type). */
export const fakeWindow = (win: unknown) => win as BrowserWindow;

// --- IPC -------------------------------------------------------------------

export const ipcMain = {
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
    recorded.ipcHandlers.set(channel, handler);
  },
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
    recorded.ipcListeners.set(channel, listener);
  },
};

/** A fake IpcMainInvokeEvent from `win` (or a foreign sender) with a frame at `url`. */
export function ipcEvent(sender: unknown, url = 'app://foliolab/index.html', parent: FakeFrame | null = null) {
  return { sender, senderFrame: new FakeFrame(url, parent), ports: [] };
}

export async function invoke(channel: string, event: unknown, ...args: unknown[]) {
  const h = recorded.ipcHandlers.get(channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return h(event, ...args);
}

export const ipcRenderer = {
  invoke: async (channel: string, ...args: unknown[]) => {
    recorded.rendererSent.push({ channel, args });
    return { invoked: channel };
  },
  send(channel: string, ...args: unknown[]) {
    recorded.rendererSent.push({ channel, args });
  },
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
    recorded.rendererListeners.set(channel, [...(recorded.rendererListeners.get(channel) ?? []), listener]);
    return ipcRenderer;
  },
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
    recorded.rendererListeners.set(channel, (recorded.rendererListeners.get(channel) ?? []).filter((l) => l !== listener));
    return ipcRenderer;
  },
};

/** Main -> renderer delivery in preload tests. */
export function emitToRenderer(channel: string, event: unknown, ...args: unknown[]) {
  for (const l of recorded.rendererListeners.get(channel) ?? []) l(event, ...args);
}

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    recorded.exposed.set(key, api);
  },
};

// --- utility processes and ports ------------------------------------------

export class FakeMessagePortMain extends EventEmitter {
  other: FakeMessagePortMain | null = null;
  started = false;
  closed = false;
  postMessage(data: unknown) {
    this.other?.emit('message', { data, ports: [] });
  }
  start() {
    this.started = true;
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
    this.other?.close();
  }
}

export class MessageChannelMain {
  port1 = new FakeMessagePortMain();
  port2 = new FakeMessagePortMain();
  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
  }
}

export class FakeUtilityProcess extends EventEmitter {
  static nextPid = 1000;
  pid: number | undefined = FakeUtilityProcess.nextPid++;
  posted: { message: unknown; transfer: unknown[] }[] = [];
  killed = false;
  constructor(
    public modulePath: string,
    public args: string[],
    public options: unknown,
  ) {
    super();
  }
  postMessage(message: unknown, transfer: unknown[] = []) {
    this.posted.push({ message, transfer });
  }
  kill() {
    this.killed = true;
    this.emit('exit', null);
    return true;
  }
}

export const utilityProcess = {
  fork(modulePath: string, args: string[] = [], options: unknown = {}) {
    const child = new FakeUtilityProcess(modulePath, args, options);
    recorded.forks.push(child);
    return child;
  },
};

// --- dialogs, shell, menu --------------------------------------------------

export const dialog = {
  async showOpenDialog(...a: unknown[]) {
    dialogCalls.push({ kind: 'open', options: a.at(-1) });
    const next = dialogAnswers.shift() as string | undefined;
    return next ? { canceled: false, filePaths: [next] } : { canceled: true, filePaths: [] };
  },
  async showSaveDialog(...a: unknown[]) {
    dialogCalls.push({ kind: 'save', options: a.at(-1) });
    const next = dialogAnswers.shift() as string | undefined;
    return next ? { canceled: false, filePath: next } : { canceled: true, filePath: '' };
  },
  showMessageBoxSync(...a: unknown[]) {
    dialogCalls.push({ kind: 'message', options: a.at(-1) });
    return (dialogAnswers.shift() as number | undefined) ?? 0;
  },
  async showMessageBox(...a: unknown[]) {
    dialogCalls.push({ kind: 'message', options: a.at(-1) });
    return { response: (dialogAnswers.shift() as number | undefined) ?? 0 };
  },
  showErrorBox(title: string, content: string) {
    dialogCalls.push({ kind: 'error', options: { title, content } });
  },
};

export const shell = {
  async openPath(p: string) {
    recorded.openedPaths.push(p);
    return '';
  },
};

export const Menu = {
  buildFromTemplate(template: unknown) {
    recorded.menuTemplate = template;
    return { template };
  },
  setApplicationMenu(_menu: unknown) {},
};

export default {
  app,
  protocol,
  session,
  BrowserWindow,
  ipcMain,
  ipcRenderer,
  contextBridge,
  utilityProcess,
  MessageChannelMain,
  dialog,
  shell,
  Menu,
};
