import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { EngineStatus } from '../../core/contract/protocol';
import { connectEngine } from '../../renderer/src/platform/connect';
import { EngineClient, type PortLike } from '../../renderer/src/platform/engine-client';
import { setServices } from '../../renderer/src/platform/services';
import { useRunStore } from '../../renderer/src/stores/run';
import { FakeEngine, fakePlatform, flush } from './helpers/fakes';

beforeEach(() => setActivePinia(createPinia()));

function wired() {
  const platform = fakePlatform();
  let status: (s: EngineStatus) => void = () => {};
  let port: (p: PortLike) => void = () => {};
  platform.onEngineStatus = (l) => ((status = l), () => {});
  platform.onEnginePort = (l) => ((port = l), () => {});
  const client = new EngineClient({ timeoutMs: 2000 });
  setServices({ platform, client });
  connectEngine(platform, client);
  return { client, status: (s: EngineStatus) => status(s), port: (p: PortLike) => port(p) };
}

describe('connectEngine', () => {
  it('is ready once a new port answers hello', async () => {
    const { port } = wired();
    const run = useRunStore();
    expect(run.engineState).toBe('starting');
    const engine = new FakeEngine();
    port(engine);
    await flush();
    expect(engine.received.map((r) => r.type)).toEqual(['hello']);
    expect(run.engineState).toBe('ready');
  });

  it('a crash says so in one sentence, parks the requests and sends them to the next engine', async () => {
    const { port, status, client } = wired();
    const run = useRunStore();
    const first = new FakeEngine();
    first.answerRuns = false;
    port(first);
    await flush();
    const pending = run.run('s.mms', 'P0: exit');
    await flush();
    status({ state: 'crashed', message: 'The engine process exited (code 9).' });
    expect(run.engineState).toBe('crashed');
    expect(run.message).toBe('The engine process exited (code 9). It is being restarted; your scenario and earlier results are kept.');
    expect(client.connected).toBe(false);
    status({ state: 'restarted', message: 'restarted' });
    const second = new FakeEngine();
    port(second);
    await pending;
    expect(second.received.map((r) => r.type)).toEqual(['run', 'hello']);
    expect(run.status).toBe('done');
    expect(run.engineState).toBe('ready');
  });
});
