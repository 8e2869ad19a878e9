// The one seam between the page and its host. In Electron, preload exposes
// `window.foliolab` and hands over the engine's MessagePort; in a plain
// browser the same surface is provided here: the engine runs in a Web Worker,
// files go through <input type=file> and downloads, the journal lives in
// localStorage.
import {
  ENGINE_PORT_MESSAGE,
  type EnginePortMessage,
  type EngineStatus,
  type FolioLabApi,
  type JournalEntry,
  type MenuCommand,
  type OpenedFile,
} from '../../../core/contract/protocol';
import { createEnginePool, defaultEngineCount } from '../../../core/service/engine-pool';
import type { PortLike } from './engine-client';

export type Mode = 'electron' | 'browser';

export interface Platform extends Omit<FolioLabApi, 'mode' | 'enginePortNonce'> {
  readonly mode: Mode;
  /** Calls `listener` with every new engine port (first one and each after a restart). */
  onEnginePort(listener: (port: PortLike) => void): () => void;
}

declare global {
  interface Window {
    foliolab?: FolioLabApi;
  }
}

/** Electron: the preload's API plus the engine port that arrives as a window message. */
export function electronPlatform(api: FolioLabApi, win: Window = window): Platform {
  return {
    ...api,
    mode: 'electron',
    onEnginePort(listener) {
      let generation = -1;
      const onMessage = (e: MessageEvent) => {
        // Only the preload posts this, with the nonce it exposed; an older port never replaces a newer one.
        const data = e.data as Partial<EnginePortMessage> | null;
        if (e.source !== win || data?.type !== ENGINE_PORT_MESSAGE || data.nonce !== api.enginePortNonce) return;
        // Several engine processes send one port each, all in one message.
        const ports = [...e.ports];
        if (!ports.length || typeof data.generation !== 'number' || data.generation <= generation) return;
        generation = data.generation;
        listener(ports.length === 1 ? ports[0] : createEnginePool(ports));
      };
      win.addEventListener('message', onMessage);
      api.requestEnginePort();
      return () => win.removeEventListener('message', onMessage);
    },
  };
}

const JOURNAL_PREFIX = 'foliolab.journal.';
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 10_000;
const RECENT_KEY = 'foliolab.recent';
const ALIVE_PREFIX = 'foliolab.alive.';
const ALIVE_MS = 6000;

function download(name: string, content: string | Uint8Array | Blob, type = 'text/plain'): void {
  const blob = content instanceof Blob ? content : new Blob([content as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function pickFile(): Promise<OpenedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.mms,text/plain';
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return resolve(null);
      resolve({ path: file.name, name: file.name, text: await file.text() });
    });
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}

/** Prints self-contained report HTML from a hidden frame (the browser's "Save as PDF"). */
function printHtml(html: string): void {
  const frame = document.createElement('iframe');
  frame.className = 'print-frame';
  frame.srcdoc = html;
  frame.addEventListener('load', () => {
    frame.contentWindow?.print();
    setTimeout(() => frame.remove(), 1000);
  });
  document.body.append(frame);
}

function remember(name: string, store: Storage): void {
  const recent = [name, ...readRecent(store).filter((n) => n !== name)].slice(0, 10);
  store.setItem(RECENT_KEY, JSON.stringify(recent));
}

function readRecent(store: Storage): string[] {
  try {
    const v = JSON.parse(store.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export interface BrowserPlatformDeps {
  createWorker: () => Worker;
  /** Engine workers; a run's policies are spread over them (default: one per core, at most 4). */
  engines?: number;
  storage?: Storage;
}

export function browserPlatform({ createWorker, engines = defaultEngineCount(globalThis.navigator?.hardwareConcurrency ?? 1), storage = localStorage }: BrowserPlatformDeps): Platform {
  const statusListeners = new Set<(s: EngineStatus) => void>();
  const portListeners = new Set<(p: PortLike) => void>();
  let workers: Worker[] = [];
  /** What the client talks to: the one worker, or a pool over all of them. */
  let port: PortLike | null = null;
  let dirty = false;

  const emitStatus = (s: EngineStatus) => statusListeners.forEach((l) => l(s));
  // An engine that dies at once on every start (a broken build) must not be restarted forever.
  let crashes: number[] = [];
  const stop = () => {
    for (const w of workers) w.terminate();
    workers = [];
    port = null;
  };
  const start = () => {
    const group = Array.from({ length: Math.max(1, engines) }, () => createWorker());
    workers = group;
    // Any member failing takes the whole engine down and back up: its sessions are gone.
    const onError = (e: ErrorEvent) => {
      if (workers !== group) return;
      e.preventDefault();
      const now = Date.now();
      crashes = [...crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
      const reason = e.message || 'worker error';
      if (crashes.length >= MAX_CRASHES) {
        stop();
        emitStatus({ state: 'crashed', message: `The engine failed ${MAX_CRASHES} times in a row (${reason}); reload the page to try again.` });
        return;
      }
      emitStatus({ state: 'crashed', message: `The engine stopped: ${reason}.` });
      restart('The engine was restarted after an error.');
    };
    for (const w of group) w.addEventListener('error', onError);
    const current = group.length === 1 ? group[0] : createEnginePool(group);
    port = current;
    portListeners.forEach((l) => l(current));
  };
  const restart = (message: string) => {
    stop();
    start();
    emitStatus({ state: 'restarted', message });
  };

  // Each tab says it is alive while it has a journal, so other tabs do not offer its entries for restore.
  const tab = Math.random().toString(36).slice(2, 10);
  const beat = () => storage.setItem(ALIVE_PREFIX + tab, String(Date.now()));
  const alive = (other?: string) => !!other && Date.now() - Number(storage.getItem(ALIVE_PREFIX + other) ?? 0) < ALIVE_MS;
  setInterval(beat, ALIVE_MS / 3);

  addEventListener('beforeunload', (e) => {
    if (dirty) e.preventDefault();
  });
  addEventListener('pagehide', () => storage.removeItem(ALIVE_PREFIX + tab));

  return {
    mode: 'browser',
    version: 'browser',
    files: {
      async open() {
        const f = await pickFile();
        if (f) remember(f.name, storage);
        return f;
      },
      async openPath(path) {
        throw new Error(`Browser mode cannot reopen "${path}" by its path; use Open.`);
      },
      async save(path, text, suggestedName) {
        const name = path ?? suggestedName ?? 'scenario.mms';
        download(name, text);
        remember(name, storage);
        return { path: name };
      },
      async recent() {
        return readRecent(storage);
      },
      async initial() {
        return null;
      },
    },
    journal: {
      async write(entry) {
        beat();
        storage.setItem(JOURNAL_PREFIX + entry.id, JSON.stringify({ ...entry, tab }));
      },
      async list() {
        const out: JournalEntry[] = [];
        for (let i = 0; i < storage.length; i++) {
          const key = storage.key(i);
          if (!key?.startsWith(JOURNAL_PREFIX)) continue;
          try {
            const { tab: owner, ...entry } = JSON.parse(storage.getItem(key) ?? '') as JournalEntry & { tab?: string };
            // Another open tab's live work is not lost: do not offer it here.
            if (owner === tab || !alive(owner)) out.push(entry);
          } catch {
            storage.removeItem(key); // a torn entry helps nobody
          }
        }
        return out.sort((a, b) => b.savedAt - a.savedAt);
      },
      async discard(id) {
        storage.removeItem(JOURNAL_PREFIX + id);
      },
    },
    reports: {
      async save(_format, suggestedName, content) {
        download(suggestedName, content);
        return { path: suggestedName };
      },
      async savePdf(suggestedName, html) {
        printHtml(html);
        return { path: suggestedName };
      },
      async open() {},
    },
    setDirty(d) {
      dirty = d;
    },
    onMenu(_listener: (c: MenuCommand) => void) {
      return () => {}; // no native menu in a browser; shortcuts are handled by the page
    },
    onEngineStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    requestEnginePort() {
      if (port) portListeners.forEach((l) => l(port!));
      else start();
    },
    restartEngine() {
      restart('The engine was restarted.');
    },
    onEnginePort(listener) {
      portListeners.add(listener);
      if (port) listener(port);
      else start();
      return () => portListeners.delete(listener);
    },
  };
}

let platform: Platform | null = null;

/** `window.foliolab` when preload provides it, else the browser bridge. */
export function getPlatform(): Platform {
  platform ??= window.foliolab
    ? electronPlatform(window.foliolab)
    : browserPlatform({
        createWorker: () => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }),
      });
  return platform;
}
