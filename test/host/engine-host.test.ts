// The engine host over a REAL child process (child_process.fork, serialization
// 'advanced', the same adapter shape as Electron's utility process), driven by
// main's supervisor: hello, check, run, query, bad-request; then the host is
// killed mid-run and the supervisor restarts it and the next run works.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type EngineMessage, type EngineStatus, type RunReplyBody, type StateQueryReply } from '../../core/contract/protocol';
import type { HostPort } from '../../host/link';
import { createEngineSupervisor, type EngineSupervisor } from '../../main/engine';
import { spawnNode } from './spawn-node';

type Reply = Extract<EngineMessage, { type: 'reply' }>;

/** A page-side client on one port: request/response by id, events recorded. */
function client(port: HostPort) {
  let nextId = 1;
  const pending = new Map<number, (r: Reply) => void>();
  const events: EngineMessage[] = [];
  port.on('message', (e) => {
    const m = e.data as EngineMessage;
    if (m.type === 'reply') pending.get(m.id)?.(m);
    else events.push(m);
    if (m.type === 'reply') pending.delete(m.id);
  });
  port.start();
  return {
    events,
    send(msg: unknown) {
      port.postMessage(msg);
    },
    request(msg: Record<string, unknown>): Promise<Reply> {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        port.postMessage({ ...msg, id });
      });
    },
    waitFor(id: number): Promise<Reply> {
      return new Promise((resolve) => pending.set(id, resolve));
    },
  };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let hostPath: string;
let sup: EngineSupervisor;
let current: ReturnType<typeof client> & { generation: number };
const statuses: EngineStatus[] = [];
const portWaiters: ((generation: number) => void)[] = [];

const SMALL = 'scenario "small"\npolicies v6.9 v6.15\nP0: mmap A 16K\nP0: write A 1\nP0: fork P1\nP1: write A[1] 2\nexpect P0 A[1].data == 1\n';
// Millions of page operations: a run that is certainly still going when it is killed.
const LONG = ['scenario "long"', 'memory 64G', 'P0: mmap A 16G', 'P0: write A 1', 'P0: fork P1', ...Array.from({ length: 40 }, (_, i) => `P${i % 2}: write A ${i + 2}`)].join('\n');

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'foliolab-host-'));
  hostPath = join(out, 'engine-host.mjs');
  await build({ entryPoints: [resolve('host/engine-host.ts')], outfile: hostPath, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
  sup = createEngineSupervisor({
    spawn: spawnNode,
    modulePath: hostPath,
    deliverPorts: ([port], generation) => {
      current = Object.assign(client(port), { generation });
      portWaiters.splice(0).forEach((w) => w(generation));
    },
    onStatus: (s) => statuses.push(s),
  });
  sup.start();
  sup.requestPort();
});

afterAll(() => sup.dispose());

describe('engine host in a child process', () => {
  it('answers hello (round trip measured)', async () => {
    const t0 = performance.now();
    const r = await current.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    const first = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 20; i++) await current.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    console.log(`engine host: first hello ${first.toFixed(1)} ms (includes process start), then ${((performance.now() - t1) / 20).toFixed(2)} ms per round trip`);
    expect(r).toMatchObject({ ok: true, body: { protocol: PROTOCOL_VERSION, engine: expect.any(String) } });
  });

  it('check returns diagnostics with positions', async () => {
    const r = await current.request({ type: 'check', file: 'bad.mms', source: 'P0: mmap A 4K\nP0: wrte A\n' });
    expect(r.ok).toBe(true);
    const { diagnostics } = (r as { body: { diagnostics: { line: number; col: number; severity: string; message: string }[] } }).body;
    expect(diagnostics.some((d) => d.severity === 'error' && d.line === 2 && d.col >= 1)).toBe(true);
  });

  it('runs a scenario under two policies and answers state queries (cells as a Uint8Array)', async () => {
    const t0 = performance.now();
    const r = await current.request({ type: 'run', runId: 'small', file: 'small.mms', source: SMALL, policies: [], options: {} });
    console.log(`engine host: run of a 4-step scenario under 2 policies, round trip ${(performance.now() - t0).toFixed(1)} ms`);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const body = (r as { body: RunReplyBody }).body;
    expect(body.title).toBe('small');
    expect(body.runs.map((x) => x.policy)).toEqual(['v6.9', 'v6.15']);
    for (const run of body.runs) expect(run.steps).toHaveLength(4);
    expect(current.events.some((e) => e.type === 'progress' && e.runId === 'small')).toBe(true);

    const q = await current.request({ type: 'query', runId: 'small', policy: 'v6.15', step: 3, query: { kind: 'processes' } });
    expect((q as { body: StateQueryReply }).body).toMatchObject({ kind: 'processes', processes: [{ name: 'P0' }, { name: 'P1' }] });
    const cells = await current.request({ type: 'query', runId: 'small', policy: 'v6.9', step: 3, query: { kind: 'cells', process: 'P1', mapping: 'A', from: 0, count: 4 } });
    const got = (cells as { body: { kind: 'cells'; cells: Uint8Array } }).body.cells;
    expect(got).toBeInstanceOf(Uint8Array);
    expect(got).toHaveLength(4);
    expect(got[1] & 1).toBe(1); // P1 wrote page 1: present
    const unknown = await current.request({ type: 'query', runId: 'nope', policy: 'v6.9', step: 0, query: { kind: 'processes' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
  });

  it('answers malformed messages with bad-request and keeps serving', async () => {
    current.send({ type: 'run', id: 900 });
    current.send({ id: 901, type: 'query', runId: 'small', policy: 'v6.9', step: 'x', query: {} });
    const [a, b] = await Promise.all([current.waitFor(900), current.waitFor(901)]);
    expect(a).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(b).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await current.request({ type: 'hello', protocol: PROTOCOL_VERSION })).ok).toBe(true);
  });

  it('is restarted by the supervisor when killed mid-run; the next run works', async () => {
    const before = sup.pid!;
    const generation = current.generation;
    const stale = current;
    let finished = false;
    void stale.request({ type: 'run', runId: 'long', file: 'long.mms', source: LONG, policies: ['v6.9'], options: {} }).then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(finished, 'the long run must still be running when the engine is killed').toBe(false);
    const newPort = new Promise<number>((r) => portWaiters.push(r));
    const t0 = performance.now();
    process.kill(before, 'SIGKILL');
    await newPort;
    const r = await current.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    console.log(`engine restart after SIGKILL: ${(performance.now() - t0).toFixed(0)} ms to a new port and its first reply`);
    expect(r.ok).toBe(true);
    expect(sup.pid).not.toBe(before);
    expect(current.generation).toBe(generation + 1);
    expect(statuses.slice(-2)).toEqual([
      { state: 'crashed', message: 'The engine was killed; restarting it.' },
      { state: 'restarted', message: expect.any(String) },
    ]);
    const again = await current.request({ type: 'run', runId: 'again', file: 'small.mms', source: SMALL, policies: ['v6.15'], options: {} });
    expect(again.ok).toBe(true);
    expect((again as { body: RunReplyBody }).body.runs).toHaveLength(1);
  });

  it('Stop: restart() kills a busy engine and a fresh one answers', async () => {
    void current.request({ type: 'run', runId: 'long2', file: 'long.mms', source: LONG, policies: ['v6.9'], options: {} });
    await new Promise((r) => setTimeout(r, 200));
    const newPort = new Promise<number>((r) => portWaiters.push(r));
    const busy = sup.pid!;
    const t0 = performance.now();
    sup.restart();
    // The busy engine is gone (its run cancelled) well within the 200 ms Stop budget.
    while (isAlive(busy)) await new Promise((r) => setTimeout(r, 2));
    const stopMs = performance.now() - t0;
    expect(stopMs).toBeLessThan(200);
    await newPort;
    const r = await current.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    console.log(`Stop: busy engine gone after ${stopMs.toFixed(1)} ms; ${(performance.now() - t0).toFixed(0)} ms to the first reply of the new engine`);
    expect(r.ok).toBe(true);
    expect(statuses.at(-1)).toEqual({ state: 'restarted', message: 'The engine was stopped and restarted.' });
  });
});
