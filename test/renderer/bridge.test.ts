import { describe, expect, it } from 'vitest';
import { ENGINE_PORT_MESSAGE, type FolioLabApi } from '../../core/contract/protocol';
import { browserPlatform, electronPlatform } from '../../renderer/src/platform/bridge';
import type { PortLike } from '../../renderer/src/platform/engine-client';

class FakeWorker extends EventTarget {
  terminated = false;
  onmessage: unknown = null;
  postMessage() {}
  terminate() {
    this.terminated = true;
  }
}

function setup(engines = 1) {
  const workers: FakeWorker[] = [];
  const platform = browserPlatform({
    engines,
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    storage: window.localStorage,
  });
  return { platform, workers };
}

describe('browser bridge', () => {
  it('runs the engine in a worker and Stop replaces it with a new one', () => {
    const { platform, workers } = setup();
    const ports: PortLike[] = [];
    const statuses: string[] = [];
    platform.onEngineStatus((s) => statuses.push(s.state));
    platform.onEnginePort((p) => ports.push(p));
    expect(workers).toHaveLength(1);
    expect(ports[0]).toBe(workers[0]);
    platform.restartEngine();
    expect(workers[0].terminated).toBe(true);
    expect(ports[1]).toBe(workers[1]);
    expect(statuses).toEqual(['restarted']);
  });

  it('with several workers, the page gets one pool over them; an error in any restarts all', () => {
    const { platform, workers } = setup(2);
    const ports: PortLike[] = [];
    const statuses: string[] = [];
    platform.onEngineStatus((s) => statuses.push(s.state));
    platform.onEnginePort((p) => ports.push(p));
    expect(workers).toHaveLength(2);
    expect(ports).toHaveLength(1);
    expect(workers).not.toContain(ports[0]);
    // The pool took over the workers' message handlers.
    expect(workers.every((w) => typeof w.onmessage === 'function')).toBe(true);
    workers[1].dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'out of memory' }));
    expect(workers.slice(0, 2).every((w) => w.terminated)).toBe(true);
    expect(workers).toHaveLength(4);
    expect(ports).toHaveLength(2);
    expect(statuses).toEqual(['crashed', 'restarted']);
    platform.restartEngine();
    expect(workers).toHaveLength(6);
    expect(workers.slice(2, 4).every((w) => w.terminated)).toBe(true);
  });

  it('a worker error reports a crash and starts a fresh engine', () => {
    const { platform, workers } = setup();
    const statuses: string[] = [];
    platform.onEngineStatus((s) => statuses.push(s.state));
    platform.onEnginePort(() => {});
    const err = new Event('error', { cancelable: true });
    Object.assign(err, { message: 'out of memory' });
    workers[0].dispatchEvent(err);
    expect(statuses).toEqual(['crashed', 'restarted']);
    expect(workers).toHaveLength(2);
    // An error from the replaced worker is old news.
    workers[0].dispatchEvent(new Event('error', { cancelable: true }));
    expect(workers).toHaveLength(2);
  });

  it('gives up after three crashes in a row instead of restarting forever', () => {
    const { platform, workers } = setup();
    const messages: string[] = [];
    platform.onEngineStatus((s) => s.state === 'crashed' && messages.push(s.message));
    platform.onEnginePort(() => {});
    for (let i = 0; i < 3; i++) workers.at(-1)!.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'SyntaxError' }));
    expect(workers).toHaveLength(3);
    expect(workers[2].terminated).toBe(true);
    expect(messages.at(-1)).toBe('The engine failed 3 times in a row (SyntaxError); reload the page to try again.');
  });

  it('does not offer the live work of another open tab for restore', async () => {
    localStorage.clear();
    const a = setup().platform;
    const b = setup().platform;
    await a.journal.write({ id: 'a1', path: null, name: 'a.mms', text: 'x', savedAt: 1 });
    expect((await b.journal.list()).map((e) => e.id)).toEqual([]);
    expect((await a.journal.list()).map((e) => e.id)).toEqual(['a1']);
    // Tab a is gone (no heartbeat): its work is offered.
    for (const k of Object.keys(localStorage)) if (k.startsWith('foliolab.alive.')) localStorage.removeItem(k);
    expect((await b.journal.list()).map((e) => e.id)).toEqual(['a1']);
  });

  it('keeps the journal in localStorage', async () => {
    localStorage.clear();
    const { platform } = setup();
    await platform.journal.write({ id: 'a', path: null, name: 'a.mms', text: 'x', savedAt: 1 });
    await platform.journal.write({ id: 'b', path: null, name: 'b.mms', text: 'y', savedAt: 2 });
    localStorage.setItem('foliolab.journal.torn', '{"id":');
    expect((await platform.journal.list()).map((e) => e.id)).toEqual(['b', 'a']);
    expect(localStorage.getItem('foliolab.journal.torn')).toBeNull();
    await platform.journal.discard('a');
    expect((await platform.journal.list()).map((e) => e.id)).toEqual(['b']);
  });
});

describe('electron bridge', () => {
  it('accepts an engine port only with the preload nonce, newest generation first', async () => {
    let requested = 0;
    const api = { enginePortNonce: 'n0nce', requestEnginePort: () => void requested++ } as unknown as FolioLabApi;
    const platform = electronPlatform(api, window);
    const got: unknown[] = [];
    platform.onEnginePort((p) => got.push(p));
    expect(requested).toBe(1);
    const send = (data: unknown, port: unknown) =>
      window.dispatchEvent(new MessageEvent('message', { data, source: window, ports: [port as MessagePort] }));
    const a = new MessageChannel().port1;
    const b = new MessageChannel().port1;
    send({ type: ENGINE_PORT_MESSAGE, nonce: 'wrong', generation: 1 }, a);
    expect(got).toEqual([]);
    send({ type: ENGINE_PORT_MESSAGE, nonce: 'n0nce', generation: 2 }, a);
    send({ type: ENGINE_PORT_MESSAGE, nonce: 'n0nce', generation: 1 }, b);
    expect(got).toEqual([a]);
    expect(platform.mode).toBe('electron');
    // Several engine processes: one port each, pooled behind one port.
    const c = new MessageChannel().port1;
    window.dispatchEvent(new MessageEvent('message', { data: { type: ENGINE_PORT_MESSAGE, nonce: 'n0nce', generation: 3 }, source: window, ports: [b, c] }));
    expect(got).toHaveLength(2);
    expect(got[1]).not.toBe(b);
    expect(typeof (b as MessagePort).onmessage).toBe('function');
    expect(typeof (c as MessagePort).onmessage).toBe('function');
  });
});
