// The per-window engine supervisor with Electron's utilityProcess and
// MessageChannelMain (stubbed): ports go one to the engine, one to the window,
// crashes restart the engine and re-hand a port, Stop = kill + restart.
import { availableParallelism } from 'node:os';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../core/contract/protocol';
import { IPC_CHANNELS } from '../../core/contract/protocol';
import { FakeMessagePortMain, fakeWindow, recorded, resetStub } from '../stubs/electron';
import { defaultEngineCount } from '../../core/service/engine-pool';
import { createEngineSupervisor, spawnUtility } from '../../main/engine';
import { createScenarioWindow } from '../../main/window';
import { WindowRegistry } from '../../main/windows';

beforeEach(resetStub);

function supervised(opts: { now?: () => number; hosts?: number } = {}) {
  const statuses: EngineStatus[] = [];
  const ports: { port: FakeMessagePortMain; all: FakeMessagePortMain[]; generation: number }[] = [];
  const sup = createEngineSupervisor({
    spawn: spawnUtility,
    modulePath: '/out/main/chunks/engine-host.js',
    deliverPorts: (all, generation) =>
      ports.push({ port: all[0] as unknown as FakeMessagePortMain, all: all as unknown as FakeMessagePortMain[], generation }),
    onStatus: (s) => statuses.push(s),
    ...opts,
  });
  return { sup, statuses, ports };
}

describe('engine supervisor (utility process)', () => {
  it('forks the host, and on request hands one end of a MessageChannelMain to it and the other to the page', () => {
    const { sup, statuses, ports } = supervised();
    sup.start();
    expect(recorded.forks).toHaveLength(1);
    expect(recorded.forks[0].modulePath).toBe('/out/main/chunks/engine-host.js');
    expect(ports).toHaveLength(0); // the page asks when its listener is up
    sup.requestPort();
    const [{ message, transfer }] = recorded.forks[0].posted;
    expect(message).toEqual({ type: 'attach', channel: 1 });
    const enginePort = transfer[0] as FakeMessagePortMain;
    expect(ports[0].port.other).toBe(enginePort); // the two ends of one channel
    expect(statuses).toEqual([{ state: 'starting' }, { state: 'ready' }]);
    // a second request replaces the page's port (the old one is closed)
    sup.requestPort();
    expect(ports[0].port.closed).toBe(true);
    expect(ports.map((p) => p.generation)).toEqual([1, 2]);
  });

  it('notices a crash, restarts, re-hands a port and says so', () => {
    const { sup, statuses, ports } = supervised();
    sup.start();
    sup.requestPort();
    recorded.forks[0].emit('exit', 9);
    expect(recorded.forks).toHaveLength(2);
    expect(ports.at(-1)!.generation).toBe(2);
    expect(recorded.forks[1].posted[0].message).toEqual({ type: 'attach', channel: 1 });
    expect(statuses.slice(2)).toEqual([
      { state: 'crashed', message: 'The engine exited with code 9; restarting it.' },
      { state: 'restarted', message: expect.stringContaining('restarted') },
    ]);
    expect(sup.pid).toBe(recorded.forks[1].pid);
  });

  it('Stop (restart) kills the engine without calling it a crash', () => {
    const { sup, statuses } = supervised();
    sup.start();
    sup.requestPort();
    sup.restart();
    expect(recorded.forks[0].killed).toBe(true);
    expect(recorded.forks).toHaveLength(2);
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'ready', 'restarted']);
  });

  it('stops restarting after 3 crashes in 10 s; the next request starts it again', () => {
    let t = 0;
    const { sup, statuses } = supervised({ now: () => t });
    sup.start();
    for (let i = 0; i < 3; i++) {
      t += 1000;
      recorded.forks.at(-1)!.emit('exit', 1);
    }
    expect(recorded.forks).toHaveLength(3);
    expect(statuses.at(-1)).toEqual({ state: 'crashed', message: expect.stringContaining('not restarted') });
    sup.requestPort();
    expect(recorded.forks).toHaveLength(4);
    expect(statuses.at(-1)).toEqual({ state: 'ready' });
  });

  it('dispose kills without restarting', () => {
    const { sup } = supervised();
    sup.start();
    sup.dispose();
    expect(recorded.forks[0].killed).toBe(true);
    sup.requestPort();
    expect(recorded.forks).toHaveLength(1);
  });

  it('with several engine processes: a port to each, and one crash restarts them all', () => {
    const { sup, statuses, ports } = supervised({ hosts: 2 });
    sup.start();
    sup.requestPort();
    expect(recorded.forks).toHaveLength(2);
    expect(ports[0].all).toHaveLength(2);
    ports[0].all.forEach((p, i) => expect(p.other).toBe(recorded.forks[i].posted[0].transfer[0]));
    recorded.forks[1].emit('exit', 3);
    expect(recorded.forks[0].killed).toBe(true); // its sessions are useless without the other half
    expect(recorded.forks).toHaveLength(4);
    expect(ports[0].all.every((p) => p.closed)).toBe(true);
    expect(ports[1]).toMatchObject({ generation: 2 });
    expect(ports[1].all).toHaveLength(2);
    // The killed sibling's exit is not a second crash.
    recorded.forks[0].emit('exit', null);
    expect(statuses.filter((s) => s.state === 'crashed')).toHaveLength(1);
    sup.restart();
    expect(recorded.forks.slice(2, 4).every((f) => f.killed)).toBe(true);
    expect(recorded.forks).toHaveLength(6);
    sup.dispose();
    expect(recorded.forks.slice(4).every((f) => f.killed)).toBe(true);
  });

  it('a window receives its port via webContents.postMessage on the enginePort channel, status via send', () => {
    const w = createScenarioWindow({ registry: new WindowRegistry(), preloadPath: 'p.cjs', hostPath: '/h.js', spawn: spawnUtility });
    w.engine.requestPort();
    const { webContents } = fakeWindow(w.win);
    const posted = webContents.posted;
    expect(posted).toHaveLength(1);
    expect(posted[0].channel).toBe(IPC_CHANNELS.enginePort);
    expect(posted[0].message).toEqual({ generation: 1 });
    // One engine process per core (at most 4), a port to each.
    expect(posted[0].transfer).toHaveLength(defaultEngineCount(availableParallelism()));
    expect(recorded.forks).toHaveLength(posted[0].transfer.length);
    expect(posted[0].transfer[0]).toBeInstanceOf(FakeMessagePortMain);
    recorded.forks[0].emit('exit', null);
    expect(webContents.sent.map((s) => s.args[0])).toContainEqual({ state: 'crashed', message: 'The engine was killed; restarting it.' });
    expect(posted).toHaveLength(2);
  });
});
