import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineMessage, EngineRequest } from '../../core/contract/protocol';
import { EngineClient, EngineClientError, type PortLike } from '../../renderer/src/platform/engine-client';

/** A port whose other end is the test: records what the client sent, replies on demand. */
class FakePort implements PortLike {
  sent: EngineRequest[] = [];
  onmessage: ((e: MessageEvent) => void) | null = null;
  postMessage(message: unknown) {
    this.sent.push(structuredClone(message) as EngineRequest);
  }
  emit(msg: EngineMessage) {
    this.onmessage?.({ data: msg } as MessageEvent);
  }
  replyOk(id: number, body: unknown) {
    this.emit({ type: 'reply', id, ok: true, body });
  }
}

afterEach(() => vi.useRealTimers());

describe('EngineClient', () => {
  it('matches replies to requests by id, in any order', async () => {
    const port = new FakePort();
    const client = new EngineClient();
    client.attach(port);
    const a = client.request({ type: 'hello', protocol: 1 });
    const b = client.request({ type: 'check', file: 'x.mms', source: 'P0: exit' });
    expect(port.sent.map((m) => m.type)).toEqual(['hello', 'check']);
    const [idA, idB] = port.sent.map((m) => m.id);
    expect(idA).not.toBe(idB);
    port.replyOk(idB, { diagnostics: [] });
    port.replyOk(idA, { protocol: 1, engine: 'fake' });
    await expect(a).resolves.toEqual({ protocol: 1, engine: 'fake' });
    await expect(b).resolves.toEqual({ diagnostics: [] });
    expect(client.inFlight).toBe(0);
  });

  it('turns an error reply into an EngineClientError with the engine code', async () => {
    const port = new FakePort();
    const client = new EngineClient();
    client.attach(port);
    const p = client.request({ type: 'dispose', runId: 'r1' });
    port.emit({ type: 'reply', id: port.sent[0].id, ok: false, error: { code: 'unknown-run', message: 'no run named r1' } });
    await expect(p).rejects.toMatchObject({ code: 'unknown-run', message: 'no run named r1' });
  });

  it('times out a request the engine never answers, and ignores the late reply', async () => {
    vi.useFakeTimers();
    const port = new FakePort();
    const client = new EngineClient({ timeoutMs: 1000 });
    client.attach(port);
    const p = client.request({ type: 'hello', protocol: 1 });
    const settled = expect(p).rejects.toMatchObject({ code: 'timeout' });
    vi.advanceTimersByTime(1001);
    await settled;
    expect(() => port.replyOk(port.sent[0].id, {})).not.toThrow();
    expect(client.inFlight).toBe(0);
  });

  it('passes progress events to the run they belong to and to onEvent', async () => {
    const port = new FakePort();
    const events: string[] = [];
    const client = new EngineClient({ onEvent: (e) => events.push(e.type) });
    client.attach(port);
    const seen: number[] = [];
    const p = client.request(
      { type: 'run', runId: 'r7', file: 'f.mms', source: '', policies: [], options: {} },
      { onProgress: (e) => seen.push(e.step) },
    );
    port.emit({ type: 'progress', runId: 'other', policy: 'v6.7', step: 99, steps: 100 });
    port.emit({ type: 'progress', runId: 'r7', policy: 'v6.7', step: 3, steps: 10 });
    port.replyOk(port.sent[0].id, { runId: 'r7', title: 't', diagnostics: [], runs: [] });
    await p;
    expect(seen).toEqual([3]);
    expect(events).toEqual(['progress', 'progress']);
  });

  it('re-sends what was in flight to the new port after the engine restarts', async () => {
    const first = new FakePort();
    const client = new EngineClient();
    client.attach(first);
    const p = client.request({ type: 'query', runId: 'r1', policy: 'v6.9', step: 2, query: { kind: 'processes' } });
    client.detach(); // crash
    const second = new FakePort();
    client.attach(second);
    expect(second.sent).toHaveLength(1);
    expect(second.sent[0]).toEqual(first.sent[0]); // same id and payload
    second.replyOk(second.sent[0].id, { kind: 'processes', processes: [] });
    await expect(p).resolves.toEqual({ kind: 'processes', processes: [] });
    // A stale reply from the dead port does nothing.
    expect(first.onmessage).toBeNull();
  });

  it('queues requests made while no engine is attached', async () => {
    const client = new EngineClient();
    const p = client.request({ type: 'hello', protocol: 1 });
    const port = new FakePort();
    client.attach(port);
    expect(port.sent.map((m) => m.type)).toEqual(['hello']);
    port.replyOk(port.sent[0].id, { protocol: 1, engine: 'x' });
    await expect(p).resolves.toMatchObject({ engine: 'x' });
  });

  it('gives up on a request that brought down two engines', async () => {
    const client = new EngineClient();
    client.attach(new FakePort());
    const p = client.request({ type: 'run', runId: 'boom', file: 'f', source: '', policies: [], options: {} });
    client.attach(new FakePort()); // second try
    const third = new FakePort();
    client.attach(third);
    await expect(p).rejects.toMatchObject({ code: 'engine-lost' });
    expect(third.sent).toHaveLength(0);
  });

  it('abort rejects only the matching requests (Stop cancels the run, not the queries)', async () => {
    const port = new FakePort();
    const client = new EngineClient();
    client.attach(port);
    const run = client.request({ type: 'run', runId: 'r', file: 'f', source: '', policies: [], options: {} });
    const q = client.request({ type: 'hello', protocol: 1 });
    client.abort((r) => r.type === 'run', 'cancelled', 'stopped');
    await expect(run).rejects.toBeInstanceOf(EngineClientError);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(client.inFlight).toBe(1);
    port.replyOk(port.sent[1].id, { protocol: 1, engine: 'e' });
    await expect(q).resolves.toMatchObject({ protocol: 1 });
  });
});
