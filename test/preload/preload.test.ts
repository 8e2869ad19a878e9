// The preload surface: exactly one exposure, `foliolab`, with exactly these
// keys; ipcRenderer and the IPC event never reach the page; the engine port
// is forwarded into the page with the nonce.
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_PORT_MESSAGE, IPC_CHANNELS, type FolioLabApi } from '../../core/contract/protocol';
import { emitToRenderer, ipcRenderer, recorded, resetStub } from '../stubs/electron';

const pagePosts: { message: unknown; origin: string; transfer: unknown[] }[] = [];
let api: FolioLabApi;

/** The shape of an object: keys, nested, functions as 'function'. */
function surface(v: unknown): unknown {
  if (typeof v === 'function') return 'function';
  if (typeof v !== 'object' || v === null) return typeof v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, surface((v as Record<string, unknown>)[k])]));
}

/** Every value reachable from `v` (to prove ipcRenderer is not among them). */
function reachable(v: unknown, seen = new Set<unknown>()): Set<unknown> {
  if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
    if (seen.has(v)) return seen;
    seen.add(v);
    for (const k of Object.getOwnPropertyNames(v)) {
      if (typeof v === 'function' && ['caller', 'callee', 'arguments'].includes(k)) continue;
      reachable((v as Record<string, unknown>)[k], seen);
    }
  }
  return seen;
}

beforeAll(async () => {
  resetStub();
  const g = globalThis as unknown as Record<string, unknown>;
  g.location = { origin: 'app://foliolab' };
  g.postMessage = (message: unknown, origin: string, transfer: unknown[]) => pagePosts.push({ message, origin, transfer });
  await import('../../preload/index');
  api = recorded.exposed.get('foliolab') as FolioLabApi;
});

describe('preload surface', () => {
  it('exposes exactly window.foliolab and nothing else', () => {
    expect([...recorded.exposed.keys()]).toEqual(['foliolab']);
  });

  it('has exactly these keys (snapshot)', () => {
    expect(surface(api)).toMatchInlineSnapshot(`
      {
        "enginePortNonce": "string",
        "files": {
          "initial": "function",
          "open": "function",
          "openPath": "function",
          "recent": "function",
          "save": "function",
        },
        "journal": {
          "discard": "function",
          "list": "function",
          "write": "function",
        },
        "mode": "string",
        "onEngineStatus": "function",
        "onMenu": "function",
        "reports": {
          "open": "function",
          "save": "function",
          "savePdf": "function",
        },
        "requestEnginePort": "function",
        "restartEngine": "function",
        "setDirty": "function",
        "version": "string",
      }
    `);
    expect(api.mode).toBe('electron');
    expect(api.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('does not make ipcRenderer or its methods reachable', () => {
    const all = reachable(api);
    expect(all.has(ipcRenderer)).toBe(false);
    for (const f of Object.values(ipcRenderer)) expect(all.has(f)).toBe(false);
  });

  it('calls map to the contract channels with the arguments only', async () => {
    recorded.rendererSent.length = 0;
    await api.files.save('/a.mms', 'text', 'a.mms');
    await api.journal.discard('j1');
    api.setDirty(true);
    api.requestEnginePort();
    api.restartEngine();
    expect(recorded.rendererSent).toEqual([
      { channel: IPC_CHANNELS.filesSave, args: ['/a.mms', 'text', 'a.mms'] },
      { channel: IPC_CHANNELS.journalDiscard, args: ['j1'] },
      { channel: IPC_CHANNELS.setDirty, args: [true] },
      { channel: IPC_CHANNELS.requestEnginePort, args: [] },
      { channel: IPC_CHANNELS.restartEngine, args: [] },
    ]);
  });

  it('listeners get the payload, never the IPC event, and can unsubscribe', () => {
    const got: unknown[][] = [];
    const off = api.onMenu((...args) => got.push(args));
    emitToRenderer(IPC_CHANNELS.menu, { sender: 'SECRET-EVENT', ports: [] }, 'run');
    off();
    emitToRenderer(IPC_CHANNELS.menu, { sender: 'SECRET-EVENT', ports: [] }, 'stop');
    expect(got).toEqual([['run']]);
  });

  it('forwards the engine port into the page with the nonce, to its own origin only', () => {
    expect(api.enginePortNonce).toMatch(/^[0-9a-f]{32}$/);
    const port = { fake: 'port' };
    emitToRenderer(IPC_CHANNELS.enginePort, { ports: [port] }, { generation: 3 });
    emitToRenderer(IPC_CHANNELS.enginePort, { ports: [] }, { generation: 4 }); // no port: nothing posted
    const a = { fake: 'engine 1' };
    const b = { fake: 'engine 2' };
    emitToRenderer(IPC_CHANNELS.enginePort, { ports: [a, b] }, { generation: 5 }); // one per engine process, all of them
    expect(pagePosts).toEqual([
      { message: { type: ENGINE_PORT_MESSAGE, nonce: api.enginePortNonce, generation: 3 }, origin: 'app://foliolab', transfer: [port] },
      { message: { type: ENGINE_PORT_MESSAGE, nonce: api.enginePortNonce, generation: 5 }, origin: 'app://foliolab', transfer: [a, b] },
    ]);
  });
});
